//! `ReportFollow`: a report kept current, tick after tick, re-reading a lookback span for the
//! rows that arrive late, and delivering each row once.
//!
//! Each tick reads `lower..=upper` in the usual windows (and record-limit splits), with
//! `upper` = now minus the settle time and `lower` = the last tick's end minus the lookback
//! (never before the last second delivered plus one, nor before `start`). Of an events
//! report, a row already delivered with the same content is dropped, by its fingerprint
//! ([`memory`]); an intervals or totals report is read per day, whole days from midnight, and
//! every window carries all its rows (replace that day's rows with them).

mod memory;
mod stream;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use jiff::SignedDuration;
use jiff::civil::DateTime;
use serde::Serialize;
use serde::de::DeserializeOwned;

use self::memory::{Memory, fingerprint};
pub use self::stream::FollowWindows;
use super::checkpoint::{Checkpoint, FollowCursor};
use super::request::ReportRequest;
use super::stream::ReportWindows;
use super::window::ReportKind;
use crate::error::Error;

/// How often a follow reads unless set otherwise: every 10 minutes.
const DEFAULT_EVERY: Duration = Duration::from_secs(600);
/// The span re-read for late rows unless set otherwise: 2 hours.
const DEFAULT_LOOKBACK: Duration = Duration::from_secs(2 * 3600);
/// The newest span not yet asked for unless set otherwise: 5 minutes.
const DEFAULT_SETTLE: Duration = Duration::from_secs(300);
/// The shortest period tokio's interval accepts; used when the floor is zero.
const TIMER_RESOLUTION: Duration = Duration::from_millis(1);
const SECOND: SignedDuration = SignedDuration::from_secs(1);

/// What time it is at the operation.
type Clock = Arc<dyn Fn() -> DateTime + Send + Sync>;

impl ReportRequest {
    /// Follows the report from `start` on, for ever: see [`ReportFollow`]. A range set on this
    /// request is not used (the follow's range is `start` to now); the report, its parameters,
    /// [`per_day`](Self::per_day), [`max_window`](Self::max_window) and
    /// [`record_limit`](Self::record_limit) are.
    ///
    /// ```no_run
    /// # async fn run(client: wolkvox::WolkvoxClient) -> Result<(), wolkvox::Error> {
    /// use std::time::Duration;
    /// use jiff::civil::date;
    /// use wolkvox::reports::CallRecord;
    ///
    /// let mut follow = client
    ///     .report("cdr_1")
    ///     .follow(date(2026, 10, 1).at(0, 0, 0, 0))
    ///     .every(Duration::from_secs(600))
    ///     .lookback(Duration::from_secs(2 * 3600))
    ///     .windows_as::<CallRecord>();
    /// while let Some(window) = follow.next().await {
    ///     match window {
    ///         Ok(window) => {
    ///             // window.rows: rows not delivered before (upsert them), then save
    ///             // window.checkpoint()
    ///         }
    ///         Err(error) => eprintln!("this tick failed, the next one tries again: {error}"),
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn follow(mut self, start: DateTime) -> ReportFollow {
        self.range = None;
        self.resume_after = None;
        ReportFollow {
            request: self,
            start,
            every: DEFAULT_EVERY,
            lookback: DEFAULT_LOOKBACK,
            settle: DEFAULT_SETTLE,
            cursor: None,
            clock: None,
        }
    }
}

/// A report followed from a start time on, from [`ReportRequest::follow`]: set how often it
/// reads ([`every`](Self::every)), what it re-reads ([`lookback`](Self::lookback)) and what it
/// leaves for later ([`settle`](Self::settle)), then read it with [`windows`](Self::windows)
/// or [`windows_as`](Self::windows_as).
///
/// Each tick reads from the last tick's end minus the lookback (at the first tick, from
/// `start`) up to now minus the settle time, in the usual windows and record-limit splits. Of
/// a report of events ([`ReportKind::Events`](super::ReportKind): `cdr_1`, `skill_2`, ...),
/// each window carries only the rows not delivered before: a re-read row identical to one
/// already delivered is dropped, a row whose content changed is delivered again (so the sink
/// upserts on the row's key). A totals report (`agent_1`, `skill_1`, ...) is read per day
/// ([`per_day`](ReportRequest::per_day) applies) from midnight, and a day is read again,
/// whole, while it is inside the lookback: its windows carry all the day's rows, to replace
/// the day's rows with. An intervals report (`skill_3`, `skill_4`, `agent_8`, ...) is read
/// the same way, since its rows are figures of their whole interval.
///
/// "Now" is the operation's clock: the system clock at the client's
/// [`operation_utc_offset`](crate::WolkvoxClientBuilder::operation_utc_offset), or
/// [`clock`](Self::clock).
#[derive(Clone)]
#[must_use = "a follow does nothing until read with .windows() or .windows_as()"]
pub struct ReportFollow {
    request: ReportRequest,
    start: DateTime,
    every: Duration,
    lookback: Duration,
    settle: Duration,
    cursor: Option<(DateTime, Option<FollowCursor>)>,
    clock: Option<Clock>,
}

impl fmt::Debug for ReportFollow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReportFollow")
            .field("request", &self.request)
            .field("start", &self.start)
            .field("every", &self.every)
            .field("lookback", &self.lookback)
            .field("settle", &self.settle)
            .field("resumed_through", &self.cursor.as_ref().map(|c| c.0))
            .field("clock", &self.clock.as_ref().map(|_| "custom"))
            .finish()
    }
}

impl ReportFollow {
    /// How often a tick starts (default 10 minutes), raised to the client's
    /// [`min_poll_interval`](crate::WolkvoxClientBuilder::min_poll_interval): every tick costs
    /// at least one request of the daily quota. A tick that takes longer delays the next
    /// one; ticks are never made up in a burst.
    pub fn every(mut self, every: Duration) -> Self {
        self.every = every;
        self
    }

    /// The span before the last tick's end that each tick reads again, for rows that arrive
    /// late under an earlier date (default 2 hours; a `cdr_1` row appears when the call ends,
    /// under the date it started). The rows remembered to drop re-read rows are those of
    /// this span.
    pub fn lookback(mut self, lookback: Duration) -> Self {
        self.lookback = lookback;
        self
    }

    /// The newest span not yet asked for, since rows may still be written there (default 5
    /// minutes): a tick reads up to now minus this.
    pub fn settle(mut self, settle: Duration) -> Self {
        self.settle = settle;
        self
    }

    /// Where "now" comes from, instead of the system clock at the operation's offset: for
    /// tests and replays (with the simulator's `MockWolkvox::set_now`). Called once per tick.
    ///
    /// ```
    /// # fn main() -> Result<(), wolkvox::Error> {
    /// use jiff::civil::date;
    /// # let client = wolkvox::WolkvoxClient::builder().server("0004").token("t").build()?;
    /// let follow = client
    ///     .report("cdr_1")
    ///     .follow(date(2026, 10, 1).at(0, 0, 0, 0))
    ///     .clock(|| date(2026, 10, 1).at(12, 0, 0, 0));
    /// # let _ = follow;
    /// # Ok(()) }
    /// ```
    pub fn clock(mut self, now: impl Fn() -> DateTime + Send + Sync + 'static) -> Self {
        self.clock = Some(Arc::new(now));
        self
    }

    /// Continues after `checkpoint`, from a window of a follow (or of an export): nothing up
    /// to its last second is delivered again, except that rows re-read in the lookback which
    /// the checkpoint does not remember (an export's checkpoint remembers none) come again.
    /// Rows are remembered by their serialized form, so resume with the same row type.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] when the checkpoint belongs to another report or was made
    /// with other parameters, or is of a checkpoint version this crate does not read.
    pub fn resume(mut self, checkpoint: &Checkpoint) -> Result<Self, Error> {
        checkpoint.check(&self.request.origin())?;
        self.cursor = Some((checkpoint.through(), checkpoint.follow().cloned()));
        Ok(self)
    }

    /// The follow as a stream of windows of JSON rows, as sent (see [`FollowWindows`]).
    pub fn windows(self) -> FollowWindows<serde_json::Value> {
        self.into_stream(ReportRequest::windows)
    }

    /// The follow as a stream of windows with each row decoded into `T` (a `TOTAL` summary
    /// row dropped). `T: Serialize`, since a row is remembered by its serialized form.
    pub fn windows_as<T>(self) -> FollowWindows<T>
    where
        T: DeserializeOwned + Serialize + Send + 'static,
    {
        self.into_stream(ReportRequest::windows_as::<T>)
    }

    fn into_stream<T: Serialize>(
        self,
        open: fn(ReportRequest) -> ReportWindows<T>,
    ) -> FollowWindows<T> {
        let pipeline = Arc::clone(&self.request.pipeline);
        let offset = pipeline.operation_utc_offset;
        let clock = self
            .clock
            .unwrap_or_else(|| Arc::new(move || offset.to_datetime(jiff::Timestamp::now())));
        // The report's name, parameters and max_window are checked once, here.
        let check = self.request.clone().between(self.start, self.start);
        let failed = check.planned_windows().err();
        let events = self.request.kind() == ReportKind::Events;
        let (position, cursor) = match self.cursor {
            Some((through, cursor)) => (Some(through), cursor),
            None => (None, None),
        };
        let (target, memory) = match cursor {
            Some(cursor) => (cursor.target, Memory::from_spans(cursor.seen)),
            None => (position.unwrap_or(self.start), Memory::default()),
        };
        let request = if events {
            self.request
        } else {
            self.request.per_day()
        };
        FollowWindows {
            origin: Arc::new(request.origin()),
            request,
            open,
            fingerprint: fingerprint::<T>,
            events,
            start: self.start,
            lookback: signed(self.lookback),
            settle: signed(self.settle),
            period: self
                .every
                .max(pipeline.min_poll_interval)
                .max(TIMER_RESOLUTION),
            clock,
            interval: None,
            tick: None,
            ticks: 0,
            position,
            target,
            memory,
            failed,
            ended: false,
        }
    }
}

/// A `Duration` as a `SignedDuration`, saturating (a lookback of centuries is "everything").
fn signed(duration: Duration) -> SignedDuration {
    SignedDuration::try_from(duration).unwrap_or(SignedDuration::MAX)
}

/// `dt` moved by `by`, saturating at the ends of jiff's range.
fn shift(dt: DateTime, by: SignedDuration) -> DateTime {
    dt.checked_add(by).unwrap_or(if by.is_negative() {
        DateTime::MIN
    } else {
        DateTime::MAX
    })
}

#[cfg(test)]
mod tests;
