//! The calendar of the simulator: wall-clock times of the operation as seconds since
//! 1970-01-01 00:00:00 (Wolkvox dates carry no time zone), parsed from and written in the
//! formats of the wire. The calendar itself (month lengths, leap years, day numbers) is
//! [`jiff::civil`]'s; the seconds keep the generator's arithmetic (intervals, shifts) plain.

#[cfg(test)]
use jiff::civil::Date;
use jiff::civil::DateTime;
use jiff::{SignedDuration, Timestamp};

/// Seconds in a day.
pub(in crate::mock) const DAY: i64 = 86_400;

/// The origin of the seconds and day numbers.
const EPOCH: DateTime = jiff::civil::date(1970, 1, 1).at(0, 0, 0, 0);

/// The seconds since [`EPOCH`] of a wall-clock time.
fn seconds(time: DateTime) -> i64 {
    time.duration_since(EPOCH).as_secs()
}

/// The wall-clock time of a number of seconds (clamped to jiff's years -9999..=9999, far
/// beyond any date a query can name).
fn civil(time: i64) -> DateTime {
    EPOCH.saturating_add(SignedDuration::from_secs(time))
}

/// The day number (days since 1970-01-01) of a date.
#[cfg(test)]
pub(in crate::mock) fn day_number(date: Date) -> i64 {
    seconds(date.to_datetime(jiff::civil::Time::midnight())).div_euclid(DAY)
}

/// The day number of a time.
pub(in crate::mock) fn day_of(time: i64) -> i64 {
    time.div_euclid(DAY)
}

/// The seconds of a wall-clock time (the simulator's "now", set with `set_now`).
pub(in crate::mock) fn seconds_of(time: DateTime) -> i64 {
    seconds(time)
}

/// The wall clock at the operation's default offset (`-05:00`), as seconds: the simulator's
/// "now" unless set.
pub(in crate::mock) fn wall_clock() -> i64 {
    seconds(crate::DEFAULT_OPERATION_UTC_OFFSET.to_datetime(Timestamp::now()))
}

/// Today's day number (UTC), for the daily token quota.
pub(in crate::mock) fn today() -> i64 {
    day_of(Timestamp::now().as_second())
}

/// Digits of `text[from..to]` as a number, when they are all ASCII digits.
fn digits(text: &str, from: usize, to: usize) -> Option<i16> {
    let part = text.get(from..to)?;
    if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    part.parse().ok()
}

/// A date and time of day, checked by jiff (month lengths, leap years), as seconds.
fn checked(year: i16, month: i16, day: i16, hms: (i16, i16, i16)) -> Option<i64> {
    let small = |n: i16| i8::try_from(n).ok();
    let (hour, minute, second) = hms;
    let time = DateTime::new(
        year,
        small(month)?,
        small(day)?,
        small(hour)?,
        small(minute)?,
        small(second)?,
        0,
    )
    .ok()?;
    Some(seconds(time))
}

/// `YYYYmmddHHMMSS`, the format of `date_ini` / `date_end` (surrounding spaces allowed).
pub(in crate::mock) fn parse_compact(text: &str) -> Option<i64> {
    let text = text.trim();
    if text.len() != 14 {
        return None;
    }
    checked(
        digits(text, 0, 4)?,
        digits(text, 4, 6)?,
        digits(text, 6, 8)?,
        (
            digits(text, 8, 10)?,
            digits(text, 10, 12)?,
            digits(text, 12, 14)?,
        ),
    )
}

/// When a row of a report happened, read from its `date` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::mock) enum RowDate {
    /// `YYYY-MM-DD HH:MM:SS`: one instant.
    At(i64),
    /// `YYYY-MM-DD`: a whole day (a per-day row), as a day number.
    Day(i64),
}

/// `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DD` (surrounding spaces allowed).
pub(in crate::mock) fn parse_row_date(text: &str) -> Option<RowDate> {
    let text = text.trim();
    let separators_ok = text.get(4..5) == Some("-") && text.get(7..8) == Some("-");
    if !separators_ok {
        return None;
    }
    let (year, month, day) = (
        digits(text, 0, 4)?,
        digits(text, 5, 7)?,
        digits(text, 8, 10)?,
    );
    match text.len() {
        10 => checked(year, month, day, (0, 0, 0)).map(|t| RowDate::Day(day_of(t))),
        19 if text.get(10..11) == Some(" ")
            && text.get(13..14) == Some(":")
            && text.get(16..17) == Some(":") =>
        {
            let hms = (
                digits(text, 11, 13)?,
                digits(text, 14, 16)?,
                digits(text, 17, 19)?,
            );
            checked(year, month, day, hms).map(RowDate::At)
        }
        _ => None,
    }
}

/// `YYYY-MM-DD` of a day number.
pub(in crate::mock) fn format_day(day: i64) -> String {
    let date = civil(day.saturating_mul(DAY)).date();
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

/// `YYYY-MM-DD HH:MM:SS`, as the reports write dates.
pub(in crate::mock) fn format_datetime(time: i64) -> String {
    let t = civil(time);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// `YYYYmmddHHMMSS`, the format of `date_ini` / `date_end` (and of the start of a `conn_id`).
pub(in crate::mock) fn format_compact(time: i64) -> String {
    let t = civil(time);
    format!(
        "{:04}{:02}{:02}{:02}{:02}{:02}",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// An inclusive range of times (`date_ini..=date_end`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::mock) struct Range {
    /// The first second in the range.
    pub(in crate::mock) ini: i64,
    /// The last second in the range.
    pub(in crate::mock) end: i64,
}

impl Range {
    /// Whether `time` is in the range.
    pub(in crate::mock) fn contains(&self, time: i64) -> bool {
        (self.ini..=self.end).contains(&time)
    }

    /// Whether a row dated `date` belongs to the range: an instant inside it, or a day the
    /// range touches.
    pub(in crate::mock) fn matches(&self, date: RowDate) -> bool {
        if self.end < self.ini {
            return false;
        }
        match date {
            RowDate::At(time) => self.contains(time),
            RowDate::Day(day) => (day_of(self.ini)..=day_of(self.end)).contains(&day),
        }
    }

    /// The day numbers the range touches, in order.
    pub(in crate::mock) fn days(&self) -> std::ops::RangeInclusive<i64> {
        day_of(self.ini)..=day_of(self.end)
    }

    /// How many calendar days the range touches (0 when it is empty).
    pub(in crate::mock) fn calendar_days(&self) -> i64 {
        if self.end < self.ini {
            0
        } else {
            day_of(self.end) - day_of(self.ini) + 1
        }
    }

    /// The part of `from..to` (seconds, end excluded) inside the range, in seconds.
    pub(in crate::mock) fn overlap(&self, from: i64, to: i64) -> i64 {
        (to.min(self.end + 1) - from.max(self.ini)).max(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_and_formats() {
        assert_eq!(day_number(jiff::civil::date(1970, 1, 1)), 0);
        assert_eq!(day_number(jiff::civil::date(2026, 8, 12)), 20_677);
        assert_eq!(day_number(jiff::civil::date(2000, 3, 1)), 11_017);
        assert_eq!(day_number(jiff::civil::date(1969, 12, 31)), -1);
        assert_eq!(format_day(-1), "1969-12-31");
        assert_eq!(format_day(20_677), "2026-08-12");
        assert_eq!(format_datetime(-1), "1969-12-31 23:59:59");
        assert_eq!(format_compact(20_677 * DAY + 3_600), "20260812010000");
    }

    #[test]
    fn parses_the_query_format() {
        let t = parse_compact("20260812080315").unwrap();
        assert_eq!(format_datetime(t), "2026-08-12 08:03:15");
        assert_eq!(format_compact(t), "20260812080315");
        assert_eq!(
            parse_compact(" 20240229235959 "),
            Some(parse_compact("20240301000000").unwrap() - 1)
        );
        for bad in [
            "",
            "2026081208031",
            "202608120803150",
            "20260230000000",
            "20230229000000",
            "20261301000000",
            "20260812240000",
            "20260812006000",
            "2026-08-12 08:0",
            "2026081208031x",
            "+0260812080315",
        ] {
            assert_eq!(parse_compact(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn parses_row_dates() {
        let day = day_number(jiff::civil::date(2026, 8, 12));
        assert_eq!(parse_row_date("2026-08-12"), Some(RowDate::Day(day)));
        assert_eq!(
            parse_row_date("2026-08-12 08:03:15"),
            Some(RowDate::At(day * DAY + 8 * 3600 + 3 * 60 + 15))
        );
        assert_eq!(format_day(day), "2026-08-12");
        for bad in [
            "2026/08/12",
            "2026-08-32",
            "2026-08-12T08:03:15",
            "2026-08-12 8:03:15",
            "12-08-2026",
            "",
        ] {
            assert_eq!(parse_row_date(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn ranges_are_inclusive_and_count_calendar_days() {
        let range = Range {
            ini: parse_compact("20260801000000").unwrap(),
            end: parse_compact("20260831235959").unwrap(),
        };
        assert!(range.contains(range.ini) && range.contains(range.end));
        assert!(!range.contains(range.end + 1));
        assert_eq!(range.calendar_days(), 31);
        let day = day_number(jiff::civil::date(2026, 8, 31));
        assert!(range.matches(RowDate::Day(day)));
        assert!(!range.matches(RowDate::Day(day + 1)));
        let short = Range {
            ini: parse_compact("20260812100000").unwrap(),
            end: parse_compact("20260812115959").unwrap(),
        };
        assert!(short.matches(RowDate::Day(day_number(jiff::civil::date(2026, 8, 12)))));
        assert_eq!(short.overlap(short.ini - 60, short.ini + 60), 60);
        assert_eq!(short.overlap(short.end - 9, short.end + 100), 10);
        let empty = Range { ini: 10, end: 9 };
        assert_eq!(empty.calendar_days(), 0);
        assert!(!empty.matches(RowDate::Day(0)));
    }
}
