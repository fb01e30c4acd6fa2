//! The loader's two properties, on its files and on a real PostgreSQL: run twice over the same
//! range, the data is the same; killed (SIGKILL) mid-run and run again, it equals a clean run.
//!
//! PostgreSQL: `postgres://127.0.0.1:5432/test`, or `WOLKVOX_TEST_PG`; each test in a schema of
//! its own, dropped after. Without a server the PostgreSQL tests print that they were skipped,
//! unless `CI` is set: then they fail.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use clap::Parser;

use super::postgres::{connect, ident};
use super::{Args, run};

/// Three days of three reports, cdr_1 in 6-hour windows: 18 windows in all.
fn args(to: &str, schema: &str) -> Vec<String> {
    [
        "sync",
        "--reports",
        "cdr_1,agent_1,skill_3",
        "--from",
        "2026-10-01",
        "--until",
        "2026-10-03",
        "--max-window-hours",
        "6",
        "--to",
        to,
        "--schema",
        schema,
    ]
    .map(String::from)
    .to_vec()
}

async fn load(args: &[String]) {
    run(Args::parse_from(args)).await.unwrap();
}

/// Not a test by itself: the loader in a process of its own, for the parent to kill.
#[tokio::test]
#[ignore = "run by the SIGKILL tests as a child process"]
async fn child() {
    let Ok(args) = std::env::var("WOLKVOX_SYNC_CHILD_ARGS") else {
        return;
    };
    load(&args.split('\u{1f}').map(String::from).collect::<Vec<_>>()).await;
}

/// Runs the loader in a child process and kills it (SIGKILL) once it has stored `windows`
/// windows; false if it finished first.
fn kill_after(args: &[String], windows: usize) -> bool {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["tests::child", "--exact", "--ignored", "--nocapture"])
        .env("WOLKVOX_SYNC_CHILD_ARGS", args.join("\u{1f}"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let mut stored = 0;
    let mut killed = false;
    for line in stderr.lines() {
        let Ok(line) = line else { break };
        if line.contains("rows stored") {
            stored += 1;
            if stored == windows {
                child.kill().unwrap(); // SIGKILL
                killed = true;
                break;
            }
        }
    }
    child.wait().unwrap();
    killed
}

/// Every file under `dir`, by relative path.
fn files(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut all = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let text = std::fs::read_to_string(&path).unwrap();
                all.insert(path.strip_prefix(dir).unwrap().to_path_buf(), text);
            }
        }
    }
    all
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wolkvox-sync-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[tokio::test]
async fn files_run_twice_hold_the_same_rows() {
    let dir = temp_dir("twice");
    let args = args(dir.to_str().unwrap(), "public");
    load(&args).await;
    let first = files(&dir);
    assert_eq!(
        first.len(),
        1 + 3 * 3,
        "state.json and a file per report and day"
    );
    let cdr: usize = first
        .iter()
        .filter(|(path, _)| path.starts_with("cdr_1"))
        .map(|(_, text)| text.lines().count())
        .sum();
    assert!(cdr > 5_000, "{cdr} calls");
    // Again: resumed from state.json, nothing is left to read.
    load(&args).await;
    assert_eq!(files(&dir), first);
    // Without the state: everything read and stored again, to the same files.
    std::fs::remove_file(dir.join("state.json")).unwrap();
    load(&args).await;
    assert_eq!(files(&dir), first);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn files_killed_mid_run_and_run_again_equal_a_clean_run() {
    let clean = temp_dir("clean");
    load(&args(clean.to_str().unwrap(), "public")).await;
    let want = files(&clean);
    for k in [1, 7, 15] {
        let dir = temp_dir(&format!("killed-{k}"));
        let args = args(dir.to_str().unwrap(), "public");
        assert!(
            kill_after(&args, k),
            "the loader finished before {k} windows"
        );
        load(&args).await;
        assert_eq!(files(&dir), want, "killed after {k} windows");
        std::fs::remove_dir_all(&dir).unwrap();
    }
    std::fs::remove_dir_all(&clean).unwrap();
}

/// The test database's URL, or `None` (and a line saying so) when it cannot be reached.
async fn database() -> Option<String> {
    let url = std::env::var("WOLKVOX_TEST_PG")
        .unwrap_or_else(|_| "postgres://127.0.0.1:5432/test".to_owned());
    match tokio::time::timeout(Duration::from_secs(5), connect(&url)).await {
        Ok(Ok(_)) => Some(url),
        failure => {
            let why = match failure {
                Ok(Err(error)) => error.to_string(),
                _ => "no answer in 5 s".to_owned(),
            };
            assert!(
                std::env::var_os("CI").is_none(),
                "PostgreSQL at {url} is unreachable ({why}), and CI is set"
            );
            eprintln!("skipped: PostgreSQL at {url} is unreachable ({why}); set WOLKVOX_TEST_PG");
            None
        }
    }
}

/// A schema of the test's own, dropped first in case an earlier run left it.
async fn schema(url: &str, name: &str) -> String {
    let schema = format!("wolkvox_test_{}_{name}", std::process::id());
    drop_schema(url, &schema).await;
    schema
}

async fn drop_schema(url: &str, schema: &str) {
    let client = connect(url).await.unwrap();
    client
        .batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", ident(schema)))
        .await
        .unwrap();
}

/// Every row of every table of `schema` (without `_loaded_at` / `updated_at`), sorted.
async fn tables(url: &str, schema: &str) -> BTreeMap<String, Vec<String>> {
    let client = connect(url).await.unwrap();
    let mut all = BTreeMap::new();
    for table in [
        "wolkvox_cdr_1",
        "wolkvox_agent_1",
        "wolkvox_skill_3",
        "wolkvox_sync_state",
    ] {
        let sql = format!(
            "SELECT (to_jsonb(t) - '_loaded_at' - 'updated_at')::text FROM {}.{} t",
            ident(schema),
            ident(table)
        );
        let mut rows: Vec<String> = client
            .query(&sql, &[])
            .await
            .unwrap()
            .iter()
            .map(|row| row.get(0))
            .collect();
        rows.sort();
        all.insert(table.to_owned(), rows);
    }
    all
}

#[tokio::test]
async fn postgres_run_twice_holds_the_same_rows() {
    let Some(url) = database().await else { return };
    let schema = schema(&url, "twice").await;
    let args = args(&url, &schema);
    load(&args).await;
    let first = tables(&url, &schema).await;
    assert!(first["wolkvox_cdr_1"].len() > 5_000);
    assert_eq!(first["wolkvox_sync_state"].len(), 3);
    load(&args).await;
    assert_eq!(tables(&url, &schema).await, first);
    // Without the checkpoints: every window stored again, merged or replaced to the same rows.
    let client = connect(&url).await.unwrap();
    client
        .batch_execute(&format!(
            "DELETE FROM {}.wolkvox_sync_state",
            ident(&schema)
        ))
        .await
        .unwrap();
    load(&args).await;
    assert_eq!(tables(&url, &schema).await, first);
    drop_schema(&url, &schema).await;
}

#[tokio::test]
async fn postgres_killed_mid_run_and_run_again_equals_a_clean_run() {
    let Some(url) = database().await else { return };
    let clean = schema(&url, "clean").await;
    load(&args(&url, &clean)).await;
    let want = tables(&url, &clean).await;
    for k in [1, 7, 15] {
        let schema = schema(&url, &format!("killed_{k}")).await;
        let args = args(&url, &schema);
        assert!(
            kill_after(&args, k),
            "the loader finished before {k} windows"
        );
        load(&args).await;
        assert_eq!(
            tables(&url, &schema).await,
            want,
            "killed after {k} windows"
        );
        drop_schema(&url, &schema).await;
    }
    drop_schema(&url, &clean).await;
}
