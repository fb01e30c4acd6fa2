//! Up to N futures at once, each in a task of its own, their results delivered in queue
//! order: the report windows (N = `max_concurrent_requests`), campaign uploads (N = 1).
//!
//! The limit counts the futures **started and not yet delivered**: running, or finished and
//! waiting for an earlier one. So memory holds at most N results, however slow the first
//! one is, and nothing more is started until the caller takes a result. A future is started
//! when [`Ordered::next`] is polled, from the front of the queue; one pushed to the front
//! ([`Ordered::push_front`], a window split in halves) is delivered before the rest.
//!
//! Tasks keep running while nobody polls (a dropped `next()` loses nothing); dropping the
//! queue, or [`Ordered::clear`], aborts them (what an aborted task owns, such as a request at
//! the server, finishes as its own drop rules say).

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use tokio::task::JoinHandle;

/// The futures of a queue, each with its key, delivered in queue order.
pub(crate) struct Ordered<K, F: Future> {
    limit: usize,
    queue: VecDeque<(K, State<F>)>,
    /// How many entries of `queue` are started.
    started: usize,
}

enum State<F: Future> {
    Waiting(F),
    Started(JoinHandle<F::Output>),
    /// Only while [`Ordered::start`] moves the future into its task.
    Starting,
}

/// A result with its key, or [`Cancelled`].
pub(crate) type Delivered<K, T> = (K, Result<T, Cancelled>);

/// The runtime cancelled a future's task (it is shutting down) before its result came.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cancelled;

impl<K, F: Future> fmt::Debug for Ordered<K, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ordered")
            .field("limit", &self.limit)
            .field("queued", &self.queue.len())
            .field("started", &self.started)
            .finish()
    }
}

impl<K, F: Future> Ordered<K, F> {
    /// An empty queue that starts at most `limit` futures (at least 1) ahead of delivery.
    pub(crate) fn new(limit: usize) -> Self {
        Ordered {
            limit: limit.max(1),
            queue: VecDeque::new(),
            started: 0,
        }
    }

    /// How many futures may be started and not yet delivered.
    pub(crate) fn limit(&self) -> usize {
        self.limit
    }

    /// How many futures are still to deliver (started or not).
    pub(crate) fn len(&self) -> usize {
        self.queue.len()
    }

    /// Queues `future` after the others.
    pub(crate) fn push_back(&mut self, key: K, future: F) {
        self.queue.push_back((key, State::Waiting(future)));
    }

    /// Queues `future` before the others: its result is delivered next. Meant for what
    /// replaces the result just delivered (a window split in halves: push the second half,
    /// then the first); the slot that delivery freed is what starts it.
    ///
    /// The front is always started, so pushed while `limit` futures behind it are started
    /// (not after a delivery), it runs as one more than the limit rather than wait for
    /// results that cannot be delivered before it.
    pub(crate) fn push_front(&mut self, key: K, future: F) {
        self.queue.push_front((key, State::Waiting(future)));
    }

    /// Aborts every started future and empties the queue.
    pub(crate) fn clear(&mut self) {
        for (_, state) in self.queue.drain(..) {
            if let State::Started(task) = state {
                task.abort();
            }
        }
        self.started = 0;
    }
}

impl<K, F> Ordered<K, F>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    /// The next result in queue order with its key; `None` when the queue is empty.
    /// Cancel-safe: dropping this future loses nothing, the started ones keep running.
    #[cfg_attr(
        not(test),
        expect(
            dead_code,
            reason = "for the campaign uploads; the report windows poll"
        )
    )]
    pub(crate) async fn next(&mut self) -> Option<Delivered<K, F::Output>> {
        std::future::poll_fn(|cx| self.poll_next(cx)).await
    }

    /// [`next`](Self::next) as a poll: starts what the limit allows, then waits for the
    /// front. A panic in a future is resumed here, as if it had run inline.
    pub(crate) fn poll_next(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Delivered<K, F::Output>>> {
        self.start();
        let task = match self.queue.front_mut() {
            None => return Poll::Ready(None),
            Some((_, State::Started(task))) => task,
            // Not reached: `start` starts the front whatever the count.
            Some(_) => return Poll::Pending,
        };
        let joined = ready!(Pin::new(task).poll(cx));
        let Some((key, _)) = self.queue.pop_front() else {
            return Poll::Ready(None);
        };
        self.started -= 1;
        Poll::Ready(Some(match joined {
            Ok(output) => (key, Ok(output)),
            Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
            Err(_) => (key, Err(Cancelled)),
        }))
    }

    /// Starts waiting futures from the front while fewer than `limit` are started; the front
    /// whatever the count (a result can only be delivered from there).
    fn start(&mut self) {
        for (index, (_, state)) in self.queue.iter_mut().enumerate() {
            if self.started >= self.limit && index > 0 {
                break;
            }
            if let State::Waiting(_) = state {
                if let State::Waiting(future) = std::mem::replace(state, State::Starting) {
                    *state = State::Started(tokio::spawn(future));
                    self.started += 1;
                }
            }
        }
    }
}

impl<K, F: Future> Drop for Ordered<K, F> {
    fn drop(&mut self) {
        for (_, state) in &self.queue {
            if let State::Started(task) = state {
                task.abort();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use tokio::sync::oneshot;

    use super::*;

    type Job = Pin<Box<dyn Future<Output = usize> + Send>>;

    /// Counts the jobs that began running.
    #[derive(Clone, Default)]
    struct Started(Arc<AtomicUsize>);

    impl Started {
        fn count(&self) -> usize {
            self.0.load(Ordering::SeqCst)
        }

        /// A job that notes its start, sleeps `ms`, and answers `value`.
        fn job(&self, value: usize, ms: u64) -> Job {
            let started = Arc::clone(&self.0);
            Box::pin(async move {
                started.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(ms)).await;
                value
            })
        }

        /// A job that notes its start and answers `value` once `go` fires.
        fn gated(&self, value: usize, go: oneshot::Receiver<()>) -> Job {
            let started = Arc::clone(&self.0);
            Box::pin(async move {
                started.fetch_add(1, Ordering::SeqCst);
                let _ = go.await;
                value
            })
        }
    }

    /// Lets the spawned tasks run until they all wait.
    async fn settle() {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }

    async fn drain(queue: &mut Ordered<usize, Job>) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        while let Some((key, result)) = queue.next().await {
            out.push((key, result.unwrap()));
        }
        out
    }

    #[tokio::test(start_paused = true)]
    async fn results_come_in_queue_order_whatever_finishes_first() {
        let started = Started::default();
        let mut queue = Ordered::new(3);
        for (key, ms) in [(0, 300), (1, 10), (2, 200), (3, 0), (4, 50)] {
            queue.push_back(key, started.job(key * 10, ms));
        }
        assert_eq!(queue.len(), 5);
        let out = drain(&mut queue).await;
        assert_eq!(out, [(0, 0), (1, 10), (2, 20), (3, 30), (4, 40)]);
        assert_eq!(queue.len(), 0);
        assert!(queue.next().await.is_none());
    }

    #[tokio::test(start_paused = true)]
    async fn at_most_limit_started_and_not_delivered_however_slow_the_first() {
        let started = Started::default();
        let mut queue = Ordered::new(2);
        let (go, gate) = oneshot::channel();
        queue.push_back(0, started.gated(0, gate));
        for key in 1..6 {
            queue.push_back(key, started.job(key, 0));
        }
        assert_eq!(started.count(), 0, "nothing starts before next() is polled");
        // The first is stuck: the second finishes and waits; nothing more starts.
        assert!(
            tokio::time::timeout(Duration::from_millis(100), queue.next())
                .await
                .is_err()
        );
        settle().await;
        assert_eq!(started.count(), 2);
        // Giving up on next() lost nothing.
        let _ = go.send(());
        let mut delivered = 0;
        while let Some((key, result)) = queue.next().await {
            assert_eq!((key, result), (delivered, Ok(delivered)));
            delivered += 1;
            settle().await;
            assert!(
                started.count() - delivered <= 2,
                "{} started",
                started.count()
            );
        }
        assert_eq!(delivered, 6);
    }

    #[tokio::test(start_paused = true)]
    async fn one_at_a_time_starts_the_next_only_when_asked() {
        let started = Started::default();
        let mut queue = Ordered::new(1);
        for key in 0..3 {
            queue.push_back(key, started.job(key, 5));
        }
        assert_eq!(queue.next().await.map(|(key, _)| key), Some(0));
        settle().await;
        assert_eq!(started.count(), 1, "the second waits for the caller");
        assert_eq!(queue.next().await.map(|(key, _)| key), Some(1));
        assert_eq!(started.count(), 2);
        assert_eq!(queue.limit(), 1);
        assert_eq!(Ordered::<usize, Job>::new(0).limit(), 1, "at least one");
    }

    #[tokio::test(start_paused = true)]
    async fn a_split_pushed_to_the_front_comes_before_the_rest_within_the_limit() {
        let started = Started::default();
        let mut queue = Ordered::new(2);
        for key in [10, 20, 30] {
            queue.push_back(key, started.job(key, 10));
        }
        let (key, _) = queue.next().await.unwrap();
        assert_eq!(key, 10);
        // 10 came back too big: its halves replace it, in order, before 20.
        queue.push_front(12, started.job(12, 1));
        queue.push_front(11, started.job(11, 30));
        assert!(
            tokio::time::timeout(Duration::from_millis(1), queue.next())
                .await
                .is_err()
        );
        // 10 was delivered and 20 runs: of the halves only 11 may start.
        assert_eq!(started.count(), 3);
        let out = drain(&mut queue).await;
        assert_eq!(out, [(11, 11), (12, 12), (20, 20), (30, 30)]);
    }

    #[tokio::test(start_paused = true)]
    async fn the_front_always_runs_even_when_pushed_with_the_limit_taken() {
        let started = Started::default();
        let mut queue = Ordered::new(1);
        queue.push_back(1, started.job(1, 10));
        assert!(
            tokio::time::timeout(Duration::from_millis(1), queue.next())
                .await
                .is_err()
        );
        queue.push_front(0, started.job(0, 10));
        assert_eq!(drain(&mut queue).await, [(0, 0), (1, 1)]);
    }

    /// A job that never ends and notes when it is dropped.
    fn forever(dropped: &Arc<AtomicUsize>) -> Job {
        struct Guard(Arc<AtomicUsize>);
        impl Drop for Guard {
            fn drop(&mut self) {
                self.0.fetch_add(1, Ordering::SeqCst);
            }
        }
        let guard = Guard(Arc::clone(dropped));
        Box::pin(async move {
            let _guard = guard;
            std::future::pending::<()>().await;
            0
        })
    }

    #[tokio::test(start_paused = true)]
    async fn dropping_or_clearing_aborts_the_started_futures() {
        let dropped = Arc::new(AtomicUsize::new(0));
        let mut queue = Ordered::new(2);
        for key in 0..3 {
            queue.push_back(key, forever(&dropped));
        }
        assert!(
            tokio::time::timeout(Duration::from_millis(1), queue.next())
                .await
                .is_err()
        );
        queue.clear();
        settle().await;
        assert_eq!(
            dropped.load(Ordering::SeqCst),
            3,
            "two aborted, one never started"
        );
        assert!(queue.next().await.is_none());

        queue.push_back(0, forever(&dropped));
        assert!(
            tokio::time::timeout(Duration::from_millis(1), queue.next())
                .await
                .is_err()
        );
        drop(queue);
        settle().await;
        assert_eq!(dropped.load(Ordering::SeqCst), 4);
    }

    #[tokio::test]
    async fn a_panic_in_a_future_is_resumed_in_the_caller() {
        let mut queue: Ordered<usize, Job> = Ordered::new(1);
        queue.push_back(0, Box::pin(async { panic!("boom") }));
        let caller = tokio::spawn(async move { queue.next().await.map(|(key, _)| key) });
        let error = caller.await.unwrap_err();
        assert!(error.is_panic());
        let payload = error.into_panic();
        assert_eq!(payload.downcast_ref::<&str>(), Some(&"boom"));
    }
}
