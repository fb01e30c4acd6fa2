//! The outcome of an upload: [`UploadReport`], one [`Batch`] per request, and what each
//! batch's request came to ([`BatchOutcome`]).

pub(crate) mod answer;
pub(crate) mod reconcile;
pub(crate) mod run;

use std::ops::Range;

use super::refusal::LicenceLimit;
use crate::error::Error;

/// What [`Campaign::add_records`](super::Campaign::add_records) (or
/// [`reconcile`](super::Campaign::reconcile)) found out about each record of an upload.
///
/// The batches cover the records given, in order, without gaps. Indexes are positions in
/// the slice given to `add_records`.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), wolkvox::Error> {
/// # use wiremock::{Mock, MockServer, ResponseTemplate, matchers};
/// # let server = MockServer::start().await;
/// # Mock::given(matchers::method("POST"))
/// #     .respond_with(ResponseTemplate::new(200).set_body_string(
/// #         r#"{"code":"201","error":null,"msg":"All records has been added successfully","data":[{"total_registers":"2"}]}"#))
/// #     .mount(&server).await;
/// # let client = wolkvox::WolkvoxClient::builder().base_url(&server.uri()).token("t").build()?;
/// use wolkvox::campaign::{BatchOutcome, CampaignKind, CampaignRecord};
///
/// let records = vec![CampaignRecord::new("1"), CampaignRecord::new("2")];
/// let report = client.campaign(7224, CampaignKind::Predictive).add_records(&records).await?;
/// assert!(report.is_complete());
/// assert_eq!(report.accepted(), 2);
/// assert_eq!(report.batches()[0].records, 0..2);
/// assert!(matches!(report.batches()[0].outcome, BatchOutcome::Accepted { added: 2, .. }));
/// assert_eq!(report.pending().count(), 0);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct UploadReport {
    campaign_id: u32,
    total: usize,
    batches: Vec<Batch>,
    /// The customer ids of each [`BatchOutcome::Unknown`] batch, for `reconcile`.
    in_doubt: Vec<InDoubt>,
}

/// The customer ids of an [`Unknown`](BatchOutcome::Unknown) batch.
#[derive(Debug, Clone)]
pub(crate) struct InDoubt {
    /// The index of the batch in `batches`.
    pub(crate) batch: usize,
    /// The customer ids of its records, trimmed, in order.
    pub(crate) ids: Vec<String>,
}

impl UploadReport {
    pub(crate) fn new(campaign_id: u32, total: usize) -> Self {
        UploadReport {
            campaign_id,
            total,
            batches: Vec::new(),
            in_doubt: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, batch: Batch) {
        self.batches.push(batch);
    }

    pub(crate) fn push_in_doubt(&mut self, batch: Batch, ids: Vec<String>) {
        self.in_doubt.push(InDoubt {
            batch: self.batches.len(),
            ids,
        });
        self.batches.push(batch);
    }

    /// The batches and the ids in doubt, for `reconcile` to rewrite.
    pub(crate) fn parts_mut(&mut self) -> (&mut [Batch], Vec<InDoubt>) {
        (&mut self.batches, std::mem::take(&mut self.in_doubt))
    }

    pub(crate) fn in_doubt(&self) -> &[InDoubt] {
        &self.in_doubt
    }

    /// The campaign the upload went to.
    pub fn campaign_id(&self) -> u32 {
        self.campaign_id
    }

    /// How many records were given.
    pub fn total(&self) -> usize {
        self.total
    }

    /// One batch per request (or per request not sent), in order.
    pub fn batches(&self) -> &[Batch] {
        &self.batches
    }

    /// How many records the service reported as added (for a reconciled batch: how many
    /// were found in the campaign).
    pub fn accepted(&self) -> usize {
        self.batches
            .iter()
            .map(|batch| match &batch.outcome {
                BatchOutcome::Accepted { added, .. } => *added,
                _ => 0,
            })
            .sum()
    }

    /// Whether every record was accepted: every batch [`Accepted`](BatchOutcome::Accepted),
    /// without per-record errors, and the counts add up. True for an empty upload.
    ///
    /// False with nothing [`pending`](Self::pending) only in one case: the service accepted a
    /// batch but reported fewer records added than sent without naming the others; check
    /// the campaign's [`records`](super::Campaign::records) then.
    pub fn is_complete(&self) -> bool {
        self.accepted() == self.total && self.pending().next().is_none()
    }

    /// The indexes (into the slice given) of the records not known to be added, in order:
    /// every record of a [`Rejected`](BatchOutcome::Rejected),
    /// [`Unknown`](BatchOutcome::Unknown) or [`NotSent`](BatchOutcome::NotSent) batch, and
    /// those an [`Accepted`](BatchOutcome::Accepted) batch has errors for.
    ///
    /// An `Unknown` batch is in doubt: its records may be in the campaign already. Run
    /// [`reconcile`](super::Campaign::reconcile) before uploading them again.
    pub fn pending(&self) -> impl Iterator<Item = usize> + '_ {
        self.batches.iter().flat_map(|batch| {
            let (whole, errors): (Range<usize>, &[RecordError]) = match &batch.outcome {
                BatchOutcome::Accepted { errors, .. } => (0..0, errors),
                _ => (batch.records.clone(), &[]),
            };
            let mut last = None;
            // Errors are in order; one record may have several.
            let named = errors
                .iter()
                .map(|error| error.index)
                .filter(move |index| last.replace(*index) != Some(*index));
            whole.chain(named)
        })
    }

    /// The licence numbers of the first batch the licence bound refused, if any (see
    /// [`LicenceLimit`]).
    pub fn licence_limit(&self) -> Option<LicenceLimit> {
        self.batches.iter().find_map(|batch| match &batch.outcome {
            BatchOutcome::Rejected { error, .. } => LicenceLimit::from_error(error),
            _ => None,
        })
    }
}

/// The records of one request and what came of it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Batch {
    /// The indexes of its records, in the slice given to `add_records`.
    pub records: Range<usize>,
    /// What the request came to.
    pub outcome: BatchOutcome,
}

impl Batch {
    pub(crate) fn new(records: Range<usize>, outcome: BatchOutcome) -> Self {
        Batch { records, outcome }
    }
}

/// What one batch's request came to.
#[derive(Debug)]
#[non_exhaustive]
pub enum BatchOutcome {
    /// The service accepted the batch: `added` records are in the campaign (for a batch
    /// [reconciled](super::Campaign::reconcile) from `Unknown`: the records found there).
    /// `errors` names the records it did not add, when it said (or, after `reconcile`, the
    /// records not found).
    Accepted {
        /// How many records the service reported as added (at most the batch's size; the
        /// batch's size when the answer carries no count).
        added: usize,
        /// The records it did not add, in order.
        errors: Vec<RecordError>,
    },
    /// The service refused the batch, or it was never sent: nothing of it was applied. The
    /// upload stopped here.
    ///
    /// `error` is the refusal ([`Error::Rejected`] for a 4xx: an unknown campaign, the
    /// licence bound (see [`LicenceLimit::from_error`]), invalid records) or why the request
    /// could not be made ([`Error::QuotaExceeded`], [`Error::Unauthorized`], the client's own
    /// daily budget ([`Error::BudgetExhausted`]), a connection
    /// never established, no turn in time). `errors` are the per-record errors of the body
    /// (`array_errors`), with indexes in the whole upload.
    Rejected {
        /// Why.
        error: Error,
        /// The per-record errors the service sent, in order.
        errors: Vec<RecordError>,
    },
    /// The request was sent but its answer never came or could not be read
    /// ([`Error::OutcomeUnknown`]): the records may or may not be in the campaign. It was not
    /// sent again, and the upload stopped here. [`Campaign::reconcile`](super::Campaign::reconcile)
    /// tells which records are there.
    Unknown {
        /// The [`Error::OutcomeUnknown`].
        error: Error,
    },
    /// Not sent: an earlier batch was not accepted.
    NotSent,
}

impl Clone for BatchOutcome {
    /// A copy; the errors' underlying causes become text (see the crate's `Error`).
    fn clone(&self) -> Self {
        match self {
            BatchOutcome::Accepted { added, errors } => BatchOutcome::Accepted {
                added: *added,
                errors: errors.clone(),
            },
            BatchOutcome::Rejected { error, errors } => BatchOutcome::Rejected {
                error: error.duplicate(),
                errors: errors.clone(),
            },
            BatchOutcome::Unknown { error } => BatchOutcome::Unknown {
                error: error.duplicate(),
            },
            BatchOutcome::NotSent => BatchOutcome::NotSent,
        }
    }
}

impl BatchOutcome {
    /// Whether the batch was accepted (with or without per-record errors).
    pub fn is_accepted(&self) -> bool {
        matches!(self, BatchOutcome::Accepted { .. })
    }

    /// The batch's error, for a `Rejected` or `Unknown` batch.
    pub fn error(&self) -> Option<&Error> {
        match self {
            BatchOutcome::Rejected { error, .. } | BatchOutcome::Unknown { error } => Some(error),
            _ => None,
        }
    }

    /// The per-record errors (empty for `Unknown` and `NotSent`).
    pub fn record_errors(&self) -> &[RecordError] {
        match self {
            BatchOutcome::Accepted { errors, .. } | BatchOutcome::Rejected { errors, .. } => errors,
            _ => &[],
        }
    }
}

/// One record the service did not add, from the body's `array_errors`.
///
/// `index` is the record's position in the whole upload: the service's "object position N"
/// (0-based, within the batch) plus the batch's first index. An error whose text names no
/// position in the batch is not listed (it stays in the batch's [`Error::Rejected`]
/// `details`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct RecordError {
    /// The record's index in the slice given to `add_records`.
    pub index: usize,
    /// The service's text as sent (`error`, then `msg` after `"; "`): "CUSTOMER_ID is empty,
    /// object position 0; CUSTOMER_ID is a required field, see schema for required fields".
    /// Its position is within the batch.
    pub message: String,
}

impl RecordError {
    pub(crate) fn new(index: usize, message: impl Into<String>) -> Self {
        RecordError {
            index,
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests;
