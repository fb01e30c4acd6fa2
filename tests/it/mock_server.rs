//! `wolkvox::mock::MockWolkvox` answers like the live service.

use std::time::Duration;

use wolkvox::mock::{Fault, MOCK_TOKEN, MockWolkvox, demo_skills};
use wolkvox::{Error, WolkvoxClient};

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
        "{}/api/v2/real_time.php?api=skills&skill_id=all",
        mock.uri()
    ))
    .await
    .unwrap();
    assert_eq!(response.status(), 401);
    let body: serde_json::Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
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
    mock.set_fault(Some(Fault::SimultaneousRequests));
    assert!(matches!(
        client.skills().await,
        Err(Error::ConcurrencyLimited { .. })
    ));
    mock.set_fault(None);
    mock.fail_next(Fault::TokenLimitExceeded, 1);
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
    assert_eq!(mock.request_count(), 5);
}

#[tokio::test]
async fn unknown_api_and_missing_parameter_are_400() {
    let mock = MockWolkvox::start().await;
    let http = reqwest::Client::new();
    let get = |query: &str| {
        http.get(format!("{}/api/v2/real_time.php?{query}", mock.uri()))
            .header("wolkvox-token", MOCK_TOKEN)
            .send()
    };
    let unknown = get("api=nope").await.unwrap();
    assert_eq!(unknown.status(), 400);
    let body: serde_json::Value = serde_json::from_str(&unknown.text().await.unwrap()).unwrap();
    assert_eq!(body["msg"], "THE API YOU WANT TO CONSULT DOES NOT EXIST");
    let missing = get("api=skills").await.unwrap();
    assert_eq!(missing.status(), 400);
    let body: serde_json::Value = serde_json::from_str(&missing.text().await.unwrap()).unwrap();
    assert_eq!(body["msg"], "SOME PARAMETERS ARE REQUIRED");
}

#[tokio::test]
async fn retries_recover_from_one_maintenance_answer() {
    let mock = MockWolkvox::start_demo().await;
    mock.fail_next(Fault::Maintenance, 1);
    assert_eq!(mock.client().unwrap().skills().await.unwrap().len(), 12);
    assert_eq!(mock.request_count(), 2);
}
