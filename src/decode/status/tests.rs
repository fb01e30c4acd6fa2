use super::*;
use crate::SkillRealtime;
use crate::decode::rows;

fn response(status: u16, body: &str) -> RawResponse {
    RawResponse {
        status,
        retry_after: None,
        body: body.as_bytes().to_vec(),
    }
}

fn skills(status: u16, body: &str) -> Result<Vec<SkillRealtime>, Error> {
    rows::typed::<SkillRealtime>(&response(status, body)).map(|decoded| decoded.rows)
}

#[test]
fn report_rows_make_room_for_the_announced_rows_at_once() {
    use crate::api::reports::CallRecord;
    let row = r#"{"conn_id":"1","date":"2026-08-12 08:03:15","comment":"a comment to make the row long enough"}"#;
    let body = |msg: &str| {
        format!(
            r#"{{"code":200,"error":null,"msg":"{msg}","data":[{}]}}"#,
            [row; 5].join(",")
        )
    };
    let decoded = rows::report::<CallRecord>(&response(200, &body("5 records were found")));
    let (sent, rows) = decoded.map(|d| (d.sent(), d.rows)).unwrap();
    assert_eq!((sent, rows.len(), rows.capacity()), (5, 5, 5));
    // A wrong count or none: every row all the same, in a vector grown as usual.
    for msg in ["2 records were found", "ok"] {
        let decoded = rows::report::<CallRecord>(&response(200, &body(msg)));
        let (sent, rows) = decoded.map(|d| (d.sent(), d.rows)).unwrap();
        assert_eq!((sent, rows.len()), (5, 5), "{msg}");
        assert_eq!(rows[4].comment, "a comment to make the row long enough");
    }
}

#[test]
fn details_are_compact_json_in_the_order_sent() {
    assert_eq!(
        details_of(b"{\"code\":\"404\",\"data\": [ {\"z\": \"a b\", \"a\": \"\\\" x\"} ]}")
            .as_deref(),
        Some(r#"[{"z":"a b","a":"\" x"}]"#)
    );
    assert_eq!(details_of(br#"{"code":"404","data":null}"#), None);
    assert_eq!(details_of(br#"{"code":"404"}"#), None);
    assert_eq!(details_of(b"<html>"), None);
}

#[test]
fn body_code_error_under_http_200() {
    let err = skills(
        200,
        r#"{"code":"403","msg":"TOKEN LIMIT EXCEEDED","data":[]}"#,
    );
    assert!(matches!(err, Err(Error::QuotaExceeded { status: 403, .. })));
    let err = skills(200, r#"{"code":500,"msg":"boom","data":"junk"}"#).unwrap_err();
    assert!(
        matches!(&err, Error::Api { status: 500, http_status: 200, code: Some(500), message, .. } if message == "boom"),
        "{err:?}"
    );
}

#[test]
fn http_error_with_success_code_in_body() {
    let err = skills(503, r#"{"code":200,"msg":"ok","data":[]}"#).unwrap_err();
    assert!(matches!(
        err,
        Error::Api {
            status: 503,
            code: Some(200),
            ..
        }
    ));
}

#[test]
fn messages_matched_case_and_space_insensitively() {
    let err = skills(
        403,
        r#"{"msg":"  exceeds the limit of   simultaneous requests per token (2) "}"#,
    );
    assert!(matches!(err, Err(Error::ConcurrencyLimited { .. })));
    let err = skills(403, r#"{"msg":"please validate token"}"#);
    assert!(matches!(err, Err(Error::Unauthorized { status: 403, .. })));
    let err = skills(403, r#"{"msg":"Token   limit exceeded"}"#);
    assert!(matches!(err, Err(Error::QuotaExceeded { .. })));
    let err = skills(403, r#"{"msg":"forbidden"}"#);
    assert!(matches!(err, Err(Error::Api { status: 403, .. })));
}

#[test]
fn html_snippets_drop_tags() {
    let err = skills(
        503,
        "<html><head><title>503 Down</title></head><body><p>maintenance</p></body></html>",
    )
    .unwrap_err();
    match err {
        Error::Api { message, code, .. } => {
            assert_eq!(message, "503 Down maintenance");
            assert_eq!(code, None);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(body_text(b"  "), "empty body");
    assert_eq!(body_text(b"\xff\xfeabc"), "\u{fffd}\u{fffd}abc");
}

#[test]
fn value_errors_win_over_parser_messages() {
    let err = skills(
        200,
        r#"{"code":200,"data":[{"skill_id":"1","stat_answer":"n/a"}]}"#,
    )
    .unwrap_err();
    match err {
        Error::Decode { path, raw, .. } => {
            assert_eq!(path, "data[0].stat_answer");
            assert_eq!(raw, "n/a");
        }
        other => panic!("{other:?}"),
    }
}
