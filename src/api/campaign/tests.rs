use super::realtime::split_campaign;
use super::*;
use crate::decode::rows as response;
use crate::engine::transport::RawResponse;

const BARE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/writes/realtime_campaigns.json"
));
const ENVELOPE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/writes/realtime_campaigns_envelope.json"
));

fn rows(body: &str) -> Vec<CampaignRealtime> {
    let raw = RawResponse {
        status: 200,
        retry_after: None,
        body: body.as_bytes().to_vec(),
    };
    response::typed::<CampaignRealtime>(&raw).unwrap().rows
}

fn expected() -> Vec<CampaignRealtime> {
    let mut first = CampaignRealtime::new(4711, "COBRANZA JUNIO");
    first.percentage = Some(62.5);
    first.status = CampaignStatus::Started;
    first.speed = 100;
    first.skill_id = Some(205);
    first.records = 120;
    first.clean = 45;
    first.dial = 75;
    first.answer = 30;
    first.no_answer = 28;
    first.busy_congestion_failed = 9;
    first.answer_machine = 8;
    first.penetration_day = 62.5;
    first.penetration_now = 62.5;
    first.hits = 12;
    first.calls_x_min = 6.0;
    first.recycled = 0;
    let mut second = CampaignRealtime::new(4712, "RENOVACIONES");
    second.percentage = Some(0.0);
    second.status = CampaignStatus::Stopped;
    second.speed = 50;
    second.skill_id = Some(101);
    second.records = 1;
    second.clean = 1;
    second.recycled = 1;
    vec![first, second]
}

#[test]
fn realtime_rows_from_the_bare_array_and_the_envelope() {
    assert_eq!(rows(BARE), expected());
    assert_eq!(rows(ENVELOPE), expected());
    assert!(!expected()[0].is_finished());
}

#[test]
fn realtime_rows_read_their_own_json_back() {
    for row in expected() {
        let json = serde_json::to_string(&row).unwrap();
        assert!(json.contains(r#""busy_congestion_failed":"#));
        assert_eq!(
            serde_json::from_str::<CampaignRealtime>(&json).unwrap(),
            row
        );
    }
}

#[test]
fn the_campaign_column_splits_into_id_name_and_percentage() {
    assert_eq!(
        split_campaign("4711 - COBRANZA JUNIO - 62.50 %"),
        Some((4711, "COBRANZA JUNIO", Some(62.5)))
    );
    assert_eq!(
        split_campaign(" 7 - A - B - 10 %"),
        Some((7, "A - B", Some(10.0)))
    );
    assert_eq!(split_campaign("7 - SOLO"), Some((7, "SOLO", None)));
    assert_eq!(split_campaign("7 - A - n/a"), Some((7, "A", None)));
    assert_eq!(split_campaign("7"), Some((7, "", None)));
    assert_eq!(split_campaign("X - A - 1 %"), None);
    assert_eq!(split_campaign(""), None);
    assert_eq!(split_campaign("99999999999 - A"), None);
    let bad = r#"[{"campaign": "SIN ID", "status": "started"}]"#;
    let raw = RawResponse {
        status: 200,
        retry_after: None,
        body: bad.as_bytes().to_vec(),
    };
    let error = response::typed::<CampaignRealtime>(&raw).unwrap_err();
    assert!(
        matches!(&error, Error::Decode { path, .. } if path == "data[0].campaign"),
        "{error:?}"
    );
}

#[test]
fn statuses_and_kinds() {
    assert_eq!(CampaignStatus::parse("STOPPED"), CampaignStatus::Stopped);
    assert_eq!(CampaignStatus::parse("").as_str(), "");
    assert_eq!(CampaignStatus::Started.to_string(), "started");
    assert_eq!(CampaignKind::Predictive.to_string(), "predictive");
    assert_eq!(
        " PREDICTIVE ".parse::<CampaignKind>(),
        Ok(CampaignKind::Predictive)
    );
}
