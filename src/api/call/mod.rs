//! Any documented request: `client.call(method, endpoint, api)`, for the endpoint families
//! the crate has no typed methods for (configuration, agent controls, messages, billing, ...).
//!
//! The same engine carries it as every typed call (limiter, deadline, tracing span, body
//! cap), with the rules of writes: a `Post`, `Put` or `Delete` is never sent twice unless it
//! is marked [`idempotent`](CallRequest::idempotent), an unknown outcome is
//! [`Error::OutcomeUnknown`], and a refusal is [`Error::Rejected`].

use std::sync::Arc;

use bytes::Bytes;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::api::params::{Params, check_name};
use crate::decode::envelope::SkipRows;
use crate::decode::rows as decode_rows;
use crate::decode::status::{ResponseView, Rules, read_with};
use crate::engine::operation::{Method, Operation, Target};
use crate::engine::pipeline::Pipeline;
use crate::engine::transport::{Query, RawResponse};
use crate::error::Error;

/// The answer to a [`CallRequest`] that succeeded: HTTP 2xx with a body `code` of 200, 201
/// or 202 (a number or a string), or no `code`.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), wolkvox::Error> {
/// # use wiremock::{Mock, MockServer, ResponseTemplate, matchers};
/// # let server = MockServer::start().await;
/// # Mock::given(matchers::path("/api/v2/configuration.php"))
/// #     .respond_with(ResponseTemplate::new(200).set_body_string(
/// #         r#"{"code":"201","error":null,"msg":"IP: 203.0.113.7 has been added successfully"}"#))
/// #     .mount(&server).await;
/// # let client = wolkvox::WolkvoxClient::builder().base_url(&server.uri()).token("t").build()?;
/// use wolkvox::Method;
/// let reply = client
///     .call(Method::Post, "configuration.php", "add_ip")
///     .json(&serde_json::json!({"ip": "203.0.113.7", "permanent": "no", "description": "office"}))
///     .await?;
/// assert_eq!(reply.code, 201);
/// assert_eq!(reply.message, "IP: 203.0.113.7 has been added successfully");
/// assert!(reply.data.is_null());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// The body's `code` (sent as a number or a string), else the HTTP status.
    pub code: u16,
    /// The body's `msg`, trimmed; empty when there is none.
    pub message: String,
    /// The body's `data` as sent (an array, an object, a string); for a body that is a bare
    /// array, that array; [`Null`](serde_json::Value::Null) when absent.
    pub data: serde_json::Value,
}

/// A request to any endpoint file under `/api/v2/`, from
/// [`WolkvoxClient::call`](crate::WolkvoxClient::call). `.await` it (the same as
/// [`send`](Self::send)), or ask for its rows.
///
/// Nothing is checked or sent before it is awaited: a bad endpoint or `api=` name, a
/// reserved or empty parameter name, or a body that cannot be serialized is
/// [`Error::InvalidRequest`] then, with nothing sent.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is sent"]
pub struct CallRequest {
    pipeline: Arc<Pipeline>,
    method: Method,
    endpoint: String,
    api: String,
    params: Params,
    body: Body,
    idempotent: bool,
}

/// The body of a request: none, JSON bytes, or why it could not be serialized.
#[derive(Debug, Clone)]
enum Body {
    None,
    Json(Bytes),
    Invalid(String),
}

impl CallRequest {
    pub(crate) fn new(pipeline: Arc<Pipeline>, method: Method, endpoint: &str, api: &str) -> Self {
        CallRequest {
            pipeline,
            method,
            endpoint: endpoint.to_owned(),
            api: api.to_owned(),
            params: Params::default(),
            body: Body::None,
            idempotent: !method.is_write(),
        }
    }

    /// Adds a query parameter (`campaign_id`, `type_campaign`, `agent_id`, ...), replacing an
    /// earlier one with the same name. Keys and values are URL-encoded.
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.params.set(name, value);
        self
    }

    /// Sets the JSON body, sent with `Content-Type: application/json`, on any method
    /// (the vendor's DELETEs carry JSON bodies). It is serialized now, once: a retry sends
    /// the same bytes.
    ///
    /// A value that cannot be serialized (a map with non-string keys) makes the request an
    /// [`Error::InvalidRequest`] when it is sent; nothing is sent then.
    pub fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        self.body = match serde_json::to_vec(body) {
            Ok(bytes) => Body::Json(Bytes::from(bytes)),
            Err(error) => Body::Invalid(format!("the JSON body cannot be serialized: {error}")),
        };
        self
    }

    /// Marks a write as safe to repeat: it sets a state (`start`, `stop`, a speed) rather than
    /// adding something. It is then retried like a read (the table of
    /// [`Error::is_retryable`]), and a failure is returned as it is, not as
    /// [`Error::OutcomeUnknown`]. Reads are idempotent already.
    pub fn idempotent(mut self) -> Self {
        self.idempotent = true;
        self
    }

    /// Sends the request and answers its [`Reply`].
    ///
    /// # Errors
    /// - [`Error::InvalidRequest`] (nothing sent): the endpoint is not a file name under
    ///   `/api/v2/` (lower-case letters, digits and `_`, ending in `.php`), the `api` name is
    ///   not 1 to 64 lower-case letters, digits or `_`, a parameter is named `api` or has an
    ///   empty name, or the body could not be serialized;
    /// - on a read (`Get`): [`Error::NotFound`] for a 404 ("no data"), and the other errors of
    ///   a read;
    /// - on a write: [`Error::Rejected`] for a refusal (a 4xx other than the token, quota and
    ///   concurrency answers), [`Error::OutcomeUnknown`] when it was sent and its outcome is
    ///   not known (unless it is [`idempotent`](Self::idempotent)), and the token, quota and
    ///   connection errors.
    pub async fn send(self) -> Result<Reply, Error> {
        let rules = self.rules();
        self.run(move |raw| reply(rules, raw)).await
    }

    /// Sends the request and answers the rows of `data` as JSON objects, as sent. On a read,
    /// "no data" (404) is no rows.
    ///
    /// # Errors
    /// As [`send`](Self::send), and [`Error::Decode`] when `data` is not rows (objects).
    pub async fn rows(self) -> Result<Vec<serde_json::Value>, Error> {
        let rules = self.rules();
        self.run(move |raw| {
            no_data_is_empty(rules, decode_rows::json_with(rules, raw).map(|d| d.rows))
        })
        .await
    }

    /// Sends the request and decodes each row of `data` into `T`, with the crate's lenient
    /// field functions available through [`wolkvox::de`](crate::de). On a read, "no data"
    /// (404) is no rows.
    ///
    /// # Errors
    /// As [`rows`](Self::rows), and [`Error::Decode`] with the path `data[i]` of the
    /// first row that does not fit `T`.
    pub async fn rows_as<T: DeserializeOwned>(self) -> Result<Vec<T>, Error> {
        let rules = self.rules();
        self.run(move |raw| {
            no_data_is_empty(
                rules,
                decode_rows::requested_with::<T>(rules, raw).map(|d| d.rows),
            )
        })
        .await
    }

    fn rules(&self) -> Rules {
        if self.method.is_write() {
            Rules::Write
        } else {
            Rules::Read
        }
    }

    async fn run<T>(self, decode: impl Fn(&RawResponse) -> Result<T, Error>) -> Result<T, Error> {
        let operation = self.operation()?;
        self.pipeline.run(operation, decode).await
    }

    /// Checks everything and forms the operation; nothing is sent.
    fn operation(&self) -> Result<Operation, Error> {
        check_endpoint(&self.endpoint)?;
        check_name("api name", &self.api, "add_record")?;
        self.params
            .check(&["api"], "the api name is the third argument of call(..)")?;
        let body = match &self.body {
            Body::None => None,
            Body::Json(bytes) => Some(bytes.clone()),
            Body::Invalid(message) => return Err(Error::invalid_request(message.clone())),
        };
        let mut query: Query = Vec::with_capacity(1 + self.params.len());
        query.push(("api".into(), self.api.clone()));
        self.params.append_to(&mut query);
        Ok(Operation {
            method: self.method,
            target: Target::File(self.endpoint.clone()),
            query,
            body,
            idempotent: self.idempotent,
        })
    }
}

into_future!(CallRequest => Reply);

/// [`Error::InvalidRequest`] unless `endpoint` is `[a-z0-9_]+.php`.
fn check_endpoint(endpoint: &str) -> Result<(), Error> {
    let valid = endpoint.strip_suffix(".php").is_some_and(|stem| {
        !stem.is_empty()
            && stem
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    });
    if valid {
        return Ok(());
    }
    Err(Error::invalid_request(format!(
        "endpoint {endpoint:?} is not a file name under /api/v2/: lower-case letters, digits \
         or '_', ending in .php (e.g. \"campaign.php\")"
    )))
}

/// On a read, "no data" is no rows.
fn no_data_is_empty<T>(rules: Rules, rows: Result<Vec<T>, Error>) -> Result<Vec<T>, Error> {
    match rows {
        Err(Error::NotFound { .. }) if rules == Rules::Read => Ok(Vec::new()),
        other => other,
    }
}

/// Decodes a whole answer into a [`Reply`] under `rules`.
fn reply(rules: Rules, raw: &RawResponse) -> Result<Reply, Error> {
    let envelope = read_with(rules, ResponseView::from(raw), &mut SkipRows)?;
    let body = raw.body.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&raw.body);
    let data = match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(mut object)) => {
            object.remove("data").unwrap_or(serde_json::Value::Null)
        }
        Ok(array @ serde_json::Value::Array(_)) => array,
        Ok(other) => {
            return Err(Error::decode(
                "body",
                &other.to_string(),
                "expected a JSON object or array",
                None,
            ));
        }
        Err(error) => {
            return Err(Error::decode(
                "body",
                &String::from_utf8_lossy(body),
                "expected a JSON body",
                Some(Box::new(error)),
            ));
        }
    };
    Ok(Reply {
        status: raw.status,
        code: envelope.code.status().unwrap_or(raw.status),
        message: envelope.msg,
        data,
    })
}

#[cfg(test)]
mod tests;
