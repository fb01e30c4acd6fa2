//! Request values: what a call asks for, with its options. Each is `#[must_use]`, implements
//! `IntoFuture` (so `.await` sends it) and builds its own query string (unit-tested here).

mod agent;
mod request;
pub(crate) mod rows;
mod skill;

pub use agent::{AgentRequest, AgentsRequest};
pub use request::RealtimeRequest;
pub use skill::{SkillRequest, SkillsRequest};

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use serde::de::DeserializeOwned;

use crate::decode::rows::{Decoded, typed};
use crate::engine::endpoint::Endpoint;
use crate::engine::pipeline::Pipeline;
use crate::engine::transport::Query;
use crate::error::Error;

/// The future a request value turns into when awaited (`client.skill(101).await`): `Send` and
/// `'static`, so it can be spawned on any executor thread.
#[must_use = "futures do nothing unless awaited"]
pub struct ResponseFuture<T> {
    inner: Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'static>>,
}

impl<T> ResponseFuture<T> {
    pub(crate) fn new(future: impl Future<Output = Result<T, Error>> + Send + 'static) -> Self {
        ResponseFuture {
            inner: Box::pin(future),
        }
    }
}

impl<T> Future for ResponseFuture<T> {
    type Output = Result<T, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.inner.as_mut().poll(cx)
    }
}

impl<T> fmt::Debug for ResponseFuture<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseFuture").finish_non_exhaustive()
    }
}

/// Fetches every row of a real-time report; "no data" (404) is an empty `Vec`.
pub(crate) async fn fetch_all<T: DeserializeOwned>(
    pipeline: &Pipeline,
    query: Query,
) -> Result<Vec<T>, Error> {
    pipeline
        .execute(Endpoint::Realtime, query, |raw| match typed::<T>(raw) {
            Ok(decoded) => Ok(decoded.rows),
            Err(Error::NotFound { .. }) => Ok(Vec::new()),
            Err(error) => Err(error),
        })
        .await
}

/// Fetches the row whose id (`id_of`) is `id`; none is [`Error::NotFound`] naming `what`.
pub(crate) async fn fetch_one<T: DeserializeOwned>(
    pipeline: &Pipeline,
    query: Query,
    what: &'static str,
    id: u32,
    id_of: fn(&T) -> u32,
) -> Result<T, Error> {
    pipeline
        .execute(Endpoint::Realtime, query, |raw| {
            let Decoded { envelope, rows } = typed::<T>(raw)?;
            rows.into_iter()
                .find(|row| id_of(row) == id)
                .ok_or_else(|| Error::NotFound {
                    status: raw.status,
                    message: if envelope.msg.is_empty() {
                        format!("no record for {what} {id} in the answer")
                    } else {
                        format!("{} (no record for {what} {id})", envelope.msg)
                    },
                    attempts: 1,
                })
        })
        .await
}

/// A client for unit tests of query building (never sends).
#[cfg(test)]
pub(crate) fn test_client() -> crate::WolkvoxClient {
    crate::WolkvoxClient::builder()
        .server("0004")
        .token("t")
        .build()
        .expect("valid test configuration")
}
