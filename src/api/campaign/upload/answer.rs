//! The answer to one `add_record` request: the counts and per-record errors of its `data`
//! (`total_registers`, `total_success`, `total_errors`, `array_errors`), read leniently: a
//! count that is not a number is ignored, never an error, and no text makes it panic.

use serde_json::Value;

use super::RecordError;
use crate::decode::envelope::SkipRows;
use crate::decode::status::{ResponseView, Rules, read_with};
use crate::engine::transport::RawResponse;
use crate::error::Error;

/// What an accepted batch's answer says.
#[derive(Debug, PartialEq)]
pub(crate) struct Added {
    /// Records added, at most the batch's size.
    pub(crate) added: usize,
    /// Per-record errors, indexes in the whole upload, in order.
    pub(crate) errors: Vec<RecordError>,
}

/// The answer to a batch of `len` records starting at index `offset` of the upload: [`Added`]
/// on success, else the error of a write (a 4xx is [`Error::Rejected`] with the body's
/// `data` as its details).
pub(crate) fn read(raw: &RawResponse, offset: usize, len: usize) -> Result<Added, Error> {
    read_with(Rules::Write, ResponseView::from(raw), &mut SkipRows)?;
    let body = raw.body.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&raw.body);
    let data = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(mut object)) => object.remove("data"),
        _ => None,
    };
    let counts = Counts::of(data.as_ref(), offset, len);
    Ok(Added {
        added: counts.added(len),
        errors: counts.errors,
    })
}

/// The per-record errors of a refusal: the `array_errors` of an [`Error::Rejected`]'s
/// details, for a batch of `len` records starting at `offset`.
pub(crate) fn rejected_records(error: &Error, offset: usize, len: usize) -> Vec<RecordError> {
    let Error::Rejected {
        details: Some(details),
        ..
    } = error
    else {
        return Vec::new();
    };
    let data = serde_json::from_str::<Value>(details).ok();
    Counts::of(data.as_ref(), offset, len).errors
}

/// The counts and errors of `data` (an array of objects, or one object).
#[derive(Debug, Default)]
struct Counts {
    registers: Option<usize>,
    success: Option<usize>,
    failed: Option<usize>,
    errors: Vec<RecordError>,
}

impl Counts {
    fn of(data: Option<&Value>, offset: usize, len: usize) -> Counts {
        let mut counts = Counts::default();
        let items: &[Value] = match data {
            Some(Value::Array(items)) => items,
            Some(object @ Value::Object(_)) => std::slice::from_ref(object),
            _ => &[],
        };
        for item in items {
            add(&mut counts.registers, count(item.get("total_registers")));
            add(&mut counts.success, count(item.get("total_success")));
            add(&mut counts.failed, count(item.get("total_errors")));
            if let Some(Value::Array(errors)) = item.get("array_errors") {
                counts
                    .errors
                    .extend(errors.iter().filter_map(|e| record_error(e, offset, len)));
            }
        }
        counts.errors.sort_by_key(|e| e.index);
        counts
    }

    /// Records added: `total_success`, else `total_registers - total_errors`, else
    /// `total_registers`, else (no count) the whole batch; at most `len`.
    fn added(&self, len: usize) -> usize {
        let added = match (self.success, self.registers, self.failed) {
            (Some(success), _, _) => success,
            (None, Some(registers), failed) => registers.saturating_sub(failed.unwrap_or(0)),
            (None, None, _) => len,
        };
        added.min(len)
    }
}

fn add(total: &mut Option<usize>, more: Option<usize>) {
    if let Some(more) = more {
        *total = Some(total.unwrap_or(0).saturating_add(more));
    }
}

/// A count sent as a number or a string of digits.
fn count(value: Option<&Value>) -> Option<usize> {
    match value? {
        Value::Number(n) => n.as_u64().and_then(|n| usize::try_from(n).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// One element of `array_errors` (`{"error": "..., object position N", "msg": "..."}`, or a
/// bare string) as a [`RecordError`], when its text names a position inside the batch.
fn record_error(value: &Value, offset: usize, len: usize) -> Option<RecordError> {
    let text = |key: &str| match value.get(key) {
        Some(Value::String(s)) => s.trim(),
        _ => "",
    };
    let (error, msg) = match value {
        Value::String(s) => (s.trim(), ""),
        _ => (text("error"), text("msg")),
    };
    let position = position(error).or_else(|| position(msg))?;
    if position >= len {
        return None;
    }
    let message = match (error.is_empty(), msg.is_empty()) {
        (false, false) => format!("{error}; {msg}"),
        (false, true) => error.to_owned(),
        _ => msg.to_owned(),
    };
    Some(RecordError::new(offset.checked_add(position)?, message))
}

/// N in "object position N" (any case, spaces, `:` or `#` before the digits); `None` when
/// the text has no such number or it does not fit a `usize`.
pub(crate) fn position(text: &str) -> Option<usize> {
    const MARKER: &str = "object position";
    // ASCII lower-casing keeps every byte offset.
    let lower = text.to_ascii_lowercase();
    let at = lower.find(MARKER)? + MARKER.len();
    let rest = lower.get(at..)?.trim_start_matches([' ', ':', '#', '\t']);
    let end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    rest.get(..end)?.parse().ok()
}
