//! The benches' loopback HTTP/1.1 server (not a bench itself): keep-alive, on its own thread
//! and current-thread runtime, answering every request head with bytes rendered beforehand,
//! so the server costs next to nothing per request. It stops when dropped.

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A running server; dropping it stops it.
pub struct Server {
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A whole HTTP/1.1 response with `content-length`.
pub fn response(status: &str, body: &[u8]) -> Arc<[u8]> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out.into()
}

/// Serves on a loopback port: each request is answered with the bytes `answer` picks for its
/// head, once its body (`content-length` bytes, read and dropped) has arrived.
pub fn serve(answer: impl Fn(&[u8]) -> Arc<[u8]> + Send + Sync + 'static) -> Server {
    let answer = Arc::new(answer);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    listener.set_nonblocking(true).expect("nonblocking");
    let addr = listener.local_addr().expect("local addr");
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("server runtime");
        rt.block_on(async move {
            let listener = TcpListener::from_std(listener).expect("tokio listener");
            let accept = async {
                loop {
                    let Ok((mut socket, _)) = listener.accept().await else {
                        continue;
                    };
                    let _ = socket.set_nodelay(true);
                    let answer = Arc::clone(&answer);
                    tokio::spawn(async move {
                        let mut buf = vec![0u8; 8192];
                        let mut filled = 0;
                        // Body bytes still to discard, and the answer to send after them.
                        let mut skip = 0usize;
                        let mut after_body: Option<Arc<[u8]>> = None;
                        loop {
                            let Ok(n) = socket.read(&mut buf[filled..]).await else {
                                return;
                            };
                            if n == 0 {
                                return;
                            }
                            filled += n;
                            loop {
                                if skip > 0 {
                                    // A request body (POST, PUT): read and dropped, no copy kept.
                                    let dropped = skip.min(filled);
                                    buf.copy_within(dropped..filled, 0);
                                    filled -= dropped;
                                    skip -= dropped;
                                    if skip > 0 {
                                        break;
                                    }
                                }
                                if let Some(bytes) = after_body.take() {
                                    if socket.write_all(&bytes).await.is_err() {
                                        return;
                                    }
                                }
                                let Some(end) = find_head_end(&buf[..filled]) else {
                                    break;
                                };
                                let bytes = answer(&buf[..end]);
                                skip = content_length(&buf[..end]);
                                buf.copy_within(end..filled, 0);
                                filled -= end;
                                after_body = Some(bytes);
                            }
                            if filled == buf.len() {
                                return; // a head larger than 8 KiB: not from this bench
                            }
                        }
                    });
                }
            };
            tokio::select! {
                () = accept => {}
                _ = stop_rx => {}
            }
        });
    });
    Server {
        addr,
        stop: Some(stop_tx),
        thread: Some(thread),
    }
}

/// The `content-length` of a request head; 0 when it has none.
fn content_length(head: &[u8]) -> usize {
    String::from_utf8_lossy(head)
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.trim()
                .eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0)
}

fn find_head_end(buf: &[u8]) -> Option<usize> {
    buf.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4)
}
