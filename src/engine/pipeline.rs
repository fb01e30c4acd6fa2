//! The call pipeline every request goes through: the per-token limits (a slot and the day's
//! count, through [`Limits`](crate::limits::Limits)), the transport and the response decoder,
//! inside the retry loop and the total deadline.
//!
//! **A slot follows the server's work, not the caller's interest.** Each attempt is a future
//! that owns its slot (the process's permit, or a lease in Redis). It runs inline while the
//! caller waits (no task to schedule on the common path); if the caller gives up (drops the
//! call, a `select!`, a `timeout`), what is left of the attempt moves into a tokio task of its
//! own ([`FinishOnDrop`]) and runs until its answer has been read (and is then discarded) or
//! its per-request timeout passes; only then is the turn given back. So this process (or, with
//! shared limits, every process sharing them) never has more requests of a token at the server
//! than the limit.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::time::Instant;

use crate::engine::endpoint::Endpoint;
use crate::engine::operation::Operation;
use crate::engine::retry::{RetryPolicy, Verdict, classify, random_unit};
use crate::engine::transport::{Failure, Query, RawResponse, Stage, Transport};
use crate::error::Error;
use crate::limits::token::{TokenLimits, Turn};

/// Everything a call needs: shared by a client, its clones and the request values made from it.
#[derive(Debug)]
pub(crate) struct Pipeline {
    pub(crate) transport: Arc<Transport>,
    pub(crate) limits: TokenLimits,
    pub(crate) retry: RetryPolicy,
    pub(crate) total_timeout: Duration,
    /// The shortest interval a `watch` polls at.
    pub(crate) min_poll_interval: Duration,
    /// The operation's UTC offset: "now" at the operation.
    pub(crate) operation_utc_offset: jiff::tz::Offset,
}

impl Pipeline {
    /// Reads `query` from one of the read endpoints; see [`run`](Self::run).
    pub(crate) async fn execute<T>(
        &self,
        endpoint: Endpoint,
        query: Query,
        decode: impl Fn(&RawResponse) -> Result<T, Error>,
    ) -> Result<T, Error> {
        self.run(Operation::get(endpoint, query), decode).await
    }

    /// Sends `operation` and decodes the response with `decode`, within the concurrency
    /// limit, the retry policy (as [`classify`] rules for this operation) and the total
    /// deadline.
    pub(crate) async fn run<T>(
        &self,
        operation: Operation,
        decode: impl Fn(&RawResponse) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let deadline = Instant::now() + self.total_timeout;
        #[cfg(feature = "tracing")]
        let span = tracing::debug_span!(
            "wolkvox.request",
            api = operation.param("api"),
            skill_id = operation.param("skill_id"),
            agent_id = operation.param("agent_id"),
            date_ini = operation.param("date_ini"),
            method = operation.method.as_str(),
            endpoint = operation.target.file(),
        );
        let call = self.attempts(operation, &decode, deadline);
        #[cfg(feature = "tracing")]
        let call = tracing::Instrument::instrument(call, span);
        call.await
    }

    /// The retry loop. The caller waits at most until the total deadline; an attempt it gives
    /// up on at the deadline still runs to its end (its answer, or its per-request timeout)
    /// under [`FinishOnDrop`], holding its turn, as the service still works on it.
    async fn attempts<T>(
        &self,
        operation: Operation,
        decode: &impl Fn(&RawResponse) -> Result<T, Error>,
        deadline: Instant,
    ) -> Result<T, Error> {
        let total = self.total_timeout;
        let url = self.transport.url(&operation)?;
        let operation = Arc::new(operation);
        let mut attempts: u32 = 0;
        // Attempts plus the tries that found the shared limits unavailable (nothing sent): the
        // retry budget counts both.
        let mut tries: u32 = 0;
        loop {
            tries += 1;
            let slot = match self.limits.turn(deadline).await {
                Turn::Slot(slot) => slot,
                Turn::Timeout => {
                    return Err(Error::Timeout {
                        timeout: total,
                        attempts,
                        waiting_for_turn: Some(self.limits.max_in_flight()),
                    });
                }
                Turn::Exhausted(error) => return Err(error.with_attempts(attempts)),
                Turn::Unavailable(error) => {
                    // Nothing was sent: safe to try again, even a write.
                    let error = error.with_attempts(attempts);
                    let delay = self.retry.delay(tries, None, random_unit());
                    if !self.retry.allows(tries) || Instant::now() + delay >= deadline {
                        return Err(error);
                    }
                    tokio::time::sleep(delay).await;
                    continue;
                }
            };
            attempts += 1;
            let started = Instant::now();
            let per_request = self.transport.timeout();
            let ends_by_itself = started + per_request <= deadline;
            let transport = Arc::clone(&self.transport);
            let (sent, url) = (Arc::clone(&operation), url.clone());
            let request = async move {
                let response = tokio::time::timeout(per_request, transport.send(&sent, url))
                    .await
                    .unwrap_or(Err(Failure {
                        error: Error::Timeout {
                            timeout: per_request,
                            attempts: 1,
                            waiting_for_turn: None,
                        },
                        stage: Stage::Sending,
                    }));
                drop(slot);
                response
            };
            #[cfg(feature = "tracing")]
            let request = tracing::Instrument::in_current_span(request);
            let mut attempt = FinishOnDrop::new(request);
            // One timer per attempt when the request's own timeout ends before the deadline.
            let outcome = if ends_by_itself {
                (&mut attempt).await
            } else {
                match tokio::time::timeout_at(deadline, &mut attempt).await {
                    Ok(outcome) => outcome,
                    // Dropping the attempt moves it into a task of its own: it keeps its turn
                    // until the service has answered.
                    Err(_) => Err(Failure {
                        error: Error::Timeout {
                            timeout: total,
                            attempts: 1,
                            waiting_for_turn: None,
                        },
                        stage: Stage::Sending,
                    }),
                }
            };
            drop(attempt);
            let result = outcome.and_then(|response| {
                #[cfg(feature = "tracing")]
                tracing::debug!(
                    attempt = attempts,
                    status = response.status,
                    bytes = response.body.len(),
                    elapsed_ms = started.elapsed().as_millis() as u64,
                    "wolkvox response"
                );
                decode(&response).map_err(Failure::answered)
            });
            let failure = match result {
                Ok(value) => return Ok(value),
                Err(failure) => failure,
            };
            let verdict = classify(&operation, &failure);
            #[cfg(feature = "tracing")]
            tracing::debug!(
                attempt = attempts,
                error = %failure.error,
                retryable = verdict == Verdict::Retry,
                verdict = ?verdict,
                elapsed_ms = started.elapsed().as_millis() as u64,
                "wolkvox request failed"
            );
            #[cfg(not(feature = "tracing"))]
            let _ = started;
            let error = annotate(&operation, failure.error).with_attempts(attempts);
            match verdict {
                Verdict::Fail => return Err(error),
                Verdict::Unknown => return Err(outcome_unknown(&operation, error)),
                Verdict::Retry if !self.retry.allows(tries) => return Err(error),
                Verdict::Retry => {}
            }
            let delay = self.retry.delay(tries, error.retry_after(), random_unit());
            if Instant::now() + delay >= deadline {
                // Waiting would cross the deadline: the last real error says more than a
                // timeout would.
                return Err(error);
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

/// [`Error::OutcomeUnknown`] for `operation`, around what happened after it was sent.
fn outcome_unknown(operation: &Operation, error: Error) -> Error {
    Error::OutcomeUnknown {
        endpoint: operation.target.file().to_owned(),
        api: operation.api().to_owned(),
        source: Box::new(error),
    }
}

/// Adds what only the operation knows to a server's message: the report name and endpoint
/// of a 400 `THE API YOU WANT TO CONSULT DOES NOT EXIST`.
fn annotate(operation: &Operation, mut error: Error) -> Error {
    if let Error::Api {
        status: 400,
        message,
        ..
    } = &mut error
    {
        if message.to_ascii_uppercase().contains("DOES NOT EXIST") {
            message.push_str(&format!(
                " (report {:?} on {}: check the name)",
                operation.api(),
                operation.target.file()
            ));
        }
    }
    error
}

/// A future that, if dropped before it completes, finishes in a task of its own.
///
/// Polled inline like any future; the `Drop` hands the unfinished rest to `tokio::spawn` (when
/// a runtime is there; at runtime shutdown it is dropped, which gives its slot back).
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
