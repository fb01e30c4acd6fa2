//! `cargo run --example sync -- --reports cdr_1,agent_1,skill_3 --from 2026-10-01 --to ./warehouse`
//!
//! Keeps a warehouse current with historical reports: loads every report named from `--from`
//! on, and resumes by itself (a second run with the same `--to` starts from the checkpoints it
//! saved). Against the crate's simulator unless `WOLKVOX_TOKEN` is set (then `WOLKVOX_SERVER`
//! or `WOLKVOX_BASE_URL` say where). Progress goes to stderr.
//!
//! - `--until DATE` (inclusive) stops after that day; without it the loader reads up to now
//!   (less 5 minutes, as rows may still be written), and `--follow` keeps it going: a tick
//!   every `--every` (default 10 minutes; `600`, `600s`, `10m`, `2h`), re-reading the last
//!   `--lookback` (default 2 hours) for rows that arrive late (a `cdr_1` row appears when the
//!   call ends, under the time it started).
//! - `--to DIR`: NDJSON files, `DIR/<report>/<YYYY-MM-DD>.ndjson` (the rows as sent, one per
//!   line, in key order), and `DIR/state.json` with each report's checkpoint, written after
//!   the data (each file through a temporary file and a rename).
//! - `--to postgres://...`: a table per report, `wolkvox_<report>`, in the schema `--schema`
//!   (default `public`), with typed columns (for `cdr_1`, `agent_1`, `skill_3`), the row as
//!   sent in `raw jsonb`, and `_key`, `_day`, `_window_from`, `_window_to`, `_loaded_at`. Rows
//!   go in with `COPY`, one transaction per report window, which also writes the report's
//!   checkpoint in `wolkvox_sync_state (report, checkpoint jsonb, updated_at)`: a run killed at
//!   any point loses nothing and doubles nothing when run again.
//!
//! What a window does to a table depends on the report's
//! [`ReportKind`](wolkvox::reports::ReportKind):
//!
//! - events (`cdr_1`, `skill_2`, `campaign_3`, ...) are merged on `_key` (insert, or update
//!   the row with that key). For `cdr_1` the key is `conn_id`, `agent_id` and `skill_id`:
//!   `conn_id` is unique per call in every sample and public integration, but the vendor does
//!   not document it, and a call transferred to another agent or skill may come once per leg;
//!   a row re-delivered with a changed content (an activity code typed after the call) keeps
//!   its key and replaces the old one. Other event reports use `conn_id` and `date` when they
//!   have them, else the whole row.
//! - intervals and totals (`skill_3`, `agent_1`, ...) are read per day, and a window replaces
//!   its day (`DELETE ... WHERE _day = ..`, then the window's rows). An `agent_1` row is keyed
//!   by `(_day, agent_id)`, a `skill_3` row by `(_day, skill_id)`; the `TOTAL` summary rows are
//!   not loaded.
//!
//! Other options: `--max-window-hours N` (smaller windows: smaller transactions, more calls).

use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use jiff::civil::{Date, DateTime};
use serde_json::Value;
use wolkvox::mock::MockWolkvox;
use wolkvox::reports::{Checkpoint, ReportKind, ReportWindow};
use wolkvox::{Error, WolkvoxClient};

#[path = "sync/files.rs"]
mod files;
#[path = "sync/postgres.rs"]
mod postgres;
#[path = "sync/tables.rs"]
mod tables;

use files::FileSink;
use postgres::{PgLoader, PgSink};
use tables::Table;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Load Wolkvox historical reports into NDJSON files or PostgreSQL, and keep them current.
#[derive(Parser, Debug, Clone)]
pub struct Args {
    /// The reports, comma-separated (cdr_1,agent_1,skill_3).
    #[arg(long, value_delimiter = ',', required = true)]
    reports: Vec<String>,
    /// The first day to load (YYYY-MM-DD).
    #[arg(long)]
    from: Date,
    /// The last day to load (inclusive); without it, up to now.
    #[arg(long)]
    until: Option<Date>,
    /// Where: a directory, or a postgres:// URL.
    #[arg(long)]
    to: String,
    /// The PostgreSQL schema of the tables.
    #[arg(long, default_value = "public")]
    schema: String,
    /// Keep loading, one tick every --every.
    #[arg(long)]
    follow: bool,
    /// The time between two ticks of --follow.
    #[arg(long, default_value = "10m", value_parser = parse_duration)]
    every: Duration,
    /// The span re-read at every tick for late rows.
    #[arg(long, default_value = "2h", value_parser = parse_duration)]
    lookback: Duration,
    /// The longest window requested at once, in hours (default: the service's 31 days).
    #[arg(long)]
    max_window_hours: Option<u64>,
}

fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, unit) = text.split_at(
        text.find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len()),
    );
    let n: u64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a duration (600, 600s, 10m, 2h)"))?;
    let seconds = match unit {
        "" | "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        _ => return Err(format!("{text:?}: the unit is s, m or h")),
    };
    Ok(Duration::from_secs(seconds))
}

/// Where the rows go.
#[derive(Clone)]
enum Sink {
    Files(FileSink),
    Postgres(PgSink),
}

impl Sink {
    async fn open(args: &Args) -> Result<Self, BoxError> {
        if args.to.starts_with("postgres://") || args.to.starts_with("postgresql://") {
            Ok(Sink::Postgres(PgSink::new(&args.to, &args.schema)))
        } else {
            Ok(Sink::Files(FileSink::open(PathBuf::from(&args.to))?))
        }
    }
}

/// What a sink does for one report: the saved checkpoint, and storing a window with its
/// checkpoint.
enum Loader {
    Files(FileSink),
    Postgres(PgLoader),
}

impl Loader {
    async fn new(sink: &Sink, table: &Table) -> Result<Self, BoxError> {
        Ok(match sink {
            Sink::Files(files) => Loader::Files(files.clone()),
            Sink::Postgres(pg) => Loader::Postgres(pg.loader(table).await?),
        })
    }

    async fn checkpoint(&mut self, table: &Table) -> Result<Option<Checkpoint>, BoxError> {
        match self {
            Loader::Files(files) => files.checkpoint(&table.report),
            Loader::Postgres(pg) => pg.checkpoint().await,
        }
    }

    async fn store(&mut self, table: &Table, window: &ReportWindow<Value>) -> Result<(), BoxError> {
        match self {
            Loader::Files(files) => files.store(table, window),
            Loader::Postgres(pg) => pg.store(table, window).await,
        }
    }
}

/// Runs the loader; `Err` when a report could not be loaded (the others went on).
pub async fn run(args: Args) -> Result<(), BoxError> {
    let (client, _simulator) = if std::env::var_os("WOLKVOX_TOKEN").is_some() {
        (WolkvoxClient::from_env()?, None)
    } else {
        let mock = MockWolkvox::start_demo().await;
        eprintln!(
            "WOLKVOX_TOKEN is not set: loading from the simulated operation at {}",
            mock.uri()
        );
        (mock.client()?, Some(mock))
    };
    let sink = Sink::open(&args).await?;
    let mut tasks = Vec::new();
    for report in &args.reports {
        let (client, sink, args, report) =
            (client.clone(), sink.clone(), args.clone(), report.clone());
        tasks.push(tokio::spawn(async move {
            let result = load(&client, &sink, &args, &report).await;
            if let Err(error) = &result {
                eprintln!("{report}: stopped: {error}");
            }
            result
        }));
    }
    let mut failed = 0;
    for task in tasks {
        if !matches!(task.await, Ok(Ok(()))) {
            failed += 1;
        }
    }
    if failed > 0 {
        return Err(format!(
            "{failed} report(s) stopped; run again to continue where they stopped"
        )
        .into());
    }
    Ok(())
}

/// Loads one report: from its checkpoint (or `--from`) up to `--until` or now, and on with
/// `--follow`.
async fn load(
    client: &WolkvoxClient,
    sink: &Sink,
    args: &Args,
    report: &str,
) -> Result<(), BoxError> {
    let mut request = client.report(report);
    let table = Table::new(report, request.kind());
    if table.kind != ReportKind::Events {
        request = request.per_day();
    }
    if let (Some(hours), ReportKind::Events) = (args.max_window_hours, table.kind) {
        // Intervals and totals stay whole days: a window replaces its day.
        request = request.max_window(Duration::from_secs(hours.clamp(1, 31 * 24) * 3600));
    }
    let mut loader = Loader::new(sink, &table).await?;
    let checkpoint = loader.checkpoint(&table).await?;
    if let Some(checkpoint) = &checkpoint {
        eprintln!("{report}: resuming after {}", checkpoint.through());
    }
    let until_end = args.until.map(|day| day.at(23, 59, 59, 0));
    if let (Some(until), false) = (args.until, args.follow) {
        // A closed range: an export, resumed from the checkpoint.
        let mut request = request.days(args.from, until);
        if let Some(checkpoint) = &checkpoint {
            request = request.resume(checkpoint)?;
        }
        let mut windows = request.windows();
        while let Some(window) = windows.next().await {
            store(&mut loader, &table, &window?).await?;
        }
        return Ok(());
    }
    // Up to now: a follow, whose first tick reads up to now less the settle time.
    let settle = Duration::from_secs(300);
    let offset = wolkvox::DEFAULT_OPERATION_UTC_OFFSET;
    let started = offset.to_datetime(jiff::Timestamp::now());
    let last = until_end.map(|end| shift(end, settle));
    let follow_on = args.follow;
    let clock = move || {
        let now = if follow_on {
            offset.to_datetime(jiff::Timestamp::now())
        } else {
            started
        };
        last.map_or(now, |last| now.min(last))
    };
    // Where the first tick ends: what a run without --follow reads up to.
    let first_upper = started
        .saturating_sub(jiff::SignedDuration::try_from(settle).unwrap_or_default())
        .with()
        .subsec_nanosecond(0)
        .build()?;
    let target = until_end.map_or(first_upper, |end| end.min(first_upper));
    let mut follow = request
        .follow(args.from.at(0, 0, 0, 0))
        .every(args.every)
        .lookback(args.lookback)
        .settle(settle)
        .clock(clock);
    if let Some(checkpoint) = &checkpoint {
        follow = follow.resume(checkpoint)?;
    }
    let mut windows = follow.windows();
    while let Some(window) = windows.next().await {
        match window {
            Ok(window) => {
                store(&mut loader, &table, &window).await?;
                let done = until_end.is_some_and(|end| window.to >= end)
                    || (!follow_on && window.to >= target);
                if done {
                    return Ok(());
                }
            }
            Err(
                error @ (Error::Unauthorized { .. }
                | Error::QuotaExceeded { .. }
                | Error::InvalidRequest { .. }),
            ) => {
                return Err(error.into());
            }
            Err(error) if follow_on => {
                eprintln!("{report}: this tick failed, the next one tries again: {error}")
            }
            Err(error) => return Err(error.into()),
        }
    }
    Ok(())
}

/// Stores one window and says so on stderr.
async fn store(
    loader: &mut Loader,
    table: &Table,
    window: &ReportWindow<Value>,
) -> Result<(), BoxError> {
    loader.store(table, window).await?;
    eprintln!(
        "{}: {} .. {}: {} rows stored",
        table.report,
        window.from,
        window.to,
        window.rows.len()
    );
    Ok(())
}

fn shift(dt: DateTime, by: Duration) -> DateTime {
    dt.saturating_add(jiff::SignedDuration::try_from(by).unwrap_or(jiff::SignedDuration::ZERO))
}

#[tokio::main]
async fn main() {
    if let Err(error) = run(Args::parse()).await {
        eprintln!("sync: {error}");
        std::process::exit(1);
    }
}

#[cfg(test)]
#[path = "sync/tests.rs"]
mod tests;
