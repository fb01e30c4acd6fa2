//! The call pipeline every request goes through: the per-token limiter, the transport and the
//! response decoder, inside the retry loop and the total deadline.
//!
//! **A slot follows the server's work, not the caller's interest.** Each attempt is a future
//! that owns the limiter's permit. It runs inline while the caller waits (no task to schedule on
//! the common path); if the caller gives up (drops the call, a `select!`, a `timeout`), what is
//! left of the attempt moves into a tokio task of its own ([`FinishOnDrop`]) and runs until its
//! answer has been read (and is then discarded) or its per-request timeout passes; only then is
//! the turn given back. So this process never has more requests of a token at the server than
//! the limit.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::time::Instant;

use crate::engine::endpoint::Endpoint;
use crate::engine::limiter::Limiter;
use crate::engine::retry::{RetryPolicy, random_unit};
use crate::engine::transport::{Query, RawResponse, Transport};
use crate::error::Error;

/// Everything a call needs: shared by a client, its clones and the request values made from it.
#[derive(Debug)]
pub(crate) struct Pipeline {
    pub(crate) transport: Arc<Transport>,
    pub(crate) limiter: Limiter,
    pub(crate) retry: RetryPolicy,
    pub(crate) total_timeout: Duration,
    /// The shortest interval a `watch` polls at.
    pub(crate) min_poll_interval: Duration,
}

impl Pipeline {
    /// Sends `query` to `endpoint` and decodes the response with `decode`, within the
    /// concurrency limit, the retry policy and the total deadline.
    pub(crate) async fn execute<T>(
        &self,
        endpoint: Endpoint,
        query: Query,
        decode: impl Fn(&RawResponse) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let deadline = Instant::now() + self.total_timeout;
        let call = self.attempts(endpoint, &query, &decode, deadline);
        #[cfg(feature = "tracing")]
        let call = {
            use tracing::Instrument;
            let span = tracing::debug_span!(
                "wolkvox.request",
                api = query_value(&query, "api"),
                skill_id = query_value(&query, "skill_id"),
                agent_id = query_value(&query, "agent_id"),
                date_ini = query_value(&query, "date_ini"),
            );
            call.instrument(span)
        };
        call.await
    }

    /// The retry loop. Only one timer runs at a time: the total deadline while waiting for a
    /// turn, the earlier of the per-request timeout and the deadline during a request.
    async fn attempts<T>(
        &self,
        endpoint: Endpoint,
        query: &Query,
        decode: &impl Fn(&RawResponse) -> Result<T, Error>,
        deadline: Instant,
    ) -> Result<T, Error> {
        let total = self.total_timeout;
        let mut attempts: u32 = 0;
        loop {
            let Ok(Some(permit)) = tokio::time::timeout_at(deadline, self.limiter.acquire()).await
            else {
                return Err(Error::Timeout {
                    timeout: total,
                    attempts,
                    waiting_for_turn: Some(self.limiter.limit()),
                });
            };
            attempts += 1;
            let started = Instant::now();
            let per_request = started + self.transport.timeout();
            let (until, limit) = if per_request < deadline {
                (per_request, self.transport.timeout())
            } else {
                (deadline, total)
            };
            let transport = Arc::clone(&self.transport);
            let url = transport.url(endpoint, query);
            let request = async move {
                let response = tokio::time::timeout_at(until, transport.get(url))
                    .await
                    .unwrap_or(Err(Error::Timeout {
                        timeout: limit,
                        attempts: 1,
                        waiting_for_turn: None,
                    }));
                drop(permit);
                response
            };
            #[cfg(feature = "tracing")]
            let request = tracing::Instrument::in_current_span(request);
            let response = FinishOnDrop::new(request).await;
            let result = response.and_then(|response| {
                #[cfg(feature = "tracing")]
                tracing::debug!(
                    attempt = attempts,
                    status = response.status,
                    bytes = response.body.len(),
                    elapsed_ms = started.elapsed().as_millis() as u64,
                    "wolkvox response"
                );
                decode(&response)
            });
            let error = match result {
                Ok(value) => return Ok(value),
                Err(error) => error,
            };
            #[cfg(feature = "tracing")]
            tracing::debug!(
                attempt = attempts,
                error = %error,
                retryable = error.is_retryable(),
                elapsed_ms = started.elapsed().as_millis() as u64,
                "wolkvox request failed"
            );
            #[cfg(not(feature = "tracing"))]
            let _ = started;
            if !self.retry.should_retry(&error, attempts) {
                return Err(error.with_attempts(attempts));
            }
            let delay = self
                .retry
                .delay(attempts, error.retry_after(), random_unit());
            if Instant::now() + delay >= deadline {
                // Waiting would cross the deadline: the last real error says more than a
                // timeout would.
                return Err(error.with_attempts(attempts));
            }
            #[cfg(feature = "tracing")]
            tracing::debug!(
                attempt = attempts,
                delay_ms = delay.as_millis() as u64,
                "wolkvox retry scheduled"
            );
            tokio::time::sleep(delay).await;
        }
    }
}

/// A future that, if dropped before it completes, finishes in a task of its own.
///
/// Polled inline like any future; the `Drop` hands the unfinished rest to `tokio::spawn` (when
/// a runtime is there; at runtime shutdown it is dropped, which gives its permit back).
struct FinishOnDrop<F: Future + Send + 'static>
where
    F::Output: Send,
{
    future: Option<Pin<Box<F>>>,
}

impl<F: Future + Send + 'static> FinishOnDrop<F>
where
    F::Output: Send,
{
    fn new(future: F) -> Self {
        FinishOnDrop {
            future: Some(Box::pin(future)),
        }
    }
}

impl<F: Future + Send + 'static> Future for FinishOnDrop<F>
where
    F::Output: Send,
{
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let Some(future) = self.future.as_mut() else {
            return Poll::Pending; // polled after completion: never ready again
        };
        let output = std::task::ready!(future.as_mut().poll(cx));
        self.future = None;
        Poll::Ready(output)
    }
}

impl<F: Future + Send + 'static> Drop for FinishOnDrop<F>
where
    F::Output: Send,
{
    fn drop(&mut self) {
        if let Some(future) = self.future.take() {
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                runtime.spawn(async move {
                    let _discarded = future.await;
                });
            }
        }
    }
}

impl Pipeline {
    /// The error of a call whose task the runtime cancelled (it is shutting down).
    pub(crate) fn cancelled(&self) -> Error {
        Error::Transport {
            host: self.transport.host().to_owned(),
            message: "the request's task was cancelled (the runtime is shutting down)".to_owned(),
            attempts: 1,
            source: None,
        }
    }
}

#[cfg(feature = "tracing")]
fn query_value<'q>(query: &'q Query, key: &str) -> Option<&'q str> {
    query
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v.as_str())
}
