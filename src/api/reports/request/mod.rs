//! `ReportRequest`: one historical report over one date range, with its options; it plans the
//! windows the service accepts and hands them to [`ReportWindows`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use jiff::civil::{Date, DateTime};

use super::checkpoint::{Checkpoint, Origin};
use crate::api::params::Params;
use crate::decode::envelope;
use crate::engine::pipeline::Pipeline;
use crate::error::Error;

/// The record limit of one call, as the vendor publishes it.
pub const DEFAULT_RECORD_LIMIT: usize = 60_000;

/// Parameters the crate sets itself.
const RESERVED: [&str; 3] = ["api", "date_ini", "date_end"];

/// A historical report (`reports_manager.php`) over a date range, from
/// [`WolkvoxClient::report`](crate::WolkvoxClient::report).
///
/// Set the range ([`between`](Self::between), [`days`](Self::days) or [`on`](Self::on)) and
/// any parameter, then `.await` it (same as [`send`](Self::send)), or read it window by window
/// with [`windows`](Self::windows). The range is cut into windows the service accepts (31 days
/// by default, 1 day for `skill_5`), each one request and one token of the daily quota; a
/// window whose answer reaches the record limit is split in two and requested again, so no
/// row is lost to the service's silent cut, and none is delivered twice.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), wolkvox::Error> {
/// use jiff::civil::date;
/// use wolkvox::reports::CallRecord;
///
/// let mock = wolkvox::mock::MockWolkvox::start_demo().await;
/// let client = mock.client()?;
///
/// // Every call of three days, in time order.
/// let calls: Vec<CallRecord> = client
///     .report("cdr_1")
///     .days(date(2026, 10, 1), date(2026, 10, 3))
///     .send_as()
///     .await?;
/// assert!(calls.len() > 3_000);
/// assert!(calls.windows(2).all(|pair| pair[0].date <= pair[1].date));
///
/// // One window per day, with its rows.
/// let mut days = client
///     .report("skill_3")
///     .days(date(2026, 10, 1), date(2026, 10, 3))
///     .per_day()
///     .windows();
/// let mut count = 0;
/// while let Some(day) = days.next().await {
///     let day = day?;
///     assert_eq!(day.from.date(), day.to.date());
///     count += 1;
/// }
/// assert_eq!(count, 3);
/// # Ok(()) }
/// ```
#[derive(Clone)]
#[must_use = "a request does nothing until it is awaited"]
pub struct ReportRequest {
    pub(super) pipeline: Arc<Pipeline>,
    pub(super) api: String,
    pub(super) range: Option<(DateTime, DateTime)>,
    pub(super) params: Params,
    pub(super) max_window: Option<Duration>,
    pub(super) per_day: bool,
    pub(super) record_limit: usize,
    /// The last second a checkpoint says was delivered: the range starts one second later.
    pub(super) resume_after: Option<DateTime>,
}

impl fmt::Debug for ReportRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReportRequest")
            .field("api", &self.api)
            .field("range", &self.range)
            .field("params", &self.params)
            .field("max_window", &self.max_window)
            .field("per_day", &self.per_day)
            .field("record_limit", &self.record_limit)
            .field("resume_after", &self.resume_after)
            .finish_non_exhaustive()
    }
}

impl ReportRequest {
    pub(crate) fn new(pipeline: Arc<Pipeline>, api: &str) -> Self {
        ReportRequest {
            pipeline,
            api: api.to_owned(),
            range: None,
            params: Params::default(),
            max_window: None,
            per_day: false,
            record_limit: DEFAULT_RECORD_LIMIT,
            resume_after: None,
        }
    }

    /// The range from `from` to `to`, both inclusive, to the second (sent as `date_ini` /
    /// `date_end`, `YYYYmmddHHMMSS`, in the operation's wall-clock time).
    ///
    /// ```
    /// # fn main() -> Result<(), wolkvox::Error> {
    /// use jiff::civil::date;
    /// # let client = wolkvox::WolkvoxClient::builder().server("0004").token("t").build()?;
    /// let morning = client
    ///     .report("cdr_1")
    ///     .between(date(2026, 8, 12).at(8, 0, 0, 0), date(2026, 8, 12).at(11, 59, 59, 0));
    /// assert_eq!(morning.planned_windows()?.len(), 1);
    /// # Ok(()) }
    /// ```
    pub fn between(mut self, from: DateTime, to: DateTime) -> Self {
        self.range = Some((from, to));
        self
    }

    /// Whole days: `first` 00:00:00 to `last` 23:59:59, both inclusive.
    ///
    /// ```
    /// # fn main() -> Result<(), wolkvox::Error> {
    /// use jiff::civil::date;
    /// # let client = wolkvox::WolkvoxClient::builder().server("0004").token("t").build()?;
    /// let windows = client.report("cdr_1").days(date(2026, 2, 1), date(2026, 2, 28)).planned_windows()?;
    /// assert_eq!(windows, [(date(2026, 2, 1).at(0, 0, 0, 0), date(2026, 2, 28).at(23, 59, 59, 0))]);
    /// # Ok(()) }
    /// ```
    pub fn days(self, first: Date, last: Date) -> Self {
        let (from, to) = envelope::whole_days(first, last);
        self.between(from, to)
    }

    /// One whole day: 00:00:00 to 23:59:59.
    ///
    /// ```no_run
    /// # async fn run(client: wolkvox::WolkvoxClient) -> Result<(), wolkvox::Error> {
    /// let chats = client.report("chat_1").on(jiff::civil::date(2026, 8, 12)).await?;
    /// # Ok(()) }
    /// ```
    pub fn on(self, day: Date) -> Self {
        self.days(day, day)
    }

    /// Adds a query parameter (`skill_id`, `agent_id`, `campaign_id`, `services_time`,
    /// `cod_act`, ...), replacing an earlier one with the same name. `api`, `date_ini` and
    /// `date_end` are set by the crate and refused here (see [`send`](Self::send)).
    ///
    /// ```no_run
    /// # async fn run(client: wolkvox::WolkvoxClient) -> Result<(), wolkvox::Error> {
    /// use wolkvox::reports::SkillInterval;
    /// let hours: Vec<SkillInterval> = client
    ///     .report("skill_4")
    ///     .on(jiff::civil::date(2026, 8, 12))
    ///     .param("skill_id", "101")
    ///     .send_as()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.params.set(name, value);
        self
    }

    /// The longest window requested at once, counting its last second (31 days from Jan 1
    /// 00:00:00 ends Jan 31 23:59:59). Default 31 days, 1 day for `skill_5`; more than 31 days
    /// or less than one second is refused when the request is sent.
    ///
    /// Besides, a window never touches more than 31 calendar days (1 for `skill_5`), the
    /// strict reading of the service's limit: a range from Jan 15 12:00 gets a first window to
    /// Feb 14 23:59:59, and the next windows start at midnight.
    ///
    /// ```
    /// # fn main() -> Result<(), wolkvox::Error> {
    /// use std::time::Duration;
    /// use jiff::civil::date;
    /// # let client = wolkvox::WolkvoxClient::builder().server("0004").token("t").build()?;
    /// let blocks = client
    ///     .report("cdr_1")
    ///     .on(date(2026, 8, 12))
    ///     .max_window(Duration::from_secs(6 * 3600))
    ///     .planned_windows()?;
    /// assert_eq!(blocks.len(), 4);
    /// assert_eq!(blocks[1], (date(2026, 8, 12).at(6, 0, 0, 0), date(2026, 8, 12).at(11, 59, 59, 0)));
    /// # Ok(()) }
    /// ```
    pub fn max_window(mut self, max_window: Duration) -> Self {
        self.max_window = Some(max_window);
        self
    }

    /// One window per calendar day (each also at most [`max_window`](Self::max_window)):
    /// the way to read a totals report (`agent_1`, `skill_1`, ...) day by day.
    ///
    /// ```
    /// # fn main() -> Result<(), wolkvox::Error> {
    /// use jiff::civil::date;
    /// # let client = wolkvox::WolkvoxClient::builder().server("0004").token("t").build()?;
    /// let days = client
    ///     .report("agent_1")
    ///     .between(date(2026, 8, 12).at(18, 0, 0, 0), date(2026, 8, 14).at(6, 0, 0, 0))
    ///     .per_day()
    ///     .planned_windows()?;
    /// assert_eq!(days.len(), 3);
    /// assert_eq!(days[0], (date(2026, 8, 12).at(18, 0, 0, 0), date(2026, 8, 12).at(23, 59, 59, 0)));
    /// assert_eq!(days[2], (date(2026, 8, 14).at(0, 0, 0, 0), date(2026, 8, 14).at(6, 0, 0, 0)));
    /// # Ok(()) }
    /// ```
    pub fn per_day(mut self) -> Self {
        self.per_day = true;
        self
    }

    /// The row count at which an answer may have been cut by the service (default
    /// [`DEFAULT_RECORD_LIMIT`], 60,000): such a window's rows are discarded and the window is
    /// requested again in two halves. Values below 1 are taken as 1.
    ///
    /// Set it to the limit of the service you talk to: an answer with fewer rows than this is
    /// taken as complete. In tests, a simulator cut lowered with
    /// `MockWolkvox::set_record_limit(n)` (feature `mock`) needs
    /// `.record_limit(n)` here too, or its cut answers are taken as complete and rows are lost.
    ///
    /// ```no_run
    /// # async fn run(client: wolkvox::WolkvoxClient) -> Result<(), wolkvox::Error> {
    /// // An operation whose service cuts answers at 50,000 rows.
    /// let calls = client.report("cdr_1").on(jiff::civil::date(2026, 8, 12)).record_limit(50_000).await?;
    /// # Ok(()) }
    /// ```
    pub fn record_limit(mut self, rows: usize) -> Self {
        self.record_limit = rows.max(1);
        self
    }

    /// Continues after `checkpoint` (from [`ReportWindow::checkpoint`](super::ReportWindow::checkpoint)):
    /// the range starts one second after the checkpoint's last second (or where it started,
    /// if that is later), and ends where it ends. Resuming after the last window yields no
    /// window; a longer range than the checkpoint's run continues up to the new end.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use jiff::civil::date;
    /// use wolkvox::reports::Checkpoint;
    /// # let mock = wolkvox::mock::MockWolkvox::start_demo().await;
    /// # let client = mock.client()?;
    /// let saved = r#"{"version":1,"report":"skill_3","params":{},"through":"2026-10-01T23:59:59"}"#;
    /// let checkpoint: Checkpoint = serde_json::from_str(saved)?;
    /// let rest = client
    ///     .report("skill_3")
    ///     .days(date(2026, 10, 1), date(2026, 10, 3))
    ///     .resume(&checkpoint)?;
    /// assert_eq!(rest.planned_windows()?[0].0, date(2026, 10, 2).at(0, 0, 0, 0));
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] when the checkpoint belongs to another report or was made
    /// with other parameters, or is of a checkpoint version this crate does not read.
    pub fn resume(mut self, checkpoint: &Checkpoint) -> Result<Self, Error> {
        checkpoint.check(&self.origin())?;
        self.resume_after = Some(checkpoint.through());
        Ok(self)
    }

    /// The report and its parameters, as a checkpoint names them.
    pub(super) fn origin(&self) -> Origin {
        Origin {
            report: self.api.clone(),
            params: self.params.to_map(),
        }
    }

    /// What the report's rows are ([`ReportKind`](super::ReportKind)): events, intervals or
    /// totals over the range, and so how its windows add up and what a loader does with them
    /// (merge events on their key, replace the day of intervals and totals).
    ///
    /// ```
    /// # fn main() -> Result<(), wolkvox::Error> {
    /// use wolkvox::reports::ReportKind;
    /// # let client = wolkvox::WolkvoxClient::builder().server("0004").token("t").build()?;
    /// assert_eq!(client.report("cdr_1").kind(), ReportKind::Events);
    /// assert_eq!(client.report("skill_3").kind(), ReportKind::Intervals);
    /// assert_eq!(client.report("agent_1").kind(), ReportKind::Totals);
    /// assert_eq!(client.report("speech_9").kind(), ReportKind::Totals); // not known
    /// # Ok(()) }
    /// ```
    pub fn kind(&self) -> super::ReportKind {
        super::window::kind(&self.api)
    }

    /// The report name (`api=`).
    pub fn api(&self) -> &str {
        &self.api
    }
}

mod run;

#[cfg(test)]
mod tests;
