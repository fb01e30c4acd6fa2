//! Window planning: cutting a report's date range into the windows the server accepts per
//! call, and halving a window that hit the record limit. Pure functions, no I/O.
//!
//! Times are wall-clock times of the operation ([`jiff::civil::DateTime`], no time zone),
//! counted in whole seconds, both ends inclusive, as the server reads `date_ini`/`date_end`:
//! `2026-01-01 00:00:00`..`2026-01-31 23:59:59` is 31 days. A plan's windows are
//! consecutive: each ends one second before the next begins, so no second is asked twice
//! and none is skipped.
//!
//! Two limits apply to every window: at most `max_window` seconds, and at most `max_days`
//! calendar days touched (31, 1 for `skill_5`, 1 with `per_day`). The service's rule for the
//! range is undocumented; the strict reading is that a range from Jan 15 12:00 to Feb 15
//! 11:59:59 (31 x 86,400 s) touches 32 calendar days and is refused, so a window that does not
//! start at midnight ends at the last midnight that keeps it within `max_days` days. After
//! such a short first window the windows start at midnight again. This matters most on resume:
//! every point after a record-limit split is mid-day.
//!
//! Sub-second parts: the records carry whole seconds, so a range is rounded inwards to
//! whole seconds (`from` up, `to` down), which selects exactly the same records. A range
//! that holds no whole second is refused.

use std::time::Duration;

use jiff::SignedDuration;
use jiff::civil::DateTime;

/// Seconds in a civil day (civil time has no leap seconds and no DST).
const DAY: i64 = 86_400;

/// The longest date range the server answers per call: 31 days.
pub(crate) const MAX_WINDOW: Duration = Duration::from_secs(31 * DAY as u64);

/// The most windows one plan may hold. Every window is a call, and every call costs one
/// token of the operation's daily quota (licences x 1000): a plan above this is a mistake
/// (a tiny window over a long range), refused before it allocates or spends anything.
pub(crate) const MAX_WINDOWS: usize = 100_000;

/// The most calendar days the server accepts in one range: 31.
pub(crate) const MAX_DAYS: i64 = 31;

/// The longest window `api` accepts: 1 day for `skill_5`, 31 days for every other report.
pub(crate) fn default_max_window(api: &str) -> Duration {
    Duration::from_secs((max_days(api) * DAY) as u64)
}

/// The most calendar days one window of `api` may touch: 1 for `skill_5`, 31 for every other
/// report.
pub(crate) fn max_days(api: &str) -> i64 {
    if api == "skill_5" { 1 } else { MAX_DAYS }
}

/// Cuts `from..=to` into consecutive windows of at most `max_window` each (counting the
/// window's last second: a 31-day window from Jan 1 00:00:00 ends Jan 31 23:59:59), each
/// touching at most `max_days` calendar days (clamped to 1..=31): a window is also cut at the
/// midnight that would make it touch one day more. `max_days == 1` is one window per
/// calendar day. The first window starts at `from` and the last ends at `to` (rounded inwards
/// to whole seconds, see the module docs); `max_window` counts whole seconds.
///
/// Refused, with a message for the user: `to` before `from`, a `max_window` above 31 days or
/// below one second, a range without a whole second, a plan above [`MAX_WINDOWS`] windows.
pub(crate) fn plan(
    from: DateTime,
    to: DateTime,
    max_window: Duration,
    max_days: i64,
) -> Result<Vec<(DateTime, DateTime)>, String> {
    if to < from {
        return Err(format!(
            "the range ends before it starts: from {} to {}; swap the dates",
            human(from),
            human(to)
        ));
    }
    check_max_window(max_window)?;
    let first = ceil_second(from)?;
    let last = floor_second(to);
    if last < first {
        return Err(format!(
            "the range from {} to {} holds no whole second, and the server's records carry whole seconds",
            human(from),
            human(to)
        ));
    }
    // Both at most 31 days / some 20,000 years in seconds: far inside i64.
    let window = max_window.as_secs() as i64;
    let span = last.duration_since(first).as_secs();
    let start_of_day = seconds_of_day(first);
    let estimate = usize::try_from(span / window + 2).unwrap_or(MAX_WINDOWS);
    let mut windows = Vec::with_capacity(estimate.min(MAX_WINDOWS));
    let mut offset = 0;
    let days = max_days.clamp(1, MAX_DAYS);
    while offset <= span {
        // The last second of the `days`-th calendar day the window touches.
        let to_last_midnight = DAY - (start_of_day + offset) % DAY + (days - 1) * DAY;
        let end = (offset + window - 1)
            .min(offset + to_last_midnight - 1)
            .min(span);
        if windows.len() == MAX_WINDOWS {
            return Err(format!(
                "the range from {} to {} needs more than {MAX_WINDOWS} windows of at most {} \
                 (one call and one token each); use a longer window or a shorter range",
                human(first),
                human(last),
                human_duration(max_window)
            ));
        }
        windows.push((shift(first, offset)?, shift(first, end)?));
        offset = end + 1;
    }
    Ok(windows)
}

/// Refuses a `max_window` above 31 days or below one second, with a message for the user.
pub(crate) fn check_max_window(max_window: Duration) -> Result<(), String> {
    if max_window > MAX_WINDOW {
        return Err(format!(
            "a window of {} is longer than the 31 days the server accepts per call; use at most 31 days",
            human_duration(max_window)
        ));
    }
    if max_window < Duration::from_secs(1) {
        return Err(format!(
            "a window of {max_window:?} is too short: the server counts whole seconds, use at least one second"
        ));
    }
    Ok(())
}

/// The two halves of `from..=to` (whole seconds, as [`plan`] makes them), for a window that
/// hit the record limit: of its n inclusive seconds, the first half gets `n / 2` (rounded
/// down), the second the rest; the first ends one second before the second begins. `None`
/// for a one-second window (it cannot be cut) or an empty one.
pub(crate) fn halves(
    from: DateTime,
    to: DateTime,
) -> Option<((DateTime, DateTime), (DateTime, DateTime))> {
    let seconds = to.duration_since(from).as_secs().checked_add(1)?;
    if seconds < 2 {
        return None;
    }
    let first = seconds / 2;
    let first_end = shift(from, first - 1).ok()?;
    let second_start = shift(from, first).ok()?;
    Some(((from, first_end), (second_start, to)))
}

/// Whether `api` answers one row per event or per interval, so that a range may be cut into
/// windows and the rows concatenated. False for the reports that answer totals over the whole
/// range (`agent_1`, `skill_1`, ...) and for any report not known to be splittable.
pub(crate) fn is_splittable(api: &str) -> bool {
    kind(api) != ReportKind::Totals
}

/// What the rows of `api` are; [`ReportKind::Totals`] for a report the crate does not know.
pub(crate) fn kind(api: &str) -> ReportKind {
    match api {
        "cdr_1" | "cdr_2" | "cdr_3" | "cdr_4" | "cdr_5" | "skill_2" | "skill_10" | "agent_2"
        | "agent_7" | "agent_14" | "campaign_3" | "campaign_7" | "chat_1" | "chat_2"
        | "chat_11" | "diagram_1" | "diagram_9" => ReportKind::Events,
        "skill_3" | "skill_4" | "skill_4_1" | "skill_4_2" | "skill_7" | "agent_8" | "agent_8_1" => {
            ReportKind::Intervals
        }
        _ => ReportKind::Totals,
    }
}

/// What the rows of a report are, and so how its windows add up: see
/// [`ReportRequest::kind`](crate::reports::ReportRequest::kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ReportKind {
    /// One row per event (a call, a dial, a chat, a state change, an IVR step): windows'
    /// rows concatenate, and a row has a natural key of its own (`conn_id`, ...).
    Events,
    /// One row per skill or agent and interval (day, hour, 30 or 10 minutes): windows' rows
    /// concatenate when the windows are cut at the intervals' edges (whole days), and a row is
    /// keyed by its interval and its skill or agent.
    Intervals,
    /// Totals over the whole range asked (one row per agent, skill, result...): two windows'
    /// rows cannot be added up; read per day and keep each day apart. Also every report the
    /// crate does not know.
    Totals,
}

/// `dt` moved by `seconds`; the error only for a result beyond jiff's range (year 9999).
fn shift(dt: DateTime, seconds: i64) -> Result<DateTime, String> {
    dt.checked_add(SignedDuration::from_secs(seconds))
        .map_err(|_| format!("{} is beyond the last supported date", human(dt)))
}

/// `dt` without its fraction of a second.
fn floor_second(dt: DateTime) -> DateTime {
    let nanos = dt.subsec_nanosecond();
    // Removing a fraction never leaves jiff's range (its bounds are whole seconds or above).
    dt.checked_sub(SignedDuration::from_nanos(i64::from(nanos)))
        .unwrap_or(dt)
}

/// `dt` rounded up to the next whole second, unless it is one.
fn ceil_second(dt: DateTime) -> Result<DateTime, String> {
    if dt.subsec_nanosecond() == 0 {
        Ok(dt)
    } else {
        shift(floor_second(dt), 1)
    }
}

fn seconds_of_day(dt: DateTime) -> i64 {
    i64::from(dt.hour()) * 3600 + i64::from(dt.minute()) * 60 + i64::from(dt.second())
}

/// `2026-02-01 00:00:00` (with its fraction, if any).
fn human(dt: DateTime) -> String {
    dt.to_string().replacen('T', " ", 1)
}

/// `31 days`, `1 day 0:00:01`, `6:00:00`, or the Debug form for a fraction of a second.
fn human_duration(duration: Duration) -> String {
    if duration.subsec_nanos() != 0 {
        return format!("{duration:?}");
    }
    let seconds = duration.as_secs();
    let (days, rest) = (seconds / DAY as u64, seconds % DAY as u64);
    let clock = format!("{}:{:02}:{:02}", rest / 3600, rest / 60 % 60, rest % 60);
    match (days, rest) {
        (0, _) => clock,
        (1, 0) => "1 day".to_owned(),
        (n, 0) => format!("{n} days"),
        (1, _) => format!("1 day {clock}"),
        (n, _) => format!("{n} days {clock}"),
    }
}

#[cfg(test)]
mod tests;
