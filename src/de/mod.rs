//! Lenient serde deserializers for the values Wolkvox sends, for your own row types.
//!
//! Wolkvox sends almost every value as a string, in several spellings: `"34.64 %"`,
//! `"34,64 %"`, `"12.5"` or `12.5` for a percentage; `"4:38:08"`, `"04:38"` or `"287"` for
//! a duration; `""`, `"-"` or `"--"` where there is nothing. The report types of this crate
//! ([`crate::reports`]) decode all of that already. When you describe a report yourself (one
//! this crate has no type for, or only the columns you need), use these functions with
//! `#[serde(deserialize_with = "...")]`:
//!
//! | function | type | accepted | blank (`""`, `" "`, `"-"`, `"--"`, `null`) |
//! |---|---|---|---|
//! | [`count`] | `u32` | `"17"`, `" 17 "`, `17`, `17.0` | 0 |
//! | [`percentage`] | `f64` (percent points) | `"34.64 %"`, `"34,64 %"`, `"0.00%"`, `"12.5"`, `12.5` | 0.0 |
//! | [`duration`] | [`Duration`] | `"HH:MM:SS"` (hours unpadded or above 24), `"MM:SS"`, `"287"`, `287` | zero |
//! | [`datetime`] | [`DateTime`] | `"2026-08-12 08:03:15"`, `"2026-08-12T08:03:15"`, `"20260812080315"` | error |
//! | [`date`] | [`Date`] | `"2026-08-12"`, `"20260812"` | error |
//! | [`hour`] | [`Time`] | `"08"`, `"9"`, `"13:30"`, `"13:30:00"`, `9` | error |
//! | [`text`] | `String` | any string (trimmed), numbers as text (`3005550101`) | `""` |
//!
//! [`option`] has the same functions for `Option<T>` fields, where a blank is `None`; pair
//! them with `#[serde(default)]` so that a missing column is `None` too. Every function
//! works with any self-describing serde deserializer (`serde_json::from_str`,
//! `serde_json::Value`, the rows this crate decodes). A value that does not fit fails with
//! serde's "invalid value" error, which names the value and what was expected.
//!
//! Durations serialize by default as serde's `{"secs": .., "nanos": ..}`; use
//! [`serialize_duration`] (or [`option::serialize_duration`]) to write whole seconds, which
//! these functions read back.
//!
//! ```
//! use std::time::Duration;
//!
//! use jiff::civil::{DateTime, date};
//! use serde::Deserialize;
//!
//! /// The columns of `agent_1` this dashboard needs.
//! #[derive(Debug, Deserialize)]
//! struct AgentDay {
//!     #[serde(deserialize_with = "wolkvox::de::text")]
//!     agent_name: String,
//!     #[serde(deserialize_with = "wolkvox::de::count")]
//!     calls: u32,
//!     #[serde(deserialize_with = "wolkvox::de::percentage")]
//!     occupancy: f64,
//!     #[serde(deserialize_with = "wolkvox::de::duration")]
//!     login_time: Duration,
//!     #[serde(deserialize_with = "wolkvox::de::datetime")]
//!     login: DateTime,
//!     #[serde(default, deserialize_with = "wolkvox::de::option::datetime")]
//!     logout: Option<DateTime>,
//!     #[serde(default, deserialize_with = "wolkvox::de::option::count")]
//!     hits: Option<u32>,
//! }
//!
//! let row: AgentDay = serde_json::from_str(
//!     r#"{"agent_name": "LAURA MEJIA", "calls": "41", "occupancy": "87,20 %",
//!         "login_time": "8:03:10", "login": "2026-08-12 07:58:31", "logout": "",
//!         "hits": "-", "rpc": "--"}"#,
//! )?;
//! assert_eq!(row.agent_name, "LAURA MEJIA");
//! assert_eq!(row.calls, 41);
//! assert_eq!(row.occupancy, 87.2);
//! assert_eq!(row.login_time, Duration::from_secs(8 * 3600 + 3 * 60 + 10));
//! assert_eq!(row.login, date(2026, 8, 12).at(7, 58, 31, 0));
//! assert_eq!(row.logout, None);
//! assert_eq!(row.hits, None);
//!
//! let bad = serde_json::from_str::<AgentDay>(
//!     r#"{"agent_name": "X", "calls": "n/a", "occupancy": "0 %",
//!         "login_time": "0", "login": "2026-08-12 07:58:31"}"#,
//! );
//! let message = bad.unwrap_err().to_string();
//! assert!(message.starts_with(
//!     r#"invalid value: string "n/a", expected a non-negative whole number (count)"#
//! ));
//! # Ok::<(), serde_json::Error>(())
//! ```

use std::time::Duration;

use jiff::civil::{Date, DateTime, Time};
use serde::de::{self, DeserializeSeed, Deserializer, Unexpected, Visitor};
use serde::ser::Serializer;

use crate::decode;
use crate::decode::envelope::Scalar;

pub mod option;

/// A value parser of [`crate::decode`]: the value, or what was expected.
pub(crate) type Parse<T> = fn(&Scalar<'_>) -> Result<T, &'static str>;

/// Reads one value of any shape, then applies `parse`.
pub(crate) fn lenient<'de, D: Deserializer<'de>, T>(
    deserializer: D,
    parse: Parse<T>,
) -> Result<T, D::Error> {
    deserializer.deserialize_any(LenientVisitor(parse))
}

/// Hands the value to its parser as a [`Scalar`] borrowed for the call (no copy of a string,
/// nothing to drop afterwards); an object or array is skipped and read as
/// [`Scalar::Nested`]. Reads what [`Scalar`]'s own `Deserialize` reads.
pub(crate) struct LenientVisitor<F>(pub(crate) F);

impl<F> LenientVisitor<F> {
    fn parse<T, E: de::Error>(self, value: Scalar<'_>) -> Result<T, E>
    where
        F: FnOnce(&Scalar<'_>) -> Result<T, &'static str>,
    {
        (self.0)(&value).map_err(|expected| invalid(&value, expected))
    }
}

impl<'de, T, F: FnOnce(&Scalar<'_>) -> Result<T, &'static str>> Visitor<'de> for LenientVisitor<F> {
    type Value = T;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string or a number")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        self.parse(Scalar::Str(std::borrow::Cow::Borrowed(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        self.parse(Scalar::Unsigned(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        if v >= 0 {
            self.parse(Scalar::Unsigned(v.unsigned_abs()))
        } else {
            self.parse(Scalar::Signed(v))
        }
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        self.parse(Scalar::Float(v))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<T, E> {
        self.parse(Scalar::Bool(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        self.parse(Scalar::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<T, E> {
        self.parse(Scalar::Null)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<T, A::Error> {
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        self.parse(Scalar::Nested)
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        while map
            .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
            .is_some()
        {}
        self.parse(Scalar::Nested)
    }
}

/// serde's "invalid value" error for `value`, naming what was `expected`.
pub(crate) fn invalid<E: de::Error>(value: &Scalar<'_>, expected: &str) -> E {
    E::invalid_value(unexpected(value), &expected)
}

/// `value` as serde describes an unexpected value in its messages.
fn unexpected<'a>(value: &'a Scalar<'_>) -> Unexpected<'a> {
    match value {
        Scalar::Null => Unexpected::Other("null"),
        Scalar::Str(s) => Unexpected::Str(s),
        Scalar::Unsigned(n) => Unexpected::Unsigned(*n),
        Scalar::Signed(n) => Unexpected::Signed(*n),
        Scalar::Float(f) => Unexpected::Float(*f),
        Scalar::Bool(b) => Unexpected::Bool(*b),
        Scalar::Nested | Scalar::Json(_) => Unexpected::Other("an object or array"),
    }
}

/// A [`DeserializeSeed`] that reads one value with a [`Parse`] function, for hand-written
/// `Deserialize` impls (`map.next_value_seed(Lenient(decode::count))`).
pub(crate) struct Lenient<T>(pub(crate) Parse<T>);

impl<'de, T> DeserializeSeed<'de> for Lenient<T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        lenient(deserializer, self.0)
    }
}

/// A count (`u32`): `"17"`, `" 17 "`, `17`, `17.0`; blank is 0.
///
/// ```
/// #[derive(serde::Deserialize)]
/// struct Row {
///     #[serde(deserialize_with = "wolkvox::de::count")]
///     calls: u32,
/// }
/// let row: Row = serde_json::from_str(r#"{"calls": " 41 "}"#)?;
/// assert_eq!(row.calls, 41);
/// let row: Row = serde_json::from_str(r#"{"calls": "--"}"#)?;
/// assert_eq!(row.calls, 0);
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn count<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
    lenient(deserializer, decode::count)
}

/// A percentage in percent points (`"34.64 %"` is `34.64`): `"34,64 %"`, `"0.00%"`,
/// `"12.5"`, `12.5` too; blank is 0. Values above 100 are kept as sent.
///
/// ```
/// #[derive(serde::Deserialize)]
/// struct Row {
///     #[serde(deserialize_with = "wolkvox::de::percentage")]
///     occupancy: f64,
/// }
/// let row: Row = serde_json::from_str(r#"{"occupancy": "34,64 %"}"#)?;
/// assert_eq!(row.occupancy, 34.64);
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn percentage<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    lenient(deserializer, decode::percentage)
}

/// A duration: `"HH:MM:SS"` (hours unpadded or above 24), `"MM:SS"`, or whole seconds as a
/// string or a number; blank is zero.
///
/// ```
/// use std::time::Duration;
/// #[derive(serde::Deserialize)]
/// struct Row {
///     #[serde(deserialize_with = "wolkvox::de::duration")]
///     aht: Duration,
/// }
/// let row: Row = serde_json::from_str(r#"{"aht": "4:12"}"#)?;
/// assert_eq!(row.aht, Duration::from_secs(252));
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn duration<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
    lenient(deserializer, decode::duration)
}

/// A wall-clock date and time: `"YYYY-MM-DD HH:MM:SS"` (the wire), `"YYYY-MM-DDTHH:MM:SS"`
/// (jiff's own serialization, a fraction of a second allowed) or `"YYYYmmddHHMMSS"`. A blank
/// is an error; use [`option::datetime`] where the column may be empty.
///
/// ```
/// use jiff::civil::{DateTime, date};
/// #[derive(serde::Deserialize)]
/// struct Row {
///     #[serde(deserialize_with = "wolkvox::de::datetime")]
///     date: DateTime,
/// }
/// let row: Row = serde_json::from_str(r#"{"date": "2026-08-12 08:03:15"}"#)?;
/// assert_eq!(row.date, date(2026, 8, 12).at(8, 3, 15, 0));
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn datetime<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
    lenient(deserializer, decode::datetime)
}

/// A calendar date: `"YYYY-MM-DD"` or `"YYYYmmdd"`. A blank is an error; use
/// [`option::date`] where the column may be empty.
///
/// ```
/// use jiff::civil::{Date, date};
/// #[derive(serde::Deserialize)]
/// struct Row {
///     #[serde(deserialize_with = "wolkvox::de::date")]
///     day: Date,
/// }
/// let row: Row = serde_json::from_str(r#"{"day": "2026-08-11"}"#)?;
/// assert_eq!(row.day, date(2026, 8, 11));
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
    lenient(deserializer, decode::date)
}

/// The time of day that labels a row of an interval report: `"08"`, `"9"`, `"13:00"`,
/// `"13:30"`, `"13:30:00"` or a number `0..=23`. A blank is an error; use [`option::hour`]
/// where the column may be empty.
///
/// ```
/// use jiff::civil::{Time, time};
/// #[derive(serde::Deserialize)]
/// struct Row {
///     #[serde(deserialize_with = "wolkvox::de::hour")]
///     hour: Time,
/// }
/// let row: Row = serde_json::from_str(r#"{"hour": "13:30"}"#)?;
/// assert_eq!(row.hour, time(13, 30, 0, 0));
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn hour<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Time, D::Error> {
    lenient(deserializer, decode::hour)
}

/// Text: a string, trimmed; a number or boolean as its text (`3005550101` is
/// `"3005550101"`); a blank (`null`, `" "`, `"-"`, `"--"`) is an empty string.
///
/// ```
/// #[derive(serde::Deserialize)]
/// struct Row {
///     #[serde(deserialize_with = "wolkvox::de::text")]
///     telephone: String,
///     #[serde(deserialize_with = "wolkvox::de::text")]
///     customer_id: String,
/// }
/// let row: Row = serde_json::from_str(r#"{"telephone": 3005550101, "customer_id": "-"}"#)?;
/// assert_eq!(row.telephone, "3005550101");
/// assert_eq!(row.customer_id, "");
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    lenient(deserializer, decode::report_text)
}

/// A numeric id that must be there (`skill_id`, `agent_id`): like [`count`], but a blank is an
/// error.
pub(crate) fn id<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
    lenient(deserializer, decode::id)
}

/// An amount of money (`cost`): `"120.50"`, `"120,50"`, `"-3.5"`, a number; blank is 0.
pub(crate) fn amount<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    lenient(deserializer, decode::amount)
}

/// Writes a [`Duration`] as whole seconds (a `u64`; a fraction of a second is dropped), the
/// form [`duration`] reads back.
///
/// ```
/// use std::time::Duration;
/// #[derive(serde::Serialize, serde::Deserialize)]
/// struct Row {
///     #[serde(
///         deserialize_with = "wolkvox::de::duration",
///         serialize_with = "wolkvox::de::serialize_duration"
///     )]
///     aht: Duration,
/// }
/// let json = serde_json::to_string(&Row { aht: Duration::from_secs(252) })?;
/// assert_eq!(json, r#"{"aht":252}"#);
/// let back: Row = serde_json::from_str(&json)?;
/// assert_eq!(back.aht, Duration::from_secs(252));
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn serialize_duration<S: Serializer>(
    duration: &Duration,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_u64(duration.as_secs())
}

#[cfg(test)]
mod tests;
