use super::*;
use crate::SkillRealtime;
use crate::decode::budget;

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

/// What decoding `body` with `sink` charged, when it fits `limit`, or its error.
fn charged<'de, T, S: Sink<'de, T>>(body: &'de str, sink: S, limit: usize) -> Result<usize, Error> {
    let mut reader = Reader {
        sink,
        out: Collected {
            rows: Vec::<T>::new(),
            budget: Budget::new(limit),
            failure: None,
        },
    };
    read(Rules::Read, view(body), &mut reader)?;
    Ok(reader.out.budget.used())
}

fn typed_sink<'de, T: DeserializeOwned>() -> FieldRows<'de, T> {
    FieldRows::new(
        |index, fields, _| row_from_fields(index, fields).map(Some),
        false,
    )
}

fn body_of(rows: &[String]) -> String {
    format!(r#"{{"code":200,"data":[{}]}}"#, rows.join(","))
}

/// `(path, raw, message)` of a decode error.
fn decode_error<T: std::fmt::Debug>(result: Result<T, Error>) -> (String, String, String) {
    match result {
        Err(Error::Decode {
            path, raw, message, ..
        }) => (path, raw, message),
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[test]
fn rows_past_the_budget_stop_the_decode_where_they_pass_it() {
    let rows: Vec<String> = (0..1_000).map(|i| format!(r#"{{"n":"{i}"}}"#)).collect();
    let body = body_of(&rows);
    // Each JSON row is an object (a node and one key, its text) and its slot in the vector.
    let whole = charged(&body, JsonRows, usize::MAX).unwrap();
    assert!(whole > 1_000 * (budget::OBJECT + budget::ENTRY), "{whole}");
    let (path, raw, message) = decode_error(charged(&body, JsonRows, whole / 2));
    let index: usize = path
        .strip_prefix("data[")
        .and_then(|p| p.strip_suffix(']'))
        .and_then(|i| i.parse().ok())
        .unwrap();
    assert!((400..600).contains(&index), "{path}");
    assert_eq!(raw, "");
    assert!(
        message.starts_with("the rows would take more than"),
        "{message}"
    );
    assert!(
        charged(&body, JsonRows, whole).is_ok(),
        "the exact budget fits"
    );
    // Typed rows charge their fields and their size in the vector.
    let typed = charged(&body, typed_sink::<Count>(), usize::MAX).unwrap();
    assert!(typed >= 1_000 * (budget::FIELD + 1 + 1), "{typed}");
    let (path, ..) = decode_error(charged(&body, typed_sink::<Count>(), typed / 2));
    assert!(path.starts_with("data["), "{path}");
}

#[derive(Debug, serde::Deserialize)]
struct Count {
    #[allow(dead_code)]
    #[serde(default, deserialize_with = "crate::de::count")]
    n: u32,
}

#[test]
fn one_row_of_a_million_fields_stops_early() {
    let fields: Vec<String> = (0..1_000_000).map(|i| format!(r#""f{i}":"1""#)).collect();
    let body = format!(r#"{{"code":200,"data":[{{{}}}]}}"#, fields.join(","));
    let limit = 1 << 20;
    for result in [
        charged(&body, typed_sink::<Count>(), limit),
        charged(&body, JsonRows, limit),
        charged(&body, FieldRows::new(requested_row::<Count>, true), limit),
    ] {
        let (path, _, message) = decode_error(result);
        assert_eq!(path, "data[0]");
        assert!(message.contains("would take more than 1 MiB"), "{message}");
    }
}

#[test]
fn nested_values_are_bounded_where_they_are_kept_and_free_where_skipped() {
    let big = format!("[{}0]", "[1,2,3],".repeat(100_000));
    let body = format!(r#"{{"code":200,"data":[{{"n":"1","junk":{big}}}]}}"#);
    let limit = 1 << 20;
    // Skipped by the typed rows: only the field itself is charged.
    let typed = charged(&body, typed_sink::<Count>(), limit).unwrap();
    assert!(typed < 1_000, "{typed}");
    // Kept for a caller's type, and for JSON rows: bounded.
    for result in [
        charged(&body, FieldRows::new(requested_row::<Count>, true), limit),
        charged(&body, JsonRows, limit),
    ] {
        assert_eq!(decode_error(result).0, "data[0]");
    }
}

#[test]
fn the_largest_answers_the_vendor_sends_fit_with_room_to_spare() {
    // 60,000 rows per call at most: the widest rows of the fixtures, as JSON and typed.
    use crate::api::reports::{AgentSummary, CallRecord};
    const MAX_ROWS: usize = 60_000;
    let fixtures = [
        include_str!("../../../tests/fixtures/reports/cdr_1.json"),
        include_str!("../../../tests/fixtures/reports/agent_1.json"),
        include_str!("../../../tests/fixtures/skills_all.json"),
    ];
    for fixture in fixtures {
        let sent = json(view(fixture)).unwrap().rows.len();
        let json_row = charged(fixture, JsonRows, usize::MAX).unwrap() / sent;
        assert!(
            json_row * MAX_ROWS < DECODED_LIMIT / 2,
            "{json_row} bytes a JSON row"
        );
        let typed = if fixture.contains("conn_id") {
            charged(fixture, report_sink::<CallRecord>(), usize::MAX)
        } else if fixture.contains("login") {
            charged(fixture, report_sink::<AgentSummary>(), usize::MAX)
        } else {
            charged(fixture, typed_sink::<SkillRealtime>(), usize::MAX)
        };
        let typed_row = typed.unwrap() / sent;
        assert!(
            typed_row * MAX_ROWS < DECODED_LIMIT / 4,
            "{typed_row} bytes a row"
        );
    }
    // Even 100 columns of short values a row fit.
    let row = format!(
        "{{{}}}",
        (0..100)
            .map(|i| format!(r#""column_{i:03}":"12345678""#))
            .collect::<Vec<_>>()
            .join(",")
    );
    let used = charged(&body_of(&[row.clone(), row]), JsonRows, usize::MAX).unwrap();
    assert!(
        used / 2 * MAX_ROWS < DECODED_LIMIT,
        "{} bytes a row",
        used / 2
    );
}

#[test]
fn room_made_for_the_announced_rows_is_charged_and_bounded() {
    let rows: Vec<String> = (0..5)
        .map(|i| format!(r#"{{"n":"{i}","pad":"{}"}}"#, "x".repeat(60)))
        .collect();
    let body = format!(
        r#"{{"code":200,"msg":"5 records were found","data":[{}]}}"#,
        rows.join(",")
    );
    let decoded = json(view(&body)).unwrap();
    assert_eq!((decoded.rows.len(), decoded.rows.capacity()), (5, 5));
    // The room for 5 rows is charged once; the rows push into it without growing it.
    let with_room = charged(&body, JsonRows, usize::MAX).unwrap();
    let without = charged(&body.replace("5 records", "records"), JsonRows, usize::MAX).unwrap();
    assert!(with_room <= without, "{with_room} vs {without}");
    // Never more room than the budget has: what fits, and no error.
    let mut out = Collected {
        rows: Vec::<[u8; 100]>::new(),
        budget: Budget::new(1_050),
        failure: None,
    };
    out.reserve(60_000);
    assert_eq!((out.rows.capacity(), out.budget.left()), (10, 50));
    assert!(!out.budget.exceeded());
}

#[test]
fn json_rows_are_the_values_serde_json_reads() {
    let body = r#"{"code":200,"data":[
        {"a":"1","b":2,"c":-3,"d":1.5,"e":null,"f":true,"g":{"x":[1,{"y":"z"}]},"a":"last"},
        {},
        {"caf\u00e9":"\"q\""}
    ]}"#;
    let want: Value = serde_json::from_str(body).unwrap();
    let decoded = json(view(body)).unwrap();
    assert_eq!(decoded.sent(), 3);
    assert_eq!(Value::Array(decoded.rows), want["data"]);
}

#[test]
fn requested_rows_keep_nested_values_and_name_the_row_that_does_not_fit() {
    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Latency {
        by_agent: Vec<ByAgent>,
        #[serde(default)]
        note: Option<String>,
    }
    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct ByAgent {
        agent_id: String,
        latency: String,
    }
    let body =
        r#"{"code":200,"data":[{"by_agent":[{"agent_id":"1001","latency":"35"}],"by_ip":[]}]}"#;
    let rows = requested::<Latency>(view(body)).unwrap().rows;
    assert_eq!(
        rows,
        [Latency {
            by_agent: vec![ByAgent {
                agent_id: "1001".into(),
                latency: "35".into()
            }],
            note: None
        }]
    );
    // Any type, `Value` included, reads the rows as sent.
    let values = requested::<Value>(view(body)).unwrap().rows;
    assert_eq!(values, json(view(body)).unwrap().rows);

    let body = r#"{"code":200,"data":[{"by_agent":[]},{"by_agent":[{"agent_id":7}],"x":1.5}]}"#;
    let error = requested::<Latency>(view(body)).unwrap_err();
    let source = std::error::Error::source(&error).map(ToString::to_string);
    let (path, raw, message) = decode_error::<()>(Err(error));
    assert_eq!(path, "data[1]");
    assert_eq!(raw, r#"{"by_agent":[{"agent_id":7}],"x":1.5}"#);
    assert!(
        message.starts_with("the row does not fit the requested type")
            && message.ends_with("Latency"),
        "{message}"
    );
    assert!(source.unwrap().contains("expected a string"));
}
