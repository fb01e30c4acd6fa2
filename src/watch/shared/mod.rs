//! Shared polling: one background task drives a [`Watch`]; any number of cheap handles
//! ([`SharedWatch`]) and subscribers ([`SnapshotStream`]) read its latest snapshot.
//!
//! The task owns the sending side of a `tokio::sync::watch` channel holding the latest
//! successful snapshot; handles and subscribers hold receivers. A failed poll leaves the channel
//! alone and is recorded in the shared [`Status`]. The task ends when the [`Watch`] ends (after
//! `Unauthorized` or `QuotaExceeded`), or as soon as the last receiver is dropped
//! (`Sender::closed`), even in the middle of a call; dropping the task drops the [`Watch`].

mod snapshot;
mod stats;
mod stream;

pub use snapshot::Snapshot;
pub use stats::PollStats;
pub use stream::SnapshotStream;

use std::fmt;
use std::future::Future;
use std::pin::{Pin, pin};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::Poll;
use std::time::Duration;

use futures_core::Stream;
use tokio::sync::watch;

use super::Watch;
use crate::error::Error;

/// What the channel holds: the latest successful snapshot, if any.
type Slot<T> = Option<Arc<Snapshot<T>>>;

/// A [`Watch`] polled by one background task, read by any number of handles: the result of
/// [`Watch::share`].
///
/// [`latest`](Self::latest) answers from memory, never from the service, so a web handler or
/// an exporter can read it on every request. Clones are cheap and read the same poll;
/// [`subscribe`](Self::subscribe) gives a stream of each new snapshot.
///
/// - A failed poll keeps the previous snapshot as `latest()`; [`last_error`](Self::last_error)
///   holds the failure until the next successful poll. Polling goes on at the watch's interval.
/// - After [`Error::Unauthorized`] or [`Error::QuotaExceeded`] polling stops for good:
///   `last_error()` keeps that error, `latest()` the last snapshot, and subscribers' streams
///   end.
/// - Polling stops, and the [`Watch`] is dropped, as soon as the last `SharedWatch` clone and
///   the last [`SnapshotStream`] are dropped.
///
/// Counters of polls and errors by kind: [`stats`](Self::stats).
///
/// Sharing needs a Tokio runtime (the poll task is spawned with `tokio::spawn`). Shared outside
/// one, nothing is polled and `last_error()` says why.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), wolkvox::Error> {
/// use std::sync::Arc;
/// use wolkvox::{RECOMMENDED_POLL_INTERVAL, SkillRealtime, Snapshot};
///
/// let mock = wolkvox::mock::MockWolkvox::start_demo().await;
/// let client = mock.client()?;
///
/// let live = client.skills().watch(RECOMMENDED_POLL_INTERVAL).share(); // spawns one poll task
/// let mut updates = live.subscribe(); // the latest snapshot (if any), then each new one
/// let handle = live.clone(); // cheap; reads the same poll
///
/// let first = updates.next().await.expect("the first poll succeeds");
/// let latest: Option<Arc<Snapshot<Vec<SkillRealtime>>>> = handle.latest();
/// assert!(Arc::ptr_eq(&first, &latest.expect("a snapshot")));
/// assert_eq!(first.value[0].skill_name, "SOPORTE_TECNICO");
/// assert!(live.last_error().is_none());
/// assert_eq!(mock.request_count(), 1); // one poll, however many readers
/// # Ok(()) }
/// ```
#[must_use = "polling stops when every SharedWatch and SnapshotStream is dropped"]
pub struct SharedWatch<T> {
    snapshots: watch::Receiver<Slot<T>>,
    status: Arc<Status>,
}

/// What the poll task reports besides snapshots.
struct Status {
    period: Duration,
    state: Mutex<PollState>,
}

#[derive(Default)]
struct PollState {
    /// The failure of the most recent poll, until the next success.
    last_error: Option<Arc<Error>>,
    stats: PollStats,
    /// True while the poll task runs.
    polling: bool,
}

impl Status {
    fn state(&self) -> MutexGuard<'_, PollState> {
        // Nothing panics while holding the lock; even so, the data stays consistent.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<T: Send + Sync + 'static> SharedWatch<T> {
    /// Spawns the poll task for `watch` on the current Tokio runtime.
    pub(crate) fn spawn(watch: Watch<T>) -> Self {
        Self::start(watch).0
    }

    /// [`spawn`](Self::spawn), with the poll task's handle (`None` outside a runtime).
    fn start(watch: Watch<T>) -> (Self, Option<tokio::task::JoinHandle<()>>) {
        let (sender, snapshots) = watch::channel(None);
        let status = Arc::new(Status {
            period: watch.period(),
            state: Mutex::new(PollState::default()),
        });
        let task = match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                status.state().polling = true;
                Some(runtime.spawn(poll(watch, sender, Arc::clone(&status))))
            }
            Err(_) => {
                status.state().last_error = Some(Arc::new(Error::config(
                    "Watch::share() was called outside a Tokio runtime, so nothing is polled; \
                     call it from async code running on Tokio",
                )));
                None
            }
        };
        (SharedWatch { snapshots, status }, task)
    }

    /// A stream of snapshots: the latest one at once (if there is one), then each new
    /// successful snapshot. A slow reader skips to the newest. The stream ends when polling
    /// stops for good; while it exists, it keeps polling going. See [`SnapshotStream`].
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), wolkvox::Error> {
    /// # let mock = wolkvox::mock::MockWolkvox::start_demo().await;
    /// # let client = mock.client()?;
    /// let live = client.skill(101).watch(wolkvox::RECOMMENDED_POLL_INTERVAL).share();
    /// let mut updates = live.subscribe();
    /// drop(live); // the subscriber alone keeps polling going
    /// let support = updates.next().await.expect("first snapshot");
    /// assert_eq!(support.value.calls_in_queue_now, 3);
    /// # Ok(()) }
    /// ```
    pub fn subscribe(&self) -> SnapshotStream<T> {
        SnapshotStream::new(self.snapshots.clone())
    }
}

impl<T> SharedWatch<T> {
    /// The latest successful snapshot, `None` until the first poll succeeded. Never calls the
    /// service.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), wolkvox::Error> {
    /// # let mock = wolkvox::mock::MockWolkvox::start_demo().await;
    /// # let client = mock.client()?;
    /// let live = client.skills().watch(wolkvox::RECOMMENDED_POLL_INTERVAL).share();
    /// assert!(live.latest().is_none()); // the poll task has not run yet
    /// live.subscribe().next().await;
    /// let skills = live.latest().expect("a snapshot");
    /// assert_eq!(skills.value.len(), 12);
    /// # Ok(()) }
    /// ```
    pub fn latest(&self) -> Option<Arc<Snapshot<T>>> {
        self.snapshots.borrow().clone()
    }

    /// The failure of the most recent poll, until the next successful one; after
    /// [`Error::Unauthorized`] or [`Error::QuotaExceeded`] it stays, since polling has stopped.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), wolkvox::Error> {
    /// use wolkvox::{Error, mock::{Fault, MockWolkvox}};
    /// let mock = MockWolkvox::start_demo().await;
    /// mock.set_fault(Some(Fault::Unauthorized));
    /// let live = mock.client()?.skills().watch(wolkvox::RECOMMENDED_POLL_INTERVAL).share();
    /// assert!(live.subscribe().next().await.is_none()); // polling stopped
    /// assert!(matches!(live.last_error().as_deref(), Some(Error::Unauthorized { .. })));
    /// assert!(!live.is_polling());
    /// # Ok(()) }
    /// ```
    pub fn last_error(&self) -> Option<Arc<Error>> {
        self.status.state().last_error.clone()
    }

    /// Counters of the polls made so far: total, failed, failed by kind. See [`PollStats`].
    pub fn stats(&self) -> PollStats {
        self.status.state().stats.clone()
    }

    /// False once polling has stopped for good (after [`Error::Unauthorized`] or
    /// [`Error::QuotaExceeded`], or when shared outside a Tokio runtime).
    pub fn is_polling(&self) -> bool {
        self.status.state().polling
    }

    /// The time between two polls.
    pub fn period(&self) -> Duration {
        self.status.period
    }
}

impl<T> Clone for SharedWatch<T> {
    fn clone(&self) -> Self {
        SharedWatch {
            snapshots: self.snapshots.clone(),
            status: Arc::clone(&self.status),
        }
    }
}

impl<T> fmt::Debug for SharedWatch<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let taken_at = self.snapshots.borrow().as_ref().map(|s| s.taken_at);
        let state = self.status.state();
        f.debug_struct("SharedWatch")
            .field("period", &self.status.period)
            .field("polling", &state.polling)
            .field("latest_taken_at", &taken_at)
            .field("stats", &state.stats)
            .field("last_error", &state.last_error)
            .finish()
    }
}

/// The poll task: drives `watch` and publishes each result, until the watch ends or nobody
/// reads any more.
async fn poll<T: Send + Sync + 'static>(
    mut watch: Watch<T>,
    sender: watch::Sender<Slot<T>>,
    status: Arc<Status>,
) {
    while let Some(result) = next_while_read(&mut watch, &sender).await {
        match result {
            Ok(value) => {
                let snapshot = Arc::new(Snapshot::now(value));
                {
                    let mut state = status.state();
                    state.stats.record_success();
                    state.last_error = None;
                }
                sender.send_replace(Some(snapshot));
            }
            Err(error) => {
                let mut state = status.state();
                state.stats.record_error(&error);
                state.last_error = Some(Arc::new(error));
            }
        }
    }
    // Stop the in-flight call, if any, before anyone can see `polling == false`; subscribers'
    // streams end when `sender` is dropped, after that.
    drop(watch);
    status.state().polling = false;
    drop(sender);
}

/// The watch's next item, or `None` as soon as every receiver is gone.
async fn next_while_read<T: Send + 'static>(
    watch: &mut Watch<T>,
    sender: &watch::Sender<Slot<T>>,
) -> Option<Result<T, Error>> {
    let mut closed = pin!(sender.closed());
    std::future::poll_fn(|cx| {
        if closed.as_mut().poll(cx).is_ready() {
            return Poll::Ready(None);
        }
        Pin::new(&mut *watch).poll_next(cx)
    })
    .await
}

#[cfg(test)]
mod tests {
    //! The poll task against a scripted watch (no HTTP), on Tokio's paused clock.

    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    const PERIOD: Duration = Duration::from_secs(60);

    /// A watch whose n-th call (from 0) answers `script(n)`, counting calls in `calls`.
    fn scripted<T: Send + 'static>(
        calls: &Arc<AtomicUsize>,
        script: impl Fn(usize) -> Option<Result<T, Error>> + Send + 'static,
    ) -> Watch<T> {
        let calls = Arc::clone(calls);
        Watch::new(PERIOD, Duration::ZERO, move || {
            let n = calls.fetch_add(1, Ordering::SeqCst);
            let answer = script(n);
            async move {
                match answer {
                    Some(result) => result,
                    None => std::future::pending().await,
                }
            }
        })
    }

    fn timeout() -> Error {
        Error::Timeout {
            timeout: Duration::from_secs(1),
            attempts: 1,
            waiting_for_turn: None,
        }
    }

    #[tokio::test(start_paused = true)]
    async fn one_call_per_period_whatever_the_number_of_readers() {
        let calls = Arc::new(AtomicUsize::new(0));
        let (live, _task) = SharedWatch::start(scripted(&calls, |n| Some(Ok(n))));
        let mut readers: Vec<_> = (0..5).map(|_| live.subscribe()).collect();
        for n in 0..3 {
            for reader in &mut readers {
                assert_eq!(reader.next().await.map(|s| s.value), Some(n));
            }
            assert_eq!(calls.load(Ordering::SeqCst), n + 1);
        }
        tokio::time::sleep(PERIOD * 10 + PERIOD / 2).await;
        assert_eq!(calls.load(Ordering::SeqCst), 13, "one call per period");
        assert_eq!(live.latest().map(|s| s.value), Some(12));
        assert_eq!(live.stats().polls, 13);
    }

    #[tokio::test(start_paused = true)]
    async fn errors_are_recorded_and_cleared_by_the_next_success() {
        let calls = Arc::new(AtomicUsize::new(0));
        let script = |n| {
            Some(if n == 1 || n == 2 {
                Err(timeout())
            } else {
                Ok(n)
            })
        };
        let (live, _task) = SharedWatch::start(scripted(&calls, script));
        let mut updates = live.subscribe();
        assert_eq!(updates.next().await.map(|s| s.value), Some(0));
        tokio::time::sleep(PERIOD * 2 + PERIOD / 2).await; // calls 1 and 2 fail
        assert_eq!(calls.load(Ordering::SeqCst), 3);
        assert_eq!(live.latest().map(|s| s.value), Some(0));
        assert!(matches!(
            live.last_error().as_deref(),
            Some(Error::Timeout { .. })
        ));
        assert_eq!(live.stats().errors_of("timeout"), 2);
        assert_eq!(updates.next().await.map(|s| s.value), Some(3));
        assert!(live.last_error().is_none());
        assert_eq!((live.stats().polls, live.stats().errors), (4, 2));
    }

    #[tokio::test(start_paused = true)]
    async fn the_task_ends_when_the_last_reader_goes_even_during_a_call() {
        let calls = Arc::new(AtomicUsize::new(0));
        // The second call never answers.
        let (live, task) = SharedWatch::start(scripted(&calls, |n| (n == 0).then_some(Ok(n))));
        let mut task = task.unwrap();
        let mut updates = live.subscribe();
        let clone = live.clone();
        assert_eq!(updates.next().await.map(|s| s.value), Some(0));
        tokio::time::sleep(PERIOD + PERIOD / 2).await; // the second call is in flight
        assert_eq!(calls.load(Ordering::SeqCst), 2);

        drop(live);
        drop(updates);
        let wait = Duration::from_millis(1);
        assert!(
            tokio::time::timeout(wait, &mut task).await.is_err(),
            "a clone remains"
        );
        drop(clone);
        let ended = tokio::time::timeout(wait, task).await;
        assert!(matches!(ended, Ok(Ok(()))), "{ended:?}");
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn the_watch_is_dropped_with_the_task() {
        let calls = Arc::new(AtomicUsize::new(0));
        let (live, task) = SharedWatch::start(scripted(&calls, |n| Some(Ok(n))));
        live.subscribe().next().await;
        // The watch's closure holds a clone of `calls`: dropped with the watch.
        assert_eq!(Arc::strong_count(&calls), 2);
        drop(live);
        let ended = tokio::time::timeout(Duration::from_millis(1), task.unwrap()).await;
        assert!(matches!(ended, Ok(Ok(()))), "{ended:?}");
        assert_eq!(Arc::strong_count(&calls), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn a_terminal_error_ends_the_task_and_every_stream() {
        let calls = Arc::new(AtomicUsize::new(0));
        let script = |n| {
            Some(if n == 0 {
                Ok(n)
            } else {
                Err(Error::QuotaExceeded {
                    status: 403,
                    message: "TOKEN LIMIT EXCEEDED".into(),
                    attempts: 1,
                })
            })
        };
        let (live, task) = SharedWatch::start(scripted(&calls, script));
        let mut updates = live.subscribe();
        assert_eq!(updates.next().await.map(|s| s.value), Some(0));
        assert_eq!(updates.next().await.map(|s| s.value), None);
        let ended = tokio::time::timeout(Duration::from_millis(1), task.unwrap()).await;
        assert!(matches!(ended, Ok(Ok(()))), "{ended:?}");
        assert!(!live.is_polling());
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        assert_eq!(live.latest().map(|s| s.value), Some(0));
        assert!(matches!(
            live.last_error().as_deref(),
            Some(Error::QuotaExceeded { .. })
        ));
    }
}
