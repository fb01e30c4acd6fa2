//! A failed HTTP exchange in this crate's words: the [`Error`], and the [`Stage`] it failed
//! at (what the retry classifier needs to know whether a write may have been applied).

use std::time::Duration;

use crate::error::Error;

/// How far an exchange got before it failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    /// The connection could not be established (DNS, refused, TLS handshake, connect
    /// timeout): nothing of the request was sent.
    Connecting,
    /// The request was being sent, or sent and not yet answered: it may have reached the
    /// service.
    Sending,
    /// The service answered (a status line came back); reading or decoding the answer failed,
    /// or the answer was an error.
    Answered,
}

/// An exchange that failed, and where.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) error: Error,
    pub(crate) stage: Stage,
}

impl Failure {
    /// A failure of the answer: the service answered.
    pub(crate) fn answered(error: Error) -> Self {
        Failure {
            error,
            stage: Stage::Answered,
        }
    }
}

/// Maps an HTTP library error to ours: a timeout, or a transport failure described in our
/// words with the host; the library's error (URL stripped) is kept as the source only.
pub(crate) fn http_error(host: &str, timeout: Duration, error: reqwest::Error) -> Failure {
    let stage = if error.is_connect() {
        Stage::Connecting
    } else {
        Stage::Sending
    };
    if error.is_timeout() {
        return Failure {
            error: Error::Timeout {
                timeout,
                attempts: 1,
                waiting_for_turn: None,
            },
            stage,
        };
    }
    let message = if error.is_connect() {
        connect_failure(host, &error)
    } else if error.is_body() || error.is_decode() {
        "the connection broke while the answer was read".to_owned()
    } else if error.is_redirect() {
        "the server's redirects could not be followed".to_owned()
    } else if error.is_request() {
        "the request could not be sent".to_owned()
    } else {
        "the HTTP exchange failed".to_owned()
    };
    Failure {
        error: Error::Transport {
            host: host.to_owned(),
            message,
            attempts: 1,
            source: Some(Box::new(error.without_url())),
        },
        stage,
    }
}

/// Why a connection could not be established, from the causes' kinds and texts: the name did
/// not resolve, the TLS handshake failed, or (refused, network) in general terms.
fn connect_failure(host: &str, error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = Some(error);
    while let Some(current) = cause {
        if current
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::ConnectionRefused)
        {
            break;
        }
        let text = current.to_string().to_ascii_lowercase();
        if text.contains("dns error")
            || text.contains("failed to lookup address")
            || text.contains("name or service not known")
        {
            return format!("the name {host} could not be resolved");
        }
        if text.contains("certificate") || text.contains("tls") || text.contains("handshake") {
            return "the TLS handshake failed".to_owned();
        }
        cause = current.source();
    }
    "the connection could not be established".to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Chain(&'static str, Option<Box<dyn std::error::Error + 'static>>);

    impl std::fmt::Display for Chain {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.0)
        }
    }

    impl std::error::Error for Chain {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            self.1.as_deref()
        }
    }

    #[test]
    fn connect_failures_are_named_from_their_causes() {
        let dns = Chain(
            "client error (Connect)",
            Some(Box::new(Chain("dns error", None))),
        );
        assert_eq!(
            connect_failure("wv0004.wolkvox.com", &dns),
            "the name wv0004.wolkvox.com could not be resolved"
        );
        let refused = Chain(
            "client error (Connect)",
            Some(Box::new(std::io::Error::from(
                std::io::ErrorKind::ConnectionRefused,
            ))),
        );
        assert_eq!(
            connect_failure("127.0.0.1", &refused),
            "the connection could not be established"
        );
        assert_eq!(
            connect_failure("h", &Chain("invalid peer certificate: UnknownIssuer", None)),
            "the TLS handshake failed"
        );
        assert_eq!(
            connect_failure("h", &Chain("something else", None)),
            "the connection could not be established"
        );
    }
}
