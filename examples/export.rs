//! `cargo run --example export -- cdr_1 2026-10-01 2026-10-31 calls.csv`
//!
//! Exports any historical report over any date range to CSV (or NDJSON when the file name ends
//! in `.ndjson`), window by window: memory holds one window, not the export. The range is cut
//! into windows the service accepts, and windows that reach the record limit are split and
//! requested again, so the file has every row once. A progress bar on stderr shows the windows
//! done out of those planned, and the rows written.
//!
//! The rows go to `OUT.part`, flushed after every window, with the window's checkpoint beside
//! it in `OUT.part.checkpoint`; the file is renamed to `OUT` only when the export is complete.
//! An export that stopped (an error, Ctrl-C, a crash) continues with the same command and
//! `--resume`: the part file is cut back to the last checkpoint and the export goes on right
//! after it. A first request that fails leaves no file behind.
//!
//! Runs against the crate's simulator unless `WOLKVOX_TOKEN` is set (then `WOLKVOX_SERVER` or
//! `WOLKVOX_BASE_URL` say where). Options: `--param name=value` (repeatable: `skill_id=101`),
//! `--per-day` (one window per day: the way to read totals reports such as `agent_1`), and
//! `--window-columns` (adds `window_from` / `window_to` to each row, to keep the periods of a
//! totals report apart). A totals report over more than one window is refused without one of
//! those two: its windows' totals written back to back would be counted twice by a BI load.

use std::fs::{self, File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use clap::Parser;
use indicatif::{ProgressBar, ProgressStyle};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use wolkvox::WolkvoxClient;
use wolkvox::mock::MockWolkvox;
use wolkvox::reports::{Checkpoint, ReportKind, ReportWindow};

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
    /// Continue an export that stopped, from OUT.part and its checkpoint.
    #[arg(long)]
    resume: bool,
}

fn parse_param(text: &str) -> Result<(String, String), String> {
    text.split_once('=')
        .map(|(name, value)| (name.trim().to_owned(), value.to_owned()))
        .ok_or_else(|| format!("{text:?} is not name=value"))
}

/// What `OUT.part.checkpoint` holds: where the part file was complete.
#[derive(Serialize, Deserialize)]
struct Saved {
    checkpoint: Checkpoint,
    /// The length of the part file after that window.
    bytes: u64,
    /// The CSV header written at the top of the part file, if any.
    header: Option<Vec<String>>,
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Writes `bytes` to `path` through a temporary file and a rename.
fn replace(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let temp = with_suffix(path, ".tmp");
    fs::write(&temp, bytes)?;
    fs::rename(temp, path)
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
    if request.kind() == ReportKind::Totals
        && planned.len() > 1
        && !args.per_day
        && !args.window_columns
    {
        eprintln!(
            "{} totals its whole range, and this range needs {} windows: their totals written \
             back to back would be counted twice. Use --per-day (one total per day) or \
             --window-columns (each row says its window), or a range of at most 31 days.",
            args.report,
            planned.len()
        );
        std::process::exit(2);
    }

    let part = with_suffix(&args.output, ".part");
    let saved_path = with_suffix(&part, ".checkpoint");
    let ndjson = args.output.extension().is_some_and(|e| e == "ndjson");
    let mut header = None;
    let file = if args.resume && !saved_path.exists() {
        eprintln!(
            "--resume: no checkpoint at {}, so no window was stored: starting from the beginning",
            saved_path.display()
        );
        File::create(&part)?
    } else if args.resume {
        let saved: Saved = serde_json::from_slice(&fs::read(&saved_path)?)?;
        request = request.resume(&saved.checkpoint)?;
        // Whatever was written after the checkpoint goes: it comes again.
        let file = OpenOptions::new().write(true).open(&part)?;
        file.set_len(saved.bytes)?;
        header = saved.header;
        eprintln!("resuming after {}", saved.checkpoint.through());
        file
    } else {
        if saved_path.exists() {
            eprintln!(
                "{} holds an export that stopped: starting over (use --resume to continue it)",
                part.display()
            );
        }
        File::create(&part)?
    };
    let mut sink = Sink::new(file, ndjson, header)?;

    let progress = ProgressBar::new(planned.len() as u64).with_style(ProgressStyle::with_template(
        "{elapsed_precise} [{bar:30}] windows {pos}/{len}, {msg}",
    )?);
    progress.set_message("0 rows");
    let mut windows = request.windows();
    let (mut rows, mut done, mut delivered) = (0usize, 0usize, 0usize);
    while let Some(window) = windows.next().await {
        let window = match window {
            Ok(window) => window,
            Err(error) => {
                progress.abandon();
                eprintln!("export stopped: {error}");
                if delivered == 0 && !args.resume {
                    // Nothing was exported: leave nothing behind.
                    drop(sink);
                    let _ = fs::remove_file(&part);
                    let _ = fs::remove_file(&saved_path);
                } else {
                    eprintln!(
                        "the rows so far are in {}; run the same command with --resume to continue",
                        part.display()
                    );
                }
                std::process::exit(1);
            }
        };
        rows += window.rows.len();
        delivered += 1;
        let bytes = sink.write(&window, args.window_columns)?;
        let saved = Saved {
            checkpoint: window.checkpoint(),
            bytes,
            header: sink.header(),
        };
        replace(&saved_path, &serde_json::to_vec(&saved)?)?;
        // A planned window is done when a delivered window (maybe a half of it) reaches its end.
        while planned.get(done).is_some_and(|(_, to)| *to <= window.to) {
            done += 1;
            progress.inc(1);
        }
        progress.set_message(format!("{rows} rows"));
    }
    drop(sink);
    fs::rename(&part, &args.output)?;
    let _ = fs::remove_file(&saved_path);
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
    Csv(Box<csv::Writer<File>>, Option<Vec<String>>),
}

impl Sink {
    fn new(file: File, ndjson: bool, header: Option<Vec<String>>) -> std::io::Result<Self> {
        let mut file = file;
        std::io::Seek::seek(&mut file, std::io::SeekFrom::End(0))?;
        Ok(if ndjson {
            Sink::Ndjson(BufWriter::new(file))
        } else {
            Sink::Csv(Box::new(csv::Writer::from_writer(file)), header)
        })
    }

    fn header(&self) -> Option<Vec<String>> {
        match self {
            Sink::Ndjson(_) => None,
            Sink::Csv(_, header) => header.clone(),
        }
    }

    /// Writes the window's rows and flushes them to the file; the file's length after them.
    fn write(
        &mut self,
        window: &ReportWindow<Value>,
        window_columns: bool,
    ) -> Result<u64, Box<dyn std::error::Error>> {
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
                out.flush()?;
                Ok(out.get_ref().metadata()?.len())
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
                out.flush()?;
                Ok(out.get_ref().metadata()?.len())
            }
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
