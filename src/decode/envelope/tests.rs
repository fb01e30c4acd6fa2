use super::*;

/// Collects rows as owned `(name, raw)` pairs.
#[derive(Default)]
struct Collect(Vec<Vec<(String, String)>>);

impl<'de> RowSink<'de> for Collect {
    fn row<A: MapAccess<'de>>(&mut self, index: usize, map: A) -> Result<(), A::Error> {
        assert_eq!(index, self.0.len());
        let fields = read_fields(map)?;
        self.0.push(
            fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.raw().into_owned()))
                .collect(),
        );
        Ok(())
    }
}

fn rows(body: &str) -> (Envelope, Vec<Vec<(String, String)>>) {
    let mut sink = Collect::default();
    let env = parse(body.as_bytes(), &mut sink).unwrap();
    (env, sink.0)
}

#[test]
fn code_as_number_string_blank_or_missing() {
    assert_eq!(rows(r#"{"code":200}"#).0.code, Code::Number(200));
    assert_eq!(rows(r#"{"code":"200"}"#).0.code, Code::Number(200));
    assert_eq!(rows(r#"{"code":" 403 "}"#).0.code.status(), Some(403));
    assert_eq!(rows(r#"{"code":""}"#).0.code, Code::Absent);
    assert_eq!(rows(r#"{"code":null}"#).0.code, Code::Absent);
    assert_eq!(rows(r#"{}"#).0.code, Code::Absent);
    assert_eq!(rows(r#"{"code":"OK"}"#).0.code, Code::Text("OK".into()));
    assert_eq!(rows(r#"{"code":200.0}"#).0.code.status(), Some(200));
    assert_eq!(rows(r#"{"code":99999}"#).0.code.status(), None);
}

#[test]
fn data_shapes() {
    let (env, r) = rows(r#"{"msg":"  2 records ","data":[{"a":"1"},{"a":2}]}"#);
    assert_eq!(env.msg, "2 records");
    assert_eq!(env.rows, 2);
    assert_eq!(r[1], vec![("a".to_string(), "2".to_string())]);

    let (env, r) = rows(r#"{"data":{"a":"x"}}"#);
    assert_eq!((env.rows, r.len()), (1, 1));
    assert_eq!(rows(r#"{"data":null}"#).0.rows, 0);
    assert_eq!(rows(r#"{"data":" "}"#).0.rows, 0);
    assert_eq!(rows(r#"{"code":200}"#).0.rows, 0);
    let (env, r) = rows(r#"[{"a":"1"},{"b":"2"}]"#);
    assert_eq!((env.rows, env.code), (2, Code::Absent));
    assert_eq!(r[1][0].0, "b");
}

#[test]
fn wrong_shapes_are_errors() {
    let mut sink = Collect::default();
    for body in [
        r#"{"data":"oops"}"#,
        r#"{"data":5}"#,
        r#"{"data":[[{"a":"1"}]]}"#,
        r#"{"data":["x"]}"#,
        r#""text""#,
        r#"{"data":[{"a":"1"}]"#,
        r#"{"data":[]} trailing"#,
        "",
    ] {
        assert!(parse(body.as_bytes(), &mut sink).is_err(), "{body}");
    }
}

#[test]
fn errors_say_where_parsing_stopped() {
    let path = |body: &str| {
        parse(body.as_bytes(), &mut Collect::default())
            .unwrap_err()
            .path
    };
    assert_eq!(path(r#"{"data":"oops"}"#), "data");
    assert_eq!(path(r#"{"data":[{"a":"1"},["x"]]}"#), "data[1]");
    assert_eq!(path(r#"{"data":{"a":"1"},"msg":[}"#), "body");
    assert_eq!(path(r#"{"code":200,"data":[{"a":"1"},{"b""#), "data[1]");
    assert_eq!(path("<html>"), "body");
    assert_eq!(path(""), "body");
}

#[test]
fn head_ignores_whatever_data_holds() {
    let head = parse_head(br#"{"code":403,"error":"FORBIDDEN","msg":" TOKEN LIMIT EXCEEDED ","data":[{"x":{"y":[1]}}]}"#).unwrap();
    assert_eq!(head.code.status(), Some(403));
    assert_eq!(head.msg, "TOKEN LIMIT EXCEEDED");
    assert_eq!(head.error.as_deref(), Some("FORBIDDEN"));
    assert!(parse_head(b"<html></html>").is_none());
    assert_eq!(
        parse_head(br#"{"code":"500","data":"x"}"#)
            .unwrap()
            .code
            .status(),
        Some(500)
    );
}

/// Counts rows and records the hint `parse` gives.
#[derive(Default)]
struct Hinted {
    expected: Option<usize>,
    rows: usize,
}

impl<'de> RowSink<'de> for Hinted {
    fn row<A: MapAccess<'de>>(&mut self, _index: usize, map: A) -> Result<(), A::Error> {
        read_fields(map)?;
        self.rows += 1;
        Ok(())
    }
    fn expect_rows(&mut self, rows: usize) {
        assert_eq!(self.rows, 0, "the hint comes before the rows");
        self.expected = Some(rows);
    }
}

#[test]
fn msg_row_counts_are_a_capped_hint() {
    let hint = |body: &str| {
        let mut sink = Hinted::default();
        parse(body.as_bytes(), &mut sink).unwrap();
        assert_eq!(sink.rows, 3);
        sink.expected
    };
    let row = r#"{"conn_id":"20260812080315.4471","date":"2026-08-12 08:03:15","time_seg":"287"}"#;
    let body = |msg: &str| format!(r#"{{"code":200,"msg":"{msg}","data":[{row},{row},{row}]}}"#);
    assert_eq!(hint(&body("3 records were found")), Some(3));
    assert_eq!(hint(&body(" 2 RECORDS were found")), Some(2), "only a hint");
    // More rows than the body could hold at MIN_ROW_BYTES each: capped.
    let huge = body("1000000 records were found");
    assert_eq!(hint(&huge), Some(huge.len() / MIN_ROW_BYTES));
    assert_eq!(huge.len() / MIN_ROW_BYTES, 4);
    for no_count in [
        "records were found",
        "3 simultaneous requests",
        "3",
        "",
        "-3 records",
    ] {
        assert_eq!(hint(&body(no_count)), None, "{no_count:?}");
    }
    let msg_last = format!(r#"{{"data":[{row},{row},{row}],"msg":"3 records were found"}}"#);
    assert_eq!(hint(&msg_last), None);
}

#[test]
fn invalid_utf8_is_an_error_at_its_row() {
    let mut body = br#"{"code":200,"data":[{"a":"1"},{"b":"x"#.to_vec();
    body.push(0xFF);
    body.extend_from_slice(br#""}]}"#);
    let error = parse(&body, &mut Collect::default()).unwrap_err();
    assert_eq!(error.path, "data[1]");
    assert!(
        error
            .source
            .to_string()
            .starts_with("invalid unicode code point"),
        "{}",
        error.source
    );
    // Escapes decode the same on both paths.
    let mut sink = Collect::default();
    parse(br#"{"data":[{"n":"caf\u00e9 \"x\""}]}"#, &mut sink).unwrap();
    assert_eq!(sink.0[0][0].1, "café \"x\"");
}

#[test]
fn escaped_strings_and_nested_values() {
    let (_, r) = rows(
        r#"{"data":[{"n":"caf\u00e9","o":{"x":1},"l":[1,2],"f":1.5,"s":-3,"b":true,"z":null}]}"#,
    );
    let raw: Vec<&str> = r[0].iter().map(|(_, v)| v.as_str()).collect();
    assert_eq!(
        raw,
        [
            "café",
            "<object or array>",
            "<object or array>",
            "1.5",
            "-3",
            "true",
            "null"
        ]
    );
}

#[test]
fn a_byte_order_mark_before_the_body_is_skipped() {
    let (env, r) = rows("\u{feff}{\"code\":200,\"msg\":\"1 records\",\"data\":[{\"a\":\"1\"}]}");
    assert_eq!((env.code.status(), env.rows, r.len()), (Some(200), 1, 1));
    let (env, _) = rows("\u{feff}[{\"a\":\"1\"},{\"a\":\"2\"}]");
    assert_eq!(env.rows, 2);
    let head = parse_head("\u{feff}{\"code\":403,\"msg\":\"TOKEN LIMIT EXCEEDED\"}".as_bytes());
    assert_eq!(head.map(|h| h.code.status()), Some(Some(403)));
    // Only at the very start, and only once.
    for body in ["\u{feff}\u{feff}{\"data\":[]}", " \u{feff}{\"data\":[]}"] {
        assert!(
            parse(body.as_bytes(), &mut Collect::default()).is_err(),
            "{body:?}"
        );
    }
}

#[test]
fn data_twice_is_an_error_not_the_two_joined() {
    let mut sink = Collect::default();
    let error = parse(
        br#"{"code":200,"data":[{"a":"1"}],"msg":"x","data":[{"a":"2"}]}"#,
        &mut sink,
    )
    .unwrap_err();
    assert_eq!(error.path, "data");
    assert!(
        error.source.to_string().contains("duplicate field `data`"),
        "{}",
        error.source
    );
    // An error body is still read for its head, whatever `data` holds.
    let head = parse_head(br#"{"code":500,"data":1,"data":2,"msg":"boom"}"#).unwrap();
    assert_eq!((head.code.status(), head.msg.as_str()), (Some(500), "boom"));
}

#[test]
fn codes_that_cannot_be_read_are_told_apart_from_no_code() {
    let problem = |body: &str| rows(body).0.code.unreadable().map(|raw| raw.into_owned());
    for body in [
        r#"{"code":200}"#,
        r#"{"code":"200"}"#,
        r#"{"code":" 404 "}"#,
    ] {
        assert_eq!(problem(body), None, "{body}");
    }
    for no_code in [
        r#"{"code":""}"#,
        r#"{"code":" "}"#,
        r#"{"code":null}"#,
        "{}",
    ] {
        assert_eq!(problem(no_code), None, "{no_code}");
        assert_eq!(rows(no_code).0.code, Code::Absent);
    }
    for (body, raw) in [
        (r#"{"code":{"status":200}}"#, "<object or array>"),
        (r#"{"code":[200]}"#, "<object or array>"),
        (r#"{"code":"200 OK"}"#, "200 OK"),
        (r#"{"code":"OK"}"#, "OK"),
        (r#"{"code":65536}"#, "65536"),
        (r#"{"code":99999}"#, "99999"),
        (r#"{"code":18446744073709551615}"#, "18446744073709551615"),
        (r#"{"code":-200}"#, "-200"),
        (r#"{"code":"-200"}"#, "-200"),
        (r#"{"code":200.5}"#, "200.5"),
        (r#"{"code":true}"#, "true"),
    ] {
        assert_eq!(problem(body).as_deref(), Some(raw), "{body}");
    }
    // A whole number in u16 is read, even when it is no HTTP status.
    assert_eq!(problem(r#"{"code":0}"#), None);
    assert_eq!(problem(r#"{"code":200.0}"#), None);
}
