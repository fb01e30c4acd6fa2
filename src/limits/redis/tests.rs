//! `RedisLimits` against a real `redis-server` (started by each test on a free port). Several
//! processes are played by scopes with the same id and local limiters of their own, each with
//! its own `RedisLimits` (its own connection).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::test_server::RedisServer;
use jiff::tz::Offset;

use super::*;

const HOST: &str = "wv0004.wolkvox.com";

fn day() -> Day {
    Day::at(jiff::Timestamp::now(), Offset::constant(-5))
}

/// `processes` scopes of one token as separate processes see it.
fn processes(token: &str, n: usize, max: usize, budget: Option<u64>) -> Vec<Scope> {
    (0..n)
        .map(|_| Scope::detached(HOST, token.as_bytes(), max, budget))
        .collect()
}

async fn raw(server: &RedisServer) -> redis::aio::MultiplexedConnection {
    redis::Client::open(server.url())
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap()
}

async fn grant(limits: &RedisLimits, scope: &Scope, day: &Day) -> Grant {
    tokio::time::timeout(Duration::from_secs(10), limits.acquire(scope, day))
        .await
        .expect("a grant within 10 s")
        .expect("no Redis error")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slots_never_exceed_the_limit_across_processes_and_nobody_starves() {
    let Some(server) = RedisServer::start("slots_never_exceed_the_limit") else {
        return;
    };
    let scopes = processes("tok-slots", 5, 2, None);
    let in_flight = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for scope in scopes {
        let limits = RedisLimits::new(&server.url()).unwrap();
        for _ in 0..3 {
            let (limits, scope) = (limits.clone(), scope.clone());
            let (in_flight, most) = (in_flight.clone(), most.clone());
            tasks.push(tokio::spawn(async move {
                let day = day();
                for _ in 0..8 {
                    let Grant::Slot(slot) = grant(&limits, &scope, &day).await else {
                        panic!("no budget set")
                    };
                    let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(3)).await;
                    in_flight.fetch_sub(1, Ordering::SeqCst);
                    drop(slot);
                }
            }));
        }
    }
    for task in tasks {
        task.await.unwrap();
    }
    assert!(
        most.load(Ordering::SeqCst) <= 2,
        "{most:?} in flight at once"
    );
    assert_eq!(most.load(Ordering::SeqCst), 2, "both slots were used");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_budget_is_exact_across_processes() {
    let Some(server) = RedisServer::start("the_budget_is_exact_across_processes") else {
        return;
    };
    let granted = Arc::new(AtomicUsize::new(0));
    let exhausted = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for scope in processes("tok-budget", 4, 2, Some(25)) {
        let limits = RedisLimits::new(&server.url()).unwrap();
        for _ in 0..2 {
            let (limits, scope) = (limits.clone(), scope.clone());
            let (granted, exhausted) = (granted.clone(), exhausted.clone());
            tasks.push(tokio::spawn(async move {
                let day = day();
                for _ in 0..10 {
                    match grant(&limits, &scope, &day).await {
                        Grant::Slot(_slot) => granted.fetch_add(1, Ordering::SeqCst),
                        Grant::Exhausted { used } => {
                            assert!(used >= 25, "{used}");
                            exhausted.fetch_add(1, Ordering::SeqCst)
                        }
                    };
                }
            }));
        }
    }
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(granted.load(Ordering::SeqCst), 25);
    assert_eq!(exhausted.load(Ordering::SeqCst), 80 - 25);
    let scope = &processes("tok-budget", 1, 2, Some(25))[0];
    let limits = RedisLimits::new(&server.url()).unwrap();
    assert_eq!(limits.used(scope, &day()).await.unwrap(), 25);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_hold_a_digest_never_the_token_and_expire_by_themselves() {
    let Some(server) = RedisServer::start("keys_hold_a_digest_never_the_token") else {
        return;
    };
    let token = "Very-Secret-Token-42";
    let scope = &processes(token, 1, 1, Some(100))[0];
    let limits = RedisLimits::new(&server.url()).unwrap().key_prefix("acme");
    let day = day();
    let Grant::Slot(slot) = grant(&limits, scope, &day).await else {
        panic!("a slot")
    };
    let mut redis = raw(&server).await;
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg("*")
        .query_async(&mut redis)
        .await
        .unwrap();
    let base = format!("acme:{{{}}}", scope.id());
    let mut expected = vec![
        format!("{base}:count:{}", day.date()),
        format!("{base}:slots"),
    ];
    expected.sort();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(sorted, expected);
    assert!(
        keys.iter()
            .all(|k| !k.contains(token) && !k.contains("Secret"))
    );
    let count_ttl: i64 = redis::cmd("PTTL")
        .arg(&expected[0])
        .query_async(&mut redis)
        .await
        .unwrap();
    let until_day_ends = day.ends_at().as_millisecond() - jiff::Timestamp::now().as_millisecond();
    assert!(
        count_ttl > until_day_ends && count_ttl <= until_day_ends + 86_401_000,
        "the count expires one day after its day: {count_ttl} ms"
    );
    let slots_ttl: i64 = redis::cmd("PTTL")
        .arg(&expected[1])
        .query_async(&mut redis)
        .await
        .unwrap();
    assert!(slots_ttl > 0 && slots_ttl <= 2 * 17_000, "{slots_ttl}");
    drop(slot);
    let debug = format!("{limits:?} {scope:?}");
    assert!(!debug.contains("Secret"), "{debug}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_holder_loses_its_slot_within_the_lease_and_a_live_one_renews_it() {
    let Some(server) = RedisServer::start("a_dead_holder_loses_its_slot") else {
        return;
    };
    let [a, b] = <[Scope; 2]>::try_from(processes("tok-lease", 2, 1, None)).unwrap();
    let lease = Duration::from_millis(600);
    let (la, lb) = (
        RedisLimits::new(&server.url()).unwrap().lease(lease),
        RedisLimits::new(&server.url()).unwrap().lease(lease),
    );
    let day = day();
    // A live holder keeps its slot past the lease: it is renewed every 200 ms.
    let Grant::Slot(held) = grant(&la, &a, &day).await else {
        panic!("a slot")
    };
    let waiting = tokio::time::timeout(Duration::from_millis(1500), lb.acquire(&b, &day)).await;
    assert!(
        waiting.is_err(),
        "the slot was renewed, the other process kept waiting"
    );
    drop(held);
    let Grant::Slot(next) = grant(&lb, &b, &day).await else {
        panic!("a slot")
    };
    drop(next);
    // A dead holder (a lease nobody renews, as a killed process leaves it).
    let keys = la.inner.keys(&a);
    let mut redis = raw(&server).await;
    let now: (u64, u64) = redis::cmd("TIME").query_async(&mut redis).await.unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await; // let the idle lease be given back
    let _: i64 = redis::cmd("ZADD")
        .arg(&keys.slots)
        .arg(now.0 * 1000 + now.1 / 1000 + 600)
        .arg("dead-process")
        .query_async(&mut redis)
        .await
        .unwrap();
    let started = Instant::now();
    let Grant::Slot(_slot) = grant(&lb, &b, &day).await else {
        panic!("a slot")
    };
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(400) && waited < Duration::from_millis(1200),
        "the dead holder's slot came back with its lease: {waited:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_abandoned_wait_leaves_the_queue() {
    let Some(server) = RedisServer::start("an_abandoned_wait_leaves_the_queue") else {
        return;
    };
    let [a, b, c] = <[Scope; 3]>::try_from(processes("tok-abandon", 3, 1, None)).unwrap();
    let limits: Vec<RedisLimits> = (0..3)
        .map(|_| RedisLimits::new(&server.url()).unwrap())
        .collect();
    let day = day();
    let Grant::Slot(held) = grant(&limits[0], &a, &day).await else {
        panic!("a slot")
    };
    let gave_up =
        tokio::time::timeout(Duration::from_millis(100), limits[1].acquire(&b, &day)).await;
    assert!(gave_up.is_err());
    let keys = limits[0].inner.keys(&a);
    let mut redis = raw(&server).await;
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        let queued: u64 = redis::cmd("ZCARD")
            .arg(&keys.queue)
            .query_async(&mut redis)
            .await
            .unwrap();
        if queued == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the abandoned waiter is still queued"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    drop(held);
    let started = Instant::now();
    let Grant::Slot(_slot) = grant(&limits[2], &c, &day).await else {
        panic!("a slot")
    };
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_busy_process_does_not_keep_the_slot_from_a_waiting_one() {
    let Some(server) = RedisServer::start("a_busy_process_does_not_keep_the_slot") else {
        return;
    };
    let [a, b] = <[Scope; 2]>::try_from(processes("tok-fair", 2, 1, None)).unwrap();
    let (la, lb) = (
        RedisLimits::new(&server.url()).unwrap(),
        RedisLimits::new(&server.url()).unwrap(),
    );
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let busy = {
        let stop = stop.clone();
        tokio::spawn(async move {
            let day = day();
            let mut n = 0u32;
            while !stop.load(Ordering::SeqCst) {
                let Grant::Slot(slot) = grant(&la, &a, &day).await else {
                    panic!()
                };
                tokio::time::sleep(Duration::from_millis(2)).await;
                drop(slot);
                n += 1;
            }
            n
        })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    let day = day();
    for _ in 0..5 {
        let started = Instant::now();
        let Grant::Slot(slot) = grant(&lb, &b, &day).await else {
            panic!()
        };
        assert!(
            started.elapsed() < Duration::from_millis(300),
            "{:?}",
            started.elapsed()
        );
        drop(slot);
    }
    stop.store(true, Ordering::SeqCst);
    assert!(busy.await.unwrap() > 10, "the busy process ran all along");
}

#[tokio::test(flavor = "current_thread")]
async fn back_to_back_requests_keep_the_lease_and_give_it_back_after() {
    let Some(server) = RedisServer::start("back_to_back_requests_keep_the_lease") else {
        return;
    };
    let scope = &processes("tok-keep", 1, 1, None)[0];
    let limits = RedisLimits::new(&server.url()).unwrap();
    let day = day();
    let keys = limits.inner.keys(scope);
    let mut redis = raw(&server).await;
    let held = || redis::cmd("ZCARD").arg(&keys.slots).clone();
    let idle = || {
        limits
            .inner
            .state()
            .leases
            .idle
            .values()
            .map(Vec::len)
            .sum::<usize>()
    };
    for _ in 0..20 {
        let Grant::Slot(slot) = grant(&limits, scope, &day).await else {
            panic!()
        };
        drop(slot);
        // Nobody else waits: the lease is kept for the next request (which takes it back
        // before the background release gets to run on this single thread).
        assert_eq!(idle(), 1);
    }
    limits.close().await;
    assert_eq!(idle(), 0);
    let kept: u64 = held().query_async(&mut redis).await.unwrap();
    assert_eq!(kept, 0, "close() gave the idle lease back");
    assert_eq!(limits.used(scope, &day).await.unwrap(), 20);
    // Without close(), the runtime gives it back as soon as it gets to it.
    let Grant::Slot(slot) = grant(&limits, scope, &day).await else {
        panic!()
    };
    drop(slot);
    tokio::time::sleep(Duration::from_millis(20)).await;
    let kept: u64 = held().query_async(&mut redis).await.unwrap();
    assert_eq!((kept, idle()), (0, 0), "the idle lease was given back");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_redis_calls_go_on_locally_or_fail_and_share_again_when_it_is_back() {
    let Some(mut server) = RedisServer::start("without_redis_calls_go_on_locally") else {
        return;
    };
    let scope = &processes("tok-outage", 1, 1, Some(1000))[0];
    let local = RedisLimits::new(&server.url())
        .unwrap()
        .timeout(Duration::from_millis(300));
    let fail = local.clone().when_unavailable(Fallback::Fail);
    let day = day();
    for limits in [&local, &fail] {
        let Grant::Slot(_) = grant(limits, scope, &day).await else {
            panic!()
        };
    }
    assert_eq!(local.used(scope, &day).await.unwrap(), 2);
    server.stop();

    // Fallback::Local: calls go on, counted locally, without waiting for Redis each time.
    for _ in 0..3 {
        let Grant::Slot(_) = grant(&local, scope, &day).await else {
            panic!()
        };
    }
    assert_eq!(local.fallback_requests(), 3);
    assert_eq!(
        local.inner.health.outages(),
        1,
        "one outage, however many calls"
    );
    assert_eq!(local.used(scope, &day).await.unwrap(), 5);
    // Fallback::Fail: the call fails with the Redis error as its source, no token in it.
    let error = fail.acquire(scope, &day).await.unwrap_err();
    assert!(std::error::Error::source(&error).is_some());
    let text = format!("{error} {error:?}");
    assert!(!text.contains("tok-outage"), "{text}");

    let _server = RedisServer::start_on(server.port);
    tokio::time::sleep(health::PROBE_INTERVAL + Duration::from_millis(100)).await;
    let Grant::Slot(slot) = grant(&local, scope, &day).await else {
        panic!()
    };
    drop(slot);
    assert_eq!(local.fallback_requests(), 3, "shared again");
    // Redis lost everything (no persistence): the process's own count restored it, with the
    // requests counted during the outage.
    let fresh = RedisLimits::new(&_server.url()).unwrap();
    let other = &processes("tok-outage", 1, 1, Some(1000))[0];
    assert_eq!(fresh.used(other, &day).await.unwrap(), 6);
    let Grant::Slot(_) = grant(&fail, scope, &day).await else {
        panic!()
    };
}

#[test]
fn a_bad_url_is_a_config_error_that_does_not_repeat_it() {
    let error = RedisLimits::new("http://user:hunter2@example.com/").unwrap_err();
    assert_eq!(error.kind(), "config");
    assert!(!error.to_string().contains("hunter2"), "{error}");
    let limits = RedisLimits::new("rediss://user:hunter2@redis.example:6380/2?x=y").unwrap();
    let debug = format!("{limits:?}");
    assert!(!debug.contains("hunter2"), "{debug}");
    assert!(debug.contains("rediss://redis.example:6380/2"), "{debug}");
}
