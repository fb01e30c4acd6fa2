//! A campaign upload: 100,000 records to a loopback server in batches of 10,000, against the
//! same bodies written and sent by hand.
//!
//! - Crate: `client.campaign(7224, Predictive).add_records(&records)`: the checks (blank and
//!   duplicate ids, phones, option lengths), ten `POST campaign.php?api=add_record` bodies
//!   written from `CampaignRecord`s, each answer read into the report.
//! - Baseline: what a user writes without the crate: a `#[derive(Serialize)]` struct with the
//!   37 predictive keys as `String`s, `serde_json::to_vec` of each chunk of 10,000, a
//!   `reqwest` POST (the crate's own build, `wolkvox::reqwest`) with the token and
//!   content-type headers, the answer's `code` checked. No checks, no report.
//!   Both sides send the same bytes (checked before timing).
//! - Time: whole uploads, `UPLOAD_RUNS` (default 7) per side, interleaved (crate first on even
//!   runs); medians and every run in `target/criterion/campaign/time.json`. Criterion's
//!   `campaign/crate_100k` and `campaign/baseline_100k` (10 flat samples) cross-check.
//! - Parts: the crate's checks and bodies alone (no HTTP) against the baseline's
//!   `serde_json::to_vec`, medians of 5, in `time.json` too.
//! - Memory: peak extra bytes (counting global allocator, on only during these runs) of one
//!   upload of each side, over the largest batch body, in
//!   `target/criterion/campaign/memory.json`.
//!
//! Run: `cargo bench --bench campaign -- --warm-up-time 1 --measurement-time 5`, or
//! `BENCHES=campaign bench/compare.sh`.

#[path = "common/campaign_records.rs"]
mod campaign_records;
#[path = "common/counting.rs"]
mod counting;
#[path = "common/loopback.rs"]
mod loopback;
#[path = "common/rng.rs"]
mod rng;

use std::hint::black_box;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use campaign_records::BaselineRecord;
use counting::peak_extra_bytes;
use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use rng::Rng;
use serde::Deserialize;
use tokio::runtime::Runtime;
use wolkvox::WolkvoxClient;
use wolkvox::campaign::{CampaignKind, CampaignRecord, MAX_BATCH};
use wolkvox::reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};

const TOKEN: &str = "bench-token-0123456789";
const RECORDS: usize = 100_000;
const CAMPAIGN: u32 = 7224;
/// The answer to every upload.
const ANSWER: &str = r#"{"code":"201","error":null,"msg":"All records has been added successfully","data":[{"total_registers":"10000"}]}"#;

/// Realistic records: names, a document id, a city, one to three phones, two options, an
/// e-mail on one in three.
fn records() -> Vec<CampaignRecord> {
    const NAMES: [&str; 10] = [
        "ANA",
        "LUIS",
        "MARIA JOSE",
        "JORGE",
        "SOFIA",
        "CARLOS ANDRES",
        "LAURA",
        "ANDRES",
        "VALENTINA",
        "DIEGO",
    ];
    const LAST: [&str; 8] = [
        "GOMEZ",
        "RODRIGUEZ PEREZ",
        "LOPEZ",
        "MARTINEZ",
        "DIAZ",
        "TORRES",
        "RAMIREZ",
        "NUÑEZ",
    ];
    const CITIES: [&str; 5] = ["BOGOTA", "MEDELLIN", "CALI", "BARRANQUILLA", "BUCARAMANGA"];
    let mut rng = Rng(0x5eed_cafe_f00d);
    (0..RECORDS)
        .map(|i| {
            let mut r = CampaignRecord::new(format!("{}", 1_000_000_000 + i));
            r.customer_name = rng.pick(&NAMES).to_owned();
            r.customer_last_name = rng.pick(&LAST).to_owned();
            r.id_type = "CC".to_owned();
            r.city = rng.pick(&CITIES).to_owned();
            r.country = "COLOMBIA".to_owned();
            r.phones = (0..1 + rng.below(3))
                .map(|_| format!("3{:09}", rng.below(1_000_000_000)))
                .collect();
            r.options[0] = format!("PLAN {}", rng.below(5));
            r.options[1] = format!("SALDO {}", rng.below(5_000_000));
            if i % 3 == 0 {
                r.email = format!("cliente{i}@example.com");
            }
            r
        })
        .collect()
}

async fn crate_upload(client: &WolkvoxClient, records: &[CampaignRecord]) -> usize {
    let report = client
        .campaign(CAMPAIGN, CampaignKind::Predictive)
        .add_records(records)
        .await
        .expect("the records are valid");
    assert!(report.is_complete());
    black_box(report.accepted())
}

#[derive(Deserialize)]
struct BaselineAnswer {
    code: String,
}

struct Baseline {
    http: wolkvox::reqwest::Client,
    url: String,
}

impl Baseline {
    fn new(base_url: &str) -> Self {
        let mut headers = HeaderMap::new();
        let mut token = HeaderValue::from_static(TOKEN);
        token.set_sensitive(true);
        headers.insert("wolkvox-token", token);
        let http = wolkvox::reqwest::Client::builder()
            .default_headers(headers)
            .build()
            .expect("baseline client");
        Baseline {
            http,
            url: format!(
                "{base_url}/api/v2/campaign.php?api=add_record&type_campaign=predictive&campaign_id={CAMPAIGN}"
            ),
        }
    }

    async fn upload(&self, records: &[BaselineRecord]) -> usize {
        let mut added = 0;
        for chunk in records.chunks(MAX_BATCH) {
            let body = serde_json::to_vec(chunk).expect("baseline body");
            let answer = self
                .http
                .post(&self.url)
                .header(CONTENT_TYPE, "application/json")
                .body(body)
                .send()
                .await
                .and_then(wolkvox::reqwest::Response::error_for_status)
                .expect("baseline POST")
                .bytes()
                .await
                .expect("baseline answer");
            let answer: BaselineAnswer = serde_json::from_slice(&answer).expect("baseline decode");
            assert_eq!(answer.code, "201");
            added += chunk.len();
        }
        black_box(added)
    }
}

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

/// `UPLOAD_RUNS`, default 7.
fn runs() -> usize {
    std::env::var("UPLOAD_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(7)
}

fn median(samples: &[Duration]) -> Duration {
    let mut sorted = samples.to_vec();
    sorted.sort_unstable();
    sorted[sorted.len() / 2]
}

/// The crate's own work without HTTP, against the baseline's serialization: medians of 5 of
/// the checks of 100,000 records, the crate's 10 bodies and the baseline's 10 bodies.
fn parts(records: &[CampaignRecord], baseline: &[BaselineRecord]) -> [Duration; 3] {
    let campaign = WolkvoxClient::builder()
        .base_url("http://127.0.0.1:9")
        .token(TOKEN)
        .build()
        .expect("client builds")
        .campaign(CAMPAIGN, CampaignKind::Predictive);
    let time = |f: &dyn Fn()| {
        let samples: Vec<Duration> = (0..5)
            .map(|_| {
                let started = Instant::now();
                f();
                started.elapsed()
            })
            .collect();
        median(&samples)
    };
    let check = time(&|| campaign.check_records(black_box(records)).expect("valid"));
    let bodies = time(&|| {
        for chunk in records.chunks(MAX_BATCH) {
            black_box(wolkvox::__private::campaign_body(chunk));
        }
    });
    let theirs = time(&|| {
        for chunk in baseline.chunks(MAX_BATCH) {
            black_box(serde_json::to_vec(chunk).expect("baseline body"));
        }
    });
    eprintln!(
        "campaign parts (median of 5): crate checks {check:?}, crate bodies {bodies:?}, \
         baseline bodies {theirs:?}"
    );
    [check, bodies, theirs]
}

fn bench(c: &mut Criterion) {
    let records = records();
    let baseline_records: Vec<BaselineRecord> = records.iter().map(BaselineRecord::of).collect();
    // Both sides send the same bytes.
    let largest_body = records
        .chunks(MAX_BATCH)
        .zip(baseline_records.chunks(MAX_BATCH))
        .map(|(ours, theirs)| {
            let ours = wolkvox::__private::campaign_body(ours);
            assert_eq!(ours, serde_json::to_vec(theirs).expect("baseline body"));
            ours.len()
        })
        .max()
        .unwrap_or(0);
    let parts = parts(&records, &baseline_records);
    let answer = loopback::response("201 Created", ANSWER.as_bytes());
    let server = loopback::serve(move |_head| Arc::clone(&answer));
    let base_url = format!("http://{}", server.addr);
    let rt = runtime();
    let client = WolkvoxClient::builder()
        .base_url(&base_url)
        .token(TOKEN)
        .build()
        .expect("client builds");
    let baseline = Baseline::new(&base_url);
    eprintln!("campaign: {RECORDS} records, batches of {MAX_BATCH}, largest body {largest_body} B");
    // Both sides upload everything (this also opens the connections).
    assert_eq!(rt.block_on(crate_upload(&client, &records)), RECORDS);
    assert_eq!(rt.block_on(baseline.upload(&baseline_records)), RECORDS);

    // Memory: one upload each, counting on.
    let crate_peak = peak_extra_bytes(|| rt.block_on(crate_upload(&client, &records)));
    let baseline_peak = peak_extra_bytes(|| rt.block_on(baseline.upload(&baseline_records)));
    let mib = |bytes: usize| bytes as f64 / 1_048_576.0;
    eprintln!(
        "campaign memory: largest body {:.2} MiB; crate peak extra {:.2} MiB ({:.2}x), baseline \
         {:.2} MiB ({:.2}x)",
        mib(largest_body),
        mib(crate_peak),
        crate_peak as f64 / largest_body as f64,
        mib(baseline_peak),
        baseline_peak as f64 / largest_body as f64,
    );
    write_report(
        "memory.json",
        &format!(
            "{{\"records\":{RECORDS},\"batch\":{MAX_BATCH},\"largest_body_bytes\":{largest_body},\
             \"crate_peak_extra_bytes\":{crate_peak},\"baseline_peak_extra_bytes\":{baseline_peak}}}\n"
        ),
    );

    // Time: whole uploads, interleaved.
    let runs = runs();
    let (mut crate_times, mut baseline_times) = (Vec::new(), Vec::new());
    for run in 0..runs {
        for crate_side in [run % 2 == 0, run % 2 == 1] {
            let started = Instant::now();
            let added = if crate_side {
                rt.block_on(crate_upload(&client, &records))
            } else {
                rt.block_on(baseline.upload(&baseline_records))
            };
            let elapsed = started.elapsed();
            assert_eq!(added, RECORDS);
            if crate_side {
                crate_times.push(elapsed);
            } else {
                baseline_times.push(elapsed);
            }
        }
    }
    let (ours, theirs) = (median(&crate_times), median(&baseline_times));
    eprintln!(
        "campaign time ({runs} runs each): median crate {ours:?}, baseline {theirs:?}: {:.3}x; \
         crate runs {crate_times:?}, baseline runs {baseline_times:?}",
        ours.as_secs_f64() / theirs.as_secs_f64(),
    );
    let list = |times: &[Duration]| {
        times
            .iter()
            .map(|d| d.as_nanos().to_string())
            .collect::<Vec<_>>()
            .join(",")
    };
    write_report(
        "time.json",
        &format!(
            "{{\"records\":{RECORDS},\"runs\":{runs},\"crate_median_ns\":{},\
             \"baseline_median_ns\":{},\"crate_runs_ns\":[{}],\"baseline_runs_ns\":[{}],\
             \"crate_check_ns\":{},\"crate_bodies_ns\":{},\"baseline_bodies_ns\":{}}}\n",
            ours.as_nanos(),
            theirs.as_nanos(),
            list(&crate_times),
            list(&baseline_times),
            parts[0].as_nanos(),
            parts[1].as_nanos(),
            parts[2].as_nanos(),
        ),
    );

    let mut group = c.benchmark_group("campaign");
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.throughput(Throughput::Elements(RECORDS as u64));
    group.bench_function("crate_100k", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let started = Instant::now();
                for _ in 0..iters {
                    crate_upload(&client, &records).await;
                }
                started.elapsed()
            })
        })
    });
    group.bench_function("baseline_100k", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let started = Instant::now();
                for _ in 0..iters {
                    baseline.upload(&baseline_records).await;
                }
                started.elapsed()
            })
        })
    });
    group.finish();
    drop(server);
}

/// Writes `target/criterion/campaign/{file}`, next to criterion's own output.
fn write_report(file: &str, json: &str) {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    let dir = target.join("criterion").join("campaign");
    if let Err(error) =
        std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(dir.join(file), json))
    {
        eprintln!("could not write {file}: {error}");
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
