//! `Deserialize` for [`CampaignRecord`]: the upload's keys and the export's Spanish keys, read
//! leniently (see the type's documentation).

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};

use super::{CampaignRecord, MAX_PHONES};
use crate::de::Lenient;
use crate::decode::envelope::Scalar;
use crate::decode::{self, Expected};

/// The field a key fills.
enum Field {
    Id,
    Text(fn(&mut CampaignRecord) -> &mut String),
    Option(usize),
    Phone(usize),
    RecallDate,
    AgentId,
    Ignored,
}

impl Field {
    fn of(key: &str) -> Field {
        let text = |slot: fn(&mut CampaignRecord) -> &mut String| Field::Text(slot);
        match key {
            "customer_id" | "id_cliente" => Field::Id,
            "customer_name" | "nombre_cliente" => text(|r| &mut r.customer_name),
            "customer_last_name" | "apellido_cliente" => text(|r| &mut r.customer_last_name),
            "id_type" | "tipo_doc" => text(|r| &mut r.id_type),
            "age" | "edad" => text(|r| &mut r.age),
            "gender" | "sexo" => text(|r| &mut r.gender),
            "country" | "pais" => text(|r| &mut r.country),
            "state" | "departamento" => text(|r| &mut r.state),
            "city" | "ciudad" => text(|r| &mut r.city),
            "zone" | "zona" => text(|r| &mut r.zone),
            "address" | "direccion" => text(|r| &mut r.address),
            "email" => text(|r| &mut r.email),
            "tel_extra" => text(|r| &mut r.tel_extra),
            "recall_telephone" | "rellamada_tel" => text(|r| &mut r.recall_telephone),
            "recall_date" | "rellamada" => Field::RecallDate,
            "agent_id" | "id_agent" => Field::AgentId,
            other => numbered(other, "opt", 12)
                .map(Field::Option)
                .or_else(|| numbered(other, "tel", MAX_PHONES).map(Field::Phone))
                .unwrap_or(Field::Ignored),
        }
    }
}

/// The 0-based index of `{prefix}{n}` for `n` in `1..=max` (no leading zero).
fn numbered(key: &str, prefix: &str, max: usize) -> Option<usize> {
    let digits = key.strip_prefix(prefix)?;
    if digits.is_empty() || digits.starts_with('0') || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: usize = digits.parse().ok()?;
    (1..=max).contains(&n).then(|| n - 1)
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FieldVisitor;
        impl Visitor<'_> for FieldVisitor {
            type Value = Field;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a record key")
            }
            fn visit_str<E: de::Error>(self, key: &str) -> Result<Field, E> {
                Ok(Field::of(key))
            }
            fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<Field, E> {
                Ok(std::str::from_utf8(key).map_or(Field::Ignored, Field::of))
            }
        }
        deserializer.deserialize_identifier(FieldVisitor)
    }
}

const RECALL_DATE: Expected = "a date and time as YYYYmmddHHiiss or YYYY-MM-DD HH:MM:SS";
const AGENT_ID: Expected = "a numeric agent id";

/// `recall_date`: blank or all zeros (a recall reset) is `None`.
fn recall_date(value: &Scalar<'_>) -> Result<Option<jiff::civil::DateTime>, Expected> {
    if let Scalar::Str(s) = value {
        let s = s.trim();
        if !s.is_empty() && s.bytes().all(|b| b == b'0') {
            return Ok(None);
        }
    }
    if matches!(value, Scalar::Unsigned(0)) {
        return Ok(None);
    }
    decode::optional(value, decode::datetime).map_err(|_| RECALL_DATE)
}

/// `agent_id`: blank is `None`.
fn agent_id(value: &Scalar<'_>) -> Result<Option<u32>, Expected> {
    decode::optional(value, decode::id).map_err(|_| AGENT_ID)
}

impl<'de> Deserialize<'de> for CampaignRecord {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(RecordVisitor)
    }
}

struct RecordVisitor;

impl<'de> Visitor<'de> for RecordVisitor {
    type Value = CampaignRecord;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a campaign record (an object with customer_id or id_cliente)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<CampaignRecord, A::Error> {
        let mut record = CampaignRecord::default();
        let mut has_id = false;
        let mut phones: [String; MAX_PHONES] = Default::default();
        while let Some(field) = map.next_key::<Field>()? {
            match field {
                Field::Id => {
                    record.customer_id = map.next_value_seed(Lenient(decode::text))?;
                    has_id = true;
                }
                Field::Text(slot) => {
                    *slot(&mut record) = map.next_value_seed(Lenient(decode::text))?
                }
                Field::Option(i) => {
                    record.options[i] = map.next_value_seed(Lenient(decode::text))?
                }
                Field::Phone(i) => phones[i] = map.next_value_seed(Lenient(decode::text))?,
                Field::RecallDate => {
                    record.recall_date = map.next_value_seed(Lenient(recall_date))?
                }
                Field::AgentId => record.agent_id = map.next_value_seed(Lenient(agent_id))?,
                Field::Ignored => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if !has_id {
            return Err(de::Error::missing_field("customer_id"));
        }
        let used = phones
            .iter()
            .rposition(|p| !p.is_empty())
            .map_or(0, |last| last + 1);
        record.phones = phones.into_iter().take(used).collect();
        Ok(record)
    }
}
