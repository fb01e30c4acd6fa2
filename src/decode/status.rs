//! The status decoder: HTTP status, the body's `code` and message into success or the right
//! typed [`Error`].
//!
//! This is where the envelope's inconsistencies are resolved:
//! - a non-2xx HTTP status is an error even when the body says `"code": 200`;
//! - a non-2xx `code` in the body is an error even under HTTP 200;
//! - 403 is told apart by its message (quota, simultaneous requests, bad token);
//! - a non-JSON body (maintenance page, gateway error, empty) becomes [`Error::Api`] with a
//!   snippet under an error status, and [`Error::Decode`] under a success status.
//!
//! Nothing here does I/O: every function is pure, which is what the fuzz target and the
//! property tests exercise. The row sinks that receive `data` are in [`super::rows`].

use std::time::Duration;

use crate::decode::envelope::{self, Envelope, RowSink};
use crate::engine::transport::RawResponse;
use crate::error::{Error, snippet};

/// A response whose body is borrowed: the decoder needs no owned copy of the body (the
/// benches and the fuzz target decode straight from a slice).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ResponseView<'a> {
    /// The HTTP status code.
    pub(crate) status: u16,
    /// `Retry-After` in seconds, when present and numeric.
    pub(crate) retry_after: Option<Duration>,
    /// The whole body.
    pub(crate) body: &'a [u8],
}

impl<'a> From<&'a RawResponse> for ResponseView<'a> {
    fn from(response: &'a RawResponse) -> Self {
        ResponseView {
            status: response.status,
            retry_after: response.retry_after,
            body: &response.body,
        }
    }
}

pub(crate) fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// Parses a success body, handing rows to `sink`; any failure becomes the right [`Error`].
///
/// When the sink stopped on a row of its own (a value that did not decode), its
/// [`RowSink::take_failure`] is the error: it is more precise than the parser's.
pub(crate) fn read<'de, S: RowSink<'de>>(
    response: ResponseView<'de>,
    sink: &mut S,
) -> Result<Envelope, Error> {
    if !is_success(response.status) {
        return Err(failure(&response));
    }
    match envelope::parse(response.body, sink) {
        Ok(envelope) => match envelope.code.status() {
            Some(code) if !is_success(code) => Err(server_error(
                code,
                &response,
                Some(code),
                message_of(&envelope, response.body),
            )),
            _ => Ok(envelope),
        },
        Err(wire_error) => {
            // An error body whose `data` is junk is still that error.
            if let Some(head) = envelope::parse_head(response.body) {
                if let Some(code) = head.code.status().filter(|c| !is_success(*c)) {
                    return Err(server_error(
                        code,
                        &response,
                        Some(code),
                        message_of(&head, response.body),
                    ));
                }
            }
            if let Some(error) = sink.take_failure() {
                return Err(error);
            }
            Err(Error::decode(
                wire_error.path,
                &body_text(response.body),
                describe_syntax_error(response.body, &wire_error.source),
                Some(Box::new(wire_error.source)),
            ))
        }
    }
}

/// The error for a response whose HTTP status is not a success.
fn failure(response: &ResponseView<'_>) -> Error {
    match envelope::parse_head(response.body) {
        Some(head) => server_error(
            response.status,
            response,
            head.code.status(),
            message_of(&head, response.body),
        ),
        None if response.status == 404 => Error::Api {
            status: 404,
            http_status: 404,
            code: None,
            message: format!(
                "not a Wolkvox answer (non-JSON 404: {}); check base_url and the endpoint path",
                body_text(response.body)
            ),
            retry_after: response.retry_after,
            attempts: 1,
        },
        None => server_error(response.status, response, None, body_text(response.body)),
    }
}

/// The envelope's message: `msg`, else `error`, else a snippet of the body.
fn message_of(envelope: &Envelope, body: &[u8]) -> String {
    if !envelope.msg.is_empty() {
        envelope.msg.clone()
    } else if let Some(error) = &envelope.error {
        error.clone()
    } else {
        body_text(body)
    }
}

/// Upper case with runs of white space folded, for matching the server's messages.
fn normalize(message: &str) -> String {
    message
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase()
}

/// Maps a failure status and message to its variant.
fn server_error(
    status: u16,
    response: &ResponseView<'_>,
    code: Option<u16>,
    message: String,
) -> Error {
    let normalized = normalize(&message);
    match status {
        401 => Error::Unauthorized {
            status,
            message,
            attempts: 1,
        },
        403 if normalized.contains("SIMULTANEOUS") => Error::ConcurrencyLimited {
            status,
            message,
            retry_after: response.retry_after,
            attempts: 1,
        },
        403 if normalized.contains("TOKEN LIMIT") || normalized.contains("LIMIT EXCEEDED") => {
            Error::QuotaExceeded {
                status,
                message,
                attempts: 1,
            }
        }
        403 if normalized.contains("TOKEN") => Error::Unauthorized {
            status,
            message,
            attempts: 1,
        },
        404 => Error::NotFound {
            status,
            message,
            attempts: 1,
        },
        429 => Error::ConcurrencyLimited {
            status,
            message,
            retry_after: response.retry_after,
            attempts: 1,
        },
        _ => Error::Api {
            status,
            http_status: response.status,
            code,
            message,
            retry_after: response.retry_after,
            attempts: 1,
        },
    }
}

/// A short readable excerpt of a body: tags of an HTML page dropped, invalid UTF-8 replaced.
fn body_text(body: &[u8]) -> String {
    if body.iter().all(u8::is_ascii_whitespace) {
        return "empty body".to_owned();
    }
    let head = &body[..body.len().min(4096)];
    let text = String::from_utf8_lossy(head);
    let looks_like_html = text.trim_start().starts_with('<');
    if !looks_like_html {
        return snippet(&text);
    }
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    snippet(out.trim())
}

/// What was wrong with a body the parser refused, in this crate's words (the parser's own
/// message, with line and column, is the error's source).
fn describe_syntax_error(body: &[u8], error: &serde_json::Error) -> &'static str {
    if body.iter().all(u8::is_ascii_whitespace) {
        "expected a JSON body, got an empty body"
    } else if error.is_eof() {
        "expected a JSON body, it ends too early"
    } else if error.is_syntax() {
        "expected a JSON body, it is not valid JSON"
    } else {
        "the JSON does not have the shape of a Wolkvox answer"
    }
}

#[cfg(test)]
mod tests {
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
}
