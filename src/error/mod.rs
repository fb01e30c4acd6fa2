//! The crate's one error type.
//!
//! Rule for every variant: `Display` says what happened and what to do, once. The text of an
//! underlying cause (the HTTP library's or the JSON parser's error) is reachable only through
//! [`std::error::Error::source`], so `{:#}` (anyhow) and tracing print it exactly once.

use std::time::Duration;

/// A boxed error kept only as [`std::error::Error::source`]; the types of the HTTP and JSON
/// libraries never appear in this crate's public API.
pub(crate) type Source = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Everything that can go wrong when configuring the client or calling Wolkvox.
///
/// Every variant says what happened in its [`Display`](std::fmt::Display) text, and carries the
/// details as fields. The token never appears in any of them. Which variants are retried is
/// tabled under [`Error::is_retryable`].
///
/// The variants that come from a request carry `attempts`: how many HTTP requests were made for
/// the call that failed (retries included). The error is always the *last* real failure, never a
/// generic "retries exhausted".
///
/// | variant | when |
/// |---|---|
/// | [`Config`](Error::Config) | the builder was given something unusable |
/// | [`InvalidRequest`](Error::InvalidRequest) | a request refused before anything was sent (bad report name or parameter) |
/// | [`Unauthorized`](Error::Unauthorized) | 401, or 403 `PLEASE VALIDATE TOKEN` |
/// | [`QuotaExceeded`](Error::QuotaExceeded) | 403 `TOKEN LIMIT EXCEEDED` (daily quota) |
/// | [`ConcurrencyLimited`](Error::ConcurrencyLimited) | 403 `EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS`, or 429 |
/// | [`NotFound`](Error::NotFound) | 404, or no record for the requested id |
/// | [`Api`](Error::Api) | any other failure the server reports (5xx, maintenance page, other 4xx) |
/// | [`Decode`](Error::Decode) | a success response whose body does not match |
/// | [`Timeout`](Error::Timeout) | no complete answer in time, or no turn in the local concurrency limit in time |
/// | [`Transport`](Error::Transport) | connection-level failure (DNS, refused, reset, TLS) |
/// | [`ResponseTooLarge`](Error::ResponseTooLarge) | body above `max_response_bytes` |
/// | [`TooManyRecords`](Error::TooManyRecords) | a report window reached the record limit and cannot be split further |
/// | [`OutcomeUnknown`](Error::OutcomeUnknown) | a write was sent but its answer never came or could not be read: it may or may not have been applied |
/// | [`Rejected`](Error::Rejected) | a write the service refused (a 4xx other than the token, quota and concurrency answers) |
/// | [`BudgetExhausted`](Error::BudgetExhausted) | the client's `daily_budget` is used up today; nothing was sent |
/// | [`SharedLimits`](Error::SharedLimits) | the shared limits (Redis) could not be reached, under `Fallback::Fail`; nothing was sent |
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client could not be built: a missing token, a bad server nomenclature, an unusable
    /// base URL, an out-of-range setting. `message` lists every problem found, separated by
    /// `"; "`, each with what to fix.
    #[error("invalid wolkvox client configuration: {message}")]
    #[non_exhaustive]
    Config {
        /// What is wrong and how to fix it.
        message: String,
        /// The underlying error (a URL that does not parse, an HTTP client that cannot be
        /// created), when there is one.
        #[source]
        source: Option<Source>,
    },

    /// The crate refused to send a request: a report name that is not lower-case letters,
    /// digits and `_`, an empty or reserved parameter name. Nothing was sent and no quota was
    /// spent. `message` says what to change.
    #[error("invalid request, nothing was sent: {message}")]
    #[non_exhaustive]
    InvalidRequest {
        /// What is wrong and how to fix it.
        message: String,
    },

    /// The server refused the token: 401 (`PLEASE ENTER THE WOLKVOX-TOKEN`) or 403
    /// (`PLEASE VALIDATE TOKEN`). Check the token and the server nomenclature.
    #[error(
        "the server answered {status} {message:?}: the token is missing, wrong or revoked for this server; check the token and the server nomenclature the client was built with{}",
        attempts_note(*attempts)
    )]
    #[non_exhaustive]
    Unauthorized {
        /// The HTTP status, or the body's `code` when it reported the error under HTTP 200.
        status: u16,
        /// The server's message, trimmed.
        message: String,
        /// HTTP requests made for this call.
        attempts: u32,
    },

    /// 403 `TOKEN LIMIT EXCEEDED`: the token's daily quota (licences x 1000 requests a day,
    /// counted by the service across every program using the token) is used up. Retrying
    /// today only burns time: the service refuses every request of the token until its count
    /// resets the next day. `client.token_info()` tells the limit and today's use.
    #[error(
        "the server answered {status} {message:?}: the token's daily request quota (licences x 1000 requests a day, shared by every program using the token) is used up; the service refuses its requests until the count resets the next day{}",
        attempts_note(*attempts)
    )]
    #[non_exhaustive]
    QuotaExceeded {
        /// The HTTP status, or the body's `code` when it reported the error under HTTP 200.
        status: u16,
        /// The server's message, trimmed.
        message: String,
        /// HTTP requests made for this call.
        attempts: u32,
    },

    /// 403 `EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)` (or an HTTP 429): another
    /// request with the same token was in flight (maybe from another process). Retryable.
    #[error(
        "the server answered {status} {message:?}: too many simultaneous requests with this token (another process may share it); retry later{}",
        attempts_note(*attempts)
    )]
    #[non_exhaustive]
    ConcurrencyLimited {
        /// The HTTP status, or the body's `code` when it reported the error under HTTP 200.
        status: u16,
        /// The server's message, trimmed.
        message: String,
        /// The server's `Retry-After`, when it sent one.
        retry_after: Option<Duration>,
        /// HTTP requests made for this call.
        attempts: u32,
    },

    /// No record for the query: HTTP 404 (whatever its message, e.g. "Validate dates entered"),
    /// or a success response without the requested record.
    #[error(
        "no data: the server answered {status} {message:?}; the id may not exist in this operation{}",
        attempts_note(*attempts)
    )]
    #[non_exhaustive]
    NotFound {
        /// The HTTP status, or the body's `code`; 200 when a success response lacked the record.
        status: u16,
        /// The server's message, trimmed, or what was missing.
        message: String,
        /// HTTP requests made for this call.
        attempts: u32,
    },

    /// Any other failure the server reports: 5xx, a maintenance page, a 400, an unknown 403.
    #[error(
        "the server answered {status}{}: {message}{}",
        code_note(*http_status, *code),
        attempts_note(*attempts)
    )]
    #[non_exhaustive]
    Api {
        /// The HTTP status, or the body's `code` when it reported the error under HTTP 200.
        status: u16,
        /// The HTTP status line's code as received.
        http_status: u16,
        /// The body's `code`, when the body was JSON and carried one.
        code: Option<u16>,
        /// The server's message; for a non-JSON body (an HTML maintenance page), a short
        /// snippet of its text.
        message: String,
        /// The server's `Retry-After`, when it sent one.
        retry_after: Option<Duration>,
        /// HTTP requests made for this call.
        attempts: u32,
    },

    /// A success response whose body does not match the report: not JSON, a wrong shape, or a
    /// value that is not what its field holds (`"n/a"` in a count). The parser's own message
    /// (line and column) is the [`source`](std::error::Error::source).
    #[error(
        "could not decode the response at `{path}`: {message} (raw: {raw:?}){}",
        attempts_note(*attempts)
    )]
    #[non_exhaustive]
    Decode {
        /// Where in the body: `data[2].calls_in_queue_now`, or `body` for the whole body.
        path: String,
        /// The raw value or a short snippet of the body (at most 200 characters).
        raw: String,
        /// What was expected.
        message: String,
        /// HTTP requests made for this call.
        attempts: u32,
        /// The parser's own error, when there is one.
        #[source]
        source: Option<Source>,
    },

    /// The time ran out: no complete answer from the server within the per-request timeout or
    /// the total deadline, or (when `waiting_for_turn` is set) the call never got a turn in this
    /// process's per-token concurrency limit.
    #[error("{}{}", timeout_text(*timeout, *waiting_for_turn), attempts_note(*attempts))]
    #[non_exhaustive]
    Timeout {
        /// The limit that ran out.
        timeout: Duration,
        /// HTTP requests made for this call (0 when none could be sent).
        attempts: u32,
        /// `Some(n)` when the deadline passed while the call waited for its turn: `n` requests
        /// of this token were in flight (the `max_concurrent_requests` limit: in this process,
        /// or with `shared_limits` in every process sharing them), and this attempt was never
        /// sent. `None` when the server was too slow.
        waiting_for_turn: Option<usize>,
    },

    /// A connection-level failure: DNS, connection refused or reset, TLS, a broken body. The
    /// HTTP library's error is the [`source`](std::error::Error::source).
    #[error(
        "could not reach the server {host}: {message}; check the server nomenclature (or base_url) and the network{}",
        attempts_note(*attempts)
    )]
    #[non_exhaustive]
    Transport {
        /// The host the request went to (`wv0004.wolkvox.com`).
        host: String,
        /// What failed, in this crate's words (the cause's text is in `source`).
        message: String,
        /// HTTP requests made for this call.
        attempts: u32,
        /// The HTTP library's error, its URL removed.
        #[source]
        source: Option<Source>,
    },

    /// A window of a historical report answered `limit` rows or more (the service may have cut
    /// the answer) and cannot be split further: it is one second long, or the report totals
    /// the whole range (its windows cannot be added up). The rows of that window were not
    /// delivered; the windows before it were.
    #[error("{}", too_many_records_text(report, *from, *to, *limit))]
    #[non_exhaustive]
    TooManyRecords {
        /// The report name (`cdr_1`).
        report: String,
        /// The first second of the window.
        from: jiff::civil::DateTime,
        /// The last second of the window.
        to: jiff::civil::DateTime,
        /// The record limit that was reached.
        limit: usize,
    },

    /// A write (POST, PUT or DELETE not marked idempotent) was sent, but its answer never came
    /// or could not be read (a timeout, a connection lost after sending, a 5xx, a body that
    /// is not a Wolkvox answer): the service may or may not have applied it. The crate never
    /// sends such a request again by itself; check the state (read it back) before you do.
    /// The underlying error is the [`source`](std::error::Error::source); [`attempts`](Error::attempts)
    /// is that of the underlying error. Not retryable.
    #[error(
        "the request {api:?} to {endpoint} was sent, but its outcome is unknown: the service may or may not have applied it; check before sending it again{}",
        attempts_note(source.attempts().unwrap_or(1))
    )]
    #[non_exhaustive]
    OutcomeUnknown {
        /// The endpoint file the request went to (`campaign.php`).
        endpoint: String,
        /// The `api=` name of the request (`add_record`).
        api: String,
        /// What happened after the request was sent.
        #[source]
        source: Box<Error>,
    },

    /// The service refused a write: a 4xx answer other than the token, quota and concurrency
    /// ones (on a write, a 404 means "refused", never "no data"), e.g. 404 `Campaign_id 26687
    /// does not exist in your operation.`, 406 for an invalid IP, 422 for an invalid activity
    /// code. The request was not applied as sent; fix it before sending it again. Not
    /// retryable.
    #[error(
        "the service refused the request with {status}: {message}{}{}",
        details_note(details.as_deref()),
        attempts_note(*attempts)
    )]
    #[non_exhaustive]
    Rejected {
        /// The HTTP status, or the body's `code` when it reported the refusal under HTTP 2xx.
        status: u16,
        /// The service's message (`msg`, else `error`), trimmed.
        message: String,
        /// The body's `data` as compact JSON text, when present: the per-record errors of
        /// `add_record` live there.
        details: Option<String>,
        /// HTTP requests made for this call.
        attempts: u32,
    },

    /// The body was larger than `max_response_bytes`; reading stopped at the limit.
    #[error("the response body exceeds the limit of {limit} bytes; raise max_response_bytes if this is expected{}", attempts_note(*attempts))]
    #[non_exhaustive]
    ResponseTooLarge {
        /// The configured limit in bytes.
        limit: u64,
        /// HTTP requests made for this call.
        attempts: u32,
    },

    /// The [`daily_budget`](crate::WolkvoxClientBuilder::daily_budget) is used up: `used`
    /// requests with this token were counted today (by every process sharing the limits, with
    /// `shared_limits`), so this request was **not sent**. The count starts again at
    /// `resets_at`, the start of the operation's next day. Not retryable.
    #[error("{}{}", budget_text(*used, *budget, *day, resets_at), attempts_note(*attempts))]
    #[non_exhaustive]
    BudgetExhausted {
        /// Requests counted on `day`.
        used: u64,
        /// The budget.
        budget: u64,
        /// The operation's calendar day.
        day: jiff::civil::Date,
        /// When the next day starts, at the operation's UTC offset.
        resets_at: jiff::ZonedDateTime,
        /// HTTP requests made for this call (earlier attempts; 0 when none was sent).
        attempts: u32,
    },

    /// The shared limits (slots and daily count kept in Redis, or in your own
    /// [`Limits`](crate::limits::Limits)) could not be reached, and they are set to fail
    /// rather than go on under the process's own limits (`Fallback::Fail`). This request was
    /// not sent. Retryable. The store's error (the Redis error) is the
    /// [`source`](std::error::Error::source).
    #[error(
        "the shared limits are unavailable ({message}), so this request was not sent; check the store they are kept in (Redis), or let calls go on under this process's own limits (Fallback::Local){}",
        attempts_note(*attempts)
    )]
    #[non_exhaustive]
    SharedLimits {
        /// What failed, in this crate's words (`could not reach Redis`).
        message: String,
        /// HTTP requests made for this call (earlier attempts; 0 when none was sent).
        attempts: u32,
        /// The store's own error.
        #[source]
        source: Option<Source>,
    },
}

// The pieces of the `Display` texts.
mod text;
use text::{
    attempts_note, budget_text, code_note, details_note, timeout_text, too_many_records_text,
};

/// Runs `$request` with `$attempts` bound to the `attempts` field of every variant that
/// comes from a request, `$local` for the variants raised before any request.
macro_rules! on_attempts {
    ($error:expr, $attempts:ident => $request:expr, local => $local:expr) => {
        match $error {
            Error::Config { .. } | Error::InvalidRequest { .. } | Error::TooManyRecords { .. } => {
                $local
            }
            // Its attempts are those of its source (see `Error::attempts`).
            Error::OutcomeUnknown { .. } => $local,
            Error::Unauthorized { $attempts, .. }
            | Error::QuotaExceeded { $attempts, .. }
            | Error::ConcurrencyLimited { $attempts, .. }
            | Error::NotFound { $attempts, .. }
            | Error::Api { $attempts, .. }
            | Error::Decode { $attempts, .. }
            | Error::Timeout { $attempts, .. }
            | Error::Transport { $attempts, .. }
            | Error::ResponseTooLarge { $attempts, .. }
            | Error::Rejected { $attempts, .. }
            | Error::BudgetExhausted { $attempts, .. }
            | Error::SharedLimits { $attempts, .. } => $request,
        }
    };
}

// After the macro, which it uses.
mod methods;

pub(crate) use methods::mentions_maintenance;

/// The longest snippet of a body or value an error carries, in characters.
pub(crate) const SNIPPET_CHARS: usize = 200;

/// A short, single-line, printable excerpt of `text` for error messages.
pub(crate) fn snippet(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(SNIPPET_CHARS + 3));
    let mut chars = 0;
    let mut last_space = false;
    for c in text.chars() {
        let c = if c.is_control() || c.is_whitespace() {
            ' '
        } else {
            c
        };
        if c == ' ' && last_space {
            continue;
        }
        last_space = c == ' ';
        if chars == SNIPPET_CHARS {
            out.push_str("...");
            break;
        }
        out.push(c);
        chars += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(status: u16, message: &str) -> Error {
        Error::Api {
            status,
            http_status: status,
            code: None,
            message: message.to_owned(),
            retry_after: None,
            attempts: 1,
        }
    }

    #[test]
    fn snippet_is_short_single_line() {
        assert_eq!(snippet("a\n\n  b\tc"), "a b c");
        let long = "x".repeat(1000);
        let s = snippet(&long);
        assert_eq!(s.chars().count(), SNIPPET_CHARS + 3);
        assert!(s.ends_with("..."));
    }

    #[test]
    fn retryable_classification() {
        assert!(api(503, "").is_retryable());
        assert!(api(500, "").is_retryable());
        assert!(!api(400, "").is_retryable());
        let timeout = Error::Timeout {
            timeout: Duration::from_secs(1),
            attempts: 1,
            waiting_for_turn: None,
        };
        assert!(timeout.is_retryable());
        assert!(
            !Error::QuotaExceeded {
                status: 403,
                message: String::new(),
                attempts: 1
            }
            .is_retryable()
        );
        assert!(!Error::config("x").is_retryable());
        assert!(!Error::invalid_request("x").is_retryable());
        assert_eq!(api(502, "").status(), Some(502));
        assert_eq!(Error::config("x").status(), None);
        assert_eq!(Error::invalid_request("x").attempts(), None);
    }

    #[test]
    fn maintenance_is_gateway_statuses_or_the_vendor_page() {
        for status in [502, 503, 504] {
            assert!(api(status, "Bad Gateway").is_maintenance(), "{status}");
        }
        assert!(!api(500, "boom").is_maintenance());
        assert!(!api(400, "bad").is_maintenance());
        assert!(api(500, "wolkvox is under MAINTENANCE.").is_maintenance());
        assert!(
            Error::decode("body", "Sitio en mantenimiento", "expected JSON", None).is_maintenance()
        );
        assert!(
            !Error::Timeout {
                timeout: Duration::from_secs(1),
                attempts: 1,
                waiting_for_turn: None
            }
            .is_maintenance()
        );
    }

    #[test]
    fn display_mentions_attempts_only_after_retries() {
        let e = Error::Timeout {
            timeout: Duration::from_secs(2),
            attempts: 1,
            waiting_for_turn: None,
        };
        assert_eq!(
            e.to_string(),
            "no answer from the server within 2s; it may be slow or in maintenance, retry later"
        );
        let e = e.with_attempts(3);
        assert!(e.to_string().ends_with(" (after 3 attempts)"), "{e}");
        assert_eq!(e.attempts(), Some(3));
    }

    #[test]
    fn a_timeout_in_the_local_queue_says_so() {
        let e = Error::Timeout {
            timeout: Duration::from_millis(300),
            attempts: 0,
            waiting_for_turn: Some(1),
        };
        assert_eq!(
            e.to_string(),
            "no turn within 300ms: 1 request(s) with this token were already in flight \
             (max_concurrent_requests, in this process or in every process sharing its limits), \
             so this request was not sent; make fewer calls at once or raise total_timeout"
        );
        assert!(!e.to_string().contains("maintenance"));
    }

    #[test]
    fn budget_and_shared_limits_say_what_happened_and_what_to_do() {
        let e = Error::BudgetExhausted {
            used: 4_000,
            budget: 4_000,
            day: jiff::civil::date(2026, 4, 30),
            resets_at: "2026-05-01T05:00:00Z"
                .parse::<jiff::Timestamp>()
                .unwrap()
                .to_zoned_datetime(jiff::tz::TimeZone::fixed(jiff::tz::Offset::constant(-5))),
            attempts: 0,
        };
        assert_eq!(
            e.to_string(),
            "the daily budget is used up: 4000 of 4000 requests with this token counted on \
             2026-04-30, so this request was not sent; the count starts again at 2026-05-01 \
             00:00:00 -05:00, or raise daily_budget"
        );
        assert_eq!(e.kind(), "budget_exhausted");
        assert!(!e.is_retryable());
        assert_eq!(e.attempts(), Some(0));
        assert_eq!(e.with_attempts(2).attempts(), Some(2));

        let cause = std::io::Error::new(
            std::io::ErrorKind::ConnectionRefused,
            "refused (os error 111)",
        );
        let e = Error::SharedLimits {
            message: "Redis refused the connection".to_owned(),
            attempts: 0,
            source: Some(Box::new(cause)),
        };
        let text = e.to_string();
        assert!(text.starts_with("the shared limits are unavailable (Redis refused the connection), so this request was not sent"), "{text}");
        assert!(
            !text.contains("os error"),
            "the cause is only the source: {text}"
        );
        assert!(std::error::Error::source(&e).is_some());
        assert_eq!(e.kind(), "shared_limits");
        assert!(e.is_retryable());
        assert_eq!(e.status(), None);
    }
}
