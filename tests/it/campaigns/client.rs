//! `wolkvox::campaign` against wiremock servers: batches in order with the wire's keys, checks
//! that send nothing, the live service's refusals, an answer after the client's timeout, and
//! the control requests.

use std::collections::BTreeSet;
use std::time::Duration;

use serde_json::{Value, json};
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};
use wolkvox::campaign::{
    BatchOutcome, CampaignKind, CampaignRecord, CampaignStatus, LicenceLimit, RecordError, Refusal,
    UploadReport,
};
use wolkvox::{Error, WolkvoxClient};

use crate::common::{TOKEN, fixture};

const CAMPAIGN_PATH: &str = "/api/v2/campaign.php";

fn write_fixture(name: &str) -> String {
    fixture(&format!("writes/{name}"))
}

fn json_answer(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_owned(), "application/json")
}

/// A client with the default retries (writes are still never sent twice), 1 ms backoffs
/// and `timeout` per request.
fn client(server: &MockServer, timeout: Duration) -> WolkvoxClient {
    WolkvoxClient::builder()
        .base_url(&server.uri())
        .token(TOKEN)
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(5))
        .timeout(timeout)
        .build()
        .unwrap()
}

fn records(n: usize) -> Vec<CampaignRecord> {
    (0..n)
        .map(|i| {
            let mut record = CampaignRecord::new(format!("{}", 1_000_000_000 + i));
            record.customer_name = format!("CLIENTE {i}");
            record.phones = vec![format!("310{i:07}")];
            record
        })
        .collect()
}

/// Answers an upload with `"201"` and `total_registers` = the records in the body.
fn count_the_body(request: &Request) -> ResponseTemplate {
    let sent: Vec<Value> = serde_json::from_slice(&request.body).unwrap_or_default();
    json_answer(
        200,
        &json!({"code": "201", "error": null, "msg": "All records has been added successfully",
                "data": [{"total_registers": sent.len().to_string()}]})
        .to_string(),
    )
}

async fn uploads(server: &MockServer) -> Vec<Vec<Value>> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| r.url.query().is_some_and(|q| q.contains("api=add_record")))
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect()
}

async fn request_count(server: &MockServer) -> usize {
    server.received_requests().await.unwrap_or_default().len()
}

const PREDICTIVE_KEYS: [&str; 37] = [
    "customer_name",
    "customer_last_name",
    "id_type",
    "customer_id",
    "age",
    "gender",
    "country",
    "state",
    "city",
    "zone",
    "address",
    "opt1",
    "opt2",
    "opt3",
    "opt4",
    "opt5",
    "opt6",
    "opt7",
    "opt8",
    "opt9",
    "opt10",
    "opt11",
    "opt12",
    "tel1",
    "tel2",
    "tel3",
    "tel4",
    "tel5",
    "tel6",
    "tel7",
    "tel8",
    "tel9",
    "tel10",
    "tel_extra",
    "email",
    "recall_date",
    "recall_telephone",
];

#[tokio::test]
async fn twenty_five_thousand_records_go_as_three_requests_in_order() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(CAMPAIGN_PATH))
        .and(query_param("api", "add_record"))
        .and(query_param("type_campaign", "predictive"))
        .and(query_param("campaign_id", "7224"))
        .respond_with(count_the_body)
        .expect(3)
        .mount(&server)
        .await;
    let list = records(25_000);
    let report = client(&server, Duration::from_secs(30))
        .campaign(7224, CampaignKind::Predictive)
        .add_records(&list)
        .await
        .unwrap();

    let bodies = uploads(&server).await;
    let sizes: Vec<usize> = bodies.iter().map(Vec::len).collect();
    assert_eq!(sizes, [10_000, 10_000, 5_000]);
    let sent_ids: Vec<&str> = bodies
        .iter()
        .flatten()
        .map(|r| r["customer_id"].as_str().unwrap())
        .collect();
    let given_ids: Vec<&str> = list.iter().map(|r| r.customer_id.as_str()).collect();
    assert_eq!(sent_ids, given_ids, "every record once, in order");
    let want: BTreeSet<&str> = PREDICTIVE_KEYS.into_iter().collect();
    for record in bodies.iter().flatten() {
        let keys: BTreeSet<&str> = record
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, want);
    }
    assert_eq!(bodies[2][4_999]["customer_name"], "CLIENTE 24999");
    assert_eq!(bodies[1][0]["tel1"], "3100010000");

    let ranges: Vec<_> = report.batches().iter().map(|b| b.records.clone()).collect();
    assert_eq!(ranges, [0..10_000, 10_000..20_000, 20_000..25_000]);
    assert_eq!(report.accepted(), 25_000);
    assert_eq!(report.total(), 25_000);
    assert!(report.is_complete());
    assert_eq!(report.pending().count(), 0);
}

#[tokio::test]
async fn a_preview_upload_sends_agent_id_and_batch_size_lowers_the_batches() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(query_param("type_campaign", "preview"))
        .respond_with(count_the_body)
        .mount(&server)
        .await;
    let mut list = records(5);
    list[0].agent_id = Some(1001);
    list[1].email = "not sent on preview".into();
    let report = client(&server, Duration::from_secs(5))
        .campaign(88, CampaignKind::Preview)
        .batch_size(2)
        .add_records(&list)
        .await
        .unwrap();
    let bodies = uploads(&server).await;
    assert_eq!(bodies.iter().map(Vec::len).collect::<Vec<_>>(), [2, 2, 1]);
    assert_eq!(bodies[0][0]["agent_id"], "1001");
    assert_eq!(bodies[0][1]["agent_id"], "");
    assert!(bodies[0][1].get("email").is_none());
    assert!(report.is_complete());
}

/// Makes one record of a good list bad.
type Spoil = dyn Fn(&mut Vec<CampaignRecord>);

#[tokio::test]
async fn refused_uploads_send_nothing() {
    let server = MockServer::start().await;
    let campaign = client(&server, Duration::from_secs(5)).campaign(7224, CampaignKind::Predictive);
    let cases: Vec<(Box<Spoil>, &str)> = vec![
        (
            Box::new(|l| l[14_000].customer_id = " ".into()),
            "records[14000].customer_id is blank",
        ),
        (
            Box::new(|l| l[3].phones = vec!["1".into(); 11]),
            "records[3].phones has 11 numbers",
        ),
        (
            Box::new(|l| l[9].options[2] = "x".repeat(101)),
            "records[9].options[2] (opt3) is 101",
        ),
        (
            Box::new(|l| l[12_345].customer_id = l[2].customer_id.clone()),
            "records[12345].customer_id is the customer_id of records[2] too",
        ),
        (
            Box::new(|l| l[20_000].agent_id = Some(5)),
            "records[20000].agent_id is set on a predictive campaign",
        ),
    ];
    for (spoil, start) in cases {
        let mut list = records(20_001);
        spoil(&mut list);
        match campaign.add_records(&list).await {
            Err(Error::InvalidRequest { message, .. }) => {
                assert!(message.starts_with(start), "{message}")
            }
            other => panic!("expected InvalidRequest, got {other:?}"),
        }
    }
    assert!(matches!(
        campaign.set_speed(101).await,
        Err(Error::InvalidRequest { .. })
    ));
    assert!(matches!(
        campaign.remove_records(&[]).await,
        Err(Error::InvalidRequest { .. })
    ));
    assert!(matches!(
        campaign.remove_records(&["1,2"]).await,
        Err(Error::InvalidRequest { .. })
    ));
    assert!(matches!(
        campaign.clear_results(&[]).await,
        Err(Error::InvalidRequest { .. })
    ));
    assert!(matches!(
        campaign.clear_results(&["maybe"]).await,
        Err(Error::InvalidRequest { .. })
    ));
    let empty = campaign.add_records(&[]).await.unwrap();
    assert!(empty.is_complete() && empty.batches().is_empty());
    assert_eq!(request_count(&server).await, 0, "nothing was sent");
}

/// 250 records in batches of 100: the first accepted, the second answered `status` `body`.
async fn second_batch_answered(status: u16, body: &str) -> (UploadReport, usize) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(count_the_body)
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(json_answer(status, body))
        .with_priority(2)
        .mount(&server)
        .await;
    let report = client(&server, Duration::from_secs(5))
        .campaign(26_687, CampaignKind::Predictive)
        .batch_size(100)
        .add_records(&records(250))
        .await
        .unwrap();
    (report, request_count(&server).await)
}

fn rejected(report: &UploadReport, batch: usize) -> (&Error, &[RecordError]) {
    match &report.batches()[batch].outcome {
        BatchOutcome::Rejected { error, errors } => (error, errors),
        other => panic!("batch {batch}: {other:?}"),
    }
}

#[tokio::test]
async fn the_live_refusals_are_rejected_batches_and_stop_the_upload() {
    // The validation 404: its "object position 0" is record 100 of the upload.
    let (report, sent) =
        second_batch_answered(404, &write_fixture("add_record_validation_404.json")).await;
    assert_eq!(sent, 2);
    assert!(matches!(
        report.batches()[0].outcome,
        BatchOutcome::Accepted { added: 100, .. }
    ));
    let (error, errors) = rejected(&report, 1);
    assert!(matches!(error, Error::Rejected { status: 404, message, .. }
        if message == "0 records has been added, please validate the data"));
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].index, 100);
    assert!(
        errors[0]
            .message
            .starts_with("CUSTOMER_ID is empty, object position 0")
    );
    assert!(matches!(report.batches()[2].outcome, BatchOutcome::NotSent));
    assert_eq!(report.accepted(), 100);
    assert_eq!(
        report.pending().collect::<Vec<_>>(),
        (100..250).collect::<Vec<_>>()
    );
    assert_eq!(Refusal::of(error), Some(Refusal::InvalidData));

    // The licence 404: both numbers.
    let (report, sent) =
        second_batch_answered(404, &write_fixture("add_record_licence_404.json")).await;
    assert_eq!(sent, 2);
    let (error, errors) = rejected(&report, 1);
    assert!(errors.is_empty());
    assert!(
        error
            .to_string()
            .contains("According to quantity active licenses"),
        "{error}"
    );
    let limit = LicenceLimit {
        uploading: 66_401,
        allowed: 50_000,
    };
    assert_eq!(report.licence_limit(), Some(limit));
    assert_eq!(Refusal::of(error), Some(Refusal::LicenceLimit(limit)));
    assert!(matches!(report.batches()[2].outcome, BatchOutcome::NotSent));

    // The unknown campaign 404.
    let (report, sent) =
        second_batch_answered(404, &write_fixture("unknown_campaign_404.json")).await;
    assert_eq!(sent, 2);
    let (error, _) = rejected(&report, 1);
    assert!(matches!(error, Error::Rejected { message, .. }
        if message == "Campaign_id 26687 does not exist in your operation."));
    assert_eq!(Refusal::of(error), Some(Refusal::UnknownCampaign));

    // The daily quota: Rejected with that error, nothing more sent.
    let (report, sent) = second_batch_answered(403, &fixture("error_token_limit.json")).await;
    assert_eq!(sent, 2);
    assert!(matches!(
        rejected(&report, 1).0,
        Error::QuotaExceeded { .. }
    ));
    assert!(matches!(report.batches()[2].outcome, BatchOutcome::NotSent));
}

#[tokio::test]
async fn an_answer_after_the_timeout_is_unknown_never_resent_and_reconcile_settles_it() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(count_the_body)
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(|r: &Request| count_the_body(r).set_delay(Duration::from_millis(1_500)))
        .with_priority(2)
        .mount(&server)
        .await;
    let list = records(300);
    let campaign = client(&server, Duration::from_millis(300))
        .campaign(7224, CampaignKind::Predictive)
        .batch_size(100);
    let report = campaign.add_records(&list).await.unwrap();
    assert_eq!(
        request_count(&server).await,
        2,
        "the unknown batch was not sent again"
    );
    assert!(matches!(
        report.batches()[0].outcome,
        BatchOutcome::Accepted { added: 100, .. }
    ));
    match &report.batches()[1].outcome {
        BatchOutcome::Unknown {
            error: Error::OutcomeUnknown { api, source, .. },
        } => {
            assert_eq!(api, "add_record");
            assert!(matches!(**source, Error::Timeout { .. }), "{source:?}");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(report.batches()[2].outcome, BatchOutcome::NotSent));
    assert_eq!(
        report.pending().collect::<Vec<_>>(),
        (100..300).collect::<Vec<_>>()
    );

    // The service applied the late batch, except record 150: the campaign lists the rest.
    let listed: Vec<Value> = list[..200]
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 150)
        .map(|(_, r)| json!({"id_cliente": r.customer_id, "nombre_cliente": r.customer_name}))
        .collect();
    Mock::given(method("GET"))
        .and(query_param("api", "campaign_15"))
        .and(query_param("campaign_id", "7224"))
        .respond_with(json_answer(
            200,
            &json!({"code": "200", "total_records": listed.len().to_string(),
                    "campaign_id": "7224", "records": listed})
            .to_string(),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let checked = campaign.reconcile(&report).await.unwrap();
    match &checked.batches()[1].outcome {
        BatchOutcome::Accepted { added: 99, errors } => {
            assert_eq!(errors.iter().map(|e| e.index).collect::<Vec<_>>(), [150]);
        }
        other => panic!("{other:?}"),
    }
    let mut want = vec![150];
    want.extend(200..300);
    assert_eq!(checked.pending().collect::<Vec<_>>(), want);
    assert_eq!(checked.accepted(), 199);
    // A settled report needs no second look: no request.
    let again = campaign.reconcile(&checked).await.unwrap();
    assert_eq!(again.pending().count(), 101);
    let other = client(&server, Duration::from_secs(1)).campaign(1, CampaignKind::Predictive);
    assert!(matches!(
        other.reconcile(&report).await,
        Err(Error::InvalidRequest { .. })
    ));
}

#[tokio::test]
async fn control_requests_have_their_methods_queries_and_bodies() {
    let server = MockServer::start().await;
    let ok = json_answer(202, &write_fixture("start_ok_202.json"));
    for (verb, api) in [("PUT", "start"), ("PUT", "stop")] {
        Mock::given(method(verb))
            .and(path(CAMPAIGN_PATH))
            .and(query_param("api", api))
            .and(query_param("campaign_id", "4711"))
            .respond_with(ok.clone())
            .expect(1)
            .mount(&server)
            .await;
    }
    Mock::given(method("PUT"))
        .and(query_param("api", "speed"))
        .and(body_json(json!({"speed": "80"})))
        .respond_with(ok.clone())
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(query_param("api", "remove_record"))
        .and(query_param("type_campaign", "preview"))
        .and(body_json(json!({"customer_id": "1000000001,AB-2"})))
        .respond_with(ok.clone())
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(query_param("api", "clear_campaign"))
        .and(query_param("type_campaign", "preview"))
        .respond_with(ok.clone())
        .expect(3)
        .mount(&server)
        .await;
    let campaign = client(&server, Duration::from_secs(5)).campaign(4711, CampaignKind::Preview);
    let reply = campaign.start().await.unwrap();
    assert_eq!(
        reply.message,
        "The 4711 campaign_id has been started successfully"
    );
    campaign.stop().await.unwrap();
    campaign.set_speed(80).await.unwrap();
    campaign
        .remove_records(&["1000000001", " AB-2 "])
        .await
        .unwrap();
    campaign.clear().await.unwrap();
    let replies = campaign
        .clear_results(&["NO_ANSWER", "busy"])
        .await
        .unwrap();
    assert_eq!(replies.len(), 2);
    let queries: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.query().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        queries,
        [
            "api=start&campaign_id=4711",
            "api=stop&campaign_id=4711",
            "api=speed&campaign_id=4711",
            "api=remove_record&type_campaign=preview&campaign_id=4711",
            "api=clear_campaign&type_campaign=preview&campaign_id=4711",
            "api=clear_campaign&type_campaign=preview&campaign_id=4711&result=no-answer",
            "api=clear_campaign&type_campaign=preview&campaign_id=4711&result=busy",
        ]
    );
}

#[tokio::test]
async fn the_two_predictives_refusal_is_rejected_with_the_message() {
    let server = MockServer::start().await;
    Mock::given(query_param("api", "start"))
        .respond_with(json_answer(
            404,
            &write_fixture("start_two_predictives_404.json"),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let error = client(&server, Duration::from_secs(5))
        .campaign(4711, CampaignKind::Predictive)
        .start()
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Rejected { status: 404, message, .. } if message
        == "You must turn off a predictive before starting this one, you currently have 2 active predictives")
    );
    assert_eq!(
        Refusal::of(&error),
        Some(Refusal::ActivePredictives { active: Some(2) })
    );
}

#[tokio::test]
async fn realtime_rows_from_both_bodies_status_and_records() {
    for body in [
        "realtime_campaigns.json",
        "realtime_campaigns_envelope.json",
    ] {
        let server = MockServer::start().await;
        Mock::given(path("/api/v2/real_time.php"))
            .and(query_param("api", "campaigns"))
            .respond_with(json_answer(200, &write_fixture(body)))
            .mount(&server)
            .await;
        Mock::given(query_param("api", "campaign_15"))
            .respond_with(json_answer(200, &write_fixture("campaign_15.json")))
            .mount(&server)
            .await;
        let client = client(&server, Duration::from_secs(5));
        let rows = client.campaigns_realtime().await.unwrap();
        let ids: Vec<u32> = rows.iter().map(|r| r.campaign_id).collect();
        assert_eq!(ids, [4711, 4712], "{body}");
        assert_eq!(rows[0].campaign_name, "COBRANZA JUNIO");
        assert_eq!(rows[0].busy_congestion_failed, 9);

        let campaign = client.campaign(4712, CampaignKind::Predictive);
        let row = campaign.status().await.unwrap();
        assert_eq!(
            (row.status, row.speed, row.clean, row.recycled),
            (CampaignStatus::Stopped, 50, 1, 1)
        );
        let missing = client.campaign(9, CampaignKind::Predictive).status().await;
        assert!(
            matches!(missing, Err(Error::NotFound { .. })),
            "{missing:?}"
        );

        let exported = campaign.records().await.unwrap();
        assert_eq!(exported.len(), 3);
        assert_eq!(exported[1].customer_id, "AB-200002");
        let query = server.received_requests().await.unwrap()[1]
            .url
            .query()
            .unwrap()
            .to_owned();
        assert_eq!(query, "api=campaigns&campaign_id=4712");
    }
}
