//! `serde_json::Value`s built under a [`Budget`]: the rows of `send()` and `windows()`, and
//! the nested values a caller's own type may want. The same values `Value::deserialize`
//! builds, except that building stops as soon as the budget is spent.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::decode::budget::{self, Budget};

/// Reads one row object as a JSON object.
pub(crate) fn json_object<'de, A: MapAccess<'de>>(
    map: A,
    budget: &mut Budget,
) -> Result<Value, A::Error> {
    JsonSeed { budget }.visit_map(map)
}

/// One JSON value of any shape.
pub(crate) struct JsonSeed<'b> {
    pub(crate) budget: &'b mut Budget,
}

impl<'de> DeserializeSeed<'de> for JsonSeed<'_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for JsonSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        self.budget.charge(v.len())?;
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        self.budget.charge(v.len())?;
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut values = Vec::new();
        while let Some(value) = seq.next_element_seed(JsonSeed {
            budget: &mut *self.budget,
        })? {
            self.budget.charge(budget::ELEMENT)?;
            values.push(value);
        }
        Ok(Value::Array(values))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut values = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let node = if values.is_empty() { budget::OBJECT } else { 0 };
            self.budget.charge(node + budget::ENTRY + key.len())?;
            let value = map.next_value_seed(JsonSeed {
                budget: &mut *self.budget,
            })?;
            values.insert(key, value);
        }
        Ok(Value::Object(values))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(text: &str, limit: usize) -> Result<(Value, usize), String> {
        let mut budget = Budget::new(limit);
        let mut de = serde_json::Deserializer::from_str(text);
        let value = JsonSeed {
            budget: &mut budget,
        }
        .deserialize(&mut de)
        .map_err(|e| e.to_string())?;
        Ok((value, budget.used()))
    }

    #[test]
    fn builds_what_value_deserialize_builds() {
        for text in [
            r#"{"a":"1","b":[1,-2,2.5,true,null,{"c":{}}],"a":"last","é\n":"\u00e9"}"#,
            "[]",
            "{}",
            r#""x""#,
            "18446744073709551615",
            "-9223372036854775808",
            "1e300",
        ] {
            let want: Value = serde_json::from_str(text).unwrap();
            assert_eq!(build(text, usize::MAX).unwrap().0, want, "{text}");
        }
    }

    #[test]
    fn charges_what_it_builds_and_stops_at_the_limit() {
        assert_eq!(build("{}", 0).unwrap().1, 0);
        assert_eq!(
            build(r#"{"ab":"xyz","c":"d"}"#, usize::MAX).unwrap().1,
            budget::OBJECT + 2 * budget::ENTRY + 2 + 3 + 1 + 1
        );
        assert_eq!(build("[1,2]", usize::MAX).unwrap().1, 2 * budget::ELEMENT);
        let huge = format!("[{}1]", "1,".repeat(10_000));
        let error = build(&huge, 100 * budget::ELEMENT).unwrap_err();
        assert!(
            error.starts_with("the decoded rows would take more than"),
            "{error}"
        );
    }
}
