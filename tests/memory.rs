//! Memory stays bounded when a server streams an endless body. In a binary of its own: it
//! measures the process's resident memory, which tests running beside it would disturb.

mod common;

use std::time::Duration;

use common::servers::raw_server;
use tokio::io::AsyncWriteExt;
use wolkvox::{Error, WolkvoxClient};

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
