use jiff::civil::{DateTime, date};
use proptest::prelude::*;

use super::*;

fn at(y: i16, mo: i8, d: i8, h: i8, mi: i8, s: i8) -> DateTime {
    date(y, mo, d).at(h, mi, s, 0)
}

const HOUR: u64 = 3600;
const DAYS: u64 = 86_400;

fn days(n: u64) -> Duration {
    Duration::from_secs(n * DAYS)
}

type Windows = Vec<(DateTime, DateTime)>;

fn plan_ok(from: DateTime, to: DateTime, max: Duration, max_days: i64) -> Windows {
    plan(from, to, max, max_days).unwrap()
}

#[test]
fn month_ends_roll_over() {
    assert_eq!(
        plan_ok(
            at(2026, 1, 15, 0, 0, 0),
            at(2026, 2, 20, 23, 59, 59),
            MAX_WINDOW,
            MAX_DAYS
        ),
        vec![
            (at(2026, 1, 15, 0, 0, 0), at(2026, 2, 14, 23, 59, 59)),
            (at(2026, 2, 15, 0, 0, 0), at(2026, 2, 20, 23, 59, 59)),
        ]
    );
    assert_eq!(
        plan_ok(
            at(2026, 1, 31, 12, 0, 0),
            at(2026, 2, 1, 11, 59, 59),
            MAX_WINDOW,
            1
        ),
        vec![
            (at(2026, 1, 31, 12, 0, 0), at(2026, 1, 31, 23, 59, 59)),
            (at(2026, 2, 1, 0, 0, 0), at(2026, 2, 1, 11, 59, 59)),
        ]
    );
    // Year end.
    assert_eq!(
        plan_ok(
            at(2026, 12, 31, 23, 59, 59),
            at(2027, 1, 1, 0, 0, 0),
            MAX_WINDOW,
            1
        ),
        vec![
            (at(2026, 12, 31, 23, 59, 59), at(2026, 12, 31, 23, 59, 59)),
            (at(2027, 1, 1, 0, 0, 0), at(2027, 1, 1, 0, 0, 0)),
        ]
    );
}

#[test]
fn a_window_from_mid_day_touches_at_most_31_calendar_days() {
    // 31 x 86,400 s from Jan 15 12:00 would end Feb 15 11:59:59: 32 calendar days.
    assert_eq!(
        plan_ok(
            at(2026, 1, 15, 12, 0, 0),
            at(2026, 3, 20, 23, 59, 59),
            MAX_WINDOW,
            MAX_DAYS
        ),
        vec![
            (at(2026, 1, 15, 12, 0, 0), at(2026, 2, 14, 23, 59, 59)),
            (at(2026, 2, 15, 0, 0, 0), at(2026, 3, 17, 23, 59, 59)),
            (at(2026, 3, 18, 0, 0, 0), at(2026, 3, 20, 23, 59, 59)),
        ]
    );
    // skill_5 (1 day): a day from 06:00 ends at midnight, not at 05:59:59 the next day.
    assert_eq!(
        plan_ok(
            at(2026, 8, 12, 6, 0, 0),
            at(2026, 8, 13, 12, 0, 0),
            days(1),
            1
        ),
        vec![
            (at(2026, 8, 12, 6, 0, 0), at(2026, 8, 12, 23, 59, 59)),
            (at(2026, 8, 13, 0, 0, 0), at(2026, 8, 13, 12, 0, 0)),
        ]
    );
    // A shorter max_window from mid-day is not cut at midnight when it fits the days.
    assert_eq!(
        plan_ok(
            at(2026, 8, 12, 18, 0, 0),
            at(2026, 8, 13, 5, 59, 59),
            Duration::from_secs(12 * HOUR),
            MAX_DAYS
        ),
        vec![(at(2026, 8, 12, 18, 0, 0), at(2026, 8, 13, 5, 59, 59))]
    );
}

#[test]
fn resume_points_over_month_ends() {
    // Resume points a record-limit split leaves (mid-day), just before and over month ends,
    // a leap day and the year end: every window touches at most 31 days, and from the second
    // window on they start at midnight.
    let last = at(2029, 1, 31, 23, 59, 59);
    for resume in [
        at(2026, 1, 31, 11, 59, 59),
        at(2026, 1, 31, 12, 0, 0),
        at(2026, 2, 28, 23, 59, 59),
        at(2028, 2, 29, 7, 30, 0),
        at(2026, 4, 30, 0, 0, 1),
        at(2026, 12, 31, 18, 0, 0),
        at(2028, 12, 1, 15, 0, 0),
    ] {
        check_plan(resume, last, MAX_WINDOW, MAX_DAYS);
        check_plan(resume, last, days(1), 1);
        let windows = plan_ok(resume, last, MAX_WINDOW, MAX_DAYS);
        let first_end = windows[0].1;
        assert_eq!(
            first_end.time(),
            at(2026, 1, 1, 23, 59, 59).time(),
            "{resume}"
        );
        assert_eq!(calendar_days(resume, first_end), 31, "{resume}");
    }
    assert_eq!(
        plan_ok(
            at(2026, 1, 31, 12, 0, 0),
            at(2026, 3, 31, 23, 59, 59),
            MAX_WINDOW,
            MAX_DAYS
        ),
        vec![
            (at(2026, 1, 31, 12, 0, 0), at(2026, 3, 2, 23, 59, 59)),
            (at(2026, 3, 3, 0, 0, 0), at(2026, 3, 31, 23, 59, 59)),
        ]
    );
}

#[test]
fn leap_day() {
    assert_eq!(
        plan_ok(
            at(2028, 2, 28, 0, 0, 0),
            at(2028, 3, 1, 23, 59, 59),
            days(1),
            MAX_DAYS
        ),
        vec![
            (at(2028, 2, 28, 0, 0, 0), at(2028, 2, 28, 23, 59, 59)),
            (at(2028, 2, 29, 0, 0, 0), at(2028, 2, 29, 23, 59, 59)),
            (at(2028, 3, 1, 0, 0, 0), at(2028, 3, 1, 23, 59, 59)),
        ]
    );
    // 31 days from Feb 1st of a leap year end on Mar 2nd.
    assert_eq!(
        plan_ok(
            at(2028, 2, 1, 0, 0, 0),
            at(2028, 3, 5, 0, 0, 0),
            MAX_WINDOW,
            MAX_DAYS
        ),
        vec![
            (at(2028, 2, 1, 0, 0, 0), at(2028, 3, 2, 23, 59, 59)),
            (at(2028, 3, 3, 0, 0, 0), at(2028, 3, 5, 0, 0, 0)),
        ]
    );
}

#[test]
fn one_second_ranges() {
    let t = at(2026, 8, 12, 8, 3, 15);
    for per_day in [MAX_DAYS, 1] {
        for max in [
            Duration::from_secs(1),
            Duration::from_secs(HOUR),
            MAX_WINDOW,
        ] {
            assert_eq!(
                plan_ok(t, t, max, per_day),
                vec![(t, t)],
                "{max:?} {per_day}"
            );
        }
    }
    let next = at(2026, 8, 12, 8, 3, 16);
    assert_eq!(
        plan_ok(t, next, Duration::from_secs(1), MAX_DAYS),
        vec![(t, t), (next, next)]
    );
    assert_eq!(
        plan_ok(t, next, Duration::from_secs(2), MAX_DAYS),
        vec![(t, next)]
    );
    // Midnight itself is the first second of the next day.
    let (before, midnight) = (at(2026, 8, 12, 23, 59, 59), at(2026, 8, 13, 0, 0, 0));
    assert_eq!(
        plan_ok(before, midnight, MAX_WINDOW, 1),
        vec![(before, before), (midnight, midnight)]
    );
    assert_eq!(
        plan_ok(before, midnight, MAX_WINDOW, MAX_DAYS),
        vec![(before, midnight)]
    );
}

#[test]
fn per_day_over_three_days_from_mid_day() {
    assert_eq!(
        plan_ok(
            at(2026, 8, 10, 14, 30, 0),
            at(2026, 8, 12, 9, 15, 0),
            MAX_WINDOW,
            1
        ),
        vec![
            (at(2026, 8, 10, 14, 30, 0), at(2026, 8, 10, 23, 59, 59)),
            (at(2026, 8, 11, 0, 0, 0), at(2026, 8, 11, 23, 59, 59)),
            (at(2026, 8, 12, 0, 0, 0), at(2026, 8, 12, 9, 15, 0)),
        ]
    );
    // Per day and at most 6 hours: cut at both.
    assert_eq!(
        plan_ok(
            at(2026, 8, 10, 14, 30, 0),
            at(2026, 8, 11, 7, 0, 0),
            Duration::from_secs(6 * HOUR),
            1
        ),
        vec![
            (at(2026, 8, 10, 14, 30, 0), at(2026, 8, 10, 20, 29, 59)),
            (at(2026, 8, 10, 20, 30, 0), at(2026, 8, 10, 23, 59, 59)),
            (at(2026, 8, 11, 0, 0, 0), at(2026, 8, 11, 5, 59, 59)),
            (at(2026, 8, 11, 6, 0, 0), at(2026, 8, 11, 7, 0, 0)),
        ]
    );
}

#[test]
fn six_hour_windows_over_two_days() {
    let windows = plan_ok(
        at(2026, 8, 10, 0, 0, 0),
        at(2026, 8, 11, 23, 59, 59),
        Duration::from_secs(6 * HOUR),
        MAX_DAYS,
    );
    let want: Windows = (0..8)
        .map(|i| {
            let (day, hour) = (10 + i / 4, (i % 4) * 6);
            (
                at(2026, 8, day, hour, 0, 0),
                at(2026, 8, day, hour + 5, 59, 59),
            )
        })
        .collect();
    assert_eq!(windows, want);
}

#[test]
fn thirty_one_days_exactly_and_one_second_more() {
    let from = at(2026, 1, 1, 0, 0, 0);
    let end = at(2026, 1, 31, 23, 59, 59);
    assert_eq!(plan_ok(from, end, MAX_WINDOW, MAX_DAYS), vec![(from, end)]);
    let one_more = at(2026, 2, 1, 0, 0, 0);
    assert_eq!(
        plan_ok(from, one_more, MAX_WINDOW, MAX_DAYS),
        vec![(from, end), (one_more, one_more)]
    );
}

#[test]
fn three_months() {
    assert_eq!(
        plan_ok(
            at(2026, 1, 1, 0, 0, 0),
            at(2026, 3, 31, 23, 59, 59),
            MAX_WINDOW,
            MAX_DAYS
        ),
        vec![
            (at(2026, 1, 1, 0, 0, 0), at(2026, 1, 31, 23, 59, 59)),
            (at(2026, 2, 1, 0, 0, 0), at(2026, 3, 3, 23, 59, 59)),
            (at(2026, 3, 4, 0, 0, 0), at(2026, 3, 31, 23, 59, 59)),
        ]
    );
}

#[test]
fn refusals_say_what_to_do() {
    let (a, b) = (at(2026, 2, 1, 0, 0, 0), at(2026, 1, 31, 23, 59, 59));
    assert_eq!(
        plan(a, b, MAX_WINDOW, MAX_DAYS),
        Err(
            "the range ends before it starts: from 2026-02-01 00:00:00 to 2026-01-31 23:59:59; \
             swap the dates"
                .to_owned()
        )
    );
    assert_eq!(
        plan(b, a, days(32), MAX_DAYS),
        Err(
            "a window of 32 days is longer than the 31 days the server accepts per call; \
             use at most 31 days"
                .to_owned()
        )
    );
    assert_eq!(
        plan(b, a, MAX_WINDOW + Duration::from_secs(1), MAX_DAYS),
        Err(
            "a window of 31 days 0:00:01 is longer than the 31 days the server accepts per \
             call; use at most 31 days"
                .to_owned()
        )
    );
    assert_eq!(
        plan(b, a, MAX_WINDOW + Duration::from_nanos(1), MAX_DAYS),
        Err(
            "a window of 2678400.000000001s is longer than the 31 days the server accepts per \
             call; use at most 31 days"
                .to_owned()
        )
    );
    assert_eq!(
        plan(b, a, Duration::ZERO, MAX_DAYS),
        Err(
            "a window of 0ns is too short: the server counts whole seconds, use at least one \
             second"
                .to_owned()
        )
    );
    assert_eq!(
        plan(b, a, Duration::from_millis(999), 1),
        Err(
            "a window of 999ms is too short: the server counts whole seconds, use at least one \
             second"
                .to_owned()
        )
    );
}

#[test]
fn sub_seconds_round_inwards() {
    let from = date(2026, 8, 12).at(10, 0, 0, 500_000_000);
    let to = date(2026, 8, 12).at(10, 0, 5, 900_000_000);
    assert_eq!(
        plan_ok(from, to, MAX_WINDOW, MAX_DAYS),
        vec![(at(2026, 8, 12, 10, 0, 1), at(2026, 8, 12, 10, 0, 5))]
    );
    // A fraction of the window is dropped: 1.5 s windows are 1 s windows.
    assert_eq!(
        plan_ok(
            at(2026, 8, 12, 10, 0, 0),
            at(2026, 8, 12, 10, 0, 1),
            Duration::from_millis(1500),
            MAX_DAYS
        ),
        vec![
            (at(2026, 8, 12, 10, 0, 0), at(2026, 8, 12, 10, 0, 0)),
            (at(2026, 8, 12, 10, 0, 1), at(2026, 8, 12, 10, 0, 1)),
        ]
    );
    let inside = date(2026, 8, 12).at(10, 0, 0, 700_000_000);
    assert_eq!(
        plan(from, inside, MAX_WINDOW, MAX_DAYS),
        Err(
            "the range from 2026-08-12 10:00:00.5 to 2026-08-12 10:00:00.7 holds no whole \
             second, and the server's records carry whole seconds"
                .to_owned()
        )
    );
    assert_eq!(
        plan(from, from, MAX_WINDOW, MAX_DAYS).map(|w| w.len()),
        Err(
            "the range from 2026-08-12 10:00:00.5 to 2026-08-12 10:00:00.5 holds no whole \
             second, and the server's records carry whole seconds"
                .to_owned()
        )
    );
}

#[test]
fn too_many_windows_are_refused() {
    let from = at(2026, 1, 1, 0, 0, 0);
    let one = Duration::from_secs(1);
    let last_ok = from
        .checked_add(SignedDuration::from_secs(MAX_WINDOWS as i64 - 1))
        .unwrap();
    assert_eq!(plan_ok(from, last_ok, one, MAX_DAYS).len(), MAX_WINDOWS);
    let too_far = last_ok.checked_add(SignedDuration::from_secs(1)).unwrap();
    assert_eq!(
        plan(from, too_far, one, MAX_DAYS),
        Err(
            "the range from 2026-01-01 00:00:00 to 2026-01-02 03:46:40 needs more than 100000 \
             windows of at most 0:00:01 (one call and one token each); use a longer window or a \
             shorter range"
                .to_owned()
        )
    );
    // A long range in 31-day windows is fine: ten years is some 118 calls.
    let ten_years = plan_ok(from, at(2035, 12, 31, 23, 59, 59), MAX_WINDOW, MAX_DAYS);
    assert_eq!(ten_years.len(), 118);
}

#[test]
fn the_ends_of_jiffs_range() {
    let max = DateTime::MAX;
    let last = at(9999, 12, 31, 23, 59, 59);
    let before = at(9999, 12, 31, 23, 59, 58);
    assert_eq!(
        plan_ok(before, max, Duration::from_secs(1), 1),
        vec![(before, before), (last, last)]
    );
    assert_eq!(
        plan(max, max, MAX_WINDOW, MAX_DAYS),
        Err("9999-12-31 23:59:59 is beyond the last supported date".to_owned())
    );
    let min = DateTime::MIN;
    assert_eq!(plan_ok(min, min, MAX_WINDOW, 1), vec![(min, min)]);
}

#[test]
fn halves_split_the_seconds() {
    let t = |s| at(2026, 8, 12, 0, 0, s);
    assert_eq!(halves(t(0), t(0)), None);
    assert_eq!(halves(t(1), t(0)), None);
    assert_eq!(halves(t(0), t(1)), Some(((t(0), t(0)), (t(1), t(1)))));
    assert_eq!(halves(t(0), t(2)), Some(((t(0), t(0)), (t(1), t(2)))));
    assert_eq!(halves(t(0), t(9)), Some(((t(0), t(4)), (t(5), t(9)))));
    assert_eq!(
        halves(at(2026, 1, 1, 0, 0, 0), at(2026, 1, 31, 23, 59, 59)),
        Some((
            (at(2026, 1, 1, 0, 0, 0), at(2026, 1, 16, 11, 59, 59)),
            (at(2026, 1, 16, 12, 0, 0), at(2026, 1, 31, 23, 59, 59)),
        ))
    );
    // Halving down to one second always ends.
    let mut window = (at(2026, 1, 1, 0, 0, 0), at(2026, 1, 31, 23, 59, 59));
    let mut cuts = 0;
    while let Some((first, _)) = halves(window.0, window.1) {
        window = first;
        cuts += 1;
    }
    assert_eq!(window.0, window.1);
    assert_eq!(cuts, 21);
}

#[test]
fn wire_format() {
    assert_eq!(
        crate::decode::envelope::datetime_param(at(2026, 2, 1, 0, 0, 0)),
        "20260201000000"
    );
    assert_eq!(
        crate::decode::envelope::datetime_param(at(2026, 12, 31, 23, 59, 59)),
        "20261231235959"
    );
    assert_eq!(
        crate::decode::envelope::datetime_param(date(2026, 8, 12).at(8, 3, 15, 999_999_999)),
        "20260812080315"
    );
    assert_eq!(
        crate::decode::envelope::datetime_param(at(987, 1, 2, 3, 4, 5)),
        "09870102030405"
    );
}

#[test]
fn splittable_reports() {
    for api in [
        "cdr_1",
        "cdr_2",
        "cdr_3",
        "cdr_4",
        "cdr_5",
        "skill_2",
        "skill_3",
        "skill_4",
        "skill_4_1",
        "skill_4_2",
        "skill_7",
        "skill_10",
        "agent_2",
        "agent_7",
        "agent_8",
        "agent_8_1",
        "agent_14",
        "campaign_3",
        "campaign_7",
        "chat_1",
        "chat_2",
        "chat_11",
        "diagram_1",
        "diagram_9",
    ] {
        assert!(is_splittable(api), "{api}");
    }
    for api in [
        "agent_1",
        "agent_3",
        "agent_6",
        "skill_1",
        "skill_5",
        "skill_8",
        "skill_9",
        "campaign_1",
        "cdr_6",
        "chat_16",
        "cdr_11",
        "diagram_1_1",
        "quality_1",
        "CDR_1",
        " cdr_1",
        "cdr_1 ",
        "",
        "skills",
    ] {
        assert!(!is_splittable(api), "{api:?}");
    }
}

#[test]
fn default_windows() {
    assert_eq!(default_max_window("skill_5"), days(1));
    assert_eq!(default_max_window("cdr_1"), days(31));
    assert_eq!(default_max_window("agent_1"), MAX_WINDOW);
    assert_eq!(default_max_window("unknown"), MAX_WINDOW);
    assert_eq!(MAX_WINDOW, Duration::from_secs(2_678_400));
}

/// Calendar days `start..=end` touches.
fn calendar_days(start: DateTime, end: DateTime) -> i64 {
    i64::from(end.date().since(start.date()).unwrap().get_days()) + 1
}

/// The invariants of every plan.
fn check_plan(from: DateTime, to: DateTime, max: Duration, max_days: i64) {
    let windows = plan(from, to, max, max_days).unwrap();
    let max_secs = max.as_secs() as i64;
    assert_eq!(windows.first().map(|w| w.0), Some(from));
    assert_eq!(windows.last().map(|w| w.1), Some(to));
    for (i, &(start, end)) in windows.iter().enumerate() {
        assert!(start <= end, "{start} > {end}");
        let len = end.duration_since(start).as_secs() + 1;
        assert!(len <= max_secs, "window {i} holds {len} s > {max_secs}");
        let touched = calendar_days(start, end);
        assert!(
            touched <= max_days,
            "window {i} ({start} to {end}) touches {touched} days > {max_days}"
        );
        if let Some(&(next, _)) = windows.get(i + 1) {
            // No gap, no overlap.
            assert_eq!(next.duration_since(end), SignedDuration::from_secs(1));
            // As long as allowed: a window is only cut short by the midnight that would make
            // it touch one day too many.
            let at_midnight = next.time() == jiff::civil::Time::midnight()
                && calendar_days(start, next) > max_days;
            assert!(len == max_secs || at_midnight, "window {i} is short");
        }
    }
    // The total covers exactly the range.
    let total: i64 = windows
        .iter()
        .map(|(s, e)| e.duration_since(*s).as_secs() + 1)
        .sum();
    assert_eq!(total, to.duration_since(from).as_secs() + 1);
}

fn datetime_strategy() -> impl Strategy<Value = DateTime> {
    // 2020-01-01 .. 2030-01-01, whole seconds.
    (0i64..315_619_200).prop_map(|s| {
        at(2020, 1, 1, 0, 0, 0)
            .checked_add(SignedDuration::from_secs(s))
            .unwrap()
    })
}

proptest! {
    #[test]
    fn plans_cover_the_range_without_gap_or_overlap(
        from in datetime_strategy(),
        span in 0i64..(200 * DAYS as i64),
        window in (HOUR..=31 * DAYS),
        max_days in prop_oneof![Just(1i64), Just(MAX_DAYS), 1i64..=31],
    ) {
        let to = from.checked_add(SignedDuration::from_secs(span)).unwrap();
        check_plan(from, to, Duration::from_secs(window), max_days);
    }

    #[test]
    fn short_windows_over_short_ranges(
        from in datetime_strategy(),
        span in 0i64..(3 * DAYS as i64),
        window in 1u64..=(2 * DAYS),
        max_days in prop_oneof![Just(1i64), Just(MAX_DAYS), 1i64..=3],
    ) {
        let to = from.checked_add(SignedDuration::from_secs(span)).unwrap();
        check_plan(from, to, Duration::from_secs(window), max_days);
    }

    /// Resuming from any second (a split point, a checkpoint) of a 31-day plan: the rest
    /// is planned within the limits, and the windows start at midnight again after the first.
    #[test]
    fn resuming_from_any_second_stays_within_the_limits(
        from in datetime_strategy(),
        span in 0i64..(120 * DAYS as i64),
        skill_5 in any::<bool>(),
    ) {
        let to = from.checked_add(SignedDuration::from_secs(span)).unwrap();
        let (max, max_days) = if skill_5 { (days(1), 1) } else { (MAX_WINDOW, MAX_DAYS) };
        check_plan(from, to, max, max_days);
        let windows = plan(from, to, max, max_days).unwrap();
        for &(start, _) in windows.iter().skip(1) {
            prop_assert_eq!(start.time(), jiff::civil::Time::midnight());
        }
    }

    #[test]
    fn halves_partition_the_window(
        from in datetime_strategy(),
        span in 0i64..(31 * DAYS as i64),
    ) {
        let to = from.checked_add(SignedDuration::from_secs(span)).unwrap();
        match halves(from, to) {
            None => prop_assert_eq!(span, 0),
            Some(((a, b), (c, d))) => {
                prop_assert_eq!(a, from);
                prop_assert_eq!(d, to);
                prop_assert_eq!(c.duration_since(b), SignedDuration::from_secs(1));
                let first = b.duration_since(a).as_secs() + 1;
                let second = d.duration_since(c).as_secs() + 1;
                prop_assert_eq!(first, (span + 1) / 2);
                prop_assert_eq!(first + second, span + 1);
            }
        }
    }
}
