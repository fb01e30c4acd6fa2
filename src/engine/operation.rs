//! What one request is, independent of how it is sent: the method, the endpoint file, the
//! query, the body (kept as bytes, so a retry sends exactly the same bytes), whether it may be
//! repeated, and a name for tracing.

use std::fmt;

use bytes::Bytes;

use super::endpoint::Endpoint;
use super::transport::Query;

/// The HTTP method of a request made with [`WolkvoxClient::call`](crate::WolkvoxClient::call).
///
/// `Get` reads. `Post`, `Put` and `Delete` write: the crate never sends them twice unless
/// they are marked idempotent (see [`CallRequest::idempotent`](crate::CallRequest::idempotent)
/// and [`Error::is_retryable`](crate::Error::is_retryable)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// `GET`: a read.
    Get,
    /// `POST`: creates or sends something (upload records, send a message, dial).
    Post,
    /// `PUT`: changes something (start or stop a campaign, set its speed).
    Put,
    /// `DELETE`: removes something (clear a campaign, remove an IP); may carry a JSON body.
    Delete,
}

impl Method {
    /// The method as sent on the wire: `"GET"`, `"POST"`, `"PUT"`, `"DELETE"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }

    /// Whether requests with this method change the service's state (all but `Get`).
    pub fn is_write(self) -> bool {
        !matches!(self, Method::Get)
    }

    pub(crate) fn to_http(self) -> reqwest::Method {
        match self {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Delete => reqwest::Method::DELETE,
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a request goes: one of the three read endpoints (their URLs are formed once, when
/// the client is built), or any other `*.php` file under `/api/v2/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// `real_time.php`, `reports_manager.php`, `information.php`.
    Known(Endpoint),
    /// Another endpoint file, checked by the caller (`campaign.php`).
    File(String),
}

impl Target {
    /// The endpoint file: `campaign.php`.
    pub(crate) fn file(&self) -> &str {
        match self {
            Target::Known(endpoint) => endpoint.file(),
            Target::File(file) => file,
        }
    }
}

/// One request as the pipeline runs it.
#[derive(Debug, Clone)]
pub(crate) struct Operation {
    pub(crate) method: Method,
    pub(crate) target: Target,
    /// `api=...` first, then the parameters in order.
    pub(crate) query: Query,
    /// A JSON body, sent with `Content-Type: application/json`.
    pub(crate) body: Option<Bytes>,
    /// Whether sending it twice is safe (every `Get`, and writes marked so).
    pub(crate) idempotent: bool,
}

impl Operation {
    /// A read of one of the three read endpoints.
    pub(crate) fn get(endpoint: Endpoint, query: Query) -> Self {
        Operation {
            method: Method::Get,
            target: Target::Known(endpoint),
            query,
            body: None,
            idempotent: true,
        }
    }

    /// Whether the write rules apply: a `Post`, `Put` or `Delete` not marked idempotent.
    pub(crate) fn is_unrepeatable(&self) -> bool {
        self.method.is_write() && !self.idempotent
    }

    /// The `api=` value, for tracing and error messages.
    pub(crate) fn api(&self) -> &str {
        self.param("api").unwrap_or_default()
    }

    /// The value of the query parameter `name`, if set.
    pub(crate) fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_on_the_wire_and_which_write() {
        let all = [Method::Get, Method::Post, Method::Put, Method::Delete];
        let names: Vec<String> = all.iter().map(|m| m.to_string()).collect();
        assert_eq!(names, ["GET", "POST", "PUT", "DELETE"]);
        assert_eq!(all.map(Method::is_write), [false, true, true, true]);
        assert_eq!(all.map(|m| m.to_http().as_str().to_owned()).to_vec(), names);
    }

    #[test]
    fn only_writes_not_marked_idempotent_are_unrepeatable() {
        let mut op = Operation::get(Endpoint::Realtime, vec![("api".into(), "skills".into())]);
        assert!(!op.is_unrepeatable());
        assert_eq!(op.api(), "skills");
        assert_eq!(op.target.file(), "real_time.php");
        op.method = Method::Post;
        op.idempotent = false;
        assert!(op.is_unrepeatable());
        op.idempotent = true;
        assert!(!op.is_unrepeatable());
    }
}
