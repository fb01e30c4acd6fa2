//! `FollowWindows`: the ticks of a follow, each one a [`ReportWindows`] whose windows are
//! delivered with the rows not delivered before.

use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use jiff::SignedDuration;
use jiff::civil::DateTime;
use tokio::time::{Interval, MissedTickBehavior};

use super::memory::Memory;
use super::{Clock, SECOND, shift};
use crate::api::reports::checkpoint::{FollowCursor, Origin, Resume};
use crate::api::reports::request::ReportRequest;
use crate::api::reports::stream::{ReportWindow, ReportWindows};
use crate::error::Error;

/// One tick: its windows and what it reads up to.
pub(super) struct Tick<T> {
    windows: ReportWindows<T>,
    upper: DateTime,
    /// The next tick re-reads from here at the earliest: rows before it need not be kept.
    keep_from: DateTime,
}

/// The windows of a [`ReportFollow`](super::ReportFollow), as a stream of `Result<ReportWindow<T>, Error>`, tick
/// after tick, for ever.
///
/// Each window is one window read in a tick (`from`/`to` as requested), with the rows not
/// delivered before (possibly none; the window is still yielded, so that its
/// [`checkpoint`](ReportWindow::checkpoint) can be saved). Save the checkpoint after storing
/// the rows, and resume with [`ReportFollow::resume`](super::ReportFollow::resume): the checkpoint remembers the rows
/// of the lookback span (a 64-bit fingerprint each), so a restarted follow delivers no row
/// twice and misses none.
///
/// Errors are yielded and the follow goes on at the next tick (from the last window
/// delivered), except [`Error::Unauthorized`], [`Error::QuotaExceeded`] and
/// [`Error::InvalidRequest`], after which the stream ends.
///
/// Read it with the inherent [`next`](Self::next), or as a [`Stream`]; it is `Unpin`.
/// Dropping it stops the requests not yet sent.
#[must_use = "a stream does nothing unless polled"]
pub struct FollowWindows<T> {
    pub(super) request: ReportRequest,
    pub(super) open: fn(ReportRequest) -> ReportWindows<T>,
    pub(super) fingerprint: fn(&T) -> Option<u64>,
    pub(super) origin: Arc<Origin>,
    /// Whether the report is of events (rows deduplicated), not intervals or totals (whole
    /// days, every row).
    pub(super) events: bool,
    pub(super) start: DateTime,
    pub(super) lookback: SignedDuration,
    pub(super) settle: SignedDuration,
    pub(super) period: Duration,
    pub(super) clock: Clock,
    pub(super) interval: Option<Interval>,
    pub(super) tick: Option<Tick<T>>,
    pub(super) ticks: u64,
    /// The last second delivered, if any.
    pub(super) position: Option<DateTime>,
    /// The end of the last tick that delivered a window.
    pub(super) target: DateTime,
    pub(super) memory: Memory,
    pub(super) failed: Option<Error>,
    pub(super) ended: bool,
}

impl<T> fmt::Debug for FollowWindows<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FollowWindows")
            .field("api", &self.origin.report)
            .field("period", &self.period)
            .field("ticks", &self.ticks)
            .field("through", &self.position)
            .field("rows_remembered", &self.memory.len())
            .field("ended", &self.ended)
            .finish_non_exhaustive()
    }
}

// No field is ever pinned: the windows in flight are `Unpin` whatever `T` is.
impl<T> Unpin for FollowWindows<T> {}

impl<T: Send + 'static> FollowWindows<T> {
    /// The next window: waits for the next tick if this one has no window left. `None` once
    /// the stream has ended (after [`Error::Unauthorized`], [`Error::QuotaExceeded`] or
    /// [`Error::InvalidRequest`]).
    ///
    /// Cancel-safe: the follow's state lives in the stream, so a dropped `next()` loses no
    /// window, and the windows in flight keep going.
    pub async fn next(&mut self) -> Option<Result<ReportWindow<T>, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// The time between two ticks (after the `min_poll_interval` floor).
    pub fn period(&self) -> Duration {
        self.period
    }

    /// Starts the next tick, unless there is nothing to read yet.
    fn start_tick(&mut self) {
        let upper = shift((self.clock)(), -self.settle);
        let upper = upper.with().subsec_nanosecond(0).build().unwrap_or(upper);
        let mut lower = match self.position {
            None => self.start,
            Some(through) => {
                let reread = shift(shift(self.target, SECOND), -self.lookback);
                shift(through, SECOND).min(reread)
            }
        }
        .max(self.start);
        if !self.events {
            // Intervals and totals: whole days, from midnight.
            lower = lower
                .date()
                .to_datetime(jiff::civil::Time::midnight())
                .max(self.start);
        }
        if upper < lower || self.position == Some(DateTime::MAX) {
            return;
        }
        self.memory.forget_before(lower);
        self.ticks += 1;
        let request = self.request.clone().between(lower, upper);
        self.tick = Some(Tick {
            windows: (self.open)(request),
            upper,
            keep_from: shift(shift(upper, SECOND), -self.lookback),
        });
    }

    /// The window with the rows not delivered before, and its checkpoint.
    fn deliver(
        &mut self,
        window: ReportWindow<T>,
        upper: DateTime,
        keep_from: DateTime,
    ) -> ReportWindow<T> {
        let ReportWindow {
            from, to, mut rows, ..
        } = window;
        if self.events {
            let remember = to >= keep_from;
            let mut seen = Vec::new();
            if remember || self.memory.overlaps(from, to) {
                let (memory, hash) = (&self.memory, self.fingerprint);
                if remember {
                    seen.reserve(rows.len());
                }
                rows.retain(|row| match hash(row) {
                    Some(print) => {
                        if remember {
                            seen.push(print);
                        }
                        !memory.delivered(from, to, print)
                    }
                    None => true,
                });
            }
            self.memory.record(self.ticks, (from, to), seen, keep_from);
        }
        let through = self.position.map_or(to, |p| p.max(to));
        self.position = Some(through);
        self.target = upper;
        let cursor = FollowCursor {
            target: upper,
            seen: self.memory.spans().to_vec(),
        };
        ReportWindow {
            from,
            to,
            rows,
            resume: Resume {
                origin: Arc::clone(&self.origin),
                through,
                follow: Some(Arc::new(cursor)),
            },
        }
    }
}

/// Errors after which following cannot succeed.
fn is_terminal(error: &Error) -> bool {
    matches!(
        error,
        Error::Unauthorized { .. } | Error::QuotaExceeded { .. } | Error::InvalidRequest { .. }
    )
}

impl<T: Send + 'static> Stream for FollowWindows<T> {
    type Item = Result<ReportWindow<T>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(error) = this.failed.take() {
                this.ended = true;
                return Poll::Ready(Some(Err(error)));
            }
            if this.ended {
                return Poll::Ready(None);
            }
            if let Some(tick) = this.tick.as_mut() {
                let (upper, keep_from) = (tick.upper, tick.keep_from);
                match std::task::ready!(Pin::new(&mut tick.windows).poll_next(cx)) {
                    Some(Ok(window)) => {
                        return Poll::Ready(Some(Ok(this.deliver(window, upper, keep_from))));
                    }
                    Some(Err(error)) => {
                        this.tick = None;
                        this.ended = is_terminal(&error);
                        return Poll::Ready(Some(Err(error)));
                    }
                    None => {
                        this.tick = None;
                        continue;
                    }
                }
            }
            let period = this.period;
            let interval = this.interval.get_or_insert_with(|| {
                let mut interval = tokio::time::interval(period);
                interval.set_missed_tick_behavior(MissedTickBehavior::Delay);
                interval
            });
            std::task::ready!(interval.poll_tick(cx));
            this.start_tick();
        }
    }
}
