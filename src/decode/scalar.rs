//! Value decoding: the strings Wolkvox sends, turned into numbers.
//!
//! Every function takes one [`Scalar`] and answers the typed value, or a short description of
//! what was expected; [`crate::de::Lenient`] makes that a serde error, which the row
//! deserializer ([`crate::decode::row`]) turns into an [`Error::Decode`](crate::Error::Decode)
//! naming the field and its raw value.
//!
//! | kind | accepted | blank (`""`, `" "`, `"-"`, `"--"`, `null`) |
//! |---|---|---|
//! | count | `"17"`, `" 17 "`, `17`, `17.0` | 0 |
//! | percentage | `"34.64 %"`, `"0.00%"`, `"100 %"`, `"12.5"`, `"71,15 %"`, `12.5` | 0.0 |
//! | duration | `"HH:MM:SS"` (hours may exceed 24), `"H:MM:SS"`, `"MM:SS"`, `"17"`, `17` | zero |
//!
//! Rejected: negative values, exponents (`"1e9"`), `NaN`/`inf`, fractions in a count
//! (`"2.5"`), counts above `u32::MAX`, anything else that is not a number. A percentage
//! above 100 is kept as sent (never clamped): the server computed it, and a dashboard should
//! show what the server says.

use std::borrow::Cow;
use std::time::Duration;

use crate::decode::envelope::Scalar;

/// What a value should have been, for the error message.
pub(crate) type Expected = &'static str;

const COUNT: Expected = "a non-negative whole number (count)";
const PERCENTAGE: Expected = "a finite non-negative percentage such as \"34.64 %\"";
const DURATION: Expected = "a duration as HH:MM:SS, MM:SS or seconds";
const ID: Expected = "a numeric id";
const TEXT: Expected = "text";

/// `s.trim()`, with a fast path for the usual values, empty or starting and ending with a
/// visible ASCII character (nothing to trim): values are trimmed several times per row, and
/// the general trim costs several times more.
pub(crate) fn trim(s: &str) -> &str {
    match s.as_bytes() {
        [first, .., last] if first.is_ascii_graphic() && last.is_ascii_graphic() => s,
        [] => s,
        [only] if only.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

/// True for the values the service sends where there is nothing: blank, `-`, `--`, `null`.
pub(super) fn is_blank(value: &Scalar<'_>) -> bool {
    match value {
        Scalar::Null => true,
        Scalar::Str(s) => matches!(trim(s), "" | "-" | "--"),
        _ => false,
    }
}

/// Plain ASCII digits, at least one.
pub(super) fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// A count: a non-negative integer that fits `u32`. Blank is 0.
pub(crate) fn count(value: &Scalar<'_>) -> Result<u32, Expected> {
    if is_blank(value) {
        return Ok(0);
    }
    match value {
        Scalar::Unsigned(n) => u32::try_from(*n).map_err(|_| COUNT),
        Scalar::Float(f) if f.fract() == 0.0 && *f >= 0.0 && *f <= f64::from(u32::MAX) => {
            Ok(*f as u32)
        }
        Scalar::Str(s) => {
            let s = trim(s);
            if all_digits(s) {
                s.parse().map_err(|_| COUNT)
            } else {
                Err(COUNT)
            }
        }
        _ => Err(COUNT),
    }
}

/// A count of requests (the token's quota): like [`count`], up to `u64::MAX`.
pub(crate) fn quota_count(value: &Scalar<'_>) -> Result<u64, Expected> {
    if is_blank(value) {
        return Ok(0);
    }
    match value {
        Scalar::Unsigned(n) => Ok(*n),
        // 2^64 as a float: every whole float below it fits a u64.
        Scalar::Float(f) if f.fract() == 0.0 && *f >= 0.0 && *f < 18_446_744_073_709_551_616.0 => {
            Ok(*f as u64)
        }
        Scalar::Str(s) => {
            let s = trim(s);
            if all_digits(s) {
                s.parse().map_err(|_| COUNT)
            } else {
                Err(COUNT)
            }
        }
        _ => Err(COUNT),
    }
}

/// A numeric id (`skill_id`, `agent_id`): like a count, but a blank is an error, since a record
/// without its id cannot be told apart from the others.
pub(crate) fn id(value: &Scalar<'_>) -> Result<u32, Expected> {
    if is_blank(value) {
        return Err(ID);
    }
    count(value).map_err(|_| ID)
}

/// A percentage in percent points (`"34.64 %"` is `34.64`). Blank is 0.
pub(crate) fn percentage(value: &Scalar<'_>) -> Result<f64, Expected> {
    if is_blank(value) {
        return Ok(0.0);
    }
    let number = match value {
        Scalar::Unsigned(n) => *n as f64,
        Scalar::Float(f) => *f,
        Scalar::Str(s) => {
            let s = trim(s);
            let s = s.strip_suffix('%').unwrap_or(s).trim_end();
            decimal(s).ok_or(PERCENTAGE)?
        }
        _ => return Err(PERCENTAGE),
    };
    if number.is_finite() && number >= 0.0 {
        Ok(number)
    } else {
        Err(PERCENTAGE)
    }
}

/// `123`, `123.45` or `123,45`: digits with at most one decimal separator, no sign, no exponent.
pub(super) fn decimal(s: &str) -> Option<f64> {
    let (int, frac) = match s.find(['.', ',']) {
        Some(at) => (&s[..at], Some(&s[at + 1..])),
        None => (s, None),
    };
    if !all_digits(int) {
        return None;
    }
    match frac {
        None => int.parse().ok(),
        Some(frac) if all_digits(frac) => {
            let normalized: Cow<'_, str> = if s.contains(',') {
                Cow::Owned(s.replacen(',', ".", 1))
            } else {
                Cow::Borrowed(s)
            };
            normalized.parse().ok()
        }
        Some(_) => None,
    }
}

/// A duration: `HH:MM:SS` (hours may exceed 24, may be unpadded), `MM:SS`, or whole seconds.
/// Blank is zero.
pub(crate) fn duration(value: &Scalar<'_>) -> Result<Duration, Expected> {
    if is_blank(value) {
        return Ok(Duration::ZERO);
    }
    match value {
        Scalar::Unsigned(n) => Ok(Duration::from_secs(*n)),
        Scalar::Float(f) if f.fract() == 0.0 && *f >= 0.0 && *f < 1e15 => {
            Ok(Duration::from_secs(*f as u64))
        }
        Scalar::Str(s) => clock(trim(s)).map(Duration::from_secs).ok_or(DURATION),
        _ => Err(DURATION),
    }
}

/// `H+:MM:SS`, `M+:SS` or `S+` into seconds; minutes and seconds after a colon are below 60.
fn clock(s: &str) -> Option<u64> {
    let mut parts = s.split(':');
    let mut total: u64 = 0;
    let mut count = 0;
    let pieces: [Option<&str>; 3] = [parts.next(), parts.next(), parts.next()];
    if parts.next().is_some() {
        return None;
    }
    for (i, piece) in pieces.iter().enumerate() {
        let Some(piece) = piece else { break };
        if !all_digits(piece) || piece.len() > 12 {
            return None;
        }
        let n: u64 = piece.parse().ok()?;
        if i > 0 && (n >= 60 || piece.len() != 2) {
            return None;
        }
        total = total.checked_mul(60)?.checked_add(n)?;
        count += 1;
    }
    (count > 0).then_some(total)
}

/// Text: strings as sent (trimmed); numbers rendered; blank is empty.
pub(crate) fn text(value: &Scalar<'_>) -> Result<String, Expected> {
    match value {
        Scalar::Null => Ok(String::new()),
        Scalar::Nested | Scalar::Json(_) => Err(TEXT),
        Scalar::Str(s) => Ok(trim(s).to_owned()),
        other => Ok(other.raw().into_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::calendar::{
        AMOUNT, DATE, DATETIME, HOUR, amount, date, datetime, hour, optional, report_text,
    };

    fn s(v: &str) -> Scalar<'_> {
        Scalar::Str(Cow::Borrowed(v))
    }

    #[test]
    fn trim_is_str_trim() {
        for v in [
            "",
            " ",
            "a",
            "ab",
            " a",
            "a ",
            " a b ",
            "-",
            "--",
            "\tx\r\n",
            "\x0bx\x0b",
            "\x0b",
            "\u{a0}x\u{a0}",
            "x\u{3000}",
            "\u{2003}",
            "é",
            " é ",
            "\x01x\x7f",
        ] {
            assert_eq!(trim(v), v.trim(), "{v:?}");
        }
    }

    #[test]
    fn counts() {
        assert_eq!(count(&s("17")), Ok(17));
        assert_eq!(count(&s(" 17 ")), Ok(17));
        assert_eq!(count(&Scalar::Unsigned(17)), Ok(17));
        assert_eq!(count(&Scalar::Float(17.0)), Ok(17));
        assert_eq!(count(&s("4294967295")), Ok(u32::MAX));
        for blank in ["", " ", "-", "--"] {
            assert_eq!(count(&s(blank)), Ok(0), "{blank:?}");
        }
        assert_eq!(count(&Scalar::Null), Ok(0));
        for bad in [
            "n/a",
            "-3",
            "1e9",
            "4294967296",
            "NaN",
            "2.5",
            "+3",
            "3 4",
            "١٢",
        ] {
            assert_eq!(count(&s(bad)), Err(COUNT), "{bad:?}");
        }
        assert_eq!(count(&Scalar::Signed(-3)), Err(COUNT));
        assert_eq!(count(&Scalar::Float(2.5)), Err(COUNT));
        assert_eq!(count(&Scalar::Unsigned(1 << 32)), Err(COUNT));
        assert_eq!(count(&Scalar::Bool(true)), Err(COUNT));
        assert_eq!(count(&Scalar::Nested), Err(COUNT));
    }

    #[test]
    fn quota_counts_reach_u64() {
        assert_eq!(quota_count(&s("4294967296")), Ok(1 << 32));
        assert_eq!(quota_count(&s(" 18446744073709551615 ")), Ok(u64::MAX));
        assert_eq!(quota_count(&Scalar::Unsigned(u64::MAX)), Ok(u64::MAX));
        assert_eq!(quota_count(&Scalar::Float(25_000.0)), Ok(25_000));
        assert_eq!(quota_count(&s("--")), Ok(0));
        for bad in ["18446744073709551616", "-1", "2.5", "n/a"] {
            assert_eq!(quota_count(&s(bad)), Err(COUNT), "{bad:?}");
        }
        assert_eq!(quota_count(&Scalar::Float(1.9e19)), Err(COUNT));
    }

    #[test]
    fn ids_refuse_blanks() {
        assert_eq!(id(&s("101")), Ok(101));
        assert_eq!(id(&Scalar::Unsigned(7)), Ok(7));
        assert_eq!(id(&s("")), Err(ID));
        assert_eq!(id(&s("abc")), Err(ID));
    }

    #[test]
    fn percentages() {
        let cases = [
            ("34.64 %", 34.64),
            ("0.00%", 0.0),
            ("0 %", 0.0),
            ("100 %", 100.0),
            ("12.5", 12.5),
            ("34,64 %", 34.64),
            ("71,15 %", 71.15),
            (" 8.50 % ", 8.5),
            ("150 %", 150.0),
            ("", 0.0),
            ("-", 0.0),
            ("--", 0.0),
        ];
        for (raw, want) in cases {
            assert_eq!(percentage(&s(raw)), Ok(want), "{raw:?}");
        }
        assert_eq!(percentage(&Scalar::Float(12.5)), Ok(12.5));
        assert_eq!(percentage(&Scalar::Unsigned(40)), Ok(40.0));
        for bad in [
            "inf %", "NaN %", "NaN", "-5 %", "1e2 %", "12.", ".5", "1.2.3", "1,2,3", "%", "abc %",
            "12 %%",
        ] {
            assert_eq!(percentage(&s(bad)), Err(PERCENTAGE), "{bad:?}");
        }
        assert_eq!(percentage(&Scalar::Float(f64::NAN)), Err(PERCENTAGE));
        assert_eq!(percentage(&Scalar::Signed(-1)), Err(PERCENTAGE));
    }

    #[test]
    fn durations() {
        let secs = |n| Ok(Duration::from_secs(n));
        assert_eq!(duration(&s("01:02:03")), secs(3723));
        assert_eq!(duration(&s("4:38:08")), secs(4 * 3600 + 38 * 60 + 8));
        assert_eq!(duration(&s("27:00:00")), secs(27 * 3600));
        assert_eq!(duration(&s("12:34")), secs(754));
        assert_eq!(duration(&s("95")), secs(95));
        assert_eq!(duration(&Scalar::Unsigned(95)), secs(95));
        assert_eq!(duration(&s("")), secs(0));
        assert_eq!(duration(&s("--")), secs(0));
        for bad in [
            "1:2:3",
            "00:61:00",
            "00:00:60",
            "a:b",
            "1:00:00:00",
            "-5",
            ":",
            "1.5",
        ] {
            assert_eq!(duration(&s(bad)), Err(DURATION), "{bad:?}");
        }
    }

    fn dt(y: i16, mo: i8, d: i8, h: i8, mi: i8, sec: i8) -> jiff::civil::DateTime {
        jiff::civil::date(y, mo, d).at(h, mi, sec, 0)
    }

    #[test]
    fn datetimes() {
        let want = Ok(dt(2026, 8, 12, 8, 3, 15));
        assert_eq!(datetime(&s("2026-08-12 08:03:15")), want);
        assert_eq!(datetime(&s(" 2026-08-12 08:03:15 ")), want);
        assert_eq!(datetime(&s("2026-08-12T08:03:15")), want);
        assert_eq!(datetime(&s("20260812080315")), want);
        assert_eq!(datetime(&Scalar::Unsigned(20260812080315)), want);
        assert_eq!(
            datetime(&s("2026-08-12T08:03:15.25")),
            Ok(jiff::civil::date(2026, 8, 12).at(8, 3, 15, 250_000_000))
        );
        assert_eq!(
            datetime(&s("2028-02-29 23:59:59")),
            Ok(dt(2028, 2, 29, 23, 59, 59))
        );
        for bad in [
            "",
            " ",
            "-",
            "--",
            "2026-08-12",
            "2026-08-12 08:03",
            "2026-08-12 8:03:15",
            "2026-08-12  08:03:15",
            "2026-08-12X08:03:15",
            "2026-02-30 00:00:00",
            "2027-02-29 00:00:00",
            "2026-13-01 00:00:00",
            "2026-08-12 24:00:00",
            "2026-08-12 08:60:00",
            "2026-08-12 08:03:60",
            "2026-08-12 08:03:15.",
            "2026-08-12 08:03:15.1234567890",
            "2026-08-12 08:03:15 PM",
            "2026/08/12 08:03:15",
            "12/08/2026 08:03:15",
            "2026081208031",
            "202608120803150",
            "20261312000000",
            "+2026-08-12 08:03:15",
            "2026-08-1é 08:03:15",
        ] {
            assert_eq!(datetime(&s(bad)), Err(DATETIME), "{bad:?}");
        }
        assert_eq!(datetime(&Scalar::Null), Err(DATETIME));
        assert_eq!(datetime(&Scalar::Unsigned(2026)), Err(DATETIME));
        assert_eq!(datetime(&Scalar::Float(2.0e13)), Err(DATETIME));
        assert_eq!(datetime(&Scalar::Nested), Err(DATETIME));
    }

    #[test]
    fn dates() {
        let want = Ok(jiff::civil::date(2026, 8, 11));
        assert_eq!(date(&s("2026-08-11")), want);
        assert_eq!(date(&s(" 2026-08-11")), want);
        assert_eq!(date(&s("20260811")), want);
        assert_eq!(date(&s("2028-02-29")), Ok(jiff::civil::date(2028, 2, 29)));
        for bad in [
            "",
            "-",
            "--",
            "2026-8-11",
            "2026-08-11 00:00:00",
            "2026-02-29",
            "2026-00-10",
            "2026-01-00",
            "2026081",
            "11-08-2026",
            "2026_08_11",
            "-026-08-11",
        ] {
            assert_eq!(date(&s(bad)), Err(DATE), "{bad:?}");
        }
        assert_eq!(date(&Scalar::Unsigned(20260811)), Err(DATE));
        assert_eq!(date(&Scalar::Null), Err(DATE));
    }

    #[test]
    fn hours() {
        let t = |h, m, sec| Ok(jiff::civil::time(h, m, sec, 0));
        assert_eq!(hour(&s("08")), t(8, 0, 0));
        assert_eq!(hour(&s("9")), t(9, 0, 0));
        assert_eq!(hour(&s("0")), t(0, 0, 0));
        assert_eq!(hour(&s("23")), t(23, 0, 0));
        assert_eq!(hour(&s("13:00")), t(13, 0, 0));
        assert_eq!(hour(&s("13:30")), t(13, 30, 0));
        assert_eq!(hour(&s("9:10")), t(9, 10, 0));
        assert_eq!(hour(&s("13:30:00")), t(13, 30, 0));
        assert_eq!(hour(&s(" 13:30:45 ")), t(13, 30, 45));
        assert_eq!(
            hour(&s("13:30:00.5")),
            Ok(jiff::civil::time(13, 30, 0, 500_000_000))
        );
        assert_eq!(hour(&Scalar::Unsigned(9)), t(9, 0, 0));
        assert_eq!(hour(&Scalar::Float(9.0)), t(9, 0, 0));
        for bad in [
            "", " ", "-", "--", "24", "25:00", "13:60", "13:5", "13:30:5", "13:30:60", "130",
            "13:", ":30", "13:30.5", "1:2:3:4", "9h", "-1", "08 - 09",
        ] {
            assert_eq!(hour(&s(bad)), Err(HOUR), "{bad:?}");
        }
        assert_eq!(hour(&Scalar::Unsigned(24)), Err(HOUR));
        assert_eq!(hour(&Scalar::Float(9.5)), Err(HOUR));
        assert_eq!(hour(&Scalar::Signed(-1)), Err(HOUR));
        assert_eq!(hour(&Scalar::Null), Err(HOUR));
    }

    #[test]
    fn optional_makes_blanks_none() {
        for blank in ["", " ", "-", "--"] {
            assert_eq!(optional(&s(blank), datetime), Ok(None), "{blank:?}");
            assert_eq!(optional(&s(blank), count), Ok(None), "{blank:?}");
        }
        assert_eq!(optional(&Scalar::Null, hour), Ok(None));
        assert_eq!(
            optional(&s("2026-08-12 10:02:42"), datetime),
            Ok(Some(dt(2026, 8, 12, 10, 2, 42)))
        );
        assert_eq!(optional(&s("0"), count), Ok(Some(0)));
        assert_eq!(optional(&s("x"), date), Err(DATE));
    }

    #[test]
    fn amounts() {
        for (raw, want) in [
            ("0.00", 0.0),
            ("0,00", 0.0),
            ("120.50", 120.5),
            ("120,5", 120.5),
            ("7", 7.0),
            ("-3.5", -3.5),
            (" 1.25 ", 1.25),
            ("", 0.0),
            ("-", 0.0),
            ("--", 0.0),
        ] {
            assert_eq!(amount(&s(raw)), Ok(want), "{raw:?}");
        }
        assert_eq!(amount(&Scalar::Float(120.5)), Ok(120.5));
        assert_eq!(amount(&Scalar::Unsigned(3)), Ok(3.0));
        assert_eq!(amount(&Scalar::Signed(-3)), Ok(-3.0));
        assert_eq!(amount(&Scalar::Null), Ok(0.0));
        for bad in ["$5", "1e3", "NaN", "1.2.3", "--5", "5 %", "abc", "+5"] {
            assert_eq!(amount(&s(bad)), Err(AMOUNT), "{bad:?}");
        }
        assert_eq!(amount(&Scalar::Float(f64::INFINITY)), Err(AMOUNT));
        assert_eq!(amount(&Scalar::Bool(true)), Err(AMOUNT));
    }

    #[test]
    fn report_text_blanks_placeholders() {
        assert_eq!(
            report_text(&s(" SOLUCIONADO ")),
            Ok("SOLUCIONADO".to_owned())
        );
        assert_eq!(
            report_text(&Scalar::Unsigned(3005550101)),
            Ok("3005550101".to_owned())
        );
        for blank in ["", " ", "-", "--"] {
            assert_eq!(report_text(&s(blank)), Ok(String::new()), "{blank:?}");
        }
        assert_eq!(report_text(&Scalar::Null), Ok(String::new()));
        assert_eq!(report_text(&s("---")), Ok("---".to_owned()));
        assert_eq!(report_text(&Scalar::Nested), Err(TEXT));
    }
}
