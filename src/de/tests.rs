//! Every helper of `wolkvox::de`, through three deserializers: `serde_json::from_str`,
//! `serde_json::Value`, and the crate's own row value deserializer.

use std::fmt::Debug;
use std::time::Duration;

use jiff::civil::{date, time};

use super::*;
use crate::decode::row::ScalarDeserializer;

/// Runs `$f` on `$json` through the three deserializers and checks they agree; answers the
/// result with serde_json's position suffix (" at line 1 column N") removed.
macro_rules! run {
    ($f:path, $json:expr) => {{
        let json: &str = $json;
        let mut de = serde_json::Deserializer::from_str(json);
        let from_str = $f(&mut de).map_err(|e| strip_position(&e.to_string()));
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        let from_value = $f(value).map_err(|e| e.to_string());
        let scalar: Scalar<'_> = serde_json::from_str(json).unwrap();
        let from_row = $f(ScalarDeserializer(&scalar)).map_err(|e| e.to_string());
        agree(json, from_str, from_value, from_row)
    }};
}

fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

fn agree<T: PartialEq + Debug>(
    json: &str,
    from_str: Result<T, String>,
    from_value: Result<T, String>,
    from_row: Result<T, String>,
) -> Result<T, String> {
    assert_eq!(
        from_str, from_value,
        "serde_json::Value disagrees on {json}"
    );
    assert_eq!(from_str, from_row, "row deserializer disagrees on {json}");
    from_str
}

const BLANKS: [&str; 5] = [r#""""#, r#"" ""#, r#""-""#, r#""--""#, "null"];

fn invalid(what: &str, expected: &str) -> Result<(), String> {
    Err(format!("invalid value: {what}, expected {expected}"))
}

#[test]
fn count_accepts_and_rejects() {
    for (json, want) in [
        (r#""17""#, 17),
        (r#"" 17 ""#, 17),
        ("17", 17),
        ("17.0", 17),
        (r#""0""#, 0),
        (r#""4294967295""#, u32::MAX),
    ] {
        assert_eq!(run!(count, json), Ok(want), "{json}");
    }
    for json in BLANKS {
        assert_eq!(run!(count, json), Ok(0), "{json}");
    }
    let expected = "a non-negative whole number (count)";
    for (json, what) in [
        (r#""n/a""#, r#"string "n/a""#),
        (r#""2.5""#, r#"string "2.5""#),
        (r#""4294967296""#, r#"string "4294967296""#),
        ("-3", "integer `-3`"),
        ("2.5", "floating point `2.5`"),
        ("4294967296", "integer `4294967296`"),
        ("true", "boolean `true`"),
    ] {
        assert_eq!(
            run!(count, json).map(drop),
            invalid(what, expected),
            "{json}"
        );
    }
}

#[test]
fn percentage_accepts_and_rejects() {
    for (json, want) in [
        (r#""34.64 %""#, 34.64),
        (r#""34,64 %""#, 34.64),
        (r#""0.00%""#, 0.0),
        (r#""0 %""#, 0.0),
        (r#""100 %""#, 100.0),
        (r#""150 %""#, 150.0),
        (r#""12.5""#, 12.5),
        ("12.5", 12.5),
        ("40", 40.0),
    ] {
        assert_eq!(run!(percentage, json), Ok(want), "{json}");
    }
    for json in BLANKS {
        assert_eq!(run!(percentage, json), Ok(0.0), "{json}");
    }
    let expected = r#"a finite non-negative percentage such as "34.64 %""#;
    for (json, what) in [
        (r#""abc""#, r#"string "abc""#),
        (r#""-5 %""#, r#"string "-5 %""#),
        (r#""1e2 %""#, r#"string "1e2 %""#),
        (r#""NaN""#, r#"string "NaN""#),
        ("-1", "integer `-1`"),
        ("-1.5", "floating point `-1.5`"),
        ("false", "boolean `false`"),
    ] {
        assert_eq!(
            run!(percentage, json).map(drop),
            invalid(what, expected),
            "{json}"
        );
    }
}

#[test]
fn duration_accepts_and_rejects() {
    let secs = |n| Ok(Duration::from_secs(n));
    for (json, want) in [
        (r#""01:02:03""#, 3723),
        (r#""4:38:08""#, 4 * 3600 + 38 * 60 + 8),
        (r#""27:00:00""#, 27 * 3600),
        (r#""12:34""#, 754),
        (r#""95""#, 95),
        ("95", 95),
        ("95.0", 95),
    ] {
        assert_eq!(run!(duration, json), secs(want), "{json}");
    }
    for json in BLANKS {
        assert_eq!(run!(duration, json), secs(0), "{json}");
    }
    let expected = "a duration as HH:MM:SS, MM:SS or seconds";
    for (json, what) in [
        (r#""1:2:3""#, r#"string "1:2:3""#),
        (r#""00:61:00""#, r#"string "00:61:00""#),
        (r#""1.5""#, r#"string "1.5""#),
        (r#""x""#, r#"string "x""#),
        ("-5", "integer `-5`"),
        ("1.5", "floating point `1.5`"),
    ] {
        assert_eq!(
            run!(duration, json).map(drop),
            invalid(what, expected),
            "{json}"
        );
    }
}

#[test]
fn datetime_accepts_and_rejects() {
    let want = Ok(date(2026, 8, 12).at(8, 3, 15, 0));
    for json in [
        r#""2026-08-12 08:03:15""#,
        r#""2026-08-12T08:03:15""#,
        r#""20260812080315""#,
        "20260812080315",
    ] {
        assert_eq!(run!(datetime, json), want, "{json}");
    }
    let expected = "a date and time as YYYY-MM-DD HH:MM:SS";
    for (json, what) in [
        (r#""""#, r#"string """#),
        (r#""-""#, r#"string "-""#),
        (r#""--""#, r#"string "--""#),
        ("null", "null"),
        (
            r#""2026-02-30 00:00:00""#,
            r#"string "2026-02-30 00:00:00""#,
        ),
        (r#""2026-08-12""#, r#"string "2026-08-12""#),
        ("2026", "integer `2026`"),
    ] {
        assert_eq!(
            run!(datetime, json).map(drop),
            invalid(what, expected),
            "{json}"
        );
    }
}

#[test]
fn date_accepts_and_rejects() {
    for json in [r#""2026-08-11""#, r#""20260811""#] {
        assert_eq!(run!(super::date, json), Ok(date(2026, 8, 11)), "{json}");
    }
    let expected = "a date as YYYY-MM-DD";
    for (json, what) in [
        (r#""""#, r#"string """#),
        (r#""--""#, r#"string "--""#),
        ("null", "null"),
        (r#""2026-02-29""#, r#"string "2026-02-29""#),
        (r#""11/08/2026""#, r#"string "11/08/2026""#),
        ("20260811", "integer `20260811`"),
    ] {
        assert_eq!(
            run!(super::date, json).map(drop),
            invalid(what, expected),
            "{json}"
        );
    }
}

#[test]
fn hour_accepts_and_rejects() {
    for (json, want) in [
        (r#""08""#, time(8, 0, 0, 0)),
        (r#""9""#, time(9, 0, 0, 0)),
        (r#""13:00""#, time(13, 0, 0, 0)),
        (r#""13:30""#, time(13, 30, 0, 0)),
        (r#""13:30:00""#, time(13, 30, 0, 0)),
        ("9", time(9, 0, 0, 0)),
        ("0", time(0, 0, 0, 0)),
    ] {
        assert_eq!(run!(hour, json), Ok(want), "{json}");
    }
    let expected = "an hour of the day as HH, HH:MM or HH:MM:SS (00 to 23)";
    for (json, what) in [
        (r#""""#, r#"string """#),
        (r#""-""#, r#"string "-""#),
        ("null", "null"),
        (r#""24""#, r#"string "24""#),
        (r#""13:5""#, r#"string "13:5""#),
        ("24", "integer `24`"),
        ("9.5", "floating point `9.5`"),
    ] {
        assert_eq!(
            run!(hour, json).map(drop),
            invalid(what, expected),
            "{json}"
        );
    }
}

#[test]
fn text_accepts_and_rejects() {
    for (json, want) in [
        (r#"" SOPORTE ""#, "SOPORTE"),
        (r#""cliente sin internet""#, "cliente sin internet"),
        ("3005550101", "3005550101"),
        ("-3", "-3"),
        ("1.5", "1.5"),
        ("true", "true"),
        (r#""---""#, "---"),
    ] {
        assert_eq!(run!(text, json), Ok(want.to_owned()), "{json}");
    }
    for json in BLANKS {
        assert_eq!(run!(text, json), Ok(String::new()), "{json}");
    }
}

#[test]
fn nested_values_are_refused() {
    // serde_json hands the helper the whole array; the row deserializer has only a marker.
    for json in ["[1]", r#"{"a":1}"#] {
        let mut de = serde_json::Deserializer::from_str(json);
        assert_eq!(
            count(&mut de).map_err(|e| strip_position(&e.to_string())),
            Err(
                "invalid value: an object or array, expected a non-negative whole number (count)"
                    .to_owned()
            )
        );
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(
            text(value).map_err(|e| e.to_string()),
            Err("invalid value: an object or array, expected text".to_owned())
        );
    }
    assert_eq!(
        count(ScalarDeserializer(&Scalar::Nested)).map_err(|e| e.to_string()),
        Err("invalid type: an object or array, expected a string or a number".to_owned())
    );
}

#[test]
fn options_make_blanks_none() {
    for json in BLANKS {
        assert_eq!(run!(option::count, json), Ok(None), "{json}");
        assert_eq!(run!(option::percentage, json), Ok(None), "{json}");
        assert_eq!(run!(option::duration, json), Ok(None), "{json}");
        assert_eq!(run!(option::datetime, json), Ok(None), "{json}");
        assert_eq!(run!(option::date, json), Ok(None), "{json}");
        assert_eq!(run!(option::hour, json), Ok(None), "{json}");
    }
    assert_eq!(run!(option::count, r#""12523""#), Ok(Some(12523)));
    assert_eq!(run!(option::count, "0"), Ok(Some(0)));
    assert_eq!(run!(option::percentage, r#""87,20 %""#), Ok(Some(87.2)));
    assert_eq!(
        run!(option::duration, r#""4:12""#),
        Ok(Some(Duration::from_secs(252)))
    );
    assert_eq!(
        run!(option::datetime, r#""2026-08-12 10:02:42""#),
        Ok(Some(date(2026, 8, 12).at(10, 2, 42, 0)))
    );
    assert_eq!(
        run!(option::date, r#""2026-08-12""#),
        Ok(Some(date(2026, 8, 12)))
    );
    assert_eq!(run!(option::hour, "9"), Ok(Some(time(9, 0, 0, 0))));
    assert_eq!(
        run!(option::count, r#""x""#),
        Err(
            r#"invalid value: string "x", expected a non-negative whole number (count)"#.to_owned()
        )
    );
    assert_eq!(
        run!(option::datetime, r#""2026-08-12""#),
        Err(
            r#"invalid value: string "2026-08-12", expected a date and time as YYYY-MM-DD HH:MM:SS"#
                .to_owned()
        )
    );
    assert_eq!(
        run!(option::hour, r#""25""#),
        Err(
            r#"invalid value: string "25", expected an hour of the day as HH, HH:MM or HH:MM:SS (00 to 23)"#
                .to_owned()
        )
    );
}

#[test]
fn durations_serialize_as_whole_seconds() {
    let mut out = Vec::new();
    serialize_duration(
        &Duration::from_millis(252_900),
        &mut serde_json::Serializer::new(&mut out),
    )
    .unwrap();
    assert_eq!(out, b"252");
    for (value, want) in [(Some(Duration::from_secs(39)), "39"), (None, "null")] {
        let mut out = Vec::new();
        option::serialize_duration(&value, &mut serde_json::Serializer::new(&mut out)).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), want);
    }
}

#[test]
fn ids_and_amounts_for_the_report_rows() {
    assert_eq!(run!(id, r#""101""#), Ok(101));
    assert_eq!(
        run!(id, r#""""#).map(drop),
        invalid(r#"string """#, "a numeric id")
    );
    assert_eq!(run!(amount, r#""120,50""#), Ok(120.5));
    assert_eq!(run!(amount, r#""-""#), Ok(0.0));
    assert_eq!(
        run!(amount, r#""$5""#).map(drop),
        invalid(r#"string "$5""#, r#"an amount such as "120.50""#)
    );
}
