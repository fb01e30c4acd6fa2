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

mod values;

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
                "data" => {
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

fn code_of(value: Scalar<'_>) -> Code {
    match value {
        Scalar::Unsigned(n) => i64::try_from(n).map_or(Code::Absent, Code::Number),
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
        _ => Code::Absent,
    }
}

fn text_of(value: Scalar<'_>) -> String {
    match value {
        Scalar::Null | Scalar::Nested => String::new(),
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
mod tests {
    use super::*;

    /// Collects rows as owned `(name, raw)` pairs.
    #[derive(Default)]
    struct Collect(Vec<Vec<(String, String)>>);

    impl<'de> RowSink<'de> for Collect {
        fn row<A: MapAccess<'de>>(&mut self, index: usize, map: A) -> Result<(), A::Error> {
            assert_eq!(index, self.0.len());
            let fields = read_fields(map)?;
            self.0.push(
                fields
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.raw().into_owned()))
                    .collect(),
            );
            Ok(())
        }
    }

    fn rows(body: &str) -> (Envelope, Vec<Vec<(String, String)>>) {
        let mut sink = Collect::default();
        let env = parse(body.as_bytes(), &mut sink).unwrap();
        (env, sink.0)
    }

    #[test]
    fn code_as_number_string_blank_or_missing() {
        assert_eq!(rows(r#"{"code":200}"#).0.code, Code::Number(200));
        assert_eq!(rows(r#"{"code":"200"}"#).0.code, Code::Number(200));
        assert_eq!(rows(r#"{"code":" 403 "}"#).0.code.status(), Some(403));
        assert_eq!(rows(r#"{"code":""}"#).0.code, Code::Absent);
        assert_eq!(rows(r#"{"code":null}"#).0.code, Code::Absent);
        assert_eq!(rows(r#"{}"#).0.code, Code::Absent);
        assert_eq!(rows(r#"{"code":"OK"}"#).0.code, Code::Text("OK".into()));
        assert_eq!(rows(r#"{"code":200.0}"#).0.code.status(), Some(200));
        assert_eq!(rows(r#"{"code":99999}"#).0.code.status(), None);
    }

    #[test]
    fn data_shapes() {
        let (env, r) = rows(r#"{"msg":"  2 records ","data":[{"a":"1"},{"a":2}]}"#);
        assert_eq!(env.msg, "2 records");
        assert_eq!(env.rows, 2);
        assert_eq!(r[1], vec![("a".to_string(), "2".to_string())]);

        let (env, r) = rows(r#"{"data":{"a":"x"}}"#);
        assert_eq!((env.rows, r.len()), (1, 1));
        assert_eq!(rows(r#"{"data":null}"#).0.rows, 0);
        assert_eq!(rows(r#"{"data":" "}"#).0.rows, 0);
        assert_eq!(rows(r#"{"code":200}"#).0.rows, 0);
        let (env, r) = rows(r#"[{"a":"1"},{"b":"2"}]"#);
        assert_eq!((env.rows, env.code), (2, Code::Absent));
        assert_eq!(r[1][0].0, "b");
    }

    #[test]
    fn wrong_shapes_are_errors() {
        let mut sink = Collect::default();
        for body in [
            r#"{"data":"oops"}"#,
            r#"{"data":5}"#,
            r#"{"data":[[{"a":"1"}]]}"#,
            r#"{"data":["x"]}"#,
            r#""text""#,
            r#"{"data":[{"a":"1"}]"#,
            r#"{"data":[]} trailing"#,
            "",
        ] {
            assert!(parse(body.as_bytes(), &mut sink).is_err(), "{body}");
        }
    }

    #[test]
    fn errors_say_where_parsing_stopped() {
        let path = |body: &str| {
            parse(body.as_bytes(), &mut Collect::default())
                .unwrap_err()
                .path
        };
        assert_eq!(path(r#"{"data":"oops"}"#), "data");
        assert_eq!(path(r#"{"data":[{"a":"1"},["x"]]}"#), "data[1]");
        assert_eq!(path(r#"{"data":{"a":"1"},"msg":[}"#), "body");
        assert_eq!(path(r#"{"code":200,"data":[{"a":"1"},{"b""#), "data[1]");
        assert_eq!(path("<html>"), "body");
        assert_eq!(path(""), "body");
    }

    #[test]
    fn head_ignores_whatever_data_holds() {
        let head = parse_head(br#"{"code":403,"error":"FORBIDDEN","msg":" TOKEN LIMIT EXCEEDED ","data":[{"x":{"y":[1]}}]}"#).unwrap();
        assert_eq!(head.code.status(), Some(403));
        assert_eq!(head.msg, "TOKEN LIMIT EXCEEDED");
        assert_eq!(head.error.as_deref(), Some("FORBIDDEN"));
        assert!(parse_head(b"<html></html>").is_none());
        assert_eq!(
            parse_head(br#"{"code":"500","data":"x"}"#)
                .unwrap()
                .code
                .status(),
            Some(500)
        );
    }

    /// Counts rows and records the hint `parse` gives.
    #[derive(Default)]
    struct Hinted {
        expected: Option<usize>,
        rows: usize,
    }

    impl<'de> RowSink<'de> for Hinted {
        fn row<A: MapAccess<'de>>(&mut self, _index: usize, map: A) -> Result<(), A::Error> {
            read_fields(map)?;
            self.rows += 1;
            Ok(())
        }
        fn expect_rows(&mut self, rows: usize) {
            assert_eq!(self.rows, 0, "the hint comes before the rows");
            self.expected = Some(rows);
        }
    }

    #[test]
    fn msg_row_counts_are_a_capped_hint() {
        let hint = |body: &str| {
            let mut sink = Hinted::default();
            parse(body.as_bytes(), &mut sink).unwrap();
            assert_eq!(sink.rows, 3);
            sink.expected
        };
        let row =
            r#"{"conn_id":"20260812080315.4471","date":"2026-08-12 08:03:15","time_seg":"287"}"#;
        let body =
            |msg: &str| format!(r#"{{"code":200,"msg":"{msg}","data":[{row},{row},{row}]}}"#);
        assert_eq!(hint(&body("3 records were found")), Some(3));
        assert_eq!(hint(&body(" 2 RECORDS were found")), Some(2), "only a hint");
        // More rows than the body could hold at MIN_ROW_BYTES each: capped.
        let huge = body("1000000 records were found");
        assert_eq!(hint(&huge), Some(huge.len() / MIN_ROW_BYTES));
        assert_eq!(huge.len() / MIN_ROW_BYTES, 4);
        for no_count in [
            "records were found",
            "3 simultaneous requests",
            "3",
            "",
            "-3 records",
        ] {
            assert_eq!(hint(&body(no_count)), None, "{no_count:?}");
        }
        let msg_last = format!(r#"{{"data":[{row},{row},{row}],"msg":"3 records were found"}}"#);
        assert_eq!(hint(&msg_last), None);
    }

    #[test]
    fn invalid_utf8_is_an_error_at_its_row() {
        let mut body = br#"{"code":200,"data":[{"a":"1"},{"b":"x"#.to_vec();
        body.push(0xFF);
        body.extend_from_slice(br#""}]}"#);
        let error = parse(&body, &mut Collect::default()).unwrap_err();
        assert_eq!(error.path, "data[1]");
        assert!(
            error
                .source
                .to_string()
                .starts_with("invalid unicode code point"),
            "{}",
            error.source
        );
        // Escapes decode the same on both paths.
        let mut sink = Collect::default();
        parse(br#"{"data":[{"n":"caf\u00e9 \"x\""}]}"#, &mut sink).unwrap();
        assert_eq!(sink.0[0][0].1, "café \"x\"");
    }

    #[test]
    fn escaped_strings_and_nested_values() {
        let (_, r) = rows(
            r#"{"data":[{"n":"caf\u00e9","o":{"x":1},"l":[1,2],"f":1.5,"s":-3,"b":true,"z":null}]}"#,
        );
        let raw: Vec<&str> = r[0].iter().map(|(_, v)| v.as_str()).collect();
        assert_eq!(
            raw,
            [
                "café",
                "<object or array>",
                "<object or array>",
                "1.5",
                "-3",
                "true",
                "null"
            ]
        );
    }
}
