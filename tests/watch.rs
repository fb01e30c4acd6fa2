//! Polling streams against the simulated server.

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use wolkvox::mock::{Fault, MockWolkvox};
use wolkvox::{Error, RECOMMENDED_POLL_INTERVAL, SkillRealtime};

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
