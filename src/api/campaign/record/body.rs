//! The body of one `add_record` request, written straight into one buffer: the JSON array of
//! the records as [`WireRecord`](super::WireRecord) serializes them, byte for byte (the same
//! escapes as `serde_json`: `"`, `\` and control characters, nothing else), without serde's
//! per-value machinery, and with its size reserved first.

use std::convert::Infallible;
use std::io::Write as _;

use super::{
    BASE_KEYS, CampaignRecord, Keys, MAX_PHONES, OPT_KEYS, PREDICTIVE_ONLY, TEL_KEYS, Value,
    WireDate, visit_fields,
};
use crate::api::campaign::CampaignKind;

/// The bytes of `records` written for `kind`, as a JSON array. An estimate of the size (the
/// values' lengths plus the keys) is reserved first, so the buffer is not grown by doubling,
/// which would hold up to twice the body, plus the copy, at its peak.
pub(crate) fn body(records: &[CampaignRecord], kind: CampaignKind) -> Vec<u8> {
    let keys = Keys::of(kind);
    let key_bytes = match kind {
        CampaignKind::Predictive => PREDICTIVE_KEY_BYTES,
        CampaignKind::Preview => PREVIEW_KEY_BYTES,
    };
    let values: usize = records.iter().map(value_bytes).sum();
    let mut out = Vec::with_capacity(2 + values + records.len() * (key_bytes + 3));
    out.push(b'[');
    for (i, record) in records.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'{');
        let mut first = true;
        let _ = visit_fields::<Infallible>(record, keys, |key, value| {
            if !first {
                out.push(b',');
            }
            first = false;
            // Keys are ASCII letters, digits and `_`: nothing to escape.
            out.push(b'"');
            out.extend_from_slice(key.as_bytes());
            out.extend_from_slice(b"\":");
            match value {
                Value::Text(text) => string(&mut out, text),
                // Writing into a Vec does not fail.
                Value::Date(Some(date)) => {
                    let _ = write!(out, "\"{}\"", WireDate(date));
                }
                Value::Agent(Some(id)) => {
                    let _ = write!(out, "\"{id}\"");
                }
                Value::Date(None) | Value::Agent(None) => out.extend_from_slice(b"\"\""),
            }
            Ok(())
        });
        out.push(b'}');
    }
    out.push(b']');
    out
}

/// Bytes a JSON string cannot hold as they are: `"`, `\\` and the control characters.
const NEEDS_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = true;
        byte += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

/// `text` as a JSON string, escaped as `serde_json` escapes it.
fn string(out: &mut Vec<u8>, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        if !NEEDS_ESCAPE[usize::from(byte)] {
            continue;
        }
        out.extend_from_slice(&bytes[start..i]);
        let named: &[u8] = match byte {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            _ => &[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(byte >> 4)],
                HEX[usize::from(byte & 0xf)],
            ],
        };
        out.extend_from_slice(named);
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// The bytes every record spends on its keys and punctuation (`"key":"",` per key).
const fn key_bytes(keys: &[&str]) -> usize {
    let mut total = 0;
    let mut i = 0;
    while i < keys.len() {
        total += keys[i].len() + 6;
        i += 1;
    }
    total
}

const PREDICTIVE_KEY_BYTES: usize = key_bytes(&BASE_KEYS)
    + key_bytes(&OPT_KEYS)
    + key_bytes(&TEL_KEYS)
    + key_bytes(&PREDICTIVE_ONLY);
const PREVIEW_KEY_BYTES: usize =
    key_bytes(&BASE_KEYS) + key_bytes(&OPT_KEYS) + key_bytes(&TEL_KEYS) + key_bytes(&["agent_id"]);

/// The bytes of a record's values, unescaped (what most values are).
fn value_bytes(r: &CampaignRecord) -> usize {
    let texts = [
        &r.customer_name,
        &r.customer_last_name,
        &r.id_type,
        &r.customer_id,
        &r.age,
        &r.gender,
        &r.country,
        &r.state,
        &r.city,
        &r.zone,
        &r.address,
        &r.email,
        &r.tel_extra,
        &r.recall_telephone,
    ];
    let fixed =
        if r.recall_date.is_some() { 14 } else { 0 } + if r.agent_id.is_some() { 10 } else { 0 };
    texts.iter().map(|s| s.len()).sum::<usize>()
        + r.options.iter().map(String::len).sum::<usize>()
        + r.phones
            .iter()
            .take(MAX_PHONES)
            .map(String::len)
            .sum::<usize>()
        + fixed
}
