//! `WolkvoxClient` and its builder: the entry points of every call.

mod builder;
mod limits;
mod validate;

pub use builder::{
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_MIN_POLL_INTERVAL,
    DEFAULT_TIMEOUT, WolkvoxClientBuilder,
};
pub use limits::DEFAULT_OPERATION_UTC_OFFSET;

use std::sync::Arc;
use std::time::Duration;

use url::Url;

use crate::api::call::CallRequest;
use crate::api::campaign::{self, Campaign, CampaignKind, CampaignRealtime};
use crate::api::information::TokenInfo;
use crate::api::realtime::rows::SkillRealtime;
use crate::api::realtime::{
    AgentRequest, AgentsRequest, RealtimeRequest, SkillRequest, SkillsRequest,
};
use crate::api::reports::ReportRequest;
use crate::decode::rows;
use crate::engine::endpoint::Endpoint;
use crate::engine::operation::Method;
use crate::engine::pipeline::Pipeline;
use crate::error::Error;
use crate::limits::Usage;
use crate::watch::Watch;

/// A client for the Wolkvox API of one operation.
///
/// Cheap to clone: clones share one connection pool and one per-token concurrency limit.
/// Create it once and pass clones around.
///
/// ```no_run
/// # async fn run() -> Result<(), wolkvox::Error> {
/// let client = wolkvox::WolkvoxClient::builder()
///     .server("0004")
///     .token(std::env::var("WOLKVOX_TOKEN").unwrap_or_default())
///     .build()?;
/// let skill = client.skill(101).await?;
/// println!("{}: {} waiting", skill.skill_name, skill.calls_in_queue_now);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct WolkvoxClient {
    pipeline: Arc<Pipeline>,
    server: Option<Arc<str>>,
}

impl std::fmt::Debug for WolkvoxClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WolkvoxClient")
            .field("endpoint", &self.endpoint().as_str())
            .field("server", &self.server)
            .field("token", &"<redacted>")
            .field("timeout", &self.pipeline.transport.timeout())
            .field("total_timeout", &self.pipeline.total_timeout)
            .field("retry", &self.pipeline.retry)
            .field("min_poll_interval", &self.pipeline.min_poll_interval)
            .field("operation_utc_offset", &self.pipeline.operation_utc_offset)
            .finish_non_exhaustive()
    }
}

impl WolkvoxClient {
    /// A builder with the defaults; see [`WolkvoxClientBuilder`].
    pub fn builder() -> WolkvoxClientBuilder {
        WolkvoxClientBuilder::new()
    }

    /// A client configured from `WOLKVOX_SERVER`, `WOLKVOX_TOKEN` and `WOLKVOX_BASE_URL`.
    ///
    /// # Errors
    /// [`Error::Config`] when the token or the server is missing or invalid.
    pub fn from_env() -> Result<Self, Error> {
        WolkvoxClientBuilder::new().from_env().build()
    }

    pub(crate) fn from_parts(pipeline: Pipeline, server: Option<String>) -> Self {
        WolkvoxClient {
            pipeline: Arc::new(pipeline),
            server: server.map(Arc::from),
        }
    }

    /// The real-time figures of one skill: `.await` it, or set options first.
    ///
    /// Answers [`Error::NotFound`] when the operation has no such skill (or no data for it).
    ///
    /// ```no_run
    /// # async fn run(client: wolkvox::WolkvoxClient) -> Result<(), wolkvox::Error> {
    /// let skill = client.skill(101).await?;
    /// let with_45s = client.skill(101).service_time(45).await?;
    /// assert!(with_45s.service_level(45).is_some());
    /// # Ok(()) }
    /// ```
    pub fn skill(&self, skill_id: u32) -> SkillRequest {
        SkillRequest::new(Arc::clone(&self.pipeline), skill_id)
    }

    /// The real-time figures of every skill of the operation (`skill_id=all`). "No data" is
    /// an empty `Vec`.
    pub fn skills(&self) -> SkillsRequest {
        SkillsRequest::new(Arc::clone(&self.pipeline))
    }

    /// The real-time state of one logged-in agent: `.await` it.
    ///
    /// Answers [`Error::NotFound`] when the agent is not logged in (no data for it).
    pub fn agent(&self, agent_id: u32) -> AgentRequest {
        AgentRequest::new(Arc::clone(&self.pipeline), agent_id)
    }

    /// The real-time state of every logged-in agent. "No data" is an empty `Vec`.
    ///
    /// ```no_run
    /// # async fn run(client: wolkvox::WolkvoxClient) -> Result<(), wolkvox::Error> {
    /// for agent in client.agents().await? {
    ///     println!("{} {} for {:?}", agent.agent_name, agent.agent_status, agent.time_state_now);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn agents(&self) -> AgentsRequest {
        AgentsRequest::new(Arc::clone(&self.pipeline))
    }

    /// Any report of the real-time family by its `api=` name (`"campaigns"`, `"latency"`,
    /// `"info_server"`, ...), as JSON rows or your own type; see [`RealtimeRequest`].
    pub fn realtime(&self, api: &str) -> RealtimeRequest {
        RealtimeRequest::new(Arc::clone(&self.pipeline), Endpoint::Realtime, api)
    }

    /// A catalogue of `information.php` by its `api=` name (`"agents"`, `"skills"`,
    /// `"activity_codes"`, `"campaigns"`, `"agents_in_skill"` with `param("skill_id", ..)`,
    /// `"audit_log"` with a date range): the same request value as
    /// [`realtime`](Self::realtime), on the catalogue endpoint. Typed rows are in
    /// [`wolkvox::information`](crate::information). Every call costs one request of the
    /// token's daily quota.
    ///
    /// ```no_run
    /// # async fn run(client: wolkvox::WolkvoxClient) -> Result<(), wolkvox::Error> {
    /// use wolkvox::information::AgentInfo;
    /// let agents: Vec<AgentInfo> = client.information("agents").send_as().await?;
    /// let in_skill = client.information("agents_in_skill").param("skill_id", "101").send().await?;
    /// # Ok(()) }
    /// ```
    pub fn information(&self, api: &str) -> RealtimeRequest {
        RealtimeRequest::new(Arc::clone(&self.pipeline), Endpoint::Information, api)
    }

    /// The token's quota today (`information.php?api=token_info`): how many requests it may
    /// make and has made. This call costs one request itself.
    ///
    /// ```no_run
    /// # async fn run(client: wolkvox::WolkvoxClient) -> Result<(), wolkvox::Error> {
    /// let quota = client.token_info().await?;
    /// if quota.remaining() < 500 {
    ///     eprintln!("only {} requests left today: postponing the export", quota.remaining());
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::NotFound`] when the service has no data for the token; any other [`Error`]
    /// of a call.
    pub async fn token_info(&self) -> Result<TokenInfo, Error> {
        let query = vec![("api".into(), "token_info".to_owned())];
        let info = self
            .pipeline
            .execute(Endpoint::Information, query, |raw| {
                let decoded = rows::report::<TokenInfo>(raw)?;
                decoded
                    .rows
                    .into_iter()
                    .next()
                    .ok_or_else(|| Error::NotFound {
                        status: raw.status,
                        message: "no token information in the answer".to_owned(),
                        attempts: 1,
                    })
            })
            .await?;
        // The service counted more (other consumers of the token, another tool): so does the
        // day's count of `daily_budget` and `usage()`.
        self.pipeline
            .limits
            .saw_service_count(info.token_use_today)
            .await;
        Ok(info)
    }

    /// The token's requests today as this client's limits count them: `used` (every request
    /// sent, retries included; by every process sharing the limits, with
    /// [`shared_limits`](WolkvoxClientBuilder::shared_limits)), the
    /// [`daily_budget`](WolkvoxClientBuilder::daily_budget), the operation's `day`. Sends
    /// nothing to Wolkvox.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), wolkvox::Error> {
    /// let client = wolkvox::WolkvoxClient::builder()
    ///     .server("0004")
    ///     .token("my-token")
    ///     .daily_budget(4_000)
    ///     .build()?;
    /// let usage = client.usage().await?;
    /// assert_eq!((usage.used, usage.budget, usage.remaining()), (0, Some(4_000), Some(4_000)));
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::SharedLimits`] when the shared limits cannot be read and are set to fail
    /// (`Fallback::Fail`); never with the in-process limits.
    pub async fn usage(&self) -> Result<Usage, Error> {
        self.pipeline.limits.usage().await
    }

    /// Any documented request: the endpoint file under `/api/v2/` (`"configuration.php"`,
    /// `"campaign.php"`, `"agentbox.php"`, ...) and its `api=` name, with any method; see
    /// [`CallRequest`] and [`Reply`](crate::Reply). The crate never sends a `Post`, `Put` or `Delete` twice
    /// unless it is marked [`idempotent`](CallRequest::idempotent): a write whose outcome is
    /// not known is [`Error::OutcomeUnknown`], a refusal [`Error::Rejected`].
    ///
    /// ```no_run
    /// # async fn run(client: wolkvox::WolkvoxClient) -> Result<(), wolkvox::Error> {
    /// use wolkvox::{Method, Reply};
    /// let reply: Reply = client
    ///     .call(Method::Post, "configuration.php", "add_ip")
    ///     .json(&serde_json::json!({"ip": "203.0.113.7", "permanent": "no", "description": "office"}))
    ///     .send()
    ///     .await?;
    /// println!("{} {}", reply.code, reply.message);
    /// client.call(Method::Put, "campaign.php", "start").param("campaign_id", "7224").idempotent().await?;
    /// let rows = client.call(Method::Get, "billing.php", "consumption").rows().await?;
    /// # Ok(()) }
    /// ```
    pub fn call(&self, method: Method, endpoint: &str, api: &str) -> CallRequest {
        CallRequest::new(Arc::clone(&self.pipeline), method, endpoint, api)
    }

    /// A handle on the outbound campaign `id` of this `kind`: upload its records, start and
    /// stop it, follow it; see [`Campaign`] and [`wolkvox::campaign`](crate::campaign).
    /// Nothing is sent until a method of the handle is awaited.
    ///
    /// ```no_run
    /// # async fn run(client: wolkvox::WolkvoxClient) -> Result<(), wolkvox::Error> {
    /// use wolkvox::campaign::{CampaignKind, CampaignRecord};
    /// let campaign = client.campaign(7224, CampaignKind::Predictive);
    /// let report = campaign.add_records(&[CampaignRecord::new("1000000001")]).await?;
    /// assert!(report.is_complete());
    /// campaign.start().await?;
    /// # Ok(()) }
    /// ```
    pub fn campaign(&self, id: u32, kind: CampaignKind) -> Campaign {
        Campaign::new(Arc::clone(&self.pipeline), id, kind)
    }

    /// Every outbound campaign's real-time row (`real_time.php?api=campaigns`; the bare-array
    /// answer without an envelope is accepted). "No data" is an empty `Vec`.
    ///
    /// ```no_run
    /// # async fn run(client: wolkvox::WolkvoxClient) -> Result<(), wolkvox::Error> {
    /// for row in client.campaigns_realtime().await? {
    ///     println!("{} {}: {} of {} dialled", row.campaign_id, row.status, row.dial, row.records);
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// The errors of a read, and [`Error::Decode`] for a row whose `campaign` does not start
    /// with an id.
    pub async fn campaigns_realtime(&self) -> Result<Vec<CampaignRealtime>, Error> {
        campaign::campaigns_realtime(&self.pipeline).await
    }

    /// A historical report (`reports_manager.php`) by its `api=` name (`"cdr_1"`,
    /// `"skill_3"`, `"agent_1"`, ...): set its range, then `.await` it; see [`ReportRequest`].
    ///
    /// ```no_run
    /// # async fn run(client: wolkvox::WolkvoxClient) -> Result<(), wolkvox::Error> {
    /// use jiff::civil::date;
    /// use wolkvox::reports::CallRecord;
    /// let calls: Vec<CallRecord> = client
    ///     .report("cdr_1")
    ///     .days(date(2026, 1, 1), date(2026, 3, 31))
    ///     .send_as()
    ///     .await?;
    /// let chats = client.report("chat_1").on(date(2026, 8, 12)).await?;
    /// # Ok(()) }
    /// ```
    pub fn report(&self, api: &str) -> ReportRequest {
        ReportRequest::new(Arc::clone(&self.pipeline), api)
    }

    /// Polls every skill: the first snapshot now, then one per `interval` (see
    /// [`RECOMMENDED_POLL_INTERVAL`](crate::RECOMMENDED_POLL_INTERVAL) and
    /// [`Watch`] for the exact timing). Same as `client.skills().watch(interval)`.
    ///
    /// ```no_run
    /// # async fn run(client: wolkvox::WolkvoxClient) {
    /// let mut snapshots = client.watch_skills(wolkvox::RECOMMENDED_POLL_INTERVAL);
    /// while let Some(snapshot) = snapshots.next().await {
    ///     match snapshot {
    ///         Ok(skills) => println!("{} skills", skills.len()),
    ///         Err(error) => eprintln!("poll failed: {error}"),
    ///     }
    /// }
    /// # }
    /// ```
    pub fn watch_skills(&self, interval: Duration) -> Watch<Vec<SkillRealtime>> {
        self.skills().watch(interval)
    }

    /// The URL of the real-time endpoint, without query.
    pub fn endpoint(&self) -> &Url {
        self.pipeline.transport.endpoint(Endpoint::Realtime)
    }

    /// The server nomenclature, when one was set.
    pub fn server(&self) -> Option<&str> {
        self.server.as_deref()
    }
}
