//! Resumable exports against the simulator: every window's checkpoint continues the same
//! request right after it, across record-limit splits, mid-day points and month ends.

use jiff::SignedDuration;
use jiff::civil::{Date, DateTime, date};
use serde_json::{Value, json};
use wolkvox::mock::MockWolkvox;
use wolkvox::reports::{CallRecord, Checkpoint, ReportRequest, ReportWindow};
use wolkvox::{Error, WolkvoxClient};

/// `per_day` calls a day from `first` to `last`, spread over the whole day (so that halves of
/// a window split for the record limit end mid-day).
fn calls(first: Date, last: Date, per_day: i64) -> Vec<Value> {
    let mut rows = Vec::new();
    let mut day = first;
    while day <= last {
        for i in 0..per_day {
            let at = day
                .at(0, 0, 0, 0)
                .checked_add(SignedDuration::from_secs(i * 86_400 / per_day + 17))
                .unwrap();
            rows.push(json!({
                "conn_id": format!("{}.{i:03}", at.strftime("%Y%m%d%H%M%S")),
                "date": at.strftime("%Y-%m-%d %H:%M:%S").to_string(),
                "agent_id": "1001", "skill_id": "101", "type_interaction": "INBOUND",
                "time_seg": (30 + i % 400).to_string(),
            }));
        }
        day = day.tomorrow().unwrap();
    }
    rows
}

fn client_for(mock: &MockWolkvox) -> WolkvoxClient {
    mock.client_builder().max_retries(0).build().unwrap()
}

async fn collect(request: ReportRequest) -> Vec<ReportWindow<CallRecord>> {
    let mut windows = request.windows_as::<CallRecord>();
    let mut all = Vec::new();
    while let Some(window) = windows.next().await {
        all.push(window.unwrap());
    }
    all
}

fn days(windows: &[ReportWindow<CallRecord>]) -> i32 {
    windows
        .iter()
        .map(|w| w.to.date().since(w.from.date()).unwrap().get_days() + 1)
        .max()
        .unwrap_or(0)
}

#[tokio::test]
async fn an_export_interrupted_after_k_windows_and_resumed_has_every_row_once() {
    let mock = MockWolkvox::start().await;
    let (first, last) = (date(2026, 10, 20), date(2026, 12, 10));
    mock.set_report_rows("cdr_1", calls(first, last, 40))
        .unwrap();
    mock.set_record_limit(100);
    let client = client_for(&mock);
    let request = || client.report("cdr_1").days(first, last).record_limit(100);

    let whole = collect(request()).await;
    let rows: Vec<CallRecord> = whole.iter().flat_map(|w| w.rows.clone()).collect();
    assert_eq!(rows.len(), 52 * 40);
    assert!(whole.len() > 20, "split into {} windows", whole.len());
    assert!(
        whole
            .iter()
            .any(|w| w.to.time() != date(2026, 1, 1).at(23, 59, 59, 0).time()),
        "some windows end mid-day"
    );

    for k in [1, 2, 3, 7, whole.len() / 2, whole.len() - 1, whole.len()] {
        // The first run stops after k windows; its last checkpoint is saved as JSON.
        let mut run = request().windows_as::<CallRecord>();
        let mut got: Vec<CallRecord> = Vec::new();
        let mut saved = String::new();
        for _ in 0..k {
            let window = run.next().await.unwrap().unwrap();
            got.extend(window.rows.iter().cloned());
            saved = serde_json::to_string(&window.checkpoint()).unwrap();
        }
        drop(run);
        let checkpoint: Checkpoint = serde_json::from_str(&saved).unwrap();
        // The second run: the same request, resumed, from a point that is mid-day for most k.
        let rest = collect(request().resume(&checkpoint).unwrap()).await;
        assert!(
            days(&rest) <= 31,
            "k = {k}: a resumed window touches {} days",
            days(&rest)
        );
        got.extend(rest.iter().flat_map(|w| w.rows.iter().cloned()));
        assert_eq!(got, rows, "k = {k}: resumed export differs");
        if k == whole.len() {
            assert!(rest.is_empty(), "after the last window, nothing is left");
        }
    }
}

#[tokio::test]
async fn resuming_from_a_mid_day_point_stays_within_31_calendar_days() {
    // The simulator refuses a range touching 32 calendar days: from 12:00:00 a plan of
    // 31 x 86,400 s would be refused on every resume.
    let mock = MockWolkvox::start().await;
    let (first, last) = (date(2026, 1, 1), date(2026, 3, 31));
    mock.set_report_rows("cdr_1", calls(first, last, 4))
        .unwrap();
    let client = client_for(&mock);
    let saved = r#"{"version":1,"report":"cdr_1","params":{},"through":"2026-01-31T11:59:59"}"#;
    let checkpoint: Checkpoint = serde_json::from_str(saved).unwrap();
    let request = client
        .report("cdr_1")
        .days(first, last)
        .resume(&checkpoint)
        .unwrap();
    let planned = request.planned_windows().unwrap();
    assert_eq!(
        planned[0],
        (
            date(2026, 1, 31).at(12, 0, 0, 0),
            date(2026, 3, 2).at(23, 59, 59, 0)
        )
    );
    let windows = collect(request).await;
    let rows: usize = windows.iter().map(|w| w.rows.len()).sum();
    // Jan 31 from 12:00 (2 calls) and every day of February and March.
    assert_eq!(rows, 2 + (28 + 31) * 4);
}

#[tokio::test]
async fn a_checkpoint_of_another_report_or_other_parameters_is_refused() {
    let mock = MockWolkvox::start_demo().await;
    let client = client_for(&mock);
    let day = date(2026, 10, 1);
    let mut windows = client
        .report("skill_3")
        .on(day)
        .param("skill_id", "101")
        .windows();
    let checkpoint = windows.next().await.unwrap().unwrap().checkpoint();
    assert_eq!(checkpoint.report(), "skill_3");
    assert_eq!(
        checkpoint.params().collect::<Vec<_>>(),
        [("skill_id", "101")]
    );
    assert_eq!(checkpoint.through(), day.at(23, 59, 59, 0));
    assert_eq!(checkpoint.version(), 1);

    let refused = |result: Result<ReportRequest, Error>| match result {
        Err(Error::InvalidRequest { message, .. }) => message,
        other => panic!("expected InvalidRequest, got {other:?}"),
    };
    let other_report = client.report("skill_4").on(day).param("skill_id", "101");
    assert!(refused(other_report.resume(&checkpoint)).contains("belongs to report \"skill_3\""));
    let other_skill = client.report("skill_3").on(day).param("skill_id", "102");
    assert!(refused(other_skill.resume(&checkpoint)).contains("parameters"));
    let no_skill = client.report("skill_3").on(day);
    assert!(refused(no_skill.resume(&checkpoint)).contains("parameters"));

    // The same report and parameters over a longer range: continues up to the new end.
    let same = client
        .report("skill_3")
        .days(day, day.tomorrow().unwrap())
        .param("skill_id", "101");
    let rest = collect_values(same.resume(&checkpoint).unwrap()).await;
    assert_eq!(rest.len(), 1);
    assert_eq!(rest[0].from, date(2026, 10, 2).at(0, 0, 0, 0));

    // Resuming after the last window yields nothing, and sends nothing.
    let before = mock.request_count();
    let done = client
        .report("skill_3")
        .on(day)
        .param("skill_id", "101")
        .resume(&checkpoint)
        .unwrap();
    assert_eq!(
        done.planned_windows().unwrap(),
        Vec::<(DateTime, DateTime)>::new()
    );
    assert!(collect_values(done.clone()).await.is_empty());
    assert!(done.send().await.unwrap().is_empty());
    assert_eq!(mock.request_count(), before);
}

async fn collect_values(request: ReportRequest) -> Vec<ReportWindow<Value>> {
    let mut windows = request.windows();
    let mut all = Vec::new();
    while let Some(window) = windows.next().await {
        all.push(window.unwrap());
    }
    all
}
