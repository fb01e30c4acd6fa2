//! The bound on what the rows of one answer may take in memory once decoded.
//!
//! `max_response_bytes` bounds the body, not what it becomes: a row takes several times its
//! text once decoded (a `serde_json::Value` row of short fields about 8 to 12 times, a
//! one-field row 50 times, an empty `{}` into a 300-byte record 100 times). So every sink
//! charges what it builds to a [`Budget`] while the body is parsed, and parsing stops with
//! [`Error::Decode`] when the rows would take more than [`DECODED_LIMIT`]: the memory is
//! never allocated.
//!
//! The charges are an estimate on the high side (measured against a counting allocator):
//!
//! | what | charged |
//! |---|---|
//! | the rows vector | its capacity times the row's size, as it grows |
//! | a field of a typed row | [`FIELD`] plus its name's and its string value's length (the field buffer's entry, a copy of the text) |
//! | a JSON object (a row, or nested) | [`OBJECT`] once it has a key (a B-tree node), [`ENTRY`] plus the key's length per key |
//! | a JSON array | [`ELEMENT`] per element |
//! | a JSON string | its length |

use serde::de;

use crate::error::Error;

/// The most the rows of one answer may take once decoded, estimated: 1 GiB.
///
/// The vendor sends at most 60,000 records per call; 60,000 rows of 100 fields fit, as JSON
/// or typed (about 0.9 GiB estimated for JSON rows with short values, far less typed).
pub(crate) const DECODED_LIMIT: usize = 1 << 30;

/// A field of a typed row.
pub(crate) const FIELD: usize = 64;
/// A non-empty JSON object: one B-tree node (`BTreeMap<String, Value>` leaves are 640 bytes).
pub(crate) const OBJECT: usize = 640;
/// A key of a JSON object: its share of the tree, the key's `String` and the `Value`.
pub(crate) const ENTRY: usize = 128;
/// An element of a JSON array (a `Value`, in a vector grown by doubling).
pub(crate) const ELEMENT: usize = 64;

/// What is left of the bound for one answer.
#[derive(Debug)]
pub(crate) struct Budget {
    limit: usize,
    left: usize,
    exceeded: bool,
}

impl Budget {
    /// A budget of `limit` bytes.
    pub(crate) fn new(limit: usize) -> Self {
        Budget {
            limit,
            left: limit,
            exceeded: false,
        }
    }

    /// Takes `bytes` from the budget, or fails (and stays failed) when fewer are left: the
    /// parser stops at once, and [`Budget::exceeded`] tells the sink why.
    #[inline]
    pub(crate) fn charge<E: de::Error>(&mut self, bytes: usize) -> Result<(), E> {
        match self.left.checked_sub(bytes) {
            Some(left) if !self.exceeded => {
                self.left = left;
                Ok(())
            }
            _ => Err(self.exceed()),
        }
    }

    #[cold]
    #[inline(never)]
    fn exceed<E: de::Error>(&mut self) -> E {
        self.exceeded = true;
        self.left = 0;
        E::custom(format_args!(
            "the decoded rows would take more than {} bytes",
            self.limit
        ))
    }

    /// How many bytes are left.
    pub(crate) fn left(&self) -> usize {
        self.left
    }

    /// How many bytes were charged.
    #[cfg(test)]
    pub(crate) fn used(&self) -> usize {
        self.limit - self.left
    }

    /// True once a charge did not fit.
    pub(crate) fn exceeded(&self) -> bool {
        self.exceeded
    }

    /// The error of an answer whose rows did not fit, found at row `index`.
    ///
    /// A [`Error::Decode`], not [`Error::ResponseTooLarge`]: the body was within
    /// `max_response_bytes` (raising it would not help), and like any other answer that
    /// cannot be decoded it must not be retried.
    pub(crate) fn error(&self, index: usize) -> Error {
        Error::decode(
            format!("data[{index}]"),
            "",
            format!(
                "the rows would take more than {} MiB of memory once decoded (estimated \
                 while reading, stopped at this row); ask for fewer rows at a time, e.g. a \
                 shorter range",
                self.limit >> 20
            ),
            None,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charges_until_the_limit_then_stays_exceeded() {
        let mut budget = Budget::new(100);
        assert!(budget.charge::<de::value::Error>(60).is_ok());
        assert!(budget.charge::<de::value::Error>(40).is_ok());
        assert_eq!(
            (budget.left(), budget.used(), budget.exceeded()),
            (0, 100, false)
        );
        let error = budget.charge::<de::value::Error>(1).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the decoded rows would take more than 100 bytes"
        );
        assert!(budget.exceeded());
        assert!(
            budget.charge::<de::value::Error>(0).is_err(),
            "stays failed"
        );
        match Budget::new(3 << 20).error(7) {
            Error::Decode {
                path, raw, message, ..
            } => {
                assert_eq!((path.as_str(), raw.as_str()), ("data[7]", ""));
                assert!(
                    message.starts_with("the rows would take more than 3 MiB"),
                    "{message}"
                );
            }
            other => panic!("{other:?}"),
        }
    }
}
