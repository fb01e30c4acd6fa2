//! What a client's pipeline holds of its limits: the implementation, the scope, the
//! operation's UTC offset and the clock that tells the day.

use std::fmt;
use std::sync::Arc;

use jiff::Timestamp;
use jiff::tz::{Offset, TimeZone};
use tokio::time::Instant;

use super::{Day, Grant, Limits, Scope, Slot, Usage};
use crate::error::Error;

/// Where "now" comes from (a controlled clock in tests).
pub(crate) type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

/// The limits of one client: shared by its clones and the requests made from it.
#[derive(Clone)]
pub(crate) struct TokenLimits {
    limits: Arc<dyn Limits>,
    scope: Scope,
    offset: Offset,
    clock: Clock,
}

/// What waiting for a turn ended with.
pub(crate) enum Turn {
    /// A slot is held and the request counted: send it.
    Slot(Slot),
    /// The deadline passed first.
    Timeout,
    /// The budget is used up ([`Error::BudgetExhausted`]): send nothing.
    Exhausted(Error),
    /// The limits' store failed ([`Error::SharedLimits`], retryable): nothing was sent.
    Unavailable(Error),
}

impl TokenLimits {
    pub(crate) fn new(
        limits: Arc<dyn Limits>,
        scope: Scope,
        offset: Offset,
        clock: Option<Clock>,
    ) -> Self {
        TokenLimits {
            limits,
            scope,
            offset,
            clock: clock.unwrap_or_else(|| Arc::new(Timestamp::now)),
        }
    }

    /// The operation's day now.
    pub(crate) fn today(&self) -> Day {
        Day::at((self.clock)(), self.offset)
    }

    /// How many requests of the token may be in flight at once.
    pub(crate) fn max_in_flight(&self) -> usize {
        self.scope.max_in_flight()
    }

    /// Waits, until `deadline` at the latest, for a slot and the day's count of one request.
    pub(crate) async fn turn(&self, deadline: Instant) -> Turn {
        let day = self.today();
        match tokio::time::timeout_at(deadline, self.limits.acquire(&self.scope, &day)).await {
            Err(_) => Turn::Timeout,
            Ok(Ok(Grant::Slot(slot))) => Turn::Slot(slot),
            Ok(Ok(Grant::Exhausted { used })) => Turn::Exhausted(self.exhausted(&day, used)),
            Ok(Err(error)) => {
                let (message, source) = error.into_parts();
                Turn::Unavailable(Error::SharedLimits {
                    message,
                    attempts: 0,
                    source,
                })
            }
        }
    }

    fn exhausted(&self, day: &Day, used: u64) -> Error {
        Error::BudgetExhausted {
            used,
            budget: self.scope.budget().unwrap_or(used),
            day: day.date(),
            resets_at: day
                .ends_at()
                .to_zoned_datetime(TimeZone::fixed(day.offset())),
            attempts: 0,
        }
    }

    /// Today's count, as [`WolkvoxClient::usage`](crate::WolkvoxClient::usage) answers it.
    pub(crate) async fn usage(&self) -> Result<Usage, Error> {
        let day = self.today();
        let used = self.limits.used(&self.scope, &day).await.map_err(|error| {
            let (message, source) = error.into_parts();
            Error::SharedLimits {
                message,
                attempts: 0,
                source,
            }
        })?;
        Ok(Usage {
            used,
            budget: self.scope.budget(),
            day: day.date(),
            fallback_requests: self.limits.fallback_requests(),
        })
    }

    /// The service counted `service_count` requests of the token today: the day's count is
    /// raised to it if it is lower. A failure of the store is not the caller's: it is ignored
    /// (the next answer raises it again).
    pub(crate) async fn saw_service_count(&self, service_count: u64) {
        let day = self.today();
        let _ignored = self.limits.raise(&self.scope, &day, service_count).await;
    }
}

impl fmt::Debug for TokenLimits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenLimits")
            .field("limits", &self.limits)
            .field("scope", &self.scope)
            .field("offset", &self.offset)
            .finish_non_exhaustive()
    }
}
