//! Outbound campaigns (`campaign.php`): upload customer records exactly once, start and stop
//! the dialler, follow it in the real-time `campaigns` report.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), wolkvox::Error> {
//! # let mock = wolkvox::mock::MockWolkvox::start().await;
//! # mock.add_campaign(7224, wolkvox::campaign::CampaignKind::Predictive, "COBRANZA");
//! # let client = mock.client()?;
//! use wolkvox::campaign::{CampaignKind, CampaignRealtime, CampaignRecord, UploadReport};
//!
//! let campaign = client.campaign(7224, CampaignKind::Predictive); // a handle; nothing is sent
//! let mut record = CampaignRecord::new("1000000001");
//! record.customer_name = "ANA".into();
//! record.phones = vec!["3105550199".into(), "6015550100".into()];
//! record.options[0] = "VIP".into();
//! let records = vec![record];
//!
//! let report: UploadReport = campaign.add_records(&records).await?; // 10,000 a request, in order
//! if !report.is_complete() {
//!     let checked = campaign.reconcile(&report).await?; // one request: the campaign's records
//!     let rest: Vec<CampaignRecord> = checked.pending().map(|i| records[i].clone()).collect();
//!     campaign.add_records(&rest).await?;
//! }
//! campaign.start().await?;
//! let now: CampaignRealtime = campaign.status().await?; // this campaign's real-time row
//! assert_eq!(now.records, 1);
//! campaign.set_speed(80).await?;
//! campaign.stop().await?;
//! # Ok(()) }
//! ```
//!
//! # Uploading records
//!
//! Wolkvox has no idempotency key: a request to `add_record` that timed out may have been
//! applied, and sending it again loads its records twice (and calls those customers twice).
//! [`Campaign::add_records`] makes an upload exact anyway:
//!
//! 1. **Every record is checked first**; a bad one refuses the whole upload with
//!    [`Error::InvalidRequest`](crate::Error::InvalidRequest) naming the first bad record's
//!    index and field, and nothing is sent: a blank `customer_id`, more than 10 phones, an
//!    option longer than its limit (100 characters for `opt1`..`opt6`, 200 for
//!    `opt7`..`opt12`), the same `customer_id` (trimmed) twice in the upload, an `agent_id` on
//!    a predictive campaign. An empty upload sends nothing and is complete.
//! 2. **Batches of at most 10,000 records** ([`MAX_BATCH`], the documented bound;
//!    [`Campaign::batch_size`] lowers it) go **one at a time, in order**, each as one `POST
//!    campaign.php?api=add_record&type_campaign=..&campaign_id=..` whose body is the JSON
//!    array of the records written for the campaign's kind ([`CampaignRecord::wire`]).
//!    `campaign_status` is not sent: its effect is not documented; use
//!    [`start`](Campaign::start) and [`stop`](Campaign::stop).
//! 3. **A batch is never sent twice.** Its outcome is one of [`BatchOutcome`]:
//!    `Accepted` (with the count the service reported and any per-record errors), `Rejected`
//!    (a refusal such as an unknown campaign, the licence bound or invalid records, with the
//!    service's message and per-record errors; or a request that could not be made, such as
//!    [`QuotaExceeded`](crate::Error::QuotaExceeded)), `Unknown` (sent, answer lost or
//!    unreadable: [`OutcomeUnknown`](crate::Error::OutcomeUnknown)) or `NotSent`.
//! 4. **The upload stops at the first batch that is not accepted**; the later ones are
//!    `NotSent`. `add_records` answers `Err` only when nothing was sent; otherwise an
//!    [`UploadReport`], which says what is [`pending`](UploadReport::pending): the indexes
//!    of the records not known to be in the campaign.
//! 5. **An unknown outcome is settled, not guessed**: [`Campaign::reconcile`] lists the
//!    campaign's records once and splits each `Unknown` batch into the records found
//!    (accepted) and not found (pending). Upload the pending ones, and no record is loaded
//!    twice.
//!
//! Per-record errors come from the body's `array_errors`; their "object position N" (0-based
//! within the batch) plus the batch's first index is [`RecordError::index`]. The licence
//! refusal's two numbers are [`LicenceLimit`] ([`UploadReport::licence_limit`],
//! [`LicenceLimit::from_error`]); [`Refusal`] names the known refusals by their stable
//! fragments.
//!
//! Allow an upload time: the vendor gives a call 60 s, and uploads up to 120 s (the client's
//! `timeout`, 60 s by default, applies to each batch).
//!
//! # Starting, stopping, following
//!
//! [`start`](Campaign::start), [`stop`](Campaign::stop) and
//! [`set_speed`](Campaign::set_speed) set a state and are retried like reads;
//! [`clear`](Campaign::clear), [`clear_results`](Campaign::clear_results) and
//! [`remove_records`](Campaign::remove_records) are not. A refusal is
//! [`Error::Rejected`](crate::Error::Rejected) with the service's message ("you currently have
//! 2 active predictives"). [`Campaign::status`] is the campaign's [`CampaignRealtime`] row,
//! [`Campaign::watch`] polls it, and
//! [`WolkvoxClient::campaigns_realtime`](crate::WolkvoxClient::campaigns_realtime) answers
//! every campaign's row. A campaign has dialled everything when
//! [`CampaignRealtime::is_finished`]; its status stays `started`.

mod export;
mod handle;
mod realtime;
mod record;
mod refusal;
mod upload;
mod validate;

pub use handle::{Campaign, RESULTS};
pub use realtime::{CampaignRealtime, CampaignStatus};
pub use record::{CampaignRecord, LONG_OPTION_CHARS, MAX_PHONES, SHORT_OPTION_CHARS, WireRecord};
pub use refusal::{LicenceLimit, Refusal};

#[cfg(feature = "__private")]
pub(crate) use record::body;
pub use upload::{Batch, BatchOutcome, RecordError, UploadReport};

use std::fmt;
use std::str::FromStr;

use crate::api::realtime::fetch_all;
use crate::engine::pipeline::Pipeline;
use crate::error::Error;

/// The most records one `add_record` request carries (the vendor's documented bound).
pub const MAX_BATCH: usize = 10_000;

/// The endpoint file of the campaign requests.
const ENDPOINT: &str = "campaign.php";

/// The kind of an outbound campaign, sent as `type_campaign`. It decides which keys a record
/// is sent with (see [`CampaignRecord`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CampaignKind {
    /// `predictive`: the dialler calls records and hands answered calls to agents.
    Predictive,
    /// `preview`: an agent sees the record before the call; records may be assigned to an
    /// agent (`agent_id`).
    Preview,
}

impl CampaignKind {
    /// The value of `type_campaign`: `"predictive"` or `"preview"`.
    pub fn as_str(self) -> &'static str {
        match self {
            CampaignKind::Predictive => "predictive",
            CampaignKind::Preview => "preview",
        }
    }
}

impl fmt::Display for CampaignKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Parses `predictive` or `preview` (any case, spaces trimmed).
///
/// ```
/// use wolkvox::campaign::CampaignKind;
/// assert_eq!("Preview".parse::<CampaignKind>(), Ok(CampaignKind::Preview));
/// assert!("blended".parse::<CampaignKind>().is_err());
/// ```
impl FromStr for CampaignKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("predictive") {
            Ok(CampaignKind::Predictive)
        } else if s.eq_ignore_ascii_case("preview") {
            Ok(CampaignKind::Preview)
        } else {
            Err(format!(
                "campaign kind {s:?} is neither \"predictive\" nor \"preview\""
            ))
        }
    }
}

/// Every campaign's real-time row (`real_time.php?api=campaigns`); "no data" is none.
pub(crate) async fn campaigns_realtime(
    pipeline: &Pipeline,
) -> Result<Vec<CampaignRealtime>, Error> {
    fetch_all(pipeline, vec![("api".into(), "campaigns".to_owned())]).await
}

#[cfg(test)]
mod tests;
