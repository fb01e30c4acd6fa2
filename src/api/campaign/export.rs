//! `campaign.php?api=campaign_15`: the campaign's records, as `records()` returns them and
//! `reconcile` checks them.
//!
//! The documented answer has `code`, `total_records`, `campaign_id` and `records[]` at the top
//! level, without `data`, `error` or `msg`; the usual envelope is accepted too (`data` as the
//! array of records, or as an object holding `records`), and so is a bare array.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{
    self, Deserialize, DeserializeOwned, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor,
};

use crate::decode::envelope::SkipRows;
use crate::decode::status::{ResponseView, Rules, read_with};
use crate::engine::transport::RawResponse;
use crate::error::Error;

/// Only the id of an exported record (`reconcile` needs nothing else).
#[derive(Debug)]
pub(crate) struct IdOnly(pub(crate) String);

impl<'de> Deserialize<'de> for IdOnly {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IdVisitor;
        impl<'de> Visitor<'de> for IdVisitor {
            type Value = IdOnly;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a campaign record with id_cliente or customer_id")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<IdOnly, A::Error> {
                let mut id = None;
                while let Some(key) = map.next_key::<Key>()? {
                    if key == Key::Id {
                        id = Some(map.next_value_seed(crate::de::Lenient(crate::decode::text))?);
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                id.map(IdOnly)
                    .ok_or_else(|| de::Error::missing_field("id_cliente"))
            }
        }
        deserializer.deserialize_map(IdVisitor)
    }
}

/// The records of a `campaign_15` answer, decoded into `T`. A 404 whose message says the
/// campaign does not exist is [`Error::NotFound`]; any other 404 ("no data") is no records.
/// A `total_records` above the records received is [`Error::Decode`]: the list was cut, and
/// a record not in it may still be in the campaign.
pub(crate) fn read<T: DeserializeOwned>(raw: &RawResponse) -> Result<Vec<T>, Error> {
    match read_with(Rules::Read, ResponseView::from(raw), &mut SkipRows) {
        Ok(_) => {}
        Err(Error::NotFound { message, .. })
            if !message.to_ascii_lowercase().contains("does not exist") =>
        {
            return Ok(Vec::new());
        }
        Err(error) => return Err(error),
    }
    let body = raw.body.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&raw.body);
    let export: Export<T> = serde_json::from_slice(body).map_err(|error| {
        Error::decode(
            "records",
            &String::from_utf8_lossy(body),
            "expected the campaign's records (campaign_15)",
            Some(Box::new(error)),
        )
    })?;
    if let Some(total) = export.total {
        if total > export.records.len() as u64 {
            return Err(Error::decode(
                "total_records",
                &total.to_string(),
                format!(
                    "the export announces {total} records but lists {}: the list was cut, \
                     so it cannot tell which records are in the campaign",
                    export.records.len()
                ),
                None,
            ));
        }
    }
    Ok(export.records)
}

/// The keys an export is read by, matched without a copy.
#[derive(Debug, PartialEq, Eq)]
enum Key {
    /// `id_cliente` or `customer_id`.
    Id,
    /// `records` or `data`.
    Records,
    /// `total_records`.
    Total,
    Other,
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
                Ok(match key {
                    "id_cliente" | "customer_id" => Key::Id,
                    "records" | "data" => Key::Records,
                    "total_records" => Key::Total,
                    _ => Key::Other,
                })
            }
        }
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

/// The records and the announced total of an export.
struct Export<T> {
    records: Vec<T>,
    total: Option<u64>,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Export<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ExportVisitor(PhantomData))
    }
}

struct ExportVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ExportVisitor<T> {
    type Value = Export<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object with `records` (or `data`), or an array of records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Export<T>, A::Error> {
        Ok(Export {
            records: Records::<T>::deserialize(de::value::SeqAccessDeserializer::new(seq))?.0,
            total: None,
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Export<T>, A::Error> {
        let mut records = Vec::new();
        let mut total = None;
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Records => records.extend(map.next_value::<Records<T>>()?.0),
                Key::Total => {
                    total = map
                        .next_value_seed(crate::de::Lenient(crate::decode::count))
                        .ok()
                        .map(u64::from);
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Export { records, total })
    }
}

/// Records: an array, an object holding `records` (or one record), `null` or `""`.
struct Records<T>(Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Records<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RecordsVisitor(PhantomData))
    }
}

struct RecordsVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for RecordsVisitor<T> {
    type Value = Records<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Records<T>, A::Error> {
        let mut records = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(65_536));
        while let Some(record) = seq.next_element()? {
            records.push(record);
        }
        Ok(Records(records))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Records<T>, A::Error> {
        // `{"records": [...], ...}` inside `data`.
        let inner = ExportVisitor::<T>(PhantomData).visit_map(map)?;
        Ok(Records(inner.records))
    }

    fn visit_unit<E>(self) -> Result<Records<T>, E> {
        Ok(Records(Vec::new()))
    }

    fn visit_none<E>(self) -> Result<Records<T>, E> {
        Ok(Records(Vec::new()))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Records<T>, E> {
        if v.trim().is_empty() {
            Ok(Records(Vec::new()))
        } else {
            Err(E::invalid_type(de::Unexpected::Str(v), &self))
        }
    }
}
