//! `Scope` (whose limits: a digest of host and token, the limit, the budget) and `Day` (which
//! operation day a request counts on).

use std::fmt;

use jiff::civil::{Date, Time};
use jiff::tz::Offset;
use jiff::{Timestamp, ToSpan};

use crate::engine::limiter::Limiter;

/// Whose limits a request takes: one (host, token), with the client's limit and budget.
///
/// Built by the client; a [`Limits`](super::Limits) implementation reads it. It never holds
/// the token: [`id`](Scope::id) is a digest of host, port and token, the same in every process
/// and on every machine, so it can name the token's entries in a shared store.
#[derive(Clone)]
pub struct Scope {
    id: String,
    max_in_flight: usize,
    budget: Option<u64>,
    /// This process's semaphore and count of the (host, token), shared by every client of it.
    local: Limiter,
}

impl Scope {
    /// The scope of `token` at `host` and `port` (the base URL's, lower-cased), taking the
    /// process-wide local limiter of that (host, token).
    pub(crate) fn new(
        host: &str,
        port: Option<u16>,
        token: &[u8],
        max_in_flight: usize,
        budget: Option<u64>,
    ) -> Scope {
        let local = Limiter::for_token(host, port, token, max_in_flight);
        Scope {
            id: digest(host, port, token),
            // The first client of a (host, token) in the process sets its local limit.
            max_in_flight: local.limit(),
            budget,
            local,
        }
    }

    /// The scope of `token` at `host` as another process sees it: the same id, a local limiter
    /// of its own (for tests that play several processes in one).
    #[cfg(all(test, feature = "redis"))]
    pub(crate) fn detached(
        host: &str,
        token: &[u8],
        max_in_flight: usize,
        budget: Option<u64>,
    ) -> Scope {
        Scope {
            id: digest(host, None, token),
            max_in_flight,
            budget,
            local: Limiter::detached(max_in_flight),
        }
    }

    /// 32 lower-case hex digits: the first 128 bits of SHA-256 over a version tag, the host
    /// (lower-cased), the port and the token. Stable across processes and machines; the token
    /// cannot be read back from it.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// How many requests of this (host, token) may be in flight at once
    /// ([`max_concurrent_requests`](crate::WolkvoxClientBuilder::max_concurrent_requests)).
    pub fn max_in_flight(&self) -> usize {
        self.max_in_flight
    }

    /// The most requests a day
    /// ([`daily_budget`](crate::WolkvoxClientBuilder::daily_budget)); `None`: no budget.
    pub fn budget(&self) -> Option<u64> {
        self.budget
    }

    /// The process's own semaphore and count.
    pub(crate) fn local(&self) -> &Limiter {
        &self.local
    }
}

impl fmt::Debug for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scope")
            .field("id", &self.id)
            .field("max_in_flight", &self.max_in_flight)
            .field("budget", &self.budget)
            .finish()
    }
}

/// The operation's calendar day a request counts on, and when it ends.
///
/// The vendor does not document when its daily count resets; the client counts by the
/// operation's calendar day, at its
/// [`operation_utc_offset`](crate::WolkvoxClientBuilder::operation_utc_offset).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Day {
    date: Date,
    ends_at: Timestamp,
    offset: Offset,
}

impl Day {
    /// The day `now` falls on at `offset`.
    pub(crate) fn at(now: Timestamp, offset: Offset) -> Day {
        let date = offset.to_datetime(now).date();
        let ends_at = date
            .checked_add(1.day())
            .ok()
            .and_then(|next| offset.to_timestamp(next.to_datetime(Time::midnight())).ok())
            .unwrap_or(Timestamp::MAX);
        Day {
            date,
            ends_at,
            offset,
        }
    }

    /// The date, e.g. 2026-04-30.
    pub fn date(&self) -> Date {
        self.date
    }

    /// The first instant of the next day: when the count starts again.
    pub fn ends_at(&self) -> Timestamp {
        self.ends_at
    }

    /// The UTC offset the day is counted at.
    pub fn offset(&self) -> Offset {
        self.offset
    }
}

/// SHA-256 (aws-lc-rs, through the `rustls` this crate already uses for HTTPS) over
/// `wolkvox-limits/1`, host, port and token, each followed by a newline (the host and the
/// port cannot hold one, and the token is last); the first 16 bytes in hex.
fn digest(host: &str, port: Option<u16>, token: &[u8]) -> String {
    let mut input = Vec::with_capacity(40 + host.len() + token.len());
    input.extend_from_slice(b"wolkvox-limits/1\n");
    input.extend_from_slice(host.to_ascii_lowercase().as_bytes());
    input.push(b'\n');
    if let Some(port) = port {
        input.extend_from_slice(port.to_string().as_bytes());
    }
    input.push(b'\n');
    input.extend_from_slice(token);
    let hash = sha256(&input);
    let mut hex = String::with_capacity(32);
    for byte in hash.iter().take(16) {
        hex.push(char::from(HEX[usize::from(byte >> 4)]));
        hex.push(char::from(HEX[usize::from(byte & 0xf)]));
    }
    hex
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// SHA-256 of `data`, from the hash provider of rustls's aws-lc-rs TLS 1.3 SHA-256 suite.
fn sha256(data: &[u8]) -> Vec<u8> {
    match rustls::crypto::aws_lc_rs::cipher_suite::TLS13_AES_128_GCM_SHA256.tls13() {
        Some(suite) => suite.common.hash_provider.hash(data).as_ref().to_vec(),
        // A TLS 1.3 suite is always a `Tls13` variant; this arm is never taken.
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn sha256_is_sha256() {
        let abc = sha256(b"abc");
        let hex: String = abc.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn the_id_is_a_digest_of_host_port_and_token_never_the_token() {
        let a = Scope::new("wv0004.wolkvox.com", Some(443), b"Secret-Token-1", 2, None);
        let same = Scope::new("WV0004.wolkvox.com", Some(443), b"Secret-Token-1", 2, None);
        let other_token = Scope::new("wv0004.wolkvox.com", Some(443), b"Secret-Token-2", 2, None);
        let other_port = Scope::new("wv0004.wolkvox.com", Some(8443), b"Secret-Token-1", 2, None);
        assert_eq!(a.id(), same.id());
        assert_ne!(a.id(), other_token.id());
        assert_ne!(a.id(), other_port.id());
        assert_eq!(a.id().len(), 32);
        assert!(a.id().bytes().all(|b| HEX.contains(&b)));
        // Fixed across versions of the crate and processes: a changed digest would split the
        // limits of processes running different versions.
        // sha256("wolkvox-limits/1\nwv0004.wolkvox.com\n443\nSecret-Token-1")[..16]
        assert_eq!(a.id(), "e772b643a96d8bf7f23ad8f22daf1c5c");
        let debug = format!("{a:?}");
        assert!(!debug.contains("Secret"), "{debug}");
        assert!(!a.id().contains("Secret"));
    }

    #[test]
    fn the_day_turns_at_the_offset() {
        let bogota = Offset::constant(-5);
        let before: Timestamp = "2026-05-01T04:59:59.999Z".parse().unwrap();
        let after: Timestamp = "2026-05-01T05:00:00Z".parse().unwrap();
        let day = Day::at(before, bogota);
        assert_eq!(day.date(), date(2026, 4, 30));
        assert_eq!(day.ends_at(), after);
        assert_eq!(Day::at(after, bogota).date(), date(2026, 5, 1));
        assert_eq!(Day::at(after, Offset::UTC).date(), date(2026, 5, 1));
        assert_eq!(Day::at(before, Offset::UTC).date(), date(2026, 5, 1));
    }
}
