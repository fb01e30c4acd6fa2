//! A simulated Wolkvox server for tests (cargo feature `mock`): no network, no token.
//!
//! [`MockWolkvox`] runs a [wiremock](https://docs.rs/wiremock) server on loopback that answers
//! the three Wolkvox endpoints ([`endpoint`](crate::endpoint)) like the live service:
//!
//! - every request: the `wolkvox-token` header is checked (401 without it, 403
//!   `PLEASE VALIDATE TOKEN` with a wrong one), the daily quota is counted (403
//!   `TOKEN LIMIT EXCEEDED` once it is used up, see [`set_token_limit`](MockWolkvox::set_token_limit)),
//!   and the service's failure modes can be switched on ([`Fault`]);
//! - real time ([`REALTIME_PATH`]): `api=skills` for one id
//!   or `all` and `api=agents` in the live envelope and value formats (`"34.64 %"`, counts as
//!   strings), 404 "no data" for unknown ids, 400 for an unknown `api=` or a missing
//!   parameter, any other report set with [`set_report`](MockWolkvox::set_report);
//! - historical reports ([`REPORTS_PATH`]): rows filtered by
//!   `date_ini`..=`date_end` (and `skill_id` / `agent_id`), the 31-day range limit, the
//!   60,000-record cut ([`set_report_rows`](MockWolkvox::set_report_rows)), and with
//!   [`load_demo`](MockWolkvox::load_demo) a generated history for any date;
//! - catalogues ([`INFORMATION_PATH`]): `agents`,
//!   `skills`, `activity_codes`, `campaigns`, `agents_in_skill`, `audit_log`, and
//!   `token_info` with the quota used today ([`set_information`](MockWolkvox::set_information)).
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
//! # Ok(()) }
//! ```
//!
//! Choices where the live service's answer is not documented: a date range touching more
//! than 31 calendar days (1 for `skill_5`) is refused with 400
//! `THE DATE RANGE CANNOT EXCEED 31 DAYS` (`... 1 DAY`); more matching rows than the record
//! limit are cut silently (code 200, the first rows only); a range whose end is before its
//! start matches nothing (404 "no data").

mod agent_report;
mod catalogue;
mod control;
mod dates;
mod demo;
mod demo_reports;
mod history;
mod information;
mod realtime;
mod render;
mod reports;
mod responder;
mod state;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};

use crate::engine::endpoint::{INFORMATION_PATH, REALTIME_PATH, REPORTS_PATH};
use crate::{Error, WolkvoxClient, WolkvoxClientBuilder};

pub use demo::{demo_agents, demo_skills};
pub use render::MAINTENANCE_HTML;

use responder::Responder;
use state::{State, lock};

/// The token a [`MockWolkvox`] accepts unless started with another.
pub const MOCK_TOKEN: &str = "mock-token";

/// The most rows a report or catalogue answer carries unless changed with
/// [`MockWolkvox::set_record_limit`]: the vendor's published limit per call.
pub const DEFAULT_RECORD_LIMIT: usize = 60_000;

/// The requests a day the token may make unless changed with
/// [`MockWolkvox::set_token_limit`].
pub const DEFAULT_TOKEN_LIMIT: u64 = 10_000;

/// A failure mode of the live service, switched on with [`MockWolkvox::set_fault`] or
/// [`MockWolkvox::fail_next`]. Each variant is named like the [`Error`] it causes.
///
/// A request answered with a fault does not count against the daily quota.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Fault {
    /// 503 with the HTML maintenance page (content-type `text/html`): [`Error::Api`].
    Maintenance,
    /// 403 `TOKEN LIMIT EXCEEDED`, the daily quota used up: [`Error::QuotaExceeded`].
    QuotaExceeded,
    /// 403 `EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)`:
    /// [`Error::ConcurrencyLimited`].
    ConcurrencyLimited,
    /// 403 `PLEASE VALIDATE TOKEN`, whatever token is sent: [`Error::Unauthorized`].
    Unauthorized,
    /// The normal answer, after this delay (for timeouts).
    Delay(Duration),
}

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
    server: MockServer,
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
    /// Starts an empty server accepting [`MOCK_TOKEN`], on a free loopback port.
    pub async fn start() -> Self {
        Self::start_with_token(MOCK_TOKEN).await
    }

    /// Starts an empty server accepting `token`, on a free loopback port.
    pub async fn start_with_token(token: impl Into<String>) -> Self {
        Self::serve(MockServer::start().await, token.into()).await
    }

    /// Starts an empty server accepting [`MOCK_TOKEN`] on a listener you bound, e.g. a fixed
    /// port for other programs to reach (`cargo run --example simulator` does this). Requests
    /// are not recorded, so a long-running simulator does not grow.
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
    pub async fn start_on(listener: std::net::TcpListener) -> Self {
        let server = MockServer::builder()
            .listener(listener)
            .disable_request_recording()
            .start()
            .await;
        Self::serve(server, MOCK_TOKEN.to_owned()).await
    }

    /// Starts a server accepting [`MOCK_TOKEN`] with the demo operation loaded
    /// ([`load_demo`](Self::load_demo)).
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
    pub async fn start_demo() -> Self {
        let mock = Self::start().await;
        mock.load_demo();
        mock
    }

    async fn serve(server: MockServer, token: String) -> Self {
        let state = Arc::new(Mutex::new(State::new(token)));
        for endpoint in [REALTIME_PATH, REPORTS_PATH, INFORMATION_PATH] {
            Mock::given(method("GET"))
                .and(path(endpoint))
                .respond_with(Responder::new(Arc::clone(&state)))
                .mount(&server)
                .await;
        }
        MockWolkvox { server, state }
    }

    /// Loads the demo operation, replacing the skills and agents:
    ///
    /// - real time: [`demo_skills`] (twelve skills) and [`demo_agents`] (ten agents) in
    ///   mid-afternoon;
    /// - history, for any date asked: `cdr_1`, `skill_3`, `skill_4`, `skill_4_1`, `skill_4_2`,
    ///   `skill_7` and `agent_1`, generated per day from the same calls (about 2,000 a day
    ///   along a daily curve, so a 31-day `cdr_1` window meets the 60,000-record cut);
    ///   `skill_4*` rows carry a `date` column besides `hour`, so rows of several days stay
    ///   apart (the live samples show none: do not rely on it);
    /// - catalogues: `agents` (the ten and one inactive agent), `skills`, `activity_codes`,
    ///   `campaigns`, `agents_in_skill`, and a generated `audit_log` (logins and logouts).
    ///
    /// Rows set with [`set_report_rows`](Self::set_report_rows) or
    /// [`set_information`](Self::set_information) take precedence, before or after.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use wolkvox::endpoint::REPORTS_PATH;
    /// use wolkvox::mock::{MOCK_TOKEN, MockWolkvox};
    ///
    /// let mock = MockWolkvox::start().await;
    /// mock.load_demo();
    /// let url = format!(
    ///     "{}{REPORTS_PATH}?api=skill_3&date_ini=20260812000000&date_end=20260812235959&skill_id=101",
    ///     mock.uri()
    /// );
    /// let text = reqwest::Client::new()
    ///     .get(url)
    ///     .header("wolkvox-token", MOCK_TOKEN)
    ///     .send()
    ///     .await?
    ///     .text()
    ///     .await?;
    /// let body: serde_json::Value = serde_json::from_str(&text)?;
    /// let day = &body["data"][0];
    /// assert_eq!(day["date"], "2026-08-12");
    /// assert_eq!(day["skill_name"], "SOPORTE_TECNICO");
    /// # Ok(()) }
    /// ```
    pub fn load_demo(&self) {
        let catalogues = catalogue::demo_catalogues();
        let mut state = self.state();
        state.skills = demo_skills().into_iter().map(|s| (s.skill_id, s)).collect();
        state.agents = demo_agents().into_iter().map(|a| (a.agent_id, a)).collect();
        state.demo_history = true;
        for (api, rows) in catalogues {
            state.demo_catalogues.insert(api.to_owned(), Arc::new(rows));
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    /// The server's base URL, e.g. `http://127.0.0.1:41234`: pass it to
    /// [`WolkvoxClientBuilder::base_url`].
    pub fn uri(&self) -> String {
        self.server.uri()
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
