//! The rows of a success body, decoded while it is parsed: every typed row through serde and
//! the borrowed row deserializer ([`crate::decode::row`]), or JSON objects as sent. The status
//! and envelope rules are [`super::status`]'s; every function here answers its errors.
//!
//! | function | rows | a row that does not fit |
//! |---|---|---|
//! | [`typed`] | every row into `T` (`SkillRealtime`, `AgentRealtime`) | `data[i].field`, its raw value |
//! | [`report`] | every row into `T`, a `TOTAL` summary row dropped | `data[i].field`, its raw value |
//! | [`requested`] | every row into the caller's `T` (`RealtimeRequest::send_as`), nested values too | `data[i]`, the row as JSON, the type |
//! | [`json`] | every row as a JSON object, as sent | - |
//!
//! What the rows take once decoded is bounded ([`crate::decode::budget`]).

use std::borrow::Cow;
use std::mem::size_of;

use serde::de::{self, DeserializeOwned, MapAccess};
use serde_json::Value;

use super::budget::{Budget, DECODED_LIMIT};
use super::status::{self, ResponseView, Rules};
use crate::decode::envelope::{Envelope, RawRow, RowSink, Scalar, json_object, read_fields_into};
use crate::decode::row::{deserialize_row, is_total_row, row_from_fields, row_json};
use crate::error::Error;

/// The rows of one answer and what its envelope said.
#[derive(Debug)]
pub(crate) struct Decoded<T> {
    /// The envelope; `envelope.rows` is how many rows the server sent.
    pub(crate) envelope: Envelope,
    /// The rows kept, in the order sent.
    pub(crate) rows: Vec<T>,
}

impl<T> Decoded<T> {
    /// How many rows the server sent (a dropped `TOTAL` row included).
    pub(crate) fn sent(&self) -> usize {
        self.envelope.rows
    }
}

/// Every row into `T`; a value that does not fit is an [`Error::Decode`] naming
/// `data[i].field` and its raw value.
pub(crate) fn typed<'a, T: DeserializeOwned>(
    response: impl Into<ResponseView<'a>>,
) -> Result<Decoded<T>, Error> {
    let sink = FieldRows::new(
        |index, fields, _| row_from_fields(index, fields).map(Some),
        false,
    );
    collect(response.into(), sink, DECODED_LIMIT)
}

/// Every row of a historical report into `T`, a `TOTAL` summary row dropped; errors as
/// [`typed`].
pub(crate) fn report<'a, T: DeserializeOwned>(
    response: impl Into<ResponseView<'a>>,
) -> Result<Decoded<T>, Error> {
    collect(response.into(), report_sink(), DECODED_LIMIT)
}

/// Every row into a type the caller named (`RealtimeRequest::send_as`), nested values
/// included; a row that does not fit is an [`Error::Decode`] at `data[i]` with the row as
/// JSON, naming the type, serde's words as the source.
pub(crate) fn requested<'a, T: DeserializeOwned>(
    response: impl Into<ResponseView<'a>>,
) -> Result<Decoded<T>, Error> {
    let sink = FieldRows::new(requested_row::<T>, true);
    collect(response.into(), sink, DECODED_LIMIT)
}

/// Every row as a JSON object, exactly as sent.
pub(crate) fn json<'a>(response: impl Into<ResponseView<'a>>) -> Result<Decoded<Value>, Error> {
    collect(response.into(), JsonRows, DECODED_LIMIT)
}

/// [`json`] under the failure rules of reads or writes (`client.call(..).rows()`).
pub(crate) fn json_with<'a>(
    rules: Rules,
    response: impl Into<ResponseView<'a>>,
) -> Result<Decoded<Value>, Error> {
    collect_with(rules, response.into(), JsonRows, DECODED_LIMIT)
}

/// [`requested`] under the failure rules of reads or writes (`client.call(..).rows_as()`).
pub(crate) fn requested_with<'a, T: DeserializeOwned>(
    rules: Rules,
    response: impl Into<ResponseView<'a>>,
) -> Result<Decoded<T>, Error> {
    let sink = FieldRows::new(requested_row::<T>, true);
    collect_with(rules, response.into(), sink, DECODED_LIMIT)
}

fn report_sink<'de, T: DeserializeOwned>() -> FieldRows<'de, T> {
    FieldRows::new(
        |index, fields, _| {
            if is_total_row(fields) {
                Ok(None)
            } else {
                row_from_fields::<T>(index, fields).map(Some)
            }
        },
        false,
    )
}

fn requested_row<T: DeserializeOwned>(
    index: usize,
    fields: &RawRow<'_>,
    nested: &[Value],
) -> Result<Option<T>, Error> {
    deserialize_row::<T>(fields, nested)
        .map(Some)
        .map_err(|error| {
            Error::decode(
                format!("data[{index}]"),
                &row_json(fields, nested).to_string(),
                format!(
                    "the row does not fit the requested type {}",
                    std::any::type_name::<T>()
                ),
                Some(Box::new(error)),
            )
        })
}

/// Reads the body with `sink`, the rows bounded by `limit` bytes once decoded.
fn collect<'de, T, S: Sink<'de, T>>(
    response: ResponseView<'de>,
    sink: S,
    limit: usize,
) -> Result<Decoded<T>, Error> {
    collect_with(Rules::Read, response, sink, limit)
}

/// [`collect`] under the failure rules of reads or writes.
fn collect_with<'de, T, S: Sink<'de, T>>(
    rules: Rules,
    response: ResponseView<'de>,
    sink: S,
    limit: usize,
) -> Result<Decoded<T>, Error> {
    let mut reader = Reader {
        sink,
        out: Collected {
            rows: Vec::new(),
            budget: Budget::new(limit),
            failure: None,
        },
    };
    let envelope = read(rules, response, &mut reader)?;
    Ok(Decoded {
        envelope,
        rows: reader.out.rows,
    })
}

/// [`status::read_with`], and a success whose `code` cannot be read is an [`Error::Decode`]: a
/// body that says `"200 OK"`, `-200` or `{..}` where the code should be is no answer one can
/// trust.
fn read<'de, S: RowSink<'de>>(
    rules: Rules,
    response: ResponseView<'de>,
    sink: &mut S,
) -> Result<Envelope, Error> {
    let envelope = status::read_with(rules, response, sink)?;
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

/// The rows read so far, what is left of the budget, and the error that stopped the parser
/// (more precise than the parser's message).
struct Collected<T> {
    rows: Vec<T>,
    budget: Budget,
    failure: Option<Error>,
}

impl<T> Collected<T> {
    /// Keeps row `index`, charging the vector's growth.
    fn push<E: de::Error>(&mut self, index: usize, row: T) -> Result<(), E> {
        let before = self.rows.capacity();
        self.rows.push(row);
        let grown = self.rows.capacity() - before;
        if grown > 0 {
            self.budget
                .charge(grown.saturating_mul(size_of::<T>()))
                .map_err(|error| self.fail(index, error))?;
        }
        Ok(())
    }

    /// The parser's `error` at row `index`, noting the budget's error when that was the cause.
    fn fail<E>(&mut self, index: usize, error: E) -> E {
        if self.budget.exceeded() && self.failure.is_none() {
            self.failure = Some(self.budget.error(index));
        }
        error
    }

    /// Room for `rows` rows at once (as many as the budget allows): rows grown by doubling
    /// would hold up to twice their size, plus the copy, at the peak. No room is no error.
    fn reserve(&mut self, rows: usize) {
        let size = size_of::<T>().max(1);
        let rows = rows.min(self.budget.left() / size);
        if self.rows.try_reserve_exact(rows).is_ok() {
            let _ = self
                .budget
                .charge::<de::value::Error>(self.rows.capacity().saturating_mul(size_of::<T>()));
        }
    }
}

/// Reads one row into `out`.
trait Sink<'de, T> {
    fn row<A: MapAccess<'de>>(
        &mut self,
        out: &mut Collected<T>,
        index: usize,
        map: A,
    ) -> Result<(), A::Error>;
}

/// A [`Sink`] with the rows it collects: what the envelope parser reads into.
struct Reader<S, T> {
    sink: S,
    out: Collected<T>,
}

impl<'de, T, S: Sink<'de, T>> RowSink<'de> for Reader<S, T> {
    fn row<A: MapAccess<'de>>(&mut self, index: usize, map: A) -> Result<(), A::Error> {
        self.sink.row(&mut self.out, index, map)
    }

    fn take_failure(&mut self) -> Option<Error> {
        self.out.failure.take()
    }

    fn expect_rows(&mut self, rows: usize) {
        self.out.reserve(rows);
    }
}

/// Turns row `index` (its fields, and the nested values they refer to) into a `T`, or `None`
/// to skip it (a `TOTAL` row).
type DecodeRow<T> =
    for<'r, 'de> fn(usize, &'r RawRow<'de>, &'r [Value]) -> Result<Option<T>, Error>;

/// Rows read as `(name, value)` pairs into one buffer, then decoded by `decode`.
struct FieldRows<'de, T> {
    /// The fields of the current row.
    fields: Vec<(Cow<'de, str>, Scalar<'de>)>,
    /// The nested values of the current row, when they are kept for `decode` (else skipped).
    nested: Option<Vec<Value>>,
    decode: DecodeRow<T>,
}

impl<T> FieldRows<'_, T> {
    fn new(decode: DecodeRow<T>, keep_nested: bool) -> Self {
        FieldRows {
            fields: Vec::new(),
            nested: keep_nested.then(Vec::new),
            decode,
        }
    }
}

impl<'de, T> Sink<'de, T> for FieldRows<'de, T> {
    fn row<A: MapAccess<'de>>(
        &mut self,
        out: &mut Collected<T>,
        index: usize,
        map: A,
    ) -> Result<(), A::Error> {
        read_fields_into(map, &mut self.fields, &mut out.budget, self.nested.as_mut())
            .map_err(|error| out.fail(index, error))?;
        let nested = self.nested.as_deref().unwrap_or_default();
        match (self.decode)(index, &self.fields, nested) {
            Ok(Some(row)) => out.push(index, row),
            Ok(None) => Ok(()),
            Err(error) => {
                // The parser stops here; `take_failure` hands the precise error to `read`.
                out.failure = Some(error);
                Err(de::Error::custom("a value did not decode"))
            }
        }
    }
}

/// Rows read as JSON objects.
struct JsonRows;

impl<'de> Sink<'de, Value> for JsonRows {
    fn row<A: MapAccess<'de>>(
        &mut self,
        out: &mut Collected<Value>,
        index: usize,
        map: A,
    ) -> Result<(), A::Error> {
        match json_object(map, &mut out.budget) {
            Ok(row) => out.push(index, row),
            Err(error) => Err(out.fail(index, error)),
        }
    }
}

#[cfg(test)]
mod tests;
