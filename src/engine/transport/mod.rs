//! The one place that sends HTTP requests: the HTTP client (TLS, redirects), headers, JSON
//! bodies, timeout, body cap.
//!
//! It knows nothing of the envelope: it hands a [`RawResponse`] up to [`crate::decode`].
//! Errors of the HTTP library become [`Error::Timeout`] or [`Error::Transport`] here
//! (`failure.rs`), with the library's error kept only as `source()` and stripped of the URL,
//! and with the [`Stage`] the exchange failed at, so the retry classifier can tell a request
//! that never left from one that may have been applied.

mod failure;
mod tls;

pub(crate) use failure::{Failure, Stage};

use std::borrow::Cow;
use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue, RETRY_AFTER, USER_AGENT};
use url::Url;

use crate::engine::endpoint::{API_DIR, Endpoint};
use crate::engine::operation::{Operation, Target};
use crate::error::Error;

/// Query parameters of a request, in order (`api=...` first).
pub(crate) type Query = Vec<(Cow<'static, str>, String)>;

/// An HTTP response as the transport read it.
#[derive(Debug, Clone, Default)]
pub(crate) struct RawResponse {
    /// The HTTP status code.
    pub(crate) status: u16,
    /// `Retry-After` in seconds, when present and numeric.
    pub(crate) retry_after: Option<Duration>,
    /// The whole body (at most `max_response_bytes`).
    pub(crate) body: Vec<u8>,
}

/// What the transport is built from (validated by the client builder).
pub(crate) struct TransportSettings {
    /// `https://wv0004.wolkvox.com/`, or the base URL given; ends with `/`.
    pub(crate) base: Url,
    /// The `wolkvox-token` header value, marked sensitive.
    pub(crate) token: HeaderValue,
    /// The `wolkvox_server` header value, when a server nomenclature was set.
    pub(crate) server: Option<HeaderValue>,
    /// The `user-agent` header value.
    pub(crate) user_agent: HeaderValue,
    /// The timeout of one request, body included.
    pub(crate) timeout: Duration,
    /// How long connecting may take (default HTTP client only).
    pub(crate) connect_timeout: Duration,
    /// The largest body read.
    pub(crate) max_response_bytes: u64,
    /// The user's own HTTP client, if any.
    pub(crate) http_client: Option<reqwest::Client>,
}

/// Sends requests to the Wolkvox endpoints of one base URL with the client's fixed headers.
pub(crate) struct Transport {
    http: reqwest::Client,
    /// The URL of each read endpoint, by [`Endpoint::index`].
    endpoints: [Url; 3],
    /// `{base}api/v2/`, for any other endpoint file.
    api_dir: Url,
    /// The host requests go to, for error messages.
    host: String,
    /// `wolkvox-token` (marked sensitive), `wolkvox_server`, `user-agent`.
    headers: HeaderMap,
    timeout: Duration,
    max_response_bytes: u64,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // HeaderMap's Debug prints sensitive values as "Sensitive", but say nothing at all.
        f.debug_struct("Transport")
            .field("endpoint", &self.endpoint(Endpoint::Realtime).as_str())
            .field("timeout", &self.timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish_non_exhaustive()
    }
}

impl Transport {
    /// The transport for `settings`; creates the default HTTP client when none was given.
    ///
    /// # Errors
    /// [`Error::Config`] when an endpoint URL cannot be formed or the HTTP client cannot be
    /// created.
    pub(crate) fn new(settings: TransportSettings) -> Result<Self, Error> {
        let TransportSettings {
            base,
            token,
            server,
            user_agent,
            timeout,
            connect_timeout,
            max_response_bytes,
            http_client,
        } = settings;
        let join = |endpoint: Endpoint| {
            base.join(endpoint.path().trim_start_matches('/'))
                .map_err(|e| Error::Config {
                    message: format!("cannot form the URL of {}", endpoint.path()),
                    source: Some(Box::new(e)),
                })
        };
        let endpoints = [
            join(Endpoint::ALL[0])?,
            join(Endpoint::ALL[1])?,
            join(Endpoint::ALL[2])?,
        ];
        let api_dir = base
            .join(API_DIR.trim_start_matches('/'))
            .map_err(|e| Error::Config {
                message: format!("cannot form the URL of {API_DIR}"),
                source: Some(Box::new(e)),
            })?;
        let http = match http_client {
            Some(client) => client,
            None => tls::default_http_client(connect_timeout.min(timeout))?,
        };
        let mut headers = HeaderMap::new();
        headers.insert("wolkvox-token", token);
        if let Some(server) = server {
            headers.insert("wolkvox_server", server);
        }
        headers.insert(USER_AGENT, user_agent);
        Ok(Transport {
            http,
            host: base.host_str().unwrap_or_default().to_owned(),
            endpoints,
            api_dir,
            headers,
            timeout,
            max_response_bytes,
        })
    }

    /// The URL of `endpoint` (without query).
    pub(crate) fn endpoint(&self, endpoint: Endpoint) -> &Url {
        &self.endpoints[endpoint.index()]
    }

    /// The host requests go to (`wv0004.wolkvox.com`).
    pub(crate) fn host(&self) -> &str {
        &self.host
    }

    /// The per-request timeout.
    pub(crate) fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The URL of one request: its endpoint file with its query.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] when the endpoint file does not form a URL (callers check
    /// the name first, so this does not happen for a checked name).
    pub(crate) fn url(&self, operation: &Operation) -> Result<Url, Error> {
        let mut url = match &operation.target {
            Target::Known(endpoint) => self.endpoint(*endpoint).clone(),
            Target::File(file) => self.api_dir.join(file).map_err(|_| {
                Error::invalid_request(format!("the endpoint {file:?} does not form a URL"))
            })?,
        };
        url.query_pairs_mut().extend_pairs(&operation.query);
        Ok(url)
    }

    /// Sends `operation` to `url` once and reads the whole body, up to the cap. The caller
    /// bounds it in time (one timer per attempt, see `crate::engine::pipeline`).
    pub(crate) async fn send(
        &self,
        operation: &Operation,
        url: Url,
    ) -> Result<RawResponse, Failure> {
        let mut request = self
            .http
            .request(operation.method.to_http(), url)
            .headers(self.headers.clone());
        if let Some(body) = &operation.body {
            request = request
                .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                .body(body.clone());
        }
        let mut response = request
            .send()
            .await
            .map_err(|e| failure::http_error(&self.host, self.timeout, e))?;

        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let too_large = || Failure {
            error: Error::ResponseTooLarge {
                limit: self.max_response_bytes,
                attempts: 1,
            },
            stage: Stage::Answered,
        };
        if response
            .content_length()
            .is_some_and(|len| len > self.max_response_bytes)
        {
            return Err(too_large());
        }
        // The whole announced body at once (checked against the cap above): a large body
        // grown by doubling would hold up to twice its size (a 20 MiB report in 32 MiB).
        let capacity = response
            .content_length()
            .unwrap_or(8 * 1024)
            .min(self.max_response_bytes);
        let mut body = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
        while let Some(chunk) = response.chunk().await.map_err(|e| Failure {
            stage: Stage::Answered,
            ..failure::http_error(&self.host, self.timeout, e)
        })? {
            if body.len() as u64 + chunk.len() as u64 > self.max_response_bytes {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(RawResponse {
            status,
            retry_after,
            body,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transport(base: &str) -> Transport {
        let mut token = HeaderValue::from_static("tok-SECRET");
        token.set_sensitive(true);
        Transport::new(TransportSettings {
            base: Url::parse(base).unwrap(),
            token,
            server: Some(HeaderValue::from_static("0004")),
            user_agent: HeaderValue::from_static("wolkvox-rust/test"),
            timeout: Duration::from_secs(1),
            connect_timeout: Duration::from_secs(1),
            max_response_bytes: 10,
            http_client: Some(reqwest::Client::new()),
        })
        .unwrap()
    }

    #[test]
    fn token_header_is_marked_sensitive_and_hidden_from_debug() {
        let transport = transport("https://wv0004.wolkvox.com/");
        assert!(transport.headers["wolkvox-token"].is_sensitive());
        assert_eq!(transport.headers["wolkvox_server"], "0004");
        let debug = format!("{transport:?}");
        assert!(!debug.contains("SECRET"), "{debug}");
    }

    #[test]
    fn endpoints_and_urls_under_the_base() {
        let transport = transport("https://proxy.example/wv/");
        assert_eq!(
            transport.endpoint(Endpoint::Realtime).as_str(),
            "https://proxy.example/wv/api/v2/real_time.php"
        );
        assert_eq!(
            transport.endpoint(Endpoint::Reports).as_str(),
            "https://proxy.example/wv/api/v2/reports_manager.php"
        );
        assert_eq!(
            transport.endpoint(Endpoint::Information).as_str(),
            "https://proxy.example/wv/api/v2/information.php"
        );
        let op = Operation::get(
            Endpoint::Realtime,
            vec![
                ("api".into(), "skills".into()),
                ("skill_id".into(), "a&b".into()),
            ],
        );
        assert_eq!(
            transport.url(&op).unwrap().as_str(),
            "https://proxy.example/wv/api/v2/real_time.php?api=skills&skill_id=a%26b"
        );
        let write = Operation {
            method: crate::engine::operation::Method::Delete,
            target: Target::File("campaign.php".into()),
            query: vec![
                ("api".into(), "remove_record".into()),
                ("campaign_id".into(), "7 2".into()),
            ],
            body: None,
            idempotent: false,
        };
        assert_eq!(
            transport.url(&write).unwrap().as_str(),
            "https://proxy.example/wv/api/v2/campaign.php?api=remove_record&campaign_id=7+2"
        );
        assert_eq!(transport.host, "proxy.example");
    }
}
