//! The functions of [`crate::de`] for `Option<T>` fields: a blank (`""`, `" "`, `"-"`, `"--"`,
//! `null`) is `None`, anything else is read as the plain function reads it.
//!
//! Pair them with `#[serde(default)]`, so that a missing column is `None` as well (serde calls
//! a `deserialize_with` function only for a column that is there):
//!
//! ```
//! use jiff::civil::{DateTime, date};
//! use serde::Deserialize;
//!
//! #[derive(Debug, Deserialize)]
//! struct Session {
//!     #[serde(default, deserialize_with = "wolkvox::de::option::datetime")]
//!     login: Option<DateTime>,
//!     #[serde(default, deserialize_with = "wolkvox::de::option::datetime")]
//!     logout: Option<DateTime>,
//!     #[serde(default, deserialize_with = "wolkvox::de::option::count")]
//!     skill_id: Option<u32>,
//! }
//!
//! let row: Session = serde_json::from_str(r#"{"login": "2026-08-12 07:58:31", "logout": "--"}"#)?;
//! assert_eq!(row.login, Some(date(2026, 8, 12).at(7, 58, 31, 0)));
//! assert_eq!(row.logout, None);
//! assert_eq!(row.skill_id, None);
//! # Ok::<(), serde_json::Error>(())
//! ```

use std::time::Duration;

use jiff::civil::{Date, DateTime, Time};
use serde::de::Deserializer;
use serde::ser::Serializer;

use super::{LenientVisitor, Parse};
use crate::decode;
use crate::decode::envelope::Scalar;

/// Reads one value of any shape; blank is `None`, anything else goes through `parse`.
fn optional<'de, D: Deserializer<'de>, T>(
    deserializer: D,
    parse: Parse<T>,
) -> Result<Option<T>, D::Error> {
    deserializer.deserialize_any(LenientVisitor(|value: &Scalar<'_>| {
        decode::optional(value, parse)
    }))
}

/// [`crate::de::count`] for an `Option<u32>`: blank is `None`, `"0"` is `Some(0)`.
///
/// ```
/// #[derive(serde::Deserialize)]
/// struct Row {
///     #[serde(default, deserialize_with = "wolkvox::de::option::count")]
///     agent_id: Option<u32>,
/// }
/// let row: Row = serde_json::from_str(r#"{"agent_id": ""}"#)?;
/// assert_eq!(row.agent_id, None);
/// let row: Row = serde_json::from_str(r#"{"agent_id": "12523"}"#)?;
/// assert_eq!(row.agent_id, Some(12523));
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn count<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u32>, D::Error> {
    optional(deserializer, decode::count)
}

/// [`crate::de::percentage`] for an `Option<f64>`: blank is `None`.
///
/// ```
/// #[derive(serde::Deserialize)]
/// struct Row {
///     #[serde(default, deserialize_with = "wolkvox::de::option::percentage")]
///     occupancy: Option<f64>,
/// }
/// let row: Row = serde_json::from_str(r#"{"occupancy": "87,20 %"}"#)?;
/// assert_eq!(row.occupancy, Some(87.2));
/// let row: Row = serde_json::from_str(r#"{"occupancy": "-"}"#)?;
/// assert_eq!(row.occupancy, None);
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn percentage<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<f64>, D::Error> {
    optional(deserializer, decode::percentage)
}

/// [`crate::de::duration`] for an `Option<Duration>`: blank is `None`.
///
/// ```
/// use std::time::Duration;
/// #[derive(serde::Deserialize)]
/// struct Row {
///     #[serde(default, deserialize_with = "wolkvox::de::option::duration")]
///     acw: Option<Duration>,
/// }
/// let row: Row = serde_json::from_str(r#"{"acw": "00:00:39"}"#)?;
/// assert_eq!(row.acw, Some(Duration::from_secs(39)));
/// let row: Row = serde_json::from_str(r#"{"acw": null}"#)?;
/// assert_eq!(row.acw, None);
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn duration<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Duration>, D::Error> {
    optional(deserializer, decode::duration)
}

/// [`crate::de::datetime`] for an `Option<DateTime>`: blank is `None`.
///
/// ```
/// use jiff::civil::DateTime;
/// #[derive(serde::Deserialize)]
/// struct Row {
///     #[serde(default, deserialize_with = "wolkvox::de::option::datetime")]
///     logout: Option<DateTime>,
/// }
/// let row: Row = serde_json::from_str(r#"{"logout": ""}"#)?;
/// assert_eq!(row.logout, None);
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn datetime<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<DateTime>, D::Error> {
    optional(deserializer, decode::datetime)
}

/// [`crate::de::date`] for an `Option<Date>`: blank is `None`.
///
/// ```
/// use jiff::civil::{Date, date};
/// #[derive(serde::Deserialize)]
/// struct Row {
///     #[serde(default, deserialize_with = "wolkvox::de::option::date")]
///     date: Option<Date>,
/// }
/// let row: Row = serde_json::from_str(r#"{"date": "20260811"}"#)?;
/// assert_eq!(row.date, Some(date(2026, 8, 11)));
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Date>, D::Error> {
    optional(deserializer, decode::date)
}

/// [`crate::de::hour`] for an `Option<Time>`: blank is `None`.
///
/// ```
/// use jiff::civil::{Time, time};
/// #[derive(serde::Deserialize)]
/// struct Row {
///     #[serde(default, deserialize_with = "wolkvox::de::option::hour")]
///     hour: Option<Time>,
/// }
/// let row: Row = serde_json::from_str(r#"{"hour": "9"}"#)?;
/// assert_eq!(row.hour, Some(time(9, 0, 0, 0)));
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn hour<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Time>, D::Error> {
    optional(deserializer, decode::hour)
}

/// [`crate::de::serialize_duration`] for an `Option<Duration>`: whole seconds, or `null`.
///
/// ```
/// use std::time::Duration;
/// #[derive(serde::Serialize)]
/// struct Row {
///     #[serde(serialize_with = "wolkvox::de::option::serialize_duration")]
///     acw: Option<Duration>,
/// }
/// let json = serde_json::to_string(&Row { acw: Some(Duration::from_secs(39)) })?;
/// assert_eq!(json, r#"{"acw":39}"#);
/// assert_eq!(serde_json::to_string(&Row { acw: None })?, r#"{"acw":null}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn serialize_duration<S: Serializer>(
    duration: &Option<Duration>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match duration {
        Some(duration) => serializer.serialize_some(&duration.as_secs()),
        None => serializer.serialize_none(),
    }
}
