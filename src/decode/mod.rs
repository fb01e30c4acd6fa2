//! Decoding: from the bytes of an answer to typed rows or a typed [`Error`](crate::Error).
//!
//! - [`envelope`]: the JSON envelope and its quirks, rows streamed to a sink;
//! - [`status`]: status, `code` and message to the right error;
//! - [`rows`]: the rows of a success body, typed or JSON, bounded by [`budget`];
//! - [`row`]: the borrowed row deserializer every typed row goes through;
//! - the value decoders (`scalar`, `calendar`), re-exported here: strings to numbers,
//!   durations, dates.

pub(crate) mod budget;
mod calendar;
pub(crate) mod envelope;
#[cfg(test)]
mod proptests;
pub(crate) mod row;
pub(crate) mod rows;
mod scalar;
pub(crate) mod status;

pub(crate) use calendar::{amount, date, datetime, hour, optional, report_text};
pub(crate) use scalar::*;
