//! `LocalLimits`: the slots and the daily count within this process.

use super::{Day, Grant, Limits, LimitsError, LimitsFuture, Scope, Slot};

/// The slots and the daily count of a token within this process: the default of every
/// client.
///
/// Every client of the same host and token in the process shares one fair (FIFO) semaphore of
/// [`Scope::max_in_flight`] permits and one count per operation day, whichever `LocalLimits`
/// value it was given (they are all the same). Waiters are served in arrival order; a slot is
/// given back the moment its `Slot` is dropped. It never fails.
///
/// Other processes using the token are not seen: for them, use `RedisLimits` (feature
/// `redis`) or your own [`Limits`].
#[derive(Debug, Clone, Copy, Default)]
#[non_exhaustive]
pub struct LocalLimits;

impl LocalLimits {
    /// The in-process limits (the same as `LocalLimits::default()`).
    pub fn new() -> Self {
        LocalLimits
    }

    /// Counts one request with `permit` held: the grant, or the budget used up.
    pub(crate) fn grant(
        scope: &Scope,
        day: &Day,
        permit: tokio::sync::OwnedSemaphorePermit,
    ) -> Grant {
        match scope.local().count_one(day.date(), scope.budget()) {
            Ok(_) => Grant::Slot(Slot::new(permit)),
            Err(used) => Grant::Exhausted { used },
        }
    }

    /// The process's budget check before waiting for a turn: `Some(used)` when it is used up.
    pub(crate) fn exhausted(scope: &Scope, day: &Day) -> Option<u64> {
        let used = scope.local().used(day.date());
        scope
            .budget()
            .filter(|budget| used >= *budget)
            .map(|_| used)
    }

    /// Waits for this process's turn of `scope`.
    pub(crate) async fn permit(
        scope: &Scope,
    ) -> Result<tokio::sync::OwnedSemaphorePermit, LimitsError> {
        scope
            .local()
            .acquire()
            .await
            .ok_or_else(|| LimitsError::new("the process's semaphore of the token was closed"))
    }
}

impl Limits for LocalLimits {
    fn acquire<'a>(
        &'a self,
        scope: &'a Scope,
        day: &'a Day,
    ) -> LimitsFuture<'a, Result<Grant, LimitsError>> {
        Box::pin(async move {
            if let Some(used) = Self::exhausted(scope, day) {
                return Ok(Grant::Exhausted { used });
            }
            let permit = Self::permit(scope).await?;
            Ok(Self::grant(scope, day, permit))
        })
    }

    fn used<'a>(
        &'a self,
        scope: &'a Scope,
        day: &'a Day,
    ) -> LimitsFuture<'a, Result<u64, LimitsError>> {
        Box::pin(async move { Ok(scope.local().used(day.date())) })
    }

    fn raise<'a>(
        &'a self,
        scope: &'a Scope,
        day: &'a Day,
        at_least: u64,
    ) -> LimitsFuture<'a, Result<u64, LimitsError>> {
        Box::pin(async move { Ok(scope.local().raise(day.date(), at_least)) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::tz::Offset;

    fn day() -> Day {
        Day::at(
            "2026-04-30T15:00:00Z".parse().unwrap(),
            Offset::constant(-5),
        )
    }

    #[tokio::test]
    async fn slots_are_held_until_dropped_and_the_budget_stops_requests() {
        let scope = Scope::new("local.example", None, b"tok-local-limits", 1, Some(3));
        let limits = LocalLimits::new();
        let day = day();
        let Ok(Grant::Slot(first)) = limits.acquire(&scope, &day).await else {
            panic!("a slot")
        };
        let second = limits.acquire(&scope, &day);
        tokio::pin!(second);
        assert!(
            tokio::time::timeout(std::time::Duration::from_millis(20), &mut second)
                .await
                .is_err(),
            "one slot: the second waits"
        );
        drop(first);
        let Ok(Grant::Slot(second)) = second.await else {
            panic!("a slot once the first is dropped")
        };
        drop(second);
        assert!(matches!(
            limits.acquire(&scope, &day).await,
            Ok(Grant::Slot(_))
        ));
        assert!(matches!(
            limits.acquire(&scope, &day).await,
            Ok(Grant::Exhausted { used: 3 })
        ));
        assert_eq!(limits.used(&scope, &day).await.unwrap(), 3);
        assert_eq!(limits.raise(&scope, &day, 7).await.unwrap(), 7);
        assert_eq!(limits.fallback_requests(), 0);
    }
}
