//! `wolkvox::mock::MockWolkvox` answers like the live service.

use std::collections::BTreeSet;
use std::time::Duration;

use serde_json::{Value, json};
use wolkvox::endpoint::{INFORMATION_PATH, REALTIME_PATH, REPORTS_PATH};
use wolkvox::mock::{Fault, InvalidRow, MOCK_TOKEN, MockWolkvox, demo_skills};
use wolkvox::{Error, WolkvoxClient};

/// GET `{path}?{query}` with the mock's token: the status and the JSON body.
async fn get(mock: &MockWolkvox, path: &str, query: &str) -> (u16, Value) {
    let response = reqwest::Client::new()
        .get(format!("{}{path}?{query}", mock.uri()))
        .header("wolkvox-token", mock.token())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    (status, body)
}

/// The rows of a success body.
fn data(body: &Value) -> &Vec<Value> {
    body["data"].as_array().unwrap()
}

/// One string field of every row.
fn column<'a>(body: &'a Value, field: &str) -> Vec<&'a str> {
    data(body)
        .iter()
        .map(|row| row[field].as_str().unwrap())
        .collect()
}

/// The sum of a count column.
fn total(body: &Value, field: &str) -> u64 {
    column(body, field)
        .iter()
        .map(|v| v.parse::<u64>().unwrap())
        .sum()
}

fn error_body(code: u16, error: &str, msg: &str) -> Value {
    json!({"code": code, "error": error, "msg": msg})
}

fn no_data() -> Value {
    error_body(404, "NOT FOUND", "Validate dates entered")
}

fn bad_request(msg: &str) -> Value {
    error_body(400, "BAD REQUEST", msg)
}

#[tokio::test]
async fn serves_skills_in_the_live_format() {
    let mock = MockWolkvox::start_demo().await;
    let client = mock.client().unwrap();
    let all = client.skills().await.unwrap();
    assert_eq!(all, demo_skills());
    assert_eq!(all.len(), 12);
    let one = client.skill(103).await.unwrap();
    assert_eq!(one.skill_name, "SERVICIO_AL_CLIENTE");
    assert_eq!(one.stat_answer + one.stat_abandon, one.stat_inbound);
    assert_eq!(one.by_abandon, 12.61);
    assert!(matches!(
        client.skill(999).await,
        Err(Error::NotFound { status: 404, .. })
    ));
}

#[tokio::test]
async fn service_time_adds_the_extra_column() {
    let mock = MockWolkvox::start_demo().await;
    let client = mock.client().unwrap();
    let skill = client.skill(101).service_time(45).await.unwrap();
    assert_eq!(skill.service_level(45), Some(86.41));
    assert_eq!(skill.extra_service_levels.len(), 1);
    let skill = client.skill(101).service_time(20).await.unwrap();
    assert!(skill.extra_service_levels.is_empty());
}

#[tokio::test]
async fn checks_the_token() {
    let mock = MockWolkvox::start_with_token("custom").await;
    assert_eq!(mock.token(), "custom");
    let wrong = WolkvoxClient::builder()
        .base_url(&mock.uri())
        .token(MOCK_TOKEN)
        .build()
        .unwrap();
    assert!(matches!(
        wrong.skills().await,
        Err(Error::Unauthorized { status: 403, .. })
    ));
    let response = reqwest::get(format!(
        "{}{REALTIME_PATH}?api=skills&skill_id=all",
        mock.uri()
    ))
    .await
    .unwrap();
    assert_eq!(response.status(), 401);
    let body: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(body["msg"], "PLEASE ENTER THE WOLKVOX-TOKEN");
}

#[tokio::test]
async fn faults_switch_on_and_off() {
    let mock = MockWolkvox::start_demo().await;
    let client = mock.client_builder().max_retries(0).build().unwrap();
    mock.set_fault(Some(Fault::Maintenance));
    assert!(matches!(
        client.skills().await,
        Err(Error::Api { status: 503, .. })
    ));
    mock.set_fault(Some(Fault::ConcurrencyLimited));
    assert!(matches!(
        client.skills().await,
        Err(Error::ConcurrencyLimited { .. })
    ));
    mock.set_fault(Some(Fault::Unauthorized));
    assert!(matches!(
        client.skills().await,
        Err(Error::Unauthorized { status: 403, .. })
    ));
    mock.set_fault(None);
    mock.fail_next(Fault::QuotaExceeded, 1);
    assert!(matches!(
        client.skills().await,
        Err(Error::QuotaExceeded { .. })
    ));
    assert_eq!(client.skills().await.unwrap().len(), 12);
    mock.set_fault(Some(Fault::Delay(Duration::from_millis(300))));
    let slow = mock
        .client_builder()
        .timeout(Duration::from_millis(50))
        .max_retries(0)
        .build()
        .unwrap();
    assert!(matches!(slow.skills().await, Err(Error::Timeout { .. })));
    assert_eq!(mock.request_count(), 6);
}

#[tokio::test]
async fn faults_apply_to_every_endpoint() {
    let mock = MockWolkvox::start_demo().await;
    mock.fail_next(Fault::ConcurrencyLimited, 2);
    let refused = error_body(
        403,
        "FORBIDDEN",
        "EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)",
    );
    let day = "date_ini=20260812000000&date_end=20260812235959";
    assert_eq!(
        get(&mock, REPORTS_PATH, &format!("api=cdr_1&{day}")).await,
        (403, refused.clone())
    );
    assert_eq!(
        get(&mock, INFORMATION_PATH, "api=skills").await,
        (403, refused)
    );
    assert_eq!(get(&mock, INFORMATION_PATH, "api=skills").await.0, 200);
    assert_eq!(mock.request_count(), 3);
}

#[tokio::test]
async fn unknown_api_and_missing_parameter_are_400() {
    let mock = MockWolkvox::start().await;
    assert_eq!(
        get(&mock, REALTIME_PATH, "api=nope").await,
        (
            400,
            bad_request("THE API YOU WANT TO CONSULT DOES NOT EXIST")
        )
    );
    assert_eq!(
        get(&mock, REALTIME_PATH, "api=skills").await,
        (400, bad_request("SOME PARAMETERS ARE REQUIRED"))
    );
}

#[tokio::test]
async fn retries_recover_from_one_maintenance_answer() {
    let mock = MockWolkvox::start_demo().await;
    mock.fail_next(Fault::Maintenance, 1);
    assert_eq!(mock.client().unwrap().skills().await.unwrap().len(), 12);
    assert_eq!(mock.request_count(), 2);
}

#[tokio::test]
async fn starts_on_a_listener_given() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let mock = MockWolkvox::start_on(listener).await;
    assert_eq!(mock.uri(), format!("http://{address}"));
    assert_eq!(mock.token(), MOCK_TOKEN);
    let client = mock.client().unwrap();
    assert_eq!(client.skills().await.unwrap(), vec![]);
    mock.load_demo();
    assert_eq!(client.skills().await.unwrap().len(), 12);
    assert_eq!(client.agents().await.unwrap().len(), 10);
    assert_eq!(mock.request_count(), 3);
}

// ---- historical reports: rows given by the test ----

/// cdr-like rows around 2026-08-12, and one per-day row.
fn rows_around_one_day() -> Vec<Value> {
    vec![
        json!({"conn_id": "1", "date": "2026-08-11 23:59:59", "skill_id": "101", "agent_id": "7"}),
        json!({"conn_id": "2", "date": "2026-08-12 00:00:00", "skill_id": "101", "agent_id": "7"}),
        json!({"conn_id": "3", "date": "2026-08-12 12:00:00", "skill_id": "102", "agent_id": "8"}),
        json!({"conn_id": "4", "date": "2026-08-12", "skill_id": "102"}),
        json!({"conn_id": "5", "date": "2026-08-12 23:59:59", "skill_id": "", "agent_id": ""}),
        json!({"conn_id": "6", "date": "2026-08-13 00:00:00", "skill_id": "101", "agent_id": "7"}),
    ]
}

#[tokio::test]
async fn report_rows_are_filtered_by_the_inclusive_range() {
    let mock = MockWolkvox::start().await;
    mock.set_report_rows("cdr_1", rows_around_one_day())
        .unwrap();
    let (status, body) = get(
        &mock,
        REPORTS_PATH,
        "api=cdr_1&date_ini=20260812000000&date_end=20260812235959",
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["code"], 200);
    assert_eq!(body["msg"], "4 records were found");
    assert_eq!(column(&body, "conn_id"), ["2", "3", "4", "5"]);
    // One second: the instant at its start, and the per-day row of the day it touches.
    let (_, body) = get(
        &mock,
        REPORTS_PATH,
        "api=cdr_1&date_ini=20260812120000&date_end=20260812120000",
    )
    .await;
    assert_eq!(column(&body, "conn_id"), ["3", "4"]);
    let (_, body) = get(
        &mock,
        REPORTS_PATH,
        "api=cdr_1&date_ini=20260811235959&date_end=20260813000000",
    )
    .await;
    assert_eq!(column(&body, "conn_id"), ["1", "2", "3", "4", "5", "6"]);
}

#[tokio::test]
async fn report_rows_are_filtered_by_skill_and_agent() {
    let mock = MockWolkvox::start().await;
    mock.set_report_rows("cdr_1", rows_around_one_day())
        .unwrap();
    let day = "api=cdr_1&date_ini=20260812000000&date_end=20260812235959";
    let ids = |body: Value| -> Vec<String> {
        column(&body, "conn_id")
            .into_iter()
            .map(str::to_owned)
            .collect()
    };
    let (_, body) = get(&mock, REPORTS_PATH, &format!("{day}&skill_id=101")).await;
    assert_eq!(ids(body), ["2"]);
    let (_, body) = get(&mock, REPORTS_PATH, &format!("{day}&skill_id=all")).await;
    assert_eq!(ids(body), ["2", "3", "4", "5"]);
    // Row 4 has no agent_id field: the parameter does not apply to it.
    let (_, body) = get(&mock, REPORTS_PATH, &format!("{day}&agent_id=8")).await;
    assert_eq!(ids(body), ["3", "4"]);
    let (_, body) = get(
        &mock,
        REPORTS_PATH,
        &format!("{day}&skill_id=102&agent_id=8"),
    )
    .await;
    assert_eq!(ids(body), ["3", "4"]);
    assert_eq!(
        get(&mock, REPORTS_PATH, &format!("{day}&skill_id=999")).await,
        (404, no_data())
    );
}

#[tokio::test]
async fn more_rows_than_the_record_limit_are_cut_silently() {
    let mock = MockWolkvox::start().await;
    let rows = (0..10)
        .map(|i| json!({"n": i.to_string(), "date": format!("2026-08-12 10:00:{i:02}")}))
        .collect();
    mock.set_report_rows("agent_2", rows).unwrap();
    mock.set_record_limit(3);
    let (status, body) = get(
        &mock,
        REPORTS_PATH,
        "api=agent_2&date_ini=20260812000000&date_end=20260812235959",
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["msg"], "3 records were found");
    assert_eq!(column(&body, "n"), ["0", "1", "2"]);
    // The cut applies after filtering: the three first rows in the range.
    let (_, body) = get(
        &mock,
        REPORTS_PATH,
        "api=agent_2&date_ini=20260812100005&date_end=20260812235959",
    )
    .await;
    assert_eq!(column(&body, "n"), ["5", "6", "7"]);
}

#[tokio::test]
async fn an_empty_window_is_404() {
    let mock = MockWolkvox::start().await;
    mock.set_report_rows("cdr_1", rows_around_one_day())
        .unwrap();
    mock.set_report_rows("cdr_2", vec![]).unwrap();
    for query in [
        "api=cdr_1&date_ini=20260901000000&date_end=20260901235959",
        "api=cdr_2&date_ini=20260812000000&date_end=20260812235959",
        // The end before the start matches nothing.
        "api=cdr_1&date_ini=20260812235959&date_end=20260812000000",
    ] {
        assert_eq!(
            get(&mock, REPORTS_PATH, query).await,
            (404, no_data()),
            "{query}"
        );
    }
    let client = mock.client_builder().max_retries(0).build().unwrap();
    let answer = client.realtime("cdr_1").send().await;
    assert!(
        matches!(answer, Err(Error::Api { status: 400, .. })),
        "{answer:?}"
    );
}

#[tokio::test]
async fn dates_are_required_and_checked() {
    let mock = MockWolkvox::start().await;
    mock.set_report_rows("cdr_1", rows_around_one_day())
        .unwrap();
    let required = (400, bad_request("SOME PARAMETERS ARE REQUIRED"));
    for query in [
        "api=cdr_1",
        "api=cdr_1&date_ini=20260812000000",
        "api=cdr_1&date_end=20260812235959",
        "api=cdr_1&date_ini=2026-08-12&date_end=20260812235959",
        "api=cdr_1&date_ini=20260812000000&date_end=20260832235959",
        "api=cdr_1&date_ini=20260812000000&date_end=",
    ] {
        assert_eq!(get(&mock, REPORTS_PATH, query).await, required, "{query}");
    }
}

#[tokio::test]
async fn a_range_over_31_days_is_refused() {
    let mock = MockWolkvox::start().await;
    mock.set_report_rows("cdr_1", rows_around_one_day())
        .unwrap();
    mock.set_report_rows(
        "skill_5",
        vec![json!({"date": "2026-08-12", "skill_id": "101"})],
    )
    .unwrap();
    let too_long = (400, bad_request("THE DATE RANGE CANNOT EXCEED 31 DAYS"));
    // 2026-08-01 to 2026-09-01: 32 calendar days.
    assert_eq!(
        get(
            &mock,
            REPORTS_PATH,
            "api=cdr_1&date_ini=20260801000000&date_end=20260901000000"
        )
        .await,
        too_long
    );
    // A whole 31-day month is fine.
    let (status, body) = get(
        &mock,
        REPORTS_PATH,
        "api=cdr_1&date_ini=20260801000000&date_end=20260831235959",
    )
    .await;
    assert_eq!((status, column(&body, "conn_id").len()), (200, 6));
    assert_eq!(
        get(
            &mock,
            REPORTS_PATH,
            "api=skill_5&date_ini=20260812000000&date_end=20260813000000"
        )
        .await,
        (400, bad_request("THE DATE RANGE CANNOT EXCEED 1 DAY"))
    );
    let (status, _) = get(
        &mock,
        REPORTS_PATH,
        "api=skill_5&date_ini=20260812000000&date_end=20260812235959",
    )
    .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn an_unknown_report_is_400() {
    let mock = MockWolkvox::start().await;
    let unknown = (
        400,
        bad_request("THE API YOU WANT TO CONSULT DOES NOT EXIST"),
    );
    let day = "date_ini=20260812000000&date_end=20260812235959";
    // Without the demo, no report is known until rows are given.
    assert_eq!(
        get(&mock, REPORTS_PATH, &format!("api=cdr_1&{day}")).await,
        unknown
    );
    mock.load_demo();
    assert_eq!(
        get(&mock, REPORTS_PATH, &format!("api=cdr_99&{day}")).await,
        unknown
    );
    assert_eq!(get(&mock, REPORTS_PATH, day).await, unknown);
}

#[tokio::test]
async fn rows_without_a_readable_date_are_rejected() {
    let mock = MockWolkvox::start().await;
    let error = mock
        .set_report_rows(
            "cdr_1",
            vec![
                json!({"date": "2026-08-12 10:00:00"}),
                json!({"when": "today"}),
            ],
        )
        .unwrap_err();
    assert_eq!(
        (error.report.as_str(), error.index, error.found.as_str()),
        ("cdr_1", 1, "no date field")
    );
    let error: InvalidRow = mock
        .set_report_rows("cdr_1", vec![json!({"date": 20260812})])
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "row 0 of report \"cdr_1\" has no readable `date` (expected \"YYYY-MM-DD HH:MM:SS\" or \"YYYY-MM-DD\"): found 20260812"
    );
    // Nothing was stored: the report is still unknown.
    let (status, _) = get(
        &mock,
        REPORTS_PATH,
        "api=cdr_1&date_ini=20260812000000&date_end=20260812235959",
    )
    .await;
    assert_eq!(status, 400);
}

// ---- historical reports: the demo history ----

#[tokio::test]
async fn demo_history_of_31_days_meets_the_60000_record_cut() {
    // Read into a lean type: 60,000 rows as `serde_json::Value` are slow in a debug build.
    #[derive(serde::Deserialize)]
    struct Body {
        code: u16,
        msg: String,
        data: Vec<Call>,
    }
    #[derive(serde::Deserialize)]
    struct Call {
        conn_id: String,
        date: String,
    }
    let mock = MockWolkvox::start_demo().await;
    let response = reqwest::Client::new()
        .get(format!(
            "{}{REPORTS_PATH}?api=cdr_1&date_ini=20260701000000&date_end=20260731235959",
            mock.uri()
        ))
        .header("wolkvox-token", MOCK_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Body = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(
        (body.code, body.msg.as_str()),
        (200, "60000 records were found")
    );
    let calls = body.data;
    assert_eq!(calls.len(), 60_000);
    let ids: BTreeSet<&str> = calls.iter().map(|c| c.conn_id.as_str()).collect();
    assert_eq!(ids.len(), 60_000, "conn_id unique");
    assert!(calls[0].date.starts_with("2026-07-01 "));
    assert!(calls.windows(2).all(|w| w[0].date <= w[1].date));
    assert!(
        calls[59_999].date.as_str() < "2026-07-31 12:00:00",
        "the last rows are cut: {}",
        calls[59_999].date
    );
}

#[tokio::test]
async fn demo_reports_agree_with_each_other() {
    let mock = MockWolkvox::start_demo().await;
    let day = "date_ini=20260812000000&date_end=20260812235959";
    let (_, cdr) = get(&mock, REPORTS_PATH, &format!("api=cdr_1&{day}")).await;
    let calls = data(&cdr);
    assert!((1_950..=2_050).contains(&calls.len()), "{}", calls.len());
    let inbound = calls
        .iter()
        .filter(|c| c["type_interaction"] == "INBOUND")
        .count() as u64;
    let handled = calls.iter().filter(|c| c["agent_id"] != "").count() as u64;
    let abandoned = calls
        .iter()
        .filter(|c| c["type_interaction"] == "INBOUND" && c["agent_id"] == "")
        .count() as u64;
    let first = &calls[0];
    assert_eq!(
        first["conn_id"].as_str().unwrap().len(),
        "20260812000000.0001".len()
    );
    assert!(first["conn_id"].as_str().unwrap().ends_with(".0001"));
    for api in ["skill_3", "skill_4", "skill_4_1", "skill_4_2", "skill_7"] {
        let (status, body) = get(&mock, REPORTS_PATH, &format!("api={api}&{day}")).await;
        assert_eq!(status, 200, "{api}");
        assert_eq!(total(&body, "inbound_calls"), inbound, "{api}");
        assert_eq!(total(&body, "abandon_calls"), abandoned, "{api}");
        assert_eq!(total(&body, "answer_calls") + abandoned, inbound, "{api}");
    }
    let (_, per_day) = get(&mock, REPORTS_PATH, &format!("api=skill_3&{day}")).await;
    assert_eq!(column(&per_day, "date"), ["2026-08-12"; 12]);
    let (_, hourly) = get(&mock, REPORTS_PATH, &format!("api=skill_4&{day}")).await;
    assert!(column(&hourly, "hour").contains(&"10"));
    let (_, half_hours) = get(&mock, REPORTS_PATH, &format!("api=skill_4_1&{day}")).await;
    assert!(column(&half_hours, "hour").contains(&"10:30"));
    let (_, agents) = get(&mock, REPORTS_PATH, &format!("api=agent_1&{day}")).await;
    let rows = data(&agents);
    assert_eq!(rows.len(), 11);
    let total_row = &rows[10];
    assert_eq!(
        (&total_row["agent_id"], &total_row["agent_name"]),
        (&json!("TOTAL"), &json!("TOTAL"))
    );
    assert_eq!(total_row["calls"], handled.to_string());
    assert_eq!(
        rows[..10]
            .iter()
            .map(|r| r["calls"].as_str().unwrap().parse::<u64>().unwrap())
            .sum::<u64>(),
        handled
    );
    let expected_fields = json!({
        "agent_id": "", "agent_dni": "", "agent_name": "", "calls": "", "inbound": "",
        "outbound": "", "internal": "", "ready_time": "", "inbound_time": "", "outbound_time": "",
        "acw_time": "", "ring_time": "", "login_time": "", "aht": "", "aux_time": "",
        "aht_inbound": "", "aht_outbund": "", "occupancy": "", "hits": "", "rpc": "",
        "login": "", "logout": ""
    });
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&rows[0]), keys(&expected_fields));
    assert!(
        rows.iter()
            .all(|r| r.as_object().unwrap().values().all(Value::is_string))
    );
    assert!(rows[0]["occupancy"].as_str().unwrap().ends_with(" %"));
    assert!(
        rows[0]["login"]
            .as_str()
            .unwrap()
            .starts_with("2026-08-12 0")
    );
}

#[tokio::test]
async fn demo_history_is_the_same_in_every_run_and_filters_apply() {
    let (one, two) = (
        MockWolkvox::start_demo().await,
        MockWolkvox::start_demo().await,
    );
    let query = "api=skill_3&date_ini=20240229000000&date_end=20240302235959&skill_id=101";
    let (status, body) = get(&one, REPORTS_PATH, query).await;
    assert_eq!(status, 200);
    assert_eq!(get(&two, REPORTS_PATH, query).await, (200, body.clone()));
    assert_eq!(
        column(&body, "date"),
        ["2024-02-29", "2024-03-01", "2024-03-02"]
    );
    assert_eq!(column(&body, "skill_id"), ["101"; 3]);
    let (_, calls) = get(
        &one,
        REPORTS_PATH,
        "api=cdr_1&date_ini=20260812090000&date_end=20260812095959&agent_id=1001",
    )
    .await;
    assert!(!data(&calls).is_empty());
    assert!(
        column(&calls, "agent_name")
            .iter()
            .all(|n| *n == "Laura Gomez")
    );
    assert!(
        column(&calls, "date")
            .iter()
            .all(|d| d.starts_with("2026-08-12 09:"))
    );
    let (_, agent) = get(
        &one,
        REPORTS_PATH,
        "api=agent_1&date_ini=20260812000000&date_end=20260812235959&agent_id=1001",
    )
    .await;
    assert_eq!(column(&agent, "agent_id"), ["1001", "TOTAL"]);
    // Nobody is logged in at 03:00: no agent_1 rows.
    assert_eq!(
        get(
            &one,
            REPORTS_PATH,
            "api=agent_1&date_ini=20260812030000&date_end=20260812033000"
        )
        .await,
        (404, no_data())
    );
    // Rows given by the test replace the demo's for that report only.
    one.set_report_rows("cdr_1", vec![]).unwrap();
    let day = "date_ini=20260812000000&date_end=20260812235959";
    assert_eq!(
        get(&one, REPORTS_PATH, &format!("api=cdr_1&{day}")).await.0,
        404
    );
    assert_eq!(
        get(&one, REPORTS_PATH, &format!("api=skill_3&{day}"))
            .await
            .0,
        200
    );
}

// ---- catalogues and the token ----

#[tokio::test]
async fn demo_catalogues() {
    let mock = MockWolkvox::start_demo().await;
    let (status, agents) = get(&mock, INFORMATION_PATH, "api=agents").await;
    assert_eq!(status, 200);
    assert_eq!(agents["msg"], "11 records were found");
    let first = &data(&agents)[0];
    let keys: BTreeSet<&str> = first
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        BTreeSet::from([
            "agent_id",
            "agent_name",
            "agent_dni",
            "agent_status",
            "last_use",
            "agent_sso"
        ])
    );
    assert_eq!(
        (
            &first["agent_id"],
            &first["agent_name"],
            &first["agent_dni"],
            &first["agent_status"],
            &first["agent_sso"]
        ),
        (
            &json!("1001"),
            &json!("Laura Gomez"),
            &json!("79123456"),
            &json!("Active"),
            &json!("no")
        )
    );
    assert_eq!(
        first["last_use"].as_str().unwrap().len(),
        "2026-08-12 14:08:11".len()
    );
    let inactive = &data(&agents)[10];
    assert_eq!(
        (&inactive["agent_status"], &inactive["last_use"]),
        (&json!("Inactive"), &json!(""))
    );

    let (_, skills) = get(&mock, INFORMATION_PATH, "api=skills").await;
    assert_eq!(column(&skills, "skill_id").len(), 12);
    assert_eq!(data(&skills)[0]["skill_description"], "Soporte tecnico");
    let (_, codes) = get(&mock, INFORMATION_PATH, "api=activity_codes").await;
    assert_eq!(
        column(&codes, "hit"),
        ["yes", "no", "no", "yes", "yes", "no"]
    );
    assert_eq!(column(&codes, "voice"), ["yes"; 6]);
    let (_, campaigns) = get(&mock, INFORMATION_PATH, "api=campaigns").await;
    assert_eq!(column(&campaigns, "campaign_id"), ["7", "8"]);

    assert_eq!(
        get(&mock, INFORMATION_PATH, "api=agents_in_skill").await,
        (400, bad_request("SOME PARAMETERS ARE REQUIRED"))
    );
    let (_, members) = get(&mock, INFORMATION_PATH, "api=agents_in_skill&skill_id=201").await;
    assert_eq!(
        column(&members, "agent_id"),
        ["1002", "1004", "1006", "1009", "1010"]
    );
    assert_eq!(
        get(&mock, INFORMATION_PATH, "api=agents_in_skill&skill_id=999").await,
        (404, no_data())
    );

    assert_eq!(
        get(&mock, INFORMATION_PATH, "api=audit_log").await,
        (400, bad_request("SOME PARAMETERS ARE REQUIRED"))
    );
    let (_, log) = get(
        &mock,
        INFORMATION_PATH,
        "api=audit_log&date_ini=20260812000000&date_end=20260812235959",
    )
    .await;
    let actions = column(&log, "action");
    assert_eq!(actions.len(), 20);
    assert_eq!(actions.iter().filter(|a| **a == "LOGIN").count(), 10);
    assert_eq!(data(&log)[0]["user"], "lgomez");
    assert_eq!(
        get(&mock, INFORMATION_PATH, "api=nope").await,
        (
            400,
            bad_request("THE API YOU WANT TO CONSULT DOES NOT EXIST")
        )
    );

    mock.set_information("campaigns", vec![json!({"campaign_id": "9"})]);
    let (_, campaigns) = get(&mock, INFORMATION_PATH, "api=campaigns").await;
    assert_eq!(column(&campaigns, "campaign_id"), ["9"]);
    mock.set_information("skills", vec![]);
    assert_eq!(
        get(&mock, INFORMATION_PATH, "api=skills").await,
        (404, no_data())
    );
}

#[tokio::test]
async fn catalogues_without_the_demo_are_empty() {
    let mock = MockWolkvox::start().await;
    assert_eq!(
        get(&mock, INFORMATION_PATH, "api=agents").await,
        (404, no_data())
    );
    assert_eq!(
        get(
            &mock,
            INFORMATION_PATH,
            "api=audit_log&date_ini=20260812000000&date_end=20260812235959"
        )
        .await,
        (404, no_data())
    );
}

/// `token_use_today` and `token_limit` of `token_info`.
async fn token_info(mock: &MockWolkvox) -> (String, String) {
    let (status, body) = get(mock, INFORMATION_PATH, "api=token_info").await;
    assert_eq!(status, 200, "{body}");
    let row = &data(&body)[0];
    assert_eq!(row["all_token_today"], row["token_use_today"]);
    assert_eq!(
        row["available_consumption_options"],
        "real_time, reports_manager, information"
    );
    (
        row["token_use_today"].as_str().unwrap().to_owned(),
        row["token_limit"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn token_info_counts_the_requests_of_today() {
    let mock = MockWolkvox::start_demo().await;
    assert_eq!(
        token_info(&mock).await,
        ("1".to_owned(), "10000".to_owned())
    );
    let client = mock.client().unwrap();
    client.skills().await.unwrap();
    assert!(client.skill(999).await.is_err()); // a 404 costs a token too
    get(&mock, REPORTS_PATH, "api=cdr_1").await; // and a 400
    assert_eq!(token_info(&mock).await.0, "5");
    // Neither a wrong token nor a faulted answer counts.
    let wrong = reqwest::Client::new()
        .get(format!(
            "{}{REALTIME_PATH}?api=skills&skill_id=all",
            mock.uri()
        ))
        .header("wolkvox-token", "wrong")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 403);
    mock.fail_next(Fault::Maintenance, 1);
    assert!(client.skills().await.is_ok()); // one 503, then a retry served
    assert_eq!(token_info(&mock).await.0, "7");
    assert_eq!(mock.request_count(), 9);
}

#[tokio::test]
async fn the_quota_runs_out() {
    let mock = MockWolkvox::start_demo().await;
    mock.set_token_limit(3);
    let client = mock.client().unwrap();
    client.skills().await.unwrap();
    assert_eq!(token_info(&mock).await, ("2".to_owned(), "3".to_owned()));
    client.agents().await.unwrap();
    let exceeded = (403, error_body(403, "FORBIDDEN", "TOKEN LIMIT EXCEEDED"));
    assert_eq!(
        get(&mock, INFORMATION_PATH, "api=token_info").await,
        exceeded
    );
    assert_eq!(
        get(
            &mock,
            REPORTS_PATH,
            "api=cdr_1&date_ini=20260812000000&date_end=20260812235959"
        )
        .await,
        exceeded
    );
    let refused = client.skills().await;
    assert!(
        matches!(
            refused,
            Err(Error::QuotaExceeded {
                status: 403,
                attempts: 1,
                ..
            })
        ),
        "{refused:?}"
    );
    mock.set_token_limit(5);
    assert_eq!(token_info(&mock).await, ("4".to_owned(), "5".to_owned()));
    assert_eq!(mock.request_count(), 7);
}

#[tokio::test]
async fn debug_shows_neither_token_nor_data() {
    let mock = MockWolkvox::start_with_token("secret-token-123").await;
    mock.load_demo();
    let shown = format!("{mock:?}");
    assert_eq!(
        shown,
        format!("MockWolkvox {{ uri: {:?}, requests: 0, .. }}", mock.uri())
    );
}
