//! The one place that sends an HTTP GET: headers, timeout, body cap.
//!
//! It knows nothing of the envelope; it hands a [`RawResponse`] to [`crate::response`].
//! Errors of the HTTP library become [`Error::Timeout`] or [`Error::Transport`] here, with the
//! library's error kept only as `source()` and stripped of the URL.

use std::borrow::Cow;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER, USER_AGENT};
use url::Url;

use crate::error::Error;
use crate::response::RawResponse;

/// Sends GET requests to one endpoint with the client's fixed headers.
#[derive(Clone)]
pub(crate) struct Transport {
    http: reqwest::Client,
    endpoint: Url,
    /// `wolkvox-token` (marked sensitive), `wolkvox_server`, `user-agent`.
    headers: HeaderMap,
    timeout: Duration,
    max_response_bytes: u64,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // HeaderMap's Debug prints sensitive values as "Sensitive", but say nothing at all.
        f.debug_struct("Transport")
            .field("endpoint", &self.endpoint.as_str())
            .field("timeout", &self.timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish_non_exhaustive()
    }
}

impl Transport {
    pub(crate) fn new(
        http: reqwest::Client,
        endpoint: Url,
        token: HeaderValue,
        server: Option<HeaderValue>,
        user_agent: HeaderValue,
        timeout: Duration,
        max_response_bytes: u64,
    ) -> Self {
        let mut headers = HeaderMap::new();
        headers.insert("wolkvox-token", token);
        if let Some(server) = server {
            headers.insert("wolkvox_server", server);
        }
        headers.insert(USER_AGENT, user_agent);
        Transport {
            http,
            endpoint,
            headers,
            timeout,
            max_response_bytes,
        }
    }

    /// The URL requests go to (without query).
    pub(crate) fn endpoint(&self) -> &Url {
        &self.endpoint
    }

    /// The per-request timeout.
    pub(crate) fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Sends one GET with `query` and reads the whole body, up to the cap. The caller bounds
    /// it in time (one timer per attempt, see `WolkvoxClient::execute`).
    pub(crate) async fn get(
        &self,
        query: &[(Cow<'static, str>, String)],
    ) -> Result<RawResponse, Error> {
        let mut url = self.endpoint.clone();
        url.query_pairs_mut().extend_pairs(query);
        let mut response = self
            .http
            .get(url)
            .headers(self.headers.clone())
            .send()
            .await
            .map_err(|e| self.http_error(e))?;

        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let too_large = || Error::ResponseTooLarge {
            limit: self.max_response_bytes,
            attempts: 1,
        };
        if response
            .content_length()
            .is_some_and(|len| len > self.max_response_bytes)
        {
            return Err(too_large());
        }
        let capacity = response.content_length().unwrap_or(8 * 1024).min(1 << 24);
        let mut body = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
        while let Some(chunk) = response.chunk().await.map_err(|e| self.http_error(e))? {
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

    /// Maps an HTTP library error to ours: the URL is stripped, the chain kept as text.
    fn http_error(&self, error: reqwest::Error) -> Error {
        if error.is_timeout() {
            return Error::Timeout {
                timeout: self.timeout,
                attempts: 1,
            };
        }
        let error = error.without_url();
        let mut message = error.to_string();
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            let text = cause.to_string();
            if !message.contains(&text) {
                message.push_str(": ");
                message.push_str(&text);
            }
            source = cause.source();
        }
        Error::Transport {
            message,
            attempts: 1,
            source: Some(Box::new(error)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_header_is_marked_sensitive_and_hidden_from_debug() {
        let mut token = HeaderValue::from_static("tok-SECRET");
        token.set_sensitive(true);
        let transport = Transport::new(
            reqwest::Client::new(),
            Url::parse("https://wv0004.wolkvox.com/api/v2/real_time.php").unwrap(),
            token,
            Some(HeaderValue::from_static("0004")),
            HeaderValue::from_static("wolkvox-rust/test"),
            Duration::from_secs(1),
            10,
        );
        assert!(transport.headers["wolkvox-token"].is_sensitive());
        assert_eq!(transport.headers["wolkvox_server"], "0004");
        let debug = format!("{transport:?}");
        assert!(!debug.contains("SECRET"), "{debug}");
    }
}
