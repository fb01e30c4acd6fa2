//! Keeping a warehouse: 1,000,000 `cdr_1` rows (20 days of 50,000) from a loopback server.
//!
//! - Peak memory by RSS: a child process (this binary again, `WAREHOUSE_RSS_CHILD` set) runs
//!   the crate's export, `windows_as::<CallRecord>()` one day per window, and reports its
//!   `VmHWM` (peak resident set) and the `VmRSS` it started the export with, from
//!   `/proc/self/status`; the server and its 20 bodies live in this process, not the child's.
//! - The loader of `examples/sync` (its PostgreSQL sink, included from the example) against its
//!   floor, in one run: the crate's export alone (`windows()`, the JSON rows the loader reads),
//!   the loader (the same export, every window stored in its transaction with its
//!   checkpoint), and PostgreSQL's own `COPY` of the same rows from a CSV file (exported from
//!   the loaded table, then copied into an empty table of the same definition). The goal:
//!   loader <= 1.5 x (export + COPY).
//!
//! Run: `cargo bench --bench warehouse` (PostgreSQL at `postgres://127.0.0.1:5432/test` or
//! `WOLKVOX_TEST_PG`; without one only the memory part runs). Results on stdout as JSON.

#[path = "common/cdr_server.rs"]
mod cdr_server;
#[path = "common/loopback.rs"]
mod loopback;
#[allow(dead_code)]
#[path = "../examples/sync/postgres.rs"]
mod postgres;
#[path = "common/rng.rs"]
mod rng;
#[allow(dead_code)]
#[path = "../examples/sync/tables.rs"]
mod tables;

use std::io::Write as _;
use std::time::{Duration, Instant};

use futures_util::SinkExt;
use jiff::ToSpan;
use jiff::civil::{Date, date};
use wolkvox::WolkvoxClient;
use wolkvox::reports::{CallRecord, ReportKind};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

const TOKEN: &str = "bench-token-0123456789";
const ROWS_PER_DAY: usize = 50_000;
const DAYS: i32 = 20;

fn first_day() -> Date {
    date(2026, 8, 1)
}

fn last_day() -> Date {
    first_day() + (DAYS - 1).days()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

fn client(base_url: &str) -> WolkvoxClient {
    WolkvoxClient::builder()
        .base_url(base_url)
        .token(TOKEN)
        .timeout(Duration::from_secs(120))
        .build()
        .expect("client")
}

/// A `/proc/self/status` figure in kB.
fn status_kb(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// The child: one typed export, then its peak RSS.
fn rss_child(base_url: &str) {
    // One thread, as an export job runs: no second allocator arena holding freed windows.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let client = client(base_url);
    let start_kb = status_kb("VmRSS");
    let rows = rt.block_on(async {
        let mut windows = client
            .report("cdr_1")
            .days(first_day(), last_day())
            .per_day()
            .windows_as::<CallRecord>();
        let mut rows = 0;
        while let Some(window) = windows.next().await {
            rows += std::hint::black_box(window.expect("window").rows.len());
        }
        rows
    });
    println!("{rows} {start_kb} {}", status_kb("VmHWM"));
}

/// The export the loader reads, rows counted: its time.
async fn export(client: &WolkvoxClient) -> Duration {
    let started = Instant::now();
    let mut windows = client
        .report("cdr_1")
        .days(first_day(), last_day())
        .per_day() // the loopback server answers one day per request
        .windows();
    let mut rows = 0;
    while let Some(window) = windows.next().await {
        rows += std::hint::black_box(window.expect("window").rows.len());
    }
    assert_eq!(rows, ROWS_PER_DAY * DAYS as usize);
    started.elapsed()
}

async fn loader(
    client: &WolkvoxClient,
    url: &str,
    schema: &str,
) -> Result<(Duration, Duration), BoxError> {
    let admin = postgres::connect(url).await?;
    let quoted = postgres::ident(schema);
    admin
        .batch_execute(&format!("DROP SCHEMA IF EXISTS {quoted} CASCADE"))
        .await?;
    let table = tables::Table::new("cdr_1", ReportKind::Events);
    let mut sink = postgres::PgSink::new(url, schema).loader(&table).await?;
    let started = Instant::now();
    let mut windows = client
        .report("cdr_1")
        .days(first_day(), last_day())
        .per_day() // the loopback server answers one day per request
        .windows();
    while let Some(window) = windows.next().await {
        sink.store(&table, &window?).await?;
    }
    let load = started.elapsed();
    // The floor: the same rows as a CSV file, copied by PostgreSQL into an empty table.
    let columns = "_key, _day, conn_id, date, agent_id, agent_name, campaign_id, skill_id, skill_name, \
        interaction_type, destination, telephone, customer_id, duration, cost, activity_code, \
        activity_description, hang_up, comment, raw, _window_from, _window_to";
    let path = std::env::temp_dir().join(format!("wolkvox-warehouse-{}.csv", std::process::id()));
    {
        let out = admin
            .copy_out(&format!(
                "COPY (SELECT {columns} FROM {quoted}.wolkvox_cdr_1) TO STDOUT (FORMAT csv)"
            ))
            .await?;
        futures_util::pin_mut!(out);
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path)?);
        while let Some(chunk) = futures_util::StreamExt::next(&mut out).await {
            file.write_all(&chunk?)?;
        }
        file.flush()?;
    }
    admin
        .batch_execute(&format!(
            "CREATE TABLE {quoted}.floor (LIKE {quoted}.wolkvox_cdr_1 INCLUDING ALL)"
        ))
        .await?;
    let started = Instant::now();
    let sink = admin
        .copy_in(&format!(
            "COPY {quoted}.floor ({columns}) FROM STDIN (FORMAT csv)"
        ))
        .await?;
    futures_util::pin_mut!(sink);
    let bytes = std::fs::read(&path)?;
    for chunk in bytes.chunks(1 << 20) {
        sink.send(bytes::Bytes::copy_from_slice(chunk)).await?;
    }
    let copied = sink.finish().await?;
    let copy = started.elapsed();
    assert_eq!(copied, (ROWS_PER_DAY * DAYS as usize) as u64);
    let _ = std::fs::remove_file(&path);
    admin
        .batch_execute(&format!("DROP SCHEMA {quoted} CASCADE"))
        .await?;
    Ok((load, copy))
}

fn main() {
    if let Ok(base_url) = std::env::var("WAREHOUSE_RSS_CHILD") {
        rss_child(&base_url);
        return;
    }
    let bodies: Vec<(Date, Vec<u8>)> = (0..DAYS)
        .map(|d| {
            let day = first_day() + d.days();
            (day, cdr_server::day_body(day, ROWS_PER_DAY))
        })
        .collect();
    let largest = bodies.iter().map(|(_, body)| body.len()).max().unwrap_or(0);
    let server = cdr_server::start(bodies);
    let base_url = format!("http://{}", server.addr);

    let child = std::process::Command::new(std::env::current_exe().expect("own path"))
        .env("WAREHOUSE_RSS_CHILD", &base_url)
        .output()
        .expect("child runs");
    let text = String::from_utf8_lossy(&child.stdout);
    let figures: Vec<u64> = text
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    let [rows, start_kb, peak_kb] = figures[..] else {
        panic!(
            "child said {text:?}, {}",
            String::from_utf8_lossy(&child.stderr)
        );
    };
    assert_eq!(rows, (ROWS_PER_DAY * DAYS as usize) as u64);
    let peak = peak_kb as f64 * 1024.0;
    println!(
        "{{\"rss\": {{\"rows\": {rows}, \"largest_body_bytes\": {largest}, \"start_rss_kib\": {start_kb}, \
         \"peak_rss_kib\": {peak_kb}, \"peak_over_body\": {:.2}, \"growth_over_body\": {:.2}}}}}",
        peak / largest as f64,
        (peak_kb - start_kb) as f64 * 1024.0 / largest as f64
    );

    if std::env::var_os("WAREHOUSE_ONLY_RSS").is_some() {
        return;
    }
    let url = std::env::var("WOLKVOX_TEST_PG")
        .unwrap_or_else(|_| "postgres://127.0.0.1:5432/test".to_owned());
    let rt = runtime();
    let client = client(&base_url);
    if rt.block_on(postgres::connect(&url)).is_err() {
        eprintln!("warehouse: PostgreSQL at {url} is unreachable: the loader part is skipped");
        return;
    }
    let export_time = rt.block_on(async {
        let _ = export(&client).await; // warms the connection and the caches
        export(&client).await
    });
    let schema = format!("wolkvox_bench_{}", std::process::id());
    let (load, copy) = rt.block_on(loader(&client, &url, &schema)).expect("loader");
    let floor = export_time + copy;
    println!(
        "{{\"loader\": {{\"rows\": {}, \"export_s\": {:.2}, \"copy_s\": {:.2}, \"floor_s\": {:.2}, \
         \"loader_s\": {:.2}, \"loader_over_floor\": {:.2}}}}}",
        ROWS_PER_DAY * DAYS as usize,
        export_time.as_secs_f64(),
        copy.as_secs_f64(),
        floor.as_secs_f64(),
        load.as_secs_f64(),
        load.as_secs_f64() / floor.as_secs_f64()
    );
}
