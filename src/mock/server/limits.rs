//! The service's limits: the daily quota of the token and the simultaneous requests it may
//! have in flight.

use std::sync::{Arc, Mutex};

use super::state::{State, lock};
use crate::mock::MockWolkvox;
use crate::mock::demo::dates::today;

/// The token's daily quota: requests served today (UTC) against the limit.
#[derive(Debug)]
pub(in crate::mock) struct Quota {
    pub(in crate::mock) limit: u64,
    day: i64,
    used: u64,
}

impl Quota {
    /// A quota of `limit` requests a day, none used.
    pub(in crate::mock) fn new(limit: u64) -> Self {
        Quota {
            limit,
            day: today(),
            used: 0,
        }
    }

    /// Requests counted today.
    pub(in crate::mock) fn used_today(&mut self) -> u64 {
        let today = today();
        if today != self.day {
            self.day = today;
            self.used = 0;
        }
        self.used
    }

    /// Counts one request, unless the quota is used up (then false).
    pub(in crate::mock) fn take(&mut self) -> bool {
        if self.used_today() >= self.limit {
            return false;
        }
        self.used += 1;
        true
    }
}

/// The requests of the token being served, against the limit.
#[derive(Debug)]
pub(in crate::mock) struct Concurrency {
    pub(in crate::mock) limit: usize,
    in_flight: usize,
    peak: usize,
}

impl Concurrency {
    /// A limit of `limit` requests at once, none in flight.
    pub(in crate::mock) fn new(limit: usize) -> Self {
        Concurrency {
            limit,
            in_flight: 0,
            peak: 0,
        }
    }

    /// Counts one more request in flight, unless the limit is reached (then false).
    fn enter(&mut self) -> bool {
        if self.in_flight >= self.limit {
            return false;
        }
        self.in_flight += 1;
        self.peak = self.peak.max(self.in_flight);
        true
    }
}

/// One request of the token in flight: it leaves when this is dropped, once its answer has
/// been written (the guard travels with the answer's body).
pub(in crate::mock) struct InFlight {
    state: Arc<Mutex<State>>,
}

impl std::fmt::Debug for InFlight {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("InFlight")
    }
}

impl InFlight {
    /// Enters one request, or `None` when the limit is reached. `guarded` is the state
    /// `state` locks.
    pub(in crate::mock) fn enter(state: &mut State, guarded: &Arc<Mutex<State>>) -> Option<Self> {
        state.concurrency.enter().then(|| InFlight {
            state: Arc::clone(guarded),
        })
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut state = lock(&self.state);
        state.concurrency.in_flight = state.concurrency.in_flight.saturating_sub(1);
    }
}

impl MockWolkvox {
    /// Sets the token's daily quota (default
    /// [`DEFAULT_TOKEN_LIMIT`](crate::mock::DEFAULT_TOKEN_LIMIT)). Every request that passes
    /// the token check and the concurrency limit, and is not answered by a
    /// [`Fault`](crate::mock::Fault) other than a delay, counts, on every endpoint
    /// (`token_info` included, which reports the count as `token_use_today`); once the count
    /// for today (UTC) reaches the limit, every further request answers 403
    /// `TOKEN LIMIT EXCEEDED` ([`Error::QuotaExceeded`](crate::Error::QuotaExceeded)) until
    /// the limit is raised or the day changes.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), wolkvox::Error> {
    /// use wolkvox::Error;
    /// let mock = wolkvox::mock::MockWolkvox::start_demo().await;
    /// mock.set_token_limit(1);
    /// let client = mock.client()?;
    /// client.skills().await?;
    /// assert!(matches!(client.skills().await, Err(Error::QuotaExceeded { .. })));
    /// # Ok(()) }
    /// ```
    pub fn set_token_limit(&self, limit: u64) {
        self.state().quota.limit = limit;
    }

    /// Sets how many requests of the token may be in flight at once (default
    /// [`DEFAULT_CONCURRENCY_LIMIT`](crate::mock::DEFAULT_CONCURRENCY_LIMIT), 2, like the live
    /// service); `usize::MAX` switches the limit off. A request with the right token that
    /// arrives while `n` are being served answers at once 403
    /// `EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (n)`
    /// ([`Error::ConcurrencyLimited`](crate::Error::ConcurrencyLimited)); it is counted and
    /// recorded, but costs no quota and uses no queued fault.
    ///
    /// A request is in flight from the moment it has fully arrived until its answer has been
    /// written, a [`Fault::Delay`](crate::mock::Fault::Delay) included (even when the client
    /// hung up meanwhile). Refused requests (token, concurrency) are never in flight.
    pub fn set_concurrency_limit(&self, n: usize) {
        self.state().concurrency.limit = n;
    }

    /// The most requests of the token the simulator has had in flight at once so far (see
    /// [`set_concurrency_limit`](Self::set_concurrency_limit) for what counts): a client
    /// that respects the limit keeps it at or below 2.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), wolkvox::Error> {
    /// let mock = wolkvox::mock::MockWolkvox::start_demo().await;
    /// let client = mock.client()?;
    /// let (skills, agents) = tokio::join!(client.skills(), client.agents());
    /// assert_eq!((skills?.len(), agents?.len()), (12, 10));
    /// assert_eq!(mock.max_in_flight(), 1, "the client sends one request at a time by default");
    /// # Ok(()) }
    /// ```
    pub fn max_in_flight(&self) -> usize {
        self.state().concurrency.peak
    }

    /// How many requests reached the simulator so far, on any path, refused ones included.
    pub fn request_count(&self) -> u64 {
        self.state().requests
    }
}
