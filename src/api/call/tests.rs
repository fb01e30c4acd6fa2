use super::*;
use crate::api::realtime::test_client as client;

fn raw(status: u16, body: &str) -> RawResponse {
    RawResponse {
        status,
        retry_after: None,
        body: body.as_bytes().to_vec(),
    }
}

#[test]
fn endpoints_and_api_names_are_checked_before_anything_is_sent() {
    for endpoint in [
        "campaign.php",
        "wolkvox_storage.php",
        "real_time.php",
        "x2.php",
    ] {
        assert!(check_endpoint(endpoint).is_ok(), "{endpoint}");
    }
    for endpoint in [
        "",
        ".php",
        "Campaign.php",
        "campaign",
        "../campaign.php",
        "listenVox/listenvox.php",
        "campaign.php?api=x",
        "campaign.PHP",
        "a b.php",
    ] {
        assert!(
            matches!(check_endpoint(endpoint), Err(Error::InvalidRequest { .. })),
            "{endpoint}"
        );
    }
    let bad_api = client().call(Method::Post, "campaign.php", "Add-Record");
    match bad_api.operation() {
        Err(Error::InvalidRequest { message }) => assert_eq!(
            message,
            "api name \"Add-Record\" is not 1 to 64 lower-case letters, digits or '_' \
             (e.g. \"add_record\")"
        ),
        other => panic!("{other:?}"),
    }
    let reserved = client()
        .call(Method::Get, "billing.php", "consumption")
        .param("api", "x");
    assert!(matches!(
        reserved.operation(),
        Err(Error::InvalidRequest { .. })
    ));
}

#[test]
fn the_operation_carries_method_query_body_and_idempotency() {
    let op = client()
        .call(Method::Delete, "campaign.php", "remove_record")
        .param("campaign_id", "7224")
        .param("type_campaign", "predictive")
        .json(&serde_json::json!({"customer_id": "1,2"}))
        .operation()
        .unwrap();
    assert_eq!(op.method, Method::Delete);
    assert_eq!(op.target.file(), "campaign.php");
    let query: Vec<(String, String)> = op
        .query
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    assert_eq!(
        query,
        [
            ("api", "remove_record"),
            ("campaign_id", "7224"),
            ("type_campaign", "predictive")
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
    );
    assert_eq!(op.body.as_deref(), Some(&br#"{"customer_id":"1,2"}"#[..]));
    assert!(op.is_unrepeatable());
    let start = client()
        .call(Method::Put, "campaign.php", "start")
        .idempotent()
        .operation()
        .unwrap();
    assert!(!start.is_unrepeatable());
    let read = client()
        .call(Method::Get, "billing.php", "consumption")
        .operation()
        .unwrap();
    assert!(!read.is_unrepeatable());
    assert_eq!(read.body, None);
}

#[test]
fn a_body_that_cannot_be_serialized_is_an_invalid_request() {
    let mut map = std::collections::BTreeMap::new();
    map.insert(vec![1u8], "x");
    let request = client()
        .call(Method::Post, "sms.php", "send_sms")
        .json(&map);
    match request.operation() {
        Err(Error::InvalidRequest { message }) => assert!(
            message.starts_with("the JSON body cannot be serialized: "),
            "{message}"
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn replies_read_code_msg_and_data_in_every_form() {
    let r = reply(
        Rules::Write,
        &raw(
            200,
            r#"{"code":"201","error":null,"msg":" added ","data":[{"total_registers":"3"}]}"#,
        ),
    )
    .unwrap();
    assert_eq!((r.status, r.code, r.message.as_str()), (200, 201, "added"));
    assert_eq!(r.data, serde_json::json!([{"total_registers": "3"}]));
    let r = reply(Rules::Write, &raw(202, r#"{"code":202,"msg":"ok"}"#)).unwrap();
    assert_eq!((r.code, r.data.clone()), (202, serde_json::Value::Null));
    let r = reply(Rules::Write, &raw(201, r#"{"msg":"no code"}"#)).unwrap();
    assert_eq!(r.code, 201);
    let r = reply(
        Rules::Write,
        &raw(
            200,
            r#"{"code":"200","msg":"default","data":"tones agentbox has been added "}"#,
        ),
    )
    .unwrap();
    assert_eq!(r.data, serde_json::json!("tones agentbox has been added "));
    let r = reply(Rules::Read, &raw(200, r#"[{"campaign":"1 - A - 0%"}]"#)).unwrap();
    assert_eq!((r.code, r.data.as_array().map(Vec::len)), (200, Some(1)));
    let r = reply(
        Rules::Write,
        &raw(200, "\u{feff}{\"code\":201,\"msg\":\"bom\"}"),
    )
    .unwrap();
    assert_eq!((r.code, r.message.as_str()), (201, "bom"));
}

#[test]
fn write_refusals_are_rejected_with_details_and_read_404s_not_found() {
    let body = r#"{"code":"404","error":"Not Found","msg":"0 records has been added, please validate the data","data":[{"total_registers":"1","total_errors":"1"}]}"#;
    match reply(Rules::Write, &raw(404, body)) {
        Err(Error::Rejected {
            status,
            message,
            details,
            ..
        }) => {
            assert_eq!(status, 404);
            assert_eq!(
                message,
                "0 records has been added, please validate the data"
            );
            assert_eq!(
                details.as_deref(),
                Some(r#"[{"total_registers":"1","total_errors":"1"}]"#)
            );
        }
        other => panic!("{other:?}"),
    }
    // A refusal under HTTP 200: the body's code wins.
    match reply(
        Rules::Write,
        &raw(200, r#"{"code":"406","msg":"invalid ip"}"#),
    ) {
        Err(Error::Rejected {
            status: 406,
            details: None,
            ..
        }) => {}
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        reply(Rules::Read, &raw(404, body)),
        Err(Error::NotFound { status: 404, .. })
    ));
    // Token, quota and concurrency answers keep their variants on writes.
    for (status, msg, kind) in [
        (403, "TOKEN LIMIT EXCEEDED", "quota_exceeded"),
        (
            403,
            "EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)",
            "concurrency_limited",
        ),
        (403, "PLEASE VALIDATE TOKEN", "unauthorized"),
        (401, "PLEASE ENTER THE WOLKVOX-TOKEN", "unauthorized"),
        (429, "slow down", "concurrency_limited"),
        (503, "down", "api"),
    ] {
        let body = format!(r#"{{"code":"{status}","msg":"{msg}"}}"#);
        let error = reply(Rules::Write, &raw(status, &body)).unwrap_err();
        assert_eq!(error.kind(), kind, "{status} {msg}");
    }
}
