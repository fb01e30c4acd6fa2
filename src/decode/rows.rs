//! The row sinks: the rows of a success body, decoded while it is parsed, into typed rows
//! or JSON values. The status and envelope rules are [`super::status`]'s.

use std::borrow::Cow;

use serde::de::{DeserializeOwned, MapAccess};

use super::status::{self, ResponseView};
use crate::api::realtime::rows::FromRow;
use crate::decode::RowReader;
use crate::decode::envelope::{Envelope, RawRow, RowSink, Scalar, read_fields_into};
use crate::decode::row::{is_total_row, row_from_fields};
use crate::error::Error;

/// Decodes every row of a success response into `T`.
pub(crate) fn rows<'a, T: FromRow>(
    response: impl Into<ResponseView<'a>>,
) -> Result<(Envelope, Vec<T>), Error> {
    let mut sink =
        DecodedRows::new(|index, fields| T::from_row(&RowReader::new(index, fields)).map(Some));
    let envelope = read(response.into(), &mut sink)?;
    Ok((envelope, sink.rows))
}

/// Decodes every row of a success response as a JSON object, as sent.
pub(crate) fn values<'a>(
    response: impl Into<ResponseView<'a>>,
) -> Result<Vec<serde_json::Value>, Error> {
    values_counted(response).map(|(_, rows)| rows)
}

/// Decodes every row of a success response as a JSON object, as sent, with the number of rows
/// the server sent.
pub(crate) fn values_counted<'a>(
    response: impl Into<ResponseView<'a>>,
) -> Result<(usize, Vec<serde_json::Value>), Error> {
    let mut sink = ValueRows(Vec::new());
    let envelope = read(response.into(), &mut sink)?;
    Ok((envelope.rows, sink.0))
}

/// Decodes the rows of a historical report into `T` (a `TOTAL` summary row is dropped), with
/// the number of rows the server sent (the summary row included).
pub(crate) fn report_rows<'a, T: DeserializeOwned>(
    response: impl Into<ResponseView<'a>>,
) -> Result<(usize, Vec<T>), Error> {
    let mut sink = DecodedRows::new(|index, fields| {
        if is_total_row(fields) {
            Ok(None)
        } else {
            row_from_fields::<T>(index, fields).map(Some)
        }
    });
    let envelope = read(response.into(), &mut sink)?;
    Ok((envelope.rows, sink.rows))
}

/// [`status::read`], and a success whose `code` cannot be read is an [`Error::Decode`]: a
/// body that says `"200 OK"`, `-200` or `{..}` where the code should be is no answer one can
/// trust.
fn read<'de, S: RowSink<'de>>(
    response: ResponseView<'de>,
    sink: &mut S,
) -> Result<Envelope, Error> {
    let envelope = status::read(response, sink)?;
    match envelope.code.unreadable() {
        Some(raw) => Err(Error::decode(
            "code",
            &raw,
            "expected `code` as a whole number such as 200 (or blank)",
            None,
        )),
        None => Ok(envelope),
    }
}

/// Turns row `index` into a `T`, or `None` to skip it (a `TOTAL` row).
type DecodeRow<T> = for<'r, 'de> fn(usize, &'r RawRow<'de>) -> Result<Option<T>, Error>;

/// Collects rows decoded by `decode`, keeping the first conversion error. One field buffer
/// serves every row of the response.
struct DecodedRows<'de, T> {
    rows: Vec<T>,
    /// The fields of the current row.
    fields: Vec<(Cow<'de, str>, Scalar<'de>)>,
    decode: DecodeRow<T>,
    failure: Option<Error>,
}

impl<T> DecodedRows<'_, T> {
    fn new(decode: DecodeRow<T>) -> Self {
        DecodedRows {
            rows: Vec::new(),
            fields: Vec::new(),
            decode,
            failure: None,
        }
    }
}

impl<'de, T> RowSink<'de> for DecodedRows<'de, T> {
    fn row<A: MapAccess<'de>>(&mut self, index: usize, map: A) -> Result<(), A::Error> {
        read_fields_into(map, &mut self.fields)?;
        match (self.decode)(index, &self.fields) {
            Ok(Some(row)) => {
                self.rows.push(row);
                Ok(())
            }
            Ok(None) => Ok(()),
            Err(error) => {
                // The parser stops here; `take_failure` hands the precise error to `read`.
                self.failure = Some(error);
                Err(serde::de::Error::custom("a value did not decode"))
            }
        }
    }

    fn take_failure(&mut self) -> Option<Error> {
        self.failure.take()
    }

    fn expect_rows(&mut self, rows: usize) {
        // Room for every row at once: rows grown by doubling would hold up to twice their
        // size, plus the copy, at the peak. Not having the room is no error.
        let _ = self.rows.try_reserve_exact(rows);
    }
}

/// Collects rows as JSON values.
struct ValueRows(Vec<serde_json::Value>);

impl<'de> RowSink<'de> for ValueRows {
    fn row<A: MapAccess<'de>>(&mut self, _index: usize, map: A) -> Result<(), A::Error> {
        use serde::Deserialize;
        let row =
            serde_json::Value::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
        self.0.push(row);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SkillRealtime;

    const ROW: &str = r#"{"skill_id":"101","skill_name":"X"}"#;

    fn skills(body: &str) -> Result<Vec<SkillRealtime>, Error> {
        let view = ResponseView {
            status: 200,
            retry_after: None,
            body: body.as_bytes(),
        };
        rows::<SkillRealtime>(view).map(|(_, rows)| rows)
    }

    #[test]
    fn a_body_after_a_byte_order_mark_decodes() {
        let body = format!("\u{feff}{{\"code\":200,\"data\":[{ROW}]}}");
        assert_eq!(skills(&body).unwrap()[0].skill_id, 101);
    }

    #[test]
    fn data_twice_is_a_decode_error() {
        let body = format!(r#"{{"code":200,"data":[{ROW}],"data":[{ROW}]}}"#);
        match skills(&body) {
            Err(Error::Decode { path, .. }) => assert_eq!(path, "data"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_code_that_cannot_be_read_is_a_decode_error() {
        for (code, raw) in [
            (r#"{"a":1}"#, "<object or array>"),
            (r#""200 OK""#, "200 OK"),
            ("99999", "99999"),
            ("-200", "-200"),
        ] {
            match skills(&format!(r#"{{"code":{code},"data":[{ROW}]}}"#)) {
                Err(Error::Decode {
                    path,
                    raw: got,
                    message,
                    ..
                }) => {
                    assert_eq!((path.as_str(), got.as_str()), ("code", raw), "{code}");
                    assert!(message.contains("whole number"), "{message}");
                }
                other => panic!("{code}: {other:?}"),
            }
        }
        for no_code in [r#""code":"","#, ""] {
            let body = format!(r#"{{{no_code}"data":[{ROW}]}}"#);
            assert_eq!(skills(&body).unwrap().len(), 1, "{body}");
        }
    }
}
