//! The wire format: the JSON envelope Wolkvox wraps every report in, and its quirks.
//!
//! - `code` is a number, a string, `""` or missing ([`Code`]);
//! - `msg` may carry spaces around it; `error` is a string or `null`;
//! - `data` is an array, a single object, `null`, missing, or the whole body is a bare array;
//! - every value is a string, sometimes a JSON number ([`Scalar`]).
//!
//! This module only splits a body into its parts; turning values into numbers is
//! [`crate::decode`]'s job, and deciding what a status means is [`crate::decode::response`]'s.
//! Rows are handed to a [`RowSink`] one by one while the body is parsed, so a 60,000-row
//! report is never held twice.

mod json;
mod values;

pub(crate) use json::json_object;
#[cfg(test)]
pub(crate) use values::read_fields;
pub(crate) use values::{Code, RawRow, Scalar, read_fields_into};

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use values::Key;

/// The range of whole days `first` to `last`: `first` 00:00:00 to `last` 23:59:59, as
/// integrators query them (both ends inclusive).
pub(crate) fn whole_days(
    first: jiff::civil::Date,
    last: jiff::civil::Date,
) -> (jiff::civil::DateTime, jiff::civil::DateTime) {
    (
        first.to_datetime(jiff::civil::Time::midnight()),
        last.to_datetime(jiff::civil::Time::constant(23, 59, 59, 0)),
    )
}

/// `dt` as the server reads `date_ini`/`date_end`: `YYYYmmddHHMMSS` (fraction dropped).
pub(crate) fn datetime_param(dt: jiff::civil::DateTime) -> String {
    format!(
        "{:04}{:02}{:02}{:02}{:02}{:02}",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

/// Receives the rows of `data` while the body is parsed.
pub(crate) trait RowSink<'de> {
    /// When true, `data` is skipped whatever its shape (for error bodies).
    const SKIP_DATA: bool = false;

    /// Takes the row at `index` (an object); returns an error to stop parsing.
    fn row<A: MapAccess<'de>>(&mut self, index: usize, map: A) -> Result<(), A::Error>;

    /// The error the sink stopped on, when it stopped parsing itself (a row it could not
    /// take); more precise than the parser's message.
    fn take_failure(&mut self) -> Option<crate::error::Error> {
        None
    }

    /// Called before the rows when `msg`, read before `data`, announced how many there are
    /// ("50000 records were found"), at most one row per [`MIN_ROW_BYTES`] of body: room can
    /// be made for them at once. Only a hint: `data` may hold more or fewer.
    fn expect_rows(&mut self, _rows: usize) {}
}

/// The smallest row size a `msg` row count is believed for (a count announcing more rows
/// than the body could hold at this size is capped to what it could hold).
pub(crate) const MIN_ROW_BYTES: usize = 64;

/// The row count a `msg` such as `"50000 records were found"` announces.
fn announced_rows(msg: &str) -> Option<usize> {
    let mut words = msg.split_whitespace();
    let count = words.next()?.parse().ok()?;
    let unit = words.next()?.get(..6)?;
    unit.eq_ignore_ascii_case("record").then_some(count)
}

/// What the envelope said besides its rows.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Envelope {
    /// `code`.
    pub(crate) code: Code,
    /// `msg`, trimmed; empty when missing.
    pub(crate) msg: String,
    /// `error` when it is a non-blank string.
    pub(crate) error: Option<String>,
    /// How many rows `data` held.
    pub(crate) rows: usize,
}

/// A body that is not JSON, or not shaped like a report.
#[derive(Debug)]
pub(crate) struct WireError {
    /// Where parsing stopped: `body`, `data` or `data[3]`.
    pub(crate) path: String,
    /// The parser's error (with line and column).
    pub(crate) source: serde_json::Error,
}

/// Where the parser is, for error paths.
#[derive(Debug, Default, Clone, Copy)]
struct Position {
    in_data: bool,
    row: Option<usize>,
}

impl Position {
    fn path(self) -> String {
        match (self.in_data, self.row) {
            (true, Some(row)) => format!("data[{row}]"),
            (true, None) => "data".to_owned(),
            (false, _) => "body".to_owned(),
        }
    }
}

/// Parses a whole body, handing each row of `data` to `sink`.
pub(crate) fn parse<'de, S: RowSink<'de>>(
    body: &'de [u8],
    sink: &mut S,
) -> Result<Envelope, WireError> {
    // A body checked as UTF-8 once is parsed without checking each string again (which
    // `from_slice` does, at several times the cost for short values); an invalid body goes
    // through `from_slice`, so its error says where the bad bytes are.
    // A byte-order mark (PHP back ends may send one) is not JSON: skipped, once.
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    match std::str::from_utf8(body) {
        Ok(text) => parse_with(serde_json::Deserializer::from_str(text), sink, body.len()),
        Err(_) => parse_with(serde_json::Deserializer::from_slice(body), sink, body.len()),
    }
}

fn parse_with<'de, R: serde_json::de::Read<'de>, S: RowSink<'de>>(
    mut de: serde_json::Deserializer<R>,
    sink: &mut S,
    body_len: usize,
) -> Result<Envelope, WireError> {
    let mut position = Position::default();
    let result = BodySeed {
        sink,
        position: &mut position,
        max_rows: body_len / MIN_ROW_BYTES,
    }
    .deserialize(&mut de)
    .and_then(|envelope| de.end().map(|()| envelope));
    result.map_err(|source| WireError {
        path: position.path(),
        source,
    })
}

/// Parses a body for its `code`, `msg` and `error` only, skipping whatever `data` holds.
/// `None` when the body is not JSON. Used on error responses, whose `data` may be anything.
pub(crate) fn parse_head(body: &[u8]) -> Option<Envelope> {
    parse(body, &mut SkipRows).ok()
}

/// A sink that skips rows (and `data` whatever its shape).
pub(crate) struct SkipRows;

impl<'de> RowSink<'de> for SkipRows {
    const SKIP_DATA: bool = true;

    fn row<A: MapAccess<'de>>(&mut self, _index: usize, mut map: A) -> Result<(), A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(())
    }
}

struct BodySeed<'s, S> {
    sink: &'s mut S,
    position: &'s mut Position,
    /// The most rows a `msg` count is believed for.
    max_rows: usize,
}

impl<'de, S: RowSink<'de>> DeserializeSeed<'de> for BodySeed<'_, S> {
    type Value = Envelope;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Envelope, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, S: RowSink<'de>> Visitor<'de> for BodySeed<'_, S> {
    type Value = Envelope;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object with `code`, `msg` and `data`, or an array of rows")
    }

    /// A bare array: the whole body is the rows.
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Envelope, A::Error> {
        self.position.in_data = true;
        let rows = read_rows(seq, self.sink, self.position)?;
        self.position.in_data = false;
        Ok(Envelope {
            rows,
            ..Envelope::default()
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Envelope, A::Error> {
        let mut envelope = Envelope::default();
        let mut seen_data = false;
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            match key.as_ref() {
                "code" => envelope.code = code_of(map.next_value::<Scalar<'de>>()?),
                "msg" => envelope.msg = text_of(map.next_value::<Scalar<'de>>()?),
                "error" => {
                    let error = text_of(map.next_value::<Scalar<'de>>()?);
                    envelope.error = (!error.is_empty()).then_some(error);
                }
                "data" if S::SKIP_DATA => {
                    map.next_value::<IgnoredAny>()?;
                }
                "data" if seen_data => {
                    // Two `data` are no answer: joining them would make up a report.
                    self.position.in_data = true;
                    return Err(de::Error::duplicate_field("data"));
                }
                "data" => {
                    seen_data = true;
                    if let Some(rows) = announced_rows(&envelope.msg) {
                        self.sink.expect_rows(rows.min(self.max_rows));
                    }
                    self.position.in_data = true;
                    envelope.rows = map.next_value_seed(DataSeed {
                        sink: &mut *self.sink,
                        position: &mut *self.position,
                    })?;
                    *self.position = Position::default();
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(envelope)
    }
}

/// `code` as sent: `null` and a blank string are no code; anything that is not a whole
/// number is kept as text, for [`Code::unreadable`].
fn code_of(value: Scalar<'_>) -> Code {
    match value {
        Scalar::Null => Code::Absent,
        Scalar::Unsigned(n) => {
            i64::try_from(n).map_or_else(|_| Code::Unreadable(n.to_string()), Code::Number)
        }
        Scalar::Signed(n) => Code::Number(n),
        Scalar::Float(f) if f.fract() == 0.0 && f.abs() < 1e9 => Code::Number(f as i64),
        Scalar::Str(s) => {
            let s = s.trim();
            if s.is_empty() {
                Code::Absent
            } else {
                s.parse()
                    .map_or_else(|_| Code::Text(s.to_owned()), Code::Number)
            }
        }
        other => Code::Unreadable(other.raw().into_owned()),
    }
}

fn text_of(value: Scalar<'_>) -> String {
    match value {
        Scalar::Null | Scalar::Nested | Scalar::Json(_) => String::new(),
        other => other.raw().trim().to_owned(),
    }
}

/// `data`: an array of rows, one row object, `null`, or a blank string (no rows).
struct DataSeed<'s, S> {
    sink: &'s mut S,
    position: &'s mut Position,
}

impl<'de, S: RowSink<'de>> DeserializeSeed<'de> for DataSeed<'_, S> {
    type Value = usize;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, S: RowSink<'de>> Visitor<'de> for DataSeed<'_, S> {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("`data` as an array of objects, an object or null")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<usize, A::Error> {
        read_rows(seq, self.sink, self.position)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<usize, A::Error> {
        self.position.row = Some(0);
        self.sink.row(0, map)?;
        Ok(1)
    }
    fn visit_unit<E>(self) -> Result<usize, E> {
        Ok(0)
    }
    fn visit_none<E>(self) -> Result<usize, E> {
        Ok(0)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<usize, E> {
        if v.trim().is_empty() {
            Ok(0)
        } else {
            Err(E::invalid_type(de::Unexpected::Str(v), &self))
        }
    }
}

fn read_rows<'de, A: SeqAccess<'de>, S: RowSink<'de>>(
    mut seq: A,
    sink: &mut S,
    position: &mut Position,
) -> Result<usize, A::Error> {
    let mut index = 0;
    loop {
        position.row = Some(index);
        if seq
            .next_element_seed(RowSeed {
                sink: &mut *sink,
                index,
            })?
            .is_none()
        {
            break;
        }
        index += 1;
    }
    Ok(index)
}

/// One element of `data`: must be an object.
struct RowSeed<'s, S> {
    sink: &'s mut S,
    index: usize,
}

impl<'de, S: RowSink<'de>> DeserializeSeed<'de> for RowSeed<'_, S> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, S: RowSink<'de>> Visitor<'de> for RowSeed<'_, S> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a row object")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        self.sink.row(self.index, map)
    }
}

#[cfg(test)]
mod tests;
