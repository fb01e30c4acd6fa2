//! Living within Wolkvox's limits: per-token concurrency across clones and clients, retries
//! with backoff, Retry-After, and the total deadline.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use crate::common::servers::InFlightServer;
use crate::common::{builder, fixture};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};
use wolkvox::{Error, WolkvoxClient};

async fn twenty_calls_from(clients: Vec<WolkvoxClient>) {
    let mut tasks = Vec::new();
    for i in 0..20 {
        let client = clients[i % clients.len()].clone();
        tasks.push(tokio::spawn(async move { client.skills().await }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap().len(), 3);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_request_in_flight_per_token_across_clones_and_clients() {
    let server = InFlightServer::start(Duration::from_millis(20), fixture("skills_all.json")).await;
    let a = server.client("token-limit-1", 1);
    let b = server.client("token-limit-1", 1); // built separately, same token and host
    twenty_calls_from(vec![a.clone(), a.clone(), b.clone(), a, b]).await;
    assert_eq!(server.total.load(Ordering::SeqCst), 20);
    assert_eq!(server.max_in_flight.load(Ordering::SeqCst), 1);
    assert_eq!(server.in_flight.load(Ordering::SeqCst), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_in_flight_when_configured() {
    let server = InFlightServer::start(Duration::from_millis(20), fixture("skills_all.json")).await;
    let a = server.client("token-limit-2", 2);
    let b = server.client("token-limit-2", 2);
    twenty_calls_from(vec![a.clone(), b.clone(), a, b]).await;
    assert_eq!(server.total.load(Ordering::SeqCst), 20);
    assert_eq!(server.max_in_flight.load(Ordering::SeqCst), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn different_tokens_do_not_share_a_limit() {
    let server = InFlightServer::start(Duration::from_millis(50), fixture("skills_all.json")).await;
    let a = server.client("token-x", 1);
    let b = server.client("token-y", 1);
    twenty_calls_from(vec![a, b]).await;
    assert_eq!(server.max_in_flight.load(Ordering::SeqCst), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_waiting_call_can_be_cancelled_and_honours_the_deadline() {
    let server =
        InFlightServer::start(Duration::from_millis(400), fixture("skills_all.json")).await;
    let client = WolkvoxClient::builder()
        .base_url(&server.url)
        .token("token-wait")
        .total_timeout(Duration::from_millis(150))
        .max_retries(0)
        .build()
        .unwrap();
    // The first call holds the only permit for 400 ms (and itself times out at 150 ms,
    // freeing it); a second call queued behind it must time out too, not wait forever.
    let first = tokio::spawn({
        let client = client.clone();
        async move { client.skills().await }
    });
    tokio::time::sleep(Duration::from_millis(20)).await;
    let started = Instant::now();
    let second = client.skills().await;
    assert!(matches!(second, Err(Error::Timeout { .. })), "{second:?}");
    assert!(started.elapsed() < Duration::from_millis(400));
    assert!(matches!(first.await.unwrap(), Err(Error::Timeout { .. })));

    // Dropping a queued call gives up its place: the next call still gets through.
    let blocker = tokio::spawn({
        let client = client.clone();
        async move { client.skills().await }
    });
    tokio::time::sleep(Duration::from_millis(20)).await;
    let dropped = tokio::time::timeout(Duration::from_millis(10), client.skills()).await;
    assert!(dropped.is_err(), "still waiting when dropped");
    let _ = blocker.await;
    let relaxed = WolkvoxClient::builder()
        .base_url(&server.url)
        .token("token-wait")
        .total_timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    assert_eq!(relaxed.skills().await.unwrap().len(), 3);
}

async fn server_failing_then(
    failure: ResponseTemplate,
    failures: u64,
    success: Option<ResponseTemplate>,
) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(failure)
        .up_to_n_times(failures)
        .with_priority(1)
        .mount(&server)
        .await;
    if let Some(success) = success {
        Mock::given(method("GET"))
            .respond_with(success)
            .with_priority(2)
            .mount(&server)
            .await;
    }
    server
}

fn ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_string(fixture("skills_all.json"))
}

fn maintenance() -> ResponseTemplate {
    ResponseTemplate::new(503).set_body_raw(fixture("maintenance.html"), "text/html")
}

fn fast_retries(server: &MockServer, max_retries: u32) -> WolkvoxClient {
    builder(server)
        .max_retries(max_retries)
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(20))
        .build()
        .unwrap()
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn maintenance_then_success_makes_exactly_two_requests() {
    let server = server_failing_then(maintenance(), 1, Some(ok())).await;
    let skills = fast_retries(&server, 2).skills().await.unwrap();
    assert_eq!(skills.len(), 3);
    assert_eq!(requests(&server).await, 2);
}

#[tokio::test]
async fn concurrency_limited_is_retried() {
    let limited = ResponseTemplate::new(403).set_body_string(fixture("error_simultaneous.json"));
    let server = server_failing_then(limited, 2, Some(ok())).await;
    assert_eq!(fast_retries(&server, 2).skills().await.unwrap().len(), 3);
    assert_eq!(requests(&server).await, 3);
}

#[tokio::test]
async fn unauthorized_and_quota_are_requested_exactly_once() {
    for (status, fixture_name) in [
        (401, "error_unauthorized.json"),
        (403, "error_token_limit.json"),
    ] {
        let failure = ResponseTemplate::new(status).set_body_string(fixture(fixture_name));
        let server = server_failing_then(failure, 100, Some(ok())).await;
        let err = fast_retries(&server, 5).skills().await.unwrap_err();
        assert!(
            matches!(
                err,
                Error::Unauthorized { attempts: 1, .. } | Error::QuotaExceeded { attempts: 1, .. }
            ),
            "{err:?}"
        );
        assert_eq!(requests(&server).await, 1, "{fixture_name}");
    }
}

#[tokio::test]
async fn not_found_and_bad_request_are_not_retried() {
    for (status, body) in [
        (404, fixture("no_data_404.json")),
        (
            400,
            r#"{"code":400,"msg":"SOME PARAMETERS ARE REQUIRED"}"#.to_owned(),
        ),
    ] {
        let failure = ResponseTemplate::new(status).set_body_string(body);
        let server = server_failing_then(failure, 100, Some(ok())).await;
        let _ = fast_retries(&server, 5).skill(101).await.unwrap_err();
        assert_eq!(requests(&server).await, 1, "status {status}");
    }
}

#[tokio::test]
async fn max_retries_zero_makes_one_request() {
    let server = server_failing_then(maintenance(), 100, None).await;
    let err = fast_retries(&server, 0).skills().await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Api {
                status: 503,
                attempts: 1,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test]
async fn exhausted_retries_return_the_last_real_error_with_attempts() {
    let server = server_failing_then(maintenance(), 100, None).await;
    let err = fast_retries(&server, 2).skills().await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Api {
                status: 503,
                attempts: 3,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.attempts(), Some(3));
    assert!(err.to_string().ends_with("(after 3 attempts)"), "{err}");
    assert_eq!(requests(&server).await, 3);
}

#[tokio::test]
async fn retry_after_is_honoured_but_capped_by_the_max_backoff() {
    let limited = ResponseTemplate::new(403)
        .insert_header("retry-after", "2")
        .set_body_string(fixture("error_simultaneous.json"));
    let server = server_failing_then(limited, 1, Some(ok())).await;
    let client = builder(&server)
        .max_retries(1)
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(300))
        .build()
        .unwrap();
    let started = Instant::now();
    assert_eq!(client.skills().await.unwrap().len(), 3);
    let elapsed = started.elapsed();
    // Retry-After: 2 s, capped at 300 ms: the wait is exactly the cap (no jitter on it).
    assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(1500), "{elapsed:?}");
}

#[tokio::test]
async fn backoff_stays_within_its_bounds() {
    // Three 503s with a 40 ms cap: each wait is in [0, 40 ms], so four attempts take well
    // under the 4 x 40 ms + slack bound, and never the default backoff's seconds.
    let server = server_failing_then(maintenance(), 3, Some(ok())).await;
    let client = builder(&server)
        .max_retries(3)
        .retry_backoff(Duration::from_millis(40), Duration::from_millis(40))
        .build()
        .unwrap();
    let started = Instant::now();
    assert_eq!(client.skills().await.unwrap().len(), 3);
    assert!(started.elapsed() < Duration::from_millis(1000));
    assert_eq!(requests(&server).await, 4);
}

#[tokio::test]
async fn total_timeout_bounds_the_whole_call_with_retries() {
    let slow = ResponseTemplate::new(200)
        .set_body_string(fixture("skills_all.json"))
        .set_delay(Duration::from_millis(500));
    let server = server_failing_then(slow, 100, None).await;
    let client = builder(&server)
        .timeout(Duration::from_millis(100))
        .total_timeout(Duration::from_millis(350))
        .max_retries(10)
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(5))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.skills().await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert!(elapsed < Duration::from_millis(600), "{elapsed:?}");
    let attempts = err.attempts().unwrap();
    assert!((2..=4).contains(&attempts), "{attempts} attempts");
}

#[tokio::test]
async fn default_total_timeout_is_three_times_the_request_timeout() {
    let client = WolkvoxClient::builder()
        .server("0004")
        .token("t")
        .timeout(Duration::from_secs(7))
        .build()
        .unwrap();
    let debug = format!("{client:?}");
    assert!(debug.contains("total_timeout: 21s"), "{debug}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_call_keeps_its_slot_until_the_server_has_answered() {
    // The server works 300 ms on each request and counts it in flight until its last byte.
    let server =
        InFlightServer::start(Duration::from_millis(300), fixture("skills_all.json")).await;
    let client = server.client("token-drop-mid-request", 1);
    // The caller gives up 50 ms into the first request...
    let gave_up = tokio::time::timeout(Duration::from_millis(50), client.skills()).await;
    assert!(gave_up.is_err(), "the first call was still running");
    // ...and at once makes more calls with the same token: they must wait for the server to
    // finish the abandoned request, never overlap it.
    let started = Instant::now();
    let (a, b) = tokio::join!(client.skills(), client.skills());
    assert_eq!(a.unwrap().len(), 3);
    assert_eq!(b.unwrap().len(), 3);
    assert_eq!(server.max_in_flight.load(Ordering::SeqCst), 1);
    assert_eq!(
        server.total.load(Ordering::SeqCst),
        3,
        "the abandoned request was sent once"
    );
    // The abandoned request still had about 250 ms to go, then two requests of 300 ms.
    assert!(
        started.elapsed() >= Duration::from_millis(800),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_that_never_gets_a_turn_says_so() {
    let server =
        InFlightServer::start(Duration::from_millis(500), fixture("skills_all.json")).await;
    let patient = server.client("token-no-turn", 1);
    let busy = tokio::spawn(async move { patient.skills().await });
    tokio::time::sleep(Duration::from_millis(50)).await;
    let hurried = WolkvoxClient::builder()
        .base_url(&server.url)
        .token("token-no-turn")
        .total_timeout(Duration::from_millis(100))
        .max_retries(0)
        .build()
        .unwrap();
    let err = hurried.skills().await.unwrap_err();
    match &err {
        Error::Timeout {
            timeout,
            attempts,
            waiting_for_turn,
            ..
        } => {
            assert_eq!(*timeout, Duration::from_millis(100));
            assert_eq!(*attempts, 0);
            assert_eq!(*waiting_for_turn, Some(1));
        }
        other => panic!("{other:?}"),
    }
    let text = err.to_string();
    assert!(
        text.starts_with("no turn within 100ms: 1 request(s) with this token were already in flight (max_concurrent_requests, in this process"),
        "{text}"
    );
    assert!(!text.contains("maintenance"), "{text}");
    assert!(!err.is_maintenance());
    assert_eq!(busy.await.unwrap().unwrap().len(), 3);
    assert_eq!(
        server.total.load(Ordering::SeqCst),
        1,
        "the hurried call sent nothing"
    );
}
