//! What a follow remembers of the rows it delivered: a fingerprint per row, kept per window
//! read, for as long as that window's span may be read again (the lookback).
//!
//! A row's fingerprint is a 64-bit hash of its JSON serialization (the typed row's, for
//! `windows_as::<T>()`): stable across runs and versions of the crate, since it is stored in
//! checkpoints. Two different rows share one with a probability of about n² / 2⁶⁵ for n rows
//! remembered (below 10⁻¹¹ for a day of `cdr_1`).

use std::io;
use std::sync::Arc;

use jiff::civil::DateTime;
use serde::Serialize;

use crate::api::reports::checkpoint::SeenSpan;

/// The rows delivered, per window still inside the lookback.
#[derive(Debug, Default)]
pub(super) struct Memory {
    spans: Vec<SeenSpan>,
}

impl Memory {
    /// The memory a checkpoint carried.
    pub(super) fn from_spans(mut spans: Vec<SeenSpan>) -> Self {
        for span in &mut spans {
            span.tick = 0;
        }
        Memory { spans }
    }

    /// The spans, for a checkpoint.
    pub(super) fn spans(&self) -> &[SeenSpan] {
        &self.spans
    }

    /// How many row fingerprints are held.
    pub(super) fn len(&self) -> usize {
        self.spans.iter().map(|span| span.rows.len()).sum()
    }

    /// Whether some remembered span overlaps `from..=to` (rows there may have been delivered).
    pub(super) fn overlaps(&self, from: DateTime, to: DateTime) -> bool {
        self.spans.iter().any(|s| s.from <= to && from <= s.to)
    }

    /// Whether `fingerprint` is that of a row delivered in a span overlapping `from..=to`.
    pub(super) fn delivered(&self, from: DateTime, to: DateTime, fingerprint: u64) -> bool {
        self.spans
            .iter()
            .filter(|s| s.from <= to && from <= s.to)
            .any(|s| s.rows.binary_search(&fingerprint).is_ok())
    }

    /// Forgets the spans that end before `from`: they are never read again.
    pub(super) fn forget_before(&mut self, from: DateTime) {
        self.spans.retain(|span| span.to >= from);
    }

    /// Records that tick `tick` read `from..=to` with rows of these fingerprints. Every span of
    /// an earlier tick that ends by `to` was read again by now (a tick reads its windows in
    /// order) and is dropped; a span of this tick (the new one included) is kept only if it
    /// ends at or after `keep_from` (the next tick re-reads from there at the earliest).
    pub(super) fn record(
        &mut self,
        tick: u64,
        (from, to): (DateTime, DateTime),
        mut rows: Vec<u64>,
        keep_from: DateTime,
    ) {
        self.spans.retain(|span| {
            if span.tick == tick {
                span.to >= keep_from
            } else {
                span.to > to
            }
        });
        if to >= keep_from {
            rows.sort_unstable();
            rows.dedup();
            self.spans.push(SeenSpan {
                from,
                to,
                rows: Arc::from(rows),
                tick,
            });
        }
    }
}

/// The fingerprint of `row`, or `None` if it cannot be serialized (such a row is always
/// delivered, and not remembered).
pub(super) fn fingerprint<T: Serialize>(row: &T) -> Option<u64> {
    let mut hasher = Hasher::default();
    serde_json::to_writer(&mut hasher, row).ok()?;
    Some(hasher.finish())
}

const K0: u64 = 0xa076_1d64_78bd_642f;
const K1: u64 = 0xe703_7ed1_a0b4_28db;

/// The high and low halves of the 128-bit product, folded.
fn fold(a: u64, b: u64) -> u64 {
    let product = u128::from(a) * u128::from(b);
    (product as u64) ^ ((product >> 64) as u64)
}

/// A streaming 64-bit hash of bytes (8-byte words through a folded multiply, then a final
/// mix): not for adversaries, well mixed for data.
#[derive(Default)]
struct Hasher {
    state: u64,
    pending: [u8; 8],
    pending_len: usize,
    total: u64,
}

impl Hasher {
    fn word(&mut self, word: u64) {
        self.state = fold(self.state ^ word ^ K0, K1);
    }

    fn finish(mut self) -> u64 {
        let mut last = [0u8; 8];
        last[..self.pending_len].copy_from_slice(&self.pending[..self.pending_len]);
        self.word(u64::from_le_bytes(last));
        let mut z = self.state ^ self.total.wrapping_mul(K1);
        // splitmix64's finalizer.
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

impl io::Write for Hasher {
    fn write(&mut self, mut bytes: &[u8]) -> io::Result<usize> {
        let written = bytes.len();
        self.total = self.total.wrapping_add(written as u64);
        if self.pending_len > 0 {
            let take = (8 - self.pending_len).min(bytes.len());
            self.pending[self.pending_len..self.pending_len + take].copy_from_slice(&bytes[..take]);
            self.pending_len += take;
            bytes = &bytes[take..];
            if self.pending_len < 8 {
                return Ok(written);
            }
            self.word(u64::from_le_bytes(self.pending));
            self.pending_len = 0;
        }
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            let mut buf = [0u8; 8];
            buf.copy_from_slice(word);
            self.word(u64::from_le_bytes(buf));
        }
        let rest = words.remainder();
        self.pending[..rest.len()].copy_from_slice(rest);
        self.pending_len = rest.len();
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
