//! [`SnapshotStream`]: one subscriber's view of a [`SharedWatch`](crate::SharedWatch).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use futures_core::Stream;
use tokio::sync::watch;

use super::{Slot, Snapshot};

/// Waits for the next published snapshot; gives the receiver back with it.
type NextChange<T> =
    Pin<Box<dyn Future<Output = Option<(Arc<Snapshot<T>>, watch::Receiver<Slot<T>>)>> + Send>>;

/// The snapshots of a [`SharedWatch`](crate::SharedWatch), from
/// [`SharedWatch::subscribe`](crate::SharedWatch::subscribe): the latest one at once (if there
/// is one), then each new successful snapshot.
///
/// A subscriber that reads slowly skips to the newest snapshot: nothing queues up behind it.
/// Failed polls are not items (see [`SharedWatch::last_error`](crate::SharedWatch::last_error)).
/// The stream ends when polling stops for good (after [`Error::Unauthorized`] or
/// [`Error::QuotaExceeded`](crate::Error::QuotaExceeded)). While it exists it keeps the poll
/// task running, like a [`SharedWatch`](crate::SharedWatch) handle.
///
/// Read it with the inherent [`next`](SnapshotStream::next), or as a [`Stream`] (it is `Unpin`).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), wolkvox::Error> {
/// use std::time::Duration;
/// let mock = wolkvox::mock::MockWolkvox::start_demo().await;
/// let live = mock.client()?.skills().watch(Duration::from_millis(50)).share();
/// let mut updates = live.subscribe();
/// let first = updates.next().await.expect("first snapshot");
/// mock.update_skill(101, |s| s.calls_in_queue_now = 9);
/// let second = updates.next().await.expect("second snapshot");
/// assert_eq!(first.value[0].calls_in_queue_now, 3);
/// assert_eq!(second.value[0].calls_in_queue_now, 9);
/// # Ok(()) }
/// ```
///
/// [`Error::Unauthorized`]: crate::Error::Unauthorized
#[must_use = "a stream does nothing unless polled"]
pub struct SnapshotStream<T> {
    /// The latest snapshot at subscription, not yet yielded.
    first: Option<Arc<Snapshot<T>>>,
    /// `None` once the stream has ended. In a `Mutex` only to make the stream `Sync`: it is
    /// reached through `&mut self` (`get_mut`), never locked.
    next: Mutex<Option<NextChange<T>>>,
}

impl<T: Send + Sync + 'static> SnapshotStream<T> {
    pub(super) fn new(mut receiver: watch::Receiver<Slot<T>>) -> Self {
        let first = receiver.borrow_and_update().clone();
        SnapshotStream {
            first,
            next: Mutex::new(Some(Box::pin(next_change(receiver)))),
        }
    }

    /// The next snapshot: the latest one at subscription first, then each new one; `None`
    /// once polling has stopped for good.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), wolkvox::Error> {
    /// # let mock = wolkvox::mock::MockWolkvox::start_demo().await;
    /// # let client = mock.client()?;
    /// let live = client.agents().watch(wolkvox::RECOMMENDED_POLL_INTERVAL).share();
    /// let mut updates = live.subscribe();
    /// if let Some(agents) = updates.next().await {
    ///     assert_eq!(agents.value.len(), 10);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn next(&mut self) -> Option<Arc<Snapshot<T>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

/// Waits until the poll task publishes a snapshot this receiver has not seen; `None` when the
/// poll task has stopped.
async fn next_change<T>(
    mut receiver: watch::Receiver<Slot<T>>,
) -> Option<(Arc<Snapshot<T>>, watch::Receiver<Slot<T>>)> {
    loop {
        receiver.changed().await.ok()?;
        let latest = receiver.borrow_and_update().clone();
        if let Some(snapshot) = latest {
            return Some((snapshot, receiver));
        }
    }
}

impl<T: Send + Sync + 'static> Stream for SnapshotStream<T> {
    type Item = Arc<Snapshot<T>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if let Some(first) = this.first.take() {
            return Poll::Ready(Some(first));
        }
        let next = this.next.get_mut().unwrap_or_else(PoisonError::into_inner);
        let Some(change) = next.as_mut() else {
            return Poll::Ready(None);
        };
        match std::task::ready!(change.as_mut().poll(cx)) {
            Some((snapshot, receiver)) => {
                *next = Some(Box::pin(next_change(receiver)));
                Poll::Ready(Some(snapshot))
            }
            None => {
                *next = None;
                Poll::Ready(None)
            }
        }
    }
}

impl<T> fmt::Debug for SnapshotStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ended = self.next.lock().is_ok_and(|next| next.is_none());
        f.debug_struct("SnapshotStream")
            .field("first_pending", &self.first.is_some())
            .field("ended", &ended)
            .finish()
    }
}
