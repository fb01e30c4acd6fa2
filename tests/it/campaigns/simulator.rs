//! `wolkvox::campaign` against the simulator: an upload whose answer came after the client's
//! timeout (applied on arrival) settled by `reconcile`, no record loaded twice; the control
//! requests changing its state; the refusals; the dialler; the demo's campaigns.

use std::collections::HashSet;
use std::time::Duration;

use serde_json::json;
use wolkvox::campaign::{
    BatchOutcome, CampaignKind, CampaignRecord, CampaignStatus, LicenceLimit, Refusal,
};
use wolkvox::mock::{Fault, MockWolkvox};
use wolkvox::{Error, Method, WolkvoxClient};

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

fn client(mock: &MockWolkvox, timeout: Duration) -> WolkvoxClient {
    mock.client_builder().timeout(timeout).build().unwrap()
}

fn ids(records: &[CampaignRecord]) -> Vec<String> {
    records.iter().map(|r| r.customer_id.clone()).collect()
}

#[tokio::test]
async fn a_late_batch_is_unknown_then_reconciled_and_no_customer_is_loaded_twice() {
    let mock = MockWolkvox::start().await;
    mock.add_campaign(7224, CampaignKind::Predictive, "COBRANZA JUNIO");
    // The second batch (records 100..200) is answered after the client's timeout; the
    // simulator applies it when it arrives, as the live service may.
    mock.fail_next_when(Fault::Delay(Duration::from_millis(1_500)), 1, |r| {
        r.api.as_deref() == Some("add_record")
            && String::from_utf8_lossy(&r.body).contains(r#""customer_id":"1000000100""#)
    });
    let list = records(300);
    let campaign = client(&mock, Duration::from_millis(400))
        .campaign(7224, CampaignKind::Predictive)
        .batch_size(100);

    let report = campaign.add_records(&list).await.unwrap();
    let outcomes: Vec<&str> = report
        .batches()
        .iter()
        .map(|b| match b.outcome {
            BatchOutcome::Accepted { .. } => "accepted",
            BatchOutcome::Unknown { .. } => "unknown",
            BatchOutcome::NotSent => "not sent",
            _ => "other",
        })
        .collect();
    assert_eq!(outcomes, ["accepted", "unknown", "not sent"]);
    let uploads = |mock: &MockWolkvox| {
        mock.requests()
            .iter()
            .filter(|r| r.api.as_deref() == Some("add_record"))
            .count()
    };
    assert_eq!(uploads(&mock), 2, "the unknown batch was not sent again");
    assert_eq!(mock.campaign_records(7224).len(), 200, "applied on arrival");
    assert_eq!(
        report.pending().collect::<Vec<_>>(),
        (100..300).collect::<Vec<_>>()
    );

    let checked = campaign.reconcile(&report).await.unwrap();
    assert_eq!(
        checked.pending().collect::<Vec<_>>(),
        (200..300).collect::<Vec<_>>()
    );
    assert_eq!(checked.accepted(), 200);
    let exports = mock
        .requests()
        .iter()
        .filter(|r| r.api.as_deref() == Some("campaign_15"))
        .count();
    assert_eq!(exports, 1, "reconcile lists the campaign once");

    let rest: Vec<CampaignRecord> = checked.pending().map(|i| list[i].clone()).collect();
    let resumed = campaign.add_records(&rest).await.unwrap();
    assert!(resumed.is_complete());
    assert_eq!(uploads(&mock), 3);

    let loaded = ids(&mock.campaign_records(7224));
    assert_eq!(loaded, ids(&list), "every record once, in order");
    let unique: HashSet<&String> = loaded.iter().collect();
    assert_eq!(unique.len(), 300, "no customer_id twice");
}

#[tokio::test]
async fn control_requests_change_the_simulators_state() {
    let mock = MockWolkvox::start().await;
    let client = client(&mock, Duration::from_secs(5));
    for id in [1, 2, 3] {
        mock.add_campaign(id, CampaignKind::Predictive, &format!("P{id}"));
    }
    mock.add_campaign(4, CampaignKind::Preview, "V4");
    let one = client.campaign(1, CampaignKind::Predictive);
    let three = client.campaign(3, CampaignKind::Predictive);
    one.start().await.unwrap();
    client
        .campaign(2, CampaignKind::Predictive)
        .start()
        .await
        .unwrap();
    let refused = three.start().await.unwrap_err();
    assert!(
        matches!(&refused, Error::Rejected { status: 404, message, .. } if message
            == "You must turn off a predictive before starting this one, you currently have 2 active predictives"),
        "{refused:?}"
    );
    assert_eq!(
        Refusal::of(&refused),
        Some(Refusal::ActivePredictives { active: Some(2) })
    );
    let reply = client
        .campaign(4, CampaignKind::Preview)
        .start()
        .await
        .unwrap();
    assert_eq!(
        reply.message,
        "The 4 campaign_id has been started successfully"
    );
    one.start().await.unwrap(); // already started: still fine
    let reply = one.stop().await.unwrap();
    assert_eq!(
        reply.message,
        "The 1 campaign_id has been stopped successfully"
    );
    three.start().await.unwrap();
    assert_eq!(
        mock.campaign_status(1).unwrap().status,
        CampaignStatus::Stopped
    );
    assert_eq!(
        mock.campaign_status(3).unwrap().status,
        CampaignStatus::Started
    );

    one.set_speed(80).await.unwrap();
    assert_eq!(one.status().await.unwrap().speed, 80);
    one.set_speed(0).await.unwrap();
    assert_eq!(mock.campaign_status(1).unwrap().speed, 0);

    assert!(one.add_records(&records(6)).await.unwrap().is_complete());
    one.remove_records(&["1000000001", "1000000004"])
        .await
        .unwrap();
    assert_eq!(
        ids(&mock.campaign_records(1)),
        ["1000000000", "1000000002", "1000000003", "1000000005"]
    );
    let exported = one.records().await.unwrap();
    assert_eq!(ids(&exported), ids(&mock.campaign_records(1)));
    assert_eq!(exported[0].customer_name, "CLIENTE 0");
    assert_eq!(exported[0].phones, ["3100000000"]);
    one.clear().await.unwrap();
    assert!(mock.campaign_records(1).is_empty());

    // clear_results takes the records whose result is the one named.
    one.add_records(&records(10)).await.unwrap();
    one.set_speed(100).await.unwrap();
    three.stop().await.unwrap();
    one.start().await.unwrap();
    mock.advance_campaigns(Duration::from_secs(1));
    let replies = one.clear_results(&["NO_ANSWER"]).await.unwrap();
    assert_eq!(replies.len(), 1);
    let row = one.status().await.unwrap();
    assert_eq!((row.records, row.no_answer, row.answer), (7, 0, 4));

    // Unknown campaign, wrong kind.
    let unknown = client
        .campaign(99, CampaignKind::Predictive)
        .stop()
        .await
        .unwrap_err();
    assert!(matches!(&unknown, Error::Rejected { message, .. }
        if message == "Campaign_id 99 does not exist in your operation."));
    let wrong_kind = client
        .campaign(4, CampaignKind::Predictive)
        .clear()
        .await
        .unwrap_err();
    assert_eq!(Refusal::of(&wrong_kind), Some(Refusal::UnknownCampaign));
}

#[tokio::test]
async fn the_simulators_refusals_are_the_live_ones() {
    let mock = MockWolkvox::start().await;
    let client = client(&mock, Duration::from_secs(5));
    mock.add_campaign(10, CampaignKind::Predictive, "A");
    mock.set_upload_limit(250);
    let campaign = client
        .campaign(10, CampaignKind::Predictive)
        .batch_size(100);
    let report = campaign.add_records(&records(300)).await.unwrap();
    assert_eq!(report.accepted(), 200);
    assert_eq!(
        report.licence_limit(),
        Some(LicenceLimit {
            uploading: 300,
            allowed: 250
        })
    );
    assert_eq!(
        report.pending().collect::<Vec<_>>(),
        (200..300).collect::<Vec<_>>()
    );

    let report = client
        .campaign(11, CampaignKind::Predictive)
        .add_records(&records(3))
        .await
        .unwrap();
    match &report.batches()[0].outcome {
        BatchOutcome::Rejected { error, .. } => {
            assert_eq!(
                Refusal::of(error),
                Some(Refusal::UnknownCampaign),
                "{error}"
            )
        }
        other => panic!("{other:?}"),
    }

    // What the crate refuses before sending, the simulator refuses like the live service.
    let body = json!([{"customer_id": "1"}, {"customer_id": " "}]);
    let error = client
        .call(Method::Post, "campaign.php", "add_record")
        .param("type_campaign", "predictive")
        .param("campaign_id", "10")
        .json(&body)
        .await
        .unwrap_err();
    let Error::Rejected {
        message,
        details: Some(details),
        ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(
        message,
        "0 records has been added, please validate the data"
    );
    assert!(
        details.contains("CUSTOMER_ID is empty, object position 1"),
        "{details}"
    );
    assert_eq!(mock.campaign_records(10).len(), 200);
}

#[tokio::test]
async fn a_started_campaign_dials_until_nothing_is_clean() {
    let mock = MockWolkvox::start().await;
    mock.add_campaign(5, CampaignKind::Predictive, "DIALLER - TEST");
    let client = client(&mock, Duration::from_secs(5));
    let campaign = client.campaign(5, CampaignKind::Predictive);
    campaign.add_records(&records(25)).await.unwrap();
    campaign.set_speed(10).await.unwrap();
    let before = campaign.status().await.unwrap();
    assert_eq!((before.records, before.clean, before.dial), (25, 25, 0));
    assert_eq!(before.campaign_name, "DIALLER - TEST");
    campaign.start().await.unwrap();
    mock.advance_campaigns(Duration::from_secs(1));
    let rows = client.campaigns_realtime().await.unwrap();
    let row = &rows[0];
    assert!(
        row.dial >= 10 && row.clean <= 15 && row.dial + row.clean == 25,
        "{row:?}"
    );
    assert_eq!(row.status, CampaignStatus::Started);
    mock.advance_campaigns(Duration::from_secs(3));
    let row = campaign.status().await.unwrap();
    assert_eq!((row.dial, row.clean), (25, 0));
    assert_eq!(
        row.answer + row.no_answer + row.busy_congestion_failed + row.answer_machine,
        25
    );
    assert_eq!(row.percentage, Some(100.0));
    assert!(row.is_finished());
    assert_eq!(
        row.status,
        CampaignStatus::Started,
        "the status stays started"
    );

    // Followed with watch: dial grows, clean falls to 0 (speed 100 on the simulator's clock).
    mock.add_campaign(6, CampaignKind::Predictive, "FAST");
    let fast = client.campaign(6, CampaignKind::Predictive);
    fast.add_records(&records(60)).await.unwrap();
    fast.set_speed(100).await.unwrap();
    fast.start().await.unwrap();
    let mut watch = fast.watch(Duration::from_millis(50));
    let mut seen = Vec::new();
    while let Some(row) = watch.next().await {
        let row = row.unwrap();
        seen.push(row.dial);
        if row.is_finished() {
            break;
        }
    }
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    assert_eq!(seen.last(), Some(&60));
}

#[tokio::test]
async fn the_demo_has_two_campaigns() {
    let mock = MockWolkvox::start_demo().await;
    let client = mock.client().unwrap();
    let rows = client.campaigns_realtime().await.unwrap();
    let summary: Vec<(u32, &str, &str, u32)> = rows
        .iter()
        .map(|r| {
            (
                r.campaign_id,
                r.campaign_name.as_str(),
                r.status.as_str(),
                r.records,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (7, "RECUPERACION_CARTERA", "started", 40),
            (8, "ENCUESTA_SATISFACCION", "stopped", 12)
        ]
    );
    assert!(
        rows[0].dial >= 15 && rows[0].skill_id == Some(201),
        "{:?}",
        rows[0]
    );
    assert_eq!((rows[1].dial, rows[1].clean), (0, 12));
    let survey = client
        .campaign(8, CampaignKind::Preview)
        .records()
        .await
        .unwrap();
    assert_eq!(survey.len(), 12);
    assert_eq!(survey[0].customer_id, "8000001");
}
