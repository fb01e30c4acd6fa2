//! What `shared_limits(RedisLimits)` costs (feature `redis`; needs `redis-server` on PATH).
//!
//! - `sequential`: 2,000 sequential 1-record calls (`client.skill(101)`) per side against the
//!   loopback server that answers at once, timed one by one and interleaved in blocks of 100:
//!   the in-process limiter versus `RedisLimits` on a loopback `redis-server` (started here,
//!   on a free port, without persistence). Medians in `target/criterion/limits/sequential.json`;
//!   criterion's `limits/local` and `limits/redis` as a cross-check.
//! - `throughput`: one token, the simulator answering every request `DELAY_MS` late (default
//!   20 ms) with the service's limit of 2 in flight. Calls completed per second during 5 s by
//!   one process with the in-process limits, by one process through Redis, and by 8 processes
//!   through Redis together, each process with 4 callers. The 8 processes are this bench binary
//!   run again (`WOLKVOX_LIMITS_BENCH_CHILD`). Figures in
//!   `target/criterion/limits/throughput.json`.
//!
//! Run: `cargo bench --features redis --bench limits -- --warm-up-time 1 --measurement-time 5`

#[path = "common/loopback.rs"]
mod loopback;
#[path = "../src/limits/redis/test_server.rs"]
mod redis_server;

use std::hint::black_box;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use criterion::Criterion;
use loopback::{Server, response, serve};
use redis_server::RedisServer;
use tokio::runtime::Runtime;
use wolkvox::WolkvoxClient;
use wolkvox::limits::RedisLimits;
use wolkvox::mock::{Fault, MockWolkvox};

const SEQUENTIAL_CALLS: usize = 2_000;
const BLOCK: usize = 100;
const CHILD_VAR: &str = "WOLKVOX_LIMITS_BENCH_CHILD";
const WINDOW: Duration = Duration::from_secs(5);
const CALLERS: usize = 4;
const PROCESSES: usize = 8;

const BODY: &str = r#"{"code":200,"error":null,"msg":"1 records were found","data":[{"skill_id":"101","skill_name":"SOPORTE_TECNICO","calls_in_queue_now":"3","stat_inbound":"1250","stat_answer":"1187","stat_abandon":" ","service_level_10seg":"34.64 %","service_level_20seg":"0.00%","service_level_30seg":"71,15 %","service_level_0seg":"0 %","by_abandon":""}]}"#;

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

fn client(base_url: &str, token: &str, limits: Option<RedisLimits>) -> WolkvoxClient {
    let builder = WolkvoxClient::builder()
        .base_url(base_url)
        .token(token)
        .max_concurrent_requests(2);
    match limits {
        Some(limits) => builder.shared_limits(limits),
        None => builder,
    }
    .build()
    .expect("client builds")
}

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

// ---------------------------------------------------------------------------------------------
// Per call.

fn per_call(c: &mut Criterion, redis: &RedisServer) {
    let answer = response("200 OK", BODY.as_bytes());
    let server: Server = serve(move |_head| Arc::clone(&answer));
    let base_url = format!("http://{}", server.addr);
    let rt = runtime();
    let local = client(&base_url, "bench-local-token", None);
    let shared = client(
        &base_url,
        "bench-redis-token",
        Some(RedisLimits::new(&redis.url()).expect("redis url")),
    );
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    rt.block_on(async {
        for _ in 0..200 {
            black_box(local.skill(101).await.expect("local call"));
            black_box(shared.skill(101).await.expect("shared call"));
        }
        for _ in 0..SEQUENTIAL_CALLS / BLOCK {
            for _ in 0..BLOCK {
                let started = Instant::now();
                black_box(shared.skill(101).await.expect("shared call"));
                ours.push(started.elapsed());
            }
            for _ in 0..BLOCK {
                let started = Instant::now();
                black_box(local.skill(101).await.expect("local call"));
                theirs.push(started.elapsed());
            }
        }
    });
    let (redis_median, local_median) = (median(&mut ours), median(&mut theirs));
    let p = |samples: &[Duration], q: f64| samples[((samples.len() - 1) as f64 * q) as usize];
    eprintln!(
        "p90/p99: RedisLimits {:?}/{:?}, in-process {:?}/{:?}",
        p(&ours, 0.9),
        p(&ours, 0.99),
        p(&theirs, 0.9),
        p(&theirs, 0.99)
    );
    eprintln!(
        "sequential {SEQUENTIAL_CALLS} calls: median RedisLimits {redis_median:?}, in-process {local_median:?} ({:.3}x, {:?} added)",
        redis_median.as_secs_f64() / local_median.as_secs_f64(),
        redis_median.saturating_sub(local_median)
    );
    write_report(
        "sequential.json",
        &format!(
            "{{\"calls\":{SEQUENTIAL_CALLS},\"redis_median_ns\":{},\"local_median_ns\":{}}}\n",
            redis_median.as_nanos(),
            local_median.as_nanos()
        ),
    );
    let mut group = c.benchmark_group("limits");
    for (name, client) in [("local", &local), ("redis", &shared)] {
        group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                rt.block_on(async {
                    let started = Instant::now();
                    for _ in 0..iters {
                        black_box(client.skill(101).await.expect("call"));
                    }
                    started.elapsed()
                })
            })
        });
    }
    group.finish();
}

// ---------------------------------------------------------------------------------------------
// Throughput across processes.

/// A child: `CALLERS` callers from `start_ms` (ms since the epoch) for `WINDOW`; prints how
/// many calls ended inside the window and how many failed.
fn child(orders: &str) {
    let parts: Vec<&str> = orders.split(' ').collect();
    let [base_url, token, redis, start_ms] = parts[..] else {
        panic!("orders: {orders}")
    };
    let start_ms: u64 = start_ms.parse().expect("start");
    let rt = runtime();
    let (done, failed) = rt.block_on(async {
        let limits = (redis != "-").then(|| RedisLimits::new(redis).expect("redis url"));
        let client = client(base_url, token, limits.clone());
        let now_ms = || {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default()
                .as_millis() as u64
        };
        tokio::time::sleep(Duration::from_millis(start_ms.saturating_sub(now_ms()))).await;
        let end = Instant::now() + WINDOW;
        let (done, failed) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
        let tasks: Vec<_> = (0..CALLERS)
            .map(|_| {
                let (client, done, failed) = (client.clone(), done.clone(), failed.clone());
                tokio::spawn(async move {
                    while Instant::now() < end {
                        let result = client.skill(101).await;
                        if Instant::now() > end {
                            break; // ended after the window: not counted
                        }
                        match result {
                            Ok(_) => done.fetch_add(1, Ordering::Relaxed),
                            Err(_) => failed.fetch_add(1, Ordering::Relaxed),
                        };
                    }
                })
            })
            .collect();
        for task in tasks {
            let _ = task.await;
        }
        if let Some(limits) = limits {
            limits.close().await; // the next run starts with every slot free
        }
        (done.load(Ordering::Relaxed), failed.load(Ordering::Relaxed))
    });
    println!("LIMITS-BENCH done={done} failed={failed}");
}

/// Calls per second of `processes` children together (and their failures).
fn run_children(
    processes: usize,
    mock: &MockWolkvox,
    token: &str,
    redis: Option<&str>,
) -> (f64, u64) {
    let start_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis() as u64
        + 1_500;
    let orders = format!("{} {token} {} {start_ms}", mock.uri(), redis.unwrap_or("-"));
    let exe = std::env::current_exe().expect("bench binary");
    let children: Vec<_> = (0..processes)
        .map(|_| {
            Command::new(&exe)
                .env(CHILD_VAR, &orders)
                .stdout(Stdio::piped())
                .stderr(Stdio::inherit())
                .spawn()
                .expect("child starts")
        })
        .collect();
    let (mut done, mut failed) = (0u64, 0u64);
    for child in children {
        let output = child.wait_with_output().expect("child ends");
        let text = String::from_utf8_lossy(&output.stdout);
        let line = text
            .lines()
            .find_map(|l| l.strip_prefix("LIMITS-BENCH "))
            .unwrap_or_else(|| panic!("no report from a child: {text}"));
        for pair in line.split(' ') {
            match pair.split_once('=') {
                Some(("done", n)) => done += n.parse::<u64>().expect("done"),
                Some(("failed", n)) => failed += n.parse::<u64>().expect("failed"),
                _ => {}
            }
        }
    }
    (done as f64 / WINDOW.as_secs_f64(), failed)
}

fn throughput(redis: &RedisServer) {
    let delay_ms: u64 = std::env::var("DELAY_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let rt = runtime();
    let mock = rt.block_on(MockWolkvox::start_demo());
    mock.set_fault(Some(Fault::Delay(Duration::from_millis(delay_ms))));
    mock.set_token_limit(u64::MAX);
    let token = mock.token();
    let url = redis.url();
    let (alone, alone_failed) = run_children(1, &mock, &token, None);
    let (one, one_failed) = run_children(1, &mock, &token, Some(&url));
    let processes: usize = std::env::var("PROCESSES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(PROCESSES);
    let (eight, eight_failed) = run_children(processes, &mock, &token, Some(&url));
    let ideal = 2.0 * 1000.0 / delay_ms as f64;
    eprintln!(
        "throughput, {delay_ms} ms per answer (2 slots: at most {ideal:.1} calls/s): 1 process alone {alone:.1}/s, \
         1 process through Redis {one:.1}/s, {PROCESSES} processes through Redis {eight:.1}/s ({:.3}x of alone); \
         failures {alone_failed}/{one_failed}/{eight_failed}; simulator's most in flight {}",
        eight / alone,
        mock.max_in_flight()
    );
    write_report(
        "throughput.json",
        &format!(
            "{{\"delay_ms\":{delay_ms},\"alone_per_s\":{alone:.2},\"one_redis_per_s\":{one:.2},\"processes\":{PROCESSES},\"many_redis_per_s\":{eight:.2},\"failures\":{}}}\n",
            alone_failed + one_failed + eight_failed
        ),
    );
}

/// Writes `target/criterion/limits/{file}`, next to criterion's own output.
fn write_report(file: &str, json: &str) {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    let dir = target.join("criterion").join("limits");
    if let Err(error) =
        std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(dir.join(file), json))
    {
        eprintln!("could not write {file}: {error}");
    }
}

fn main() {
    if let Ok(orders) = std::env::var(CHILD_VAR) {
        child(&orders);
        return;
    }
    let Some(redis) = RedisServer::start("benches/limits") else {
        return;
    };
    let mut criterion = Criterion::default().configure_from_args();
    per_call(&mut criterion, &redis);
    throughput(&redis);
    criterion.final_summary();
}
