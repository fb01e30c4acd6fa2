//! [`PollStats`]: what the poll task of a [`SharedWatch`](crate::SharedWatch) has done.

use std::collections::BTreeMap;

use crate::error::Error;

/// Counters of a [`SharedWatch`](crate::SharedWatch)'s polls since it was shared, read with
/// [`SharedWatch::stats`](crate::SharedWatch::stats); for exporters and health checks.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), wolkvox::Error> {
/// use wolkvox::mock::{Fault, MockWolkvox};
/// let mock = MockWolkvox::start_demo().await;
/// mock.fail_next(Fault::QuotaExceeded, 1);
/// let live = mock.client()?.skills().watch(wolkvox::RECOMMENDED_POLL_INTERVAL).share();
/// assert!(live.subscribe().next().await.is_none()); // quota gone: polling stopped
/// let stats = live.stats();
/// assert_eq!((stats.polls, stats.errors), (1, 1));
/// assert_eq!(stats.errors_of("quota_exceeded"), 1);
/// assert_eq!(stats.errors_of("timeout"), 0);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PollStats {
    /// Polls that completed, successful or not (a call's retries count as one poll).
    pub polls: u64,
    /// Polls that failed.
    pub errors: u64,
    /// Failed polls by the kind of their error, one of [`ERROR_KINDS`](Self::ERROR_KINDS);
    /// kinds that never happened are absent.
    pub errors_by_kind: BTreeMap<&'static str, u64>,
}

impl PollStats {
    /// Every error kind [`errors_by_kind`](Self::errors_by_kind) may hold, one per
    /// [`Error`] variant in `snake_case` (`Error::QuotaExceeded` is `"quota_exceeded"`).
    /// Exporters use it to publish every kind from the start, with 0.
    pub const ERROR_KINDS: &'static [&'static str] = Error::KINDS;

    /// Failed polls of one kind (see [`ERROR_KINDS`](Self::ERROR_KINDS)); 0 for a kind that
    /// never happened or does not exist.
    pub fn errors_of(&self, kind: &str) -> u64 {
        self.errors_by_kind.get(kind).copied().unwrap_or(0)
    }

    pub(crate) fn record_success(&mut self) {
        self.polls += 1;
    }

    pub(crate) fn record_error(&mut self, error: &Error) {
        self.polls += 1;
        self.errors += 1;
        *self.errors_by_kind.entry(error_kind(error)).or_insert(0) += 1;
    }
}

/// The `snake_case` name of an error's variant, as listed in [`PollStats::ERROR_KINDS`].
pub(crate) fn error_kind(error: &Error) -> &'static str {
    error.kind()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn counts_polls_and_errors_by_kind() {
        let mut stats = PollStats::default();
        stats.record_success();
        let timeout = Error::Timeout {
            timeout: Duration::from_secs(1),
            attempts: 3,
            waiting_for_turn: None,
        };
        stats.record_error(&timeout);
        stats.record_error(&timeout);
        stats.record_error(&Error::config("x"));
        assert_eq!(stats.polls, 4);
        assert_eq!(stats.errors, 3);
        assert_eq!(
            stats.errors_by_kind,
            BTreeMap::from([("config", 1), ("timeout", 2)])
        );
        assert_eq!(stats.errors_of("timeout"), 2);
        assert_eq!(stats.errors_of("api"), 0);
        assert_eq!(stats.errors_of("no such kind"), 0);
    }

    #[test]
    fn every_kind_is_listed() {
        let errors = [
            Error::config("x"),
            Error::invalid_request("x"),
            Error::Unauthorized {
                status: 403,
                message: String::new(),
                attempts: 1,
            },
            Error::QuotaExceeded {
                status: 403,
                message: String::new(),
                attempts: 1,
            },
            Error::ConcurrencyLimited {
                status: 403,
                message: String::new(),
                retry_after: None,
                attempts: 1,
            },
            Error::NotFound {
                status: 404,
                message: String::new(),
                attempts: 1,
            },
            Error::Api {
                status: 503,
                http_status: 503,
                code: None,
                message: String::new(),
                retry_after: None,
                attempts: 1,
            },
            Error::decode("body", "", "x", None),
            Error::Timeout {
                timeout: Duration::from_secs(1),
                attempts: 1,
                waiting_for_turn: None,
            },
            Error::Transport {
                host: String::new(),
                message: String::new(),
                attempts: 1,
                source: None,
            },
            Error::ResponseTooLarge {
                limit: 1,
                attempts: 1,
            },
            Error::TooManyRecords {
                report: "cdr_1".into(),
                from: jiff::civil::date(2026, 1, 1).at(0, 0, 0, 0),
                to: jiff::civil::date(2026, 1, 1).at(0, 0, 0, 0),
                limit: 60_000,
            },
            Error::OutcomeUnknown {
                endpoint: "campaign.php".into(),
                api: "add_record".into(),
                source: Box::new(Error::ResponseTooLarge {
                    limit: 1,
                    attempts: 1,
                }),
            },
            Error::Rejected {
                status: 404,
                message: String::new(),
                details: None,
                attempts: 1,
            },
            Error::BudgetExhausted {
                used: 1,
                budget: 1,
                day: jiff::civil::date(2026, 4, 30),
                resets_at: jiff::Timestamp::UNIX_EPOCH
                    .to_zoned_datetime(jiff::tz::TimeZone::fixed(jiff::tz::Offset::UTC)),
                attempts: 0,
            },
            Error::SharedLimits {
                message: String::new(),
                attempts: 0,
                source: None,
            },
        ];
        let kinds: Vec<&str> = errors.iter().map(error_kind).collect();
        assert_eq!(kinds, PollStats::ERROR_KINDS);
    }
}
