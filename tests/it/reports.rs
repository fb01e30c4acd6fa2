//! Historical reports against the simulator: windows, record-limit splits, "no data", errors
//! mid-stream, order with two requests in flight, typed rows.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use jiff::civil::{DateTime, date};
use serde_json::{Value, json};
use wolkvox::mock::{Fault, MockWolkvox};
use wolkvox::reports::{AgentSummary, CallRecord, ReportWindow, SkillInterval};
use wolkvox::{Error, WolkvoxClient};

/// A `cdr_1` row in the live format at `at`.
fn call(conn_id: &str, at: DateTime, seconds: u32) -> Value {
    json!({
        "conn_id": conn_id,
        "date": at.strftime("%Y-%m-%d %H:%M:%S").to_string(),
        "agent_id": "1001", "agent_name": "Laura Gomez", "campaign_id": "",
        "skill_id": "101", "skill_name": "SOPORTE_TECNICO", "type_interaction": "INBOUND",
        "destiny": "6014320000", "telephone": "3005550101", "customer_id": "-",
        "time_seg": seconds.to_string(), "cost": "0,00", "cod_act": "", "description_cod_act": "",
        "cod_act_2": "", "description_cod_act_2": "", "hang_up": "CUSTOMER", "comment": ""
    })
}

/// `n` calls on `day`, one every `step` seconds from 08:00:00.
fn calls_on(day: jiff::civil::Date, n: usize, step: i64) -> Vec<Value> {
    let start = day.at(8, 0, 0, 0);
    (0..n)
        .map(|i| {
            let at = start
                .checked_add(jiff::SignedDuration::from_secs(i as i64 * step))
                .unwrap();
            call(&format!("{day}-{i:05}"), at, 60 + i as u32 % 300)
        })
        .collect()
}

fn client_for(mock: &MockWolkvox) -> WolkvoxClient {
    mock.client_builder().max_retries(0).build().unwrap()
}

#[tokio::test]
async fn a_day_over_the_record_limit_several_times_comes_back_complete() {
    let mock = MockWolkvox::start().await;
    let day = date(2026, 10, 5);
    mock.set_report_rows("cdr_1", calls_on(day, 1_000, 7))
        .unwrap();
    mock.set_record_limit(100); // the service cuts at 100 rows here
    let client = client_for(&mock);
    let request = client.report("cdr_1").on(day).record_limit(100);
    assert_eq!(request.planned_windows().unwrap().len(), 1);

    let calls: Vec<CallRecord> = request.clone().send_as().await.unwrap();
    assert_eq!(calls.len(), 1_000, "no row lost");
    let ids: BTreeSet<&str> = calls.iter().map(|c| c.conn_id.as_str()).collect();
    assert_eq!(ids.len(), 1_000, "no row delivered twice");
    assert!(
        calls.windows(2).all(|w| w[0].date < w[1].date),
        "in time order"
    );
    assert_eq!(calls[0].conn_id, "2026-10-05-00000");
    assert_eq!(calls[999].duration, Duration::from_secs(60 + 999 % 300));

    // Window by window: every delivered window is below the limit, and together they cover
    // the day exactly, with no gap and no overlap.
    let mut windows = request.windows();
    let mut delivered: Vec<ReportWindow<Value>> = Vec::new();
    while let Some(window) = windows.next().await {
        delivered.push(window.unwrap());
    }
    assert!(delivered.len() >= 10, "{} windows", delivered.len());
    assert!(delivered.iter().all(|w| w.rows.len() < 100));
    assert_eq!(delivered.iter().map(|w| w.rows.len()).sum::<usize>(), 1_000);
    assert_eq!(delivered[0].from, day.at(0, 0, 0, 0));
    assert_eq!(delivered.last().unwrap().to, day.at(23, 59, 59, 0));
    for pair in delivered.windows(2) {
        assert_eq!(
            pair[0]
                .to
                .checked_add(jiff::SignedDuration::from_secs(1))
                .unwrap(),
            pair[1].from
        );
    }
}

#[tokio::test]
async fn a_one_second_window_at_the_limit_is_too_many_records() {
    let mock = MockWolkvox::start().await;
    let at = date(2026, 10, 5).at(9, 30, 0, 0);
    let rows: Vec<Value> = (0..150)
        .map(|i| call(&format!("same-{i}"), at, 30))
        .collect();
    mock.set_report_rows("cdr_1", rows).unwrap();
    mock.set_record_limit(100);
    let client = client_for(&mock);
    let err = client
        .report("cdr_1")
        .on(date(2026, 10, 5))
        .record_limit(100)
        .send()
        .await
        .unwrap_err();
    match &err {
        Error::TooManyRecords {
            report,
            from,
            to,
            limit,
            ..
        } => {
            assert_eq!(report, "cdr_1");
            assert_eq!((*from, *to), (at, at));
            assert_eq!(*limit, 100);
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("one second long"), "{err}");
    assert_eq!(err.kind(), "too_many_records");
}

#[tokio::test]
async fn no_data_is_a_window_without_rows() {
    let mock = MockWolkvox::start().await;
    let mut rows = calls_on(date(2026, 10, 1), 3, 60);
    rows.extend(calls_on(date(2026, 10, 3), 2, 60));
    mock.set_report_rows("cdr_1", rows).unwrap();
    let client = client_for(&mock);
    let mut days = client
        .report("cdr_1")
        .days(date(2026, 10, 1), date(2026, 10, 3))
        .per_day()
        .windows_as::<CallRecord>();
    let mut counts = Vec::new();
    while let Some(day) = days.next().await {
        let day = day.unwrap();
        counts.push((day.from.date(), day.rows.len()));
    }
    assert_eq!(
        counts,
        [
            (date(2026, 10, 1), 3),
            (date(2026, 10, 2), 0),
            (date(2026, 10, 3), 2)
        ]
    );
    assert_eq!(mock.request_count(), 3);
}

#[tokio::test]
async fn an_error_ends_the_stream_after_the_windows_before_it() {
    let mock = MockWolkvox::start_demo().await;
    let client = client_for(&mock);
    let mut days = client
        .report("skill_3")
        .days(date(2026, 10, 1), date(2026, 10, 4))
        .per_day()
        .windows_as::<SkillInterval>();
    let first = days.next().await.unwrap().unwrap();
    assert_eq!(first.to, date(2026, 10, 1).at(23, 59, 59, 0));
    assert!(!first.rows.is_empty());
    mock.fail_next(Fault::QuotaExceeded, 1);
    let err = days.next().await.unwrap().unwrap_err();
    assert!(matches!(err, Error::QuotaExceeded { .. }), "{err:?}");
    assert!(
        days.next().await.is_none(),
        "the stream ends after the error"
    );
    assert_eq!(mock.request_count(), 2, "nothing more was requested");
    // An export resumes one second after the last delivered `to`.
    let resumed = client
        .report("skill_3")
        .between(
            first
                .to
                .checked_add(jiff::SignedDuration::from_secs(1))
                .unwrap(),
            date(2026, 10, 4).at(23, 59, 59, 0),
        )
        .per_day()
        .planned_windows()
        .unwrap();
    assert_eq!(resumed.len(), 3);
    assert_eq!(resumed[0].0, date(2026, 10, 2).at(0, 0, 0, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_in_flight_still_deliver_in_time_order() {
    let mock = MockWolkvox::start_demo().await;
    let client = mock
        .client_builder()
        .max_retries(0)
        .max_concurrent_requests(2)
        .build()
        .unwrap();
    // The first window is slow, the second fast: the second answer arrives first.
    mock.fail_next(Fault::Delay(Duration::from_millis(400)), 1);
    mock.fail_next(Fault::Delay(Duration::from_millis(20)), 1);
    let started = Instant::now();
    let mut days = client
        .report("skill_3")
        .days(date(2026, 10, 1), date(2026, 10, 4))
        .per_day()
        .windows();
    let mut order = Vec::new();
    while let Some(day) = days.next().await {
        order.push(day.unwrap().from.date());
    }
    assert_eq!(
        order,
        [
            date(2026, 10, 1),
            date(2026, 10, 2),
            date(2026, 10, 3),
            date(2026, 10, 4)
        ]
    );
    // With one at a time this takes at least 420 ms before the third window even starts;
    // with two, the fast windows run beside the slow one.
    assert!(
        started.elapsed() < Duration::from_millis(1_500),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(mock.request_count(), 4);
}

#[tokio::test]
async fn typed_rows_drop_the_total_row_and_json_rows_keep_it() {
    let mock = MockWolkvox::start_demo().await;
    let client = client_for(&mock);
    let day = date(2026, 10, 6);
    let raw = client.report("agent_1").on(day).await.unwrap();
    let agents: Vec<AgentSummary> = client.report("agent_1").on(day).send_as().await.unwrap();
    assert_eq!(raw.len(), agents.len() + 1);
    assert_eq!(raw.last().unwrap()["agent_id"], "TOTAL");
    assert!(agents.iter().all(|a| a.agent_id >= 1001));
    let laura = agents.iter().find(|a| a.agent_id == 1001).unwrap();
    assert_eq!(laura.agent_name, "Laura Gomez");
    assert!(laura.calls > 0);
    assert!(laura.login.is_some());
}

#[tokio::test]
async fn a_totals_report_is_read_day_by_day() {
    let mock = MockWolkvox::start_demo().await;
    let client = client_for(&mock);
    // 45 days need two windows, whose totals cannot be added up: refused before sending.
    let quarter = client
        .report("agent_1")
        .days(date(2026, 9, 1), date(2026, 10, 15));
    assert!(matches!(
        quarter.send().await,
        Err(Error::InvalidRequest { .. })
    ));
    assert_eq!(mock.request_count(), 0, "refused before sending");
    // Three days fit one window: one answer of totals over the three days.
    let three_days = client
        .report("agent_1")
        .days(date(2026, 10, 1), date(2026, 10, 3));
    let totals: Vec<AgentSummary> = three_days.clone().send_as().await.unwrap();
    assert_eq!(totals.len(), 10);
    // Or one answer per day.
    let mut days = three_days.per_day().windows_as::<AgentSummary>();
    let mut seen = 0;
    while let Some(day) = days.next().await {
        let day = day.unwrap();
        assert_eq!(day.from.date(), day.to.date());
        assert_eq!(day.rows.len(), 10, "one row per demo agent, TOTAL dropped");
        let laura = day.rows.iter().find(|a| a.agent_id == 1001).unwrap();
        let laura_total = totals.iter().find(|a| a.agent_id == 1001).unwrap();
        assert!(
            laura.calls < laura_total.calls,
            "a day is less than the three days"
        );
        seen += 1;
    }
    assert_eq!(seen, 3);
}

#[tokio::test]
async fn the_demo_month_crosses_the_record_limit_and_comes_back_whole() {
    let mock = MockWolkvox::start_demo().await;
    let client = client_for(&mock);
    let (first, last) = (date(2026, 10, 1), date(2026, 10, 31));
    let month: Vec<CallRecord> = client
        .report("cdr_1")
        .days(first, last)
        .send_as()
        .await
        .unwrap();
    assert!(month.len() > 60_000, "{} calls", month.len());
    let ids: BTreeSet<&str> = month.iter().map(|c| c.conn_id.as_str()).collect();
    assert_eq!(ids.len(), month.len(), "no duplicate conn_id");
    assert!(month.windows(2).all(|w| w[0].date <= w[1].date));
    assert!(month.first().unwrap().date >= first.at(0, 0, 0, 0));
    assert!(month.last().unwrap().date <= last.at(23, 59, 59, 0));
    // The first 31-day request was cut at 60,000 rows and requested again in halves.
    assert!(
        mock.request_count() >= 3,
        "{} requests",
        mock.request_count()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_first_window_does_not_let_later_windows_pile_up() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, Request, ResponseTemplate};
    // The first day is slow; every other day answers at once.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(wolkvox::endpoint::REPORTS_PATH))
        .respond_with(|request: &Request| {
            let date_ini = request
                .url
                .query_pairs()
                .find(|(k, _)| k == "date_ini")
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default();
            let body = json!({"code": 200, "data": [{"day": &date_ini[..8]}]});
            let answer = ResponseTemplate::new(200).set_body_json(body);
            if date_ini.starts_with("20261001") {
                answer.set_delay(Duration::from_millis(600))
            } else {
                answer
            }
        })
        .mount(&server)
        .await;
    let client = crate::common::builder(&server)
        .max_concurrent_requests(2)
        .build()
        .unwrap();
    let mut days = client
        .report("skill_3")
        .days(date(2026, 10, 1), date(2026, 10, 5))
        .per_day()
        .windows();
    // While the first day is slow, the second is answered and waits; nothing more is started
    // (two windows at most are started and not yet delivered).
    assert!(
        tokio::time::timeout(Duration::from_millis(300), days.next())
            .await
            .is_err()
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    // Giving up on next() lost nothing: the five days come in order.
    let mut order = Vec::new();
    while let Some(day) = days.next().await {
        let day = day.unwrap();
        assert_eq!(day.rows[0]["day"], day.from.strftime("%Y%m%d").to_string());
        order.push(day.from.date().day());
    }
    assert_eq!(order, [1, 2, 3, 4, 5]);
    assert_eq!(server.received_requests().await.unwrap().len(), 5);
}

#[tokio::test]
async fn the_demo_serves_every_report_a_loader_loads_and_refuses_the_others() {
    let mock = MockWolkvox::start_demo().await;
    let client = client_for(&mock);
    let day = date(2026, 8, 18);
    for api in [
        "agent_3",
        "agent_6",
        "agent_7",
        "agent_8",
        "agent_8_1",
        "skill_1",
        "skill_2",
        "skill_5",
        "skill_8",
        "skill_9",
        "skill_10",
        "cdr_5",
        "campaign_1",
        "campaign_3",
        "diagram_1",
        "chat_1",
        "chat_16",
    ] {
        let rows = client.report(api).on(day).send().await.unwrap();
        assert!(!rows.is_empty(), "{api}");
    }
    // A Python integration's calls: agent_8 for a day, cdr_5 in 6-hour blocks.
    let blocks = client
        .report("cdr_5")
        .on(day)
        .max_window(Duration::from_secs(6 * 3600))
        .send()
        .await
        .unwrap();
    assert_eq!(
        blocks.len(),
        client.report("cdr_1").on(day).send().await.unwrap().len()
    );
    let agent = client.report("agent_2").on(day).param("agent_id", "1001");
    assert!(!agent.send().await.unwrap().is_empty());
    for refused in [
        client.report("agent_2").on(day),
        client.report("agent_99").on(day),
    ] {
        assert!(matches!(
            refused.send().await,
            Err(Error::Api { status: 400, .. })
        ));
    }
}
