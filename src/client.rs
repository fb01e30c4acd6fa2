//! `WolkvoxClient`: the entry points, and the call pipeline every request goes through:
//! limiter -> transport -> response decoder, inside the retry loop and the total deadline.

use std::borrow::Cow;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;
use url::Url;

use crate::builder::WolkvoxClientBuilder;
use crate::error::Error;
use crate::limiter::Limiter;
use crate::request::{
    AgentRequest, AgentsRequest, Query, RealtimeRequest, SkillRequest, SkillsRequest,
};
use crate::response::RawResponse;
use crate::retry::{RetryPolicy, random_unit};
use crate::transport::Transport;

/// A client for the Wolkvox real-time API of one operation.
///
/// Cheap to clone: clones share one connection pool and one per-token concurrency limit.
/// Create it once and pass clones around.
///
/// ```no_run
/// # async fn run() -> Result<(), wolkvox::Error> {
/// let client = wolkvox::WolkvoxClient::builder()
///     .server("0004")
///     .token(std::env::var("WOLKVOX_TOKEN").unwrap_or_default())
///     .build()?;
/// let skill = client.skill(101).await?;
/// println!("{}: {} waiting", skill.skill_name, skill.calls_in_queue_now);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct WolkvoxClient {
    inner: Arc<Inner>,
}

struct Inner {
    transport: Transport,
    server: Option<String>,
    limiter: Limiter,
    retry: RetryPolicy,
    total_timeout: Duration,
}

impl std::fmt::Debug for WolkvoxClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WolkvoxClient")
            .field("endpoint", &self.inner.transport.endpoint().as_str())
            .field("server", &self.inner.server)
            .field("token", &"<redacted>")
            .field("timeout", &self.inner.transport.timeout())
            .field("total_timeout", &self.inner.total_timeout)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

impl WolkvoxClient {
    /// A builder with the defaults; see [`WolkvoxClientBuilder`].
    pub fn builder() -> WolkvoxClientBuilder {
        WolkvoxClientBuilder::new()
    }

    /// A client configured from `WOLKVOX_SERVER`, `WOLKVOX_TOKEN` and `WOLKVOX_BASE_URL`.
    ///
    /// # Errors
    /// [`Error::Config`] when the token or the server is missing or invalid.
    pub fn from_env() -> Result<Self, Error> {
        WolkvoxClientBuilder::new().from_env().build()
    }

    pub(crate) fn from_parts(
        transport: Transport,
        server: Option<String>,
        limiter: Limiter,
        retry: RetryPolicy,
        total_timeout: Duration,
    ) -> Self {
        WolkvoxClient {
            inner: Arc::new(Inner {
                transport,
                server,
                limiter,
                retry,
                total_timeout,
            }),
        }
    }

    /// The real-time figures of one skill: `.await` it, or set options first.
    ///
    /// Answers [`Error::NotFound`] when the operation has no such skill (or no data for it).
    ///
    /// ```no_run
    /// # async fn run(client: wolkvox::WolkvoxClient) -> Result<(), wolkvox::Error> {
    /// let skill = client.skill(101).await?;
    /// let with_45s = client.skill(101).service_time(45).await?;
    /// assert!(with_45s.service_level(45).is_some());
    /// # Ok(()) }
    /// ```
    pub fn skill(&self, skill_id: u32) -> SkillRequest {
        SkillRequest::new(self.clone(), skill_id)
    }

    /// The real-time figures of every skill of the operation (`skill_id=all`). "No data" is
    /// an empty `Vec`.
    pub fn skills(&self) -> SkillsRequest {
        SkillsRequest::new(self.clone())
    }

    /// The real-time state of one logged-in agent: `.await` it.
    ///
    /// Answers [`Error::NotFound`] when the agent is not logged in (no data for it).
    pub fn agent(&self, agent_id: u32) -> AgentRequest {
        AgentRequest::new(self.clone(), agent_id)
    }

    /// The real-time state of every logged-in agent. "No data" is an empty `Vec`.
    ///
    /// ```no_run
    /// # async fn run(client: wolkvox::WolkvoxClient) -> Result<(), wolkvox::Error> {
    /// for agent in client.agents().await? {
    ///     println!("{} {} for {:?}", agent.agent_name, agent.agent_status, agent.time_state_now);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn agents(&self) -> AgentsRequest {
        AgentsRequest::new(self.clone())
    }

    /// Any report of the real-time family by its `api=` name (`"campaigns"`, `"latency"`,
    /// `"info_server"`, ...), as JSON rows or your own type; see [`RealtimeRequest`].
    pub fn realtime(&self, api: &str) -> RealtimeRequest {
        RealtimeRequest::new(self.clone(), api)
    }

    /// The URL requests go to, without query.
    pub fn endpoint(&self) -> &Url {
        self.inner.transport.endpoint()
    }

    /// The server nomenclature, when one was set.
    pub fn server(&self) -> Option<&str> {
        self.inner.server.as_deref()
    }

    /// Sends `query` and decodes the response with `decode`, within the concurrency limit,
    /// the retry policy and the total deadline.
    pub(crate) async fn execute<T>(
        &self,
        query: Query,
        decode: impl Fn(&RawResponse) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let deadline = Instant::now() + self.inner.total_timeout;
        let call = self.attempts(&query, &decode, deadline);
        #[cfg(feature = "tracing")]
        let call = {
            use tracing::Instrument;
            let span = tracing::debug_span!(
                "wolkvox.request",
                api = query_value(&query, "api"),
                skill_id = query_value(&query, "skill_id"),
                agent_id = query_value(&query, "agent_id"),
            );
            call.instrument(span)
        };
        call.await
    }

    /// The retry loop. Only one timer runs at a time: the total deadline while waiting for a
    /// turn, the earlier of the per-request timeout and the deadline during a request.
    async fn attempts<T>(
        &self,
        query: &[(Cow<'static, str>, String)],
        decode: &impl Fn(&RawResponse) -> Result<T, Error>,
        deadline: Instant,
    ) -> Result<T, Error> {
        let inner = &*self.inner;
        let total = inner.total_timeout;
        let mut attempts: u32 = 0;
        loop {
            let Ok(permit) = tokio::time::timeout_at(deadline, inner.limiter.acquire()).await
            else {
                return Err(Error::Timeout {
                    timeout: total,
                    attempts,
                });
            };
            attempts += 1;
            let started = Instant::now();
            let per_request = started + inner.transport.timeout();
            let (until, limit) = if per_request < deadline {
                (per_request, inner.transport.timeout())
            } else {
                (deadline, total)
            };
            let response = tokio::time::timeout_at(until, inner.transport.get(query))
                .await
                .unwrap_or(Err(Error::Timeout {
                    timeout: limit,
                    attempts: 1,
                }));
            drop(permit);
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
            if !inner.retry.should_retry(&error, attempts) {
                return Err(error.with_attempts(attempts));
            }
            let delay = inner
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

#[cfg(feature = "tracing")]
fn query_value<'q>(query: &'q [(Cow<'static, str>, String)], key: &str) -> Option<&'q str> {
    query
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v.as_str())
}
