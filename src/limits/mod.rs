//! Where a token's limits live: its concurrency slots and its daily request count.
//!
//! A Wolkvox token allows 2 requests in flight and licences x 1000 requests a day, counted by
//! the service across everything that uses the token. A client keeps both through a
//! [`Limits`] implementation:
//!
//! - [`LocalLimits`] (the default): within this process. Every client of the same host and
//!   token in the process shares one fair (FIFO) semaphore and one daily count.
//! - `RedisLimits` (feature `redis`): in Redis, for every process and machine using the same
//!   Redis, so three replicas of a service or an exporter next to a nightly load never have
//!   more than `max_concurrent_requests` requests of the token at the service together, and a
//!   [`daily_budget`](crate::WolkvoxClientBuilder::daily_budget) holds for all of them.
//! - your own, on another engine (PostgreSQL, say), by implementing [`Limits`].
//!
//! ```
//! # fn main() -> Result<(), wolkvox::Error> {
//! let client = wolkvox::WolkvoxClient::builder()
//!     .server("0004")
//!     .token("my-token")
//!     .max_concurrent_requests(2)
//!     .daily_budget(4_000) // this process: at most 4,000 requests today with this token
//!     .build()?;
//! # let _ = client;
//! # Ok(()) }
//! ```
//!
//! With the `redis` feature, `RedisLimits::new("redis://127.0.0.1:6379/")?` (no I/O yet) goes
//! to [`shared_limits`](crate::WolkvoxClientBuilder::shared_limits); its documentation has
//! the whole example, and [`WolkvoxClient::usage`](crate::WolkvoxClient::usage) reads the
//! day's count.
//!
//! The keys, the lease, what happens when Redis is unavailable and the honest limits of the
//! scheme are in `docs/limits.md` in the repository.

mod local;
#[cfg(feature = "redis")]
mod redis;
mod scope;
pub(crate) mod token;

#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use self::redis::{DEFAULT_LEASE, DEFAULT_REDIS_TIMEOUT, Fallback, RedisLimits};
pub use local::LocalLimits;
pub use scope::{Day, Scope};

use std::fmt;
use std::future::Future;
use std::pin::Pin;

/// The future a [`Limits`] method answers: boxed, so the trait can be used as `dyn Limits`.
pub type LimitsFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Where the concurrency slots and the daily count of a (host, token) are kept.
///
/// The client calls [`acquire`](Limits::acquire) before **every** request it sends (each retry,
/// each window of a report and each of its splits, `token_info()`), and sends the request only
/// with a [`Grant::Slot`]. The contract an implementation keeps:
///
/// - **A slot is a lease with an expiry.** At most [`Scope::max_in_flight`] slots of one
///   [`Scope::id`] are held at once, across everything that shares the implementation's
///   store. The client holds the [`Slot`] for as long as its request is at the service (if the
///   caller gives up, until the service has answered or the request timed out) and drops it
///   when the request ends: dropping it gives the slot back. An implementation that keeps
///   slots outside the process renews the lease while the `Slot` lives, and lets it expire by
///   itself if the process dies, so a slot is never lost for longer than the lease.
/// - **Waiters are served fairly**: in arrival order within a process, and without starvation
///   across processes. `acquire` waits as long as it has to; the client bounds the wait with the
///   call's deadline (then the call fails with [`Error::Timeout`](crate::Error::Timeout) and
///   `waiting_for_turn`) and drops the future, which must then leave the queue.
/// - **The day's count is taken before a request is sent**, atomically with the slot: a grant
///   counts one request of [`Day`]; when [`Scope::budget`] is set and the day's count has
///   reached it, `acquire` answers [`Grant::Exhausted`] and holds no slot (the client answers
///   [`Error::BudgetExhausted`](crate::Error::BudgetExhausted) and sends nothing).
/// - **Failures are errors, not panics**: a store that cannot be reached answers a
///   [`LimitsError`] (the client answers the retryable
///   [`Error::SharedLimits`](crate::Error::SharedLimits)), or goes on under the process's own
///   limits, as the implementation documents.
///
/// [`LocalLimits`] is the in-process implementation; an implementation on another engine may
/// use it for its fallback or to queue a process's callers before they ask the store.
pub trait Limits: fmt::Debug + Send + Sync + 'static {
    /// Waits for a slot of `scope` and counts one request of `day`; see the trait's contract.
    fn acquire<'a>(
        &'a self,
        scope: &'a Scope,
        day: &'a Day,
    ) -> LimitsFuture<'a, Result<Grant, LimitsError>>;

    /// How many requests of `scope` were counted on `day`.
    fn used<'a>(
        &'a self,
        scope: &'a Scope,
        day: &'a Day,
    ) -> LimitsFuture<'a, Result<u64, LimitsError>>;

    /// Raises the count of `day` to `at_least` when it is lower (the service counted more:
    /// other consumers of the token, another tool), and answers the count.
    fn raise<'a>(
        &'a self,
        scope: &'a Scope,
        day: &'a Day,
        at_least: u64,
    ) -> LimitsFuture<'a, Result<u64, LimitsError>>;

    /// How many requests went on under the process's own limits because the shared store was
    /// unavailable, since this value was created (reported as
    /// [`Usage::fallback_requests`]). The default is 0: the implementation never falls back.
    fn fallback_requests(&self) -> u64 {
        0
    }
}

/// What [`Limits::acquire`] answers.
#[derive(Debug)]
#[non_exhaustive]
pub enum Grant {
    /// A slot is held and one request was counted: the request may be sent.
    Slot(Slot),
    /// The day's budget is used up: no slot is held and nothing was counted.
    Exhausted {
        /// Requests counted on the day.
        used: u64,
    },
}

/// One slot of a token's concurrency limit, held while this value lives.
///
/// Dropping it gives the slot back. It wraps whatever the implementation needs to do so: a
/// semaphore permit, or a value whose `Drop` releases a lease (in the background, if that
/// takes I/O: `Drop` must not block).
pub struct Slot {
    _held: Box<dyn Send>,
}

impl Slot {
    /// A slot held while `held` lives: dropping the `Slot` drops `held`, which gives the slot
    /// back.
    pub fn new(held: impl Send + 'static) -> Slot {
        Slot {
            _held: Box::new(held),
        }
    }
}

impl fmt::Debug for Slot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Slot").finish_non_exhaustive()
    }
}

/// The store of a [`Limits`] implementation failed (Redis unreachable, a command refused).
///
/// The client turns it into [`Error::SharedLimits`](crate::Error::SharedLimits), with this
/// error's `source` as its own. The message is the implementation's own words, without the
/// cause's text, and never holds the token.
#[derive(Debug)]
pub struct LimitsError {
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl LimitsError {
    /// An error saying `message` (what failed, e.g. "could not reach Redis").
    pub fn new(message: impl Into<String>) -> Self {
        LimitsError {
            message: message.into(),
            source: None,
        }
    }

    /// The same error, caused by `source` (the store's own error).
    #[must_use]
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    /// What failed.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The message and the cause, for [`Error::SharedLimits`](crate::Error::SharedLimits).
    pub(crate) fn into_parts(
        self,
    ) -> (
        String,
        Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
    ) {
        (self.message, self.source)
    }
}

impl fmt::Display for LimitsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for LimitsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// A token's requests today, as [`WolkvoxClient::usage`](crate::WolkvoxClient::usage)
/// answers them.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Usage {
    /// Requests counted on `day`: by every process sharing the limits (with
    /// [`shared_limits`](crate::WolkvoxClientBuilder::shared_limits)), or by this process.
    /// Raised to the service's own count whenever a `token_info()` answer says more.
    pub used: u64,
    /// The [`daily_budget`](crate::WolkvoxClientBuilder::daily_budget), if one is set.
    pub budget: Option<u64>,
    /// The operation's calendar day the count is for (see
    /// [`operation_utc_offset`](crate::WolkvoxClientBuilder::operation_utc_offset)).
    pub day: jiff::civil::Date,
    /// Requests that went on under this process's own limits because the shared limits were
    /// unavailable (0 without shared limits, or when they never failed).
    pub fallback_requests: u64,
}

impl Usage {
    /// Requests left today within the budget; `None` without a budget.
    pub fn remaining(&self) -> Option<u64> {
        self.budget.map(|budget| budget.saturating_sub(self.used))
    }
}
