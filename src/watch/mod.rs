//! Polling streams: one snapshot now, then one per interval.
//!
//! Timing, exactly: the first request starts when the stream is first polled. Each later
//! request starts one interval after the previous one *started*, or right after the previous
//! one finished if it took longer than the interval (tokio's `MissedTickBehavior::Delay`):
//! requests never overlap and missed ticks are never made up in a burst. Nothing is requested
//! while the consumer is not asking for the next item, except the one call already started.
//!
//! Each call runs in its own task, so a consumer that gives up on `next()` (a `timeout`, a
//! `select!`) does not leave the call stuck holding the token's turn: the call finishes on its
//! own and its answer waits in the stream. An answer that waited unread longer than one interval
//! (and at least a second) is stale; it is discarded and a fresh one is requested at once.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use tokio::task::JoinHandle;
use tokio::time::{Instant, Interval, MissedTickBehavior};

use crate::error::Error;

mod shared;

pub use shared::{PollStats, SharedWatch, Snapshot, SnapshotStream};

/// The vendor's recommended cadence for real-time reports: one poll every 5 minutes.
///
/// Each poll counts against the operation's daily quota (licences x 1000 requests), and the
/// real-time figures are aggregated server-side, so polling faster mostly burns quota. Use a
/// shorter interval only for a short time (a wallboard during a peak); the client's
/// `min_poll_interval` (60 s by default) is the floor.
pub const RECOMMENDED_POLL_INTERVAL: Duration = Duration::from_secs(5 * 60);

/// The shortest period tokio's interval accepts; used when the floor is zero.
const TIMER_RESOLUTION: Duration = Duration::from_millis(1);

/// An answer that waited unread longer than this (or than the period, if longer) is stale.
const STALE_AFTER_AT_LEAST: Duration = Duration::from_secs(1);

/// A boxed call, as a watch starts it each period.
type Call<T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'static>>;

/// A stream of snapshots: the first one immediately, then one per interval (see the timing
/// rules in [`next`](Watch::next)).
///
/// Errors are yielded as items and polling goes on, except after [`Error::Unauthorized`] and
/// [`Error::QuotaExceeded`]: the stream yields that error and ends, since polling on would
/// only fail again. Drop the stream to stop polling.
///
/// Read it with the inherent [`next`](Watch::next) (no other crate needed), or as a
/// [`Stream`] with any combinator library.
#[must_use = "a stream does nothing unless polled"]
pub struct Watch<T> {
    make: Box<dyn FnMut() -> Call<T> + Send>,
    period: Duration,
    interval: Option<Interval>,
    /// The call started for the next item, and when its answer arrived.
    pending: Option<JoinHandle<(Instant, Result<T, Error>)>>,
    ended: bool,
}

impl<T> fmt::Debug for Watch<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Watch")
            .field("period", &self.period)
            .field("pending", &self.pending.is_some())
            .field("ended", &self.ended)
            .finish_non_exhaustive()
    }
}

impl<T: Send + 'static> Watch<T> {
    /// A watch calling `make()` once per `period`, raised to `floor` (with one warning).
    pub(crate) fn new<F>(
        period: Duration,
        floor: Duration,
        mut make: impl FnMut() -> F + Send + 'static,
    ) -> Self
    where
        F: Future<Output = Result<T, Error>> + Send + 'static,
    {
        let period = if period < floor {
            #[cfg(feature = "tracing")]
            tracing::warn!(
                requested_ms = period.as_millis() as u64,
                floor_ms = floor.as_millis() as u64,
                "wolkvox: watch interval below min_poll_interval, raised to it (every poll costs \
                 one request of the daily quota)"
            );
            floor
        } else {
            period
        };
        Watch {
            make: Box::new(move || Box::pin(make())),
            period: period.max(TIMER_RESOLUTION),
            interval: None,
            pending: None,
            ended: false,
        }
    }

    /// The time between two snapshots (after the `min_poll_interval` floor).
    pub fn period(&self) -> Duration {
        self.period
    }

    /// The next snapshot: waits for the next tick, makes one call, and answers its result.
    /// `None` once the stream has ended (after [`Error::Unauthorized`] or
    /// [`Error::QuotaExceeded`]).
    ///
    /// Cancel-safe: if this future is dropped before it completes, the call it started goes
    /// on in its own task and gives the token's turn back when the server has answered; the
    /// next `next()` answers that result, or a fresh one if it waited unread longer than one
    /// interval (and at least a second).
    ///
    /// ```no_run
    /// # async fn run(client: wolkvox::WolkvoxClient) {
    /// let mut agents = client.agents().watch(wolkvox::RECOMMENDED_POLL_INTERVAL);
    /// while let Some(snapshot) = agents.next().await {
    ///     match snapshot {
    ///         Ok(agents) => println!("{} agents logged in", agents.len()),
    ///         Err(error) => eprintln!("poll failed: {error}"),
    ///     }
    /// }
    /// # }
    /// ```
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Starts the next call in its own task.
    fn start_call(&mut self) {
        let call = (self.make)();
        self.pending = Some(tokio::spawn(async move {
            let result = call.await;
            (Instant::now(), result)
        }));
    }
}

impl<T> Drop for Watch<T> {
    fn drop(&mut self) {
        // Stops the retries and the wait for a turn; a request already at the server runs in
        // a task of its own and keeps its slot until it is answered.
        if let Some(pending) = &self.pending {
            pending.abort();
        }
    }
}

/// Errors after which polling cannot succeed today.
fn is_terminal(error: &Error) -> bool {
    matches!(
        error,
        Error::Unauthorized { .. } | Error::QuotaExceeded { .. }
    )
}

impl<T: Send + 'static> Stream for Watch<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if this.ended {
                return Poll::Ready(None);
            }
            if let Some(pending) = this.pending.as_mut() {
                let joined = std::task::ready!(Pin::new(pending).poll(cx));
                this.pending = None;
                let (answered_at, result) = match joined {
                    Ok(answer) => answer,
                    Err(join_error) if join_error.is_panic() => {
                        std::panic::resume_unwind(join_error.into_panic())
                    }
                    // Cancelled: only at runtime shutdown; poll again.
                    Err(_) => continue,
                };
                if answered_at.elapsed() > this.period.max(STALE_AFTER_AT_LEAST) {
                    // Nobody read it for a whole interval: ask again rather than hand out an
                    // old figure as if it were new.
                    if let Some(interval) = this.interval.as_mut() {
                        interval.reset();
                    }
                    this.start_call();
                    continue;
                }
                if let Err(error) = &result {
                    this.ended = is_terminal(error);
                }
                return Poll::Ready(Some(result));
            }
            let period = this.period;
            let interval = this.interval.get_or_insert_with(|| {
                let mut interval = tokio::time::interval(period);
                interval.set_missed_tick_behavior(MissedTickBehavior::Delay);
                interval
            });
            std::task::ready!(interval.poll_tick(cx));
            this.start_call();
        }
    }
}

impl<T: Send + Sync + 'static> Watch<T> {
    /// Moves this watch into one background task (`tokio::spawn`) and returns a cheap handle
    /// whose clones and subscribers all read that one poll: see [`SharedWatch`](crate::SharedWatch).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), wolkvox::Error> {
    /// # let mock = wolkvox::mock::MockWolkvox::start_demo().await;
    /// # let client = mock.client()?;
    /// let live = client.skills().watch(wolkvox::RECOMMENDED_POLL_INTERVAL).share();
    /// let (mut a, mut b) = (live.subscribe(), live.subscribe());
    /// let (a, b) = (a.next().await, b.next().await);
    /// assert_eq!(a.map(|s| s.value.len()), b.map(|s| s.value.len()));
    /// assert_eq!(mock.request_count(), 1);
    /// # Ok(()) }
    /// ```
    pub fn share(self) -> SharedWatch<T> {
        SharedWatch::spawn(self)
    }
}
