//! The state behind a `RedisLimits`: its connection, the scripts' calls with their timeout,
//! taking a slot (waiting in the queue), and what was counted during an outage.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use jiff::civil::Date;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{FromRedisValue, RedisError, RedisResult, ScriptInvocation};

use super::health::Health;
use super::lease::{Leases, Pending, new_lease_id};
use super::scripts::{Keys, Scripts, count_expiry_ms};
use super::{Fallback, MAX_POLL, WAITER_LIFE};
use crate::engine::retry::random_unit;
use crate::limits::{Day, Grant, LimitsError, LocalLimits, Scope};

/// The settings, the connection and the state shared by the clones of one `RedisLimits`.
pub(super) struct Inner {
    pub(super) config: Config,
    pub(super) client: redis::Client,
    pub(super) connection: OnceLock<ConnectionManager>,
    pub(super) scripts: Scripts,
    pub(super) health: Health,
    pub(super) state: Mutex<State>,
    pub(super) fallback_requests: AtomicU64,
    /// Releases running in the background (see `close`).
    pub(super) releasing: std::sync::atomic::AtomicUsize,
}

#[derive(Debug, Clone)]
pub(super) struct Config {
    /// The URL without user, password or query, for `Debug`.
    pub(super) shown_url: String,
    pub(super) lease: Duration,
    pub(super) prefix: String,
    pub(super) fallback: Fallback,
    pub(super) timeout: Duration,
}

#[derive(Debug, Default)]
pub(super) struct State {
    pub(super) leases: Leases,
    /// Scope id -> its keys.
    pub(super) keys: HashMap<String, Arc<Keys>>,
    /// Scope id -> requests counted under local limits during an outage, not yet added to the
    /// shared count.
    unsynced: HashMap<String, (Date, u64)>,
}

/// What failed, in this crate's words (the Redis error is the source).
fn describe(error: &RedisError) -> &'static str {
    if error.is_timeout() {
        "Redis did not answer in time"
    } else if error.is_connection_refusal() {
        "Redis refused the connection"
    } else if error.is_io_error() || error.is_connection_dropped() {
        "the connection to Redis failed"
    } else {
        "Redis answered with an error"
    }
}

/// A slot taken in Redis, or the budget used up there.
pub(super) enum Taken {
    Granted {
        keys: Arc<Keys>,
        lease: String,
        used: u64,
        others_waiting: u64,
    },
    Exhausted {
        used: u64,
    },
}

impl Inner {
    pub(super) fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(super) fn leases(&self) -> LeasesGuard<'_> {
        LeasesGuard(self.state())
    }

    /// Keys expire this long after their last change (nothing is left of an unused token).
    pub(super) fn housekeeping_ms(&self) -> u64 {
        2 * (self.config.lease + self.waiter_life()).as_millis() as u64
    }

    fn waiter_life(&self) -> Duration {
        WAITER_LIFE.min(self.config.lease)
    }

    /// The connection (made on first use; it reconnects by itself).
    fn connection(&self) -> RedisResult<ConnectionManager> {
        if let Some(connection) = self.connection.get() {
            return Ok(connection.clone());
        }
        if self.config.shown_url.starts_with("rediss:") {
            // redis-rs builds its TLS configuration from rustls's process-wide provider: make
            // sure there is one (the same aws-lc-rs the HTTPS client uses), rather than let
            // rustls guess when several are compiled in.
            if rustls::crypto::CryptoProvider::get_default().is_none() {
                let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
            }
        }
        let timeout = self.config.timeout;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(timeout))
            .set_response_timeout(Some(timeout))
            .set_number_of_retries(1)
            .set_min_delay(Duration::from_millis(10))
            .set_max_delay(timeout);
        let manager = ConnectionManager::new_lazy_with_config(self.client.clone(), config)?;
        Ok(self.connection.get_or_init(|| manager).clone())
    }

    /// Runs a script, within the timeout. A connection found broken is made again and the
    /// script sent once more (the connection manager reconnects only after a failure).
    pub(super) async fn invoke<T: FromRedisValue>(
        &self,
        invocation: &ScriptInvocation<'_>,
    ) -> RedisResult<T> {
        let deadline = tokio::time::Instant::now() + self.config.timeout;
        let mut again = true;
        loop {
            let mut connection = self.connection()?;
            let result =
                tokio::time::timeout_at(deadline, invocation.invoke_async(&mut connection))
                    .await
                    .unwrap_or_else(|_| {
                        Err(RedisError::from(std::io::Error::new(
                            std::io::ErrorKind::TimedOut,
                            "no answer from Redis within the timeout",
                        )))
                    });
            match result {
                Err(error)
                    if again
                        && !error.is_timeout()
                        && (error.is_io_error()
                            || error.is_connection_dropped()
                            || error.is_connection_refusal()) =>
                {
                    again = false;
                }
                result => return result,
            }
        }
    }

    pub(super) fn keys(&self, scope: &Scope) -> Arc<Keys> {
        let mut state = self.state();
        if let Some(keys) = state.keys.get(scope.id()) {
            return Arc::clone(keys);
        }
        let keys = Arc::new(Keys::new(&self.config.prefix, scope));
        state.keys.insert(scope.id().to_owned(), Arc::clone(&keys));
        keys
    }

    /// Takes out what was counted locally on `date` and not yet added to the shared count.
    pub(super) fn take_unsynced(&self, scope: &Scope, date: Date) -> u64 {
        match self.state().unsynced.remove(scope.id()) {
            Some((day, n)) if day == date => n,
            _ => 0,
        }
    }

    /// Records `n` requests counted locally on `date` (during an outage, or given back after a
    /// failure).
    pub(super) fn add_unsynced(&self, scope: &Scope, date: Date, n: u64) {
        if n == 0 {
            return;
        }
        let mut state = self.state();
        let entry = state
            .unsynced
            .entry(scope.id().to_owned())
            .or_insert((date, 0));
        if entry.0 != date {
            *entry = (date, 0);
        }
        entry.1 += n;
    }

    /// Takes a slot of `scope` in Redis and counts the request of `day`, waiting in the queue
    /// as long as it takes (the caller bounds the wait by dropping the future).
    pub(super) async fn take(self: &Arc<Self>, scope: &Scope, day: &Day) -> RedisResult<Taken> {
        let keys = self.keys(scope);
        let lease = self.take_idle(scope.id()).unwrap_or_else(new_lease_id);
        let mut pending = Pending {
            inner: Arc::clone(self),
            keys: Arc::clone(&keys),
            lease: Some(lease),
        };
        let count_key = keys.count(day);
        let budget = scope
            .budget()
            .map_or(-1, |b| i64::try_from(b).unwrap_or(i64::MAX));
        let mut extra = self.take_unsynced(scope, day.date());
        loop {
            let mut invocation = self.scripts.take.prepare_invoke();
            invocation
                .key(&keys.slots)
                .key(&keys.queue)
                .key(&keys.alive)
                .key(&count_key)
                .arg(pending.id())
                .arg(scope.max_in_flight())
                .arg(self.config.lease.as_millis() as u64)
                .arg(self.waiter_life().as_millis() as u64)
                .arg(budget)
                .arg(count_expiry_ms(day))
                .arg(extra)
                .arg(self.housekeeping_ms())
                .arg(scope.local().used(day.date()));
            let reply: RedisResult<(i64, u64, u64, i64)> = self.invoke(&invocation).await;
            let (status, used, n, _free) = match reply {
                Ok(reply) => reply,
                Err(error) => {
                    self.add_unsynced(scope, day.date(), extra);
                    return Err(error);
                }
            };
            extra = 0;
            match status {
                1 => {
                    return Ok(Taken::Granted {
                        keys,
                        lease: pending.disarm(),
                        used,
                        others_waiting: n,
                    });
                }
                2 => {
                    pending.disarm(); // the script took it out of the queue
                    return Ok(Taken::Exhausted { used });
                }
                _ => tokio::time::sleep(poll_interval(n)).await,
            }
        }
    }

    /// A grant under the process's own limits (Redis unavailable), counted for later.
    pub(super) fn local_grant(
        &self,
        scope: &Scope,
        day: &Day,
        permit: tokio::sync::OwnedSemaphorePermit,
    ) -> Grant {
        let grant = LocalLimits::grant(scope, day, permit);
        if let Grant::Slot(_) = grant {
            self.fallback_requests.fetch_add(1, Ordering::Relaxed);
            self.add_unsynced(scope, day.date(), 1);
        }
        grant
    }

    /// What a call does after Redis failed: go on locally, or fail.
    pub(super) fn unavailable<T>(
        &self,
        error: RedisError,
        local: impl FnOnce() -> T,
    ) -> Result<T, LimitsError> {
        self.health.failed(&error, self.config.fallback);
        match self.config.fallback {
            Fallback::Local => Ok(local()),
            Fallback::Fail => Err(LimitsError::new(describe(&error)).with_source(error)),
        }
    }
}

/// The state's lock, seen as the leases.
pub(super) struct LeasesGuard<'a>(MutexGuard<'a, State>);

impl std::ops::Deref for LeasesGuard<'_> {
    type Target = Leases;
    fn deref(&self) -> &Leases {
        &self.0.leases
    }
}

impl std::ops::DerefMut for LeasesGuard<'_> {
    fn deref_mut(&mut self) -> &mut Leases {
        &mut self.0.leases
    }
}

/// The pause before a waiter asks again: the first in line about every millisecond, each
/// later one twice as long as the one before it (at most 50 ms), with jitter so processes do
/// not ask in step.
fn poll_interval(rank: u64) -> Duration {
    let base = Duration::from_millis(1).saturating_mul(1 << rank.min(6));
    base.min(MAX_POLL).mul_f64(0.5 + random_unit())
}
