//! `Campaign`: a handle on one outbound campaign, from
//! [`WolkvoxClient::campaign`](crate::WolkvoxClient::campaign).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::export::{self, IdOnly};
use super::record::CampaignRecord;
use super::upload::UploadReport;
use super::upload::reconcile::settle;
use super::upload::run::Upload;
use super::{CampaignKind, CampaignRealtime, ENDPOINT, MAX_BATCH, validate};
use crate::api::call::{CallRequest, Reply};
use crate::api::realtime::fetch_one;
use crate::engine::operation::{Method, Operation, Target};
use crate::engine::pipeline::Pipeline;
use crate::error::Error;
use crate::watch::Watch;

/// The values `result` takes on `clear_campaign` (see [`Campaign::clear_results`]).
pub const RESULTS: [&str; 10] = [
    "no-answer",
    "answer-machine",
    "abandon",
    "busy",
    "congestion",
    "unknown",
    "failed",
    "do-not-call",
    "chanunavail",
    "answer",
];

/// One outbound campaign of the operation: upload its records, start and stop it, follow
/// it. A handle: making one sends nothing; clones share the client's connections and limits.
///
/// See [the module documentation](super) for the rules of an upload.
#[derive(Clone)]
pub struct Campaign {
    pipeline: Arc<Pipeline>,
    id: u32,
    kind: CampaignKind,
    batch_size: usize,
}

impl fmt::Debug for Campaign {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Campaign")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("batch_size", &self.batch_size)
            .finish_non_exhaustive()
    }
}

impl Campaign {
    pub(crate) fn new(pipeline: Arc<Pipeline>, id: u32, kind: CampaignKind) -> Self {
        Campaign {
            pipeline,
            id,
            kind,
            batch_size: MAX_BATCH,
        }
    }

    /// The campaign's id.
    pub fn id(&self) -> u32 {
        self.id
    }

    /// The campaign's kind, as sent in `type_campaign`.
    pub fn kind(&self) -> CampaignKind {
        self.kind
    }

    /// Sends at most `n` records a request instead of [`MAX_BATCH`] (10,000, the documented
    /// bound): `n` is clamped to `1..=10_000`.
    ///
    /// ```
    /// # let client = wolkvox::WolkvoxClient::builder().server("0004").token("t").build().unwrap();
    /// use wolkvox::campaign::CampaignKind;
    /// let campaign = client.campaign(7224, CampaignKind::Preview).batch_size(2_500);
    /// assert!(format!("{campaign:?}").contains("batch_size: 2500"));
    /// ```
    pub fn batch_size(mut self, n: usize) -> Self {
        self.batch_size = n.clamp(1, MAX_BATCH);
        self
    }

    /// Checks `records` as [`add_records`](Self::add_records) does before sending anything
    /// (see [the rules](super#uploading-records)), without sending anything: for a caller
    /// that uploads a long list in several calls (to show progress between them) and wants
    /// the whole list checked first, duplicates across the calls included.
    ///
    /// ```
    /// # let client = wolkvox::WolkvoxClient::builder().server("0004").token("t").build().unwrap();
    /// use wolkvox::campaign::{CampaignKind, CampaignRecord};
    /// let campaign = client.campaign(7224, CampaignKind::Predictive);
    /// let records = [CampaignRecord::new("1"), CampaignRecord::new(" 1 ")];
    /// let error = campaign.check_records(&records).unwrap_err();
    /// assert!(error.to_string().contains("records[1].customer_id is the customer_id of records[0] too"));
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] naming the first bad record's index and field.
    pub fn check_records(&self, records: &[CampaignRecord]) -> Result<(), Error> {
        validate::check(records, self.kind)
    }

    /// Uploads `records` (`POST campaign.php?api=add_record`), in batches of at most
    /// [`batch_size`](Self::batch_size), one request after another, in order; see [the
    /// rules](super#uploading-records).
    ///
    /// # Errors
    /// [`Error::InvalidRequest`], with nothing sent, when a record fails the checks (the first
    /// bad record's index and field are named) or the body cannot be formed. Once something
    /// was sent the answer is an [`UploadReport`], whatever happened to each batch.
    pub async fn add_records(&self, records: &[CampaignRecord]) -> Result<UploadReport, Error> {
        Upload {
            pipeline: &self.pipeline,
            campaign_id: self.id,
            kind: self.kind,
            batch_size: self.batch_size,
        }
        .run(records)
        .await
    }

    /// Settles the [`Unknown`](super::BatchOutcome::Unknown) batches of `report` against the
    /// campaign's own records: lists them once (`campaign.php?api=campaign_15`) and turns each
    /// `Unknown` batch into [`Accepted`](super::BatchOutcome::Accepted), with `added` the records
    /// found and a [`RecordError`](super::RecordError) for each record not found (which
    /// [`pending`](UploadReport::pending) then yields). Nothing else changes. A report without
    /// `Unknown` batches comes back as it is, with no request.
    ///
    /// Records are matched on `customer_id` (trimmed). A record already in the campaign
    /// before the upload counts as found: it is there, so it must not be sent again.
    /// Reconcile after the unknown request had time to finish: the service may still be
    /// working on it.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] (nothing sent) for a report of another campaign; the errors
    /// of [`records`](Self::records) (an [`Error::Decode`] when the export announces more
    /// records than it lists).
    pub async fn reconcile(&self, report: &UploadReport) -> Result<UploadReport, Error> {
        if report.campaign_id() != self.id {
            return Err(Error::invalid_request(format!(
                "the report is of campaign {}, not {}: reconcile it with its own campaign",
                report.campaign_id(),
                self.id
            )));
        }
        if report.in_doubt().is_empty() {
            return Ok(report.clone());
        }
        let listed: Vec<IdOnly> = self.export().await?;
        Ok(settle(report, listed.iter().map(|id| id.0.as_str())))
    }

    /// The campaign's records (`GET campaign.php?api=campaign_15&campaign_id=N`), read from
    /// the export's Spanish keys (see [`CampaignRecord`]). A campaign without records is an
    /// empty `Vec`.
    ///
    /// # Errors
    /// [`Error::NotFound`] when the service says the campaign does not exist; [`Error::Decode`]
    /// when the export announces more records (`total_records`) than it lists; the errors of
    /// a read.
    pub async fn records(&self) -> Result<Vec<CampaignRecord>, Error> {
        self.export().await
    }

    async fn export<T: serde::de::DeserializeOwned>(&self) -> Result<Vec<T>, Error> {
        let operation = Operation {
            method: Method::Get,
            target: Target::File(ENDPOINT.to_owned()),
            query: vec![
                ("api".into(), "campaign_15".to_owned()),
                ("campaign_id".into(), self.id.to_string()),
            ],
            body: None,
            idempotent: true,
        };
        self.pipeline.run(operation, export::read::<T>).await
    }

    /// Starts the dialler on the campaign (`PUT campaign.php?api=start&campaign_id=N`).
    /// Idempotent: retried like a read.
    ///
    /// # Errors
    /// [`Error::Rejected`] with the service's message for a refusal, e.g. "You must turn off a
    /// predictive before starting this one, you currently have 2 active predictives" (see
    /// [`Refusal`](super::Refusal)); the errors of a call.
    pub async fn start(&self) -> Result<Reply, Error> {
        self.control(Method::Put, "start").idempotent().send().await
    }

    /// Stops the dialler (`PUT campaign.php?api=stop&campaign_id=N`). Idempotent.
    ///
    /// # Errors
    /// As [`start`](Self::start).
    pub async fn stop(&self) -> Result<Reply, Error> {
        self.control(Method::Put, "stop").idempotent().send().await
    }

    /// Sets the dialling speed, 0 to 100 (`PUT campaign.php?api=speed&campaign_id=N`, body
    /// `{"speed":"80"}`). Idempotent.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`], nothing sent, for a speed above 100; as
    /// [`start`](Self::start).
    pub async fn set_speed(&self, speed: u32) -> Result<Reply, Error> {
        if speed > 100 {
            return Err(Error::invalid_request(format!(
                "speed {speed} is out of range: 0 to 100"
            )));
        }
        self.control(Method::Put, "speed")
            .json(&serde_json::json!({ "speed": speed.to_string() }))
            .idempotent()
            .send()
            .await
    }

    /// Removes every record of the campaign (`DELETE
    /// campaign.php?api=clear_campaign&type_campaign=..&campaign_id=N`, no body). Not
    /// retried once sent (an unknown outcome is [`Error::OutcomeUnknown`]).
    ///
    /// # Errors
    /// As [`start`](Self::start), and [`Error::OutcomeUnknown`].
    pub async fn clear(&self) -> Result<Reply, Error> {
        self.typed(Method::Delete, "clear_campaign").send().await
    }

    /// Removes the records whose last result is one of `results` (`clear_campaign` with
    /// `result=..`): one request per result, in order, stopping at the first error (the
    /// results before it were cleared). Results are those of [`RESULTS`] (`"no-answer"`,
    /// `"busy"`, ...), any case, `_` or a space read as `-`.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`], nothing sent, for an empty list (which would clear every
    /// record: use [`clear`](Self::clear) for that) or a result not in [`RESULTS`]; as
    /// [`clear`](Self::clear).
    pub async fn clear_results(&self, results: &[&str]) -> Result<Vec<Reply>, Error> {
        if results.is_empty() {
            return Err(Error::invalid_request(
                "clear_results needs at least one result: without one the service clears \
                 every record (use clear() for that)",
            ));
        }
        let mut normalized = Vec::with_capacity(results.len());
        for result in results {
            let value = result.trim().to_ascii_lowercase().replace(['_', ' '], "-");
            if !RESULTS.contains(&value.as_str()) {
                return Err(Error::invalid_request(format!(
                    "result {result:?} is not one of {}",
                    RESULTS.join(", ")
                )));
            }
            normalized.push(value);
        }
        let mut replies = Vec::with_capacity(normalized.len());
        for value in normalized {
            let request = self
                .typed(Method::Delete, "clear_campaign")
                .param("result", value);
            replies.push(request.send().await?);
        }
        Ok(replies)
    }

    /// Removes these records (`DELETE campaign.php?api=remove_record`, body
    /// `{"customer_id":"id1,id2,id3"}`, the ids as one comma-separated string). Irreversible:
    /// the service also erases their attempt history unless the result was ANSWER. Not
    /// retried once sent.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`], nothing sent, for an empty list (nothing to remove), a
    /// blank id or an id holding a comma (it would name two records); as
    /// [`clear`](Self::clear).
    pub async fn remove_records(&self, customer_ids: &[&str]) -> Result<Reply, Error> {
        if customer_ids.is_empty() {
            return Err(Error::invalid_request(
                "remove_records was given no customer_id: nothing to remove",
            ));
        }
        let mut joined = String::new();
        for (index, id) in customer_ids.iter().enumerate() {
            let id = id.trim();
            if id.is_empty() || id.contains(',') {
                return Err(Error::invalid_request(format!(
                    "customer_ids[{index}] is blank or holds a comma: the ids are sent as one \
                     comma-separated string"
                )));
            }
            if index > 0 {
                joined.push(',');
            }
            joined.push_str(id);
        }
        self.typed(Method::Delete, "remove_record")
            .json(&serde_json::json!({ "customer_id": joined }))
            .send()
            .await
    }

    /// This campaign's row of the real-time `campaigns` report
    /// (`real_time.php?api=campaigns&campaign_id=N`).
    ///
    /// # Errors
    /// [`Error::NotFound`] when the report has no row for the campaign; the errors of a read.
    pub async fn status(&self) -> Result<CampaignRealtime, Error> {
        let query = vec![
            ("api".into(), "campaigns".to_owned()),
            ("campaign_id".into(), self.id.to_string()),
        ];
        fetch_one(
            &self.pipeline,
            query,
            "campaign",
            self.id,
            |row: &CampaignRealtime| row.campaign_id,
        )
        .await
    }

    /// Polls [`status`](Self::status): the first row now, then one per `interval` (raised to
    /// the client's `min_poll_interval`); see [`Watch`].
    ///
    /// ```no_run
    /// # async fn run(campaign: wolkvox::campaign::Campaign) {
    /// let mut rows = campaign.watch(std::time::Duration::from_secs(60));
    /// while let Some(Ok(row)) = rows.next().await {
    ///     println!("{} of {} dialled", row.dial, row.records);
    ///     if row.is_finished() {
    ///         break;
    ///     }
    /// }
    /// # }
    /// ```
    pub fn watch(&self, interval: Duration) -> Watch<CampaignRealtime> {
        let floor = self.pipeline.min_poll_interval;
        let campaign = self.clone();
        Watch::new(interval, floor, move || {
            let campaign = campaign.clone();
            async move { campaign.status().await }
        })
    }

    /// A request to `campaign.php?api={api}&campaign_id=N`.
    fn control(&self, method: Method, api: &str) -> CallRequest {
        CallRequest::new(Arc::clone(&self.pipeline), method, ENDPOINT, api)
            .param("campaign_id", self.id.to_string())
    }

    /// A request to `campaign.php?api={api}&type_campaign=..&campaign_id=N`.
    fn typed(&self, method: Method, api: &str) -> CallRequest {
        CallRequest::new(Arc::clone(&self.pipeline), method, ENDPOINT, api)
            .param("type_campaign", self.kind.as_str())
            .param("campaign_id", self.id.to_string())
    }
}
