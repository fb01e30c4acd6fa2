//! What a campaign refusal means: the stable fragments of the service's messages, and the two
//! numbers of the licence message.

use crate::error::Error;

/// The licence bound on a campaign upload, read from the service's refusal "You are uploading
/// (66401) records to the system. According to quantity active licenses, You can upload 50000
/// records. Try again.".
///
/// `uploading` counts the records already in the system plus the batch sent (the refusal was
/// seen for batches of 1 to 3 records), so the room left is `allowed` minus the records
/// already there, which the message does not say; [`excess`](Self::excess) is how many are
/// too many.
///
/// ```
/// use wolkvox::campaign::LicenceLimit;
/// let limit = LicenceLimit::parse(
///     "You are uploading (66401) records to the system. According to quantity active \
///      licenses, You can upload 50000 records. Try again.",
/// );
/// assert_eq!(limit, Some(LicenceLimit { uploading: 66_401, allowed: 50_000 }));
/// assert_eq!(limit.map(|l| l.excess()), Some(16_401));
/// assert_eq!(LicenceLimit::parse("Campaign_id 26687 does not exist"), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LicenceLimit {
    /// The records the upload would bring the total to.
    pub uploading: u64,
    /// The records the operation's active licences allow.
    pub allowed: u64,
}

impl LicenceLimit {
    /// The two numbers of the licence message, when `message` is one (it mentions licences,
    /// and carries a number after "uploading" and one after "can upload"). Never panics,
    /// whatever the text.
    pub fn parse(message: &str) -> Option<LicenceLimit> {
        let lower = message.to_ascii_lowercase();
        if !lower.contains("licen") {
            return None;
        }
        let uploading = number_after(&lower, "uploading")?;
        let allowed = number_after(&lower, "can upload")?;
        Some(LicenceLimit { uploading, allowed })
    }

    /// The licence numbers of a refusal: an [`Error::Rejected`] whose message is the licence
    /// message (see [`parse`](Self::parse)).
    pub fn from_error(error: &Error) -> Option<LicenceLimit> {
        match error {
            Error::Rejected { message, .. } => LicenceLimit::parse(message),
            _ => None,
        }
    }

    /// How many records too many: `uploading - allowed` (0 if not above).
    pub fn excess(&self) -> u64 {
        self.uploading.saturating_sub(self.allowed)
    }
}

/// The first run of ASCII digits after `marker` in `text` (ASCII lower case), skipping
/// anything else in between (spaces, a parenthesis); `None` if there is none or it does not
/// fit a `u64`.
pub(crate) fn number_after(text: &str, marker: &str) -> Option<u64> {
    let at = text.find(marker)? + marker.len();
    first_number(text.get(at..)?)
}

/// The first run of ASCII digits in `text`, when it fits a `u64`.
pub(crate) fn first_number(text: &str) -> Option<u64> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let rest = &text[start..];
    let end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    rest[..end].parse().ok()
}

/// Why the service refused a campaign request, from the stable fragments of its message (the
/// wording around them varies). [`Refusal::of`] reads it from an [`Error::Rejected`].
///
/// ```
/// use wolkvox::campaign::Refusal;
/// assert_eq!(
///     Refusal::parse("You must turn off a predictive before starting this one, you currently have 2 active predictives"),
///     Refusal::ActivePredictives { active: Some(2) }
/// );
/// assert_eq!(
///     Refusal::parse("Campaign_id 26687 does not exist in your operation."),
///     Refusal::UnknownCampaign
/// );
/// assert_eq!(Refusal::parse("something new"), Refusal::Other);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Refusal {
    /// "Campaign_id N does not exist in your operation.": a wrong id, or another operation's.
    UnknownCampaign,
    /// "... please validate the data": records the service refused (an upload, with the
    /// per-record errors), or a start it refused without saying why.
    InvalidData,
    /// "According to quantity active licenses, You can upload N records": the licence bound
    /// on the campaign's records.
    LicenceLimit(LicenceLimit),
    /// "You must turn off a predictive before starting this one, you currently have N active
    /// predictives": stop another predictive campaign first.
    ActivePredictives {
        /// The active predictive campaigns the message counts.
        active: Option<u32>,
    },
    /// Any other message.
    Other,
}

impl Refusal {
    /// The refusal a service message describes.
    pub fn parse(message: &str) -> Refusal {
        let lower = message.to_ascii_lowercase();
        if let Some(limit) = LicenceLimit::parse(message) {
            Refusal::LicenceLimit(limit)
        } else if lower.contains("does not exist in your operation") {
            Refusal::UnknownCampaign
        } else if lower.contains("turn off a predictive") {
            let active = lower.find("active predictive").and_then(|end| {
                let head = lower.get(..end)?.trim_end();
                let digits = head.len() - head.bytes().rev().take_while(u8::is_ascii_digit).count();
                head.get(digits..)?.parse().ok()
            });
            Refusal::ActivePredictives { active }
        } else if lower.contains("please validate the data") {
            Refusal::InvalidData
        } else {
            Refusal::Other
        }
    }

    /// The refusal of an [`Error::Rejected`]; `None` for any other error.
    pub fn of(error: &Error) -> Option<Refusal> {
        match error {
            Error::Rejected { message, .. } => Some(Refusal::parse(message)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn licence_numbers_from_the_real_messages_and_odd_text() {
        let real = "You are uploading (66397) records to the system. According to quantity \
                    active licenses, You can upload 50000 records. Try again.";
        assert_eq!(
            LicenceLimit::parse(real),
            Some(LicenceLimit {
                uploading: 66_397,
                allowed: 50_000
            })
        );
        for odd in [
            "",
            "licence",
            "licenses: uploading",
            "licenses uploading (",
            "licenses uploading (99999999999999999999999) can upload 1",
            "licenses uploading (12) can upload",
            "ñññ licen uploading ñ(5) can uploadñ 6ñ",
        ] {
            let _ = LicenceLimit::parse(odd);
            let _ = Refusal::parse(odd);
        }
        assert_eq!(
            LicenceLimit::parse("ñññ licen uploading ñ(5) can uploadñ 6ñ"),
            Some(LicenceLimit {
                uploading: 5,
                allowed: 6
            })
        );
        assert_eq!(
            LicenceLimit::parse("licenses uploading (12) can upload"),
            None
        );
    }

    #[test]
    fn refusals_by_their_stable_fragments() {
        assert_eq!(
            Refusal::parse("0 records has been added, please validate the data"),
            Refusal::InvalidData
        );
        assert_eq!(
            Refusal::parse("The campaign has not been started, please validate the data"),
            Refusal::InvalidData
        );
        assert_eq!(
            Refusal::parse("you must TURN OFF A PREDICTIVE first"),
            Refusal::ActivePredictives { active: None }
        );
        let rejected = Error::Rejected {
            status: 404,
            message: "Campaign_id 1 does not exist in your operation.".into(),
            details: None,
            attempts: 1,
        };
        assert_eq!(Refusal::of(&rejected), Some(Refusal::UnknownCampaign));
        assert_eq!(LicenceLimit::from_error(&rejected), None);
        assert_eq!(Refusal::of(&Error::invalid_request("x")), None);
    }
}
