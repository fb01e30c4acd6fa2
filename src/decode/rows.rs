//! The row sinks: the rows of a success body, decoded while it is parsed, into typed rows
//! or JSON values. The status and envelope rules are [`super::status`]'s.

use std::borrow::Cow;

use serde::de::{DeserializeOwned, MapAccess};

use super::status::{ResponseView, Rules, read, read_with};
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

/// Decodes every row of a success response as a JSON object, as sent, under `rules`.
pub(crate) fn values_with<'a>(
    rules: Rules,
    response: impl Into<ResponseView<'a>>,
) -> Result<Vec<serde_json::Value>, Error> {
    let mut sink = ValueRows(Vec::new());
    read_with(rules, response.into(), &mut sink)?;
    Ok(sink.0)
}

/// Decodes every row of a success response into `T` through the row deserializer (no row
/// skipped), under `rules`.
pub(crate) fn deserialized_with<'a, T: DeserializeOwned>(
    rules: Rules,
    response: impl Into<ResponseView<'a>>,
) -> Result<Vec<T>, Error> {
    let mut sink = DecodedRows::new(|index, fields| row_from_fields::<T>(index, fields).map(Some));
    read_with(rules, response.into(), &mut sink)?;
    Ok(sink.rows)
}
