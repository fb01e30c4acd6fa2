//! `WolkvoxClientBuilder`: every setting of the client, validated once in `build()`.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;
use url::Url;

use super::WolkvoxClient;
use super::limits::LimitsSettings;
use super::validate::{
    Problems, default_user_agent, problem, token_header, validate_base_url, validate_server,
};
use crate::engine::pipeline::Pipeline;
use crate::engine::retry::RetryPolicy;
use crate::engine::transport::{Transport, TransportSettings};
use crate::error::Error;

/// The vendor's own limit for one call: a call may take up to 60 seconds.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// How long establishing a connection may take.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The vendor's limit for one result: 256 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 256 * 1024 * 1024;
/// The shortest interval a `watch` polls at unless set otherwise: every poll costs one request
/// of the daily quota, so a typo such as `Duration::ZERO` must not spend it in minutes.
pub const DEFAULT_MIN_POLL_INTERVAL: Duration = Duration::from_secs(60);

/// Configures and builds a [`WolkvoxClient`].
///
/// Setters never fail; [`build`](WolkvoxClientBuilder::build) checks everything and answers
/// [`Error::Config`] listing every problem it found, each with what to fix.
///
/// | setting | default | notes |
/// |---|---|---|
/// | [`server("0004")`](Self::server) | required unless `base_url` | 1 to 8 ASCII letters/digits; sent as `wolkvox_server` too |
/// | [`token(..)`](Self::token) | required | the `wolkvox-token` header, marked sensitive; never in `Debug`, errors or logs |
/// | [`base_url(&str)`](Self::base_url) | `https://wv{server}.wolkvox.com` | proxies, tests, the simulator; `https://`, or `http://` to loopback only |
/// | [`timeout(Duration)`](Self::timeout) | 60 s | per request, body included (the vendor's own limit); connect timeout 10 s |
/// | [`total_timeout(Duration)`](Self::total_timeout) | 3 x timeout | one call, retries and waiting for a turn included |
/// | [`max_concurrent_requests(n)`](Self::max_concurrent_requests) | 1 | 1 or 2: shared by every client of the same token and host in the process |
/// | [`max_retries(n)`](Self::max_retries) / [`retry_backoff(base, max)`](Self::retry_backoff) | 2 / 500 ms, 30 s | exponential, full jitter, `Retry-After` honoured (capped); writes only when never sent |
/// | [`max_response_bytes(n)`](Self::max_response_bytes) | 256 MiB | the vendor's result limit; reading stops there |
/// | [`user_agent(..)`](Self::user_agent) | `wolkvox-rust/<version>` | yours is appended |
/// | [`min_poll_interval(Duration)`](Self::min_poll_interval) | 60 s | the floor of every `watch` interval (each poll costs quota) |
/// | [`http_client(reqwest::Client)`](Self::http_client) | rustls, same-origin redirects only | bring your proxy/TLS settings; build it with `wolkvox::reqwest` |
///
/// [`from_env`](Self::from_env) reads `WOLKVOX_SERVER`, `WOLKVOX_TOKEN` and `WOLKVOX_BASE_URL`.
///
/// ```
/// use std::time::Duration;
/// # fn main() -> Result<(), wolkvox::Error> {
/// let client = wolkvox::WolkvoxClient::builder()
///     .server("0004")
///     .token("my-token")
///     .timeout(Duration::from_secs(30))
///     .user_agent("queue-dashboard/2.1")
///     .build()?;
/// assert_eq!(client.endpoint().as_str(), "https://wv0004.wolkvox.com/api/v2/real_time.php");
/// # Ok(()) }
/// ```
#[derive(Clone)]
#[must_use = "a builder does nothing until .build() is called"]
pub struct WolkvoxClientBuilder {
    server: Option<String>,
    token: Option<String>,
    base_url: Option<String>,
    timeout: Duration,
    connect_timeout: Duration,
    user_agent: Option<String>,
    http_client: Option<reqwest::Client>,
    max_response_bytes: u64,
    max_concurrent_requests: usize,
    retry: RetryPolicy,
    total_timeout: Option<Duration>,
    min_poll_interval: Duration,
    /// `shared_limits`, `daily_budget`, `operation_utc_offset` (in `limits.rs`).
    pub(super) limits: LimitsSettings,
}

impl Default for WolkvoxClientBuilder {
    fn default() -> Self {
        WolkvoxClientBuilder {
            server: None,
            token: None,
            base_url: None,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            user_agent: None,
            http_client: None,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            max_concurrent_requests: 1,
            retry: RetryPolicy::default(),
            total_timeout: None,
            min_poll_interval: DEFAULT_MIN_POLL_INTERVAL,
            limits: LimitsSettings::default(),
        }
    }
}

impl std::fmt::Debug for WolkvoxClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WolkvoxClientBuilder")
            .field("server", &self.server)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .field("http_client", &self.http_client.as_ref().map(|_| "custom"))
            .field("max_response_bytes", &self.max_response_bytes)
            .field("max_concurrent_requests", &self.max_concurrent_requests)
            .field("retry", &self.retry)
            .field("total_timeout", &self.total_timeout)
            .field("min_poll_interval", &self.min_poll_interval)
            .field("limits", &self.limits)
            .finish()
    }
}

impl WolkvoxClientBuilder {
    /// A builder with the defaults: 60 s timeout, 10 s connect timeout, 256 MiB body cap,
    /// 1 request in flight per token, 2 retries. Same as [`WolkvoxClient::builder`].
    pub fn new() -> Self {
        Self::default()
    }

    /// The operation's server nomenclature, e.g. `"0004"`: requests go to
    /// `https://wv0004.wolkvox.com`, with a `wolkvox_server` header. 1 to 8 ASCII letters or
    /// digits; kept as a string, since leading zeros matter.
    pub fn server(mut self, server: impl Into<String>) -> Self {
        self.server = Some(server.into());
        self
    }

    /// The `wolkvox-token`. Required. Surrounding white space (a trailing newline from a
    /// file) is removed. It is sent only as a header marked sensitive and never appears in
    /// `Debug` output, errors or logs.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Replaces `https://wv{server}.wolkvox.com` (for a proxy, a test server or
    /// [`mock`](crate::mock)); `server` is then optional. Must be `https://`, or `http://`
    /// to a loopback address only, so the token never travels in clear text. A path is kept
    /// as a prefix of `/api/v2/real_time.php`.
    pub fn base_url(mut self, base_url: &str) -> Self {
        self.base_url = Some(base_url.to_owned());
        self
    }

    /// The timeout of one HTTP request, body included. Default 60 s (the vendor's limit).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How long connecting may take. Default 10 s, never more than the timeout. Ignored with
    /// [`http_client`](Self::http_client).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Appended to the default user agent, `wolkvox-rust/<version>`, so the vendor can tell
    /// your service apart.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Uses your own `reqwest::Client` (proxy, TLS roots, ...). The per-request timeout is
    /// still applied per request; the connect timeout and the redirect policy are the
    /// client's own: configure it with `redirect::Policy::none()` so the token never follows
    /// a redirect to another host (the default client never does).
    ///
    /// The client must come from the same `reqwest` as this crate's: build it with the
    /// re-export [`wolkvox::reqwest`](crate::reqwest) (a `reqwest::Client` of another
    /// version is a different type, and the compiler says only that the types differ).
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use wolkvox::reqwest;
    /// let http = reqwest::Client::builder()
    ///     .redirect(reqwest::redirect::Policy::none())
    ///     .build()?;
    /// let client = wolkvox::WolkvoxClient::builder()
    ///     .server("0004")
    ///     .token("my-token")
    ///     .http_client(http)
    ///     .build()?;
    /// # let _ = client;
    /// # Ok(()) }
    /// ```
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// The largest body read, in bytes; a larger one is [`Error::ResponseTooLarge`] and
    /// reading stops there. Default 256 MiB (the vendor's limit).
    ///
    /// This bounds the body, not what it becomes: decoded rows take more memory than their
    /// text, by how much depends on the rows. Typed rows of a real report take about as much
    /// as the body (a 21 MiB `cdr_1` day: 23 MiB of `CallRecord`s and their strings); JSON
    /// rows (`send()`, `windows()`) 7 to 12 times the body for rows of short values (an
    /// 8 MiB body, about 100 MiB), up to 50 times for rows of one short field. So the
    /// decode has a bound of its own, whatever this setting: the rows of one answer may take
    /// about 1 GiB at most (estimated while the body is parsed, before the memory is taken;
    /// 60,000 rows of 100 columns fit). An answer beyond it is an [`Error::Decode`] naming
    /// the row where it stopped, not retried; ask for less at a time (a shorter range).
    pub fn max_response_bytes(mut self, bytes: u64) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// How many requests with this token may be in flight at once in this process: 1
    /// (default, the vendor asks that calls do not overlap) or 2 (the vendor's hard limit).
    /// The limit is shared by all clones **and** by every client built with the same token
    /// and host; callers beyond it wait in arrival order.
    pub fn max_concurrent_requests(mut self, n: usize) -> Self {
        self.max_concurrent_requests = n;
        self
    }

    /// How many times a failed call is tried again (default 2; 0 turns retries off). Only
    /// failures that [`Error::is_retryable`] retried.
    pub fn max_retries(mut self, n: u32) -> Self {
        self.retry.max_retries = n;
        self
    }

    /// The backoff between retries: exponential from `base`, capped at `max`, with full
    /// jitter (defaults 500 ms and 30 s). A `Retry-After` from the server is honoured, capped
    /// at `max`.
    pub fn retry_backoff(mut self, base: Duration, max: Duration) -> Self {
        self.retry.base = base;
        self.retry.max = max;
        self
    }

    /// The deadline of one call, retries and waiting for a turn included. Default: 3 x the
    /// per-request timeout.
    pub fn total_timeout(mut self, timeout: Duration) -> Self {
        self.total_timeout = Some(timeout);
        self
    }

    /// The shortest interval a [`watch`](crate::SkillsRequest::watch) polls at (default
    /// [`DEFAULT_MIN_POLL_INTERVAL`], 60 s): a shorter interval is raised to it, with one
    /// `tracing` warning. Every poll costs one request of the token's daily quota. Set
    /// `Duration::ZERO` to remove the floor (the simulator's clients do).
    ///
    /// ```
    /// # fn main() -> Result<(), wolkvox::Error> {
    /// use std::time::Duration;
    /// let client = wolkvox::WolkvoxClient::builder()
    ///     .server("0004")
    ///     .token("t")
    ///     .min_poll_interval(Duration::from_secs(30))
    ///     .build()?;
    /// let watch = client.watch_skills(Duration::from_secs(5)); // a typo, or a wallboard in a hurry
    /// assert_eq!(watch.period(), Duration::from_secs(30));
    /// # Ok(()) }
    /// ```
    pub fn min_poll_interval(mut self, interval: Duration) -> Self {
        self.min_poll_interval = interval;
        self
    }

    /// Reads `WOLKVOX_SERVER`, `WOLKVOX_TOKEN` and `WOLKVOX_BASE_URL` from the environment;
    /// each one set and non-empty replaces what was set before. A missing token is reported
    /// by [`build`](Self::build).
    #[allow(clippy::wrong_self_convention)] // a chainable setter, not a constructor
    pub fn from_env(self) -> Self {
        self.with_env_lookup(|name| std::env::var(name).ok())
    }

    pub(crate) fn with_env_lookup(mut self, lookup: impl Fn(&str) -> Option<String>) -> Self {
        let get = |name| lookup(name).filter(|v| !v.trim().is_empty());
        if let Some(server) = get("WOLKVOX_SERVER") {
            self.server = Some(server.trim().to_owned());
        }
        if let Some(token) = get("WOLKVOX_TOKEN") {
            self.token = Some(token);
        }
        if let Some(base_url) = get("WOLKVOX_BASE_URL") {
            self.base_url = Some(base_url.trim().to_owned());
        }
        self
    }

    /// Checks the settings and builds the client.
    ///
    /// # Errors
    /// [`Error::Config`] listing every problem found: the token is missing or not sendable as
    /// a header, the server nomenclature is not 1 to 8 ASCII letters or digits, neither server
    /// nor base URL is set, the base URL does not parse or is plain `http://` to a non-loopback
    /// host, a timeout (named) or the body cap is zero, `max_concurrent_requests` is not 1 or 2,
    /// the retry backoff is inverted, the user agent is not a valid header; or the HTTP client
    /// cannot be created.
    pub fn build(self) -> Result<WolkvoxClient, Error> {
        let mut problems = Problems::default();
        let token = problems.check(token_header(self.token.as_deref()));
        let server = self
            .server
            .as_deref()
            .and_then(|server| problems.check(validate_server(server)));
        let base = match (&self.base_url, &server) {
            (Some(base), _) => problems.check(validate_base_url(base)),
            (None, Some(server)) => problems.check(
                Url::parse(&format!("https://wv{server}.wolkvox.com/"))
                    .map_err(|e| (format!("cannot form the URL of server {server:?}"), Some(e))),
            ),
            (None, None) if self.server.is_none() => {
                problems.push(
                    "no server: set .server(\"0004\") (or WOLKVOX_SERVER) to your operation's \
                     server nomenclature, or .base_url(..) for a proxy or test server",
                );
                None
            }
            (None, None) => None, // the server nomenclature itself was reported
        };
        let total_timeout = self.total_timeout.unwrap_or(self.timeout.saturating_mul(3));
        for (name, value) in [
            ("timeout", self.timeout),
            ("connect_timeout", self.connect_timeout),
            ("total_timeout", total_timeout),
        ] {
            if value.is_zero() {
                problems.push(format!("{name} is zero, it must be greater than zero"));
            }
        }
        if self.max_response_bytes == 0 {
            problems.push("max_response_bytes is zero, it must be greater than zero");
        }
        if !(1..=2).contains(&self.max_concurrent_requests) {
            problems.push(format!(
                "max_concurrent_requests is {}, but Wolkvox allows 1 or 2 simultaneous requests per token",
                self.max_concurrent_requests
            ));
        }
        self.limits.check(&mut problems);
        if let Err(problem) = self.retry.validate() {
            problems.push(problem);
        }
        let user_agent = match self.user_agent.as_deref().map(str::trim) {
            Some(extra) if !extra.is_empty() => format!("{} {extra}", default_user_agent()),
            _ => default_user_agent(),
        };
        let user_agent = problems.check(HeaderValue::from_str(&user_agent).map_err(|_| {
            problem("the user agent must be visible ASCII without control characters")
        }));
        let server_header = server
            .as_deref()
            .and_then(|s| HeaderValue::from_str(s).ok());
        problems.into_result()?;
        let (Some(token), Some(base), Some(user_agent)) = (token, base, user_agent) else {
            // Every `None` above recorded a problem, so `into_result` has returned already.
            return Err(Error::config("incomplete configuration"));
        };

        let limits = self.limits.build(
            base.host_str().unwrap_or_default(),
            base.port_or_known_default(),
            token.as_bytes(),
            self.max_concurrent_requests,
        );
        let transport = Transport::new(TransportSettings {
            base,
            token,
            server: server_header,
            user_agent,
            timeout: self.timeout,
            connect_timeout: self.connect_timeout,
            max_response_bytes: self.max_response_bytes,
            http_client: self.http_client,
        })?;
        let pipeline = Pipeline {
            transport: Arc::new(transport),
            limits,
            retry: self.retry,
            total_timeout,
            min_poll_interval: self.min_poll_interval,
            operation_utc_offset: self.limits.offset(),
        };
        Ok(WolkvoxClient::from_parts(pipeline, server))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config_message(result: Result<WolkvoxClient, Error>) -> String {
        match result {
            Err(Error::Config { message, .. }) => message,
            other => panic!("expected Error::Config, got {other:?}"),
        }
    }

    #[test]
    fn build_refuses_bad_input_with_what_to_fix() {
        let b = || WolkvoxClientBuilder::new();
        assert!(config_message(b().server("0004").build()).contains("missing token"));
        assert!(config_message(b().server("0004").token("  ").build()).contains("missing token"));
        assert!(config_message(b().token("t").build()).contains("no server"));
        assert!(
            config_message(b().token("t").server("0004.evil.com").build())
                .contains("\"0004.evil.com\"")
        );
        assert!(
            config_message(b().token("t").base_url("http://example.com").build())
                .contains("clear text")
        );
        let msg = config_message(b().token("secret\nline").server("1").build());
        assert!(!msg.contains("secret"), "{msg}");
        assert!(
            config_message(
                b().token("t")
                    .server("1")
                    .max_concurrent_requests(3)
                    .build()
            )
            .contains("1 or 2")
        );
        assert!(
            config_message(
                b().token("t")
                    .server("1")
                    .max_concurrent_requests(0)
                    .build()
            )
            .contains("1 or 2")
        );
        assert!(
            config_message(b().token("t").server("1").timeout(Duration::ZERO).build())
                .contains("greater than zero")
        );
        assert!(
            config_message(b().token("t").server("1").max_response_bytes(0).build())
                .contains("max_response_bytes")
        );
    }

    #[test]
    fn build_reports_every_problem_at_once() {
        assert_eq!(
            config_message(WolkvoxClientBuilder::new().build()),
            "missing token: set .token(..) or the WOLKVOX_TOKEN environment variable; no server: \
             set .server(\"0004\") (or WOLKVOX_SERVER) to your operation's server nomenclature, \
             or .base_url(..) for a proxy or test server"
        );
        let message = config_message(
            WolkvoxClientBuilder::new()
                .server("0004.evil")
                .timeout(Duration::ZERO)
                .connect_timeout(Duration::ZERO)
                .max_concurrent_requests(3)
                .build(),
        );
        let problems: Vec<&str> = message.split("; ").collect();
        assert_eq!(problems.len(), 6, "{message}");
        assert!(problems[0].starts_with("missing token"), "{message}");
        assert!(
            problems[1].starts_with("server nomenclature \"0004.evil\""),
            "{message}"
        );
        assert_eq!(problems[2], "timeout is zero, it must be greater than zero");
        assert!(message.contains("connect_timeout is zero"), "{message}");
        assert!(message.contains("total_timeout is zero"), "{message}");
        assert!(
            message.contains("max_concurrent_requests is 3"),
            "{message}"
        );
    }

    #[test]
    fn a_zero_timeout_says_which_one() {
        let b = || WolkvoxClientBuilder::new().token("t").server("1");
        assert_eq!(
            config_message(b().connect_timeout(Duration::ZERO).build()),
            "connect_timeout is zero, it must be greater than zero"
        );
        assert_eq!(
            config_message(b().total_timeout(Duration::ZERO).build()),
            "total_timeout is zero, it must be greater than zero"
        );
    }

    #[test]
    fn endpoint_from_server_or_base_url() {
        let client = WolkvoxClientBuilder::new()
            .server("0033")
            .token("t")
            .build()
            .unwrap();
        assert_eq!(
            client.endpoint().as_str(),
            "https://wv0033.wolkvox.com/api/v2/real_time.php"
        );
        let client = WolkvoxClientBuilder::new()
            .server("0033")
            .base_url("https://proxy.example/wv/")
            .token("t")
            .build()
            .unwrap();
        assert_eq!(
            client.endpoint().as_str(),
            "https://proxy.example/wv/api/v2/real_time.php"
        );
    }

    #[test]
    fn from_env_reads_the_three_variables() {
        let env = |name: &str| match name {
            "WOLKVOX_SERVER" => Some(" 0048 ".to_owned()),
            "WOLKVOX_TOKEN" => Some("tok\n".to_owned()),
            _ => None,
        };
        let builder = WolkvoxClientBuilder::new().with_env_lookup(env);
        assert_eq!(builder.server.as_deref(), Some("0048"));
        let client = builder.build().unwrap();
        assert_eq!(
            client.endpoint().as_str(),
            "https://wv0048.wolkvox.com/api/v2/real_time.php"
        );
        let with_base = WolkvoxClientBuilder::new().with_env_lookup(|name| match name {
            "WOLKVOX_TOKEN" => Some("t".to_owned()),
            "WOLKVOX_BASE_URL" => Some("http://127.0.0.1:9/".to_owned()),
            "WOLKVOX_SERVER" => Some(String::new()),
            _ => None,
        });
        assert_eq!(with_base.server, None);
        assert_eq!(
            with_base.build().unwrap().endpoint().as_str(),
            "http://127.0.0.1:9/api/v2/real_time.php"
        );
        let missing = WolkvoxClientBuilder::new()
            .with_env_lookup(|_| None)
            .build();
        assert!(config_message(missing).contains("WOLKVOX_TOKEN"));
    }

    #[test]
    fn debug_redacts_the_token() {
        let builder = WolkvoxClientBuilder::new()
            .token("s3cr3t-t0ken")
            .server("0004");
        let text = format!("{builder:?}");
        assert!(!text.contains("s3cr3t-t0ken"), "{text}");
        assert!(text.contains("<redacted>"));
    }
}
