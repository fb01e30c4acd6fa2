use jiff::civil::{DateTime, date};
use serde_json::json;

use super::memory::{Memory, fingerprint};

fn at(h: i8, m: i8) -> DateTime {
    date(2026, 10, 1).at(h, m, 0, 0)
}

#[test]
fn fingerprints_are_stable_and_tell_content_apart() {
    let row = json!({"conn_id": "1.1", "date": "2026-10-01 08:00:00", "time_seg": "60"});
    // Stored in checkpoints: the value must never change between versions.
    let call = crate::reports::CallRecord::new("1.1", at(8, 0));
    assert_eq!(fingerprint(&call), Some(0x6f1f_8164_471a_7574));
    assert_eq!(fingerprint(&row), fingerprint(&row.clone()));
    let changed = json!({"conn_id": "1.1", "date": "2026-10-01 08:00:00", "time_seg": "61"});
    assert_ne!(fingerprint(&row), fingerprint(&changed));
    // Every length of tail bytes, and the split of writes, count.
    let texts: Vec<String> = (0..40).map(|n| "x".repeat(n)).collect();
    let prints: std::collections::BTreeSet<u64> = texts.iter().filter_map(fingerprint).collect();
    assert_eq!(prints.len(), texts.len());
}

#[test]
fn memory_keeps_what_the_next_tick_may_read_again() {
    let mut memory = Memory::default();
    // Tick 1 reads 00:00-01:59 and 02:00-03:59; the next tick re-reads from 02:00.
    memory.record(1, (at(0, 0), at(1, 59)), vec![1, 2], at(2, 0));
    memory.record(1, (at(2, 0), at(3, 59)), vec![4, 3], at(2, 0));
    assert_eq!(memory.len(), 2, "the span before 02:00 is never read again");
    assert!(memory.delivered(at(3, 0), at(3, 10), 3));
    assert!(!memory.delivered(at(3, 0), at(3, 10), 1));
    assert!(
        !memory.delivered(at(4, 0), at(5, 0), 3),
        "only overlapping spans count"
    );
    // Tick 2 reads 02:00-04:09: the old span is superseded once read past its end.
    memory.record(2, (at(2, 0), at(4, 9)), vec![3, 4, 5], at(2, 10));
    assert_eq!(memory.spans().len(), 1);
    assert_eq!(memory.len(), 3);
    memory.forget_before(at(4, 10));
    assert_eq!(memory.len(), 0);
    assert!(!memory.overlaps(at(0, 0), at(23, 0)));
}

#[test]
fn an_old_span_stays_until_this_tick_has_read_past_it() {
    let mut memory = Memory::from_spans(Vec::new());
    memory.record(1, (at(0, 0), at(2, 0)), vec![7], at(0, 0));
    // Tick 2 reads 00:00-00:59 first: the span of tick 1 still covers 01:00-02:00.
    memory.record(2, (at(0, 0), at(0, 59)), vec![], at(0, 0));
    assert!(memory.delivered(at(1, 0), at(2, 0), 7));
    memory.record(2, (at(1, 0), at(2, 0)), vec![7], at(0, 0));
    assert_eq!(memory.len(), 1);
}
