//! Helpers shared by the integration tests: loopback servers only.
#![allow(dead_code)] // each test binary uses a different subset

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
