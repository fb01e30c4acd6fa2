//! A simulated Wolkvox server for tests (cargo feature `mock`): no network, no token.
//!
//! [`MockWolkvox`] serves HTTP/1.1 on loopback (a small [hyper](https://docs.rs/hyper) server
//! on a thread of its own, whatever runtime the test uses) and answers like the live service:
//!
//! - every request, in this order: the `wolkvox-token` header is checked (401 without it,
//!   403 `PLEASE VALIDATE TOKEN` with a wrong one); at most 2 requests of the token are served
//!   at once, like the live service, a third answers 403
//!   `EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)`
//!   ([`set_concurrency_limit`](MockWolkvox::set_concurrency_limit),
//!   [`max_in_flight`](MockWolkvox::max_in_flight)); the service's failure modes can be
//!   switched on, for every request or those a predicate picks ([`Fault`],
//!   [`fail_when`](MockWolkvox::fail_when)); the daily quota is counted (403
//!   `TOKEN LIMIT EXCEEDED` once it is used up, see
//!   [`set_token_limit`](MockWolkvox::set_token_limit));
//! - any endpoint and method: an answer set with [`set_call_reply`](MockWolkvox::set_call_reply)
//!   (the write families: `campaign.php`, `configuration.php`, ...); a path the simulator does
//!   not know answers 404;
//! - real time ([`REALTIME_PATH`]): `api=skills` for one id
//!   or `all` and `api=agents` in the live envelope and value formats (`"34.64 %"`, counts as
//!   strings), 404 "no data" for unknown ids, 400 for an unknown `api=` or a missing
//!   parameter, any other report set with [`set_report`](MockWolkvox::set_report);
//! - historical reports ([`REPORTS_PATH`]): rows filtered by
//!   `date_ini`..=`date_end` (and `skill_id` / `agent_id`), the 31-day range limit, the
//!   60,000-record cut ([`set_report_rows`](MockWolkvox::set_report_rows)), and with
//!   [`load_demo`](MockWolkvox::load_demo) a generated history for any date, in which the
//!   interval reports (`skill_3`, `skill_4*`, `skill_7`) leave out the intervals without calls
//!   as the live service does (`skill_4` has no row for an hour in which no call arrived);
//! - catalogues ([`INFORMATION_PATH`]): `agents`,
//!   `skills`, `activity_codes`, `campaigns`, `agents_in_skill`, `audit_log`, and
//!   `token_info` with the quota used today ([`set_information`](MockWolkvox::set_information)).
//!
//! Every request is recorded ([`requests`](MockWolkvox::requests), a [`MockRequest`] each,
//! never the token), except on a long-running server from
//! [`start_on`](MockWolkvox::start_on).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), wolkvox::Error> {
//! use wolkvox::mock::{Fault, MockWolkvox};
//! use wolkvox::{Error, SkillRealtime};
//!
//! let mock = MockWolkvox::start().await;
//! let mut sales = SkillRealtime::new(102, "VENTAS");
//! sales.stat_inbound = 40;
//! mock.add_skill(sales);
//!
//! let client = mock.client()?; // preconfigured for this server, with its token
//! assert_eq!(client.skill(102).await?.stat_inbound, 40);
//!
//! mock.set_fault(Some(Fault::QuotaExceeded));
//! assert!(matches!(client.skills().await, Err(Error::QuotaExceeded { .. })));
//! assert_eq!(mock.requests().len(), 2);
//! # Ok(()) }
//! ```
//!
//! Choices where the live service's answer is not documented: a date range touching more
//! than 31 calendar days (1 for `skill_5`) is refused with 400
//! `THE DATE RANGE CANNOT EXCEED 31 DAYS` (`... 1 DAY`); more matching rows than the record
//! limit are cut silently (code 200, the first rows only); a range whose end is before its
//! start matches nothing (404 "no data"); a path that is no endpoint answers 404
//! `{"code":"404","error":"Not Found","msg":"THE ENDPOINT {path} DOES NOT EXIST"}`, after the
//! token, concurrency, fault and quota checks (so it costs a token, like any answer).
//!
//! The code: `server/` serves HTTP (routing, token check, faults, quota, concurrency,
//! recording, state); `demo/` holds the demo operation (its data, history, catalogues and
//! reports).

mod demo;
mod server;

use std::net::{Ipv4Addr, TcpListener};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

#[cfg(doc)]
use crate::engine::endpoint::{INFORMATION_PATH, REALTIME_PATH, REPORTS_PATH};
use crate::{Error, WolkvoxClient, WolkvoxClientBuilder};

pub use demo::{demo_agents, demo_skills};
pub use server::{Fault, MAINTENANCE_HTML, MockRequest};

use server::{Server, State, lock};

/// The token a [`MockWolkvox`] accepts unless started with another.
pub const MOCK_TOKEN: &str = "mock-token";

/// The most rows a report or catalogue answer carries unless changed with
/// [`MockWolkvox::set_record_limit`]: the vendor's published limit per call.
pub const DEFAULT_RECORD_LIMIT: usize = 60_000;

/// The requests a day the token may make unless changed with
/// [`MockWolkvox::set_token_limit`].
pub const DEFAULT_TOKEN_LIMIT: u64 = 10_000;

/// The requests of the token served at once unless changed with
/// [`MockWolkvox::set_concurrency_limit`]: the live service's 2.
pub const DEFAULT_CONCURRENCY_LIMIT: usize = 2;

/// A row given to [`MockWolkvox::set_report_rows`] without a readable `date` field.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use serde_json::json;
/// let mock = wolkvox::mock::MockWolkvox::start().await;
/// let error = mock
///     .set_report_rows("cdr_1", vec![json!({"date": "12/08/2026"})])
///     .unwrap_err();
/// assert_eq!(error.index, 0);
/// assert_eq!(error.found, r#""12/08/2026""#);
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "row {index} of report {report:?} has no readable `date` (expected \"YYYY-MM-DD HH:MM:SS\" or \"YYYY-MM-DD\"): found {found}"
)]
#[non_exhaustive]
pub struct InvalidRow {
    /// The report (`api=`) the rows were for.
    pub report: String,
    /// The position of the row in the list given.
    pub index: usize,
    /// The row's `date` value as JSON, or `no date field`.
    pub found: String,
}

/// A simulated Wolkvox server on loopback. Dropping it stops the server.
///
/// Data, limits and faults can be changed while clients use it; every change applies to the
/// next request.
pub struct MockWolkvox {
    server: Server,
    state: Arc<Mutex<State>>,
}

impl std::fmt::Debug for MockWolkvox {
    /// The address and the requests served; neither the token nor the data.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockWolkvox")
            .field("uri", &self.uri())
            .field("requests", &self.request_count())
            .finish_non_exhaustive()
    }
}

impl MockWolkvox {
    /// Starts an empty server accepting [`MOCK_TOKEN`], on a free loopback port, recording
    /// every request.
    ///
    /// # Panics
    /// When the operating system gives no loopback port, thread or I/O driver (what a test
    /// cannot go on without).
    pub async fn start() -> Self {
        Self::start_with_token(MOCK_TOKEN).await
    }

    /// Starts an empty server accepting `token`, on a free loopback port, recording every
    /// request.
    ///
    /// # Panics
    /// As [`start`](Self::start).
    pub async fn start_with_token(token: impl Into<String>) -> Self {
        let started = match TcpListener::bind((Ipv4Addr::LOCALHOST, 0)) {
            Ok(listener) => Self::serve(listener, token.into(), true).await,
            Err(error) => Err(error),
        };
        match started {
            Ok(mock) => mock,
            Err(error) => panic!("the Wolkvox simulator cannot start on loopback: {error}"),
        }
    }

    /// Starts an empty server accepting [`MOCK_TOKEN`] on a listener you bound, e.g. a fixed
    /// port for other programs to reach (`cargo run --example simulator` does this).
    /// Requests are not recorded ([`set_recording`](Self::set_recording) switches it on), so
    /// a long-running simulator does not grow.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// use wolkvox::mock::MockWolkvox;
    ///
    /// let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let address = listener.local_addr()?;
    /// let mock = MockWolkvox::start_on(listener).await;
    /// assert_eq!(mock.uri(), format!("http://{address}"));
    /// # Ok(()) }
    /// ```
    ///
    /// # Panics
    /// When the operating system refuses the listener's non-blocking mode, a thread or an
    /// I/O driver; [`try_start_on`](Self::try_start_on) returns the error instead.
    pub async fn start_on(listener: TcpListener) -> Self {
        match Self::try_start_on(listener).await {
            Ok(mock) => mock,
            Err(error) => panic!("the Wolkvox simulator cannot serve on this listener: {error}"),
        }
    }

    /// [`start_on`](Self::start_on), returning what the operating system refused instead of
    /// panicking.
    ///
    /// # Errors
    /// The listener's address or non-blocking mode, a thread, or the I/O driver, refused.
    pub async fn try_start_on(listener: TcpListener) -> std::io::Result<Self> {
        Self::serve(listener, MOCK_TOKEN.to_owned(), false).await
    }

    /// Starts a server accepting [`MOCK_TOKEN`] with the demo operation loaded
    /// ([`load_demo`](Self::load_demo)), recording every request.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), wolkvox::Error> {
    /// let mock = wolkvox::mock::MockWolkvox::start_demo().await;
    /// let client = mock.client()?;
    /// assert_eq!(client.skills().await?.len(), 12);
    /// assert_eq!(client.agents().await?.len(), 10);
    /// # Ok(()) }
    /// ```
    ///
    /// # Panics
    /// As [`start`](Self::start).
    pub async fn start_demo() -> Self {
        let mock = Self::start().await;
        mock.load_demo();
        mock
    }

    async fn serve(listener: TcpListener, token: String, recording: bool) -> std::io::Result<Self> {
        let state = Arc::new(Mutex::new(State::new(token, recording)));
        let server = Server::start(listener, Arc::clone(&state)).await?;
        Ok(MockWolkvox { server, state })
    }

    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    /// The server's base URL, e.g. `http://127.0.0.1:41234`: pass it to
    /// [`WolkvoxClientBuilder::base_url`].
    pub fn uri(&self) -> String {
        format!("http://{}", self.server.address())
    }

    /// The token the server accepts.
    pub fn token(&self) -> String {
        self.state().token.clone()
    }

    /// A builder set up for this server: its base URL and token, and short retry backoffs
    /// (10 ms to 100 ms) so tests of retries stay fast. Change anything before `build()`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), wolkvox::Error> {
    /// let mock = wolkvox::mock::MockWolkvox::start().await;
    /// let client = mock.client_builder().max_retries(0).build()?;
    /// # let _ = client;
    /// # Ok(()) }
    /// ```
    pub fn client_builder(&self) -> WolkvoxClientBuilder {
        WolkvoxClient::builder()
            .base_url(&self.uri())
            .token(self.token())
            .retry_backoff(Duration::from_millis(10), Duration::from_millis(100))
            .min_poll_interval(Duration::ZERO)
    }

    /// A client for this server; see [`client_builder`](Self::client_builder).
    ///
    /// # Errors
    /// [`Error::Config`] if the token the server was started with cannot be sent as a header.
    pub fn client(&self) -> Result<WolkvoxClient, Error> {
        self.client_builder().build()
    }
}
