//! Shared test helpers: bodies split into rows, decoded both ways (the crate's row
//! deserializer and serde_json), which must agree.

use std::borrow::Cow;
use std::fmt::Debug;

use serde::de::{DeserializeOwned, MapAccess};

use crate::decode::envelope::{self, RowSink, Scalar, read_fields};
use crate::decode::row::row_from_fields;
use crate::error::Error;

pub(super) const CDR_1: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/reports/cdr_1.json"
));
pub(super) const SKILL_3: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/reports/skill_3.json"
));
pub(super) const SKILL_4: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/reports/skill_4.json"
));
pub(super) const AGENT_1: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/reports/agent_1.json"
));

type Row<'de> = Vec<(Cow<'de, str>, Scalar<'de>)>;

/// The rows of `body`, as the wire parser hands them to a sink.
pub(super) fn rows_of(body: &str) -> Vec<Row<'_>> {
    struct Collect<'de>(Vec<Row<'de>>);
    impl<'de> RowSink<'de> for Collect<'de> {
        fn row<A: MapAccess<'de>>(&mut self, index: usize, map: A) -> Result<(), A::Error> {
            assert_eq!(index, self.0.len());
            self.0.push(read_fields(map)?);
            Ok(())
        }
    }
    let mut sink = Collect(Vec::new());
    envelope::parse(body.as_bytes(), &mut sink).unwrap();
    sink.0
}

/// Every row of `body` through `row_from_fields`.
pub(super) fn via_rows<T: DeserializeOwned>(body: &str) -> Result<Vec<T>, Error> {
    rows_of(body)
        .iter()
        .enumerate()
        .map(|(index, fields)| row_from_fields(index, fields))
        .collect()
}

/// `data` of `body` through serde_json, from the text and from a `Value`.
pub(super) fn via_json<T: DeserializeOwned + PartialEq + Debug>(
    body: &str,
) -> Result<Vec<T>, String> {
    #[derive(serde::Deserialize)]
    struct Envelope<T> {
        data: Vec<T>,
    }
    let from_str = serde_json::from_str::<Envelope<T>>(body).map(|e| e.data);
    let value: serde_json::Value = serde_json::from_str(body).unwrap();
    let from_value = serde_json::from_value::<Vec<T>>(value["data"].clone());
    match (from_str, from_value) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a, b, "serde_json from text and from Value disagree");
            Ok(a)
        }
        (Err(a), Err(_)) => Err(a.to_string()),
        (a, b) => panic!("serde_json from text and from Value disagree: {a:?} / {b:?}"),
    }
}

/// Both ways at once; they must agree. Panics on a failure.
pub(super) fn decode<T: DeserializeOwned + PartialEq + Debug>(body: &str) -> Vec<T> {
    let rows = via_rows::<T>(body).unwrap();
    assert_eq!(via_json::<T>(body).unwrap(), rows);
    rows
}

/// One row given as a JSON object, both ways.
pub(super) fn one<T: DeserializeOwned + PartialEq + Debug>(object: &str) -> T {
    let mut rows = decode::<T>(&format!(r#"{{"code": 200, "data": [{object}]}}"#));
    assert_eq!(rows.len(), 1);
    rows.remove(0)
}

/// The decode error of one row given as a JSON object: `(path, raw, message)`, and the
/// serde_json message for the same row.
pub(super) fn one_error<T: DeserializeOwned + PartialEq + Debug>(
    object: &str,
) -> ((String, String, String), String) {
    let body = format!(r#"{{"code": 200, "data": [{object}]}}"#);
    let error = match via_rows::<T>(&body) {
        Err(Error::Decode {
            path,
            raw,
            message,
            source,
            ..
        }) => {
            assert!(source.is_none(), "unexpected source {source:?}");
            (path, raw, message)
        }
        other => panic!("expected a decode error, got {other:?}"),
    };
    let json = via_json::<T>(&body).unwrap_err();
    (error, json)
}

/// `value` serialized to JSON and read back, through serde_json and through the rows.
pub(super) fn round_trip<T>(value: &T, through_rows: bool) -> String
where
    T: serde::Serialize + DeserializeOwned + PartialEq + Debug,
{
    let json = serde_json::to_string(value).unwrap();
    assert_eq!(&serde_json::from_str::<T>(&json).unwrap(), value, "{json}");
    if through_rows {
        assert_eq!(&one::<T>(&json), value, "{json}");
    }
    json
}
