use super::*;
use crate::SkillRealtime;

const ROW: &str = r#"{"skill_id":"101","skill_name":"X"}"#;

fn view(body: &str) -> ResponseView<'_> {
    ResponseView {
        status: 200,
        retry_after: None,
        body: body.as_bytes(),
    }
}

fn skills(body: &str) -> Result<Vec<SkillRealtime>, Error> {
    typed::<SkillRealtime>(view(body)).map(|decoded| decoded.rows)
}

#[test]
fn a_body_after_a_byte_order_mark_decodes() {
    let body = format!("\u{feff}{{\"code\":200,\"data\":[{ROW}]}}");
    assert_eq!(skills(&body).unwrap()[0].skill_id, 101);
}

#[test]
fn data_twice_is_a_decode_error() {
    let body = format!(r#"{{"code":200,"data":[{ROW}],"data":[{ROW}]}}"#);
    match skills(&body) {
        Err(Error::Decode { path, .. }) => assert_eq!(path, "data"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_code_that_cannot_be_read_is_a_decode_error() {
    for (code, raw) in [
        (r#"{"a":1}"#, "<object or array>"),
        (r#""200 OK""#, "200 OK"),
        ("99999", "99999"),
        ("-200", "-200"),
    ] {
        match skills(&format!(r#"{{"code":{code},"data":[{ROW}]}}"#)) {
            Err(Error::Decode {
                path,
                raw: got,
                message,
                ..
            }) => {
                assert_eq!((path.as_str(), got.as_str()), ("code", raw), "{code}");
                assert!(message.contains("whole number"), "{message}");
            }
            other => panic!("{code}: {other:?}"),
        }
    }
    for no_code in [r#""code":"","#, ""] {
        let body = format!(r#"{{{no_code}"data":[{ROW}]}}"#);
        assert_eq!(skills(&body).unwrap().len(), 1, "{body}");
    }
}
