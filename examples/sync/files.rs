//! The file sink: `DIR/<report>/<YYYY-MM-DD>.ndjson` (the rows as sent, one per line, in key
//! order) and `DIR/state.json` (each report's checkpoint), every file written through a
//! temporary file and a rename, the data before the state.
//!
//! A window merges its rows into the day files by key (events) or replaces its day's file
//! (intervals and totals), so storing a window twice leaves the same files: a run that died
//! after the data and before the state stores the window again, to the same result.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde_json::Value;
use wolkvox::reports::{Checkpoint, ReportWindow};

use super::BoxError;
use super::tables::Table;

/// The directory, and the checkpoints of `state.json` (shared by the reports' tasks).
#[derive(Clone)]
pub struct FileSink {
    dir: PathBuf,
    state: Arc<Mutex<BTreeMap<String, Checkpoint>>>,
}

/// Writes `bytes` to `path` through a temporary file and a rename.
fn replace(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut temp = path.as_os_str().to_owned();
    temp.push(".tmp");
    fs::write(&temp, bytes)?;
    fs::rename(&temp, path)
}

impl FileSink {
    pub fn open(dir: PathBuf) -> Result<Self, BoxError> {
        fs::create_dir_all(&dir)?;
        let state = match fs::read(dir.join("state.json")) {
            Ok(bytes) => serde_json::from_slice(&bytes)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => BTreeMap::new(),
            Err(e) => return Err(e.into()),
        };
        Ok(FileSink {
            dir,
            state: Arc::new(Mutex::new(state)),
        })
    }

    pub fn checkpoint(&self, report: &str) -> Result<Option<Checkpoint>, BoxError> {
        let state = self.state.lock().map_err(|_| "state lock poisoned")?;
        Ok(state.get(report).cloned())
    }

    pub fn store(&self, table: &Table, window: &ReportWindow<Value>) -> Result<(), BoxError> {
        let folder = self.dir.join(&table.report);
        fs::create_dir_all(&folder)?;
        let window_day = window.from.date();
        // The rows by day file, each by key.
        let mut days: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        if table.replaces_day() {
            days.insert(window_day.to_string(), BTreeMap::new());
        }
        for raw in &window.rows {
            let Some(row) = table.prepare(raw)? else {
                continue;
            };
            let day = if table.replaces_day() {
                window_day.to_string()
            } else {
                table.day_of(raw, window_day)
            };
            days.entry(day)
                .or_default()
                .insert(row.key, raw.to_string());
        }
        for (day, rows) in days {
            let path = folder.join(format!("{day}.ndjson"));
            let mut merged = BTreeMap::new();
            if !table.replaces_day() {
                if let Ok(text) = fs::read_to_string(&path) {
                    for line in text.lines().filter(|l| !l.is_empty()) {
                        let raw: Value = serde_json::from_str(line)?;
                        if let Some(row) = table.prepare(&raw)? {
                            merged.insert(row.key, line.to_owned());
                        }
                    }
                }
            }
            merged.extend(rows);
            if merged.is_empty() {
                let _ = fs::remove_file(&path);
                continue;
            }
            let mut text = String::new();
            for line in merged.values() {
                text.push_str(line);
                text.push('\n');
            }
            replace(&path, text.as_bytes())?;
        }
        // The state after the data.
        let mut state = self.state.lock().map_err(|_| "state lock poisoned")?;
        state.insert(table.report.clone(), window.checkpoint());
        replace(
            &self.dir.join("state.json"),
            &serde_json::to_vec_pretty(&*state)?,
        )?;
        Ok(())
    }
}
