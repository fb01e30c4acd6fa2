//! Hand-written loopback HTTP servers, for what wiremock cannot do: count requests in flight,
//! trickle, reset, stream endless bodies. Each ends with the test's runtime.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use wolkvox::WolkvoxClient;

/// A loopback server running `handle` for every connection (after reading the request head).
/// It ends with the test's runtime.
pub async fn raw_server<F, Fut>(handle: F) -> String
where
    F: Fn(TcpStream, String) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let handle = Arc::new(handle);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let handle = handle.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 4096];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                handle(socket, String::from_utf8_lossy(&head).into_owned()).await;
            });
        }
    });
    url
}

/// Streams zeros after `head` until the client goes away (at most `limit` bytes).
pub async fn stream_zeros(mut socket: TcpStream, head: String, limit: u64) {
    if socket.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    let chunk = vec![b'0'; 64 * 1024];
    let mut sent = 0u64;
    while sent < limit {
        if socket.write_all(&chunk).await.is_err() {
            return;
        }
        sent += chunk.len() as u64;
    }
}

/// A loopback HTTP/1.1 server that answers every request with `body` after `delay`, counting
/// requests in flight (from the request head read until just before the answer's last byte is
/// written) and the highest count seen. wiremock cannot observe overlap, so this
/// is a small tokio server. It stops when the test's runtime ends.
pub struct InFlightServer {
    pub url: String,
    pub in_flight: Arc<AtomicUsize>,
    pub max_in_flight: Arc<AtomicUsize>,
    pub total: Arc<AtomicUsize>,
}

impl InFlightServer {
    pub async fn start(delay: Duration, body: String) -> Self {
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
                        let response = format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{}",
                            body.len(),
                            body
                        );
                        // The server works on the request until its last byte: everything but
                        // that byte is written while the request counts as in flight. It stops
                        // counting just before the last byte, so a client that has read the whole
                        // answer (and may send its next request at once) never finds it counted.
                        let (head, last) = response.as_bytes().split_at(response.len() - 1);
                        let written = socket.write_all(head).await;
                        now.fetch_sub(1, Ordering::SeqCst);
                        if written.is_err() || socket.write_all(last).await.is_err() {
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

    pub fn client(&self, token: &str, max_concurrent: usize) -> WolkvoxClient {
        WolkvoxClient::builder()
            .base_url(&self.url)
            .token(token)
            .max_concurrent_requests(max_concurrent)
            .max_retries(0)
            .build()
            .unwrap()
    }
}
