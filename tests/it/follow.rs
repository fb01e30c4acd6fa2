//! Report follows against the simulator with a controlled clock: each tick moves the
//! simulator's "now" (and the follow's) ten minutes on, and `cdr_1` rows appear only once
//! their call has ended, under the date it started.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use jiff::SignedDuration;
use jiff::civil::{Date, DateTime, date};
use wolkvox::mock::{Fault, MockWolkvox};
use wolkvox::reports::{AgentSummary, CallRecord, Checkpoint, ReportFollow};
use wolkvox::{Error, WolkvoxClient};

const DAY: Date = date(2026, 10, 1);
const TICK: i64 = 600;

fn client_for(mock: &MockWolkvox) -> WolkvoxClient {
    mock.client_builder().max_retries(0).build().unwrap()
}

/// A clock that moves `TICK` seconds on at every call (once per tick), from `first`, and
/// moves the simulator's "now" with it.
fn ticking(
    mock: &Arc<MockWolkvox>,
    first: DateTime,
) -> (impl Fn() -> DateTime + use<>, Arc<AtomicI64>) {
    let ticks = Arc::new(AtomicI64::new(0));
    let (mock, count) = (Arc::clone(mock), Arc::clone(&ticks));
    let clock = move || {
        let k = count.fetch_add(1, Ordering::SeqCst);
        let now = first
            .checked_add(SignedDuration::from_secs(k * TICK))
            .unwrap();
        mock.set_now(now);
        now
    };
    (clock, ticks)
}

/// Every `cdr_1` row of `DAY`, once every call has ended.
async fn the_whole_day(mock: &MockWolkvox) -> BTreeMap<String, CallRecord> {
    mock.set_now(DAY.tomorrow().unwrap().at(12, 0, 0, 0));
    let rows: Vec<CallRecord> = client_for(mock)
        .report("cdr_1")
        .on(DAY)
        .send_as()
        .await
        .unwrap();
    rows.into_iter().map(|r| (r.conn_id.clone(), r)).collect()
}

/// Reads `follow` until a window ends at or after `until`; the rows of `DAY` it delivered
/// (every delivery, duplicates kept), the last checkpoint and the errors seen.
async fn run(
    follow: ReportFollow,
    until: DateTime,
) -> (Vec<CallRecord>, Option<Checkpoint>, Vec<Error>) {
    let mut windows = follow.windows_as::<CallRecord>();
    let (mut rows, mut checkpoint, mut errors) = (Vec::new(), None, Vec::new());
    loop {
        let next = tokio::time::timeout(Duration::from_secs(20), windows.next())
            .await
            .expect("a follow tick took over 20 s");
        match next {
            Some(Ok(window)) => {
                rows.extend(window.rows.iter().filter(|r| r.date.date() == DAY).cloned());
                let to = window.to;
                checkpoint = Some(window.checkpoint());
                if to >= until {
                    break;
                }
            }
            Some(Err(error)) => errors.push(error),
            None => break,
        }
    }
    (rows, checkpoint, errors)
}

fn follow(client: &WolkvoxClient, lookback: u64) -> ReportFollow {
    client
        .report("cdr_1")
        .follow(DAY.at(0, 0, 0, 0))
        .every(Duration::from_millis(1))
        .settle(Duration::from_secs(300))
        .lookback(Duration::from_secs(lookback))
}

/// Each conn_id with how many times it was delivered.
fn counts(rows: &[CallRecord]) -> BTreeMap<&str, usize> {
    let mut counts = BTreeMap::new();
    for row in rows {
        *counts.entry(row.conn_id.as_str()).or_insert(0) += 1;
    }
    counts
}

#[tokio::test]
async fn with_lookback_every_late_row_arrives_once_and_without_it_rows_are_missed() {
    let mock = Arc::new(MockWolkvox::start_demo().await);
    let expected = the_whole_day(&mock).await;
    assert!(expected.len() > 1_900);
    let client = client_for(&mock);
    let end = DAY.tomorrow().unwrap().at(1, 0, 0, 0);

    let (clock, ticks) = ticking(&mock, DAY.at(0, 10, 0, 0));
    let (rows, _, errors) = run(follow(&client, 2 * 3600).clock(clock), end).await;
    assert!(errors.is_empty(), "{errors:?}");
    assert!(
        ticks.load(Ordering::SeqCst) >= 24 * 6,
        "one tick per 10 minutes"
    );
    let seen = counts(&rows);
    assert!(seen.values().all(|&n| n == 1), "a row was delivered twice");
    assert_eq!(
        seen.len(),
        expected.len(),
        "with lookback nothing is missed"
    );
    for row in &rows {
        assert_eq!(Some(row), expected.get(&row.conn_id));
    }

    let (clock, _) = ticking(&mock, DAY.at(0, 10, 0, 0));
    let (rows, _, errors) = run(follow(&client, 0).clock(clock), end).await;
    assert!(errors.is_empty(), "{errors:?}");
    let seen = counts(&rows);
    assert!(seen.values().all(|&n| n == 1));
    let missed = expected.len() - seen.len();
    eprintln!(
        "without lookback: {missed} of {} calls missed",
        expected.len()
    );
    assert!(
        missed > 0,
        "without lookback, calls that ended after their window was read are missed"
    );
    assert!(seen.keys().all(|id| expected.contains_key(*id)));
}

#[tokio::test]
async fn a_follow_restarted_from_its_checkpoint_delivers_no_row_twice_and_misses_none() {
    let mock = Arc::new(MockWolkvox::start_demo().await);
    let expected = the_whole_day(&mock).await;
    let client = client_for(&mock);

    // The first run dies at 13:00, after a tick that failed (maintenance) on the way.
    let (clock, ticks) = ticking(&mock, DAY.at(0, 10, 0, 0));
    mock.fail_next_when(Fault::Maintenance, 1, |request| {
        request
            .param("date_end")
            .is_some_and(|end| end.starts_with("2026100108"))
    });
    let (mut rows, checkpoint, errors) =
        run(follow(&client, 2 * 3600).clock(clock), DAY.at(13, 0, 0, 0)).await;
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        matches!(errors[0], Error::Api { status: 503, .. }),
        "{errors:?}"
    );
    let saved = serde_json::to_string(&checkpoint.unwrap()).unwrap();
    assert!(saved.contains(r#""follow""#), "{saved}");

    // The second run resumes from the saved checkpoint, with the clock going on.
    let first = DAY
        .at(0, 10, 0, 0)
        .checked_add(SignedDuration::from_secs(
            ticks.load(Ordering::SeqCst) * TICK,
        ))
        .unwrap();
    let (clock, _) = ticking(&mock, first);
    let checkpoint: Checkpoint = serde_json::from_str(&saved).unwrap();
    let resumed = follow(&client, 2 * 3600)
        .resume(&checkpoint)
        .unwrap()
        .clock(clock);
    let (rest, _, errors) = run(resumed, DAY.tomorrow().unwrap().at(1, 0, 0, 0)).await;
    assert!(errors.is_empty(), "{errors:?}");
    rows.extend(rest);
    let seen = counts(&rows);
    let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "delivered twice: {twice:?}");
    assert_eq!(seen.len(), expected.len(), "none missing");
}

#[tokio::test]
async fn next_is_cancel_safe() {
    let mock = Arc::new(MockWolkvox::start_demo().await);
    let expected = the_whole_day(&mock).await;
    let client = client_for(&mock);
    let (clock, _) = ticking(&mock, DAY.at(20, 0, 0, 0));
    // Starts late in the day: the first tick reads 20 hours at once.
    let mut windows = follow(&client, 2 * 3600)
        .clock(clock)
        .windows_as::<CallRecord>();
    let mut rows = Vec::new();
    let mut dropped = 0;
    loop {
        // A next() given up on after 1 ms loses nothing: the window comes with a later one.
        match tokio::time::timeout(Duration::from_millis(1), windows.next()).await {
            Err(_) => dropped += 1,
            Ok(Some(Ok(window))) => {
                rows.extend(window.rows.iter().filter(|r| r.date.date() == DAY).cloned());
                if window.to >= DAY.tomorrow().unwrap().at(1, 0, 0, 0) {
                    break;
                }
            }
            Ok(other) => panic!("{other:?}"),
        }
        assert!(dropped < 100_000);
    }
    let seen = counts(&rows);
    assert!(seen.values().all(|&n| n == 1));
    assert_eq!(seen.len(), expected.len());
    assert!(
        dropped > 0,
        "no next() was given up on: the test proves nothing"
    );
}

#[tokio::test]
async fn a_totals_report_is_followed_per_whole_day_and_unauthorized_ends_it() {
    let mock = Arc::new(MockWolkvox::start_demo().await);
    let client = client_for(&mock);
    let (clock, _) = ticking(&mock, DAY.at(23, 0, 0, 0));
    let mut windows = client
        .report("agent_1")
        .follow(DAY.at(0, 0, 0, 0))
        .every(Duration::from_millis(1))
        .lookback(Duration::from_secs(3600))
        .clock(clock)
        .windows_as::<AgentSummary>();
    // 22:55 (23:00 less the settle time): the day from midnight.
    let first = windows.next().await.unwrap().unwrap();
    assert_eq!(
        (first.from, first.to),
        (DAY.at(0, 0, 0, 0), DAY.at(22, 55, 0, 0))
    );
    assert!(!first.rows.is_empty());
    // 23:05: the same day again, whole, with all its rows.
    let second = windows.next().await.unwrap().unwrap();
    assert_eq!(second.from, DAY.at(0, 0, 0, 0));
    assert_eq!(second.rows.len(), first.rows.len());
    // Past midnight the day is read to its end while inside the lookback, then the next day.
    let mut days = Vec::new();
    while days.len() < 12 {
        let window = windows.next().await.unwrap().unwrap();
        days.push((window.from, window.to));
    }
    assert!(days.contains(&(DAY.at(0, 0, 0, 0), DAY.at(23, 59, 59, 0))));
    let tomorrow = DAY.tomorrow().unwrap();
    assert!(
        days.iter()
            .any(|(from, _)| *from == tomorrow.at(0, 0, 0, 0))
    );
    assert!(days.iter().all(|(from, to)| from.date() == to.date()));

    mock.set_fault(Some(Fault::Unauthorized));
    assert!(matches!(
        windows.next().await,
        Some(Err(Error::Unauthorized { .. }))
    ));
    assert!(
        windows.next().await.is_none(),
        "Unauthorized ends the follow"
    );
}

#[tokio::test]
async fn an_invalid_follow_yields_the_refusal_and_ends() {
    let mock = MockWolkvox::start().await;
    let client = client_for(&mock);
    let mut windows = client.report("CDR 1").follow(DAY.at(0, 0, 0, 0)).windows();
    assert!(matches!(
        windows.next().await,
        Some(Err(Error::InvalidRequest { .. }))
    ));
    assert!(windows.next().await.is_none());
    let checkpoint: Checkpoint = serde_json::from_str(
        r#"{"version":1,"report":"cdr_5","params":{},"through":"2026-10-01T00:00:00"}"#,
    )
    .unwrap();
    assert!(matches!(
        client
            .report("cdr_1")
            .follow(DAY.at(0, 0, 0, 0))
            .resume(&checkpoint),
        Err(Error::InvalidRequest { .. })
    ));
}
