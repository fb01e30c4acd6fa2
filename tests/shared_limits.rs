//! `shared_limits(RedisLimits)` across OS processes, through a real `redis-server` started by
//! each test (on a free loopback port, without persistence; skipped when the binary is missing,
//! unless `CI` is set).
//!
//! **Child processes**: this test binary runs itself again (`current_exe()`), with only the
//! test `child_process` selected and its orders in the environment variable
//! `WOLKVOX_LIMITS_CHILD`. Without that variable `child_process` does nothing. So no extra
//! binary has to be built or found, and a child is the same code as its parent. A child prints
//! one line, `LIMITS-CHILD ok=.. exhausted=.. concurrency=.. other=..`, and exits.
//!
//! Every test is bounded: children are killed by a guard (and after 120 s at the latest), the
//! servers end with the test's runtime, Redis is killed with its guard.

mod common;

use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::redis::RedisServer;
use wolkvox::limits::RedisLimits;
use wolkvox::mock::{Fault, MockWolkvox};
use wolkvox::{Error, WolkvoxClient};

const CHILD_VAR: &str = "WOLKVOX_LIMITS_CHILD";

// ---------------------------------------------------------------------------------------------
// The child.

/// What a child is told to do (`key=value` pairs separated by spaces in `WOLKVOX_LIMITS_CHILD`).
#[derive(Debug, Clone, Default)]
struct Orders {
    base_url: String,
    redis: Option<String>,
    token: String,
    clients: usize,
    calls: usize,
    budget: Option<u64>,
    lease_ms: Option<u64>,
    /// The `api=` of every call: `skills` (`client.skills()`), or another real-time report
    /// (`hang`, which the simulator holds back).
    api: String,
}

impl Orders {
    fn encode(&self) -> String {
        let mut out = format!(
            "base_url={} token={} clients={} calls={} api={}",
            self.base_url, self.token, self.clients, self.calls, self.api
        );
        if let Some(redis) = &self.redis {
            out.push_str(&format!(" redis={redis}"));
        }
        if let Some(budget) = self.budget {
            out.push_str(&format!(" budget={budget}"));
        }
        if let Some(lease) = self.lease_ms {
            out.push_str(&format!(" lease_ms={lease}"));
        }
        out
    }

    fn decode(text: &str) -> Orders {
        let mut orders = Orders::default();
        for pair in text.split_whitespace() {
            let (key, value) = pair.split_once('=').expect("key=value");
            match key {
                "base_url" => orders.base_url = value.to_owned(),
                "redis" => orders.redis = Some(value.to_owned()),
                "token" => orders.token = value.to_owned(),
                "clients" => orders.clients = value.parse().unwrap(),
                "calls" => orders.calls = value.parse().unwrap(),
                "budget" => orders.budget = Some(value.parse().unwrap()),
                "lease_ms" => orders.lease_ms = Some(value.parse().unwrap()),
                "api" => orders.api = value.to_owned(),
                other => panic!("unknown order {other}"),
            }
        }
        orders
    }
}

/// A client as every process builds it: 2 in flight, no retries (a 403 would show), a
/// generous deadline (waiting for a turn counts against it).
fn client(orders: &Orders, limits: Option<RedisLimits>) -> WolkvoxClient {
    let mut builder = WolkvoxClient::builder()
        .base_url(&orders.base_url)
        .token(&orders.token)
        .max_concurrent_requests(2)
        .max_retries(0)
        .timeout(Duration::from_secs(60))
        .total_timeout(Duration::from_secs(100));
    if let Some(limits) = limits {
        builder = builder.shared_limits(limits);
    }
    if let Some(budget) = orders.budget {
        builder = builder.daily_budget(budget);
    }
    builder.build().unwrap()
}

fn redis_limits(url: &str, lease_ms: Option<u64>) -> RedisLimits {
    let limits = RedisLimits::new(url).unwrap();
    match lease_ms {
        Some(ms) => limits.lease(Duration::from_millis(ms)),
        None => limits,
    }
}

/// Not a test of its own: the body of a child process (does nothing without its orders).
#[test]
fn child_process() {
    let Ok(text) = std::env::var(CHILD_VAR) else {
        return;
    };
    let orders = Orders::decode(&text);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let counts = runtime.block_on(async {
        let shared = orders
            .redis
            .as_deref()
            .map(|url| redis_limits(url, orders.lease_ms));
        let counts = Arc::new(Mutex::new([0usize; 4]));
        let mut tasks = Vec::new();
        for i in 0..orders.clients {
            // The first client takes a clone of the process's RedisLimits, the others one of
            // their own: both share the slots.
            let limits = match (&shared, i) {
                (Some(limits), 0) => Some(limits.clone()),
                (Some(_), _) => Some(redis_limits(
                    orders.redis.as_deref().unwrap(),
                    orders.lease_ms,
                )),
                (None, _) => None,
            };
            let client = client(&orders, limits);
            let (counts, calls, api) = (counts.clone(), orders.calls, orders.api.clone());
            tasks.push(tokio::spawn(async move {
                for _ in 0..calls {
                    let result = if api == "skills" {
                        client.skills().await.map(drop)
                    } else {
                        client.realtime(&api).send().await.map(drop)
                    };
                    let slot = match result {
                        Ok(()) => 0,
                        Err(Error::BudgetExhausted { .. }) => 1,
                        Err(Error::ConcurrencyLimited { .. }) => 2,
                        Err(other) => {
                            eprintln!("child: {other}");
                            3
                        }
                    };
                    counts.lock().unwrap()[slot] += 1;
                }
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
        *counts.lock().unwrap()
    });
    println!(
        "LIMITS-CHILD ok={} exhausted={} concurrency={} other={}",
        counts[0], counts[1], counts[2], counts[3]
    );
}

// ---------------------------------------------------------------------------------------------
// The parent's side.

/// What a child reported.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Report {
    ok: usize,
    exhausted: usize,
    concurrency: usize,
    other: usize,
}

/// Child processes, killed (SIGKILL) if still running when dropped.
struct Children {
    children: Vec<(Child, std::thread::JoinHandle<String>)>,
}

impl Children {
    fn spawn(n: usize, orders: &Orders) -> Children {
        let exe = std::env::current_exe().unwrap();
        let children = (0..n)
            .map(|_| {
                let mut child = Command::new(&exe)
                    .args([
                        "child_process",
                        "--exact",
                        "--nocapture",
                        "--test-threads=1",
                    ])
                    .env(CHILD_VAR, orders.encode())
                    .stdin(Stdio::null())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::inherit())
                    .spawn()
                    .unwrap();
                let mut stdout = child.stdout.take().unwrap();
                let reader = std::thread::spawn(move || {
                    let mut text = String::new();
                    let _ = stdout.read_to_string(&mut text);
                    text
                });
                (child, reader)
            })
            .collect();
        Children { children }
    }

    /// Waits (while the runtime serves) for every child to exit, within `limit`.
    async fn reports(mut self, limit: Duration) -> Vec<Report> {
        let deadline = Instant::now() + limit;
        for (child, _) in &mut self.children {
            loop {
                if child.try_wait().unwrap().is_some() {
                    break;
                }
                assert!(
                    Instant::now() < deadline,
                    "a child ran longer than {limit:?}"
                );
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
        std::mem::take(&mut self.children)
            .into_iter()
            .map(|(mut child, reader)| {
                assert!(child.wait().unwrap().success(), "a child failed");
                parse(&reader.join().unwrap())
            })
            .collect()
    }

    fn kill(&mut self, i: usize) {
        let _ = self.children[i].0.kill();
        let _ = self.children[i].0.wait();
    }
}

impl Drop for Children {
    fn drop(&mut self) {
        for (child, _) in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn parse(stdout: &str) -> Report {
    let line = stdout
        .lines()
        .find_map(|l| l.split_once("LIMITS-CHILD ").map(|(_, report)| report))
        .unwrap_or_else(|| panic!("no report in the child's output:\n{stdout}"));
    let mut report = Report::default();
    for pair in line.split_whitespace() {
        let (key, value) = pair.split_once('=').unwrap();
        let value = value.parse().unwrap();
        match key {
            "ok" => report.ok = value,
            "exhausted" => report.exhausted = value,
            "concurrency" => report.concurrency = value,
            _ => report.other = value,
        }
    }
    report
}

fn total(reports: &[Report]) -> Report {
    reports.iter().fold(Report::default(), |a, r| Report {
        ok: a.ok + r.ok,
        exhausted: a.exhausted + r.exhausted,
        concurrency: a.concurrency + r.concurrency,
        other: a.other + r.other,
    })
}

fn orders(mock: &MockWolkvox, redis: Option<&RedisServer>, calls: usize) -> Orders {
    Orders {
        base_url: mock.uri(),
        redis: redis.map(RedisServer::url),
        token: mock.token(),
        clients: 2,
        calls,
        api: "skills".to_owned(),
        ..Orders::default()
    }
}

/// The simulator, answering every request `delay` late.
async fn simulator(delay: Duration) -> MockWolkvox {
    let mock = MockWolkvox::start_demo().await;
    mock.set_fault(Some(Fault::Delay(delay)));
    mock.set_token_limit(1_000_000);
    mock
}

// ---------------------------------------------------------------------------------------------
// The tests.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_processes_never_have_more_than_two_in_flight_through_redis() {
    let Some(redis) = RedisServer::start("four_processes_never_have_more_than_two_in_flight")
    else {
        return;
    };
    let mock = simulator(Duration::from_millis(100)).await; // 403 past 2 in flight
    let started = Instant::now();
    let reports = Children::spawn(4, &orders(&mock, Some(&redis), 50))
        .reports(Duration::from_secs(120))
        .await;
    let sum = total(&reports);
    assert_eq!(
        sum,
        Report {
            ok: 400,
            ..Report::default()
        },
        "no 403 simultaneous (concurrency: 0), nothing else failed: {reports:?}"
    );
    assert_eq!(mock.request_count(), 400);
    assert_eq!(mock.max_in_flight(), 2);
    // 400 calls of 100 ms through 2 slots take 20 s at best: the slots were kept busy.
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(40), "{elapsed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_shared_limits_four_processes_go_past_two_in_flight() {
    let mock = simulator(Duration::from_millis(100)).await;
    mock.set_concurrency_limit(usize::MAX); // count the overlap instead of refusing it
    let reports = Children::spawn(4, &orders(&mock, None, 10))
        .reports(Duration::from_secs(60))
        .await;
    assert_eq!(total(&reports).ok, 80);
    let most = mock.max_in_flight();
    assert!(
        most > 2,
        "each process kept its own 2, so together they had more: {most}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_daily_budget_of_100_shared_by_four_processes_lets_exactly_100_through() {
    let Some(redis) = RedisServer::start("a_daily_budget_of_100_shared_by_four_processes") else {
        return;
    };
    let mock = simulator(Duration::from_millis(5)).await;
    let mut orders = orders(&mock, Some(&redis), 40);
    orders.budget = Some(100);
    let reports = Children::spawn(4, &orders)
        .reports(Duration::from_secs(60))
        .await;
    let sum = total(&reports);
    assert_eq!(
        sum,
        Report {
            ok: 100,
            exhausted: 4 * 2 * 40 - 100,
            ..Report::default()
        },
        "{reports:?}"
    );
    assert_eq!(mock.request_count(), 100, "the rest sent nothing");
    assert!(mock.max_in_flight() <= 2);
    let client = client(&orders, Some(RedisLimits::new(&redis.url()).unwrap()));
    let usage = client.usage().await.unwrap();
    assert_eq!((usage.used, usage.budget), (100, Some(100)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_process_gives_its_slot_back_within_the_lease() {
    let Some(redis) = RedisServer::start("a_killed_process_gives_its_slot_back") else {
        return;
    };
    // `api=hang` is answered only after a minute; anything else at once. The simulator's own
    // limit is off: it would still be working on the killed process's requests, and answer the
    // next one 403 simultaneous (the crate's retry covers that, see docs/limits.md).
    let mock = MockWolkvox::start_demo().await;
    mock.set_concurrency_limit(usize::MAX);
    mock.fail_when(Fault::Delay(Duration::from_secs(60)), |request| {
        request.api.as_deref() == Some("hang")
    });
    let mut orders = orders(&mock, Some(&redis), 1);
    orders.clients = 2; // both slots held by the process that is killed
    orders.api = "hang".to_owned();
    orders.lease_ms = Some(2_000);
    let mut children = Children::spawn(1, &orders);
    let deadline = Instant::now() + Duration::from_secs(30);
    while mock.request_count() < 2 {
        assert!(
            Instant::now() < deadline,
            "the child never sent its requests"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    children.kill(0);
    let killed = Instant::now();

    orders.api = "skills".to_owned();
    let other = client(&orders, Some(redis_limits(&redis.url(), Some(2_000))));
    other.skills().await.unwrap();
    let waited = killed.elapsed();
    // The lease was renewed at most a third of it before the kill: between 1.33 and 2 s left.
    assert!(
        waited >= Duration::from_millis(1_000) && waited < Duration::from_millis(3_500),
        "the slot came back after {waited:?}"
    );
}

/// Every event's level, message and fields, one per line.
#[derive(Clone, Default)]
struct Capture {
    text: Arc<Mutex<String>>,
}

impl Capture {
    fn count(&self, needle: &str) -> usize {
        self.text.lock().unwrap().matches(needle).count()
    }
}

struct Fields<'a>(&'a mut String);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!(" {}={:?}", field.name(), value));
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut text = self.text.lock().unwrap();
        text.push_str(&format!("\n{}", event.metadata().level()));
        event.record(&mut Fields(&mut text));
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

/// `redis-server` killed in the middle of a run and started again on the same port: calls go
/// on under the process's own limits with one warning, then share the limits again, and the
/// requests counted meanwhile reach the shared count.
#[test]
fn redis_killed_and_restarted_calls_go_on_locally_then_shared_again() {
    let Some(mut redis) = RedisServer::start("redis_killed_and_restarted") else {
        return;
    };
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mock = MockWolkvox::start_with_token("Restart-Secret-Token").await;
        mock.load_demo();
        mock.set_fault(Some(Fault::Delay(Duration::from_millis(20))));
        let token = "Restart-Secret-Token";
        let limits = RedisLimits::new(&redis.url())
            .unwrap()
            .timeout(Duration::from_millis(300));
        let orders = orders(&mock, Some(&redis), 0);
        let client = client(&orders, Some(limits));
        let calls = |n: usize| {
            let client = client.clone();
            async move {
                let tasks: Vec<_> = (0..n)
                    .map(|_| {
                        let client = client.clone();
                        tokio::spawn(async move { client.skills().await })
                    })
                    .collect();
                for task in tasks {
                    task.await.unwrap().unwrap();
                }
            }
        };
        calls(4).await;
        assert_eq!(client.usage().await.unwrap().fallback_requests, 0);

        redis.stop();
        calls(10).await;
        let usage = client.usage().await.unwrap();
        assert_eq!((usage.used, usage.fallback_requests), (14, 10));
        assert!(mock.max_in_flight() <= 2, "the process's own limit held");
        assert_eq!(capture.count("shared limits in Redis are unavailable"), 1);
        assert_eq!(capture.count("WARN"), 1, "one warning per outage");

        let redis = RedisServer::start_on(redis.port);
        tokio::time::sleep(Duration::from_millis(1_100)).await;
        calls(1).await; // tries Redis again (calls beside it would go on locally meanwhile)
        calls(3).await;
        let usage = client.usage().await.unwrap();
        assert_eq!(
            (usage.used, usage.fallback_requests),
            (18, 10),
            "shared again"
        );
        assert_eq!(capture.count("available again"), 1);
        // Redis lost its data in the restart: the shared count was restored from this
        // process's (4 before, 10 during, 4 after).
        let mut raw = redis::Client::open(redis.url())
            .unwrap()
            .get_multiplexed_async_connection()
            .await
            .unwrap();
        let keys: Vec<String> = redis::cmd("KEYS")
            .arg("*:count:*")
            .query_async(&mut raw)
            .await
            .unwrap();
        assert_eq!(keys.len(), 1, "{keys:?}");
        let shared: u64 = redis::cmd("GET")
            .arg(&keys[0])
            .query_async(&mut raw)
            .await
            .unwrap();
        assert_eq!(shared, 18);
        assert!(!keys[0].contains(token) && !keys[0].contains("Secret"));
    });
    let text = capture.text.lock().unwrap().clone();
    assert!(!text.contains("Restart-Secret-Token"), "{text}");
}

/// Redis unreachable under `Fallback::Fail`: the call fails with `SharedLimits` (retryable,
/// nothing sent, the Redis error as its source), and neither the error chain, nor `Debug` of
/// the builder, the client or the limits, nor the captured events hold the token or the
/// Redis password.
#[test]
fn the_token_never_shows_in_errors_debug_or_logs() {
    const TOKEN: &str = "Never-Show-This-Token-9f3";
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mock = MockWolkvox::start_with_token(TOKEN).await;
        mock.load_demo();
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = closed.local_addr().unwrap().port();
        drop(closed); // nothing listens there
        let limits = RedisLimits::new(&format!("redis://:redis-password@127.0.0.1:{port}/"))
            .unwrap()
            .when_unavailable(wolkvox::limits::Fallback::Fail);
        let builder = mock
            .client_builder()
            .max_retries(1)
            .shared_limits(limits.clone());
        let client = builder.clone().build().unwrap();
        let error = client.skills().await.unwrap_err();
        assert!(
            matches!(error, Error::SharedLimits { attempts: 0, .. }),
            "{error:?}"
        );
        assert!(error.is_retryable());
        assert_eq!(mock.request_count(), 0, "nothing was sent");
        let mut chain = format!("{error} {error:?}");
        let mut source = std::error::Error::source(&error);
        assert!(source.is_some(), "the Redis error is the source");
        while let Some(cause) = source {
            chain.push_str(&format!(" | {cause} {cause:?}"));
            source = cause.source();
        }
        let usage_error = client.usage().await.unwrap_err();
        let everything = format!(
            "{chain} {usage_error} {usage_error:?} {builder:?} {client:?} {limits:?} {}",
            capture.text.lock().unwrap()
        );
        assert!(!everything.contains(TOKEN), "{everything}");
        assert!(!everything.contains("redis-password"), "{everything}");
        assert_eq!(capture.count("shared limits in Redis are unavailable"), 1);
    });
}
