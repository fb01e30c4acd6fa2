//! Living within Wolkvox's limits: per-token concurrency across clones and clients, retries
//! with backoff, Retry-After, and the total deadline.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::{builder, fixture};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};
use wolkvox::{Error, WolkvoxClient};

/// A loopback HTTP/1.1 server that answers every request with `body` after `delay`, counting
/// requests in flight and the highest count seen. wiremock cannot observe overlap, so this
/// is a small tokio server. It stops when the test's runtime ends.
struct InFlightServer {
    url: String,
    in_flight: Arc<AtomicUsize>,
    max_in_flight: Arc<AtomicUsize>,
    total: Arc<AtomicUsize>,
}

impl InFlightServer {
    async fn start(delay: Duration, body: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let in_flight = Arc::new(AtomicUsize::new(0));
        let max_in_flight = Arc::new(AtomicUsize::new(0));
        let total = Arc::new(AtomicUsize::new(0));
        let (now, max, count) = (in_flight.clone(), max_in_flight.clone(), total.clone());
        tokio::spawn(async move {
            loop {
                let Ok((mut socket, _)) = listener.accept().await else {
                    return;
                };
                let (now, max, count, body) =
                    (now.clone(), max.clone(), count.clone(), body.clone());
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 8192];
                    let mut seen = Vec::new();
                    loop {
                        // Read one request head (GET has no body).
                        while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                            match socket.read(&mut buf).await {
                                Ok(0) | Err(_) => return,
                                Ok(n) => seen.extend_from_slice(&buf[..n]),
                            }
                        }
                        let end = seen.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
                        seen.drain(..end);
                        let current = now.fetch_add(1, Ordering::SeqCst) + 1;
                        max.fetch_max(current, Ordering::SeqCst);
                        count.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(delay).await;
                        now.fetch_sub(1, Ordering::SeqCst);
                        let response = format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{}",
                            body.len(),
                            body
                        );
                        if socket.write_all(response.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        InFlightServer {
            url,
            in_flight,
            max_in_flight,
            total,
        }
    }

    fn client(&self, token: &str, max_concurrent: usize) -> WolkvoxClient {
        WolkvoxClient::builder()
            .base_url(&self.url)
            .token(token)
            .max_concurrent_requests(max_concurrent)
            .max_retries(0)
            .build()
            .unwrap()
    }
}

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
