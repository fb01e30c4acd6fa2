//! Whether Redis answers: an outage starts at the first failure (one `tracing` warning) and ends
//! at the first success (one `info` event). During an outage under `Fallback::Local`, calls do
//! not wait for Redis: one call a second tries it again.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::Fallback;

/// How often a call tries Redis again during an outage (under `Fallback::Local`).
pub(super) const PROBE_INTERVAL: Duration = Duration::from_secs(1);

/// Where a call takes its slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Route {
    /// In Redis (also the one call that tries it again during an outage).
    Shared,
    /// Under the process's own limits, without asking Redis.
    Local,
}

/// The state of the connection as the calls found it.
#[derive(Debug, Default)]
pub(super) struct Health {
    down: AtomicBool,
    /// During an outage: when a call may try Redis again.
    probe_at: Mutex<Option<Instant>>,
    outages: AtomicU64,
}

impl Health {
    /// Where the next call goes.
    pub(super) fn route(&self, fallback: Fallback) -> Route {
        if fallback == Fallback::Fail || !self.down.load(Ordering::Acquire) {
            return Route::Shared;
        }
        let now = Instant::now();
        let mut probe_at = self.probe_at.lock().unwrap_or_else(|p| p.into_inner());
        match *probe_at {
            Some(at) if now < at => Route::Local,
            _ => {
                *probe_at = Some(now + PROBE_INTERVAL);
                Route::Shared
            }
        }
    }

    /// Redis failed: starts an outage (and warns) unless one is going on.
    pub(super) fn failed(&self, error: &redis::RedisError, fallback: Fallback) {
        *self.probe_at.lock().unwrap_or_else(|p| p.into_inner()) =
            Some(Instant::now() + PROBE_INTERVAL);
        if self.down.swap(true, Ordering::AcqRel) {
            return;
        }
        self.outages.fetch_add(1, Ordering::Relaxed);
        #[cfg(feature = "tracing")]
        match fallback {
            Fallback::Local => tracing::warn!(
                error = %error,
                "wolkvox: the shared limits in Redis are unavailable; calls go on under this \
                 process's own limits (its slots and its count) until Redis answers again"
            ),
            Fallback::Fail => tracing::warn!(
                error = %error,
                "wolkvox: the shared limits in Redis are unavailable; calls fail with \
                 Error::SharedLimits until Redis answers again"
            ),
        }
        #[cfg(not(feature = "tracing"))]
        let _ = (error, fallback);
    }

    /// Redis answered: ends the outage, if there was one.
    pub(super) fn succeeded(&self) {
        if self.down.load(Ordering::Acquire) && self.down.swap(false, Ordering::AcqRel) {
            #[cfg(feature = "tracing")]
            tracing::info!("wolkvox: the shared limits in Redis are available again");
        }
    }

    /// Outages seen so far.
    #[cfg(test)]
    pub(super) fn outages(&self) -> u64 {
        self.outages.load(Ordering::Relaxed)
    }
}
