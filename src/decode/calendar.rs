//! Historical reports: dates, times, amounts, report text.
//!
//! | kind | accepted | blank |
//! |---|---|---|
//! | datetime | `"2026-08-12 08:03:15"`, `"2026-08-12T08:03:15"` (jiff's own output, fraction allowed), `"20260812080315"`, `20260812080315` | error |
//! | date | `"2026-08-12"`, `"20260812"` | error |
//! | hour | `"08"`, `"9"`, `"13:00"`, `"13:30"`, `"13:30:00"`, `9` | error |
//! | amount | `"120.50"`, `"120,50"`, `"-3.5"`, `120.5` | 0.0 |
//! | report text | any string (trimmed), numbers rendered | `""` (also for `"-"`, `"--"`) |
//!
//! [`optional`] turns any of them into an `Option` where a blank is `None`.

use super::scalar::{Expected, all_digits, decimal, is_blank, text, trim};
use crate::decode::envelope::Scalar;

pub(super) const DATETIME: Expected = "a date and time as YYYY-MM-DD HH:MM:SS";
pub(super) const DATE: Expected = "a date as YYYY-MM-DD";
pub(super) const HOUR: Expected = "an hour of the day as HH, HH:MM or HH:MM:SS (00 to 23)";
pub(super) const AMOUNT: Expected = "an amount such as \"120.50\"";

/// `parse` applied to `value`, except that a blank (`""`, `" "`, `"-"`, `"--"`, `null`) is `None`.
pub(crate) fn optional<T>(
    value: &Scalar<'_>,
    parse: impl FnOnce(&Scalar<'_>) -> Result<T, Expected>,
) -> Result<Option<T>, Expected> {
    if is_blank(value) {
        Ok(None)
    } else {
        parse(value).map(Some)
    }
}

/// A wall-clock date and time: `YYYY-MM-DD HH:MM:SS` (the wire), `YYYY-MM-DDTHH:MM:SS`
/// (jiff's own serialization, with an optional fraction of a second), or `YYYYmmddHHMMSS`
/// (as a string or a JSON integer). A blank is an error.
pub(crate) fn datetime(value: &Scalar<'_>) -> Result<jiff::civil::DateTime, Expected> {
    match value {
        Scalar::Str(s) => parse_datetime(trim(s)).ok_or(DATETIME),
        Scalar::Unsigned(n) => parse_datetime(&n.to_string()).ok_or(DATETIME),
        _ => Err(DATETIME),
    }
}

/// A calendar date: `YYYY-MM-DD` or `YYYYmmdd`. A blank is an error.
pub(crate) fn date(value: &Scalar<'_>) -> Result<jiff::civil::Date, Expected> {
    match value {
        Scalar::Str(s) => parse_date(trim(s)).ok_or(DATE),
        _ => Err(DATE),
    }
}

/// A time of day as the interval reports label their rows: `"08"`, `"9"`, `"13:00"`,
/// `"13:30"`, `"13:30:00"` (a fraction of a second after the seconds is allowed), or a JSON
/// integer `0..=23`. A blank is an error.
pub(crate) fn hour(value: &Scalar<'_>) -> Result<jiff::civil::Time, Expected> {
    let hour = match value {
        Scalar::Str(s) => return parse_time(trim(s), false).ok_or(HOUR),
        Scalar::Unsigned(n) => *n,
        Scalar::Float(f) if f.fract() == 0.0 && (0.0..24.0).contains(f) => *f as u64,
        _ => return Err(HOUR),
    };
    i8::try_from(hour)
        .ok()
        .and_then(|h| jiff::civil::Time::new(h, 0, 0, 0).ok())
        .ok_or(HOUR)
}

/// An amount of money (`cost`): digits with an optional `.` or `,` decimal part and an
/// optional leading `-`, or a JSON number. Blank is 0.
pub(crate) fn amount(value: &Scalar<'_>) -> Result<f64, Expected> {
    if is_blank(value) {
        return Ok(0.0);
    }
    let number = match value {
        Scalar::Unsigned(n) => *n as f64,
        Scalar::Signed(n) => *n as f64,
        Scalar::Float(f) => *f,
        Scalar::Str(s) => {
            let s = trim(s);
            match s.strip_prefix('-') {
                Some(rest) => -decimal(rest).ok_or(AMOUNT)?,
                None => decimal(s).ok_or(AMOUNT)?,
            }
        }
        _ => return Err(AMOUNT),
    };
    if number.is_finite() {
        Ok(number)
    } else {
        Err(AMOUNT)
    }
}

/// Text in a report row: like [`text`], but the blank placeholders (`" "`, `"-"`, `"--"`)
/// read as an empty string.
pub(crate) fn report_text(value: &Scalar<'_>) -> Result<String, Expected> {
    if is_blank(value) {
        Ok(String::new())
    } else {
        text(value)
    }
}

/// `YYYY-MM-DD HH:MM:SS[.f]`, `YYYY-MM-DDTHH:MM:SS[.f]` or `YYYYmmddHHMMSS`.
fn parse_datetime(s: &str) -> Option<jiff::civil::DateTime> {
    if s.len() == 14 && all_digits(s) {
        let date = parse_date(&s[..8])?;
        let time =
            jiff::civil::Time::new(small(&s[8..10])?, small(&s[10..12])?, small(&s[12..14])?, 0)
                .ok()?;
        return Some(date.to_datetime(time));
    }
    let date = parse_date(s.get(..10)?)?;
    let rest = s.get(10..)?;
    let time = rest.strip_prefix(' ').or_else(|| rest.strip_prefix('T'))?;
    Some(date.to_datetime(parse_time(time, true)?))
}

/// `YYYY-MM-DD` or `YYYYmmdd`.
fn parse_date(s: &str) -> Option<jiff::civil::Date> {
    let (year, month, day) = match s.len() {
        8 if all_digits(s) => (&s[..4], &s[4..6], &s[6..8]),
        10 if s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-' => {
            (s.get(..4)?, s.get(5..7)?, s.get(8..10)?)
        }
        _ => return None,
    };
    if year.len() != 4 || !all_digits(year) || month.len() != 2 || day.len() != 2 {
        return None;
    }
    jiff::civil::Date::new(year.parse().ok()?, small(month)?, small(day)?).ok()
}

/// `H`, `HH`, `H:MM`, `HH:MM`, `HH:MM:SS`, the last with an optional `.fraction` (1 to 9
/// digits). With `full`, only `HH:MM:SS[.fraction]`.
fn parse_time(s: &str, full: bool) -> Option<jiff::civil::Time> {
    let (clock, nanos) = match s.split_once('.') {
        Some((clock, fraction)) => (clock, Some(nanoseconds(fraction)?)),
        None => (s, None),
    };
    let mut parts = clock.split(':');
    let (hour, minute, second) = (parts.next()?, parts.next(), parts.next());
    if parts.next().is_some()
        || (nanos.is_some() && second.is_none())
        || (full && (hour.len() != 2 || second.is_none()))
        || [minute, second].iter().flatten().any(|p| p.len() != 2)
    {
        return None;
    }
    let part = |p: Option<&str>| p.map_or(Some(0), small);
    jiff::civil::Time::new(
        small(hour)?,
        part(minute)?,
        part(second)?,
        nanos.unwrap_or(0),
    )
    .ok()
}

/// One or two ASCII digits.
fn small(s: &str) -> Option<i8> {
    if (1..=2).contains(&s.len()) && all_digits(s) {
        s.parse().ok()
    } else {
        None
    }
}

/// A fraction of a second (1 to 9 digits after the point) in nanoseconds.
fn nanoseconds(fraction: &str) -> Option<i32> {
    if !(1..=9).contains(&fraction.len()) || !all_digits(fraction) {
        return None;
    }
    let digits: i32 = fraction.parse().ok()?;
    Some(digits * 10_i32.pow(9 - fraction.len() as u32))
}
