//! `client.call(..)`: any endpoint and method, writes never sent twice, refusals and unknown
//! outcomes.

use std::error::Error as _;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};
use wolkvox::{Error, Method, Reply, WolkvoxClient};

use crate::common::servers::InFlightServer;
use crate::common::{TOKEN, fail_on_unexpected_requests, fixture};

fn write_fixture(name: &str) -> String {
    fixture(&format!("writes/{name}"))
}

fn json_answer(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_owned(), "application/json")
}

/// A client with `max_retries` retries, 1 ms backoffs and a 300 ms request timeout.
fn client(server: &MockServer, max_retries: u32) -> WolkvoxClient {
    WolkvoxClient::builder()
        .base_url(&server.uri())
        .token(TOKEN)
        .max_retries(max_retries)
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(5))
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap()
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

#[tokio::test]
async fn every_method_sends_its_path_query_content_type_and_json_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/configuration.php"))
        .and(query_param("api", "add_ip"))
        .and(header("content-type", "application/json"))
        .and(header("wolkvox-token", TOKEN))
        .and(body_json(
            json!({"ip": "203.0.113.7", "permanent": "no", "description": "office"}),
        ))
        .respond_with(json_answer(200, &write_fixture("add_ip_ok.json")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/api/v2/campaign.php"))
        .and(query_param("api", "speed"))
        .and(query_param("campaign_id", "7224"))
        .and(body_json(json!({"speed": "80"})))
        .respond_with(json_answer(
            202,
            r#"{"code":"202","error":null,"msg":"speed set"}"#,
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/api/v2/campaign.php"))
        .and(query_param("api", "remove_record"))
        .and(query_param("type_campaign", "predictive"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"customer_id": "1000000001,1000000002"})))
        .respond_with(json_answer(
            200,
            r#"{"code":201,"error":null,"msg":"deleted"}"#,
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/billing.php"))
        .and(query_param("api", "consumption"))
        .respond_with(json_answer(
            200,
            r#"{"code":"200","msg":"2 records were found","data":[{"month":"2026-10","calls":"12"},{"month":"2026-11","calls":"7"}]}"#,
        ))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server, 0);

    let reply: Reply = client
        .call(Method::Post, "configuration.php", "add_ip")
        .json(&json!({"ip": "203.0.113.7", "permanent": "no", "description": "office"}))
        .send()
        .await
        .unwrap();
    assert_eq!((reply.status, reply.code), (200, 201));
    assert_eq!(
        reply.message,
        "IP: 203.0.113.25 has been added successfully"
    );
    assert_eq!(reply.data, serde_json::Value::Null);

    let reply = client
        .call(Method::Put, "campaign.php", "speed")
        .param("campaign_id", "7224")
        .json(&json!({"speed": "80"}))
        .await
        .unwrap();
    assert_eq!(
        (reply.status, reply.code, reply.message.as_str()),
        (202, 202, "speed set")
    );

    let reply = client
        .call(Method::Delete, "campaign.php", "remove_record")
        .param("type_campaign", "predictive")
        .json(&json!({"customer_id": "1000000001,1000000002"}))
        .await
        .unwrap();
    assert_eq!((reply.status, reply.code), (200, 201));

    let rows = client
        .call(Method::Get, "billing.php", "consumption")
        .rows()
        .await
        .unwrap();
    assert_eq!(
        rows,
        [
            json!({"month": "2026-10", "calls": "12"}),
            json!({"month": "2026-11", "calls": "7"})
        ]
    );
    let methods: Vec<String> = received(&server)
        .await
        .iter()
        .map(|r| r.method.to_string())
        .collect();
    assert_eq!(methods, ["POST", "PUT", "DELETE", "GET"]);
}

#[tokio::test]
async fn a_request_without_body_sends_no_content_type() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/api/v2/campaign.php"))
        .respond_with(json_answer(200, &write_fixture("start_ok_202.json")))
        .mount(&server)
        .await;
    let reply = client(&server, 0)
        .call(Method::Put, "campaign.php", "start")
        .param("campaign_id", "4711")
        .idempotent()
        .await
        .unwrap();
    assert_eq!(reply.code, 202);
    assert_eq!(
        reply.message,
        "The 4711 campaign_id has been started successfully"
    );
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    assert!(requests[0].headers.get("content-type").is_none());
    assert!(requests[0].body.is_empty());
    assert_eq!(requests[0].url.query(), Some("api=start&campaign_id=4711"));
}

#[derive(Debug, Deserialize, PartialEq)]
struct Consumption {
    month: String,
    #[serde(deserialize_with = "wolkvox::de::count")]
    calls: u32,
}

#[tokio::test]
async fn rows_as_decodes_with_the_lenient_field_functions_and_404_is_no_rows() {
    let server = MockServer::start().await;
    Mock::given(query_param("api", "consumption"))
        .respond_with(json_answer(
            200,
            r#"{"code":200,"data":[{"month":"2026-10","calls":" 12 "},{"month":"2026-11","calls":""}]}"#,
        ))
        .mount(&server)
        .await;
    Mock::given(query_param("api", "empty"))
        .respond_with(json_answer(404, &fixture("no_data_404.json")))
        .mount(&server)
        .await;
    let client = client(&server, 0);
    let rows: Vec<Consumption> = client
        .call(Method::Get, "billing.php", "consumption")
        .rows_as()
        .await
        .unwrap();
    assert_eq!(
        rows,
        [
            Consumption {
                month: "2026-10".into(),
                calls: 12
            },
            Consumption {
                month: "2026-11".into(),
                calls: 0
            }
        ]
    );
    let none: Vec<Consumption> = client
        .call(Method::Get, "billing.php", "empty")
        .rows_as()
        .await
        .unwrap();
    assert!(none.is_empty());
    // `send` of a read keeps "no data" as NotFound.
    let error = client
        .call(Method::Get, "billing.php", "empty")
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::NotFound { status: 404, .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn invalid_endpoints_and_names_send_nothing() {
    let server = MockServer::start().await;
    let unexpected = fail_on_unexpected_requests(&server).await;
    let client = client(&server, 0);
    for (endpoint, api) in [
        ("Campaign.php", "start"),
        ("campaign", "start"),
        ("../x.php", "start"),
        ("campaign.php", ""),
        ("campaign.php", "start&x=1"),
    ] {
        let error = client.call(Method::Post, endpoint, api).await.unwrap_err();
        assert!(
            matches!(error, Error::InvalidRequest { .. }),
            "{endpoint} {api}: {error:?}"
        );
        assert_eq!(error.attempts(), None);
    }
    unexpected.check();
}

#[tokio::test]
async fn a_post_answered_after_the_timeout_is_outcome_unknown_and_sent_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            json_answer(200, &write_fixture("add_record_ok.json"))
                .set_delay(Duration::from_millis(600)),
        )
        .mount(&server)
        .await;
    let error = client(&server, 3)
        .call(Method::Post, "campaign.php", "add_record")
        .param("campaign_id", "7224")
        .json(&json!([{"customer_id": "1"}]))
        .await
        .unwrap_err();
    match &error {
        Error::OutcomeUnknown { endpoint, api, .. } => {
            assert_eq!(
                (endpoint.as_str(), api.as_str()),
                ("campaign.php", "add_record")
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(error.kind(), "outcome_unknown");
    assert!(!error.is_retryable());
    assert_eq!(error.attempts(), Some(1));
    assert_eq!(
        error.to_string(),
        "the request \"add_record\" to campaign.php was sent, but its outcome is unknown: the \
         service may or may not have applied it; check before sending it again"
    );
    let source = error.source().expect("the underlying error");
    assert_eq!(
        source.to_string(),
        "no answer from the server within 300ms; it may be slow or in maintenance, retry later"
    );
    assert!(
        !error.to_string().contains(&source.to_string()),
        "Display repeats its source"
    );
    assert_eq!(received(&server).await.len(), 1, "never sent twice");
}

#[tokio::test]
async fn an_idempotent_write_that_times_out_is_retried() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(
            json_answer(200, &write_fixture("start_ok_202.json"))
                .set_delay(Duration::from_millis(600)),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .respond_with(json_answer(200, &write_fixture("start_ok_202.json")))
        .mount(&server)
        .await;
    let reply = client(&server, 2)
        .call(Method::Put, "campaign.php", "start")
        .param("campaign_id", "4711")
        .idempotent()
        .await
        .unwrap();
    assert_eq!(reply.code, 202);
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn a_post_answered_503_is_outcome_unknown_after_one_request() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/sms.php"))
        .respond_with(
            ResponseTemplate::new(503).set_body_raw(fixture("maintenance.html"), "text/html"),
        )
        .mount(&server)
        .await;
    let error = client(&server, 3)
        .call(Method::Post, "sms.php", "send_sms")
        .json(&json!({"telephone": "3105550199", "message": "hola"}))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::OutcomeUnknown { .. }), "{error:?}");
    assert_eq!(error.status(), Some(503));
    assert!(error.is_maintenance());
    assert_eq!(received(&server).await.len(), 1);
    server.reset().await;
    Mock::given(path("/api/v2/sms.php"))
        .respond_with(
            ResponseTemplate::new(503).set_body_raw(fixture("maintenance.html"), "text/html"),
        )
        .mount(&server)
        .await;
    // A GET of the same answer is retried as always.
    let error = client(&server, 2)
        .call(Method::Get, "sms.php", "report")
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Api { status: 503, .. }), "{error:?}");
    assert_eq!(error.attempts(), Some(3));
}

#[tokio::test]
async fn a_post_to_a_closed_port_is_retried_and_ends_in_transport() {
    let client = WolkvoxClient::builder()
        .base_url(&crate::common::closed_port_url())
        .token(TOKEN)
        .max_retries(2)
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(5))
        .build()
        .unwrap();
    let error = client
        .call(Method::Post, "configuration.php", "add_ip")
        .json(&json!({"ip": "203.0.113.7"}))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_eq!(error.attempts(), Some(3));
}

#[tokio::test]
async fn a_post_refused_as_simultaneous_is_retried_once_and_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(json_answer(403, &fixture("error_simultaneous.json")))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(json_answer(201, &write_fixture("add_record_ok.json")))
        .mount(&server)
        .await;
    let reply = client(&server, 2)
        .call(Method::Post, "campaign.php", "add_record")
        .json(&json!([{"customer_id": "1"}]))
        .await
        .unwrap();
    assert_eq!((reply.status, reply.code), (201, 201));
    assert_eq!(reply.data, json!([{"total_registers": "3"}]));
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn live_refusals_are_rejected_with_their_messages_and_details() {
    let cases = [
        (
            404,
            "unknown_campaign_404.json",
            "Campaign_id 26687 does not exist in your operation.",
            None,
        ),
        (
            404,
            "add_record_licence_404.json",
            "You are uploading (66401) records to the system. According to quantity active \
             licenses, You can upload 50000 records. Try again.",
            None,
        ),
        (
            404,
            "start_two_predictives_404.json",
            "You must turn off a predictive before starting this one, you currently have 2 \
             active predictives",
            None,
        ),
        (
            406,
            "add_ip_invalid_406.json",
            "IP: 203.0.113.300 is not a valid IP",
            None,
        ),
        (
            404,
            "add_record_validation_404.json",
            "0 records has been added, please validate the data",
            Some(
                r#"[{"total_registers":"1","total_success":"0","total_errors":"1","array_errors":[{"error":"CUSTOMER_ID is empty, object position 0","msg":"CUSTOMER_ID is a required field, see schema for required fields"}]}]"#,
            ),
        ),
    ];
    for (status, file, want_message, want_details) in cases {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(json_answer(status, &write_fixture(file)))
            .mount(&server)
            .await;
        let error = client(&server, 3)
            .call(Method::Post, "campaign.php", "add_record")
            .json(&json!([{"customer_id": ""}]))
            .await
            .unwrap_err();
        match &error {
            Error::Rejected {
                status: got,
                message,
                details,
                ..
            } => {
                assert_eq!(*got, status, "{file}");
                assert_eq!(message, want_message, "{file}");
                assert_eq!(details.as_deref(), want_details, "{file}");
            }
            other => panic!("{file}: {other:?}"),
        }
        assert_eq!(error.kind(), "rejected");
        assert!(!error.is_retryable());
        assert_eq!(received(&server).await.len(), 1, "{file}");
    }
    // 422 on codify_chat.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(json_answer(
            422,
            r#"{"code":"422","error":"Unprocessable","msg":"El codAct no es valido para la operacion del chat."}"#,
        ))
        .mount(&server)
        .await;
    let error = client(&server, 0)
        .call(Method::Post, "whatsapp.php", "codify_chat")
        .json(&json!({"agent": "1001", "chat_id": "9", "codAct": "X"}))
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "the service refused the request with 422: El codAct no es valido para la operacion del \
         chat."
    );
}

#[tokio::test]
async fn token_and_quota_answers_to_a_write_keep_their_variants_and_are_sent_once() {
    for (status, file, kind) in [
        (403, "error_token_limit.json", "quota_exceeded"),
        (401, "error_unauthorized.json", "unauthorized"),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(json_answer(status, &fixture(file)))
            .mount(&server)
            .await;
        let error = client(&server, 3)
            .call(Method::Post, "sms.php", "send_sms")
            .await
            .unwrap_err();
        assert_eq!(error.kind(), kind, "{file}");
        assert_eq!(received(&server).await.len(), 1, "{file}");
    }
}

#[tokio::test]
async fn a_write_answered_with_an_unreadable_body_is_outcome_unknown() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string(""))
        .mount(&server)
        .await;
    let error = client(&server, 3)
        .call(Method::Post, "sms.php", "send_sms")
        .await
        .unwrap_err();
    match &error {
        Error::OutcomeUnknown { source, .. } => {
            assert!(matches!(**source, Error::Decode { .. }), "{source:?}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn a_maintenance_page_under_200_is_a_retryable_maintenance_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(fixture("maintenance.html"), "text/html"),
        )
        .mount(&server)
        .await;
    let error = client(&server, 1).skills().await.unwrap_err();
    match &error {
        Error::Api {
            status,
            http_status,
            ..
        } => assert_eq!((*status, *http_status), (503, 200)),
        other => panic!("{other:?}"),
    }
    assert!(error.is_maintenance());
    assert!(error.is_retryable());
    assert_eq!(error.attempts(), Some(2));
}

#[tokio::test]
async fn an_unknown_report_name_is_named_with_its_endpoint() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(json_answer(
            400,
            r#"{"code":"400","error":"Bad Request","msg":"THE API YOU WANT TO CONSULT DOES NOT EXIST"}"#,
        ))
        .mount(&server)
        .await;
    let error = client(&server, 0)
        .report("cdr_99")
        .on(jiff::civil::date(2026, 8, 12))
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "the server answered 400: THE API YOU WANT TO CONSULT DOES NOT EXIST (report \"cdr_99\" \
         on reports_manager.php: check the name)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_cut_by_the_total_deadline_keeps_its_slot_until_the_server_answered() {
    // Limit 1, a server answering in 800 ms, a 300 ms total deadline and no retries: the
    // first call gives up at 300 ms, but its request goes on at the server, so the second
    // call must wait for it (before this was fixed, two requests were in flight).
    let server =
        InFlightServer::start(Duration::from_millis(800), fixture("skills_all.json")).await;
    let client = WolkvoxClient::builder()
        .base_url(&server.url)
        .token("token-total-deadline")
        .max_concurrent_requests(1)
        .max_retries(0)
        .total_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let started = Instant::now();
    let first = client.skills().await.unwrap_err();
    assert!(
        matches!(
            first,
            Error::Timeout {
                waiting_for_turn: None,
                ..
            }
        ),
        "{first:?}"
    );
    assert!(
        started.elapsed() < Duration::from_millis(700),
        "{:?}",
        started.elapsed()
    );
    let second = client.skills().await.unwrap_err();
    assert!(
        matches!(
            second,
            Error::Timeout {
                waiting_for_turn: Some(1),
                attempts: 0,
                ..
            }
        ),
        "the second call waited for the first request's turn: {second:?}"
    );
    // Let the first request finish; a third call then gets its turn at once.
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(server.max_in_flight.load(Ordering::SeqCst), 1);
    assert_eq!(server.total.load(Ordering::SeqCst), 1);
}
