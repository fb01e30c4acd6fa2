//! A serde `Deserializer` over one row of a report: the `(name, value)` pairs that
//! [`crate::decode::envelope::read_fields_into`] reads, deserialized into any `T: Deserialize` without building
//! a `serde_json::Value`.
//!
//! Strings borrowed from the body stay borrowed (`visit_borrowed_str`), so a `&'de str` or
//! `Cow<'de, str>` field costs no copy. A failure becomes an [`Error::Decode`] naming the row
//! and, when the failure belongs to one value, that field and its raw value.

use std::borrow::Cow;
use std::fmt::{self, Display, Write as _};

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{
    self, Deserialize, DeserializeSeed, Deserializer, Expected, IntoDeserializer, MapAccess,
    Unexpected, Visitor,
};

use serde_json::Value;

use crate::decode::envelope::Scalar;
use crate::error::Error;

/// Deserializes row `index` (its `fields`, in wire order) into `T`.
///
/// On failure: [`Error::Decode`] with path `data[{index}].{field}` and that field's raw value
/// when a value did not fit, or path `data[{index}]` and the row's text when the failure is
/// not one field's (a missing field, a row that is not the shape `T` wants).
pub(crate) fn row_from_fields<'de, T: Deserialize<'de>>(
    index: usize,
    fields: &[(Cow<'de, str>, Scalar<'de>)],
) -> Result<T, Error> {
    T::deserialize(RowDeserializer {
        fields,
        nested: &[],
    })
    .map_err(|error| error.into_error(index, fields))
}

/// A nested value kept for the caller's type: serde_json reads it (a copy; such values are
/// rare), its error text becomes the source. Out of line, so that the common values' path
/// stays small.
#[cold]
#[inline(never)]
fn nested_seed<'de, V: DeserializeSeed<'de>>(seed: V, value: &Value) -> Result<V::Value, RowError> {
    seed.deserialize(value.clone()).map_err(de::Error::custom)
}

/// Nested value `at` (`null` if there is none: only rows read with their nested values hold a
/// [`Scalar::Json`]).
fn nested_value(nested: &[Value], at: u32) -> &Value {
    const NULL: &Value = &Value::Null;
    usize::try_from(at)
        .ok()
        .and_then(|at| nested.get(at))
        .unwrap_or(NULL)
}

/// Deserializes a row into `T`, its nested values ([`Scalar::Json`]) in `nested`, serde's
/// own error as is (for the callers that word the error themselves).
pub(crate) fn deserialize_row<'de, T: Deserialize<'de>>(
    fields: &[(Cow<'de, str>, Scalar<'de>)],
    nested: &[Value],
) -> Result<T, RowError> {
    T::deserialize(RowDeserializer { fields, nested })
}

/// The row as the JSON object it was sent as (`serde_json::Value` reads it the same way: the
/// last of two same keys wins), its nested values in `nested`. A skipped nested value
/// ([`Scalar::Nested`]) is `null`.
pub(crate) fn row_json(fields: &[(Cow<'_, str>, Scalar<'_>)], nested: &[Value]) -> Value {
    let mut row = serde_json::Map::new();
    for (name, value) in fields {
        let value = match value {
            Scalar::Null | Scalar::Nested => Value::Null,
            Scalar::Str(s) => Value::String(s.as_ref().to_owned()),
            Scalar::Unsigned(n) => Value::from(*n),
            Scalar::Signed(n) => Value::from(*n),
            Scalar::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
            Scalar::Bool(b) => Value::Bool(*b),
            Scalar::Json(at) => nested_value(nested, *at).clone(),
        };
        row.insert(name.as_ref().to_owned(), value);
    }
    Value::Object(row)
}

/// True for a summary row: a field named `id`, `name`, `*_id` or `*_name` holds `TOTAL`
/// (trimmed, any case).
pub(crate) fn is_total_row(fields: &[(Cow<'_, str>, Scalar<'_>)]) -> bool {
    // The value first: it is rarely five letters, so the name is seldom looked at.
    fields.iter().any(|(name, value)| {
        matches!(value, Scalar::Str(s) if crate::decode::trim(s).eq_ignore_ascii_case("TOTAL"))
            && (matches!(name.as_ref(), "id" | "name")
                || name.ends_with("_id")
                || name.ends_with("_name"))
    })
}

/// The message of a decode error whose details are only in the source (a custom error from a
/// field's own `Deserialize`, such as jiff's).
const VALUE_REFUSED: &str = "the field's type refused this value";
/// The same, when the failure is not one field's.
const ROW_REFUSED: &str = "the row does not fit the record type";

/// The deserializer's error: serde's text, plus what [`Error::Decode`] needs. Boxed, so that
/// the `Result`s passed up for every value of every row stay small.
#[derive(Debug)]
pub(crate) struct RowError(Box<RowErrorParts>);

#[derive(Debug)]
struct RowErrorParts {
    /// The message for [`Error::Decode`] when serde said what was expected (invalid type or
    /// value, missing field); `None` for a custom error, whose text goes to `source`.
    message: Option<String>,
    /// serde's full text (this error's Display).
    text: String,
    /// The index of the field whose key or value failed, when one did.
    field: Option<usize>,
}

impl RowError {
    fn structured(message: String, text: String) -> Self {
        RowError(Box::new(RowErrorParts {
            message: Some(message),
            text,
            field: None,
        }))
    }

    /// Blames field `index` unless a field is blamed already.
    fn at(mut self, index: usize) -> Self {
        self.0.field.get_or_insert(index);
        self
    }

    fn into_error(mut self, index: usize, fields: &[(Cow<'_, str>, Scalar<'_>)]) -> Error {
        let (path, raw, refused) = match self.0.field.and_then(|i| fields.get(i)) {
            Some((name, value)) => (
                format!("data[{index}].{name}"),
                value.raw().into_owned(),
                VALUE_REFUSED,
            ),
            None => (format!("data[{index}]"), row_text(fields), ROW_REFUSED),
        };
        match self.0.message.take() {
            Some(message) => Error::decode(path, &raw, message, None),
            None => Error::decode(path, &raw, refused, Some(Box::new(self))),
        }
    }
}

impl Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.text)
    }
}

impl std::error::Error for RowError {}

impl de::Error for RowError {
    fn custom<T: Display>(msg: T) -> Self {
        RowError(Box::new(RowErrorParts {
            message: None,
            text: msg.to_string(),
            field: None,
        }))
    }

    fn invalid_type(unexpected: Unexpected<'_>, expected: &dyn Expected) -> Self {
        RowError::structured(
            format!("expected {expected}"),
            format!("invalid type: {unexpected}, expected {expected}"),
        )
    }

    fn invalid_value(unexpected: Unexpected<'_>, expected: &dyn Expected) -> Self {
        RowError::structured(
            format!("expected {expected}"),
            format!("invalid value: {unexpected}, expected {expected}"),
        )
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        let expected = one_of(expected);
        RowError::structured(
            format!("expected {expected}"),
            format!("unknown variant `{variant}`, expected {expected}"),
        )
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        let text = format!("unknown field `{field}`, expected {}", one_of(expected));
        RowError::structured(text.clone(), text)
    }

    fn missing_field(field: &'static str) -> Self {
        let text = format!("missing field `{field}`");
        RowError::structured(text.clone(), text)
    }

    fn duplicate_field(field: &'static str) -> Self {
        let text = format!("duplicate field `{field}` (sent twice, or under two of its names)");
        RowError::structured(text.clone(), text)
    }
}

/// "one of `a`, `b`", "`a`", or "nothing" for serde's lists of names.
fn one_of(names: &[&str]) -> String {
    match names {
        [] => "nothing".to_owned(),
        [one] => format!("`{one}`"),
        many => {
            let quoted: Vec<String> = many.iter().map(|n| format!("`{n}`")).collect();
            format!("one of {}", quoted.join(", "))
        }
    }
}

/// The row as short JSON-like text, for errors that are not one field's.
fn row_text(fields: &[(Cow<'_, str>, Scalar<'_>)]) -> String {
    let mut out = String::from("{");
    for (i, (name, value)) in fields.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = match value {
            Scalar::Str(s) => write!(out, "{name:?}: {s:?}"),
            other => write!(out, "{name:?}: {}", other.raw()),
        };
        if out.len() > crate::error::SNIPPET_CHARS {
            break;
        }
    }
    out.push('}');
    out
}

/// The whole row: a map.
struct RowDeserializer<'a, 'de> {
    fields: &'a [(Cow<'de, str>, Scalar<'de>)],
    /// The values [`Scalar::Json`] refers to.
    nested: &'a [Value],
}

impl<'de> Deserializer<'de> for RowDeserializer<'_, 'de> {
    type Error = RowError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RowError> {
        visitor.visit_map(RowMap {
            fields: self.fields,
            nested: self.nested,
            next: 0,
        })
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RowError> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, RowError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RowError> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct enum identifier
    }
}

/// The fields of a row, key then value.
struct RowMap<'a, 'de> {
    fields: &'a [(Cow<'de, str>, Scalar<'de>)],
    nested: &'a [Value],
    /// The field whose key comes next; its value is `next - 1` after `next_key_seed`.
    next: usize,
}

impl<'de> MapAccess<'de> for RowMap<'_, 'de> {
    type Error = RowError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, RowError> {
        let index = self.next;
        let Some((name, _)) = self.fields.get(index) else {
            return Ok(None);
        };
        self.next += 1;
        let key = match name {
            Cow::Borrowed(name) => seed.deserialize(BorrowedStrDeserializer::new(name)),
            Cow::Owned(name) => seed.deserialize(name.as_str().into_deserializer()),
        };
        key.map(Some).map_err(|error: RowError| error.at(index))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, RowError> {
        let index = self.next.saturating_sub(1);
        let value = self.fields.get(index).map_or(&Scalar::Null, |(_, v)| v);
        let value = match value {
            Scalar::Json(at) => nested_seed(seed, nested_value(self.nested, *at)),
            value => seed.deserialize(ScalarDeserializer(value)),
        };
        value.map_err(|error| error.at(index))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.fields.len().saturating_sub(self.next))
    }
}

/// One value of a row.
pub(crate) struct ScalarDeserializer<'a, 'de>(pub(crate) &'a Scalar<'de>);

impl<'de> Deserializer<'de> for ScalarDeserializer<'_, 'de> {
    type Error = RowError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RowError> {
        match self.0 {
            Scalar::Null => visitor.visit_unit(),
            Scalar::Str(Cow::Borrowed(s)) => visitor.visit_borrowed_str(s),
            Scalar::Str(Cow::Owned(s)) => visitor.visit_str(s),
            Scalar::Unsigned(n) => visitor.visit_u64(*n),
            Scalar::Signed(n) => visitor.visit_i64(*n),
            Scalar::Float(f) => visitor.visit_f64(*f),
            Scalar::Bool(b) => visitor.visit_bool(*b),
            // A kept nested value is read by `RowMap`, which has the row's nested values.
            Scalar::Nested | Scalar::Json(_) => Err(de::Error::invalid_type(
                Unexpected::Other("an object or array"),
                &visitor,
            )),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RowError> {
        match self.0 {
            Scalar::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, RowError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, RowError> {
        match self.0 {
            Scalar::Str(Cow::Borrowed(s)) => visitor.visit_enum(BorrowedStrDeserializer::new(s)),
            Scalar::Str(Cow::Owned(s)) => visitor.visit_enum(s.as_str().into_deserializer()),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RowError> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct identifier
    }
}

#[cfg(test)]
mod tests;
