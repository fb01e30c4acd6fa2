//! `cargo run --example export -- cdr_1 2026-10-01 2026-10-31 calls.csv`
//!
//! Exports any historical report over any date range to CSV (or NDJSON when the file name ends
//! in `.ndjson`), window by window: memory holds one window, not the export. The range is cut
//! into windows the service accepts, and windows that reach the record limit are split and
//! requested again, so the file has every row once. A progress bar on stderr shows the windows
//! done out of those planned, and the rows written.
//!
//! Runs against the crate's simulator unless `WOLKVOX_TOKEN` is set (then `WOLKVOX_SERVER` or
//! `WOLKVOX_BASE_URL` say where). Options: `--param name=value` (repeatable: `skill_id=101`),
//! `--per-day` (one window per day: the way to read totals reports such as `agent_1`), and
//! `--window-columns` (adds `window_from` / `window_to` to each row, to keep the periods of a
//! totals report apart).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use clap::Parser;
use indicatif::{ProgressBar, ProgressStyle};
use jiff::civil::Date;
use serde_json::Value;
use wolkvox::WolkvoxClient;
use wolkvox::mock::MockWolkvox;
use wolkvox::reports::ReportWindow;

/// Export a Wolkvox historical report to CSV or NDJSON.
#[derive(Parser, Debug)]
struct Args {
    /// The report (`api=`): cdr_1, skill_3, agent_1, chat_1, ...
    report: String,
    /// The first day (YYYY-MM-DD), from 00:00:00.
    first: Date,
    /// The last day (YYYY-MM-DD), to 23:59:59.
    last: Date,
    /// The output file: `.ndjson` for one JSON object per line, anything else for CSV.
    output: PathBuf,
    /// A report parameter as name=value (e.g. skill_id=101); repeatable.
    #[arg(long = "param", value_parser = parse_param)]
    params: Vec<(String, String)>,
    /// One window per calendar day.
    #[arg(long)]
    per_day: bool,
    /// Add window_from and window_to columns.
    #[arg(long)]
    window_columns: bool,
}

fn parse_param(text: &str) -> Result<(String, String), String> {
    text.split_once('=')
        .map(|(name, value)| (name.trim().to_owned(), value.to_owned()))
        .ok_or_else(|| format!("{text:?} is not name=value"))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    // The simulator lives as long as the export; without a token it is the data source.
    let (client, _simulator) = if std::env::var_os("WOLKVOX_TOKEN").is_some() {
        (WolkvoxClient::from_env()?, None)
    } else {
        let mock = MockWolkvox::start_demo().await;
        eprintln!(
            "WOLKVOX_TOKEN is not set: exporting from the simulated operation at {}",
            mock.uri()
        );
        (mock.client()?, Some(mock))
    };

    let mut request = client.report(&args.report).days(args.first, args.last);
    for (name, value) in &args.params {
        request = request.param(name, value);
    }
    if args.per_day {
        request = request.per_day();
    }
    let planned = request.planned_windows()?;
    let progress = ProgressBar::new(planned.len() as u64).with_style(ProgressStyle::with_template(
        "{elapsed_precise} [{bar:30}] windows {pos}/{len}, {msg}",
    )?);
    progress.set_message("0 rows");

    let file = BufWriter::new(File::create(&args.output)?);
    let mut sink = if args.output.extension().is_some_and(|e| e == "ndjson") {
        Sink::Ndjson(file)
    } else {
        Sink::Csv(Box::new(csv::Writer::from_writer(file)), None)
    };
    let mut windows = request.windows();
    let (mut rows, mut done) = (0usize, 0usize);
    while let Some(window) = windows.next().await {
        let window = match window {
            Ok(window) => window,
            Err(error) => {
                progress.abandon();
                sink.finish()?;
                eprintln!("export stopped: {error}");
                if let Some(last) = done.checked_sub(1).and_then(|i| planned.get(i)) {
                    eprintln!("every row up to {} is in {}", last.1, args.output.display());
                }
                std::process::exit(1);
            }
        };
        rows += window.rows.len();
        sink.write(&window, args.window_columns)?;
        // A planned window is done when a delivered window (maybe a half of it) reaches its end.
        while planned.get(done).is_some_and(|(_, to)| *to <= window.to) {
            done += 1;
            progress.inc(1);
        }
        progress.set_message(format!("{rows} rows"));
    }
    sink.finish()?;
    progress.finish();
    eprintln!(
        "{rows} rows of {} written to {}",
        args.report,
        args.output.display()
    );
    Ok(())
}

/// Where rows go.
enum Sink {
    /// One JSON object per line, as sent.
    Ndjson(BufWriter<File>),
    /// CSV; the header is the first row's columns (later rows are written by those columns).
    Csv(Box<csv::Writer<BufWriter<File>>>, Option<Vec<String>>),
}

impl Sink {
    fn write(
        &mut self,
        window: &ReportWindow<Value>,
        window_columns: bool,
    ) -> Result<(), Box<dyn std::error::Error>> {
        let stamp = |mut row: Value| {
            if let (true, Value::Object(map)) = (window_columns, &mut row) {
                map.insert("window_from".into(), window.from.to_string().into());
                map.insert("window_to".into(), window.to.to_string().into());
            }
            row
        };
        match self {
            Sink::Ndjson(out) => {
                for row in &window.rows {
                    serde_json::to_writer(&mut *out, &stamp(row.clone()))?;
                    out.write_all(b"\n")?;
                }
            }
            Sink::Csv(out, header) => {
                for row in &window.rows {
                    let row = stamp(row.clone());
                    let Value::Object(map) = &row else { continue };
                    let columns = match header {
                        Some(columns) => columns,
                        None => {
                            let columns = header.insert(map.keys().cloned().collect());
                            out.write_record(columns.iter())?;
                            columns
                        }
                    };
                    out.write_record(columns.iter().map(|column| cell(map.get(column))))?;
                }
            }
        }
        Ok(())
    }

    fn finish(self) -> std::io::Result<()> {
        match self {
            Sink::Ndjson(mut out) => out.flush(),
            Sink::Csv(mut out, _) => out.flush(),
        }
    }
}

/// A JSON value as a CSV cell: strings as they are, other values as JSON, missing as empty.
fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
    }
}
