use std::collections::BTreeMap;
use std::error::Error as _;
use std::time::Duration;

use serde::Deserialize;

use super::*;

fn b<'a>(name: &'a str, value: Scalar<'a>) -> (Cow<'a, str>, Scalar<'a>) {
    (Cow::Borrowed(name), value)
}

fn s(v: &str) -> Scalar<'_> {
    Scalar::Str(Cow::Borrowed(v))
}

fn owned(v: &str) -> Scalar<'static> {
    Scalar::Str(Cow::Owned(v.to_owned()))
}

/// `(path, raw, message, source text)` of a decode error.
fn parts(error: Error) -> (String, String, String, Option<String>) {
    let display = error.to_string();
    let source = error.source().map(ToString::to_string);
    match error {
        Error::Decode {
            path, raw, message, ..
        } => {
            if let Some(source) = &source {
                assert!(
                    !display.contains(source.as_str()),
                    "{display} repeats {source}"
                );
            }
            (path, raw, message, source)
        }
        other => panic!("not a decode error: {other:?}"),
    }
}

#[derive(Debug, PartialEq, Deserialize)]
struct Plain<'a> {
    name: &'a str,
    calls: u32,
    ratio: f64,
    active: bool,
    note: Option<String>,
    #[serde(default)]
    absent: Option<u32>,
}

#[test]
fn borrows_strings_and_passes_numbers_bools_nulls() {
    let fields = vec![
        b("name", s("ANDRES")),
        b("calls", Scalar::Unsigned(41)),
        b("ratio", Scalar::Float(0.5)),
        b("active", Scalar::Bool(true)),
        b("note", Scalar::Null),
        b("ignored", Scalar::Nested),
        b("also_ignored", s("x")),
    ];
    let row: Plain<'_> = row_from_fields(0, &fields).unwrap();
    assert_eq!(
        row,
        Plain {
            name: "ANDRES",
            calls: 41,
            ratio: 0.5,
            active: true,
            note: None,
            absent: None,
        }
    );
}

#[test]
fn owned_strings_and_keys_are_visited_as_str() {
    let fields = vec![
        (Cow::Owned("name".to_owned()), owned("caf\u{e9}")),
        (Cow::Owned("calls".to_owned()), Scalar::Unsigned(1)),
        b("ratio", Scalar::Unsigned(2)),
        b("active", Scalar::Bool(false)),
        b("note", owned("n")),
    ];
    #[derive(Debug, PartialEq, Deserialize)]
    struct Owned {
        name: String,
        calls: u32,
        ratio: f64,
        note: Option<String>,
    }
    let row: Owned = row_from_fields(0, &fields).unwrap();
    assert_eq!(
        row,
        Owned {
            name: "caf\u{e9}".to_owned(),
            calls: 1,
            ratio: 2.0,
            note: Some("n".to_owned()),
        }
    );
    // A `&str` field cannot borrow an owned (unescaped) string.
    let (path, raw, message, source) = parts(row_from_fields::<Plain<'_>>(4, &fields).unwrap_err());
    assert_eq!(path, "data[4].name");
    assert_eq!(raw, "caf\u{e9}");
    assert_eq!(message, "expected a borrowed string");
    assert_eq!(source, None);
}

#[derive(Debug, PartialEq, Deserialize)]
struct Lenient {
    #[serde(deserialize_with = "crate::de::count")]
    calls: u32,
    #[serde(deserialize_with = "crate::de::percentage")]
    occupancy: f64,
    #[serde(deserialize_with = "crate::de::duration")]
    aht: Duration,
    #[serde(default, deserialize_with = "crate::de::option::datetime")]
    logout: Option<jiff::civil::DateTime>,
}

#[test]
fn lenient_helpers_work_on_rows() {
    let fields = vec![
        b("calls", s("41")),
        b("occupancy", s("87,20 %")),
        b("aht", s("4:38:08")),
        b("logout", s("--")),
    ];
    let row: Lenient = row_from_fields(0, &fields).unwrap();
    assert_eq!(
        row,
        Lenient {
            calls: 41,
            occupancy: 87.2,
            aht: Duration::from_secs(4 * 3600 + 38 * 60 + 8),
            logout: None,
        }
    );
}

#[test]
fn a_bad_value_names_the_field_and_its_raw_value() {
    let fields = vec![
        b("calls", s("41")),
        b("occupancy", s("abc %")),
        b("aht", s("0")),
    ];
    let error = row_from_fields::<Lenient>(2, &fields).unwrap_err();
    assert_eq!(
        error.to_string(),
        "could not decode the response at `data[2].occupancy`: expected a finite non-negative \
         percentage such as \"34.64 %\" (raw: \"abc %\")"
    );
    let (path, raw, message, source) = parts(error);
    assert_eq!(path, "data[2].occupancy");
    assert_eq!(raw, "abc %");
    assert_eq!(
        message,
        "expected a finite non-negative percentage such as \"34.64 %\""
    );
    assert_eq!(source, None);

    let fields = vec![b("calls", Scalar::Signed(-4))];
    let (path, raw, message, _) = parts(row_from_fields::<Lenient>(0, &fields).unwrap_err());
    assert_eq!(
        (path.as_str(), raw.as_str(), message.as_str()),
        (
            "data[0].calls",
            "-4",
            "expected a non-negative whole number (count)"
        )
    );
}

#[test]
fn a_strict_type_names_what_it_expected() {
    // Plain `u32` is as strict as with serde_json: use `de::count` for strings.
    let fields = vec![b("name", s("A")), b("calls", s("41"))];
    let (path, raw, message, source) = parts(row_from_fields::<Plain<'_>>(1, &fields).unwrap_err());
    assert_eq!(path, "data[1].calls");
    assert_eq!(raw, "41");
    assert_eq!(message, "expected u32");
    assert_eq!(source, None);
}

#[test]
fn a_missing_field_names_the_row() {
    let fields = vec![b("calls", s("41")), b("aht", Scalar::Unsigned(7))];
    let (path, raw, message, source) = parts(row_from_fields::<Lenient>(3, &fields).unwrap_err());
    assert_eq!(path, "data[3]");
    assert_eq!(raw, r#"{"calls": "41", "aht": 7}"#);
    assert_eq!(message, "missing field `occupancy`");
    assert_eq!(source, None);
}

#[test]
fn a_long_row_is_cut_in_the_error() {
    let long = "x".repeat(300);
    let fields = vec![b("a", s(&long)), b("b", s("y"))];
    let (_, raw, _, _) = parts(row_from_fields::<Lenient>(0, &fields).unwrap_err());
    assert_eq!(raw.chars().count(), crate::error::SNIPPET_CHARS + 3);
    assert!(raw.starts_with(r#"{"a": "xxx"#), "{raw}");
}

#[test]
fn a_custom_error_goes_to_source_only() {
    #[derive(Debug, Deserialize)]
    struct Jiff {
        #[allow(dead_code)]
        date: jiff::civil::DateTime,
    }
    let fields = vec![b("date", s("2026/08/12"))];
    let error = row_from_fields::<Jiff>(5, &fields).unwrap_err();
    let source = error.source().map(ToString::to_string).unwrap();
    // jiff's own text, kept as the source (its wording may change between jiff releases).
    assert!(source.starts_with("failed to parse"), "{source}");
    let (path, raw, message, _) = parts(error);
    assert_eq!(path, "data[5].date");
    assert_eq!(raw, "2026/08/12");
    assert_eq!(message, VALUE_REFUSED);
    // jiff reads its own format from a borrowed string.
    let fields = vec![b("date", s("2026-08-12T08:03:15"))];
    let row: Jiff = row_from_fields(0, &fields).unwrap();
    assert_eq!(row.date, jiff::civil::date(2026, 8, 12).at(8, 3, 15, 0));
}

#[test]
fn a_custom_error_outside_values_names_the_row() {
    #[derive(Debug)]
    struct Picky;
    impl<'de> Deserialize<'de> for Picky {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let map = BTreeMap::<String, IgnoredValue>::deserialize(d)?;
            Err(de::Error::custom(format!(
                "{} fields are too few",
                map.len()
            )))
        }
    }
    #[derive(Deserialize)]
    struct IgnoredValue(#[allow(dead_code)] serde::de::IgnoredAny);
    let fields = vec![b("a", s("1"))];
    let error = row_from_fields::<Picky>(7, &fields).unwrap_err();
    assert_eq!(
        error.source().map(ToString::to_string).as_deref(),
        Some("1 fields are too few")
    );
    let (path, raw, message, _) = parts(error);
    assert_eq!(path, "data[7]");
    assert_eq!(raw, r#"{"a": "1"}"#);
    assert_eq!(message, ROW_REFUSED);
}

#[test]
fn nested_values_are_an_error_unless_ignored() {
    #[derive(Debug, Deserialize)]
    struct Text {
        #[allow(dead_code)]
        name: String,
    }
    let fields = vec![b("name", Scalar::Nested)];
    let (path, raw, message, _) = parts(row_from_fields::<Text>(0, &fields).unwrap_err());
    assert_eq!(path, "data[0].name");
    assert_eq!(raw, "<object or array>");
    assert_eq!(message, "expected a string");
    // Through a lenient helper too.
    let (path, _, message, _) =
        parts(row_from_fields::<Lenient>(0, &[b("calls", Scalar::Nested)]).unwrap_err());
    assert_eq!(path, "data[0].calls");
    assert_eq!(message, "expected a string or a number");
}

#[test]
fn enums_from_strings() {
    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "UPPERCASE")]
    enum Kind {
        Inbound,
        Outbound,
    }
    #[derive(Debug, PartialEq, Deserialize)]
    struct Call {
        type_interaction: Kind,
    }
    let row: Call = row_from_fields(0, &[b("type_interaction", s("OUTBOUND"))]).unwrap();
    assert_eq!(row.type_interaction, Kind::Outbound);
    let row: Call =
        row_from_fields(0, &[(Cow::Borrowed("type_interaction"), owned("INBOUND"))]).unwrap();
    assert_eq!(row.type_interaction, Kind::Inbound);
    let (path, raw, message, _) =
        parts(row_from_fields::<Call>(1, &[b("type_interaction", s("IVR"))]).unwrap_err());
    assert_eq!(path, "data[1].type_interaction");
    assert_eq!(raw, "IVR");
    assert_eq!(message, "expected one of `INBOUND`, `OUTBOUND`");
}

#[test]
fn unknown_and_duplicate_fields() {
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Strict {
        #[allow(dead_code)]
        #[serde(alias = "destiny")]
        destination: String,
    }
    let (path, raw, message, _) = parts(
        row_from_fields::<Strict>(0, &[b("destination", s("1")), b("extra", s("2"))]).unwrap_err(),
    );
    assert_eq!(path, "data[0].extra");
    assert_eq!(raw, "2");
    assert_eq!(
        message,
        "unknown field `extra`, expected one of `destination`, `destiny`"
    );
    let (path, _, message, _) = parts(
        row_from_fields::<Strict>(2, &[b("destination", s("1")), b("destiny", s("2"))])
            .unwrap_err(),
    );
    assert_eq!(path, "data[2]");
    assert_eq!(
        message,
        "duplicate field `destination` (sent twice, or under two of its names)"
    );
}

#[test]
fn generic_containers_and_flatten() {
    let fields = vec![
        b("a", s("1")),
        b("b", Scalar::Unsigned(2)),
        b("c", Scalar::Null),
    ];
    let map: BTreeMap<&str, serde_json::Value> = row_from_fields(0, &fields).unwrap();
    assert_eq!(
        serde_json::to_string(&map).unwrap(),
        r#"{"a":"1","b":2,"c":null}"#
    );
    #[derive(Debug, PartialEq, Deserialize)]
    struct Flat {
        a: String,
        #[serde(flatten)]
        rest: BTreeMap<String, serde_json::Value>,
    }
    let row: Flat = row_from_fields(0, &fields).unwrap();
    assert_eq!(row.a, "1");
    assert_eq!(
        row.rest.keys().map(String::as_str).collect::<Vec<_>>(),
        ["b", "c"]
    );
    let unit: Option<BTreeMap<String, String>> = row_from_fields(0, &[b("x", s("y"))]).unwrap();
    assert_eq!(unit.unwrap()["x"], "y");
    let none: Result<u32, _> = row_from_fields(9, &fields);
    let (path, _, message, _) = parts(none.unwrap_err());
    assert_eq!(
        (path.as_str(), message.as_str()),
        ("data[9]", "expected u32")
    );
}

#[test]
fn total_rows() {
    for (name, value) in [
        ("skill_name", "TOTAL"),
        ("agent_id", "total"),
        ("name", " Total "),
        ("id", "TOTAL"),
        ("campaign_name", "TOTAL"),
    ] {
        assert!(
            is_total_row(&[b("x", s("1")), b(name, s(value))]),
            "{name}={value:?}"
        );
    }
    for fields in [
        vec![b("skill_name", s("TOTALES"))],
        vec![b("skill_name", s("SOPORTE"))],
        vec![b("comment", s("TOTAL"))],
        vec![b("identity", s("TOTAL"))],
        vec![b("agent_idx", s("TOTAL"))],
        vec![b("skill_id", Scalar::Null)],
        vec![b("skill_id", Scalar::Unsigned(0))],
        vec![],
    ] {
        assert!(!is_total_row(&fields), "{fields:?}");
    }
    assert!(is_total_row(&[(
        Cow::Owned("skill_name".to_owned()),
        owned("TOTAL")
    )]));
}
