//! `Watch::share`: one poll task, many readers, against the simulated server.
//!
//! Real time with short intervals, not Tokio's paused clock: the requests go to a real
//! loopback server on another thread, and a paused clock jumps to the client's timeout
//! whenever the runtime waits for that socket. The tests are deterministic anyway: they run
//! on a current-thread runtime, where the poll task only runs while the test awaits, so
//! counts read right after an `.await` cannot move under the test.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::FutureExt;
use wolkvox::mock::{Fault, MockWolkvox};
use wolkvox::{Error, SharedWatch, SkillRealtime, Snapshot, WolkvoxClient};

const TICK: Duration = Duration::from_millis(40);

async fn mock_with_one_skill() -> MockWolkvox {
    let mock = MockWolkvox::start().await;
    let mut skill = SkillRealtime::new(101, "SOPORTE_TECNICO");
    skill.calls_in_queue_now = 1;
    mock.add_skill(skill);
    mock
}

/// A client without retries, so that one failed poll is one request.
fn client(mock: &MockWolkvox) -> WolkvoxClient {
    mock.client_builder().max_retries(0).build().unwrap()
}

fn queue(snapshot: &Snapshot<Vec<SkillRealtime>>) -> u32 {
    snapshot.value[0].calls_in_queue_now
}

/// Waits (at most 5 s) until the poll task has completed `polls` polls.
async fn wait_for_polls<T>(live: &SharedWatch<T>, polls: u64) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while live.stats().polls < polls {
        assert!(Instant::now() < deadline, "{polls} polls: {live:?}");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

#[tokio::test]
async fn subscribers_see_the_same_snapshots_with_one_request_per_poll() {
    let mock = mock_with_one_skill().await;
    let live = client(&mock).skills().watch(TICK).share();
    let mut subscribers = [live.subscribe(), live.subscribe(), live.clone().subscribe()];
    for poll in 1..=3 {
        let first = subscribers[0].next().await.unwrap();
        for other in &mut subscribers[1..] {
            let seen = other.next().await.unwrap();
            assert!(Arc::ptr_eq(&first, &seen), "poll {poll}");
        }
        assert_eq!(queue(&first), poll);
        assert!(Arc::ptr_eq(&first, &live.latest().unwrap()));
        assert_eq!(
            mock.request_count(),
            u64::from(poll),
            "one request per poll"
        );
        mock.update_skill(101, |s| s.calls_in_queue_now += 1);
    }
    let stats = live.stats();
    assert_eq!((stats.polls, stats.errors), (3, 0));
    assert!(live.is_polling());
    assert_eq!(live.period(), TICK);
}

#[tokio::test]
async fn a_new_subscriber_starts_with_the_latest_snapshot() {
    let mock = mock_with_one_skill().await;
    let live = client(&mock)
        .skills()
        .watch(Duration::from_secs(3600))
        .share();
    assert!(live.latest().is_none());
    let first = live.subscribe().next().await.unwrap();
    let mut late = live.subscribe();
    let now = late.next().now_or_never().expect("ready at once").unwrap();
    assert!(Arc::ptr_eq(&first, &now));
    assert!(
        late.next().now_or_never().is_none(),
        "no second snapshot yet"
    );
    assert!(first.age() < Duration::from_secs(5));
    assert_eq!(mock.request_count(), 1);
}

#[tokio::test]
async fn a_failed_poll_keeps_the_previous_snapshot_until_the_next_success() {
    let mock = mock_with_one_skill().await;
    let live = client(&mock).skills().watch(TICK).share();
    let mut updates = live.subscribe();
    let first = updates.next().await.unwrap();
    mock.fail_next(Fault::Maintenance, 1);
    mock.update_skill(101, |s| s.calls_in_queue_now = 7);

    wait_for_polls(&live, 2).await;
    assert!(Arc::ptr_eq(&first, &live.latest().unwrap()));
    let error = live.last_error().expect("the failure is kept");
    assert!(
        matches!(*error, Error::Api { status: 503, .. }),
        "{error:?}"
    );
    let stats = live.stats();
    assert_eq!((stats.polls, stats.errors), (2, 1));
    assert_eq!(stats.errors_of("api"), 1);
    assert!(live.is_polling());

    let next = updates.next().await.unwrap();
    assert_eq!(
        queue(&next),
        7,
        "the failure is not an item; the next success is"
    );
    assert!(live.last_error().is_none(), "cleared by the success");
    assert_eq!(live.stats().polls, 3);
    assert_eq!(mock.request_count(), 3);
}

#[tokio::test]
async fn unauthorized_and_quota_exceeded_stop_polling() {
    for fault in [Fault::Unauthorized, Fault::QuotaExceeded] {
        let mock = mock_with_one_skill().await;
        let live = client(&mock).skills().watch(TICK).share();
        let mut updates = live.subscribe();
        let first = updates.next().await.unwrap();
        mock.set_fault(Some(fault.clone()));

        assert!(updates.next().await.is_none(), "{fault:?}: the stream ends");
        assert!(!live.is_polling());
        let error = live.last_error().unwrap();
        assert!(
            matches!(
                *error,
                Error::Unauthorized { status: 403, .. } | Error::QuotaExceeded { status: 403, .. }
            ),
            "{fault:?}: {error:?}"
        );
        assert!(Arc::ptr_eq(&first, &live.latest().unwrap()));
        assert!(live.subscribe().next().await.is_some(), "still the latest");
        let mut late = live.subscribe();
        late.next().await;
        assert!(late.next().await.is_none());

        tokio::time::sleep(TICK * 4).await;
        assert_eq!(mock.request_count(), 2, "{fault:?}: no poll after it");
        let stats = live.stats();
        assert_eq!((stats.polls, stats.errors), (2, 1));
        let kind = if fault == Fault::Unauthorized {
            "unauthorized"
        } else {
            "quota_exceeded"
        };
        assert_eq!(stats.errors_of(kind), 1, "{stats:?}");
    }
}

#[tokio::test]
async fn a_slow_subscriber_skips_to_the_newest_snapshot() {
    let mock = mock_with_one_skill().await;
    let live = client(&mock).skills().watch(TICK).share();
    let mut slow = live.subscribe();
    let mut fast = live.subscribe();
    assert_eq!(queue(&slow.next().await.unwrap()), 1);
    assert_eq!(queue(&fast.next().await.unwrap()), 1);
    let mut newest = None;
    for queued in 2..=4 {
        mock.update_skill(101, |s| s.calls_in_queue_now = queued);
        let snapshot = fast.next().await.unwrap();
        assert_eq!(queue(&snapshot), queued);
        newest = Some(snapshot);
    }
    let caught_up = slow.next().now_or_never().expect("ready at once").unwrap();
    assert!(Arc::ptr_eq(&caught_up, &newest.unwrap()));
    assert_eq!(queue(&caught_up), 4, "snapshots 2 and 3 are skipped");
    assert!(
        slow.next().now_or_never().is_none(),
        "nothing queued behind"
    );
    assert_eq!(mock.request_count(), 4);
}

#[tokio::test]
async fn polling_stops_when_every_handle_and_subscriber_is_dropped() {
    let mock = mock_with_one_skill().await;
    let live = client(&mock).skills().watch(TICK).share();
    let clone = live.clone();
    let mut updates = live.subscribe();
    updates.next().await.unwrap();

    drop(live);
    drop(clone);
    updates.next().await.unwrap();
    assert_eq!(
        mock.request_count(),
        2,
        "a subscriber alone keeps polling going"
    );

    let handle = SharedWatch::clone(&client(&mock).skills().watch(TICK).share());
    drop(updates);
    wait_for_polls(&handle, 2).await;
    drop(handle);
    tokio::time::sleep(TICK / 4).await; // the poll tasks notice
    let after_drop = mock.request_count();
    tokio::time::sleep(TICK * 5).await;
    assert_eq!(
        mock.request_count(),
        after_drop,
        "no poll after the last drop"
    );
    assert_eq!(after_drop, 4);
}

#[test]
fn sharing_outside_a_runtime_polls_nothing_and_says_why() {
    let client = WolkvoxClient::builder()
        .server("0004")
        .token("t-SECRET")
        .build()
        .unwrap();
    let live = client.skills().watch(Duration::from_secs(60)).share();
    assert!(!live.is_polling());
    assert!(live.latest().is_none());
    let error = live.last_error().unwrap();
    assert!(matches!(*error, Error::Config { .. }), "{error:?}");
    assert!(
        error.to_string().contains("outside a Tokio runtime"),
        "{error}"
    );
    let ended = live.subscribe().next().now_or_never();
    assert_eq!(
        ended.map(|s| s.is_none()),
        Some(true),
        "the stream ends at once"
    );
    assert!(!format!("{live:?}").contains("SECRET"));
    assert_eq!(live.stats().polls, 0);
}

#[tokio::test]
async fn debug_shows_the_state_not_the_token() {
    let mock = MockWolkvox::start_with_token("tok-SECRET-42").await;
    mock.add_skill(SkillRealtime::new(101, "SOPORTE_TECNICO"));
    let live = client(&mock).skills().watch(TICK).share();
    let mut updates = live.subscribe();
    updates.next().await.unwrap();
    let debug = format!("{live:?} {updates:?} {:?}", live.latest().unwrap());
    assert!(!debug.contains("SECRET"), "{debug}");
    assert!(debug.contains("polling: true"), "{debug}");
    assert!(debug.contains("SOPORTE_TECNICO"), "{debug}");
}
