//! The requests the simulator received, as a test reads them back: [`MockRequest`],
//! [`MockWolkvox::requests`], [`MockWolkvox::set_recording`].

use std::collections::BTreeMap;

use hyper::body::Bytes;

use crate::mock::MockWolkvox;

/// One request the simulator received, as [`MockWolkvox::requests`] returns it and as the
/// predicates of [`MockWolkvox::fail_when`] see it. The token is never kept, nor any other
/// header but the content type.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use serde_json::json;
/// use wolkvox::mock::{MOCK_TOKEN, MockWolkvox};
///
/// let mock = MockWolkvox::start().await;
/// mock.set_call_reply("configuration.php", "add_ip", 200, json!({"code": "201"}));
/// reqwest::Client::new()
///     .post(format!("{}/api/v2/configuration.php?api=add_ip", mock.uri()))
///     .header("wolkvox-token", MOCK_TOKEN)
///     .header("content-type", "application/json")
///     .body(json!({"ip": "10.0.0.7", "permanent": "no"}).to_string())
///     .send()
///     .await?;
/// let sent = &mock.requests()[0];
/// assert_eq!(sent.method, "POST");
/// assert_eq!(sent.path, "/api/v2/configuration.php");
/// assert_eq!(sent.api.as_deref(), Some("add_ip"));
/// assert_eq!(sent.content_type.as_deref(), Some("application/json"));
/// assert_eq!(sent.body_json(), Some(json!({"ip": "10.0.0.7", "permanent": "no"})));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MockRequest {
    /// The method, upper case (`"GET"`, `"POST"`, `"PUT"`, `"DELETE"`, ...).
    pub method: String,
    /// The path as sent, without the query (`"/api/v2/configuration.php"`).
    pub path: String,
    /// The `api=` parameter (the last one when it repeats, as the simulator routes), trimmed.
    pub api: Option<String>,
    /// Every query parameter, percent-decoded, in the order sent (`api` included).
    pub query: Vec<(String, String)>,
    /// The `content-type` header, when sent (and readable as text).
    pub content_type: Option<String>,
    /// The body, as sent (empty when there is none).
    pub body: Vec<u8>,
}

impl MockRequest {
    /// Builds the record of a request from its parts; the headers are not kept.
    pub(in crate::mock) fn new(
        method: &str,
        path: &str,
        query: Option<&str>,
        content_type: Option<&str>,
        body: &Bytes,
    ) -> Self {
        let query: Vec<(String, String)> = query
            .map(|q| {
                url::form_urlencoded::parse(q.as_bytes())
                    .into_owned()
                    .collect()
            })
            .unwrap_or_default();
        let api = query
            .iter()
            .rev()
            .find(|(name, _)| name == "api")
            .map(|(_, value)| value.trim().to_owned());
        MockRequest {
            method: method.to_ascii_uppercase(),
            path: path.to_owned(),
            api,
            query,
            content_type: content_type.map(str::to_owned),
            body: body.to_vec(),
        }
    }

    /// The body read as JSON; `None` when it is empty or not JSON.
    pub fn body_json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The value of the query parameter `name` (the last one when it repeats).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, value)| value.as_str())
    }

    /// The query as the endpoints read it: the last value wins when a name repeats.
    pub(in crate::mock) fn query_map(&self) -> BTreeMap<String, String> {
        self.query.iter().cloned().collect()
    }
}

impl MockWolkvox {
    /// Every request received so far, in order of arrival, refused ones included (a wrong
    /// token, a fault, the quota, the concurrency limit): what a test checks a write sent.
    ///
    /// Servers from [`start`](Self::start), [`start_with_token`](Self::start_with_token) and
    /// [`start_demo`](Self::start_demo) record every request; a server from
    /// [`start_on`](Self::start_on), meant to run for long, records none, so that it does
    /// not grow. [`set_recording`](Self::set_recording) changes that.
    pub fn requests(&self) -> Vec<MockRequest> {
        self.state().recorded.clone()
    }

    /// Switches the recording of requests on or off (for the next requests; what is
    /// recorded stays). [`request_count`](Self::request_count) counts either way.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), wolkvox::Error> {
    /// let mock = wolkvox::mock::MockWolkvox::start_demo().await;
    /// mock.set_recording(false);
    /// mock.client()?.skills().await?;
    /// assert_eq!((mock.requests().len(), mock.request_count()), (0, 1));
    /// # Ok(()) }
    /// ```
    pub fn set_recording(&self, on: bool) {
        self.state().recording = on;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_is_decoded_in_order_and_api_is_the_last() {
        let request = MockRequest::new(
            "delete",
            "/api/v2/campaign.php",
            Some("api=x&campaign_id=7&name=a%20b+c&api=%20remove_record%20"),
            Some("application/json"),
            &Bytes::from_static(br#"{"customer_id":"1,2"}"#),
        );
        assert_eq!(request.method, "DELETE");
        assert_eq!(request.api.as_deref(), Some("remove_record"));
        assert_eq!(
            request.query,
            [
                ("api".to_owned(), "x".to_owned()),
                ("campaign_id".to_owned(), "7".to_owned()),
                ("name".to_owned(), "a b c".to_owned()),
                ("api".to_owned(), " remove_record ".to_owned()),
            ]
        );
        assert_eq!(request.param("campaign_id"), Some("7"));
        assert_eq!(
            request.body_json(),
            Some(serde_json::json!({"customer_id": "1,2"}))
        );
        let empty = MockRequest::new("GET", "/", None, None, &Bytes::new());
        assert_eq!((empty.api.as_deref(), empty.body_json()), (None, None));
    }
}
