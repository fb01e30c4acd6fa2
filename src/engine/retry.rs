//! Retry decisions and backoff, as pure functions (tested without HTTP).
//!
//! Only what [`Error::is_retryable`] allows is retried: timeouts, connection failures, 5xx
//! (the maintenance page included) and `ConcurrencyLimited`. Never `Unauthorized`,
//! `QuotaExceeded` (the daily quota is gone until tomorrow), `NotFound`, `Decode`, `Config` or
//! another 4xx. Backoff is exponential with full jitter; a `Retry-After` wins, capped at the
//! maximum backoff.

use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::error::Error;

/// Default number of retries after the first attempt.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// Default first backoff.
pub const DEFAULT_BACKOFF_BASE: Duration = Duration::from_millis(500);
/// Default longest backoff.
pub const DEFAULT_BACKOFF_MAX: Duration = Duration::from_secs(30);

/// How a client retries.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct RetryPolicy {
    pub(crate) max_retries: u32,
    pub(crate) base: Duration,
    pub(crate) max: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: DEFAULT_MAX_RETRIES,
            base: DEFAULT_BACKOFF_BASE,
            max: DEFAULT_BACKOFF_MAX,
        }
    }
}

impl RetryPolicy {
    /// What is wrong with the policy, if anything (for the builder's list of problems).
    pub(crate) fn validate(&self) -> Result<(), String> {
        if self.base > self.max {
            return Err(format!(
                "retry_backoff: the base ({:?}) is above the maximum ({:?})",
                self.base, self.max
            ));
        }
        Ok(())
    }

    /// Whether to try again after `error`, when `attempts` requests were made so far.
    pub(crate) fn should_retry(&self, error: &Error, attempts: u32) -> bool {
        error.is_retryable() && attempts <= self.max_retries
    }

    /// The wait before retry number `retry` (1 for the first retry). `unit` is a random
    /// number in [0, 1): full jitter picks uniformly between zero and the exponential cap.
    pub(crate) fn delay(&self, retry: u32, retry_after: Option<Duration>, unit: f64) -> Duration {
        if let Some(after) = retry_after {
            return after.min(self.max);
        }
        let exponent = retry.saturating_sub(1).min(30);
        let cap = self.base.saturating_mul(1 << exponent).min(self.max);
        cap.mul_f64(unit.clamp(0.0, 1.0))
    }
}

/// A random number in [0, 1), from the standard library's per-process random keys and a
/// counter (jitter needs spread, not cryptographic quality).
pub(crate) fn random_unit() -> f64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    static STATE: std::sync::OnceLock<RandomState> = std::sync::OnceLock::new();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let bits = STATE.get_or_init(RandomState::new).hash_one(n);
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_retries: 3,
            base: Duration::from_millis(100),
            max: Duration::from_secs(1),
        }
    }

    #[test]
    fn exponential_cap_with_full_jitter() {
        let p = policy();
        let ms = |d: Duration| d.as_millis();
        assert_eq!(ms(p.delay(1, None, 0.999_999)), 99);
        assert_eq!(ms(p.delay(2, None, 0.999_999)), 199);
        assert_eq!(ms(p.delay(3, None, 0.5)), 200);
        assert_eq!(ms(p.delay(5, None, 0.999_999)), 999, "capped at max");
        assert_eq!(
            ms(p.delay(40, None, 1.0)),
            1000,
            "no overflow on large retries"
        );
        assert_eq!(p.delay(2, None, 0.0), Duration::ZERO);
    }

    #[test]
    fn retry_after_wins_capped_at_max() {
        let p = policy();
        assert_eq!(
            p.delay(1, Some(Duration::from_millis(300)), 0.0),
            Duration::from_millis(300)
        );
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(120)), 0.0),
            Duration::from_secs(1)
        );
    }

    #[test]
    fn only_retryable_errors_within_budget() {
        let p = policy();
        let timeout = Error::Timeout {
            timeout: Duration::from_secs(1),
            attempts: 1,
            waiting_for_turn: None,
        };
        assert!(p.should_retry(&timeout, 1));
        assert!(p.should_retry(&timeout, 3));
        assert!(!p.should_retry(&timeout, 4));
        let quota = Error::QuotaExceeded {
            status: 403,
            message: "TOKEN LIMIT EXCEEDED".into(),
            attempts: 1,
        };
        assert!(!p.should_retry(&quota, 1));
        let off = RetryPolicy {
            max_retries: 0,
            ..policy()
        };
        assert!(!off.should_retry(&timeout, 1));
    }

    #[test]
    fn random_units_are_in_range_and_spread() {
        let samples: Vec<f64> = (0..1000).map(|_| random_unit()).collect();
        assert!(samples.iter().all(|u| (0.0..1.0).contains(u)));
        let low = samples.iter().filter(|u| **u < 0.5).count();
        assert!((350..650).contains(&low), "{low} of 1000 below 0.5");
    }

    #[test]
    fn base_above_max_is_a_problem() {
        let p = RetryPolicy {
            base: Duration::from_secs(2),
            ..policy()
        };
        assert_eq!(
            p.validate(),
            Err("retry_backoff: the base (2s) is above the maximum (1s)".to_owned())
        );
    }
}
