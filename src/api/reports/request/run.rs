//! Running a [`ReportRequest`]: its planned windows, `send`, `windows` and the plan itself.

use std::sync::Arc;

use jiff::civil::DateTime;
use serde::de::DeserializeOwned;

use super::{RESERVED, ReportRequest};
use crate::api::params::check_name;
use crate::api::reports::stream::{Decoder, ReportWindows, WindowPlan};
use crate::api::reports::window;
use crate::error::Error;

impl ReportRequest {
    /// The windows that will be requested, in order (one request and one token of the daily
    /// quota each), before any split for the record limit.
    ///
    /// ```
    /// # fn main() -> Result<(), wolkvox::Error> {
    /// use jiff::civil::date;
    /// let client = wolkvox::WolkvoxClient::builder().server("0004").token("t").build()?;
    /// let windows = client
    ///     .report("cdr_1")
    ///     .days(date(2026, 1, 1), date(2026, 3, 31))
    ///     .planned_windows()?;
    /// assert_eq!(windows.len(), 3);
    /// assert_eq!(windows[0], (date(2026, 1, 1).at(0, 0, 0, 0), date(2026, 1, 31).at(23, 59, 59, 0)));
    /// assert_eq!(windows[1].0, date(2026, 2, 1).at(0, 0, 0, 0));
    /// assert_eq!(windows[2].1, date(2026, 3, 31).at(23, 59, 59, 0));
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] as for [`send`](Self::send).
    pub fn planned_windows(&self) -> Result<Vec<(DateTime, DateTime)>, Error> {
        self.plan().map(|plan| plan.windows)
    }

    /// Every row of every window as JSON objects, exactly as sent (a `TOTAL` summary row
    /// included), in time order.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`], before anything is sent: no range, a range that ends
    /// before it starts, a report name that is not lower-case letters, digits and `_`, a
    /// parameter named `api`, `date_ini`, `date_end` or with an empty name, a `max_window`
    /// above 31 days or below one second, or a report that totals the whole range (`agent_1`,
    /// `skill_1`, ... and any report the crate does not know) over a range that needs more than
    /// one window: read those with [`per_day`](Self::per_day) and [`windows`](Self::windows).
    /// [`Error::TooManyRecords`] when a one-second window (or a window of a totals report)
    /// still reaches the record limit. Any other [`Error`] of the calls; "no data" (404) is
    /// no rows.
    pub async fn send(self) -> Result<Vec<serde_json::Value>, Error> {
        self.collect(Decoder::values()).await
    }

    /// Every row of every window decoded into `T`, in time order; a summary row whose id or
    /// name is `TOTAL` is dropped. `T` can be one of the typed rows of
    /// [`wolkvox::reports`](crate::reports), or your own type (see [`wolkvox::de`](crate::de)).
    ///
    /// # Errors
    /// As [`send`](Self::send), and [`Error::Decode`] naming the row, field and raw value that
    /// does not fit `T`.
    pub async fn send_as<T: DeserializeOwned + Send + 'static>(self) -> Result<Vec<T>, Error> {
        self.collect(Decoder::typed()).await
    }

    /// The report window by window, as a stream of [`ReportWindow`](crate::reports::ReportWindow)s of
    /// JSON rows: one item per window actually requested (after record-limit splits), in time
    /// order. Memory holds at most the windows in flight. After an error the stream ends; the
    /// windows before it were delivered, and the last one's
    /// [`checkpoint`](crate::reports::ReportWindow::checkpoint) resumes the export right after it
    /// ([`resume`](Self::resume)).
    ///
    /// Of a totals report ([`ReportKind::Totals`](crate::reports::ReportKind): `agent_1`, `skill_1`,
    /// ...), each window's rows are the totals of that window only: a range of 60 days gives
    /// two windows of totals, which must not be added up or loaded as one period. Read such a
    /// report with [`per_day`](Self::per_day) and keep each window apart (by its `from`/`to`).
    pub fn windows(self) -> ReportWindows<serde_json::Value> {
        self.stream(Decoder::values())
    }

    /// Like [`windows`](Self::windows), with each row decoded into `T` (a `TOTAL` summary row
    /// dropped).
    ///
    /// ```no_run
    /// # async fn run(client: wolkvox::WolkvoxClient) -> Result<(), wolkvox::Error> {
    /// use jiff::civil::date;
    /// use wolkvox::reports::CallRecord;
    /// let mut windows = client
    ///     .report("cdr_1")
    ///     .days(date(2026, 1, 1), date(2026, 12, 31))
    ///     .windows_as::<CallRecord>();
    /// while let Some(window) = windows.next().await {
    ///     let window = window?;
    ///     println!("{} to {}: {} calls", window.from, window.to, window.rows.len());
    ///     // store window.rows, then checkpoint window.to
    /// }
    /// # Ok(()) }
    /// ```
    pub fn windows_as<T: DeserializeOwned + Send + 'static>(self) -> ReportWindows<T> {
        self.stream(Decoder::typed())
    }

    fn stream<T: Send + 'static>(self, decoder: Decoder<T>) -> ReportWindows<T> {
        match self.plan() {
            Ok(plan) => ReportWindows::new(Arc::clone(&self.pipeline), plan, decoder),
            Err(error) => ReportWindows::failed(error),
        }
    }

    async fn collect<T: Send + 'static>(self, decoder: Decoder<T>) -> Result<Vec<T>, Error> {
        let plan = self.plan()?;
        if !plan.splittable && plan.windows.len() > 1 {
            return Err(Error::invalid_request(format!(
                "report {:?} totals the whole range, so its answers for {} windows cannot be \
                 added up; read it with .per_day().windows() (one answer per day) or ask for \
                 a range of at most one window",
                plan.api,
                plan.windows.len()
            )));
        }
        let mut windows = ReportWindows::new(Arc::clone(&self.pipeline), plan, decoder);
        let mut rows = Vec::new();
        while let Some(window) = windows.next().await {
            rows.extend(window?.rows);
        }
        Ok(rows)
    }

    /// Checks everything and plans the windows; nothing is sent.
    fn plan(&self) -> Result<WindowPlan, Error> {
        check_name("report name", &self.api, "cdr_1")?;
        self.params.check(
            &RESERVED,
            "choose the report with report(..) and the range with between(..), days(..) or on(..)",
        )?;
        let Some((mut from, to)) = self.range else {
            return Err(Error::invalid_request(format!(
                "no date range for report {:?}: set one with between(..), days(..) or on(..)",
                self.api
            )));
        };
        let max_window = self
            .max_window
            .unwrap_or_else(|| window::default_max_window(&self.api));
        let mut finished = false;
        if let Some(after) = self.resume_after {
            match after.checked_add(jiff::SignedDuration::from_secs(1)) {
                Ok(next) => from = from.max(next),
                Err(_) => finished = true,
            }
            finished |= from > to;
        }
        let max_days = if self.per_day {
            1
        } else {
            window::max_days(&self.api)
        };
        let windows = if finished {
            // Resumed after the last window: the range's own checks still apply.
            let (start, _) = self.range.unwrap_or((to, to));
            window::check_max_window(max_window).map_err(Error::invalid_request)?;
            if to < start {
                window::plan(start, to, max_window, max_days).map_err(Error::invalid_request)?;
            }
            Vec::new()
        } else {
            window::plan(from, to, max_window, max_days).map_err(Error::invalid_request)?
        };
        Ok(WindowPlan {
            api: self.api.clone(),
            origin: Arc::new(self.origin()),
            params: self.params.clone(),
            windows,
            splittable: window::is_splittable(&self.api),
            record_limit: self.record_limit,
        })
    }
}

impl std::future::IntoFuture for ReportRequest {
    type Output = Result<Vec<serde_json::Value>, Error>;
    type IntoFuture = crate::api::realtime::ResponseFuture<Vec<serde_json::Value>>;

    fn into_future(self) -> Self::IntoFuture {
        crate::api::realtime::ResponseFuture::new(self.send())
    }
}
