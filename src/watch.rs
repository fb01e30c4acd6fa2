//! Polling streams: one snapshot now, then one per interval.
//!
//! Requests never overlap (the next starts only after the previous one finished) and missed
//! ticks are skipped, never made up in a burst: after a slow call or a consumer that stopped
//! reading for a while, exactly one request is made at once, and the next one a full interval
//! after it (tokio's `MissedTickBehavior::Delay`). The stream is lazy: nothing is requested
//! while the consumer is not polling it.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use tokio::time::{Interval, MissedTickBehavior};

use crate::client::WolkvoxClient;
use crate::error::Error;
use crate::model::SkillRealtime;
use crate::request::ResponseFuture;

/// The vendor's recommended cadence for real-time reports: one poll every 5 minutes.
///
/// Each poll counts against the operation's daily quota (licences x 1000 requests), and the
/// real-time figures are aggregated server-side, so polling faster mostly burns quota. Use a
/// shorter interval only for a short time (a wallboard during a peak), and never below a few
/// seconds.
pub const RECOMMENDED_POLL_INTERVAL: Duration = Duration::from_secs(5 * 60);

/// The shortest interval a watch uses; shorter ones are raised to it.
const MIN_INTERVAL: Duration = Duration::from_millis(1);

/// A stream of snapshots: the first one immediately, then one per interval.
///
/// Errors are yielded as items and polling goes on, except after [`Error::Unauthorized`] and
/// [`Error::QuotaExceeded`]: the stream yields that error and ends, since polling on would
/// only fail again. Drop the stream to stop polling.
///
/// Consume it with any `Stream` combinator library (`futures::StreamExt`,
/// `tokio_stream::StreamExt`), or poll it directly.
#[must_use = "a stream does nothing unless polled"]
pub struct Watch<T> {
    make: Box<dyn FnMut() -> ResponseFuture<T> + Send>,
    period: Duration,
    interval: Option<Interval>,
    in_flight: Option<ResponseFuture<T>>,
    ended: bool,
}

impl<T> fmt::Debug for Watch<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Watch")
            .field("period", &self.period)
            .field("in_flight", &self.in_flight.is_some())
            .field("ended", &self.ended)
            .finish_non_exhaustive()
    }
}

impl<T> Watch<T> {
    pub(crate) fn new(
        period: Duration,
        make: impl FnMut() -> ResponseFuture<T> + Send + 'static,
    ) -> Self {
        Watch {
            make: Box::new(make),
            period: period.max(MIN_INTERVAL),
            interval: None,
            in_flight: None,
            ended: false,
        }
    }

    /// The time between two snapshots.
    pub fn period(&self) -> Duration {
        self.period
    }
}

/// Errors after which polling cannot succeed today.
fn is_terminal(error: &Error) -> bool {
    matches!(
        error,
        Error::Unauthorized { .. } | Error::QuotaExceeded { .. }
    )
}

impl<T> Stream for Watch<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if this.ended {
                return Poll::Ready(None);
            }
            if let Some(call) = this.in_flight.as_mut() {
                let result = std::task::ready!(call.as_mut().poll(cx));
                this.in_flight = None;
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
            this.in_flight = Some((this.make)());
        }
    }
}

impl WolkvoxClient {
    /// Polls every skill: the first snapshot now, then one per `interval` (see
    /// [`RECOMMENDED_POLL_INTERVAL`]). Same as `client.skills().watch(interval)`.
    ///
    /// ```no_run
    /// # async fn run(client: wolkvox::WolkvoxClient) {
    /// use futures_core::Stream;
    /// let mut snapshots = std::pin::pin!(client.watch_skills(wolkvox::RECOMMENDED_POLL_INTERVAL));
    /// while let Some(snapshot) = std::future::poll_fn(|cx| snapshots.as_mut().poll_next(cx)).await {
    ///     match snapshot {
    ///         Ok(skills) => println!("{} skills", skills.len()),
    ///         Err(error) => eprintln!("poll failed: {error}"),
    ///     }
    /// }
    /// # }
    /// ```
    pub fn watch_skills(&self, interval: Duration) -> Watch<Vec<SkillRealtime>> {
        self.skills().watch(interval)
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
    pub fn share(self) -> crate::shared::SharedWatch<T> {
        crate::shared::SharedWatch::spawn(self)
    }
}
