//! The checks `build()` runs on what the builder was given: each answers the value to use, or
//! a problem (what to fix), and `Problems` collects them so every one is reported at once.

use std::net::IpAddr;

use reqwest::header::HeaderValue;
use url::{Host, Url};

use crate::error::Error;

/// The longest server nomenclature accepted.
const MAX_SERVER_LEN: usize = 8;

/// The configuration problems `build()` found, all reported at once.
#[derive(Default)]
pub(super) struct Problems {
    messages: Vec<String>,
    /// The first underlying error (a URL parse error), kept as the source.
    source: Option<url::ParseError>,
}

impl Problems {
    pub(super) fn push(&mut self, message: impl Into<String>) {
        self.messages.push(message.into());
    }

    /// The value, or `None` with its problem recorded.
    pub(super) fn check<T>(&mut self, result: Result<T, Problem>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err((message, source)) => {
                self.messages.push(message);
                if self.source.is_none() {
                    self.source = source;
                }
                None
            }
        }
    }

    pub(super) fn into_result(self) -> Result<(), Error> {
        if self.messages.is_empty() {
            return Ok(());
        }
        Err(Error::Config {
            message: self.messages.join("; "),
            source: self
                .source
                .map(|e| Box::new(e) as Box<dyn std::error::Error + Send + Sync>),
        })
    }
}

/// `wolkvox-rust/<crate version>`.
pub(super) fn default_user_agent() -> String {
    format!("wolkvox-rust/{}", env!("CARGO_PKG_VERSION"))
}

/// A problem found by a check: what to fix, and the underlying URL error if there is one.
pub(super) type Problem = (String, Option<url::ParseError>);

pub(super) fn problem(message: impl Into<String>) -> Problem {
    (message.into(), None)
}

/// The token as a header value marked sensitive; errors never echo it.
pub(super) fn token_header(token: Option<&str>) -> Result<HeaderValue, Problem> {
    let token = token.map(str::trim).unwrap_or_default();
    if token.is_empty() {
        return Err(problem(
            "missing token: set .token(..) or the WOLKVOX_TOKEN environment variable",
        ));
    }
    let mut value = HeaderValue::from_str(token).map_err(|_| {
        problem(
            "the token contains characters that cannot be sent in an HTTP header \
             (control characters or non-ASCII), check how it was copied",
        )
    })?;
    value.set_sensitive(true);
    Ok(value)
}

/// 1 to 8 ASCII letters or digits: it becomes part of a host name.
pub(super) fn validate_server(server: &str) -> Result<String, Problem> {
    let valid = (1..=MAX_SERVER_LEN).contains(&server.len())
        && server.bytes().all(|b| b.is_ascii_alphanumeric());
    if valid {
        Ok(server.to_owned())
    } else {
        Err(problem(format!(
            "server nomenclature {server:?} is not 1 to {MAX_SERVER_LEN} ASCII letters or digits \
             (use the short code of your operation's server, e.g. \"0004\")"
        )))
    }
}

/// A parsable `https://` URL, or `http://` to loopback only; no credentials, query or fragment.
pub(super) fn validate_base_url(raw: &str) -> Result<Url, Problem> {
    let mut url = Url::parse(raw.trim())
        .map_err(|e| (format!("base_url {raw:?} is not a valid URL"), Some(e)))?;
    let host = url
        .host()
        .ok_or_else(|| problem(format!("base_url {raw:?} has no host")))?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&host) => {}
        "http" => {
            return Err(problem(format!(
                "base_url {raw:?} is plain http to a non-loopback host: the token would travel \
                 in clear text, use https://"
            )));
        }
        other => {
            return Err(problem(format!(
                "base_url {raw:?} has scheme {other:?}, use https://"
            )));
        }
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(problem(
            "base_url must not carry credentials (the token is sent as a header)",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(problem(format!(
            "base_url {raw:?} must not have a query or fragment"
        )));
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

fn is_loopback(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
        Host::Ipv4(ip) => IpAddr::V4(*ip).is_loopback(),
        Host::Ipv6(ip) => IpAddr::V6(*ip).is_loopback(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_nomenclatures() {
        for good in ["0004", "0033", "1", "ABCD1234"] {
            assert_eq!(validate_server(good).unwrap(), good);
        }
        for bad in [
            "",
            "0004.evil.com",
            "0004/",
            "0004@x",
            "../",
            "123456789",
            "00 4",
            "０００４",
            "0004:1",
        ] {
            assert!(validate_server(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn base_urls() {
        let ok = |u: &str| validate_base_url(u).unwrap().to_string();
        assert_eq!(
            ok("https://proxy.example/wolkvox"),
            "https://proxy.example/wolkvox/"
        );
        assert_eq!(ok("http://127.0.0.1:8080"), "http://127.0.0.1:8080/");
        assert_eq!(ok("http://localhost:1"), "http://localhost:1/");
        assert_eq!(ok("http://[::1]:9"), "http://[::1]:9/");
        assert_eq!(ok("http://127.8.9.10/"), "http://127.8.9.10/");
        for bad in [
            "http://wv0004.wolkvox.com",
            "http://10.0.0.1",
            "http://localhost.evil.com",
            "ftp://127.0.0.1",
            "not a url",
            "https://user:pw@host",
            "https://host/?a=1",
            "file:///etc/passwd",
        ] {
            assert!(validate_base_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn token_is_trimmed_and_marked_sensitive() {
        let header = token_header(Some("  tok-123\n")).unwrap();
        assert_eq!(header, "tok-123");
        assert!(header.is_sensitive());
    }
}
