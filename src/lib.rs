//! # wolkvox
//!
//! A typed, async client for the [Wolkvox](https://www.wolkvox.com) contact-center API:
//!
//! - real time: each skill's queue, answered and abandoned calls, service levels
//!   ([`WolkvoxClient::skill`], [`skills`](WolkvoxClient::skills)), each agent's state
//!   ([`agents`](WolkvoxClient::agents)), any other real-time report
//!   ([`realtime`](WolkvoxClient::realtime)), polled with [`Watch`] or shared with
//!   [`SharedWatch`];
//! - historical reports over any range, cut into windows the service accepts
//!   ([`report`](WolkvoxClient::report), [`reports`]);
//! - catalogues and the token's quota ([`information`](WolkvoxClient::information),
//!   [`token_info`](WolkvoxClient::token_info), [`information`](mod@information));
//! - any other documented endpoint, reads and writes ([`call`](WolkvoxClient::call)): a write
//!   is never sent twice unless marked idempotent, an unknown outcome is
//!   [`Error::OutcomeUnknown`] and a refusal [`Error::Rejected`].
//!
//! The API sends every figure as a string (`"34.64 %"`, `"17"`, `""`), reports rate limits as
//! 403, "no data" as 404 on reads but "refused" on writes, and its `code` as a number or a
//! string. This crate turns all of that into numbers and one typed [`Error`], and keeps you
//! within the vendor's usage limits (at most 1 or 2 requests in flight per token, retries with
//! backoff, a polling floor).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), wolkvox::Error> {
//! use wolkvox::{Error, SkillRealtime, WolkvoxClient};
//! # let mock = wolkvox::mock::MockWolkvox::start().await;
//! # let mut support = SkillRealtime::new(101, "SOPORTE_TECNICO");
//! # support.calls_in_queue_now = 3;
//! # support.service_level_20seg = 78.52;
//! # mock.add_skill(support);
//! # let (base_url, token) = (mock.uri(), mock.token());
//!
//! let client = WolkvoxClient::builder()
//!     .base_url(&base_url) // or .server("0004") for https://wv0004.wolkvox.com
//!     .token(token)
//!     .build()?;
//!
//! let skill: SkillRealtime = client.skill(101).await?;
//! assert_eq!(skill.skill_name, "SOPORTE_TECNICO");
//! assert_eq!(skill.calls_in_queue_now, 3);
//! assert_eq!(skill.service_level_20seg, 78.52);
//!
//! match client.skill(999).await {
//!     Err(Error::NotFound { .. }) => {} // the operation has no such skill
//!     other => panic!("unexpected {other:?}"),
//! }
//! let all: Vec<SkillRealtime> = client.skills().await?;
//! assert_eq!(all.len(), 1);
//! # Ok(()) }
//! ```
//!
//! ## Features
//! - `tracing` (default): a span per call and an event per attempt (api, skill id, attempt,
//!   status, elapsed; never the token). Silent unless you install a subscriber.
//! - `mock`: [`mock::MockWolkvox`], a simulated Wolkvox server for testing code that uses
//!   this crate, without network or token.
//! - `redis`: `limits::RedisLimits`, the token's concurrency slots and daily budget shared
//!   through Redis by every process using it (see [`limits`]).
//!
//! ## Layout
//! One request flows one way: [`WolkvoxClient`] (`src/client/`) -> a request value of its
//! endpoint family (`src/api/`: [`SkillRequest`], [`reports::ReportRequest`],
//! [`CallRequest`]) -> the engine (`src/engine/`: operation, limiter, attempts, retry
//! classifier, transport) -> decoding (`src/decode/`: status, envelope, values, rows) -> a
//! typed row ([`SkillRealtime`]) or an [`Error`]. See `docs/design.md` in the repository.

#![forbid(unsafe_code)]
#![deny(missing_docs, missing_debug_implementations)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod api;
mod client;
pub mod de;
mod decode;
mod engine;
mod error;
pub mod limits;
mod watch;

pub use api::call::{CallRequest, Reply};
pub use api::{campaign, information, reports};
pub use engine::endpoint;
pub use engine::operation::Method;

#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;

pub use api::realtime::rows::{AgentRealtime, AgentStatus, SkillRealtime};
pub use api::realtime::{
    AgentRequest, AgentsRequest, RealtimeRequest, ResponseFuture, SkillRequest, SkillsRequest,
};
pub use client::{
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_MIN_POLL_INTERVAL,
    DEFAULT_OPERATION_UTC_OFFSET, DEFAULT_TIMEOUT, WolkvoxClient, WolkvoxClientBuilder,
};
pub use engine::retry::{DEFAULT_BACKOFF_BASE, DEFAULT_BACKOFF_MAX, DEFAULT_MAX_RETRIES};
pub use error::Error;
pub use futures_core::Stream;
pub use watch::{
    PollStats, RECOMMENDED_POLL_INTERVAL, SharedWatch, Snapshot, SnapshotStream, Watch,
};

/// The `jiff` this crate's dates and times come from (report ranges, typed report rows,
/// checkpoints): use `wolkvox::jiff::civil::date(..)` without a dependency of your own, or
/// depend on `jiff = "1"` (the same major version).
pub use jiff;

/// The `reqwest` this crate is built on, for [`WolkvoxClientBuilder::http_client`]: a
/// `reqwest::Client` must come from this exact version.
pub use reqwest;

/// Not part of the public API; for benches and fuzzing, compiled only with the `__private`
/// feature. May change or disappear in any release without notice.
#[cfg(feature = "__private")]
#[doc(hidden)]
pub mod __private {
    use crate::decode::{rows, status::ResponseView};
    use crate::{Error, SkillRealtime};

    /// Not part of the public API; for benches and fuzzing.
    ///
    /// The crate's full decode of a `skills` response (HTTP `status` and `body`, no
    /// `Retry-After`) into rows, exactly as a call does it before picking a row; decodes
    /// straight from the borrowed body.
    pub fn decode_skills_response(status: u16, body: &[u8]) -> Result<Vec<SkillRealtime>, Error> {
        let view = ResponseView {
            status,
            retry_after: None,
            body,
        };
        rows::typed::<SkillRealtime>(view).map(|decoded| decoded.rows)
    }

    /// Not part of the public API; for benches and fuzzing.
    ///
    /// The body of one `add_record` request for a predictive campaign, as an upload writes
    /// it.
    pub fn campaign_body(records: &[crate::campaign::CampaignRecord]) -> Vec<u8> {
        crate::api::campaign::body(records, crate::campaign::CampaignKind::Predictive)
    }

    /// Not part of the public API; for benches and fuzzing.
    ///
    /// The crate's decode of one window of a historical report (HTTP `status` and `body`)
    /// into `T`, exactly as `ReportRequest::windows_as` does it: the rows the server sent
    /// (a `TOTAL` row included) and the rows kept.
    pub fn decode_report_response<T: serde::de::DeserializeOwned>(
        status: u16,
        body: &[u8],
    ) -> Result<(usize, Vec<T>), Error> {
        let view = ResponseView {
            status,
            retry_after: None,
            body,
        };
        rows::report::<T>(view).map(|decoded| (decoded.sent(), decoded.rows))
    }
}

/// Compile-time checks that the public types can be shared across tasks and threads.
#[allow(dead_code)]
fn _assert_impls() {
    fn send_sync<T: Send + Sync>() {}
    fn send<T: Send>() {}
    fn clone<T: Clone>() {}
    fn unpin<T: Unpin>() {}
    send_sync::<WolkvoxClient>();
    clone::<WolkvoxClient>();
    send_sync::<WolkvoxClientBuilder>();
    send_sync::<Error>();
    send_sync::<SkillRealtime>();
    send_sync::<SkillRequest>();
    send_sync::<SkillsRequest>();
    send_sync::<AgentRealtime>();
    send_sync::<AgentRequest>();
    send_sync::<AgentsRequest>();
    send_sync::<RealtimeRequest>();
    send_sync::<CallRequest>();
    send_sync::<Reply>();
    clone::<Reply>();
    send_sync::<Method>();
    send_sync::<campaign::Campaign>();
    clone::<campaign::Campaign>();
    send_sync::<campaign::CampaignKind>();
    send_sync::<campaign::CampaignRecord>();
    send_sync::<campaign::WireRecord<'static>>();
    send_sync::<campaign::UploadReport>();
    clone::<campaign::UploadReport>();
    send_sync::<campaign::Batch>();
    send_sync::<campaign::BatchOutcome>();
    clone::<campaign::BatchOutcome>();
    send_sync::<campaign::RecordError>();
    send_sync::<campaign::LicenceLimit>();
    send_sync::<campaign::Refusal>();
    send_sync::<campaign::CampaignRealtime>();
    send_sync::<campaign::CampaignStatus>();
    send::<Watch<campaign::CampaignRealtime>>();
    send::<ResponseFuture<Reply>>();
    send::<ResponseFuture<SkillRealtime>>();
    unpin::<ResponseFuture<SkillRealtime>>();
    send::<Watch<Vec<SkillRealtime>>>();
    unpin::<Watch<Vec<SkillRealtime>>>();
    send_sync::<SharedWatch<Vec<SkillRealtime>>>();
    clone::<SharedWatch<Vec<AgentRealtime>>>();
    send_sync::<SnapshotStream<Vec<SkillRealtime>>>();
    send_sync::<Snapshot<Vec<SkillRealtime>>>();
    send_sync::<PollStats>();
    unpin::<SnapshotStream<SkillRealtime>>();
    send_sync::<reports::ReportRequest>();
    clone::<reports::ReportRequest>();
    send::<reports::ReportWindows<reports::CallRecord>>();
    unpin::<reports::ReportWindows<reports::CallRecord>>();
    send_sync::<reports::ReportWindow<reports::CallRecord>>();
    send_sync::<reports::Checkpoint>();
    clone::<reports::Checkpoint>();
    send_sync::<reports::ReportFollow>();
    clone::<reports::ReportFollow>();
    send::<reports::FollowWindows<reports::CallRecord>>();
    unpin::<reports::FollowWindows<reports::CallRecord>>();
    #[cfg(feature = "mock")]
    send_sync::<mock::MockWolkvox>();
    send_sync::<limits::LocalLimits>();
    clone::<limits::LocalLimits>();
    send_sync::<limits::Usage>();
    clone::<limits::Usage>();
    send_sync::<limits::Scope>();
    send_sync::<limits::Day>();
    send::<limits::Slot>();
    send::<limits::Grant>();
    send_sync::<limits::LimitsError>();
    send::<limits::LimitsFuture<'static, ()>>();
    fn is_limits<T: limits::Limits>() {}
    fn dyn_limits(_: std::sync::Arc<dyn limits::Limits>) {}
    dyn_limits(std::sync::Arc::new(limits::LocalLimits::new()));
    is_limits::<limits::LocalLimits>();
    #[cfg(feature = "redis")]
    {
        send_sync::<limits::RedisLimits>();
        clone::<limits::RedisLimits>();
        send_sync::<limits::Fallback>();
        is_limits::<limits::RedisLimits>();
    }
}

/// The README's examples, compiled and run as doctests so they keep working.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
