use jiff::civil::date;

use super::*;
use crate::api::realtime::test_client as client;

fn refusal(request: &ReportRequest) -> String {
    match request.planned_windows() {
        Err(Error::InvalidRequest { message }) => message,
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
}

#[test]
fn ranges_from_days_and_on() {
    let r = client().report("cdr_1").on(date(2028, 2, 29));
    assert_eq!(
        r.planned_windows().unwrap(),
        [(
            date(2028, 2, 29).at(0, 0, 0, 0),
            date(2028, 2, 29).at(23, 59, 59, 0)
        )]
    );
    let r = client()
        .report("cdr_1")
        .days(date(2026, 1, 1), date(2026, 1, 3))
        .max_window(Duration::from_secs(6 * 3600));
    let windows = r.planned_windows().unwrap();
    assert_eq!(windows.len(), 12);
    assert_eq!(
        windows[1],
        (
            date(2026, 1, 1).at(6, 0, 0, 0),
            date(2026, 1, 1).at(11, 59, 59, 0)
        )
    );
    let skill_5 = client()
        .report("skill_5")
        .days(date(2026, 1, 1), date(2026, 1, 3));
    assert_eq!(
        skill_5.planned_windows().unwrap().len(),
        3,
        "skill_5: one day per window"
    );
}

#[test]
fn invalid_requests_are_refused_before_anything_is_sent() {
    let day = date(2026, 8, 12);
    assert!(refusal(&client().report("cdr_1")).starts_with("no date range for report \"cdr_1\""));
    let backwards = client()
        .report("cdr_1")
        .between(day.at(10, 0, 0, 0), day.at(9, 0, 0, 0));
    assert!(refusal(&backwards).starts_with("the range ends before it starts"));
    for name in ["CDR_1", "cdr-1", "", "cdr_1&x=1", "cdr 1"] {
        let message = refusal(&client().report(name).on(day));
        assert!(message.starts_with("report name"), "{name:?}: {message}");
    }
    for reserved in ["api", "date_ini", "date_end"] {
        let message = refusal(&client().report("cdr_1").on(day).param(reserved, "x"));
        assert!(message.contains(&format!("{reserved:?}")), "{message}");
    }
    assert!(refusal(&client().report("cdr_1").on(day).param(" ", "x")).contains("empty name"));
    let too_long = client()
        .report("cdr_1")
        .on(day)
        .max_window(Duration::from_secs(32 * 86_400));
    assert!(refusal(&too_long).contains("31 days"));
    let too_short = client()
        .report("cdr_1")
        .on(day)
        .max_window(Duration::from_millis(500));
    assert!(refusal(&too_short).contains("at least one second"));
}

#[tokio::test]
async fn a_totals_report_over_several_windows_is_refused_by_send() {
    let request = client()
        .report("agent_1")
        .days(date(2026, 1, 1), date(2026, 2, 15));
    assert_eq!(request.planned_windows().unwrap().len(), 2);
    match request.clone().send().await {
        Err(Error::InvalidRequest { message }) => {
            assert!(message.contains("totals the whole range"), "{message}");
            assert!(message.contains(".per_day().windows()"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    // An unknown report is treated the same way.
    let unknown = client()
        .report("chat_99")
        .days(date(2026, 1, 1), date(2026, 2, 15));
    assert!(matches!(
        unknown.send().await,
        Err(Error::InvalidRequest { .. })
    ));
}

#[tokio::test]
async fn an_invalid_window_stream_yields_the_refusal_and_ends() {
    let mut windows = client().report("cdr_1").windows();
    assert!(matches!(
        windows.next().await,
        Some(Err(Error::InvalidRequest { .. }))
    ));
    assert!(windows.next().await.is_none());
}
