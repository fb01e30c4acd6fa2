//! The token is a secret: never in Debug, Display, errors or error chains.

use std::error::Error as _;
use std::time::Duration;

use crate::common::fixture;
use wiremock::MockServer;
use wolkvox::{Error, WolkvoxClient};

const SECRET: &str = "Sup3rS3cretT0ken-9f8e7d";

fn error_text(error: &Error) -> String {
    let mut text = format!("{error} | {error:?}");
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(&format!(" | {cause} | {cause:?}"));
        source = cause.source();
    }
    text
}

#[tokio::test]
async fn token_never_in_debug_of_builder_client_or_request() {
    let builder = WolkvoxClient::builder().server("0004").token(SECRET);
    assert!(!format!("{builder:?}").contains(SECRET));
    let client = builder.build().unwrap();
    assert!(!format!("{client:?}").contains(SECRET));
    assert!(!format!("{:?}", client.skill(101).service_time(45)).contains(SECRET));
    assert!(!format!("{:?}", client.skills()).contains(SECRET));
    assert!(!format!("{:?}", client.watch_skills(Duration::from_secs(1))).contains(SECRET));
    let call = client
        .call(wolkvox::Method::Post, "campaign.php", "add_record")
        .json(&serde_json::json!([{"customer_id": "1"}]));
    assert!(!format!("{call:?}").contains(SECRET));
}

#[tokio::test]
async fn token_never_in_write_errors() {
    let server = MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .respond_with(
            wiremock::ResponseTemplate::new(200)
                .set_body_string("{}")
                .set_delay(Duration::from_millis(400)),
        )
        .mount(&server)
        .await;
    let client = WolkvoxClient::builder()
        .base_url(&server.uri())
        .token(SECRET)
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let unknown = client
        .call(wolkvox::Method::Post, "campaign.php", "add_record")
        .await
        .unwrap_err();
    assert!(
        matches!(unknown, Error::OutcomeUnknown { .. }),
        "{unknown:?}"
    );
    assert!(!error_text(&unknown).contains(SECRET));
}

#[tokio::test]
async fn token_never_in_errors_from_the_server() {
    for (status, name) in [
        (401, "error_unauthorized.json"),
        (403, "error_token_limit.json"),
        (403, "error_simultaneous.json"),
        (404, "no_data_404.json"),
    ] {
        let server = crate::common::server_with(status, &fixture(name)).await;
        let client = WolkvoxClient::builder()
            .base_url(&server.uri())
            .token(SECRET)
            .max_retries(0)
            .build()
            .unwrap();
        let err = client.skill(1).await.unwrap_err();
        assert!(!error_text(&err).contains(SECRET), "{name}");
    }
}

#[tokio::test]
async fn token_never_in_transport_timeout_or_config_errors() {
    let client = WolkvoxClient::builder()
        .base_url(&crate::common::closed_port_url())
        .token(SECRET)
        .max_retries(0)
        .build()
        .unwrap();
    let err = client.skills().await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }));
    assert!(!error_text(&err).contains(SECRET));

    let server = MockServer::start().await; // answers 404 with an empty body to everything
    let err = WolkvoxClient::builder()
        .base_url(&server.uri())
        .token(SECRET)
        .timeout(Duration::from_millis(1))
        .max_retries(0)
        .build()
        .unwrap()
        .skills()
        .await
        .unwrap_err();
    assert!(!error_text(&err).contains(SECRET), "{err:?}");

    for bad in [
        WolkvoxClient::builder().token(SECRET).build(),
        WolkvoxClient::builder()
            .token(SECRET)
            .server("bad.host")
            .build(),
        WolkvoxClient::builder()
            .token(format!("{SECRET}\n\0"))
            .server("1")
            .build(),
        WolkvoxClient::builder()
            .token(SECRET)
            .base_url("http://example.com")
            .build(),
    ] {
        let err = bad.unwrap_err();
        assert!(matches!(err, Error::Config { .. }));
        assert!(!error_text(&err).contains(SECRET), "{err:?}");
    }
}

#[test]
fn bad_server_nomenclatures_are_refused() {
    for server in [
        "0004.evil.com",
        "0004/",
        "0004@x",
        "../",
        "",
        "٠٠٠٤",
        "0004 ",
        "123456789",
    ] {
        let result = WolkvoxClient::builder().server(server).token("t").build();
        match result {
            Err(Error::Config { message, .. }) => {
                assert!(message.contains("server nomenclature"), "{message}")
            }
            other => panic!("{server:?} accepted: {other:?}"),
        }
    }
}
