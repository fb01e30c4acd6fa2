//! What the simulator sends back: a status, a content type and a body, in the live wire
//! encoding (the envelope, error bodies, the maintenance page).

use hyper::body::Bytes;
use serde_json::{Value, json};

/// 400: an `api=` value the endpoint does not serve.
pub(in crate::mock) const UNKNOWN_API: &str = "THE API YOU WANT TO CONSULT DOES NOT EXIST";
/// 400: a required parameter is missing or unreadable.
pub(in crate::mock) const MISSING_PARAMETER: &str = "SOME PARAMETERS ARE REQUIRED";
/// 401: no token header.
pub(in crate::mock) const NO_TOKEN: &str = "PLEASE ENTER THE WOLKVOX-TOKEN";
/// 403: a wrong or revoked token.
pub(in crate::mock) const BAD_TOKEN: &str = "PLEASE VALIDATE TOKEN";
/// 403: the daily quota is used up.
pub(in crate::mock) const TOKEN_LIMIT: &str = "TOKEN LIMIT EXCEEDED";
/// 404: no rows (the live service's misleading text).
pub(in crate::mock) const NO_DATA: &str = "Validate dates entered";

/// The page served during maintenance windows.
pub const MAINTENANCE_HTML: &str = "<!DOCTYPE html><html><head><title>503 Service Temporarily \
    Unavailable</title></head><body><h1>Service Temporarily Unavailable</h1><p>wolkvox is under \
    maintenance.</p></body></html>";

/// The content type of JSON answers.
const JSON: &str = "application/json";

/// One answer, ready to be sent.
#[derive(Debug, Clone, PartialEq)]
pub(in crate::mock) struct Answer {
    /// The HTTP status.
    pub(in crate::mock) status: u16,
    /// The `content-type` header.
    pub(in crate::mock) content_type: &'static str,
    /// The body, as sent.
    pub(in crate::mock) body: Bytes,
}

impl Answer {
    /// `body` serialized as JSON, with `status`. A value that cannot be serialized (a map with
    /// non-string keys; none of the simulator's) answers an empty body.
    pub(in crate::mock) fn json(status: u16, body: &impl serde::Serialize) -> Self {
        Answer {
            status,
            content_type: JSON,
            body: serde_json::to_vec(body).unwrap_or_default().into(),
        }
    }
}

/// The `403 EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (N)` message for a limit.
pub(in crate::mock) fn simultaneous(limit: usize) -> String {
    format!("EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN ({limit})")
}

/// 503 with [`MAINTENANCE_HTML`] as `text/html`.
pub(in crate::mock) fn maintenance() -> Answer {
    Answer {
        status: 503,
        content_type: "text/html",
        body: Bytes::from_static(MAINTENANCE_HTML.as_bytes()),
    }
}

/// An error body: `{"code": status, "error": error, "msg": msg}` with that HTTP status.
pub(in crate::mock) fn error(status: u16, error: &str, msg: &str) -> Answer {
    Answer::json(
        status,
        &json!({
            "code": status,
            "error": error,
            "msg": msg,
        }),
    )
}

/// 400 `BAD REQUEST` with `msg`.
pub(in crate::mock) fn bad_request(msg: &str) -> Answer {
    error(400, "BAD REQUEST", msg)
}

/// 403 `FORBIDDEN` with `msg`.
pub(in crate::mock) fn forbidden(msg: &str) -> Answer {
    error(403, "FORBIDDEN", msg)
}

/// 404 "no data", as the live service answers an empty result.
pub(in crate::mock) fn not_found() -> Answer {
    error(404, "NOT FOUND", NO_DATA)
}

/// 404 for a path that is none of the simulator's endpoints and has no reply set, in the
/// shape of the live service's write refusals (`"code":"404","error":"Not Found"`).
pub(in crate::mock) fn no_such_endpoint(path: &str) -> Answer {
    Answer::json(
        404,
        &json!({
            "code": "404",
            "error": "Not Found",
            "msg": format!("THE ENDPOINT {path} DOES NOT EXIST"),
        }),
    )
}

/// 413 for a request body over the simulator's cap.
pub(in crate::mock) fn too_large(limit: usize) -> Answer {
    error(
        413,
        "PAYLOAD TOO LARGE",
        &format!("THE REQUEST BODY EXCEEDS {limit} BYTES"),
    )
}

/// The success envelope, fields in the live order. Serialized as is: `data` is never turned
/// into a `serde_json::Value` first (60,000 rows would take seconds in a debug build).
#[derive(serde::Serialize)]
struct Envelope<T> {
    code: u16,
    error: Option<&'static str>,
    msg: String,
    data: T,
}

/// The success envelope around `data`, counting `count` records.
fn envelope(count: usize, data: impl serde::Serialize) -> Answer {
    Answer::json(
        200,
        &Envelope {
            code: 200,
            error: None,
            msg: format!("{count} records were found"),
            data,
        },
    )
}

/// The success envelope, or 404 "no data" when there are no rows.
pub(in crate::mock) fn records<T: serde::Serialize>(rows: Vec<T>) -> Answer {
    if rows.is_empty() {
        return not_found();
    }
    envelope(rows.len(), rows)
}

/// `data` as given (array, object, ...) in the success envelope; `null` or an empty array
/// answers 404 "no data".
pub(in crate::mock) fn raw_data(data: &Value) -> Answer {
    let empty = match data {
        Value::Null => true,
        Value::Array(rows) => rows.is_empty(),
        _ => false,
    };
    if empty {
        return not_found();
    }
    envelope(data.as_array().map_or(1, Vec::len), data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_bodies_in_the_live_shape() {
        let answer = forbidden(&simultaneous(3));
        assert_eq!((answer.status, answer.content_type), (403, JSON));
        assert_eq!(
            answer.body,
            r#"{"code":403,"error":"FORBIDDEN","msg":"EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (3)"}"#
        );
        assert_eq!(maintenance().content_type, "text/html");
        assert_eq!(records(Vec::<Value>::new()), not_found());
        assert_eq!(
            raw_data(&json!({"a": "1"})).body,
            r#"{"code":200,"error":null,"msg":"1 records were found","data":{"a":"1"}}"#
        );
    }
}
