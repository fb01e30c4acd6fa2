//! Per-call overhead and cold start.
//!
//! - `call/crate` vs `call/baseline`: one `client.skill(101)` against a loopback HTTP/1.1 server
//!   that answers instantly, versus a plain `reqwest::Client` GET + `serde_json` decode of the
//!   same body (same reqwest build: rustls, no http2; same headers).
//! - `sequential`: 2,000 sequential calls of each, timed one by one and interleaved in blocks
//!   of 100 (so drift on a shared machine hits both sides alike); medians written to
//!   `target/criterion/call/sequential.json`.
//! - `cold_start/build`: `WolkvoxClient::builder()...build()` after the first one; the first
//!   build's time is in `target/criterion/cold_start/first.json`. `cold_start/build_with_http_client`:
//!   the same with a `reqwest::Client` passed in (the crate's own share of `build()`).
//!
//! Run: `cargo bench --bench call -- --warm-up-time 1 --measurement-time 5`

mod common;
#[path = "common/loopback.rs"]
mod loopback;

use common::BaselineResponse;
use loopback::{Server, response, serve};
use std::hint::black_box;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use reqwest::header::{HeaderMap, HeaderValue, USER_AGENT};
use tokio::runtime::Runtime;
use wolkvox::WolkvoxClient;

const TOKEN: &str = "bench-token-0123456789";
const SKILL_ID: u32 = 101;
/// Calls per side in the sequential comparison, and the block size they are interleaved in.
const SEQUENTIAL_CALLS: usize = 2_000;
const BLOCK: usize = 100;

/// What the server answers to every request: one skill, live formats.
const BODY: &str = r#"{"code":200,"error":null,"msg":"1 records were found","data":[{"skill_id":"101","skill_name":"SOPORTE_TECNICO","calls_in_queue_now":"3","stat_inbound":"1250","stat_answer":"1187","stat_abandon":" ","service_level_10seg":"34.64 %","service_level_20seg":"0.00%","service_level_30seg":"71,15 %","service_level_0seg":"0 %","by_abandon":""}]}"#;

// ---------------------------------------------------------------------------------------------
// Loopback server (benches/common/loopback.rs): the same one-skill answer to every request.

fn start_server() -> Server {
    let answer = response("200 OK", BODY.as_bytes());
    serve(move |_head| Arc::clone(&answer))
}

// ---------------------------------------------------------------------------------------------
// The two sides.

fn crate_client(base_url: &str) -> WolkvoxClient {
    WolkvoxClient::builder()
        .base_url(base_url)
        .token(TOKEN)
        .build()
        .expect("client builds")
}

/// What a user writes without this crate: a reqwest client with the same headers, the URL,
/// `serde_json` into `String` fields.
struct Baseline {
    http: reqwest::Client,
    url: String,
}

impl Baseline {
    fn new(base_url: &str) -> Self {
        let mut headers = HeaderMap::new();
        let mut token = HeaderValue::from_static(TOKEN);
        token.set_sensitive(true);
        headers.insert("wolkvox-token", token);
        headers.insert(
            USER_AGENT,
            HeaderValue::from_str(&format!("wolkvox-rust/{}", env!("CARGO_PKG_VERSION")))
                .expect("user agent"),
        );
        let http = reqwest::Client::builder()
            .default_headers(headers)
            .build()
            .expect("baseline client");
        Baseline {
            http,
            url: format!("{base_url}{}", wolkvox::endpoint::REALTIME_PATH),
        }
    }

    async fn skill(&self, id: u32) -> BaselineResponse {
        let body = self
            .http
            .get(format!("{}?api=skills&skill_id={id}", self.url))
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .expect("baseline GET")
            .bytes()
            .await
            .expect("baseline body");
        serde_json::from_slice(&body).expect("baseline decode")
    }
}

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

// ---------------------------------------------------------------------------------------------

fn bench(c: &mut Criterion) {
    // Cold start first, before anything in this process has built an HTTP client.
    let started = Instant::now();
    let first = black_box(crate_client("http://127.0.0.1:9"));
    let first_build = started.elapsed();
    drop(first);

    let server = start_server();
    let base_url = format!("http://{}", server.addr);
    let rt = runtime();
    let client = crate_client(&base_url);
    let baseline = Baseline::new(&base_url);

    // Both sides answer, and the crate reads what the baseline reads.
    rt.block_on(async {
        let skill = client.skill(SKILL_ID).await.expect("crate call");
        assert_eq!(skill.skill_name, "SOPORTE_TECNICO");
        assert_eq!(skill.service_level_30seg, 71.15);
        assert_eq!(baseline.skill(SKILL_ID).await.data[0].skill_id, "101");
    });

    sequential(&rt, &client, &baseline, first_build);

    let mut group = c.benchmark_group("call");
    group.bench_function("crate", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let started = Instant::now();
                for _ in 0..iters {
                    black_box(client.skill(SKILL_ID).await.expect("crate call"));
                }
                started.elapsed()
            })
        })
    });
    group.bench_function("baseline", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let started = Instant::now();
                for _ in 0..iters {
                    black_box(baseline.skill(SKILL_ID).await);
                }
                started.elapsed()
            })
        })
    });
    group.finish();

    let mut group = c.benchmark_group("cold_start");
    group.bench_function("build", |b| {
        b.iter(|| black_box(crate_client("http://127.0.0.1:9")))
    });
    // The same with a `reqwest::Client` passed in: what `build()` costs besides the HTTP
    // client's own setup (root certificates).
    let http = reqwest::Client::new();
    group.bench_function("build_with_http_client", |b| {
        b.iter(|| {
            black_box(
                WolkvoxClient::builder()
                    .base_url("http://127.0.0.1:9")
                    .token(TOKEN)
                    .http_client(http.clone())
                    .build()
                    .expect("client builds"),
            )
        })
    });
    group.finish();
    drop(server);
}

/// 2,000 sequential calls per side, each timed, interleaved in blocks of 100.
fn sequential(rt: &Runtime, client: &WolkvoxClient, baseline: &Baseline, first_build: Duration) {
    let mut ours = Vec::with_capacity(SEQUENTIAL_CALLS);
    let mut theirs = Vec::with_capacity(SEQUENTIAL_CALLS);
    rt.block_on(async {
        // Warm up: connections open, caches hot.
        for _ in 0..200 {
            black_box(client.skill(SKILL_ID).await.expect("crate call"));
            black_box(baseline.skill(SKILL_ID).await);
        }
        for _ in 0..SEQUENTIAL_CALLS / BLOCK {
            for _ in 0..BLOCK {
                let started = Instant::now();
                black_box(client.skill(SKILL_ID).await.expect("crate call"));
                ours.push(started.elapsed());
            }
            for _ in 0..BLOCK {
                let started = Instant::now();
                black_box(baseline.skill(SKILL_ID).await);
                theirs.push(started.elapsed());
            }
        }
    });
    let (ours, theirs) = (median(&mut ours), median(&mut theirs));
    eprintln!(
        "sequential {SEQUENTIAL_CALLS} calls: median crate {ours:?}, baseline {theirs:?} ({:.3}x); first build {first_build:?}",
        ours.as_secs_f64() / theirs.as_secs_f64()
    );
    write_report(
        "call",
        "sequential.json",
        &format!(
            "{{\"calls\":{SEQUENTIAL_CALLS},\"crate_median_ns\":{},\"baseline_median_ns\":{}}}\n",
            ours.as_nanos(),
            theirs.as_nanos()
        ),
    );
    write_report(
        "cold_start",
        "first.json",
        &format!("{{\"first_build_ns\":{}}}\n", first_build.as_nanos()),
    );
}

/// Writes `target/criterion/{group}/{file}`, next to criterion's own output.
fn write_report(group: &str, file: &str, json: &str) {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    let dir = target.join("criterion").join(group);
    if let Err(error) =
        std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(dir.join(file), json))
    {
        eprintln!("could not write {file}: {error}");
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
