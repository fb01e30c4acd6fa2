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
use crate::error::{Error, mentions_maintenance, snippet};

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

/// Which failure rules apply to an answer, by the kind of request it answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rules {
    /// A read: a 404 is "no data" ([`Error::NotFound`]).
    Read,
    /// A write: a 4xx other than the token, quota and concurrency answers is a refusal
    /// ([`Error::Rejected`], with the body's `data` as its details), a 404 included.
    Write,
}

/// Parses a success body, handing rows to `sink`; any failure becomes the right [`Error`]
/// under `rules`.
///
/// When the sink stopped on a row of its own (a value that did not decode), its
/// [`RowSink::take_failure`] is the error: it is more precise than the parser's.
pub(crate) fn read_with<'de, S: RowSink<'de>>(
    rules: Rules,
    response: ResponseView<'de>,
    sink: &mut S,
) -> Result<Envelope, Error> {
    if !is_success(response.status) {
        return Err(failure(rules, &response));
    }
    match envelope::parse(response.body, sink) {
        Ok(envelope) => match envelope.code.status() {
            Some(code) if !is_success(code) => Err(server_error(
                rules,
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
                        rules,
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
            let text = body_text(response.body);
            if !text.trim_start().starts_with(['{', '[']) && mentions_maintenance(&text) {
                // The vendor's maintenance page under HTTP 200: the service is down, as under
                // a 503.
                return Err(Error::Api {
                    status: 503,
                    http_status: response.status,
                    code: None,
                    message: text,
                    retry_after: response.retry_after,
                    attempts: 1,
                });
            }
            Err(Error::decode(
                wire_error.path,
                &text,
                describe_syntax_error(response.body, &wire_error.source),
                Some(Box::new(wire_error.source)),
            ))
        }
    }
}

/// The error for a response whose HTTP status is not a success.
fn failure(rules: Rules, response: &ResponseView<'_>) -> Error {
    match envelope::parse_head(response.body) {
        Some(head) => server_error(
            rules,
            response.status,
            response,
            head.code.status(),
            message_of(&head, response.body),
        ),
        None if response.status == 404 && rules == Rules::Read => Error::Api {
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
        None => server_error(
            rules,
            response.status,
            response,
            None,
            body_text(response.body),
        ),
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

/// Maps a failure status and message to its variant, under `rules`.
fn server_error(
    rules: Rules,
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
        429 => Error::ConcurrencyLimited {
            status,
            message,
            retry_after: response.retry_after,
            attempts: 1,
        },
        400..=499 if rules == Rules::Write => Error::Rejected {
            status,
            message,
            details: details_of(response.body),
            attempts: 1,
        },
        404 => Error::NotFound {
            status,
            message,
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

/// The body's `data` as compact JSON text (its keys in the order sent), when the body is JSON
/// and `data` is there and not `null`.
fn details_of(body: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Data<'a> {
        #[serde(borrow)]
        data: Option<&'a serde_json::value::RawValue>,
    }
    let body = body.strip_prefix(b"\xef\xbb\xbf").unwrap_or(body);
    let data = serde_json::from_slice::<Data<'_>>(body).ok()?.data?;
    let text = data.get();
    (text != "null").then(|| compact_json(text))
}

/// Valid JSON text without the white space between its tokens.
fn compact_json(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if !c.is_ascii_whitespace() {
            in_string = c == '"';
            out.push(c);
        }
    }
    out
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
mod tests;
