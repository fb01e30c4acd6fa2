//! Polling streams against the simulated server.

use std::time::{Duration, Instant};

use wolkvox::mock::{Fault, MockWolkvox};
use wolkvox::{Error, RECOMMENDED_POLL_INTERVAL, SkillRealtime, WolkvoxClient};

async fn mock_with_one_skill() -> MockWolkvox {
    let mock = MockWolkvox::start().await;
    let mut skill = SkillRealtime::new(101, "SOPORTE_TECNICO");
    skill.calls_in_queue_now = 1;
    mock.add_skill(skill);
    mock
}

#[test]
fn recommended_interval_is_five_minutes() {
    assert_eq!(RECOMMENDED_POLL_INTERVAL, Duration::from_secs(300));
}

#[tokio::test]
async fn first_snapshot_immediately_then_one_per_interval() {
    let mock = mock_with_one_skill().await;
    let client = mock.client().unwrap();
    let mut watch = client.watch_skills(Duration::from_millis(100));
    let started = Instant::now();
    let first = watch.next().await.unwrap().unwrap();
    assert!(started.elapsed() < Duration::from_millis(90));
    assert_eq!(first[0].calls_in_queue_now, 1);

    mock.update_skill(101, |s| s.calls_in_queue_now = 4);
    let second = watch.next().await.unwrap().unwrap();
    assert_eq!(second[0].calls_in_queue_now, 4);
    let third = watch.next().await.unwrap().unwrap();
    assert_eq!(third.len(), 1);
    assert!(started.elapsed() >= Duration::from_millis(200));
    assert_eq!(mock.request_count(), 3);
}

#[tokio::test]
async fn errors_are_items_and_polling_goes_on() {
    let mock = mock_with_one_skill().await;
    let client = mock.client_builder().max_retries(0).build().unwrap();
    mock.fail_next(Fault::Maintenance, 1);
    let mut watch = client.skill(101).watch(Duration::from_millis(20));
    assert!(matches!(
        watch.next().await,
        Some(Err(Error::Api { status: 503, .. }))
    ));
    let skill = watch.next().await.unwrap().unwrap();
    assert_eq!(skill.skill_id, 101);
    mock.remove_skill(101);
    assert!(matches!(
        watch.next().await,
        Some(Err(Error::NotFound { .. }))
    ));
    assert!(
        watch.next().await.is_some(),
        "NotFound does not end the stream"
    );
}

#[tokio::test]
async fn unauthorized_and_quota_end_the_stream() {
    for fault in [Fault::Unauthorized, Fault::QuotaExceeded] {
        let mock = mock_with_one_skill().await;
        mock.set_fault(Some(fault.clone()));
        let mut watch = mock
            .client()
            .unwrap()
            .watch_skills(Duration::from_millis(10));
        let first = watch.next().await;
        assert!(
            matches!(
                first,
                Some(Err(Error::Unauthorized { .. } | Error::QuotaExceeded { .. }))
            ),
            "{fault:?}: {first:?}"
        );
        assert!(watch.next().await.is_none(), "{fault:?}");
        assert!(watch.next().await.is_none());
        assert_eq!(mock.request_count(), 1);
    }
}

#[tokio::test]
async fn a_paused_consumer_gets_one_fresh_snapshot_not_a_burst() {
    let mock = mock_with_one_skill().await;
    let client = mock.client().unwrap();
    let period = Duration::from_millis(50);
    let mut watch = client.watch_skills(period);
    watch.next().await.unwrap().unwrap();
    tokio::time::sleep(period * 6).await; // six ticks missed
    assert_eq!(
        mock.request_count(),
        1,
        "nothing is fetched while nobody reads"
    );
    let resumed = Instant::now();
    watch.next().await.unwrap().unwrap();
    assert!(resumed.elapsed() < period, "the late tick fires at once");
    watch.next().await.unwrap().unwrap();
    assert!(
        resumed.elapsed() >= period - Duration::from_millis(5),
        "the next one waits a full period: {:?}",
        resumed.elapsed()
    );
    assert_eq!(mock.request_count(), 3);
}

#[tokio::test]
async fn a_slow_call_never_overlaps_the_next() {
    let mock = mock_with_one_skill().await;
    let client = mock.client().unwrap();
    mock.set_fault(Some(Fault::Delay(Duration::from_millis(120))));
    let mut watch = client.watch_skills(Duration::from_millis(30));
    let started = Instant::now();
    for _ in 0..3 {
        watch.next().await.unwrap().unwrap();
    }
    // Three sequential 120 ms calls: at least 360 ms, and exactly three requests.
    assert!(started.elapsed() >= Duration::from_millis(360));
    assert_eq!(mock.request_count(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_abandoned_next_does_not_keep_the_tokens_turn() {
    use crate::common::servers::InFlightServer;
    use std::sync::atomic::Ordering;
    let server = InFlightServer::start(
        Duration::from_millis(200),
        crate::common::fixture("skills_all.json"),
    )
    .await;
    let client = WolkvoxClient::builder()
        .base_url(&server.url)
        .token("token-abandoned-watch")
        .min_poll_interval(Duration::ZERO)
        .max_retries(0)
        .build()
        .unwrap();
    let mut watch = client.watch_skills(Duration::from_secs(3600));
    // The consumer gives up on next() and does not poll the stream again for a while.
    assert!(
        tokio::time::timeout(Duration::from_millis(50), watch.next())
            .await
            .is_err()
    );
    // Every other call of the token still gets its turn once the server has answered.
    let other = client.skills().await;
    assert_eq!(other.unwrap().len(), 3, "not a Timeout with 0 attempts");
    assert_eq!(server.max_in_flight.load(Ordering::SeqCst), 1);
    // The answer of the abandoned call is recent: the next next() hands it out, no new request.
    let snapshot = watch.next().await.unwrap().unwrap();
    assert_eq!(snapshot.len(), 3);
    assert_eq!(server.total.load(Ordering::SeqCst), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_left_unread_for_an_interval_is_not_handed_out_as_new() {
    let mock = mock_with_one_skill().await;
    let client = mock.client().unwrap();
    let mut watch = client.watch_skills(Duration::from_millis(50));
    mock.fail_next(Fault::Delay(Duration::from_millis(100)), 1);
    assert!(
        tokio::time::timeout(Duration::from_millis(20), watch.next())
            .await
            .is_err()
    );
    // The call finishes on its own; then the consumer stays away for more than an interval
    // (and more than a second), while the queue changes.
    tokio::time::sleep(Duration::from_millis(1300)).await;
    assert_eq!(mock.request_count(), 1);
    mock.update_skill(101, |s| s.calls_in_queue_now = 9);
    let snapshot = watch.next().await.unwrap().unwrap();
    assert_eq!(
        snapshot[0].calls_in_queue_now, 9,
        "a fresh answer, not the stale one"
    );
    assert_eq!(mock.request_count(), 2);
}

#[tokio::test]
async fn polling_has_a_floor_unless_removed() {
    let mock = mock_with_one_skill().await;
    let default_floor = WolkvoxClient::builder()
        .base_url(&mock.uri())
        .token(mock.token())
        .build()
        .unwrap();
    let watch = default_floor.watch_skills(Duration::ZERO);
    assert_eq!(watch.period(), Duration::from_secs(60));
    assert_eq!(wolkvox::DEFAULT_MIN_POLL_INTERVAL, Duration::from_secs(60));
    let watch = default_floor.skill(101).watch(Duration::from_secs(300));
    assert_eq!(
        watch.period(),
        Duration::from_secs(300),
        "above the floor: unchanged"
    );
    let custom = WolkvoxClient::builder()
        .base_url(&mock.uri())
        .token(mock.token())
        .min_poll_interval(Duration::from_secs(10))
        .build()
        .unwrap();
    assert_eq!(
        custom.agents().watch(Duration::from_secs(1)).period(),
        Duration::from_secs(10)
    );
    // The simulator's clients have no floor.
    let simulated = mock.client().unwrap();
    assert_eq!(
        simulated.watch_skills(Duration::from_millis(20)).period(),
        Duration::from_millis(20)
    );
    // A zero interval polls no faster than the timer allows; nothing is requested unread.
    let _unread = simulated.watch_skills(Duration::ZERO);
    tokio::time::sleep(Duration::from_millis(30)).await;
    assert_eq!(mock.request_count(), 0, "a watch is lazy");
}
