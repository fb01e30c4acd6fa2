//! The builder's settings of the token's limits: where they live, the daily budget, the
//! operation's UTC offset (which day a request counts on).

use std::fmt;
use std::sync::Arc;

use jiff::tz::Offset;

use super::WolkvoxClientBuilder;
use super::validate::Problems;
use crate::limits::token::{Clock, TokenLimits};
use crate::limits::{Limits, LocalLimits, Scope};

/// The operation's UTC offset unless set otherwise: `-05:00` (Colombia, where the vendor is).
pub const DEFAULT_OPERATION_UTC_OFFSET: Offset = Offset::constant(-5);

/// The limits part of a [`WolkvoxClientBuilder`].
#[derive(Clone)]
pub(super) struct LimitsSettings {
    shared: Option<Arc<dyn Limits>>,
    daily_budget: Option<u64>,
    offset: Offset,
    clock: Option<Clock>,
}

impl LimitsSettings {
    /// The operation's UTC offset.
    pub(super) fn offset(&self) -> Offset {
        self.offset
    }
}

impl Default for LimitsSettings {
    fn default() -> Self {
        LimitsSettings {
            shared: None,
            daily_budget: None,
            offset: DEFAULT_OPERATION_UTC_OFFSET,
            clock: None,
        }
    }
}

impl fmt::Debug for LimitsSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LimitsSettings")
            .field("shared_limits", &self.shared)
            .field("daily_budget", &self.daily_budget)
            .field("operation_utc_offset", &self.offset)
            .finish()
    }
}

impl LimitsSettings {
    /// Records what is wrong with the settings.
    pub(super) fn check(&self, problems: &mut Problems) {
        if self.daily_budget == Some(0) {
            problems.push(
                "daily_budget is 0, which allows no request at all: set at least 1, or leave it \
                 unset for no budget",
            );
        }
    }

    /// The limits of a client of `token` at `host` and `port`.
    pub(super) fn build(
        &self,
        host: &str,
        port: Option<u16>,
        token: &[u8],
        max_concurrent_requests: usize,
    ) -> TokenLimits {
        let scope = Scope::new(
            host,
            port,
            token,
            max_concurrent_requests,
            self.daily_budget,
        );
        let limits = self
            .shared
            .clone()
            .unwrap_or_else(|| Arc::new(LocalLimits::new()));
        TokenLimits::new(limits, scope, self.offset, self.clock.clone())
    }
}

impl WolkvoxClientBuilder {
    /// Keeps the token's concurrency slots and daily count in `limits` instead of this process
    /// alone: with `wolkvox::limits::RedisLimits` (feature `redis`), every process and
    /// machine using the same Redis shares them, so together they never have more than
    /// [`max_concurrent_requests`](Self::max_concurrent_requests) requests of the token in
    /// flight, and a [`daily_budget`](Self::daily_budget) holds for all of them. Any
    /// [`Limits`] implementation works (your own, on another engine).
    pub fn shared_limits(mut self, limits: impl Limits) -> Self {
        self.limits.shared = Some(Arc::new(limits));
        self
    }

    /// The most requests this token may make per operation day (default: no budget). Every
    /// request sent counts (retries, report windows and their splits, `token_info()`): a
    /// request beyond it is [`Error::BudgetExhausted`](crate::Error::BudgetExhausted) and is not
    /// sent. Within the process, or, with [`shared_limits`](Self::shared_limits), all processes
    /// together. The service's own quota (licences x 1000 a day) still applies; a
    /// `token_info()` answer raises the day's count to the service's `token_use_today` when it
    /// counted more. See [`WolkvoxClient::usage`](crate::WolkvoxClient::usage).
    ///
    /// ```
    /// # fn main() -> Result<(), wolkvox::Error> {
    /// let client = wolkvox::WolkvoxClient::builder()
    ///     .server("0004")
    ///     .token("my-token")
    ///     .daily_budget(4_000)
    ///     .build()?;
    /// # let _ = client;
    /// # Ok(()) }
    /// ```
    pub fn daily_budget(mut self, requests: u64) -> Self {
        self.limits.daily_budget = Some(requests);
        self
    }

    /// The operation's UTC offset (default [`DEFAULT_OPERATION_UTC_OFFSET`], `-05:00`): the
    /// day a request counts on for [`daily_budget`](Self::daily_budget) is the operation's
    /// calendar day at this offset. The vendor does not document when its own count resets.
    /// It is also "now" for a [`follow`](crate::reports::ReportRequest::follow) of a report
    /// (report dates are the operation's wall-clock time).
    ///
    /// ```
    /// # fn main() -> Result<(), wolkvox::Error> {
    /// use wolkvox::jiff::tz::Offset;
    /// let client = wolkvox::WolkvoxClient::builder()
    ///     .server("0004")
    ///     .token("my-token")
    ///     .operation_utc_offset(Offset::constant(-6)) // Mexico City
    ///     .build()?;
    /// # let _ = client;
    /// # Ok(()) }
    /// ```
    pub fn operation_utc_offset(mut self, offset: Offset) -> Self {
        self.limits.offset = offset;
        self
    }

    /// Where the day's "now" comes from (tests only).
    #[cfg(test)]
    pub(crate) fn clock(mut self, clock: Clock) -> Self {
        self.limits.clock = Some(clock);
        self
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicI64, Ordering};

    use jiff::Timestamp;
    use jiff::civil::date;
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    use super::*;
    use crate::error::Error;

    #[tokio::test]
    async fn the_day_rolls_over_at_the_operations_offset() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(
                r#"{"code":200,"msg":"0 records were found","data":[]}"#,
                "application/json",
            ))
            .mount(&server)
            .await;
        // 2026-05-01 04:59:58 UTC is 2026-04-30 23:59:58 in Bogota (-05:00).
        let now = Arc::new(AtomicI64::new(
            "2026-05-01T04:59:58Z"
                .parse::<Timestamp>()
                .unwrap()
                .as_second(),
        ));
        let clock_now = Arc::clone(&now);
        let client = crate::WolkvoxClient::builder()
            .base_url(&server.uri())
            .token("tok-clock")
            .daily_budget(2)
            .clock(Arc::new(move || {
                Timestamp::from_second(clock_now.load(Ordering::SeqCst)).unwrap_or_default()
            }))
            .build()
            .unwrap();
        client.skills().await.unwrap();
        client.skills().await.unwrap();
        let error = client.skills().await.unwrap_err();
        let Error::BudgetExhausted { day, resets_at, .. } = &error else {
            panic!("{error:?}")
        };
        assert_eq!(*day, date(2026, 4, 30));
        assert_eq!(
            resets_at.timestamp(),
            "2026-05-01T05:00:00Z".parse().unwrap()
        );
        assert!(
            error.to_string().contains("2026-05-01 00:00:00 -05:00"),
            "{error}"
        );

        // One second before midnight in Bogota: still the same day.
        now.fetch_add(1, Ordering::SeqCst);
        assert!(matches!(
            client.skills().await,
            Err(Error::BudgetExhausted { .. })
        ));
        // Midnight in Bogota (05:00 UTC, long after midnight UTC): a new day, a new count.
        now.fetch_add(1, Ordering::SeqCst);
        let usage = client.usage().await.unwrap();
        assert_eq!((usage.day, usage.used), (date(2026, 5, 1), 0));
        client.skills().await.unwrap();
        assert_eq!(client.usage().await.unwrap().used, 1);
        assert_eq!(server.received_requests().await.unwrap().len(), 3);

        // At UTC the same instant is already well into May 1st.
        let utc = crate::WolkvoxClient::builder()
            .base_url(&server.uri())
            .token("tok-clock-utc")
            .operation_utc_offset(Offset::UTC)
            .clock(Arc::new(|| {
                "2026-05-01T04:59:58Z".parse().unwrap_or_default()
            }))
            .build()
            .unwrap();
        assert_eq!(utc.usage().await.unwrap().day, date(2026, 5, 1));
    }
}
