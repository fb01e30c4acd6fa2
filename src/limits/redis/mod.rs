//! `RedisLimits`: the slots and the daily count of a token in Redis, shared by every process
//! and machine that uses the same Redis.

mod health;
mod lease;
mod scripts;
mod store;
#[cfg(test)]
mod test_server;
#[cfg(test)]
mod tests;

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use self::health::{Health, Route};
use self::lease::RedisSlot;
use self::scripts::{Scripts, count_expiry_ms};
use self::store::{Config, Inner, State, Taken};
use super::{Day, Grant, Limits, LimitsError, LimitsFuture, LocalLimits, Scope, Slot};
use crate::error::Error;

/// How long a slot's lease lasts unless renewed (see [`RedisLimits::lease`]).
pub const DEFAULT_LEASE: Duration = Duration::from_secs(15);
/// How long one Redis command may take before Redis counts as unavailable (see
/// [`RedisLimits::timeout`]).
pub const DEFAULT_REDIS_TIMEOUT: Duration = Duration::from_secs(1);

/// The shortest lease accepted; a shorter one is raised to it.
const MIN_LEASE: Duration = Duration::from_millis(300);
/// How long a waiter stays in the queue without asking again (at most; less with a short
/// lease): a process that dies while waiting holds up the others no longer than this.
const WAITER_LIFE: Duration = Duration::from_secs(2);
/// The longest pause between two asks of a waiter (the first in line asks about every ms).
const MAX_POLL: Duration = Duration::from_millis(50);

/// What calls do while Redis cannot be reached (see [`RedisLimits::when_unavailable`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Fallback {
    /// Go on under this process's own limits: its `max_concurrent_requests` and its own count
    /// of the day (the last shared count it saw, plus what it sends), with one `tracing`
    /// warning per outage and [`Usage::fallback_requests`](crate::limits::Usage) counting the
    /// requests; one call a second tries Redis again, and calls share the limits again as soon
    /// as it answers (the requests counted meanwhile are added to the shared count).
    #[default]
    Local,
    /// Fail the call with [`Error::SharedLimits`] (retryable; nothing is sent). Every call
    /// asks Redis.
    Fail,
}

/// The concurrency slots and the daily count of a token in Redis, for every process and
/// machine using that Redis (feature `redis`).
///
/// Give it to [`shared_limits`](crate::WolkvoxClientBuilder::shared_limits). With one Redis
/// primary, no more than `max_concurrent_requests` requests of one (host, token) are in flight
/// at the service across every process using it, and a
/// [`daily_budget`](crate::WolkvoxClientBuilder::daily_budget) holds for all of them together.
///
/// - **A slot is a lease** in Redis, taken atomically by a Lua script on the Redis server's
///   own clock, renewed every third of [`lease`](Self::lease) while its request runs and given
///   back when it ends; a process that dies holding one loses it within the lease.
/// - **Waiters** line up in this process (first come, first served), then in a queue in Redis
///   ordered by arrival, so no process starves the others.
/// - **The day's count** is taken with the slot, before the request is sent.
/// - **One connection** per `RedisLimits` (clones share it), multiplexed, made on the first
///   call and remade by itself after a failure. `rediss://` uses rustls with the system's
///   root certificates.
/// - **Redis unavailable**: see [`Fallback`].
///
/// The keys, under [`key_prefix`](Self::key_prefix), hold a digest of host and token, never
/// the token; they are listed in `docs/limits.md`, with the honest limits of the scheme.
///
/// ```no_run
/// # async fn run(token: String) -> Result<(), wolkvox::Error> {
/// use std::time::Duration;
/// use wolkvox::WolkvoxClient;
/// use wolkvox::limits::{Fallback, RedisLimits, Usage};
///
/// let limits = RedisLimits::new("redis://127.0.0.1:6379/")? // no I/O yet
///     .lease(Duration::from_secs(15))
///     .when_unavailable(Fallback::Local);
/// let client = WolkvoxClient::builder()
///     .server("0004")
///     .token(token)
///     .max_concurrent_requests(2)
///     .shared_limits(limits) // slots and the day's count live in Redis, for every process
///     .daily_budget(4_000) // at most 4,000 requests today with this token, all processes
///     .build()?;
/// let usage: Usage = client.usage().await?;
/// println!("{} of {:?} requests today ({})", usage.used, usage.budget, usage.day);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct RedisLimits {
    inner: Arc<Inner>,
}
impl RedisLimits {
    /// Limits kept in the Redis at `url` (`redis://[user:password@]host[:port][/db]`,
    /// `rediss://` for TLS, `unix://` for a socket). Nothing is sent yet: the connection is made
    /// by the first call.
    ///
    /// # Errors
    /// [`Error::Config`] when the URL is not a Redis URL; the message never repeats it (it may
    /// hold a password).
    pub fn new(url: &str) -> Result<Self, Error> {
        let client = redis::Client::open(url).map_err(|e| Error::Config {
            message: "the Redis URL is not valid: expected redis://host[:port][/db], \
                      rediss://.. for TLS or unix://path"
                .to_owned(),
            source: Some(Box::new(e)),
        })?;
        let config = Config {
            shown_url: shown_url(url),
            lease: DEFAULT_LEASE,
            prefix: "wolkvox".to_owned(),
            fallback: Fallback::Local,
            timeout: DEFAULT_REDIS_TIMEOUT,
        };
        Ok(RedisLimits::from_parts(client, config))
    }

    fn from_parts(client: redis::Client, config: Config) -> Self {
        RedisLimits {
            inner: Arc::new(Inner {
                config,
                client,
                connection: OnceLock::new(),
                scripts: Scripts::new(),
                health: Health::default(),
                state: Mutex::new(State::default()),
                fallback_requests: AtomicU64::new(0),
                releasing: std::sync::atomic::AtomicUsize::new(0),
            }),
        }
    }

    /// A copy with `change` made to the settings: a new value, with a connection of its own.
    fn with(self, change: impl FnOnce(&mut Config)) -> Self {
        let mut config = self.inner.config.clone();
        change(&mut config);
        RedisLimits::from_parts(self.inner.client.clone(), config)
    }

    /// How long a slot's lease lasts unless renewed (default [`DEFAULT_LEASE`], 15 s; at least
    /// 300 ms). A process that dies holding a slot loses it within this time; a request that
    /// runs longer renews its lease every third of it. Each setter returns a new `RedisLimits`
    /// with a connection of its own: set them before handing it to a builder.
    pub fn lease(self, lease: Duration) -> Self {
        self.with(|config| config.lease = lease.max(MIN_LEASE))
    }

    /// The first part of every key (default `wolkvox`): `{prefix}:{digest}:slots`, ...
    pub fn key_prefix(self, prefix: impl Into<String>) -> Self {
        let prefix = prefix.into();
        self.with(|config| config.prefix = prefix)
    }

    /// What calls do while Redis cannot be reached: [`Fallback::Local`] (default) or
    /// [`Fallback::Fail`].
    pub fn when_unavailable(self, fallback: Fallback) -> Self {
        self.with(|config| config.fallback = fallback)
    }

    /// Gives back at once what this process holds in Redis and no longer uses: the slot kept
    /// between two requests, and the releases still on their way. Call it before the process
    /// exits (after its last call): otherwise the other processes get that slot back only when
    /// its lease expires. Slots of requests still in flight stay held until they end. The
    /// `RedisLimits` stays usable.
    ///
    /// ```no_run
    /// # async fn run(limits: wolkvox::limits::RedisLimits, client: wolkvox::WolkvoxClient) -> Result<(), wolkvox::Error> {
    /// let skills = client.skills().await?;
    /// limits.close().await; // the last call of this process
    /// # Ok(()) }
    /// ```
    pub async fn close(&self) {
        self.inner.close().await;
    }

    /// How long connecting to Redis or one command may take before Redis counts as
    /// unavailable (default [`DEFAULT_REDIS_TIMEOUT`], 1 s).
    pub fn timeout(self, timeout: Duration) -> Self {
        self.with(|config| config.timeout = timeout.max(Duration::from_millis(1)))
    }
}

impl fmt::Debug for RedisLimits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let config = &self.inner.config;
        f.debug_struct("RedisLimits")
            .field("url", &config.shown_url)
            .field("lease", &config.lease)
            .field("key_prefix", &config.prefix)
            .field("when_unavailable", &config.fallback)
            .field("timeout", &config.timeout)
            .finish_non_exhaustive()
    }
}

/// `url` without user, password, query or fragment.
fn shown_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(parsed) => {
            let host = parsed.host_str().unwrap_or_default();
            let port = parsed.port().map(|p| format!(":{p}")).unwrap_or_default();
            format!("{}://{host}{port}{}", parsed.scheme(), parsed.path())
        }
        Err(_) => "<redis url>".to_owned(),
    }
}

impl Limits for RedisLimits {
    fn acquire<'a>(
        &'a self,
        scope: &'a Scope,
        day: &'a Day,
    ) -> LimitsFuture<'a, Result<Grant, LimitsError>> {
        Box::pin(async move {
            // The process's count is at most the shared one (plus what it counted during an
            // outage, added when Redis is back): when it is at the budget, so is the shared.
            if let Some(used) = LocalLimits::exhausted(scope, day) {
                return Ok(Grant::Exhausted { used });
            }
            let inner = &self.inner;
            let permit = LocalLimits::permit(scope).await?;
            if inner.health.route(inner.config.fallback) == Route::Local {
                return Ok(inner.local_grant(scope, day, permit));
            }
            match inner.take(scope, day).await {
                Ok(Taken::Granted {
                    keys,
                    lease,
                    used,
                    others_waiting,
                }) => {
                    inner.health.succeeded();
                    scope.local().raise(day.date(), used);
                    inner.hold(&keys, &lease);
                    Ok(Grant::Slot(Slot::new(RedisSlot {
                        inner: Arc::clone(inner),
                        keys,
                        lease,
                        permit: Some(permit),
                        keep: others_waiting == 0,
                    })))
                }
                Ok(Taken::Exhausted { used }) => {
                    inner.health.succeeded();
                    scope.local().raise(day.date(), used);
                    Ok(Grant::Exhausted { used })
                }
                Err(error) => inner.unavailable(error, || inner.local_grant(scope, day, permit)),
            }
        })
    }

    fn used<'a>(
        &'a self,
        scope: &'a Scope,
        day: &'a Day,
    ) -> LimitsFuture<'a, Result<u64, LimitsError>> {
        // Raising to 0 reads the count (and adds what was counted during an outage).
        self.raise(scope, day, 0)
    }

    fn raise<'a>(
        &'a self,
        scope: &'a Scope,
        day: &'a Day,
        at_least: u64,
    ) -> LimitsFuture<'a, Result<u64, LimitsError>> {
        Box::pin(async move {
            let inner = &self.inner;
            let local = scope.local();
            if inner.health.route(inner.config.fallback) == Route::Local {
                return Ok(local.raise(day.date(), at_least));
            }
            let keys = inner.keys(scope);
            let extra = inner.take_unsynced(scope, day.date());
            let mut invocation = inner.scripts.raise.prepare_invoke();
            invocation
                .key(keys.count(day))
                .arg(at_least.max(local.used(day.date())))
                .arg(count_expiry_ms(day))
                .arg(extra);
            match inner.invoke::<u64>(&invocation).await {
                Ok(used) => {
                    inner.health.succeeded();
                    Ok(local.raise(day.date(), used).max(used))
                }
                Err(error) => {
                    inner.add_unsynced(scope, day.date(), extra);
                    inner.unavailable(error, || local.raise(day.date(), at_least))
                }
            }
        })
    }

    fn fallback_requests(&self) -> u64 {
        self.inner.fallback_requests.load(Ordering::Relaxed)
    }
}
