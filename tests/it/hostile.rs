//! The bad-input matrix: broken and hostile responses from loopback servers, each asserting
//! the exact `Error` variant. See docs/reliability.md.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::servers::{raw_server, stream_zeros};
use crate::common::{client, server_with};
use serde_json::json;
use tokio::io::AsyncWriteExt;
use wiremock::MockServer;
use wolkvox::endpoint::REALTIME_PATH;
use wolkvox::{Error, WolkvoxClient};

fn raw_client(url: &str) -> wolkvox::WolkvoxClientBuilder {
    WolkvoxClient::builder()
        .base_url(url)
        .token(crate::common::TOKEN)
        .max_retries(0)
        .timeout(Duration::from_millis(500))
}

/// Builds the client and fetches all skills, expecting a failure.
trait SkillsError {
    async fn skills_error(self) -> Error;
}

impl SkillsError for wolkvox::WolkvoxClientBuilder {
    async fn skills_error(self) -> Error {
        self.build()
            .expect("valid test configuration")
            .skills()
            .await
            .expect_err("the call should fail")
    }
}

fn assert_decode(
    result: Result<Vec<wolkvox::SkillRealtime>, Error>,
    want_path: &str,
    want_raw: &str,
) {
    match result {
        Err(Error::Decode { path, raw, .. }) => {
            assert_eq!(path, want_path);
            assert_eq!(raw, want_raw);
        }
        other => panic!("expected Decode at {want_path}, got {other:?}"),
    }
}

async fn skills_from(status: u16, body: &str) -> Result<Vec<wolkvox::SkillRealtime>, Error> {
    let server = server_with(status, body).await;
    client(&server).skills().await
}

fn skill_row(field: &str, value: &str) -> String {
    let mut row = json!({
        "skill_id": "101", "skill_name": "SOPORTE", "calls_in_queue_now": "3",
        "stat_inbound": "412", "stat_answer": "377", "stat_abandon": "35",
        "service_level_10seg": "61.27 %", "service_level_20seg": "78.52 %",
        "service_level_30seg": "86.41 %", "by_abandon": "8.50 %"
    });
    row[field] = json!(value);
    json!({"code": 200, "data": [row]}).to_string()
}

#[tokio::test]
async fn empty_body_with_200_is_decode() {
    assert_decode(skills_from(200, "").await, "body", "empty body");
}

#[tokio::test]
async fn html_with_200_is_decode() {
    assert_decode(
        skills_from(200, "<html><body>Gateway says hi</body></html>").await,
        "body",
        "Gateway says hi",
    );
}

#[tokio::test]
async fn truncated_json_is_decode() {
    let result = skills_from(200, r#"{"code":200,"data":[{"skill_id":"101","skill_na"#).await;
    assert!(
        matches!(&result, Err(Error::Decode { path, message, .. }) if path == "data[0]" && message.starts_with("expected a JSON body")),
        "{result:?}"
    );
}

#[tokio::test]
async fn wrong_shapes_are_decode() {
    let result = skills_from(200, r#"{"code":200,"data":"oops"}"#).await;
    assert!(
        matches!(&result, Err(Error::Decode { path, .. }) if path == "data"),
        "{result:?}"
    );
    let result = skills_from(200, r#"{"code":200,"data":42}"#).await;
    assert!(
        matches!(&result, Err(Error::Decode { path, .. }) if path == "data"),
        "{result:?}"
    );
    let result = skills_from(200, r#"{"code":200,"data":[[{"skill_id":"1"}]]}"#).await;
    assert!(
        matches!(&result, Err(Error::Decode { path, .. }) if path == "data[0]"),
        "{result:?}"
    );
    let result = skills_from(200, r#""just a string""#).await;
    assert!(
        matches!(&result, Err(Error::Decode { path, .. }) if path == "body"),
        "{result:?}"
    );
}

#[tokio::test]
async fn bad_counts_are_decode_with_field_and_raw_value() {
    for raw in ["1e9", "-3", "4294967296", "NaN", "2.5"] {
        assert_decode(
            skills_from(200, &skill_row("stat_inbound", raw)).await,
            "data[0].stat_inbound",
            raw,
        );
    }
}

#[tokio::test]
async fn non_finite_percentages_are_decode_and_150_is_kept() {
    for raw in ["inf %", "NaN %", "-inf %", "1e400 %"] {
        assert_decode(
            skills_from(200, &skill_row("by_abandon", raw)).await,
            "data[0].by_abandon",
            raw,
        );
    }
    let skills = skills_from(200, &skill_row("by_abandon", "150 %"))
        .await
        .unwrap();
    assert_eq!(skills[0].by_abandon, 150.0, "kept as sent, never clamped");
}

#[tokio::test]
async fn invalid_utf8_is_decode() {
    let server = MockServer::start().await;
    let mut body = br#"{"code":200,"data":[{"skill_id":"101","skill_name":"SOP"#.to_vec();
    body.extend_from_slice(b"\xff\xfe");
    body.extend_from_slice(br#"","calls_in_queue_now":"1"}]}"#);
    wiremock::Mock::given(wiremock::matchers::method("GET"))
        .respond_with(wiremock::ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    let result = client(&server).skills().await;
    assert!(
        matches!(&result, Err(Error::Decode { path, .. }) if path == "data[0]"),
        "{result:?}"
    );
}

#[tokio::test]
async fn ten_megabyte_skill_name_decodes() {
    let name = "N".repeat(10 * 1024 * 1024);
    let skills = skills_from(200, &skill_row("skill_name", &name))
        .await
        .unwrap();
    assert_eq!(skills[0].skill_name.len(), name.len());
    assert_eq!(skills[0].calls_in_queue_now, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_hundred_mib_body_with_content_length_is_refused_by_the_default_cap() {
    const SIZE: u64 = 300 * 1024 * 1024;
    let url = raw_server(|socket, _| {
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {SIZE}\r\n\r\n"
        );
        stream_zeros(socket, head, SIZE)
    })
    .await;
    let started = Instant::now();
    let err = raw_client(&url).skills_error().await;
    assert!(
        matches!(err, Error::ResponseTooLarge { limit, .. } if limit == 256 * 1024 * 1024),
        "{err:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "refused before reading"
    );
}

#[tokio::test]
async fn trickling_body_hits_the_timeout() {
    let url = raw_server(|mut socket, _| async move {
        let body = br#"{"code":200,"data":[]}"#;
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            body.len()
        );
        if socket.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        for byte in body {
            if socket.write_all(&[*byte]).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    })
    .await;
    let started = Instant::now();
    let err = raw_client(&url)
        .timeout(Duration::from_millis(300))
        .skills_error()
        .await;
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn connection_reset_mid_body_is_transport() {
    let url = raw_server(|mut socket, _| async move {
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 5000\r\n\r\n{\"code\":200,\"data\":[{\"skill_id\":";
        let _ = socket.write_all(head.as_bytes()).await;
        let _ = socket.flush().await;
        tokio::time::sleep(Duration::from_millis(50)).await;
        // Close with RST instead of FIN.
        let _ = socket.set_zero_linger();
        drop(socket);
    })
    .await;
    let err = raw_client(&url).skills_error().await;
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn server_that_never_answers_hits_the_timeout() {
    let url = raw_server(|socket, _| async move {
        tokio::time::sleep(Duration::from_secs(30)).await;
        drop(socket);
    })
    .await;
    let started = Instant::now();
    let err = raw_client(&url)
        .timeout(Duration::from_millis(300))
        .skills_error()
        .await;
    assert!(
        matches!(err, Error::Timeout { timeout, .. } if timeout == Duration::from_millis(300)),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn redirect_to_another_host_is_not_followed_and_the_token_stays_home() {
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let recorder = {
        let seen = seen.clone();
        raw_server(move |mut socket, head| {
            seen.lock().unwrap().push(head);
            async move {
                let body = r#"{"code":200,"data":[]}"#;
                let _ = socket
                    .write_all(
                        format!(
                            "HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n{body}",
                            body.len()
                        )
                        .as_bytes(),
                    )
                    .await;
            }
        })
        .await
    };
    // Another origin: same address, other port.
    let target = format!("{recorder}{REALTIME_PATH}?api=skills&skill_id=all");
    let origin = raw_server(move |mut socket, _| {
        let target = target.clone();
        async move {
            let _ = socket
                .write_all(
                    format!(
                        "HTTP/1.1 302 Found\r\nlocation: {target}\r\ncontent-length: 0\r\n\r\n"
                    )
                    .as_bytes(),
                )
                .await;
        }
    })
    .await;
    let err = raw_client(&origin).skills_error().await;
    assert!(matches!(err, Error::Api { status: 302, .. }), "{err:?}");
    assert!(
        seen.lock().unwrap().is_empty(),
        "the other host got a request"
    );
}

#[tokio::test]
async fn redirect_within_the_same_origin_is_followed() {
    let url = raw_server(|mut socket, head| async move {
        let response = if head.contains("moved=1") {
            let body = r#"{"code":200,"data":[]}"#;
            format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n{body}", body.len())
        } else {
            format!("HTTP/1.1 302 Found\r\nlocation: {REALTIME_PATH}?api=skills&skill_id=all&moved=1\r\ncontent-length: 0\r\n\r\n")
        };
        let _ = socket.write_all(response.as_bytes()).await;
    })
    .await;
    assert_eq!(
        raw_client(&url).build().unwrap().skills().await.unwrap(),
        vec![]
    );
}

#[tokio::test]
async fn error_bodies_with_junk_data_keep_their_error() {
    let result = skills_from(
        200,
        r#"{"code":"403","msg":"TOKEN LIMIT EXCEEDED","data":[["x"]]}"#,
    )
    .await;
    assert!(
        matches!(result, Err(Error::QuotaExceeded { .. })),
        "{result:?}"
    );
}
