//! Memory stays bounded when a server streams an endless body, and a long-running simulator
//! does not grow with the requests it serves. In a binary of its own: it measures the
//! process's resident memory, which tests running beside it would disturb (the two tests
//! here take turns for the same reason).

mod common;

use std::time::{Duration, Instant};

use common::servers::raw_server;
use tokio::io::AsyncWriteExt;
use wolkvox::endpoint::REALTIME_PATH;
use wolkvox::mock::{MOCK_TOKEN, MockWolkvox};
use wolkvox::{Error, WolkvoxClient};

/// One measuring test at a time.
static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Resident memory in bytes (Linux).
#[cfg(target_os = "linux")]
fn rss_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4096
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chunked_body_without_length_stops_at_the_cap_with_bounded_memory() {
    let _turn = TURN.lock().await;
    const SIZE: u64 = 300 * 1024 * 1024;
    let url = raw_server(|mut socket, _| async move {
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
        if socket.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        let data = vec![b' '; 64 * 1024];
        let mut chunk = format!("{:x}\r\n", data.len()).into_bytes();
        chunk.extend_from_slice(&data);
        chunk.extend_from_slice(b"\r\n");
        let mut sent = 0u64;
        while sent < SIZE {
            if socket.write_all(&chunk).await.is_err() {
                return;
            }
            sent += data.len() as u64;
        }
    })
    .await;
    #[cfg(target_os = "linux")]
    let before = rss_bytes();
    let err = WolkvoxClient::builder()
        .base_url(&url)
        .token(common::TOKEN)
        .max_retries(0)
        .max_response_bytes(4 * 1024 * 1024)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
        .skills()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::ResponseTooLarge {
                limit: 4_194_304,
                ..
            }
        ),
        "{err:?}"
    );
    #[cfg(target_os = "linux")]
    {
        let grown = rss_bytes().saturating_sub(before);
        assert!(grown < 64 * 1024 * 1024, "RSS grew by {grown} bytes");
    }
}

/// `count` requests for one skill, `WORKERS` at a time, all answered 200.
async fn hammer(http: &reqwest::Client, url: &str, count: usize) {
    const WORKERS: usize = 4;
    let workers = (0..WORKERS).map(|worker| {
        let (http, url) = (http.clone(), url.to_owned());
        let share = count / WORKERS + usize::from(worker < count % WORKERS);
        tokio::spawn(async move {
            for _ in 0..share {
                let response = http
                    .get(&url)
                    .header("wolkvox-token", MOCK_TOKEN)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), 200);
                response.bytes().await.unwrap();
            }
        })
    });
    for worker in workers.collect::<Vec<_>>() {
        worker.await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_running_simulator_does_not_grow_with_the_requests_it_serves() {
    let _turn = TURN.lock().await;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let mock = MockWolkvox::start_on(listener).await;
    mock.load_demo();
    mock.set_token_limit(u64::MAX);
    mock.set_concurrency_limit(usize::MAX);
    let url = format!("{}{REALTIME_PATH}?api=skills&skill_id=101", mock.uri());
    let http = reqwest::Client::new();
    let started = Instant::now();
    hammer(&http, &url, 1_000).await;
    #[cfg(target_os = "linux")]
    let warm = rss_bytes();
    hammer(&http, &url, 99_000).await;
    assert_eq!(mock.request_count(), 100_000);
    assert!(mock.requests().is_empty());
    #[cfg(target_os = "linux")]
    {
        let after = rss_bytes();
        let grown = after.saturating_sub(warm);
        eprintln!(
            "RSS after 1,000 requests: {warm} bytes; after 100,000: {after} bytes; {:?}",
            started.elapsed()
        );
        assert!(grown < 4 * 1024 * 1024, "RSS grew by {grown} bytes");
    }
}
