//! [`Snapshot`]: one successful poll's value and when it was taken.

use std::fmt;
use std::time::{Duration, Instant, SystemTime};

/// The value of one successful poll of a [`SharedWatch`](crate::SharedWatch), with the time it
/// arrived.
///
/// Handed out as `Arc<Snapshot<T>>`: every reader of the same poll shares one allocation, and
/// keeping a snapshot never blocks the next poll.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), wolkvox::Error> {
/// use std::time::Duration;
/// let mock = wolkvox::mock::MockWolkvox::start_demo().await;
/// let live = mock.client()?.skills().watch(Duration::from_secs(60)).share();
/// let snapshot = live.subscribe().next().await.expect("the first poll succeeds");
/// assert_eq!(snapshot.value.len(), 12); // the demo operation's twelve skills
/// assert!(snapshot.taken_at <= std::time::SystemTime::now());
/// assert!(snapshot.age() < Duration::from_secs(60));
/// # Ok(()) }
/// ```
#[derive(Clone)]
#[non_exhaustive]
pub struct Snapshot<T> {
    /// What the poll returned.
    pub value: T,
    /// The wall-clock time the response was decoded.
    pub taken_at: SystemTime,
    /// The same moment on the monotonic clock, for [`age`](Snapshot::age).
    taken: Instant,
}

impl<T> Snapshot<T> {
    /// A snapshot of `value` taken now.
    pub(crate) fn now(value: T) -> Self {
        Snapshot {
            value,
            taken_at: SystemTime::now(),
            taken: Instant::now(),
        }
    }

    /// How long ago the snapshot was taken, on the monotonic clock (not affected by changes
    /// of the system time).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), wolkvox::Error> {
    /// # let mock = wolkvox::mock::MockWolkvox::start_demo().await;
    /// # let live = mock.client()?.agents().watch(wolkvox::RECOMMENDED_POLL_INTERVAL).share();
    /// # live.subscribe().next().await;
    /// if let Some(agents) = live.latest() {
    ///     println!("{} agents, {:.0} s old", agents.value.len(), agents.age().as_secs_f64());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn age(&self) -> Duration {
        self.taken.elapsed()
    }
}

impl<T: fmt::Debug> fmt::Debug for Snapshot<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Snapshot")
            .field("value", &self.value)
            .field("taken_at", &self.taken_at)
            .field("age", &self.age())
            .finish()
    }
}
