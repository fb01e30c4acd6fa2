//! Every `Error` variant, produced by a loopback server the way the live service produces it.

use std::time::{Duration, Instant};

use crate::common::{builder, client, fixture, server_with};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};
use wolkvox::{Error, WolkvoxClient};

#[tokio::test]
async fn missing_token_401_is_unauthorized() {
    let server = server_with(401, &fixture("error_unauthorized.json")).await;
    let err = client(&server).skill(101).await.unwrap_err();
    match &err {
        Error::Unauthorized {
            status, message, ..
        } => {
            assert_eq!(*status, 401);
            assert_eq!(message, "PLEASE ENTER THE WOLKVOX-TOKEN");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(err.status(), Some(401));
    assert!(!err.is_retryable());
    assert_eq!(
        err.to_string(),
        "the server answered 401 \"PLEASE ENTER THE WOLKVOX-TOKEN\": the token is missing, wrong or \
         revoked for this server; check the token and the server nomenclature the client was \
         built with"
    );
}

#[tokio::test]
async fn wrong_token_403_is_unauthorized() {
    let server = server_with(
        403,
        r#"{"code":403,"error":"FORBIDDEN","msg":"PLEASE VALIDATE TOKEN"}"#,
    )
    .await;
    let err = client(&server).skills().await.unwrap_err();
    assert!(
        matches!(&err, Error::Unauthorized { status: 403, message, .. } if message == "PLEASE VALIDATE TOKEN"),
        "{err:?}"
    );
}

#[tokio::test]
async fn token_limit_403_is_quota_exceeded_and_not_retryable() {
    let server = server_with(403, &fixture("error_token_limit.json")).await;
    let err = client(&server).skills().await.unwrap_err();
    assert!(
        matches!(&err, Error::QuotaExceeded { status: 403, message, .. } if message == "TOKEN LIMIT EXCEEDED"),
        "{err:?}"
    );
    assert!(!err.is_retryable());
    assert!(err.to_string().contains("daily request quota"), "{err}");
}

#[tokio::test]
async fn simultaneous_requests_403_is_concurrency_limited_and_retryable() {
    let server = server_with(403, &fixture("error_simultaneous.json")).await;
    let err = client(&server).skills().await.unwrap_err();
    assert!(
        matches!(
            &err,
            Error::ConcurrencyLimited {
                status: 403,
                retry_after: None,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_retryable());
}

#[tokio::test]
async fn lower_case_and_padded_messages_are_matched() {
    let server = server_with(
        403,
        r#"{"code":"403","msg":"  exceeds the limit of simultaneous   requests per token (2)  "}"#,
    )
    .await;
    assert!(matches!(
        client(&server).skills().await,
        Err(Error::ConcurrencyLimited { .. })
    ));
}

#[tokio::test]
async fn maintenance_html_503_is_api_error_with_snippet() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(503).set_body_raw(fixture("maintenance.html"), "text/html"),
        )
        .mount(&server)
        .await;
    let err = client(&server).skills().await.unwrap_err();
    match &err {
        Error::Api {
            status,
            http_status,
            code,
            message,
            ..
        } => {
            assert_eq!((*status, *http_status, *code), (503, 503, None));
            assert_eq!(
                message,
                "503 Service Temporarily Unavailable Service Temporarily Unavailable wolkvox is under maintenance."
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(err.is_retryable());
    assert_eq!(err.status(), Some(503));
}

#[tokio::test]
async fn error_code_in_body_under_http_200_is_trusted() {
    let server = server_with(
        200,
        r#"{"code":"401","error":"UNAUTHORIZED","msg":"PLEASE ENTER THE WOLKVOX-TOKEN","data":null}"#,
    )
    .await;
    assert!(matches!(
        client(&server).skills().await,
        Err(Error::Unauthorized { status: 401, .. })
    ));
}

#[tokio::test]
async fn http_error_status_wins_over_a_success_code_in_body() {
    let server = server_with(
        500,
        r#"{"code":200,"msg":"1 records were found","data":[]}"#,
    )
    .await;
    let err = client(&server).skills().await.unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Api { status: 500, http_status: 500, code: Some(200), message, .. }
                if message == "1 records were found"
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn bad_request_400_is_api_error_not_retryable() {
    let server = server_with(
        400,
        r#"{"code":400,"error":"BAD REQUEST","msg":"THE API YOU WANT TO CONSULT DOES NOT EXIST"}"#,
    )
    .await;
    let err = client(&server).skills().await.unwrap_err();
    assert!(matches!(err, Error::Api { status: 400, .. }), "{err:?}");
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn non_json_success_body_is_decode_error() {
    let server = server_with(200, "<html>hello</html>").await;
    match client(&server).skills().await.unwrap_err() {
        Error::Decode { path, raw, .. } => {
            assert_eq!(path, "body");
            assert_eq!(raw, "hello");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn slow_answer_is_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string(fixture("skill_one.json"))
                .set_delay(Duration::from_secs(3)),
        )
        .mount(&server)
        .await;
    let started = Instant::now();
    let err = builder(&server)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap()
        .skill(101)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                timeout,
                attempts: 1,
                ..
            } if timeout == Duration::from_millis(200)
        ),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(err.is_retryable());
}

#[tokio::test]
async fn refused_connection_is_transport_error() {
    let client = WolkvoxClient::builder()
        .base_url(&crate::common::closed_port_url())
        .token("t")
        .max_retries(0)
        .build()
        .unwrap();
    let err = client.skills().await.unwrap_err();
    match &err {
        Error::Transport {
            message, attempts, ..
        } => {
            assert_eq!(*attempts, 1);
            assert!(
                !message.contains("127.0.0.1"),
                "the URL is stripped: {message}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(err.is_retryable());
    assert!(
        std::error::Error::source(&err).is_some(),
        "the cause is kept as source"
    );
    assert_eq!(err.status(), None);
}

#[tokio::test]
async fn body_above_the_cap_is_response_too_large() {
    let server = server_with(200, &fixture("skills_all.json")).await;
    let err = builder(&server)
        .max_response_bytes(100)
        .build()
        .unwrap()
        .skills()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::ResponseTooLarge {
                limit: 100,
                attempts: 1,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(!err.is_retryable());
}

/// Every cause in `error`'s source chain, as text.
fn causes(error: &Error) -> Vec<String> {
    let mut out = Vec::new();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        out.push(cause.to_string());
        source = cause.source();
    }
    out
}

/// One error of every variant that carries a source, produced for real.
async fn errors_with_a_source() -> Vec<Error> {
    let mut errors = Vec::new();
    // Decode: not JSON, truncated JSON, a wrong shape, a row that does not fit `send_as`.
    for body in [
        "<html>hello</html>",
        r#"{"code":200,"data":[{"skill_id":"1""#,
        r#"{"data":5}"#,
    ] {
        let server = server_with(200, body).await;
        errors.push(client(&server).skills().await.unwrap_err());
    }
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Hit {
        hits: u32,
    }
    let server = server_with(200, r#"{"code":200,"data":[{"hits":"many"}]}"#).await;
    errors.push(
        client(&server)
            .realtime("hits_last_hour")
            .send_as::<Hit>()
            .await
            .unwrap_err(),
    );
    // Transport: nothing listens.
    let closed = WolkvoxClient::builder()
        .base_url(&crate::common::closed_port_url())
        .token("t")
        .max_retries(0)
        .build()
        .unwrap();
    errors.push(closed.skills().await.unwrap_err());
    // Config: a base URL that does not parse.
    errors.push(
        WolkvoxClient::builder()
            .base_url("https://exa mple.com")
            .token("t")
            .build()
            .unwrap_err(),
    );
    errors
}

#[tokio::test]
async fn display_never_repeats_the_source() {
    let errors = errors_with_a_source().await;
    let mut kinds: Vec<&str> = errors
        .iter()
        .map(|e| match e {
            Error::Decode { .. } => "decode",
            Error::Transport { .. } => "transport",
            Error::Config { .. } => "config",
            _ => "other",
        })
        .collect();
    kinds.dedup();
    assert_eq!(kinds, ["decode", "transport", "config"]);
    for error in &errors {
        let display = error.to_string();
        let causes = causes(error);
        assert!(!causes.is_empty(), "{error:?} keeps its cause as source");
        for cause in &causes {
            assert!(
                !display.contains(cause.as_str()),
                "Display repeats its source.\n  display: {display}\n  source:  {cause}"
            );
        }
        // What `{:#}` (anyhow) prints: each text once.
        let chain = std::iter::once(display.clone()).chain(causes.iter().cloned());
        let full: Vec<String> = chain.collect();
        for (i, text) in full.iter().enumerate() {
            assert_eq!(
                full.iter().filter(|t| t.contains(text.as_str())).count(),
                1,
                "text {i} appears twice in the chain: {full:?}"
            );
        }
    }
}

#[tokio::test]
async fn transport_errors_name_the_host() {
    let url = crate::common::closed_port_url();
    let err = WolkvoxClient::builder()
        .base_url(&url)
        .token("t")
        .max_retries(0)
        .build()
        .unwrap()
        .skills()
        .await
        .unwrap_err();
    match &err {
        Error::Transport { host, message, .. } => {
            assert_eq!(host, "127.0.0.1");
            assert_eq!(message, "the connection could not be established");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "could not reach the server 127.0.0.1: the connection could not be established; check \
         the server nomenclature (or base_url) and the network"
    );
}

#[tokio::test]
async fn maintenance_is_recognised_without_reading_the_message() {
    let mock = wolkvox::mock::MockWolkvox::start().await;
    mock.set_fault(Some(wolkvox::mock::Fault::Maintenance));
    let simulated = mock.client_builder().max_retries(0).build().unwrap();
    let err = simulated.skills().await.unwrap_err();
    assert!(err.is_maintenance(), "{err:?}");
    let server = server_with(502, "<html><body>Bad Gateway</body></html>").await;
    assert!(client(&server).skills().await.unwrap_err().is_maintenance());
    let server = server_with(500, r#"{"code":500,"msg":"boom"}"#).await;
    assert!(!client(&server).skills().await.unwrap_err().is_maintenance());
    let server = server_with(403, &fixture("error_token_limit.json")).await;
    assert!(!client(&server).skills().await.unwrap_err().is_maintenance());
}
