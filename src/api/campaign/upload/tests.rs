use proptest::prelude::*;

use super::answer::{self, Added, position};
use super::*;
use crate::engine::transport::RawResponse;

fn fixture(name: &str) -> &'static str {
    match name {
        "ok" => include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/writes/add_record_ok.json"
        )),
        "validation" => include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/writes/add_record_validation_404.json"
        )),
        "licence" => include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/writes/add_record_licence_404.json"
        )),
        _ => unreachable!(),
    }
}

fn raw(status: u16, body: &str) -> RawResponse {
    RawResponse {
        status,
        retry_after: None,
        body: body.as_bytes().to_vec(),
    }
}

#[test]
fn the_success_answer_counts_total_registers() {
    let added = answer::read(&raw(201, fixture("ok")), 0, 3).unwrap();
    assert_eq!(
        added,
        Added {
            added: 3,
            errors: vec![]
        }
    );
    // Under HTTP 200 too; a count above the batch is capped; no count is the whole batch.
    assert_eq!(
        answer::read(&raw(200, fixture("ok")), 0, 2).unwrap().added,
        2
    );
    let bare = r#"{"code":201,"error":null,"msg":"ok"}"#;
    assert_eq!(answer::read(&raw(200, bare), 0, 7).unwrap().added, 7);
    let junk = r#"{"code":"201","msg":"ok","data":[{"total_registers":"n/a"}]}"#;
    assert_eq!(answer::read(&raw(200, junk), 0, 7).unwrap().added, 7);
}

#[test]
fn a_partial_success_names_the_records_with_the_batch_offset() {
    let body = r#"{"code":"201","msg":"2 records has been added","data":[{"total_registers":"4",
        "total_success":"2","total_errors":"2","array_errors":[
        {"error":"CUSTOMER_ID is empty, object position 3","msg":"required"},
        {"error":"TEL1 is empty, object position 1","msg":""}]}]}"#;
    let added = answer::read(&raw(200, body), 10_000, 4).unwrap();
    assert_eq!(added.added, 2);
    assert_eq!(
        added.errors,
        vec![
            RecordError::new(10_001, "TEL1 is empty, object position 1"),
            RecordError::new(10_003, "CUSTOMER_ID is empty, object position 3; required"),
        ]
    );
}

#[test]
fn the_validation_404_is_rejected_with_its_record_errors() {
    let error = answer::read(&raw(404, fixture("validation")), 20_000, 5_000).unwrap_err();
    let Error::Rejected {
        status, message, ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(*status, 404);
    assert_eq!(
        message,
        "0 records has been added, please validate the data"
    );
    assert_eq!(
        answer::rejected_records(&error, 20_000, 5_000),
        vec![RecordError::new(
            20_000,
            "CUSTOMER_ID is empty, object position 0; CUSTOMER_ID is a required field, see \
             schema for required fields"
        )]
    );
    let licence = answer::read(&raw(404, fixture("licence")), 0, 10).unwrap_err();
    assert!(answer::rejected_records(&licence, 0, 10).is_empty());
    assert_eq!(
        LicenceLimit::from_error(&licence),
        Some(LicenceLimit {
            uploading: 66_401,
            allowed: 50_000
        })
    );
}

#[test]
fn positions_from_odd_text() {
    assert_eq!(position("CUSTOMER_ID is empty, object position 0"), Some(0));
    assert_eq!(position("OBJECT POSITION: 12, more"), Some(12));
    assert_eq!(position("object position #7"), Some(7));
    assert_eq!(position("object position"), None);
    assert_eq!(position("object position x"), None);
    assert_eq!(position("object position -1"), None);
    assert_eq!(position("object position 99999999999999999999999999"), None);
    assert_eq!(position("ñ object position 5ñ"), Some(5));
    assert_eq!(position("İ object position 3"), Some(3));
    assert_eq!(position(""), None);
    // Outside the batch: not listed.
    let body = r#"{"code":"404","msg":"x","data":{"array_errors":[
        {"error":"object position 5"}, "object position 1", 7, {"error": 3}]}}"#;
    let error = answer::read(&raw(404, body), 100, 5).unwrap_err();
    assert_eq!(
        answer::rejected_records(&error, 100, 5),
        vec![RecordError::new(101, "object position 1")]
    );
}

proptest! {
    #[test]
    fn position_parsing_never_panics(text in "\\PC{0,40}", n in 0usize..100_000) {
        let _ = position(&text);
        let with = format!("{text} object position {n} {text}");
        prop_assert_eq!(position(&with).is_some(), true);
        let body = serde_json::json!({"code": "404", "msg": text,
            "data": [{"total_registers": text, "array_errors": [{"error": with, "msg": text}]}]});
        let error = answer::read(&raw(404, &body.to_string()), 3, 200_000).unwrap_err();
        let _ = answer::rejected_records(&error, 3, 200_000);
    }
}

fn report(outcomes: Vec<(std::ops::Range<usize>, BatchOutcome)>) -> UploadReport {
    let total = outcomes.last().map_or(0, |(r, _)| r.end);
    let mut report = UploadReport::new(1, total);
    for (range, outcome) in outcomes {
        report.push(Batch::new(range, outcome));
    }
    report
}

#[test]
fn pending_accepted_and_complete() {
    let rejected = Error::Rejected {
        status: 404,
        message: "You are uploading (60001) records to the system. According to quantity \
                  active licenses, You can upload 50000 records. Try again."
            .into(),
        details: None,
        attempts: 1,
    };
    let report = report(vec![
        (
            0..3,
            BatchOutcome::Accepted {
                added: 2,
                errors: vec![RecordError::new(1, "a"), RecordError::new(1, "b")],
            },
        ),
        (
            3..5,
            BatchOutcome::Rejected {
                error: rejected,
                errors: vec![],
            },
        ),
        (5..6, BatchOutcome::NotSent),
    ]);
    assert_eq!(report.accepted(), 2);
    assert_eq!(report.pending().collect::<Vec<_>>(), [1, 3, 4, 5]);
    assert!(!report.is_complete());
    assert_eq!(report.licence_limit().map(|l| l.allowed), Some(50_000));
    let copy = report.clone();
    assert_eq!(
        copy.batches()[1].outcome.error().map(Error::kind),
        Some("rejected")
    );
    assert_eq!(copy.batches()[0].outcome.record_errors().len(), 2);

    let whole = report_of_accepted(4, 4);
    assert!(whole.is_complete());
    let short = report_of_accepted(4, 3);
    assert!(!short.is_complete());
    assert_eq!(short.pending().count(), 0);
    assert!(UploadReport::new(1, 0).is_complete());
}

fn report_of_accepted(len: usize, added: usize) -> UploadReport {
    report(vec![(
        0..len,
        BatchOutcome::Accepted {
            added,
            errors: vec![],
        },
    )])
}
