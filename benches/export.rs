//! A historical-report export: 1,000,000 `cdr_1` rows, 20 days of 50,000 calls each, read
//! from a loopback server one day per window, against the same windows fetched and decoded
//! one by one by hand.
//!
//! Crate: `windows_as::<CallRecord>()` per day; baseline: reqwest + serde_json into `String`
//! fields. Time is whole exports interleaved (`target/criterion/export/time.json`), memory the
//! peak extra bytes of a counting allocator (`memory.json`); `docs/performance.md` has the
//! details and the results.
//!
//! Run: `cargo bench --bench export -- --warm-up-time 1 --measurement-time 5`
//! (`EXPORT_RUNS=3` for a shorter run), or `bench/compare.sh`. `EXPORT_PROFILE=crate` (or
//! `baseline`) runs only that side's exports and stops, for a profiler.

#[path = "common/cdr_server.rs"]
mod cdr_server;
#[path = "common/counting.rs"]
mod counting;
#[path = "common/loopback.rs"]
mod loopback;
#[path = "common/rng.rs"]
mod rng;

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use counting::peak_extra_bytes;
use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use jiff::ToSpan;
use jiff::civil::{Date, date};
use serde::Deserialize;
use tokio::runtime::Runtime;
use wolkvox::__private::decode_report_response;
use wolkvox::WolkvoxClient;
use wolkvox::reports::CallRecord;
use wolkvox::reqwest::header::{HeaderMap, HeaderValue};

const TOKEN: &str = "bench-token-0123456789";
/// Calls per day: below the record limit (60,000), so no window is split.
const ROWS_PER_DAY: usize = 50_000;
/// Days of the full export (1,000,000 rows) and of the short one (the memory check).
const DAYS: i32 = 20;
const SHORT_DAYS: i32 = 5;

fn first_day() -> Date {
    date(2026, 8, 1)
}

/// The last day of an export of `days` days.
fn last_day(days: i32) -> Date {
    first_day() + (days - 1).days()
}

/// What an export read: rows and the sum of their durations (seconds).
#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct Totals {
    rows: usize,
    seconds: u64,
}

async fn crate_export(client: &WolkvoxClient, days: i32) -> Totals {
    let mut windows = client
        .report("cdr_1")
        .days(first_day(), last_day(days))
        .per_day()
        .windows_as::<CallRecord>();
    let mut totals = Totals::default();
    while let Some(window) = windows.next().await {
        let window = window.expect("crate window");
        totals.rows += black_box(window.rows.len());
        for call in &window.rows {
            totals.seconds += black_box(call.duration.as_secs());
        }
        drop(window);
    }
    totals
}

/// What a user writes without this crate: the cdr_1 fields as `String`s.
#[derive(Deserialize)]
struct BaselineReport {
    data: Vec<BaselineCall>,
}

#[allow(dead_code)] // read only through `black_box`
#[derive(Deserialize)]
struct BaselineCall {
    conn_id: String,
    date: String,
    agent_id: String,
    agent_name: String,
    campaign_id: String,
    skill_id: String,
    skill_name: String,
    type_interaction: String,
    destiny: String,
    telephone: String,
    customer_id: String,
    time_seg: String,
    cost: String,
    cod_act: String,
    description_cod_act: String,
    cod_act_2: String,
    description_cod_act_2: String,
    hang_up: String,
    comment: String,
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
            url: format!("{base_url}/api/v2/reports_manager.php"),
        }
    }

    /// One day, fetched and decoded by hand.
    async fn day(&self, day: Date) -> BaselineReport {
        let day = day.strftime("%Y%m%d");
        let body = self
            .http
            .get(format!(
                "{}?api=cdr_1&date_ini={day}000000&date_end={day}235959",
                self.url
            ))
            .send()
            .await
            .and_then(wolkvox::reqwest::Response::error_for_status)
            .expect("baseline GET")
            .bytes()
            .await
            .expect("baseline body");
        serde_json::from_slice(&body).expect("baseline decode")
    }

    async fn export(&self, days: i32) -> Totals {
        let mut totals = Totals::default();
        let mut day = first_day();
        while day <= last_day(days) {
            let report = self.day(day).await;
            totals.rows += black_box(report.data.len());
            for call in &report.data {
                totals.seconds += black_box(call.time_seg.parse::<u64>().unwrap_or(0));
            }
            drop(report);
            day = day.tomorrow().expect("a day in 2026");
        }
        totals
    }
}

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

/// `EXPORT_RUNS`, default 5.
fn runs() -> usize {
    std::env::var("EXPORT_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(5)
}

fn median(samples: &[Duration]) -> Duration {
    let mut sorted = samples.to_vec();
    sorted.sort_unstable();
    sorted[sorted.len() / 2]
}

fn bench(c: &mut Criterion) {
    let generated = Instant::now();
    let bodies: Vec<(Date, Vec<u8>)> = (0..DAYS)
        .map(|i| {
            let day = first_day() + i.days();
            (day, cdr_server::day_body(day, ROWS_PER_DAY))
        })
        .collect();
    let largest = |days: i32| {
        bodies[..days as usize]
            .iter()
            .map(|(_, body)| body.len())
            .max()
            .unwrap_or(0)
    };
    let (largest_body, largest_short) = (largest(DAYS), largest(SHORT_DAYS));
    let total_bytes: usize = bodies.iter().map(|(_, body)| body.len()).sum();
    let window = bodies
        .iter()
        .map(|(_, body)| body)
        .max_by_key(|body| body.len())
        .cloned()
        .unwrap_or_default();
    eprintln!(
        "export: {DAYS} days x {ROWS_PER_DAY} rows, {:.1} MiB in all, largest body {largest_body} B \
         (generated in {:?})",
        total_bytes as f64 / 1_048_576.0,
        generated.elapsed()
    );
    let server = cdr_server::start(bodies);
    let base_url = format!("http://{}", server.addr);
    let rt = runtime();
    let client = WolkvoxClient::builder()
        .base_url(&base_url)
        .token(TOKEN)
        .build()
        .expect("client builds");
    let baseline = Baseline::new(&base_url);

    // Both sides read every row, the same rows (this also opens the connections).
    let rows = ROWS_PER_DAY * DAYS as usize;
    let ours = rt.block_on(crate_export(&client, DAYS));
    let theirs = rt.block_on(baseline.export(DAYS));
    assert_eq!(ours.rows, rows);
    assert_eq!(
        ours, theirs,
        "the crate and the baseline read the same rows"
    );

    // `EXPORT_PROFILE=crate` (or `baseline`): only that side's exports, for a profiler.
    if let Ok(side) = std::env::var("EXPORT_PROFILE") {
        for _ in 0..runs() {
            let started = Instant::now();
            let totals = match side.as_str() {
                "crate" => rt.block_on(crate_export(&client, DAYS)),
                _ => rt.block_on(baseline.export(DAYS)),
            };
            assert_eq!(totals, ours);
            eprintln!("export ({side}): {:?}", started.elapsed());
        }
        return;
    }

    // Memory: one export each, counting on.
    let crate_peak = peak_extra_bytes(|| rt.block_on(crate_export(&client, DAYS)));
    let crate_peak_short = peak_extra_bytes(|| rt.block_on(crate_export(&client, SHORT_DAYS)));
    let baseline_peak = peak_extra_bytes(|| rt.block_on(baseline.export(DAYS)));
    let mib = |bytes: usize| bytes as f64 / 1_048_576.0;
    eprintln!(
        "export memory: largest body {:.1} MiB; crate peak extra {:.1} MiB over {DAYS} days \
         ({:.2}x), {:.1} MiB over {SHORT_DAYS} days ({:.2}x its largest body); baseline {:.1} MiB \
         ({:.2}x)",
        mib(largest_body),
        mib(crate_peak),
        crate_peak as f64 / largest_body as f64,
        mib(crate_peak_short),
        crate_peak_short as f64 / largest_short as f64,
        mib(baseline_peak),
        baseline_peak as f64 / largest_body as f64,
    );
    write_report(
        "memory.json",
        &format!(
            "{{\"rows\":{rows},\"days\":{DAYS},\"short_days\":{SHORT_DAYS},\
             \"largest_body_bytes\":{largest_body},\"largest_body_bytes_short\":{largest_short},\
             \"crate_peak_extra_bytes\":{crate_peak},\
             \"crate_peak_extra_bytes_short\":{crate_peak_short},\
             \"baseline_peak_extra_bytes\":{baseline_peak}}}\n"
        ),
    );

    // Time: whole exports, interleaved.
    let runs = runs();
    let (mut crate_times, mut baseline_times) = (Vec::new(), Vec::new());
    for run in 0..runs {
        for crate_side in [run % 2 == 0, run % 2 == 1] {
            let started = Instant::now();
            let totals = if crate_side {
                rt.block_on(crate_export(&client, DAYS))
            } else {
                rt.block_on(baseline.export(DAYS))
            };
            let elapsed = started.elapsed();
            assert_eq!(totals, ours);
            if crate_side {
                crate_times.push(elapsed);
            } else {
                baseline_times.push(elapsed);
            }
        }
    }
    let (ours_median, theirs_median) = (median(&crate_times), median(&baseline_times));
    let per_row = |d: Duration| d.as_nanos() as f64 / rows as f64;
    eprintln!(
        "export time ({runs} runs each): median crate {ours_median:?} ({:.0} ns/row), baseline \
         {theirs_median:?} ({:.0} ns/row): {:.3}x; crate runs {crate_times:?}, baseline runs \
         {baseline_times:?}",
        per_row(ours_median),
        per_row(theirs_median),
        ours_median.as_secs_f64() / theirs_median.as_secs_f64(),
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
            "{{\"rows\":{rows},\"days\":{DAYS},\"runs\":{runs},\
             \"crate_median_ns\":{},\"baseline_median_ns\":{},\
             \"crate_runs_ns\":[{}],\"baseline_runs_ns\":[{}]}}\n",
            ours_median.as_nanos(),
            theirs_median.as_nanos(),
            list(&crate_times),
            list(&baseline_times),
        ),
    );

    // Cross-check with criterion: 5-day exports.
    let mut group = c.benchmark_group("export");
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.throughput(Throughput::Elements(
        (ROWS_PER_DAY * SHORT_DAYS as usize) as u64,
    ));
    group.bench_function("crate_5_days", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let started = Instant::now();
                for _ in 0..iters {
                    black_box(crate_export(&client, SHORT_DAYS).await);
                }
                started.elapsed()
            })
        })
    });
    group.bench_function("baseline_5_days", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let started = Instant::now();
                for _ in 0..iters {
                    black_box(baseline.export(SHORT_DAYS).await);
                }
                started.elapsed()
            })
        })
    });
    group.finish();
    drop(server);

    // The decode of one window alone (the largest body), from memory.
    let mut group = c.benchmark_group("export_decode");
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.throughput(Throughput::Elements(ROWS_PER_DAY as u64));
    group.bench_function("crate_window", |b| {
        b.iter(|| {
            let (sent, rows) = decode_report_response::<CallRecord>(200, black_box(&window))
                .expect("the crate decodes the window");
            black_box((sent, rows))
        })
    });
    group.bench_function("baseline_window", |b| {
        b.iter(|| {
            let report: BaselineReport =
                serde_json::from_slice(black_box(&window)).expect("the baseline decodes it");
            black_box(report)
        })
    });
    group.finish();
}

/// Writes `target/criterion/export/{file}`, next to criterion's own output.
fn write_report(file: &str, json: &str) {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    let dir = target.join("criterion").join("export");
    if let Err(error) =
        std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(dir.join(file), json))
    {
        eprintln!("could not write {file}: {error}");
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
