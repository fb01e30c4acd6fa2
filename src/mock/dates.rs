//! The calendar of the simulator: wall-clock times of the operation as seconds since
//! 1970-01-01 00:00:00 (Wolkvox dates carry no time zone), parsed from and written in the
//! formats of the wire.

use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds in a day.
pub(super) const DAY: i64 = 86_400;

/// Days since 1970-01-01 of a date of the proleptic Gregorian calendar
/// (Howard Hinnant's `days_from_civil`).
pub(super) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year =
        (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date (year, month, day) of a day number; the inverse of [`days_from_civil`].
pub(super) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    // Both values are small and positive by construction (1..=31 and 1..=12).
    let day = u32::try_from(day_of_year - (153 * shifted_month + 2) / 5 + 1).unwrap_or(1);
    let month = u32::try_from(if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    })
    .unwrap_or(1);
    let year = year_of_era + era * 400;
    (if month <= 2 { year + 1 } else { year }, month, day)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        _ => 28,
    }
}

/// The day number of a time.
pub(super) fn day_of(time: i64) -> i64 {
    time.div_euclid(DAY)
}

/// Today's day number (UTC), for the daily token quota.
pub(super) fn today() -> i64 {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    day_of(i64::try_from(seconds).unwrap_or(i64::MAX))
}

/// Digits of `text[range]` as a number, when they are all ASCII digits.
fn digits(text: &str, from: usize, to: usize) -> Option<u32> {
    let part = text.get(from..to)?;
    if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    part.parse().ok()
}

/// A checked date and time of day as seconds.
fn checked(year: u32, month: u32, day: u32, hms: (u32, u32, u32)) -> Option<i64> {
    let (hour, minute, second) = hms;
    let year = i64::from(year);
    let valid = (1..=12).contains(&month)
        && (1..=days_in_month(year, month)).contains(&day)
        && hour < 24
        && minute < 60
        && second < 60;
    valid.then(|| {
        days_from_civil(year, month, day) * DAY + i64::from(hour * 3600 + minute * 60 + second)
    })
}

/// `YYYYmmddHHMMSS`, the format of `date_ini` / `date_end` (surrounding spaces allowed).
pub(super) fn parse_compact(text: &str) -> Option<i64> {
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
pub(super) enum RowDate {
    /// `YYYY-MM-DD HH:MM:SS`: one instant.
    At(i64),
    /// `YYYY-MM-DD`: a whole day (a per-day row), as a day number.
    Day(i64),
}

/// `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DD` (surrounding spaces allowed).
pub(super) fn parse_row_date(text: &str) -> Option<RowDate> {
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
pub(super) fn format_day(day: i64) -> String {
    let (year, month, day) = civil_from_days(day);
    format!("{year:04}-{month:02}-{day:02}")
}

/// `HH:MM:SS` of the time of day of `time`.
fn time_of_day(time: i64) -> (i64, i64, i64) {
    let seconds = time.rem_euclid(DAY);
    (seconds / 3600, seconds / 60 % 60, seconds % 60)
}

/// `YYYY-MM-DD HH:MM:SS`, as the reports write dates.
pub(super) fn format_datetime(time: i64) -> String {
    let (hour, minute, second) = time_of_day(time);
    format!(
        "{} {hour:02}:{minute:02}:{second:02}",
        format_day(day_of(time))
    )
}

/// `YYYYmmddHHMMSS`, the format of `date_ini` / `date_end` (and of the start of a `conn_id`).
pub(super) fn format_compact(time: i64) -> String {
    let (year, month, day) = civil_from_days(day_of(time));
    let (hour, minute, second) = time_of_day(time);
    format!("{year:04}{month:02}{day:02}{hour:02}{minute:02}{second:02}")
}

/// An inclusive range of times (`date_ini..=date_end`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Range {
    /// The first second in the range.
    pub(super) ini: i64,
    /// The last second in the range.
    pub(super) end: i64,
}

impl Range {
    /// Whether `time` is in the range.
    pub(super) fn contains(&self, time: i64) -> bool {
        (self.ini..=self.end).contains(&time)
    }

    /// Whether a row dated `date` belongs to the range: an instant inside it, or a day the
    /// range touches.
    pub(super) fn matches(&self, date: RowDate) -> bool {
        if self.end < self.ini {
            return false;
        }
        match date {
            RowDate::At(time) => self.contains(time),
            RowDate::Day(day) => (day_of(self.ini)..=day_of(self.end)).contains(&day),
        }
    }

    /// The day numbers the range touches, in order.
    pub(super) fn days(&self) -> std::ops::RangeInclusive<i64> {
        day_of(self.ini)..=day_of(self.end)
    }

    /// How many calendar days the range touches (0 when it is empty).
    pub(super) fn calendar_days(&self) -> i64 {
        if self.end < self.ini {
            0
        } else {
            day_of(self.end) - day_of(self.ini) + 1
        }
    }

    /// The part of `from..to` (seconds, end excluded) inside the range, in seconds.
    pub(super) fn overlap(&self, from: i64, to: i64) -> i64 {
        (to.min(self.end + 1) - from.max(self.ini)).max(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_days_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2026, 8, 12), 20_677);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        for day in [-800_000, -1, 0, 59, 11_016, 20_677, 2_932_896] {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day, "{y}-{m}-{d}");
        }
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
        let day = days_from_civil(2026, 8, 12);
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
        let day = days_from_civil(2026, 8, 31);
        assert!(range.matches(RowDate::Day(day)));
        assert!(!range.matches(RowDate::Day(day + 1)));
        let short = Range {
            ini: parse_compact("20260812100000").unwrap(),
            end: parse_compact("20260812115959").unwrap(),
        };
        assert!(short.matches(RowDate::Day(days_from_civil(2026, 8, 12))));
        assert_eq!(short.overlap(short.ini - 60, short.ini + 60), 60);
        assert_eq!(short.overlap(short.end - 9, short.end + 100), 10);
        let empty = Range { ini: 10, end: 9 };
        assert_eq!(empty.calendar_days(), 0);
        assert!(!empty.matches(RowDate::Day(0)));
    }
}
