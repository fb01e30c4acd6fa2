//! The simulator's HTTP side: a small hyper 1 server (HTTP/1.1, keep-alive) on a thread and
//! runtime of its own, so that it serves whatever runtime the test uses (current-thread,
//! multi-thread, several in turn) and stops when [`MockWolkvox`](crate::mock::MockWolkvox)
//! is dropped.
//!
//! | module | holds |
//! |---|---|
//! | `mod.rs` | the server thread: accept loop, one task per connection, shutdown |
//! | `http` | one exchange: the request read whole, the answer sent (late for a delay) |
//! | `responder` | the order of the checks: token, concurrency, faults, quota, endpoint |
//! | `realtime`, `reports`, `information` | the three read endpoints |
//! | `replies` | answers set for any endpoint (`set_call_reply`) |
//! | `answer` | the envelope, the error bodies, the maintenance page |
//! | `faults`, `limits`, `recording` | faults, quota and concurrency, recorded requests |
//! | `state`, `data` | what the simulator holds, and the methods that give it data |

mod answer;
mod data;
mod faults;
mod http;
mod information;
mod limits;
mod realtime;
mod recording;
mod replies;
mod reports;
mod responder;
mod state;

use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::sync::oneshot;

pub use answer::MAINTENANCE_HTML;
pub use faults::Fault;
pub use recording::MockRequest;
pub(in crate::mock) use state::{State, lock};

/// A running server. Dropping it stops the server: the accept loop, every connection and
/// every delayed answer end with its runtime.
#[derive(Debug)]
pub(in crate::mock) struct Server {
    address: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
}

impl Server {
    /// Serves `state` on `listener` from a thread of its own, once it is ready.
    ///
    /// # Errors
    /// What the operating system refused: the listener's address or non-blocking mode, a
    /// thread, the runtime's I/O driver.
    pub(in crate::mock) async fn start(
        listener: std::net::TcpListener,
        state: Arc<Mutex<State>>,
    ) -> io::Result<Self> {
        let address = listener.local_addr()?;
        listener.set_nonblocking(true)?;
        let (ready, started) = oneshot::channel();
        let (shutdown, stop) = oneshot::channel();
        std::thread::Builder::new()
            .name(format!("wolkvox-mock-{}", address.port()))
            .spawn(move || run(listener, state, ready, stop))?;
        started
            .await
            .map_err(|_| io::Error::other("the simulator's thread ended before serving"))??;
        Ok(Server {
            address,
            shutdown: Some(shutdown),
        })
    }

    /// The address the server listens on.
    pub(in crate::mock) fn address(&self) -> SocketAddr {
        self.address
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            // The thread is gone already when this fails: nothing left to stop.
            let _ = shutdown.send(());
        }
    }
}

/// The server thread: a current-thread runtime that accepts until `stop` fires (or its
/// sender is dropped), then drops every task with the runtime.
fn run(
    listener: std::net::TcpListener,
    state: Arc<Mutex<State>>,
    ready: oneshot::Sender<io::Result<()>>,
    stop: oneshot::Receiver<()>,
) {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            let _ = ready.send(Err(error));
            return;
        }
    };
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::from_std(listener) {
            Ok(listener) => listener,
            Err(error) => {
                let _ = ready.send(Err(error));
                return;
            }
        };
        let accept = tokio::spawn(accept(listener, state));
        let _ = ready.send(Ok(()));
        let _ = stop.await;
        accept.abort();
    });
}

/// Accepts connections, each served in a task of its own.
async fn accept(listener: tokio::net::TcpListener, state: Arc<Mutex<State>>) {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(_error) => {
                // Out of file descriptors, or a connection reset before it was accepted:
                // wait a little rather than spin, then go on.
                #[cfg(feature = "tracing")]
                tracing::debug!(error = %_error, "wolkvox mock: accept failed");
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        // Small answers go out at once (no Nagle delay on loopback).
        let _ = stream.set_nodelay(true);
        let state = Arc::clone(&state);
        tokio::spawn(async move {
            let service = service_fn(move |request| http::serve(Arc::clone(&state), request));
            // A connection that breaks ends here; the client sees the error.
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}
