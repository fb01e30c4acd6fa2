//! `information.php`: the catalogues and the token's quota, from the sample payloads, their
//! variants, and the simulator.

use std::collections::BTreeMap;

use jiff::civil::date;
use serde_json::json;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};
use wolkvox::Error;
use wolkvox::endpoint::INFORMATION_PATH;
use wolkvox::information::{ActivityCode, AgentInfo, SkillInfo, TokenInfo};
use wolkvox::mock::{Fault, MockWolkvox};

use crate::common::{TOKEN, client, fail_on_unexpected_requests, fixture};

/// A server answering `body` for `information.php?api={api}` and nothing else.
async fn catalogue_server(api: &str, status: u16, body: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(INFORMATION_PATH))
        .and(query_param("api", api))
        .and(header("wolkvox-token", TOKEN))
        .respond_with(
            ResponseTemplate::new(status).set_body_raw(body.to_owned(), "application/json"),
        )
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn token_info_from_the_sample_payload() {
    let server = catalogue_server("token_info", 200, &fixture("reports/token_info.json")).await;
    let unexpected = fail_on_unexpected_requests(&server).await;
    let quota = client(&server).token_info().await.unwrap();
    assert_eq!(quota.description, "OPERACION SOPORTE");
    assert_eq!(quota.token_limit, 25_000);
    assert_eq!(quota.token_use_today, 1_377);
    assert_eq!(quota.all_token_today, 1_377);
    assert_eq!(
        quota.available_consumption_options,
        "real_time, reports_manager, information"
    );
    assert_eq!(quota.remaining(), 23_623);
    unexpected.check();
}

#[tokio::test]
async fn token_info_variants_and_no_data() {
    let body = json!({"code": "200", "data": {"description": " X ", "token_limit": 1000,
        "token_use_today": "1200", "all_token_today": "", "available_consumption_options": "-"}});
    let server = catalogue_server("token_info", 200, &body.to_string()).await;
    let quota = client(&server).token_info().await.unwrap();
    assert_eq!(
        (
            quota.token_limit,
            quota.token_use_today,
            quota.all_token_today
        ),
        (1000, 1200, 0)
    );
    assert_eq!(quota.description, "X");
    assert_eq!(quota.remaining(), 0, "never negative");
    let server = catalogue_server("token_info", 404, &fixture("no_data_404.json")).await;
    assert!(matches!(
        client(&server).token_info().await,
        Err(Error::NotFound { status: 404, .. })
    ));
}

#[tokio::test]
async fn agents_from_the_sample_payload_and_variants() {
    let server = catalogue_server("agents", 200, &fixture("reports/information_agents.json")).await;
    let agents: Vec<AgentInfo> = client(&server)
        .information("agents")
        .send_as()
        .await
        .unwrap();
    assert_eq!(agents.len(), 2);
    assert_eq!(agents[0].agent_id, 12_523);
    assert_eq!(agents[0].agent_name, "ANDRES GOMEZ");
    assert_eq!(agents[0].agent_dni, "79123456");
    assert_eq!(agents[0].agent_status, "Active");
    assert_eq!(agents[0].last_use, Some(date(2026, 8, 12).at(10, 2, 42, 0)));
    assert!(!agents[0].agent_sso);
    assert_eq!(agents[1].last_use, None, "blank last_use");

    let body = json!({"code": 200, "data": [
        {"agent_id": 7, "agent_name": "ANA", "agent_dni": "0012", "agent_status": "Inactive",
         "last_use": "--", "agent_sso": " YES "},
        {"agent_id": "8", "agent_name": "LUIS", "last_use": "2026-08-12T10:02:42"}
    ]});
    let server = catalogue_server("agents", 200, &body.to_string()).await;
    let agents: Vec<AgentInfo> = client(&server)
        .information("agents")
        .send_as()
        .await
        .unwrap();
    assert_eq!(agents[0].agent_id, 7);
    assert_eq!(agents[0].agent_dni, "0012", "leading zeros kept");
    assert_eq!(agents[0].last_use, None);
    assert!(agents[0].agent_sso);
    assert_eq!(agents[1].agent_dni, "", "missing text is empty");
    assert!(!agents[1].agent_sso, "missing agent_sso is no");
    assert_eq!(agents[1].last_use, Some(date(2026, 8, 12).at(10, 2, 42, 0)));

    let bad = json!({"code": 200, "data": [{"agent_id": "12x", "agent_sso": "no"}]});
    let server = catalogue_server("agents", 200, &bad.to_string()).await;
    let err = client(&server)
        .information("agents")
        .send_as::<AgentInfo>()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Decode { ref path, .. } if path == "data[0]"),
        "{err:?}"
    );
}

#[tokio::test]
async fn skills_and_activity_codes() {
    let body = json!({"code": 200, "data": [
        {"skill_id": "101", "skill_name": "SOPORTE_TECNICO", "skill_description": "Soporte",
         "last_use": "2026-08-12 17:45:03"},
        {"skill_id": 102, "skill_name": "VENTAS", "last_use": ""}
    ]});
    let server = catalogue_server("skills", 200, &body.to_string()).await;
    let skills: Vec<SkillInfo> = client(&server)
        .information("skills")
        .send_as()
        .await
        .unwrap();
    assert_eq!(skills[0].skill_id, 101);
    assert_eq!(skills[0].skill_description, "Soporte");
    assert_eq!(skills[0].last_use, Some(date(2026, 8, 12).at(17, 45, 3, 0)));
    assert_eq!((skills[1].skill_id, skills[1].last_use), (102, None));

    let body = json!({"code": 200, "data": [
        {"cod_act": "VENTA", "description_cod_act": "Venta realizada", "hit": "yes",
         "rpc": "YES", "chat": "no", "voice": "yes", "type_code": "EFFECTIVE",
         "interactions": "inbound, outbound", "weight": 3},
        {"cod_act": "NC", "hit": "no", "rpc": "", "chat": true, "voice": "no"}
    ]});
    let server = catalogue_server("activity_codes", 200, &body.to_string()).await;
    let codes: Vec<ActivityCode> = client(&server)
        .information("activity_codes")
        .send_as()
        .await
        .unwrap();
    let sale = &codes[0];
    assert!(sale.hit && sale.rpc && !sale.chat && sale.voice);
    assert_eq!(sale.type_code, "EFFECTIVE");
    assert_eq!(sale.interactions, "inbound, outbound");
    assert_eq!(
        sale.extra,
        BTreeMap::from([
            ("cod_act".to_owned(), "VENTA".to_owned()),
            (
                "description_cod_act".to_owned(),
                "Venta realizada".to_owned()
            ),
            ("weight".to_owned(), "3".to_owned()),
        ])
    );
    assert!(!codes[1].hit && !codes[1].rpc && codes[1].chat && !codes[1].voice);
    assert_eq!(codes[1].type_code, "");

    let bad = json!({"code": 200, "data": [{"hit": "maybe"}]});
    let server = catalogue_server("activity_codes", 200, &bad.to_string()).await;
    assert!(matches!(
        client(&server)
            .information("activity_codes")
            .send_as::<ActivityCode>()
            .await,
        Err(Error::Decode { .. })
    ));
}

#[test]
fn catalogue_rows_read_back_their_own_json() {
    let quota: TokenInfo = serde_json::from_str(
        r#"{"description":"OP","token_limit":"25000","token_use_today":"3","all_token_today":"3","available_consumption_options":"real_time"}"#,
    )
    .unwrap();
    let back: TokenInfo = serde_json::from_str(&serde_json::to_string(&quota).unwrap()).unwrap();
    assert_eq!(back, quota);
    let agent: AgentInfo = serde_json::from_str(
        r#"{"agent_id":"12523","agent_name":"ANDRES","agent_dni":"79","agent_status":"Active","last_use":"2026-08-12 10:02:42","agent_sso":"yes"}"#,
    )
    .unwrap();
    let json = serde_json::to_string(&agent).unwrap();
    assert!(json.contains(r#""agent_sso":true"#), "{json}");
    assert_eq!(serde_json::from_str::<AgentInfo>(&json).unwrap(), agent);
    let code: ActivityCode =
        serde_json::from_str(r#"{"hit":"yes","cod_act":"VENTA","type_code":"E"}"#).unwrap();
    let json = serde_json::to_string(&code).unwrap();
    assert_eq!(serde_json::from_str::<ActivityCode>(&json).unwrap(), code);
}

#[tokio::test]
async fn the_simulator_counts_the_quota_down() {
    let mock = MockWolkvox::start_demo().await;
    mock.set_token_limit(5);
    let client = mock.client_builder().max_retries(0).build().unwrap();
    let first = client.token_info().await.unwrap();
    assert_eq!((first.token_limit, first.token_use_today), (5, 1));
    let agents: Vec<AgentInfo> = client.information("agents").send_as().await.unwrap();
    assert!(
        agents
            .iter()
            .any(|a| a.agent_id == 1001 && a.agent_name == "Laura Gomez")
    );
    let skills: Vec<SkillInfo> = client.information("skills").send_as().await.unwrap();
    assert_eq!(skills.len(), 12);
    let second = client.token_info().await.unwrap();
    assert_eq!(
        second.token_use_today, 4,
        "every call counts, token_info included"
    );
    assert_eq!(second.remaining(), 1);
    client.skills().await.unwrap(); // the fifth request of the day
    assert!(matches!(
        client.token_info().await,
        Err(Error::QuotaExceeded { .. })
    ));
    mock.set_fault(Some(Fault::Maintenance));
    assert!(client.token_info().await.unwrap_err().is_maintenance());
}

#[tokio::test]
async fn agents_in_skill_and_the_dated_audit_log() {
    let mock = MockWolkvox::start_demo().await;
    let client = mock.client().unwrap();
    let members = client
        .information("agents_in_skill")
        .param("skill_id", "101")
        .send()
        .await
        .unwrap();
    assert!(!members.is_empty());
    assert!(members.iter().all(|m| m["skill_id"] == "101"));
    let log = client
        .information("audit_log")
        .on(date(2026, 10, 6))
        .send()
        .await
        .unwrap();
    assert!(!log.is_empty());
    assert!(log.iter().all(|entry| {
        entry["date"]
            .as_str()
            .unwrap_or_default()
            .starts_with("2026-10-06")
    }));
}
