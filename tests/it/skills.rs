//! The Skill real-time report end to end against a loopback wiremock server: the request sent,
//! every envelope and value variant of the spec, and the typed result.

use std::collections::BTreeMap;

use crate::common::{ENDPOINT, TOKEN, builder, client, fixture, server_with};
use wiremock::matchers::{header, header_exists, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};
use wolkvox::{Error, SkillRealtime};

fn skill_101() -> SkillRealtime {
    let mut s = SkillRealtime::new(101, "SOPORTE_TECNICO");
    s.calls_in_queue_now = 3;
    s.stat_inbound = 412;
    s.stat_answer = 377;
    s.stat_abandon = 35;
    s.service_level_10seg = 61.27;
    s.service_level_20seg = 78.52;
    s.service_level_30seg = 86.41;
    s.by_abandon = 8.5;
    s
}

/// Rows in the live format with `fields` overriding the defaults of skill 101.
fn row(fields: &[(&str, serde_json::Value)]) -> serde_json::Value {
    let mut row = serde_json::json!({
        "skill_id": "101", "skill_name": "SOPORTE_TECNICO", "calls_in_queue_now": "3",
        "stat_inbound": "412", "stat_answer": "377", "stat_abandon": "35",
        "service_level_10seg": "61.27 %", "service_level_20seg": "78.52 %",
        "service_level_30seg": "86.41 %", "by_abandon": "8.50 %"
    });
    for (k, v) in fields {
        row[*k] = v.clone();
    }
    row
}

#[tokio::test]
async fn one_skill_from_the_vendor_sample() {
    let server = server_with(200, &fixture("skill_one.json")).await;
    let skill = client(&server).skill(101).await.unwrap();
    assert_eq!(skill, skill_101());
    assert!(
        skill.extra_service_levels.is_empty(),
        "service_level_0seg is dropped"
    );
    assert_eq!(skill.service_level(10), Some(61.27));
    assert_eq!(skill.service_level(30), Some(86.41));
    assert_eq!(skill.service_level(0), None);
}

#[tokio::test]
async fn all_skills_with_string_code_blank_count_comma_decimal_and_extra_column() {
    let server = server_with(200, &fixture("skills_all.json")).await;
    let skills = client(&server).skills().await.unwrap();
    assert_eq!(skills.len(), 3);
    assert_eq!(skills[0], skill_101());

    let mut sales = SkillRealtime::new(102, "VENTAS");
    sales.service_level_10seg = 0.0;
    assert_eq!(skills[1], sales);

    let c = &skills[2];
    assert_eq!((c.skill_id, c.skill_name.as_str()), (205, "COBRANZAS"));
    assert_eq!(c.calls_in_queue_now, 0, "blank count is 0");
    assert_eq!((c.stat_inbound, c.stat_answer, c.stat_abandon), (58, 52, 6));
    assert_eq!(c.service_level_10seg, 40.0);
    assert_eq!(c.service_level_20seg, 55.1);
    assert_eq!(c.service_level_30seg, 71.15, "comma decimal");
    assert_eq!(c.by_abandon, 10.34);
    assert_eq!(
        c.extra_service_levels,
        BTreeMap::from([(45, 80.77)]),
        "the extra column is kept by its seconds"
    );
    assert_eq!(c.service_level(45), Some(80.77));
}

#[tokio::test]
async fn request_carries_path_query_and_headers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(ENDPOINT))
        .and(query_param("api", "skills"))
        .and(query_param("skill_id", "101"))
        .and(query_param("services_time", "45"))
        .and(header("wolkvox-token", TOKEN))
        .and(header("wolkvox_server", "0004"))
        .respond_with(ResponseTemplate::new(200).set_body_string(fixture("skill_one.json")))
        .expect(1)
        .mount(&server)
        .await;
    // Anything else is a test failure, naming the request.
    let unexpected = crate::common::fail_on_unexpected_requests(&server).await;

    let client = builder(&server)
        .server("0004")
        .user_agent("queue-board/1.0")
        .build()
        .unwrap();
    client.skill(101).service_time(45).await.unwrap();

    let requests = server.received_requests().await.unwrap();
    let ua = requests[0].headers["user-agent"].to_str().unwrap();
    assert_eq!(
        ua,
        format!("wolkvox-rust/{} queue-board/1.0", env!("CARGO_PKG_VERSION"))
    );
    let query: Vec<(String, String)> = requests[0].url.query_pairs().into_owned().collect();
    assert_eq!(
        query,
        [
            ("api", "skills"),
            ("skill_id", "101"),
            ("services_time", "45")
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
    );
    unexpected.check();
}

#[tokio::test]
async fn all_skills_asks_for_skill_id_all_without_server_header_when_unset() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(ENDPOINT))
        .and(query_param("skill_id", "all"))
        .and(header_exists("wolkvox-token"))
        .respond_with(ResponseTemplate::new(200).set_body_string(fixture("skills_all.json")))
        .expect(1)
        .mount(&server)
        .await;
    assert_eq!(client(&server).skills().await.unwrap().len(), 3);
    let requests = server.received_requests().await.unwrap();
    assert!(!requests[0].headers.contains_key("wolkvox_server"));
    assert!(
        !requests[0]
            .url
            .query_pairs()
            .any(|(k, _)| k == "services_time")
    );
}

#[tokio::test]
async fn code_as_number_string_blank_or_missing_all_succeed() {
    let data = serde_json::json!([row(&[])]);
    for code in [
        serde_json::json!(200),
        serde_json::json!("200"),
        serde_json::json!(""),
        serde_json::Value::Null,
    ] {
        let body =
            serde_json::json!({"code": code, "error": null, "msg": "1 records", "data": data});
        let server = server_with(200, &body.to_string()).await;
        assert_eq!(
            client(&server).skill(101).await.unwrap(),
            skill_101(),
            "code {code}"
        );
    }
    let body = serde_json::json!({"msg": "no code at all", "data": data});
    let server = server_with(200, &body.to_string()).await;
    assert_eq!(client(&server).skill(101).await.unwrap(), skill_101());
}

#[tokio::test]
async fn data_as_single_object_or_bare_array() {
    let body = serde_json::json!({"code": 200, "msg": "1 records", "data": row(&[])});
    let server = server_with(200, &body.to_string()).await;
    assert_eq!(client(&server).skills().await.unwrap(), vec![skill_101()]);

    let body = serde_json::json!([row(&[]), row(&[("skill_id", "7".into())])]);
    let server = server_with(200, &body.to_string()).await;
    let skills = client(&server).skills().await.unwrap();
    assert_eq!(
        skills.iter().map(|s| s.skill_id).collect::<Vec<_>>(),
        [101, 7]
    );
}

#[tokio::test]
async fn data_null_missing_or_empty_is_no_data() {
    for body in [
        r#"{"code":200,"msg":"0 records were found","data":null}"#,
        r#"{"code":200,"msg":"0 records were found"}"#,
        r#"{"code":200,"msg":"0 records were found","data":[]}"#,
        r#"[]"#,
    ] {
        let server = server_with(200, body).await;
        let client = client(&server);
        assert_eq!(client.skills().await.unwrap(), vec![], "{body}");
        match client.skill(101).await {
            Err(Error::NotFound {
                status: 200,
                message,
                attempts: 1,
                ..
            }) => assert!(message.contains("skill 101"), "{message}"),
            other => panic!("{body}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn no_data_404_is_empty_for_skills_and_not_found_for_one_skill() {
    let server = server_with(404, &fixture("no_data_404.json")).await;
    let client = client(&server);
    assert_eq!(client.skills().await.unwrap(), vec![]);
    match client.skill(101).await.unwrap_err() {
        Error::NotFound {
            status, message, ..
        } => {
            assert_eq!(status, 404);
            assert_eq!(message, "Validate dates entered");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn one_skill_picks_the_matching_row_and_misses_are_not_found() {
    let body =
        serde_json::json!({"code": 200, "data": [row(&[("skill_id", "7".into())]), row(&[])]});
    let server = server_with(200, &body.to_string()).await;
    assert_eq!(client(&server).skill(101).await.unwrap(), skill_101());
    assert!(matches!(
        client(&server).skill(555).await,
        Err(Error::NotFound { status: 200, .. })
    ));
}

#[tokio::test]
async fn values_as_json_numbers_blanks_and_dashes() {
    let body = serde_json::json!({"code": 200, "data": [row(&[
        ("skill_id", 101.into()),
        ("calls_in_queue_now", 3.into()),
        ("stat_inbound", " 412 ".into()),
        ("stat_abandon", "-".into()),
        ("stat_answer", "--".into()),
        ("service_level_10seg", 61.27.into()),
        ("service_level_20seg", "78.52%".into()),
        ("service_level_30seg", " ".into()),
        ("by_abandon", "12.5".into()),
    ])]});
    let server = server_with(200, &body.to_string()).await;
    let s = client(&server).skill(101).await.unwrap();
    assert_eq!(
        (
            s.calls_in_queue_now,
            s.stat_inbound,
            s.stat_abandon,
            s.stat_answer
        ),
        (3, 412, 0, 0)
    );
    assert_eq!(
        (
            s.service_level_10seg,
            s.service_level_20seg,
            s.service_level_30seg,
            s.by_abandon
        ),
        (61.27, 78.52, 0.0, 12.5)
    );
}

#[tokio::test]
async fn percentage_formats_of_the_live_service() {
    for (raw, want) in [
        ("34.64 %", 34.64),
        ("0.00%", 0.0),
        ("0 %", 0.0),
        ("100 %", 100.0),
        ("12.5", 12.5),
        ("34,64 %", 34.64),
        ("71,15 %", 71.15),
        ("150 %", 150.0),
    ] {
        let body = serde_json::json!({"code": 200, "data": [row(&[("by_abandon", raw.into())])]});
        let server = server_with(200, &body.to_string()).await;
        let s = client(&server).skill(101).await.unwrap();
        assert_eq!(s.by_abandon, want, "{raw:?}");
    }
}

#[tokio::test]
async fn unknown_fields_are_ignored_and_extra_service_levels_kept() {
    let body = serde_json::json!({"code": 200, "new_envelope_key": {"x": [1]}, "data": [row(&[
        ("brand_new_field", serde_json::json!({"nested": true})),
        ("another", serde_json::json!([1, 2])),
        ("service_level_60seg", "91.00 %".into()),
        ("service_level_0seg", "0 %".into()),
    ])]});
    let server = server_with(200, &body.to_string()).await;
    let s = client(&server).skill(101).await.unwrap();
    assert_eq!(s.extra_service_levels, BTreeMap::from([(60, 91.0)]));
    assert_eq!(s.service_level(60), Some(91.0));
}

#[tokio::test]
async fn bad_values_name_the_field_and_raw_value() {
    for (field, raw) in [
        ("stat_answer", "n/a"),
        ("calls_in_queue_now", "-3"),
        ("stat_inbound", "2.5"),
        ("service_level_20seg", "NaN %"),
        ("skill_id", ""),
    ] {
        let body =
            serde_json::json!({"code": 200, "data": [row(&[]), row(&[(field, raw.into())])]});
        let server = server_with(200, &body.to_string()).await;
        match client(&server).skills().await {
            Err(Error::Decode {
                path,
                raw: got,
                message,
                ..
            }) => {
                assert_eq!(path, format!("data[1].{field}"));
                assert_eq!(got, raw);
                assert!(message.starts_with("expected "), "{message}");
            }
            other => panic!("{field}={raw:?}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn skill_realtime_serializes_to_clean_json() {
    let server = server_with(200, &fixture("skills_all.json")).await;
    let skills = client(&server).skills().await.unwrap();
    let json = serde_json::to_value(&skills[2]).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "skill_id": 205, "skill_name": "COBRANZAS", "calls_in_queue_now": 0,
            "stat_inbound": 58, "stat_answer": 52, "stat_abandon": 6,
            "service_level_10seg": 40.0, "service_level_20seg": 55.1,
            "service_level_30seg": 71.15, "by_abandon": 10.34,
            "extra_service_levels": {"45": 80.77}
        })
    );
}

#[tokio::test]
async fn the_catch_all_names_an_unexpected_request() {
    let server = MockServer::start().await;
    let unexpected = crate::common::fail_on_unexpected_requests(&server).await;
    let response = reqwest::Client::new()
        .get(format!("{}/nowhere?x=1", server.uri()))
        .header("wolkvox-token", "SECRET-TOKEN")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 599);
    let seen = unexpected.take();
    assert_eq!(seen.len(), 1);
    assert!(seen[0].starts_with("GET /nowhere?x=1 ["), "{seen:?}");
    assert!(!seen[0].contains("SECRET-TOKEN"), "{seen:?}");
    let failure = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        unexpected.check();
    }));
    assert!(failure.is_ok(), "taken requests are forgotten");
}

#[tokio::test]
async fn snapshots_round_trip_through_their_own_json() {
    let mock = wolkvox::mock::MockWolkvox::start_demo().await;
    let client = mock.client().unwrap();
    let skills = client.skills().service_time(45).await.unwrap();
    let json = serde_json::to_string(&skills).unwrap();
    let back: Vec<wolkvox::SkillRealtime> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, skills);
    assert_eq!(back[0].service_level(45), Some(86.41));
    let agents = client.agents().await.unwrap();
    let json = serde_json::to_string(&agents).unwrap();
    let back: Vec<wolkvox::AgentRealtime> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, agents);
}

#[tokio::test]
async fn a_long_json_number_decodes_to_the_nearest_f64() {
    // Without serde_json's `float_roundtrip` this comes back one ulp off.
    let body = r#"{"code":200,"data":[{"skill_id":"101","service_level_10seg":913523.7426664425,"by_abandon":0.30000000000000004}]}"#;
    let server = server_with(200, body).await;
    let skill = client(&server).skill(101).await.unwrap();
    assert_eq!(
        skill.service_level_10seg.to_bits(),
        913523.7426664425_f64.to_bits()
    );
    assert_eq!(
        skill.by_abandon.to_bits(),
        0.30000000000000004_f64.to_bits()
    );
}
