//! What a caller asks of an [`Error`]: its status, whether to retry, whether the service is in
//! maintenance, how many attempts were made; and the constructors the crate uses.

use std::time::Duration;

use super::{Error, Source, snippet};

impl Error {
    /// Every [`kind`](Error::kind), in the order of the variants.
    pub const KINDS: &'static [&'static str] = &[
        "config",
        "invalid_request",
        "unauthorized",
        "quota_exceeded",
        "concurrency_limited",
        "not_found",
        "api",
        "decode",
        "timeout",
        "transport",
        "response_too_large",
        "too_many_records",
        "outcome_unknown",
        "rejected",
        "budget_exhausted",
        "shared_limits",
    ];

    /// The variant's name in `snake_case` (`Error::QuotaExceeded` is `"quota_exceeded"`), one
    /// of [`KINDS`](Error::KINDS): a stable label for metrics and logs.
    ///
    /// ```
    /// let error = wolkvox::WolkvoxClient::builder().build().unwrap_err();
    /// assert_eq!(error.kind(), "config");
    /// ```
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Config { .. } => "config",
            Error::InvalidRequest { .. } => "invalid_request",
            Error::Unauthorized { .. } => "unauthorized",
            Error::QuotaExceeded { .. } => "quota_exceeded",
            Error::ConcurrencyLimited { .. } => "concurrency_limited",
            Error::NotFound { .. } => "not_found",
            Error::Api { .. } => "api",
            Error::Decode { .. } => "decode",
            Error::Timeout { .. } => "timeout",
            Error::Transport { .. } => "transport",
            Error::ResponseTooLarge { .. } => "response_too_large",
            Error::TooManyRecords { .. } => "too_many_records",
            Error::OutcomeUnknown { .. } => "outcome_unknown",
            Error::Rejected { .. } => "rejected",
            Error::BudgetExhausted { .. } => "budget_exhausted",
            Error::SharedLimits { .. } => "shared_limits",
        }
    }

    /// The status the failure was reported under (the HTTP status, or the body's `code` when a
    /// JSON body reported an error under HTTP 200). `None` for failures without a response.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Unauthorized { status, .. }
            | Error::QuotaExceeded { status, .. }
            | Error::ConcurrencyLimited { status, .. }
            | Error::NotFound { status, .. }
            | Error::Api { status, .. }
            | Error::Rejected { status, .. } => Some(*status),
            Error::OutcomeUnknown { source, .. } => source.status(),
            _ => None,
        }
    }

    /// Whether the same call may succeed if tried again later. The client retries exactly
    /// these (up to `max_retries`, with backoff); this is the one table of what is retried.
    ///
    /// | error | retried | why |
    /// |---|---|---|
    /// | [`Timeout`](Error::Timeout) (server slow, or no local turn) | yes | the server or the queue may be faster next time |
    /// | [`Transport`](Error::Transport) (DNS, refused, reset, TLS) | yes | connection failures are usually transient |
    /// | [`ConcurrencyLimited`](Error::ConcurrencyLimited) (403 simultaneous requests, 429) | yes | another request of the token will finish |
    /// | [`Api`](Error::Api) with status 500..=599 (maintenance page, gateway errors) | yes | the service comes back |
    /// | [`Api`](Error::Api) with any other status (400, unknown 403, 3xx) | no | the same request fails the same way |
    /// | [`QuotaExceeded`](Error::QuotaExceeded) | no | the daily quota is gone until tomorrow |
    /// | [`Unauthorized`](Error::Unauthorized) | no | the token is wrong |
    /// | [`NotFound`](Error::NotFound) | no | there is no data |
    /// | [`Decode`](Error::Decode), [`ResponseTooLarge`](Error::ResponseTooLarge) | no | the same body comes back |
    /// | [`Config`](Error::Config), [`InvalidRequest`](Error::InvalidRequest) | no | nothing was sent |
    /// | [`Rejected`](Error::Rejected) | no | the service refused the write as sent |
    /// | [`OutcomeUnknown`](Error::OutcomeUnknown) | no | the write may have been applied: sending it again could apply it twice |
    /// | [`SharedLimits`](Error::SharedLimits) (Redis unavailable, `Fallback::Fail`) | yes | nothing was sent, and the store comes back |
    /// | [`BudgetExhausted`](Error::BudgetExhausted) | no | the day's budget is used up until the next day |
    ///
    /// A write (`Method::Post`, `Put` or `Delete` without `.idempotent()`) is retried only when
    /// it certainly never reached the service: the connection could not be established (DNS,
    /// refused, TLS handshake), or the service answered 403 simultaneous requests or 429
    /// (refused unprocessed). Any other failure after it was sent is
    /// [`OutcomeUnknown`](Error::OutcomeUnknown).
    ///
    /// A server's `Retry-After` (see [`retry_after`](Error::retry_after)) sets the wait before the
    /// retry, capped at the maximum backoff.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Timeout { .. }
            | Error::Transport { .. }
            | Error::ConcurrencyLimited { .. }
            | Error::SharedLimits { .. } => true,
            Error::Api { status, .. } => *status >= 500,
            _ => false,
        }
    }

    /// True when the service looks down for maintenance: an [`Api`](Error::Api) error with
    /// HTTP 502, 503 or 504, or the vendor's maintenance page (under any status). A wallboard
    /// can show "Wolkvox is in maintenance" without searching message text.
    pub fn is_maintenance(&self) -> bool {
        match self {
            Error::Api {
                status,
                http_status,
                message,
                ..
            } => {
                matches!(*status, 502..=504)
                    || matches!(*http_status, 502..=504)
                    || mentions_maintenance(message)
            }
            Error::Decode { raw, .. } => mentions_maintenance(raw),
            Error::OutcomeUnknown { source, .. } => source.is_maintenance(),
            _ => false,
        }
    }

    /// How many HTTP requests were made for the call that failed (retries included); `None`
    /// for [`Config`](Error::Config) and [`InvalidRequest`](Error::InvalidRequest), `Some(0)` for
    /// a [`Timeout`](Error::Timeout) that ran out while the call waited for its turn (see
    /// `max_concurrent_requests`).
    pub fn attempts(&self) -> Option<u32> {
        if let Error::OutcomeUnknown { source, .. } = self {
            return source.attempts();
        }
        on_attempts!(self, attempts => Some(*attempts), local => None)
    }

    /// The server's `Retry-After`, when the failure came with one.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::ConcurrencyLimited { retry_after, .. } | Error::Api { retry_after, .. } => {
                *retry_after
            }
            _ => None,
        }
    }

    pub(crate) fn config(message: impl Into<String>) -> Self {
        Error::Config {
            message: message.into(),
            source: None,
        }
    }

    pub(crate) fn invalid_request(message: impl Into<String>) -> Self {
        Error::InvalidRequest {
            message: message.into(),
        }
    }

    pub(crate) fn decode(
        path: impl Into<String>,
        raw: &str,
        message: impl Into<String>,
        source: Option<Source>,
    ) -> Self {
        Error::Decode {
            path: path.into(),
            raw: snippet(raw),
            message: message.into(),
            attempts: 1,
            source,
        }
    }

    /// Records how many requests the call made (set by the retry loop on its final error).
    pub(crate) fn with_attempts(mut self, n: u32) -> Self {
        self.set_attempts(n);
        self
    }

    fn set_attempts(&mut self, n: u32) {
        if let Error::OutcomeUnknown { source, .. } = self {
            source.set_attempts(n);
            return;
        }
        on_attempts!(self, attempts => *attempts = n, local => {});
    }
}

/// Whether a server message or page snippet is the vendor's maintenance notice.
pub(crate) fn mentions_maintenance(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains("maintenance") || lower.contains("mantenimiento")
}
