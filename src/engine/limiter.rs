//! Per-token concurrency: at most N requests in flight per (host, token) in this process.
//!
//! Wolkvox allows 2 simultaneous requests per token and asks that calls do not overlap.
//! Every client built for the same host and token shares one fair (FIFO) semaphore through a
//! process-wide registry, so the limit holds across clones *and* across separately built
//! clients. The registry key is a keyed hash of host, port and token: the token itself is
//! never stored there. Entries disappear when the last client using them is dropped.
//!
//! Each entry also keeps the process's count of the token's requests on the operation's
//! current day: the whole count for `LocalLimits`, the last known shared count plus what was
//! sent during an outage for `RedisLimits`.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, Hasher, RandomState};
use std::sync::{Arc, Mutex, OnceLock, Weak};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// A handle on the shared semaphore of one (host, token).
#[derive(Debug, Clone)]
pub(crate) struct Limiter {
    shared: Arc<Shared>,
}

/// The semaphore of one (host, token), the limit it was created with, and the day's count.
#[derive(Debug)]
struct Shared {
    semaphore: Arc<Semaphore>,
    limit: usize,
    count: Mutex<DayCount>,
}

/// Requests counted on one day; a request of another day starts the count again.
#[derive(Debug, Default)]
struct DayCount {
    date: Option<jiff::civil::Date>,
    used: u64,
}

impl DayCount {
    /// The count of `date`, started again if it held another day.
    fn of(&mut self, date: jiff::civil::Date) -> &mut u64 {
        if self.date != Some(date) {
            self.date = Some(date);
            self.used = 0;
        }
        &mut self.used
    }
}

/// Process-wide: keyed hash of (host, port, token) -> semaphore.
type Registry = Mutex<HashMap<u64, Weak<Shared>>>;

fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Random per process, so the key of a token cannot be computed outside it.
fn key_hasher() -> &'static RandomState {
    static KEYS: OnceLock<RandomState> = OnceLock::new();
    KEYS.get_or_init(RandomState::new)
}

impl Limiter {
    /// The limiter shared by every client of this host and token. The first client to
    /// register a (host, token) sets its limit; later ones with another limit share it.
    pub(crate) fn for_token(host: &str, port: Option<u16>, token: &[u8], limit: usize) -> Self {
        let mut hasher = key_hasher().build_hasher();
        host.to_ascii_lowercase().hash(&mut hasher);
        port.hash(&mut hasher);
        token.hash(&mut hasher);
        let key = hasher.finish();

        // A poisoned lock only means another thread panicked while holding it; the map is
        // still consistent (every operation on it is a single insert or retain).
        let mut map = registry().lock().unwrap_or_else(|p| p.into_inner());
        if let Some(shared) = map.get(&key).and_then(Weak::upgrade) {
            return Limiter { shared };
        }
        map.retain(|_, weak| weak.strong_count() > 0);
        let shared = Arc::new(Shared {
            semaphore: Arc::new(Semaphore::new(limit)),
            limit,
            count: Mutex::new(DayCount::default()),
        });
        map.insert(key, Arc::downgrade(&shared));
        Limiter { shared }
    }

    /// A limiter of its own, outside the registry: for tests that play several processes.
    #[cfg(all(test, feature = "redis"))]
    pub(crate) fn detached(limit: usize) -> Self {
        Limiter {
            shared: Arc::new(Shared {
                semaphore: Arc::new(Semaphore::new(limit)),
                limit,
                count: Mutex::new(DayCount::default()),
            }),
        }
    }

    /// Waits for a turn (in arrival order). Dropping the future gives up the place in line.
    /// The permit is owned, so it can move into the task that carries the request: the turn
    /// is given back when that request is over, whatever happens to the caller.
    pub(crate) async fn acquire(&self) -> Option<OwnedSemaphorePermit> {
        // The semaphore is never closed, so this is always `Some`.
        Arc::clone(&self.shared.semaphore)
            .acquire_owned()
            .await
            .ok()
    }

    /// How many requests of this token may be in flight at once in this process.
    pub(crate) fn limit(&self) -> usize {
        self.shared.limit
    }

    /// Counts one request of `date` unless `budget` is reached: `Ok(count after)`, or
    /// `Err(count)` when the budget was used up (nothing counted).
    pub(crate) fn count_one(
        &self,
        date: jiff::civil::Date,
        budget: Option<u64>,
    ) -> Result<u64, u64> {
        let mut count = self.shared.count.lock().unwrap_or_else(|p| p.into_inner());
        let used = count.of(date);
        if budget.is_some_and(|budget| *used >= budget) {
            return Err(*used);
        }
        *used += 1;
        Ok(*used)
    }

    /// Requests counted on `date`.
    pub(crate) fn used(&self, date: jiff::civil::Date) -> u64 {
        let mut count = self.shared.count.lock().unwrap_or_else(|p| p.into_inner());
        *count.of(date)
    }

    /// Raises the count of `date` to `at_least` if it is lower; answers the count.
    pub(crate) fn raise(&self, date: jiff::civil::Date, at_least: u64) -> u64 {
        let mut count = self.shared.count.lock().unwrap_or_else(|p| p.into_inner());
        let used = count.of(date);
        *used = (*used).max(at_least);
        *used
    }

    /// Permits free right now (for tests).
    #[cfg(test)]
    pub(crate) fn available(&self) -> usize {
        self.shared.semaphore.available_permits()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_host_and_token_share_one_semaphore() {
        let a = Limiter::for_token("wv0004.wolkvox.com", Some(443), b"tok-share", 1);
        let b = Limiter::for_token("WV0004.wolkvox.com", Some(443), b"tok-share", 2);
        assert!(Arc::ptr_eq(&a.shared, &b.shared));
        assert_eq!(b.available(), 1, "the first limit wins");
        assert_eq!(b.limit(), 1);
        let other_token = Limiter::for_token("wv0004.wolkvox.com", Some(443), b"tok-other", 1);
        assert!(!Arc::ptr_eq(&a.shared, &other_token.shared));
        let other_host = Limiter::for_token("wv0005.wolkvox.com", Some(443), b"tok-share", 1);
        assert!(!Arc::ptr_eq(&a.shared, &other_host.shared));
    }

    #[test]
    fn entries_are_dropped_with_their_last_client() {
        let a = Limiter::for_token("drop.example", None, b"tok-drop", 1);
        let weak = Arc::downgrade(&a.shared);
        drop(a);
        assert!(weak.upgrade().is_none());
        let again = Limiter::for_token("drop.example", None, b"tok-drop", 2);
        assert_eq!(again.available(), 2);
    }

    #[tokio::test]
    async fn waiting_callers_are_served_in_arrival_order() {
        let limiter = Limiter::for_token("fifo.example", None, b"tok-fifo", 1);
        let order = Arc::new(Mutex::new(Vec::new()));
        let held = limiter.acquire().await.unwrap();
        let mut tasks = Vec::new();
        for i in 0..6 {
            let (limiter, order) = (limiter.clone(), order.clone());
            tasks.push(tokio::spawn(async move {
                let _permit = limiter.acquire().await;
                order.lock().unwrap().push(i);
                tokio::task::yield_now().await;
            }));
            // Let task i reach the queue before task i + 1 is spawned (single-threaded
            // runtime: spawned tasks run while this one yields).
            for _ in 0..10 {
                tokio::task::yield_now().await;
            }
        }
        drop(held);
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(*order.lock().unwrap(), vec![0, 1, 2, 3, 4, 5]);
    }

    #[test]
    fn the_count_holds_one_day_and_stops_at_the_budget() {
        let limiter = Limiter::for_token("count.example", None, b"tok-count", 1);
        let (d1, d2) = (
            jiff::civil::date(2026, 4, 30),
            jiff::civil::date(2026, 5, 1),
        );
        assert_eq!(limiter.count_one(d1, Some(2)), Ok(1));
        assert_eq!(limiter.count_one(d1, Some(2)), Ok(2));
        assert_eq!(limiter.count_one(d1, Some(2)), Err(2));
        assert_eq!(limiter.used(d1), 2);
        assert_eq!(limiter.raise(d1, 10), 10);
        assert_eq!(limiter.raise(d1, 3), 10);
        assert_eq!(
            limiter.count_one(d2, Some(2)),
            Ok(1),
            "a new day starts from zero"
        );
        assert_eq!(limiter.count_one(d2, None), Ok(2));
    }

    #[test]
    fn registry_never_holds_the_token() {
        let _a = Limiter::for_token("h.example", None, b"SECRET-IN-REGISTRY", 1);
        let map = registry().lock().unwrap_or_else(|p| p.into_inner());
        let text = format!("{map:?}");
        assert!(!text.contains("SECRET"));
    }
}
