//! The upload itself: check every record, then one `add_record` request per batch, one after
//! another, stopping at the first batch that is not accepted.

use bytes::Bytes;

use super::answer;
use super::{Batch, BatchOutcome, UploadReport};
use crate::api::campaign::record::{self, CampaignRecord};
use crate::api::campaign::{CampaignKind, ENDPOINT, validate};
use crate::engine::operation::{Method, Operation, Target};
use crate::engine::pipeline::Pipeline;
use crate::error::Error;

/// Where an upload goes, and how it is cut.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Upload<'a> {
    pub(crate) pipeline: &'a Pipeline,
    pub(crate) campaign_id: u32,
    pub(crate) kind: CampaignKind,
    pub(crate) batch_size: usize,
}

impl Upload<'_> {
    /// Uploads `records`; `Err` only when nothing was sent (a record failed the checks).
    pub(crate) async fn run(self, records: &[CampaignRecord]) -> Result<UploadReport, Error> {
        validate::check(records, self.kind)?;
        let mut report = UploadReport::new(self.campaign_id, records.len());
        let mut stopped = false;
        let mut start = 0;
        for chunk in records.chunks(self.batch_size.max(1)) {
            let range = start..start + chunk.len();
            start = range.end;
            if stopped {
                report.push(Batch::new(range, BatchOutcome::NotSent));
                continue;
            }
            let body = record::body(chunk, self.kind);
            let (offset, len) = (range.start, chunk.len());
            let result = self
                .pipeline
                .run(self.operation(body), |raw| answer::read(raw, offset, len))
                .await;
            match result {
                Ok(added) => report.push(Batch::new(
                    range,
                    BatchOutcome::Accepted {
                        added: added.added,
                        errors: added.errors,
                    },
                )),
                Err(error @ Error::OutcomeUnknown { .. }) => {
                    stopped = true;
                    let ids = chunk
                        .iter()
                        .map(|r| r.customer_id.trim().to_owned())
                        .collect();
                    report.push_in_doubt(Batch::new(range, BatchOutcome::Unknown { error }), ids);
                }
                Err(error) => {
                    stopped = true;
                    let errors = answer::rejected_records(&error, offset, len);
                    report.push(Batch::new(range, BatchOutcome::Rejected { error, errors }));
                }
            }
        }
        Ok(report)
    }

    /// `POST campaign.php?api=add_record&type_campaign=..&campaign_id=..` with `body`.
    fn operation(&self, body: Vec<u8>) -> Operation {
        Operation {
            method: Method::Post,
            target: Target::File(ENDPOINT.to_owned()),
            query: vec![
                ("api".into(), "add_record".to_owned()),
                ("type_campaign".into(), self.kind.as_str().to_owned()),
                ("campaign_id".into(), self.campaign_id.to_string()),
            ],
            body: Some(Bytes::from(body)),
            idempotent: false,
        }
    }
}
