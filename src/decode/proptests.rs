//! Property tests of the response decoder: no input makes it panic, and every valid value in
//! every live format decodes to the number it renders.

use std::borrow::Cow;

use proptest::prelude::*;
use serde_json::{Value, json};

use crate::api::realtime::rows::{AgentRealtime, SkillRealtime};
use crate::decode::envelope::Scalar;
use crate::decode::rows;
use crate::decode::{count, percentage};
use crate::engine::transport::RawResponse;

const SKILL_FIELDS: [&str; 11] = [
    "skill_id",
    "skill_name",
    "calls_in_queue_now",
    "stat_inbound",
    "stat_answer",
    "stat_abandon",
    "service_level_10seg",
    "service_level_20seg",
    "service_level_30seg",
    "by_abandon",
    "service_level_45seg",
];

/// Strings that look like what the service sends, and arbitrary ones.
fn value_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just(" ".to_owned()),
        Just("-".to_owned()),
        Just("--".to_owned()),
        Just("NaN %".to_owned()),
        Just("inf %".to_owned()),
        Just("1e9".to_owned()),
        Just("4294967296".to_owned()),
        "[0-9]{1,12}",
        "-?[0-9]{1,4}[.,][0-9]{1,3} ?%?",
        "[0-9]{1,3}:[0-9]{1,2}(:[0-9]{1,2})?",
        ".{0,24}",
        any::<String>(),
    ]
}

/// A JSON value for one field: mostly strings, sometimes numbers, null, or nested values.
fn field_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        6 => value_text().prop_map(Value::String),
        1 => any::<i64>().prop_map(Value::from),
        1 => any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => Just(json!({"nested": [1, {"x": "y"}]})),
    ]
}

/// A row: the skill fields (some missing), plus arbitrary extra keys.
fn row() -> impl Strategy<Value = Value> {
    (
        proptest::collection::vec(proptest::option::of(field_value()), SKILL_FIELDS.len()),
        proptest::collection::vec((".{0,12}", field_value()), 0..3),
    )
        .prop_map(|(known, extra)| {
            let mut map = serde_json::Map::new();
            for (name, value) in SKILL_FIELDS.iter().zip(known) {
                if let Some(value) = value {
                    map.insert((*name).to_owned(), value);
                }
            }
            map.extend(extra);
            Value::Object(map)
        })
}

fn code() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!(200)),
        Just(json!("200")),
        Just(json!("")),
        Just(Value::Null),
        any::<i64>().prop_map(Value::from),
        ".{0,6}".prop_map(Value::String),
    ]
}

fn data() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        4 => proptest::collection::vec(row(), 0..4).prop_map(|rows| Some(Value::Array(rows))),
        1 => row().prop_map(Some),
        1 => Just(None),
        1 => Just(Some(Value::Null)),
        1 => field_value().prop_map(Some),
        1 => proptest::collection::vec(field_value(), 0..3).prop_map(|v| Some(Value::Array(v))),
    ]
}

fn envelope() -> impl Strategy<Value = Vec<u8>> {
    (
        code(),
        proptest::option::of(".{0,30}"),
        data(),
        any::<bool>(),
    )
        .prop_map(|(code, msg, data, bare)| {
            let body = match (bare, data) {
                (true, Some(data @ Value::Array(_))) => data,
                (_, data) => {
                    let mut map = serde_json::Map::new();
                    map.insert("code".into(), code);
                    if let Some(msg) = msg {
                        map.insert("msg".into(), Value::String(msg));
                    }
                    if let Some(data) = data {
                        map.insert("data".into(), data);
                    }
                    Value::Object(map)
                }
            };
            body.to_string().into_bytes()
        })
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        4 => Just(200u16),
        1 => prop::sample::select(vec![201u16, 204, 301, 400, 401, 403, 404, 429, 500, 503]),
        1 => 100u16..600,
    ]
}

/// Every decoder over one response; the property is that none of them panics.
fn decode_all(status: u16, body: Vec<u8>) {
    let response = RawResponse {
        status,
        retry_after: None,
        body,
    };
    if let Ok(rows::Decoded {
        envelope,
        rows: skills,
    }) = rows::typed::<SkillRealtime>(&response)
    {
        assert_eq!(envelope.rows, skills.len());
        for skill in &skills {
            assert!(skill.service_level_10seg.is_finite() && skill.service_level_10seg >= 0.0);
            assert!(skill.by_abandon.is_finite() && skill.by_abandon >= 0.0);
        }
    }
    let _ = rows::typed::<AgentRealtime>(&response);
    let _ = rows::json(&response);
    let _ = rows::requested::<serde_json::Value>(&response);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_envelopes_never_panic(status in status(), body in envelope()) {
        decode_all(status, body);
    }

    #[test]
    fn arbitrary_bytes_never_panic(status in status(), body in proptest::collection::vec(any::<u8>(), 0..256)) {
        decode_all(status, body);
    }

    #[test]
    fn truncated_envelopes_never_panic(body in envelope(), cut in any::<prop::sample::Index>()) {
        let at = cut.index(body.len() + 1);
        decode_all(200, body[..at].to_vec());
    }

    #[test]
    fn counts_round_trip_in_every_live_format(n in any::<u32>()) {
        let text = n.to_string();
        for rendered in [text.clone(), format!(" {text} "), format!("{text}\t")] {
            prop_assert_eq!(count(&Scalar::Str(Cow::Owned(rendered))), Ok(n));
        }
        prop_assert_eq!(count(&Scalar::Unsigned(u64::from(n))), Ok(n));
        prop_assert_eq!(count(&Scalar::Float(f64::from(n))), Ok(n));
    }

    #[test]
    fn percentages_round_trip_in_every_live_format(hundredths in 0u32..1_000_000) {
        let (int, frac) = (hundredths / 100, hundredths % 100);
        let expected: f64 = format!("{int}.{frac:02}").parse().unwrap();
        for rendered in [
            format!("{int}.{frac:02} %"),
            format!("{int}.{frac:02}%"),
            format!("{int},{frac:02} %"),
            format!("{int}.{frac:02}"),
        ] {
            prop_assert_eq!(percentage(&Scalar::Str(Cow::Owned(rendered.clone()))), Ok(expected), "{}", rendered);
        }
        if frac == 0 {
            prop_assert_eq!(percentage(&Scalar::Str(Cow::Owned(format!("{int} %")))), Ok(f64::from(int)));
            prop_assert_eq!(percentage(&Scalar::Unsigned(u64::from(int))), Ok(f64::from(int)));
        }
        prop_assert_eq!(percentage(&Scalar::Float(expected)), Ok(expected));
    }

    #[test]
    fn skill_rows_in_live_formats_decode_to_their_numbers(
        id in 1u32..100_000,
        queue in any::<u32>(),
        sl in 0u32..10_001,
        comma in any::<bool>(),
    ) {
        let pct = if comma {
            format!("{},{:02} %", sl / 100, sl % 100)
        } else {
            format!("{}.{:02}%", sl / 100, sl % 100)
        };
        let body = json!({"code": "200", "data": [{
            "skill_id": id.to_string(), "skill_name": "X", "calls_in_queue_now": queue,
            "stat_inbound": queue.to_string(), "stat_answer": "", "stat_abandon": "-",
            "service_level_10seg": pct, "service_level_20seg": pct, "service_level_30seg": pct,
            "by_abandon": pct
        }]}).to_string().into_bytes();
        let response = RawResponse { status: 200, retry_after: None, body };
        let skills = rows::typed::<SkillRealtime>(&response).unwrap().rows;
        let expected = f64::from(sl) / 100.0;
        prop_assert_eq!(skills[0].skill_id, id);
        prop_assert_eq!(skills[0].calls_in_queue_now, queue);
        prop_assert_eq!(skills[0].stat_inbound, queue);
        prop_assert_eq!(skills[0].stat_answer, 0);
        prop_assert!((skills[0].service_level_20seg - expected).abs() < 1e-9);
    }
}
