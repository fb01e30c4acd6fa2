//! Helpers shared by the integration tests: loopback servers only.
#![allow(dead_code)] // each test binary uses a different subset

/// The `redis-server` guard the unit tests of `RedisLimits` use, the same file.
#[path = "../../src/limits/redis/test_server.rs"]
pub mod redis;
pub mod servers;

use std::time::Duration;

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use wolkvox::{WolkvoxClient, WolkvoxClientBuilder};

/// The token every test client sends.
pub const TOKEN: &str = "test-token-5f1c9a";

/// The endpoint path.
pub const ENDPOINT: &str = wolkvox::endpoint::REALTIME_PATH;

/// A fixture file from tests/fixtures.
pub fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

/// A builder for `server` with the test token, no retries and a short timeout.
pub fn builder(server: &MockServer) -> WolkvoxClientBuilder {
    WolkvoxClient::builder()
        .base_url(&server.uri())
        .token(TOKEN)
        .max_retries(0)
        .timeout(Duration::from_secs(5))
}

/// A client for `server` with the test token and no retries.
pub fn client(server: &MockServer) -> WolkvoxClient {
    builder(server).build().expect("test client")
}

/// Serves `body` with `status` (as JSON) for every GET of the endpoint.
pub async fn serve(server: &MockServer, status: u16, body: &str) {
    Mock::given(method("GET"))
        .and(path(ENDPOINT))
        .respond_with(
            ResponseTemplate::new(status).set_body_raw(body.to_owned(), "application/json"),
        )
        .mount(server)
        .await;
}

/// A server answering `body` with `status` to every request of the endpoint.
pub async fn server_with(status: u16, body: &str) -> MockServer {
    let server = MockServer::start().await;
    serve(&server, status, body).await;
    server
}

/// A loopback URL where nothing listens (a listener was bound, then dropped).
pub fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let port = listener.local_addr().expect("local addr").port();
    format!("http://127.0.0.1:{port}")
}

/// Mounts a catch-all mock on `server` (lowest priority) that records every request no other
/// mock matched; the returned guard fails the test, naming each such request (method, path,
/// query, headers other than the token), when it is dropped or checked.
pub async fn fail_on_unexpected_requests(server: &MockServer) -> UnexpectedRequests {
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = seen.clone();
    Mock::given(wiremock::matchers::any())
        .respond_with(move |request: &wiremock::Request| {
            let headers: Vec<String> = request
                .headers
                .iter()
                .filter(|(name, _)| name.as_str() != "wolkvox-token")
                .map(|(name, value)| format!("{name}: {}", value.to_str().unwrap_or("<binary>")))
                .collect();
            record
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(format!(
                    "{} {}{} [{}]",
                    request.method,
                    request.url.path(),
                    request
                        .url
                        .query()
                        .map(|q| format!("?{q}"))
                        .unwrap_or_default(),
                    headers.join(", ")
                ));
            ResponseTemplate::new(599).set_body_string("unexpected request (see the test failure)")
        })
        .with_priority(u8::MAX)
        .mount(server)
        .await;
    UnexpectedRequests { seen }
}

/// The guard of [`fail_on_unexpected_requests`].
pub struct UnexpectedRequests {
    seen: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl UnexpectedRequests {
    /// The unexpected requests recorded so far, which are then forgotten.
    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.seen.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Fails the test now if any request reached the catch-all.
    pub fn check(&self) {
        let seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        assert!(
            seen.is_empty(),
            "{} request(s) matched no mock:\n  {}",
            seen.len(),
            seen.join("\n  ")
        );
    }
}

impl Drop for UnexpectedRequests {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            self.check();
        }
    }
}
