//! Retry decisions and backoff, as pure functions (tested without HTTP).
//!
//! [`classify`] looks at the operation and the failed attempt (its error, and the [`Stage`]
//! the exchange reached), in the style of smithy's `ClassifyRetry`:
//! - a read (`GET`) or a write marked idempotent is retried when [`Error::is_retryable`]
//!   allows it: timeouts, connection failures, 5xx (the maintenance page included) and
//!   `ConcurrencyLimited`; never `Unauthorized`, `QuotaExceeded` (the daily quota is gone
//!   until tomorrow), `NotFound`, `Decode`, `Config` or another 4xx;
//! - any other write is retried only when it certainly never reached the service: the
//!   connection could not be established, or the service answered 403 simultaneous requests
//!   or 429 (refused unprocessed). A refusal, a token or quota answer fails as it is; any
//!   other failure after the request was sent is an unknown outcome, never retried.
//!
//! Backoff is exponential with full jitter; a `Retry-After` wins, capped at the maximum
//! backoff.

use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::engine::operation::Operation;
use crate::engine::transport::{Failure, Stage};
use crate::error::Error;

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Try again (if the retry budget and the deadline allow).
    Retry,
    /// Return the error as it is.
    Fail,
    /// The request may have been applied: return [`Error::OutcomeUnknown`], never retry.
    Unknown,
}

/// The verdict on `failure`, an attempt of `operation` that failed.
pub(crate) fn classify(operation: &Operation, failure: &Failure) -> Verdict {
    let error = &failure.error;
    if !operation.is_unrepeatable() {
        return if error.is_retryable() {
            Verdict::Retry
        } else {
            Verdict::Fail
        };
    }
    match error {
        // Refused before it ran, whatever the stage.
        Error::ConcurrencyLimited { .. } => Verdict::Retry,
        // The service's answer says it did not apply it.
        Error::Unauthorized { .. }
        | Error::QuotaExceeded { .. }
        | Error::Rejected { .. }
        | Error::InvalidRequest { .. }
        | Error::Config { .. } => Verdict::Fail,
        _ => match failure.stage {
            Stage::Connecting if error.is_retryable() => Verdict::Retry,
            Stage::Connecting => Verdict::Fail,
            Stage::Sending | Stage::Answered => Verdict::Unknown,
        },
    }
}

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

    /// Whether the budget allows another attempt when `attempts` requests were made so far.
    pub(crate) fn allows(&self, attempts: u32) -> bool {
        attempts <= self.max_retries
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
    use crate::engine::operation::{Method, Target};

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
    fn the_budget_allows_max_retries_after_the_first_attempt() {
        let p = policy();
        assert!(p.allows(1));
        assert!(p.allows(3));
        assert!(!p.allows(4));
        let off = RetryPolicy {
            max_retries: 0,
            ..policy()
        };
        assert!(!off.allows(1));
    }

    fn operation(method: Method, idempotent: bool) -> Operation {
        Operation {
            method,
            target: Target::File("campaign.php".into()),
            query: vec![("api".into(), "add_record".into())],
            body: None,
            idempotent,
        }
    }

    fn failure(error: Error, stage: Stage) -> Failure {
        Failure { error, stage }
    }

    fn timeout() -> Error {
        Error::Timeout {
            timeout: Duration::from_secs(1),
            attempts: 1,
            waiting_for_turn: None,
        }
    }

    fn transport() -> Error {
        Error::Transport {
            host: "h".into(),
            message: "m".into(),
            attempts: 1,
            source: None,
        }
    }

    fn answered(status: u16, message: &str) -> Error {
        let body = format!(r#"{{"code":"{status}","msg":"{message}"}}"#);
        let raw = crate::engine::transport::RawResponse {
            status,
            retry_after: None,
            body: body.into_bytes(),
        };
        crate::decode::status::read_with(
            crate::decode::status::Rules::Write,
            (&raw).into(),
            &mut crate::decode::envelope::SkipRows,
        )
        .unwrap_err()
    }

    #[test]
    fn a_write_is_retried_only_when_it_never_reached_the_service() {
        let post = operation(Method::Post, false);
        let cases = [
            (failure(transport(), Stage::Connecting), Verdict::Retry),
            (failure(timeout(), Stage::Connecting), Verdict::Retry),
            (failure(transport(), Stage::Sending), Verdict::Unknown),
            (failure(timeout(), Stage::Sending), Verdict::Unknown),
            (failure(transport(), Stage::Answered), Verdict::Unknown),
            (
                failure(
                    answered(
                        403,
                        "EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)",
                    ),
                    Stage::Answered,
                ),
                Verdict::Retry,
            ),
            (
                failure(answered(429, "slow down"), Stage::Answered),
                Verdict::Retry,
            ),
            (
                failure(answered(503, "down"), Stage::Answered),
                Verdict::Unknown,
            ),
            (
                failure(answered(500, "boom"), Stage::Answered),
                Verdict::Unknown,
            ),
            (
                failure(
                    answered(404, "Campaign_id 1 does not exist"),
                    Stage::Answered,
                ),
                Verdict::Fail,
            ),
            (
                failure(answered(406, "invalid ip"), Stage::Answered),
                Verdict::Fail,
            ),
            (
                failure(answered(403, "TOKEN LIMIT EXCEEDED"), Stage::Answered),
                Verdict::Fail,
            ),
            (
                failure(
                    answered(401, "PLEASE ENTER THE WOLKVOX-TOKEN"),
                    Stage::Answered,
                ),
                Verdict::Fail,
            ),
            (
                failure(
                    Error::decode("body", "", "expected JSON", None),
                    Stage::Answered,
                ),
                Verdict::Unknown,
            ),
            (
                failure(
                    Error::ResponseTooLarge {
                        limit: 1,
                        attempts: 1,
                    },
                    Stage::Answered,
                ),
                Verdict::Unknown,
            ),
        ];
        for method in [Method::Post, Method::Put, Method::Delete] {
            let op = Operation {
                method,
                ..post.clone()
            };
            for (failure, verdict) in &cases {
                assert_eq!(classify(&op, failure), *verdict, "{method} {:?}", failure);
            }
        }
    }

    #[test]
    fn reads_and_idempotent_writes_keep_the_retry_table() {
        for op in [operation(Method::Get, true), operation(Method::Put, true)] {
            for (failure, verdict) in [
                (failure(timeout(), Stage::Sending), Verdict::Retry),
                (failure(transport(), Stage::Answered), Verdict::Retry),
                (
                    failure(answered(503, "down"), Stage::Answered),
                    Verdict::Retry,
                ),
                (
                    failure(answered(400, "bad"), Stage::Answered),
                    Verdict::Fail,
                ),
                (
                    failure(answered(403, "TOKEN LIMIT EXCEEDED"), Stage::Answered),
                    Verdict::Fail,
                ),
                (
                    failure(
                        Error::decode("body", "", "expected JSON", None),
                        Stage::Answered,
                    ),
                    Verdict::Fail,
                ),
            ] {
                assert_eq!(
                    classify(&op, &failure),
                    verdict,
                    "{:?} {failure:?}",
                    op.method
                );
            }
        }
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
