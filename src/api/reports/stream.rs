//! `ReportWindows`: the windows of a report requested in order, up to the client's
//! concurrency limit at once, with record-limit splits, delivered in time order (the
//! bookkeeping is [`Ordered`]'s).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

use futures_core::Stream;
use jiff::civil::DateTime;
use serde::de::DeserializeOwned;

use super::checkpoint::{Checkpoint, Origin, Resume};
use super::window;
use crate::api::params::Params;
use crate::decode::envelope;
use crate::decode::rows::{self, Decoded};
use crate::engine::endpoint::Endpoint;
use crate::engine::ordered::{Cancelled, Ordered};
use crate::engine::pipeline::Pipeline;
use crate::engine::transport::{Query, RawResponse};
use crate::error::Error;

/// The rows of one window of a report, as requested: `from` and `to` both inclusive.
///
/// Store the rows, then save [`checkpoint`](Self::checkpoint): after an error or a crash,
/// [`ReportRequest::resume`](super::ReportRequest::resume) continues one second after it.
///
/// Of a report that totals its range (`agent_1`, `skill_1`, ...), each window's rows are the
/// totals of that window: keep the windows apart (by `from`/`to`, or read per day with
/// [`per_day`](super::ReportRequest::per_day)), never add two windows' rows up.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), wolkvox::Error> {
/// use jiff::civil::date;
/// use wolkvox::reports::{ReportWindow, SkillInterval};
/// # let mock = wolkvox::mock::MockWolkvox::start_demo().await;
/// # let client = mock.client()?;
/// let mut days = client
///     .report("skill_3")
///     .days(date(2026, 10, 1), date(2026, 10, 2))
///     .per_day()
///     .windows_as::<SkillInterval>();
/// let first: ReportWindow<SkillInterval> = days.next().await.unwrap()?;
/// assert_eq!(first.from, date(2026, 10, 1).at(0, 0, 0, 0));
/// assert_eq!(first.to, date(2026, 10, 1).at(23, 59, 59, 0));
/// assert!(first.rows.iter().all(|row| row.date == Some(date(2026, 10, 1))));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ReportWindow<T> {
    /// The first second of the window.
    pub from: DateTime,
    /// The last second of the window.
    pub to: DateTime,
    /// The rows the service answered for it, in the order it sent them ("no data" is none).
    pub rows: Vec<T>,
    /// What the checkpoint after this window is made of.
    pub(crate) resume: Resume,
}

impl<T> ReportWindow<T> {
    /// The checkpoint to continue right after this window: save it once the rows are stored.
    pub fn checkpoint(&self) -> Checkpoint {
        self.resume.checkpoint()
    }
}

/// What [`ReportRequest`](super::ReportRequest) planned: the windows and how to ask for them.
#[derive(Debug)]
pub(crate) struct WindowPlan {
    pub(crate) api: String,
    /// The report and parameters, for the checkpoints.
    pub(crate) origin: Arc<Origin>,
    pub(crate) params: Params,
    pub(crate) windows: Vec<(DateTime, DateTime)>,
    /// Whether the report's rows may be concatenated across windows (and a full window split).
    pub(crate) splittable: bool,
    pub(crate) record_limit: usize,
}

/// Turns one response into the rows to deliver (and the count of rows sent).
pub(crate) struct Decoder<T> {
    decode: fn(&RawResponse) -> Result<Decoded<T>, Error>,
}

impl<T> Clone for Decoder<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Decoder<T> {}

impl Decoder<serde_json::Value> {
    /// Rows as JSON objects, as sent.
    pub(crate) fn values() -> Self {
        Decoder {
            decode: |raw| rows::json(raw),
        }
    }
}

impl<T: DeserializeOwned> Decoder<T> {
    /// Rows decoded into `T`, `TOTAL` rows dropped.
    pub(crate) fn typed() -> Self {
        Decoder {
            decode: |raw| rows::report::<T>(raw),
        }
    }
}

/// One window's answer.
enum Answer<T> {
    Rows(Vec<T>),
    /// The answer held `record_limit` rows or more: it may have been cut.
    Full,
}

/// One window's request, as the executor runs it.
type Fetch<T> = Pin<Box<dyn Future<Output = Result<Answer<T>, Error>> + Send>>;

/// The windows of a report, as a stream of `Result<ReportWindow<T>, Error>` in time order;
/// see [`ReportRequest::windows`](super::ReportRequest::windows).
///
/// Read it with the inherent [`next`](ReportWindows::next), or as a [`Stream`]. Dropping it
/// stops the requests not yet sent; one already at the server finishes in the background.
#[must_use = "a stream does nothing unless polled"]
pub struct ReportWindows<T> {
    pipeline: Option<Arc<Pipeline>>,
    plan: Arc<WindowPlan>,
    decoder: Option<Decoder<T>>,
    /// The windows still to deliver, in time order: at most `max_concurrent_requests` of them
    /// started and not yet delivered, however slow the earliest one is.
    windows: Ordered<(DateTime, DateTime), Fetch<T>>,
    /// An error to yield before anything else (the request was invalid).
    failed: Option<Error>,
}

impl<T> fmt::Debug for ReportWindows<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReportWindows")
            .field("api", &self.plan.api)
            .field("windows_left", &self.windows.len())
            .field("concurrency", &self.windows.limit())
            .finish_non_exhaustive()
    }
}

impl<T: Send + 'static> ReportWindows<T> {
    pub(crate) fn new(pipeline: Arc<Pipeline>, plan: WindowPlan, decoder: Decoder<T>) -> Self {
        let mut windows = Ordered::new(pipeline.limits.max_in_flight().max(1));
        let plan = Arc::new(plan);
        for &window in &plan.windows {
            windows.push_back(window, fetch(&pipeline, &plan, window, decoder));
        }
        ReportWindows {
            pipeline: Some(pipeline),
            plan,
            decoder: Some(decoder),
            windows,
            failed: None,
        }
    }

    /// A stream that yields `error` and ends.
    pub(crate) fn failed(error: Error) -> Self {
        ReportWindows {
            pipeline: None,
            plan: Arc::new(WindowPlan {
                api: String::new(),
                origin: Arc::default(),
                params: Params::default(),
                windows: Vec::new(),
                splittable: false,
                record_limit: 0,
            }),
            decoder: None,
            windows: Ordered::new(1),
            failed: Some(error),
        }
    }

    /// The next window, in time order; `None` when every window was delivered or after an
    /// error. Cancel-safe: the windows in flight keep going if this future is dropped.
    ///
    /// ```no_run
    /// # async fn run(client: wolkvox::WolkvoxClient) -> Result<(), wolkvox::Error> {
    /// let mut windows = client.report("cdr_1").on(jiff::civil::date(2026, 8, 12)).windows();
    /// while let Some(window) = windows.next().await {
    ///     println!("{} rows", window?.rows.len());
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn next(&mut self) -> Option<Result<ReportWindow<T>, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Puts the halves of a window that reached the record limit before the rest; `false`
    /// when it cannot be split.
    fn split(&mut self, (from, to): (DateTime, DateTime)) -> bool {
        let (Some(pipeline), Some(decoder)) = (&self.pipeline, self.decoder) else {
            return false;
        };
        match window::halves(from, to) {
            Some((first, second)) if self.plan.splittable => {
                self.windows
                    .push_front(second, fetch(pipeline, &self.plan, second, decoder));
                self.windows
                    .push_front(first, fetch(pipeline, &self.plan, first, decoder));
                true
            }
            _ => false,
        }
    }

    /// Ends the stream: nothing more is started, running windows are stopped.
    fn end(&mut self) {
        self.windows.clear();
        self.pipeline = None;
    }
}

// The stream never pins its fields (the rows are plain values moved out whole, the requests
// are boxed), so it is `Unpin` whatever `T` is: `next()` and `StreamExt::next` work without
// `pin!`.
impl<T> Unpin for ReportWindows<T> {}

impl<T: Send + 'static> Stream for ReportWindows<T> {
    type Item = Result<ReportWindow<T>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if let Some(error) = this.failed.take() {
            return Poll::Ready(Some(Err(error)));
        }
        loop {
            let Some(((from, to), answer)) = ready!(this.windows.poll_next(cx)) else {
                return Poll::Ready(None);
            };
            let error = match answer {
                Ok(Ok(Answer::Rows(rows))) => {
                    let resume = Resume {
                        origin: Arc::clone(&this.plan.origin),
                        through: to,
                        follow: None,
                    };
                    let window = ReportWindow {
                        from,
                        to,
                        rows,
                        resume,
                    };
                    return Poll::Ready(Some(Ok(window)));
                }
                Ok(Ok(Answer::Full)) if this.split((from, to)) => continue,
                Ok(Ok(Answer::Full)) => Error::TooManyRecords {
                    report: this.plan.api.clone(),
                    from,
                    to,
                    limit: this.plan.record_limit,
                },
                Ok(Err(error)) => error,
                Err(Cancelled) => match &this.pipeline {
                    Some(pipeline) => pipeline.cancelled(),
                    None => Error::invalid_request("the report was stopped"),
                },
            };
            this.end();
            return Poll::Ready(Some(Err(error)));
        }
    }
}

/// The request of one window through the pipeline (limiter, retries, deadline); "no data" is
/// no rows.
fn fetch<T: Send + 'static>(
    pipeline: &Arc<Pipeline>,
    plan: &Arc<WindowPlan>,
    (from, to): (DateTime, DateTime),
    decoder: Decoder<T>,
) -> Fetch<T> {
    let (pipeline, plan) = (Arc::clone(pipeline), Arc::clone(plan));
    Box::pin(async move {
        let mut query: Query = Vec::with_capacity(3 + plan.params.len());
        query.push(("api".into(), plan.api.clone()));
        query.push(("date_ini".into(), envelope::datetime_param(from)));
        query.push(("date_end".into(), envelope::datetime_param(to)));
        plan.params.append_to(&mut query);
        let limit = plan.record_limit;
        pipeline
            .execute(Endpoint::Reports, query, |raw| {
                match (decoder.decode)(raw) {
                    Ok(decoded) if decoded.sent() >= limit => Ok(Answer::Full),
                    Ok(decoded) => Ok(Answer::Rows(decoded.rows)),
                    Err(Error::NotFound { .. }) => Ok(Answer::Rows(Vec::new())),
                    Err(error) => Err(error),
                }
            })
            .await
    })
}
