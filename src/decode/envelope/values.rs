//! The values of the wire format: the envelope's `code`, one value of a row ([`Scalar`]), a
//! field name, and a row as `(name, value)` pairs. Strings are borrowed from the body when
//! they contain no escapes.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::json::JsonSeed;
use crate::decode::budget::{self, Budget};

/// The envelope's `code`, as sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) enum Code {
    /// Missing, `null` or a blank string.
    #[default]
    Absent,
    /// A number, or a string holding one (`200`, `"200"`).
    Number(i64),
    /// A string that is not a number.
    Text(String),
    /// Something else (an object, an array, `true`, `200.5`, a number beyond `i64`): its text.
    Unreadable(String),
}

impl Code {
    /// The code as an HTTP-like status, when it is one (100..=599).
    pub(crate) fn status(&self) -> Option<u16> {
        match self {
            Code::Number(n) if (100..=599).contains(n) => u16::try_from(*n).ok(),
            _ => None,
        }
    }

    /// The code as sent, when it cannot be read as a code: not a whole number (`"200 OK"`,
    /// an object), or one outside `u16` (negative, `99999`). `None` for a readable code and
    /// for no code (missing, `null`, blank).
    pub(crate) fn unreadable(&self) -> Option<Cow<'_, str>> {
        match self {
            Code::Absent => None,
            Code::Number(n) => u16::try_from(*n).err().map(|_| Cow::Owned(n.to_string())),
            Code::Text(text) | Code::Unreadable(text) => Some(Cow::Borrowed(text)),
        }
    }
}

/// One value of a row, as the server sent it. Strings are borrowed from the body when they
/// contain no escapes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Scalar<'de> {
    /// `null`.
    Null,
    /// A JSON string.
    Str(Cow<'de, str>),
    /// A JSON integer that fits `u64`.
    Unsigned(u64),
    /// A negative JSON integer.
    Signed(i64),
    /// A JSON number with a fraction or exponent.
    Float(f64),
    /// `true` / `false`.
    Bool(bool),
    /// An object or array, skipped (only an error if a typed field expected a value here).
    Nested,
    /// An object or array kept for a caller's own type (`RealtimeRequest::send_as`): its index
    /// in the row's nested values. Only the rows read with [`read_fields_into`]`(.., Some(..))`
    /// hold one. (An index, not the value: `Scalar` stays without drop glue of its own, which
    /// every field of every row pays for.)
    Json(u32),
}

impl Scalar<'_> {
    /// The value as text for error messages.
    pub(crate) fn raw(&self) -> Cow<'_, str> {
        match self {
            Scalar::Null => Cow::Borrowed("null"),
            Scalar::Str(s) => Cow::Borrowed(s),
            Scalar::Unsigned(n) => Cow::Owned(n.to_string()),
            Scalar::Signed(n) => Cow::Owned(n.to_string()),
            Scalar::Float(n) => Cow::Owned(n.to_string()),
            Scalar::Bool(b) => Cow::Owned(b.to_string()),
            Scalar::Nested | Scalar::Json(_) => Cow::Borrowed("<object or array>"),
        }
    }
}

impl<'de> de::Deserialize<'de> for Scalar<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarVisitor { nested: None })
    }
}

/// Reads one value; an object or array is skipped ([`Scalar::Nested`]), or kept
/// ([`Scalar::Json`]) in `nested`, built under the budget.
struct ScalarVisitor<'b> {
    nested: Option<Keep<'b>>,
}

/// Where a kept nested value goes, and the budget it is built under.
struct Keep<'b> {
    budget: &'b mut Budget,
    values: &'b mut Vec<serde_json::Value>,
}

impl Keep<'_> {
    fn keep<E: de::Error>(self, value: serde_json::Value) -> Result<Scalar<'static>, E> {
        let index = u32::try_from(self.values.len())
            .map_err(|_| E::custom("too many nested values in one row"))?;
        self.values.push(value);
        Ok(Scalar::Json(index))
    }
}

impl<'de> DeserializeSeed<'de> for ScalarVisitor<'_> {
    type Value = Scalar<'de>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Scalar<'de>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ScalarVisitor<'_> {
    type Value = Scalar<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or a number")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Owned(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Scalar::Unsigned(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(if v >= 0 {
            Scalar::Unsigned(v.unsigned_abs())
        } else {
            Scalar::Signed(v)
        })
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Scalar::Float(v))
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Scalar::Bool(v))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Null)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        match self.nested {
            Some(keep) => {
                let value = JsonSeed {
                    budget: &mut *keep.budget,
                }
                .visit_seq(seq)?;
                keep.keep(value)
            }
            None => {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Scalar::Nested)
            }
        }
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        match self.nested {
            Some(keep) => {
                let value = JsonSeed {
                    budget: &mut *keep.budget,
                }
                .visit_map(map)?;
                keep.keep(value)
            }
            None => {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Scalar::Nested)
            }
        }
    }
}

/// A map key, borrowed from the body when it has no escapes.
pub(super) struct Key<'de>(pub(super) Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// The fields of one row as sent, in wire order: `(name, value)`.
pub(crate) type RawRow<'de> = [(Cow<'de, str>, Scalar<'de>)];

/// Reads every field of a row object into `(name, value)` pairs (tests; the sinks reuse one
/// buffer with [`read_fields_into`]), nested values skipped, no bound.
#[cfg(test)]
pub(crate) fn read_fields<'de, A: MapAccess<'de>>(
    map: A,
) -> Result<Vec<(Cow<'de, str>, Scalar<'de>)>, A::Error> {
    let mut fields = Vec::with_capacity(map.size_hint().unwrap_or(12));
    read_fields_into(map, &mut fields, &mut Budget::new(usize::MAX), None)?;
    Ok(fields)
}

/// Reads every field of a row object into `fields`, emptied first, as `(name, value)` pairs:
/// a sink that reads many rows reuses one buffer instead of allocating one per row.
///
/// Each field is charged to `budget` (its entry, its name and its text, see
/// [`crate::decode::budget`]) as it is read, so a row of a million fields stops early. Nested
/// values are skipped ([`Scalar::Nested`]), or kept in `nested`, emptied first, (charged as
/// built) and referred to by index ([`Scalar::Json`]).
pub(crate) fn read_fields_into<'de, A: MapAccess<'de>>(
    mut map: A,
    fields: &mut Vec<(Cow<'de, str>, Scalar<'de>)>,
    budget: &mut Budget,
    mut nested: Option<&mut Vec<serde_json::Value>>,
) -> Result<(), A::Error> {
    /// Fields charged at once: a wide row still stops early, and the common row is charged
    /// once, at its end.
    const BATCH: usize = 64;
    fields.clear();
    if let Some(values) = nested.as_deref_mut() {
        values.clear();
    }
    let mut pending = 0;
    while let Some(Key(name)) = map.next_key::<Key<'de>>()? {
        let value = map.next_value_seed(ScalarVisitor {
            nested: nested.as_deref_mut().map(|values| Keep {
                budget: &mut *budget,
                values,
            }),
        })?;
        let text = match &value {
            Scalar::Str(s) => s.len(),
            _ => 0,
        };
        pending += budget::FIELD + name.len() + text;
        fields.push((name, value));
        if fields.len() % BATCH == 0 {
            budget.charge(std::mem::take(&mut pending))?;
        }
    }
    budget.charge(pending)
}
