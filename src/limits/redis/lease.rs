//! Leases in use: renewed while their request runs, given back when it ends, kept for the
//! process's next request when nobody else waits, and given back in the background when a
//! waiting call is abandoned.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, Weak};

use tokio::sync::OwnedSemaphorePermit;

use super::Inner;
use super::scripts::Keys;

/// The leases of one `RedisLimits` (and its clones).
#[derive(Debug, Default)]
pub(super) struct Leases {
    /// Lease id -> the keys of its scope, for every slot whose request runs.
    in_use: HashMap<String, Arc<Keys>>,
    /// Scope id -> leases kept after their request (nobody else was waiting), for the
    /// process's next request; given back as soon as the runtime gets to it.
    pub(super) idle: HashMap<String, Vec<String>>,
    /// Whether the renewing task runs.
    renewing: bool,
}

/// A new lease id: 32 hex digits, unique across processes (process-random keys, the process
/// id, a counter).
pub(super) fn new_lease_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    static KEYS: OnceLock<(RandomState, RandomState)> = OnceLock::new();
    let (a, b) = KEYS.get_or_init(|| (RandomState::new(), RandomState::new()));
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let seed = (std::process::id(), n);
    format!("{:016x}{:016x}", a.hash_one(seed), b.hash_one(seed))
}

/// Counts a release running in the background while it lives.
struct Releasing(Arc<Inner>);

impl Drop for Releasing {
    fn drop(&mut self) {
        self.0.releasing.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Inner {
    /// Runs a release in the background if there is a runtime (at runtime shutdown it is
    /// dropped: a lease not given back expires by itself), counted for `close`.
    fn spawn_release(self: &Arc<Self>, future: impl Future<Output = ()> + Send + 'static) {
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            self.releasing.fetch_add(1, Ordering::AcqRel);
            let releasing = Releasing(Arc::clone(self));
            runtime.spawn(async move {
                future.await;
                drop(releasing);
            });
        }
    }

    /// Gives back every idle lease and waits (up to twice the timeout) for the releases
    /// running in the background.
    pub(super) async fn close(self: &Arc<Self>) {
        let idle: Vec<(Arc<Keys>, String)> = {
            let mut state = self.state();
            let idle = std::mem::take(&mut state.leases.idle);
            idle.into_iter()
                .filter_map(|(scope, leases)| {
                    state.keys.get(&scope).map(|k| (Arc::clone(k), leases))
                })
                .flat_map(|(keys, leases)| leases.into_iter().map(move |l| (Arc::clone(&keys), l)))
                .collect()
        };
        for (keys, lease) in idle {
            self.leave(&keys, &lease).await;
        }
        let deadline = tokio::time::Instant::now() + 2 * self.config.timeout;
        while self.releasing.load(Ordering::Acquire) > 0 && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        }
    }

    /// A lease kept idle for `scope_id`, if there is one.
    pub(super) fn take_idle(&self, scope_id: &str) -> Option<String> {
        let mut leases = self.leases();
        let idle = leases.idle.get_mut(scope_id)?;
        let lease = idle.pop();
        if idle.is_empty() {
            leases.idle.remove(scope_id);
        }
        lease
    }

    /// Removes `lease` from the idle leases; whether it was there.
    fn remove_idle(&self, scope_id: &str, lease: &str) -> bool {
        let mut leases = self.leases();
        let Some(idle) = leases.idle.get_mut(scope_id) else {
            return false;
        };
        let before = idle.len();
        idle.retain(|held| held != lease);
        let removed = idle.len() < before;
        if idle.is_empty() {
            leases.idle.remove(scope_id);
        }
        removed
    }

    /// Records `lease` as in use (renewed) and starts the renewing task if it is not running.
    pub(super) fn hold(self: &Arc<Self>, keys: &Arc<Keys>, lease: &str) {
        let mut leases = self.leases();
        leases.in_use.insert(lease.to_owned(), Arc::clone(keys));
        if !leases.renewing {
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                leases.renewing = true;
                runtime.spawn(renew(Arc::downgrade(self)));
            }
        }
    }

    /// Gives `lease` back in Redis (or takes it out of the queue); a failure is ignored: the
    /// lease expires by itself.
    pub(super) async fn leave(&self, keys: &Keys, lease: &str) {
        let mut invocation = self.scripts.leave.prepare_invoke();
        invocation
            .key(&keys.slots)
            .key(&keys.queue)
            .key(&keys.alive)
            .arg(lease);
        let _ignored: Result<i64, _> = self.invoke(&invocation).await;
    }
}

/// Every third of the lease, renews the leases in use; ends when none is left (and is started
/// again by the next one) or when the `RedisLimits` is gone.
async fn renew(inner: Weak<Inner>) {
    loop {
        let Some(period) = inner.upgrade().map(|inner| inner.config.lease / 3) else {
            return;
        };
        tokio::time::sleep(period).await;
        let Some(inner) = inner.upgrade() else {
            return;
        };
        let batches: Vec<(Arc<Keys>, Vec<String>)> = {
            let mut leases = inner.leases();
            if leases.in_use.is_empty() {
                leases.renewing = false;
                return;
            }
            let mut by_scope: HashMap<&str, (Arc<Keys>, Vec<String>)> = HashMap::new();
            for (lease, keys) in &leases.in_use {
                by_scope
                    .entry(keys.slots.as_str())
                    .or_insert_with(|| (Arc::clone(keys), Vec::new()))
                    .1
                    .push(lease.clone());
            }
            by_scope.into_values().collect()
        };
        for (keys, ids) in batches {
            let mut invocation = inner.scripts.renew.prepare_invoke();
            invocation
                .key(&keys.slots)
                .arg(inner.config.lease.as_millis() as u64)
                .arg(inner.housekeeping_ms())
                .arg(&ids);
            let lost: Result<u64, _> = inner.invoke(&invocation).await;
            #[cfg(feature = "tracing")]
            if let Ok(lost @ 1..) = lost {
                tracing::warn!(
                    lost,
                    "wolkvox: the lease of a slot in Redis expired while its request ran (the \
                     process was paused, or Redis lost it); the service may answer 403 \
                     simultaneous requests, which is retried"
                );
            }
            #[cfg(not(feature = "tracing"))]
            let _ = lost;
        }
    }
}

/// A slot held in Redis: the process's own permit and the lease. Dropping it gives both back.
pub(super) struct RedisSlot {
    pub(super) inner: Arc<Inner>,
    pub(super) keys: Arc<Keys>,
    pub(super) lease: String,
    pub(super) permit: Option<OwnedSemaphorePermit>,
    /// Nobody else was waiting when the slot was taken: keep the lease for this process's next
    /// request, if it comes before the runtime gets to give it back.
    pub(super) keep: bool,
}

impl Drop for RedisSlot {
    fn drop(&mut self) {
        let lease = std::mem::take(&mut self.lease);
        let permit = self.permit.take();
        let (inner, keys) = (Arc::clone(&self.inner), Arc::clone(&self.keys));
        let mut leases = inner.leases();
        leases.in_use.remove(&lease);
        if self.keep {
            leases
                .idle
                .entry(keys.id.clone())
                .or_default()
                .push(lease.clone());
            drop(leases);
            // The next request of the process may take the lease (and the permit) at once.
            drop(permit);
            self.inner.spawn_release(async move {
                tokio::task::yield_now().await;
                if inner.remove_idle(&keys.id, &lease) {
                    inner.leave(&keys, &lease).await;
                }
            });
        } else {
            drop(leases);
            // The permit is given back with the lease, so the process's next waiter asks
            // Redis only once the slot is free there.
            self.inner.spawn_release(async move {
                inner.leave(&keys, &lease).await;
                drop(permit);
            });
        }
    }
}

/// A lease being waited for: if the wait is abandoned (the call's deadline, the caller gone),
/// the id leaves the queue, or gives back the slot a lost answer may have granted.
pub(super) struct Pending {
    pub(super) inner: Arc<Inner>,
    pub(super) keys: Arc<Keys>,
    pub(super) lease: Option<String>,
}

impl Pending {
    /// The lease id, no longer given back on drop.
    pub(super) fn disarm(&mut self) -> String {
        self.lease.take().unwrap_or_default()
    }

    pub(super) fn id(&self) -> &str {
        self.lease.as_deref().unwrap_or_default()
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if let Some(lease) = self.lease.take() {
            let (inner, keys) = (Arc::clone(&self.inner), Arc::clone(&self.keys));
            self.inner
                .spawn_release(async move { inner.leave(&keys, &lease).await });
        }
    }
}
