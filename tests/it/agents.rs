//! The Agents real-time report and the generic `realtime(api)` call, against loopback servers.

use std::time::Duration;

use crate::common::{ENDPOINT, client, fixture, server_with};
use serde::Deserialize;
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};
use wolkvox::mock::{MockWolkvox, demo_agents};
use wolkvox::{AgentRealtime, AgentStatus, Error};

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// One agent row in the live format, with `fields` overriding the defaults.
fn row(fields: &[(&str, serde_json::Value)]) -> serde_json::Value {
    let mut row = json!({
        "agent_id": "1001", "agent_name": "Laura Gomez", "agent_status": "Inbound",
        "calls": "44", "inbound": "41", "outbound": "3", "internal": "2",
        "time_state_now": "184", "ready_time": "01:01:00", "inbound_time": "03:32:00",
        "outbound_time": "00:09:00", "acw_time": "00:38:00", "ring_time": "00:06:00",
        "login_time": "06:11:00", "aht_time": "00:05:58", "aux_time": "00:45:00",
        "ocupation": "71.43 %"
    });
    for (k, v) in fields {
        row[*k] = v.clone();
    }
    row
}

fn laura() -> AgentRealtime {
    let mut a = AgentRealtime::new(1001, "Laura Gomez");
    a.agent_status = AgentStatus::Inbound;
    a.calls = 44;
    a.inbound = 41;
    a.outbound = 3;
    a.internal = 2;
    a.time_state_now = secs(184);
    a.ready_time = secs(3660);
    a.inbound_time = secs(3 * 3600 + 32 * 60);
    a.outbound_time = secs(540);
    a.acw_time = secs(38 * 60);
    a.ring_time = secs(360);
    a.login_time = secs(6 * 3600 + 11 * 60);
    a.aht_time = secs(358);
    a.aux_time = secs(2700);
    a.occupancy = 71.43;
    a
}

async fn agents_from(body: serde_json::Value) -> Result<Vec<AgentRealtime>, Error> {
    let server = server_with(200, &body.to_string()).await;
    client(&server).agents().await
}

#[tokio::test]
async fn live_format_row_decodes_to_exact_values() {
    let agents = agents_from(json!({"code": 200, "msg": "1 records", "data": [row(&[])]}))
        .await
        .unwrap();
    assert_eq!(agents, vec![laura()]);
    assert_eq!(agents[0].ocupation(), 71.43);
}

#[tokio::test]
async fn value_variants_of_the_spec() {
    let body = json!({"code": "200", "data": [row(&[
        ("agent_id", 1001.into()),
        ("calls", 44.into()),
        ("inbound", " 41 ".into()),
        ("outbound", "-".into()),
        ("internal", "".into()),
        ("time_state_now", 184.into()),
        ("ready_time", "27:05:09".into()),
        ("inbound_time", "4:38:08".into()),
        ("outbound_time", "12:34".into()),
        ("acw_time", "95".into()),
        ("ring_time", "--".into()),
        ("login_time", " ".into()),
        ("aht_time", serde_json::Value::Null),
        ("ocupation", "71,43 %".into()),
        ("agent_status", " acw ".into()),
        ("brand_new_field", json!({"x": [1, 2]})),
    ])]});
    let a = &agents_from(body).await.unwrap()[0];
    assert_eq!((a.calls, a.inbound, a.outbound, a.internal), (44, 41, 0, 0));
    assert_eq!(a.time_state_now, secs(184));
    assert_eq!(
        a.ready_time,
        secs(27 * 3600 + 5 * 60 + 9),
        "hours beyond 24"
    );
    assert_eq!(
        a.inbound_time,
        secs(4 * 3600 + 38 * 60 + 8),
        "unpadded hours"
    );
    assert_eq!(a.outbound_time, secs(12 * 60 + 34), "MM:SS");
    assert_eq!(a.acw_time, secs(95), "plain seconds");
    assert_eq!(
        (a.ring_time, a.login_time, a.aht_time),
        (Duration::ZERO, Duration::ZERO, Duration::ZERO),
        "blanks are zero"
    );
    assert_eq!(a.occupancy, 71.43, "comma decimal");
    assert_eq!(a.agent_status, AgentStatus::Acw);
}

#[tokio::test]
async fn unknown_status_is_kept_as_other() {
    let body = json!({"code": 200, "data": [row(&[("agent_status", "Pausa Activa".into())])]});
    let a = &agents_from(body).await.unwrap()[0];
    assert_eq!(a.agent_status, AgentStatus::Other("Pausa Activa".into()));
    assert_eq!(a.agent_status.to_string(), "Pausa Activa");
}

#[tokio::test]
async fn single_object_and_bare_array_bodies() {
    let one = agents_from(json!({"code": 200, "data": row(&[])}))
        .await
        .unwrap();
    assert_eq!(one, vec![laura()]);
    let bare = agents_from(json!([row(&[]), row(&[("agent_id", "1002".into())])]))
        .await
        .unwrap();
    assert_eq!(
        bare.iter().map(|a| a.agent_id).collect::<Vec<_>>(),
        [1001, 1002]
    );
}

#[tokio::test]
async fn bad_duration_names_field_and_raw_value() {
    let body = json!({"code": 200, "data": [row(&[("ready_time", "1:2:3".into())])]});
    match agents_from(body).await.unwrap_err() {
        Error::Decode {
            path, raw, message, ..
        } => {
            assert_eq!(path, "data[0].ready_time");
            assert_eq!(raw, "1:2:3");
            assert_eq!(message, "expected a duration as HH:MM:SS, MM:SS or seconds");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn agent_by_id_sends_agent_id_and_misses_are_not_found() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(ENDPOINT))
        .and(query_param("api", "agents"))
        .and(query_param("agent_id", "1001"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"code": 200, "msg": "1 records", "data": [row(&[])]})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(ENDPOINT))
        .respond_with(ResponseTemplate::new(404).set_body_string(fixture("no_data_404.json")))
        .with_priority(10)
        .mount(&server)
        .await;
    let client = client(&server);
    assert_eq!(client.agent(1001).await.unwrap(), laura());
    assert!(matches!(
        client.agent(2002).await,
        Err(Error::NotFound { status: 404, .. })
    ));
    assert_eq!(client.agent(2002).agent_id(), 2002);
}

#[tokio::test]
async fn mock_serves_agents_in_the_live_format() {
    let mock = MockWolkvox::start_demo().await;
    let client = mock.client().unwrap();
    assert_eq!(client.agents().await.unwrap(), demo_agents());
    let lunch = client.agent(1005).await.unwrap();
    assert_eq!(lunch.agent_status, AgentStatus::Other("Almuerzo".into()));
    assert_eq!(lunch.time_state_now, secs(1412));
    assert_eq!(
        lunch.login_time,
        lunch.ready_time
            + lunch.inbound_time
            + lunch.outbound_time
            + lunch.acw_time
            + lunch.ring_time
            + lunch.aux_time
    );
    mock.remove_agent(1005);
    assert!(matches!(
        client.agent(1005).await,
        Err(Error::NotFound { .. })
    ));
    mock.set_agents([]);
    assert_eq!(client.agents().await.unwrap(), vec![]);
}

#[tokio::test]
async fn generic_call_sends_params_and_returns_rows_as_sent() {
    let server = MockServer::start().await;
    let rows = json!([
        {"campaign_id": "7", "campaign_name": "RENOVACIONES", "busy/congestion/failed": "12"},
        {"campaign_id": "7", "campaign_name": "RENOVACIONES", "busy/congestion/failed": "3"}
    ]);
    Mock::given(method("GET"))
        .and(path(ENDPOINT))
        .and(query_param("api", "campaigns"))
        .and(query_param("campaign_id", "7"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"code": "200", "msg": " 2 records ", "data": rows})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let got = client(&server)
        .realtime("campaigns")
        .param("campaign_id", "7")
        .send()
        .await
        .unwrap();
    assert_eq!(serde_json::Value::Array(got), rows);
}

#[tokio::test]
async fn generic_object_data_is_one_row_and_latency_shape_is_kept() {
    let info = json!({"server": "wv0004", "version": "3.1", "timezone": "America/Bogota"});
    let server = server_with(200, &json!({"code": 200, "data": info}).to_string()).await;
    let rows = client(&server).realtime("info_server").await.unwrap();
    assert_eq!(rows, vec![info]);

    let latency = json!({"by_agent": [{"agent_id": "1001", "latency": "35"}],
                         "by_ip": [{"ip": "10.0.0.5", "latency": "40"}],
                         "by_pbx": [{"pbx": "pbx1", "latency": "12"}]});
    let server = server_with(200, &json!({"code": 200, "data": [latency]}).to_string()).await;
    let rows = client(&server).realtime("latency").send().await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["by_agent"][0]["latency"], "35");
    assert_eq!(rows[0]["by_pbx"][0]["pbx"], "pbx1");
}

#[derive(Debug, PartialEq, Deserialize)]
struct Hit {
    hour: String,
    hits: String,
}

#[tokio::test]
async fn send_as_decodes_each_row_and_names_the_row_that_does_not_fit() {
    let body = json!({"code": 200, "data": [{"hour": "10", "hits": "55", "extra": 1},
                                            {"hour": "11", "hits": "61"}]});
    let server = server_with(200, &body.to_string()).await;
    let hits: Vec<Hit> = client(&server)
        .realtime("hits_last_hour")
        .send_as()
        .await
        .unwrap();
    assert_eq!(
        hits,
        vec![
            Hit {
                hour: "10".into(),
                hits: "55".into()
            },
            Hit {
                hour: "11".into(),
                hits: "61".into()
            }
        ]
    );

    let body = json!({"code": 200, "data": [{"hour": "10", "hits": "55"}, {"hour": "11"}]});
    let server = server_with(200, &body.to_string()).await;
    let err = client(&server)
        .realtime("hits_last_hour")
        .send_as::<Hit>()
        .await
        .unwrap_err();
    match &err {
        Error::Decode {
            path, raw, message, ..
        } => {
            assert_eq!(path, "data[1]");
            assert_eq!(raw, r#"{"hour":"11"}"#);
            assert!(
                message.contains("does not fit the requested type"),
                "{message}"
            );
            assert!(message.ends_with("Hit"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    // serde's own words are the source, and only the source.
    let cause = std::error::Error::source(&err).unwrap().to_string();
    assert!(cause.contains("missing field `hits`"), "{cause}");
    assert!(!err.to_string().contains("missing field"), "{err}");
}

#[tokio::test]
async fn generic_call_shares_error_handling_and_no_data() {
    let server = server_with(403, &fixture("error_token_limit.json")).await;
    assert!(matches!(
        client(&server).realtime("chats").send().await,
        Err(Error::QuotaExceeded { status: 403, .. })
    ));
    let server = server_with(404, &fixture("no_data_404.json")).await;
    assert_eq!(
        client(&server)
            .realtime("recall")
            .param("type", "all")
            .send()
            .await
            .unwrap(),
        Vec::<serde_json::Value>::new()
    );
    let server = server_with(200, r#"{"code":200,"data":"oops"}"#).await;
    assert!(matches!(
        client(&server).realtime("chats").send().await,
        Err(Error::Decode { path, .. }) if path == "data"
    ));
}

#[tokio::test]
async fn invalid_report_name_is_invalid_request_without_a_request() {
    let server = MockServer::start().await;
    let err = client(&server)
        .realtime("skills&skill_id=all")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest { message, .. } if message.contains("report name")),
        "{err:?}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn mock_serves_generic_reports() {
    let mock = MockWolkvox::start().await;
    mock.set_report(
        "calls_last_10",
        json!([{"call_id": "1", "duration": "00:01:02"}]),
    );
    let client = mock.client().unwrap();
    let rows = client.realtime("calls_last_10").send().await.unwrap();
    assert_eq!(rows[0]["duration"], "00:01:02");
    assert!(matches!(
        client.realtime("interactions").send().await,
        Err(Error::Api { status: 400, .. })
    ));
}
