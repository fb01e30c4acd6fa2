//! A copy of an [`Error`] whose underlying causes become text: `Error` is not `Clone` (its
//! sources are the HTTP and JSON libraries' errors), but values that hold one, such as a
//! campaign upload's batch outcomes, are.

use std::fmt;

use super::{Error, Source};

impl Error {
    /// The same error; each `source` is replaced by a [`SourceText`] with its text (and its
    /// own sources' text, in order), so `Display` and the `source()` chain read the same.
    pub(crate) fn duplicate(&self) -> Error {
        match self {
            Error::Config { message, source } => Error::Config {
                message: message.clone(),
                source: source.as_deref().map(text_of),
            },
            Error::InvalidRequest { message } => Error::InvalidRequest {
                message: message.clone(),
            },
            Error::Unauthorized {
                status,
                message,
                attempts,
            } => Error::Unauthorized {
                status: *status,
                message: message.clone(),
                attempts: *attempts,
            },
            Error::QuotaExceeded {
                status,
                message,
                attempts,
            } => Error::QuotaExceeded {
                status: *status,
                message: message.clone(),
                attempts: *attempts,
            },
            Error::ConcurrencyLimited {
                status,
                message,
                retry_after,
                attempts,
            } => Error::ConcurrencyLimited {
                status: *status,
                message: message.clone(),
                retry_after: *retry_after,
                attempts: *attempts,
            },
            Error::NotFound {
                status,
                message,
                attempts,
            } => Error::NotFound {
                status: *status,
                message: message.clone(),
                attempts: *attempts,
            },
            Error::Api {
                status,
                http_status,
                code,
                message,
                retry_after,
                attempts,
            } => Error::Api {
                status: *status,
                http_status: *http_status,
                code: *code,
                message: message.clone(),
                retry_after: *retry_after,
                attempts: *attempts,
            },
            Error::Decode {
                path,
                raw,
                message,
                attempts,
                source,
            } => Error::Decode {
                path: path.clone(),
                raw: raw.clone(),
                message: message.clone(),
                attempts: *attempts,
                source: source.as_deref().map(text_of),
            },
            Error::Timeout {
                timeout,
                attempts,
                waiting_for_turn,
            } => Error::Timeout {
                timeout: *timeout,
                attempts: *attempts,
                waiting_for_turn: *waiting_for_turn,
            },
            Error::Transport {
                host,
                message,
                attempts,
                source,
            } => Error::Transport {
                host: host.clone(),
                message: message.clone(),
                attempts: *attempts,
                source: source.as_deref().map(text_of),
            },
            Error::TooManyRecords {
                report,
                from,
                to,
                limit,
            } => Error::TooManyRecords {
                report: report.clone(),
                from: *from,
                to: *to,
                limit: *limit,
            },
            Error::OutcomeUnknown {
                endpoint,
                api,
                source,
            } => Error::OutcomeUnknown {
                endpoint: endpoint.clone(),
                api: api.clone(),
                source: Box::new(source.duplicate()),
            },
            Error::Rejected {
                status,
                message,
                details,
                attempts,
            } => Error::Rejected {
                status: *status,
                message: message.clone(),
                details: details.clone(),
                attempts: *attempts,
            },
            Error::ResponseTooLarge { limit, attempts } => Error::ResponseTooLarge {
                limit: *limit,
                attempts: *attempts,
            },
            Error::BudgetExhausted {
                used,
                budget,
                day,
                resets_at,
                attempts,
            } => Error::BudgetExhausted {
                used: *used,
                budget: *budget,
                day: *day,
                resets_at: resets_at.clone(),
                attempts: *attempts,
            },
            Error::SharedLimits {
                message,
                attempts,
                source,
            } => Error::SharedLimits {
                message: message.clone(),
                attempts: *attempts,
                source: source.as_deref().map(text_of),
            },
        }
    }
}

/// `error` as text, with its sources as text too.
fn text_of(error: &(dyn std::error::Error + Send + Sync + 'static)) -> Source {
    Box::new(SourceText {
        text: error.to_string(),
        source: error.source().map(|inner| Box::new(chain_of(inner))),
    })
}

fn chain_of(error: &(dyn std::error::Error + 'static)) -> SourceText {
    SourceText {
        text: error.to_string(),
        source: error.source().map(|inner| Box::new(chain_of(inner))),
    }
}

/// The text of an error (and of its sources), standing in for it in a copy.
#[derive(Debug)]
struct SourceText {
    text: String,
    source: Option<Box<SourceText>>,
}

impl fmt::Display for SourceText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::error::Error for SourceText {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|s| s as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use super::*;

    #[test]
    fn a_copy_reads_the_same_with_its_source_chain() {
        let parse = serde_json::from_str::<u32>("x").unwrap_err();
        let original = Error::OutcomeUnknown {
            endpoint: "campaign.php".into(),
            api: "add_record".into(),
            source: Box::new(Error::decode(
                "body",
                "x",
                "expected JSON",
                Some(Box::new(parse)),
            )),
        };
        let copy = original.duplicate();
        assert_eq!(copy.to_string(), original.to_string());
        let (a, b) = (original.source().unwrap(), copy.source().unwrap());
        assert_eq!(a.to_string(), b.to_string());
        assert_eq!(
            a.source().unwrap().to_string(),
            b.source().unwrap().to_string()
        );
        assert_eq!(copy.kind(), "outcome_unknown");
    }
}
