use jiff::civil::date;
use serde::Deserialize;
use serde_json::{Value, json};

use super::*;
use crate::api::campaign::export;
use crate::engine::transport::RawResponse;

const CAMPAIGN_15: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/writes/campaign_15.json"
));

fn keys(value: &Value) -> Vec<String> {
    value.as_object().unwrap().keys().cloned().collect()
}

fn sample() -> CampaignRecord {
    let mut record = CampaignRecord::new("1000000001");
    record.customer_name = "ANA".into();
    record.customer_last_name = "GOMEZ \"LA FLACA\"".into();
    record.phones = vec!["3105550199".into(), "6015550100".into()];
    record.options[0] = "VIP".into();
    record.options[11] = "último".into();
    record.email = "ana@example.com".into();
    record.tel_extra = "123".into();
    record.recall_telephone = "3105550199".into();
    record.recall_date = Some(date(2026, 6, 6).at(9, 5, 0, 0));
    record
}

const COMMON: [&str; 33] = [
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
];

#[test]
fn predictive_sends_exactly_its_keys_in_the_documented_order() {
    let sent = serde_json::to_value(sample().wire(CampaignKind::Predictive)).unwrap();
    let mut expected: Vec<&str> = COMMON.to_vec();
    expected.extend(["tel_extra", "email", "recall_date", "recall_telephone"]);
    // serde_json's map is ordered by key unless preserve_order; compare as sets and check
    // the order on the bytes.
    let mut got = keys(&sent);
    got.sort();
    let mut want: Vec<String> = expected.iter().map(|k| k.to_string()).collect();
    want.sort();
    assert_eq!(got, want);
    let text = serde_json::to_string(&sample().wire(CampaignKind::Predictive)).unwrap();
    let positions: Vec<usize> = expected
        .iter()
        .map(|k| text.find(&format!("\"{k}\":")).unwrap())
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{text}");
    assert_eq!(sent["recall_date"], "20260606090500");
    assert_eq!(sent["tel1"], "3105550199");
    assert_eq!(sent["tel3"], "");
    assert_eq!(sent["customer_last_name"], "GOMEZ \"LA FLACA\"");
    assert_eq!(sent["opt12"], "último");
    assert!(sent.as_object().unwrap().values().all(Value::is_string));
}

#[test]
fn preview_sends_agent_id_and_none_of_the_predictive_only_keys() {
    let mut record = sample();
    let sent = serde_json::to_value(record.wire(CampaignKind::Preview)).unwrap();
    let mut want: Vec<String> = COMMON.iter().map(|k| k.to_string()).collect();
    want.push("agent_id".into());
    want.sort();
    let mut got = keys(&sent);
    got.sort();
    assert_eq!(got, want);
    assert_eq!(sent["agent_id"], "");
    record.agent_id = Some(1001);
    let sent = serde_json::to_value(record.wire(CampaignKind::Preview)).unwrap();
    assert_eq!(sent["agent_id"], "1001");
}

#[test]
fn its_own_serialize_keeps_every_field_and_reads_back() {
    let mut record = sample();
    let json = serde_json::to_string(&record).unwrap();
    assert!(!json.contains("agent_id"));
    assert_eq!(
        serde_json::from_str::<CampaignRecord>(&json).unwrap(),
        record
    );
    record.agent_id = Some(7);
    record.phones = vec!["".into(), "2".into()];
    let json = serde_json::to_string(&record).unwrap();
    assert!(json.contains(r#""agent_id":"7""#));
    assert_eq!(
        serde_json::from_str::<CampaignRecord>(&json).unwrap(),
        record
    );
}

#[test]
fn reads_the_export_spanish_keys() {
    let raw = RawResponse {
        status: 200,
        retry_after: None,
        body: CAMPAIGN_15.as_bytes().to_vec(),
    };
    let records: Vec<CampaignRecord> = export::read(&raw).unwrap();
    assert_eq!(records.len(), 3);
    let first = &records[0];
    assert_eq!(first.customer_id, "100000001");
    assert_eq!(first.customer_name, "CLIENTE");
    assert_eq!(first.customer_last_name, "PRUEBA UNO");
    assert_eq!(first.id_type, "CC");
    assert_eq!(first.age, "34");
    assert_eq!(first.gender, "F");
    assert_eq!(first.country, "COLOMBIA");
    assert_eq!(first.state, "ANTIOQUIA");
    assert_eq!(first.city, "MEDELLIN");
    assert_eq!(first.options[0], "PLAN BASICO");
    assert_eq!(first.options[1], "CUOTA 3");
    assert_eq!(first.phones, ["3000000001"]);
    assert_eq!(first.agent_id, Some(1001));
    assert_eq!(first.recall_date, None);
    let second = &records[1];
    assert_eq!(second.customer_id, "AB-200002");
    assert_eq!(second.phones, ["3000000002", "3000000003"]);
    assert_eq!(second.recall_date, Some(date(2026, 6, 6).at(10, 0, 0, 0)));
    assert_eq!(second.recall_telephone, "3000000003");
    assert_eq!(second.agent_id, None);
    assert_eq!(records[2].email, "cliente.tres@example.com");
}

#[test]
fn reads_leniently_and_requires_the_id() {
    let record: CampaignRecord = serde_json::from_value(json!({
        "customer_id": 1000000001u64, "customer_name": " ANA ", "tel2": 3105550199u64,
        "opt3": null, "recall_date": "00000000000000", "agent_id": "", "resultado": "CLEAN",
        "tel11": "x", "opt0": "x", "opt13": "x"
    }))
    .unwrap();
    assert_eq!(record.customer_id, "1000000001");
    assert_eq!(record.customer_name, "ANA");
    assert_eq!(record.phones, ["", "3105550199"]);
    assert_eq!(record.recall_date, None);
    assert_eq!(record.agent_id, None);
    let record: CampaignRecord =
        serde_json::from_value(json!({"id_cliente": "7", "rellamada": "2026-06-06 10:00:00"}))
            .unwrap();
    assert_eq!(record.recall_date, Some(date(2026, 6, 6).at(10, 0, 0, 0)));

    let missing = serde_json::from_value::<CampaignRecord>(json!({"customer_name": "ANA"}));
    assert!(missing.unwrap_err().to_string().contains("customer_id"));
    let bad =
        serde_json::from_value::<CampaignRecord>(json!({"customer_id": "1", "agent_id": "x"}));
    assert!(bad.unwrap_err().to_string().contains("agent id"));
    let bad = serde_json::from_value::<CampaignRecord>(
        json!({"customer_id": "1", "recall_date": "ayer"}),
    );
    assert!(bad.is_err());
}

#[test]
fn reads_a_row_of_strings_as_a_csv_row_gives_it() {
    use serde::de::value::{Error as ValueError, MapDeserializer};
    let header = ["customer_id", "customer_name", "tel1", "opt7", "agent_id"];
    let row = ["000123", "ANA", "0601555", "x", "1001"];
    let fields = header.iter().copied().zip(row.iter().copied());
    let record =
        CampaignRecord::deserialize(MapDeserializer::<_, ValueError>::new(fields)).unwrap();
    assert_eq!(record.customer_id, "000123");
    assert_eq!(record.phones, ["0601555"]);
    assert_eq!(record.options[6], "x");
    assert_eq!(record.agent_id, Some(1001));
}

#[test]
fn the_body_is_the_array_of_wire_records_and_its_room_is_reserved() {
    let records: Vec<CampaignRecord> = (0..50)
        .map(|i| {
            let mut r = sample();
            r.customer_id = format!("{i}");
            r
        })
        .collect();
    let mut odd = sample();
    odd.customer_name = "a\"b\\c\n\r\t\u{8}\u{c}\u{1}\u{1f}\u{7f} ñ 😀 </".into();
    odd.agent_id = Some(4_294_967_295);
    let mut records = records;
    records.push(odd);
    for kind in [CampaignKind::Predictive, CampaignKind::Preview] {
        let bytes = body(&records, kind);
        let wire: Vec<WireRecord<'_>> = records.iter().map(|r| r.wire(kind)).collect();
        assert_eq!(
            String::from_utf8_lossy(&bytes),
            serde_json::to_string(&wire).unwrap(),
            "{kind}: the same bytes as serde_json"
        );
        let parsed: Vec<Value> = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(parsed.len(), 51);
        assert_eq!(
            parsed[7],
            serde_json::to_value(records[7].wire(kind)).unwrap()
        );
        // The estimate covers the body but for escapes (two quotes per record here): no
        // doubling, and no more than a few percent spare.
        let plain: Vec<CampaignRecord> = records
            .iter()
            .map(|r| {
                let mut r = r.clone();
                r.customer_last_name = "GOMEZ".into();
                r
            })
            .collect();
        let bytes = body(&plain[..50], kind);
        assert!(bytes.capacity() >= bytes.len(), "{kind}");
        assert!(
            bytes.capacity() <= bytes.len() + bytes.len() / 10,
            "{kind}: {} for {}",
            bytes.capacity(),
            bytes.len()
        );
    }
    assert_eq!(body(&[], CampaignKind::Preview), b"[]");
}

proptest::proptest! {
    #[test]
    fn the_body_writer_escapes_as_serde_json(name in "(?s).{0,24}", city in "[\\x00-\\x7f]{0,12}") {
        let mut record = CampaignRecord::new("1");
        record.customer_name = name;
        record.city = city;
        for kind in [CampaignKind::Predictive, CampaignKind::Preview] {
            let wire = [record.wire(kind)];
            proptest::prop_assert_eq!(
                String::from_utf8_lossy(&body(std::slice::from_ref(&record), kind)).into_owned(),
                serde_json::to_string(&wire).unwrap()
            );
        }
    }
}
