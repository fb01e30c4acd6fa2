//! Settling an upload's unknown batches against the ids the campaign holds.

use std::collections::HashSet;

use super::{BatchOutcome, RecordError, UploadReport};

/// `report` with each [`Unknown`](BatchOutcome::Unknown) batch turned into
/// [`Accepted`](BatchOutcome::Accepted): `added` the records whose id is in `listed`, and a
/// [`RecordError`] for each of the others. Nothing else changes.
pub(crate) fn settle<'a>(
    report: &UploadReport,
    listed: impl Iterator<Item = &'a str>,
) -> UploadReport {
    let present: HashSet<&str> = listed.collect();
    let campaign_id = report.campaign_id();
    let mut settled = report.clone();
    let (batches, in_doubt) = settled.parts_mut();
    for doubt in in_doubt {
        let Some(batch) = batches.get_mut(doubt.batch) else {
            continue;
        };
        let start = batch.records.start;
        let errors: Vec<RecordError> = doubt
            .ids
            .iter()
            .enumerate()
            .filter(|(_, id)| !present.contains(id.as_str()))
            .map(|(i, _)| {
                RecordError::new(
                    start + i,
                    format!(
                        "not in campaign {campaign_id}'s records after its request's outcome \
                         was unknown: not added"
                    ),
                )
            })
            .collect();
        batch.outcome = BatchOutcome::Accepted {
            added: doubt.ids.len() - errors.len(),
            errors,
        };
    }
    settled
}

#[cfg(test)]
mod tests {
    use super::super::Batch;
    use super::*;
    use crate::error::Error;

    #[test]
    fn unknown_batches_split_into_found_and_pending_and_nothing_else_changes() {
        let mut report = UploadReport::new(9, 7);
        report.push(Batch::new(
            0..2,
            BatchOutcome::Accepted {
                added: 2,
                errors: vec![],
            },
        ));
        let unknown = Error::OutcomeUnknown {
            endpoint: "campaign.php".into(),
            api: "add_record".into(),
            source: Box::new(Error::invalid_request("x")),
        };
        report.push_in_doubt(
            Batch::new(2..5, BatchOutcome::Unknown { error: unknown }),
            vec!["c".into(), "d".into(), "e".into()],
        );
        report.push(Batch::new(5..7, BatchOutcome::NotSent));
        assert_eq!(report.pending().collect::<Vec<_>>(), [2, 3, 4, 5, 6]);

        let settled = settle(&report, ["a", "b", "c", "e", "zz"].into_iter());
        assert_eq!(settled.pending().collect::<Vec<_>>(), [3, 5, 6]);
        assert_eq!(settled.accepted(), 4);
        assert!(settled.in_doubt().is_empty());
        assert!(matches!(
            settled.batches()[0].outcome,
            BatchOutcome::Accepted { added: 2, .. }
        ));
        assert!(matches!(
            settled.batches()[2].outcome,
            BatchOutcome::NotSent
        ));
        let errors = settled.batches()[1].outcome.record_errors();
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].message,
            "not in campaign 9's records after its request's outcome was unknown: not added"
        );
        // None found: all pending; all found: complete but for the unsent.
        let none = settle(&report, std::iter::empty());
        assert_eq!(none.pending().collect::<Vec<_>>(), [2, 3, 4, 5, 6]);
        let all = settle(&report, ["c", "d", "e"].into_iter());
        assert_eq!(all.pending().collect::<Vec<_>>(), [5, 6]);
    }
}
