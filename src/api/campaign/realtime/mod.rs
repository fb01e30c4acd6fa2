//! `CampaignRealtime`: one row of the real-time `campaigns` report, and `CampaignStatus`.

use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::decode::envelope::Scalar;
use crate::decode::percentage;

mod de;

/// Whether the dialler works on a campaign, as the `status` column says it.
///
/// Parsed case-insensitively, spaces trimmed; any other text is kept in
/// [`Other`](Self::Other). A campaign stays `Started` after its last record was dialled:
/// see [`CampaignRealtime::is_finished`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CampaignStatus {
    /// `started`: the dialler is calling its records.
    Started,
    /// `stopped`.
    Stopped,
    /// Any other value, as sent (trimmed; empty when blank).
    Other(String),
}

impl CampaignStatus {
    /// Parses the wire value.
    ///
    /// ```
    /// use wolkvox::campaign::CampaignStatus;
    /// assert_eq!(CampaignStatus::parse(" Started "), CampaignStatus::Started);
    /// assert_eq!(CampaignStatus::parse("paused"), CampaignStatus::Other("paused".into()));
    /// ```
    pub fn parse(raw: &str) -> Self {
        let trimmed = raw.trim();
        if trimmed.eq_ignore_ascii_case("started") {
            CampaignStatus::Started
        } else if trimmed.eq_ignore_ascii_case("stopped") {
            CampaignStatus::Stopped
        } else {
            CampaignStatus::Other(trimmed.to_owned())
        }
    }

    /// The status as the service spells it (`"started"`, `"stopped"`; `Other` as sent).
    pub fn as_str(&self) -> &str {
        match self {
            CampaignStatus::Started => "started",
            CampaignStatus::Stopped => "stopped",
            CampaignStatus::Other(text) => text,
        }
    }
}

impl fmt::Display for CampaignStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Parses like [`CampaignStatus::parse`]; never fails.
impl FromStr for CampaignStatus {
    type Err = Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(CampaignStatus::parse(s))
    }
}

impl Serialize for CampaignStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for CampaignStatus {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Ok(CampaignStatus::parse(&text))
    }
}

/// The real-time figures of one outbound campaign (`real_time.php?api=campaigns`), from
/// [`Campaign::status`](super::Campaign::status) and
/// [`WolkvoxClient::campaigns_realtime`](crate::WolkvoxClient::campaigns_realtime).
///
/// The wire has no id column: `campaign` reads `"{id} - {name} - {percentage}"`
/// (`"4711 - COBRANZA JUNIO - 62.50 %"`). The id is the text before the first `" - "`, the
/// name the text up to the last `" - "` (a name may hold `" - "` itself), the percentage
/// what follows it; with a single `" - "`, everything after it is the name. Counts are `u32`
/// (blank is 0), percentages in percent points.
///
/// Serializes to clean JSON (English names, numbers; `busy/congestion/failed` is
/// `busy_congestion_failed`) and reads that JSON back, as well as the wire's row. Unknown
/// columns are ignored; a row without `campaign` (or `campaign_id`) is an error.
///
/// ```
/// let mut row = wolkvox::campaign::CampaignRealtime::new(4711, "COBRANZA JUNIO");
/// row.records = 120;
/// row.dial = 120;
/// assert!(row.is_finished());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CampaignRealtime {
    /// The campaign's id, from the start of `campaign`.
    pub campaign_id: u32,
    /// The campaign's name, from `campaign`.
    pub campaign_name: String,
    /// The percentage `campaign` ends with (the dialling progress); `None` when it has none.
    pub percentage: Option<f64>,
    /// Whether the dialler works on it.
    pub status: CampaignStatus,
    /// The dialling speed, 0 to 100.
    pub speed: u32,
    /// The skill the campaign's calls go to; `None` when blank.
    pub skill_id: Option<u32>,
    /// Records in the campaign.
    pub records: u32,
    /// Records not yet called.
    pub clean: u32,
    /// Records dialled.
    pub dial: u32,
    /// Calls answered.
    pub answer: u32,
    /// Calls not answered.
    pub no_answer: u32,
    /// Calls busy, congested or failed (the wire key `busy/congestion/failed`).
    pub busy_congestion_failed: u32,
    /// Calls an answering machine took.
    pub answer_machine: u32,
    /// Penetration today, percent points.
    pub penetration_day: f64,
    /// Penetration now, percent points.
    pub penetration_now: f64,
    /// Hits (effective contacts).
    pub hits: u32,
    /// Calls per minute.
    pub calls_x_min: f64,
    /// Times the campaign was recycled.
    pub recycled: u32,
}

impl CampaignRealtime {
    /// A row with this id and name, `Stopped`, and every figure at zero (for tests and the
    /// simulator).
    pub fn new(campaign_id: u32, campaign_name: impl Into<String>) -> Self {
        CampaignRealtime {
            campaign_id,
            campaign_name: campaign_name.into(),
            percentage: None,
            status: CampaignStatus::Stopped,
            speed: 0,
            skill_id: None,
            records: 0,
            clean: 0,
            dial: 0,
            answer: 0,
            no_answer: 0,
            busy_congestion_failed: 0,
            answer_machine: 0,
            penetration_day: 0.0,
            penetration_now: 0.0,
            hits: 0,
            calls_x_min: 0.0,
            recycled: 0,
        }
    }

    /// Whether every record was dialled: nothing `clean` is left and `dial` reached
    /// `records` (the status stays `started` after the last dial, so it says nothing).
    pub fn is_finished(&self) -> bool {
        self.clean == 0 && self.dial >= self.records
    }
}

/// The id, name and percentage of a `campaign` value; `None` when it does not start with an
/// id.
pub(crate) fn split_campaign(text: &str) -> Option<(u32, &str, Option<f64>)> {
    const SEP: &str = " - ";
    let text = text.trim();
    let (id, rest) = match text.split_once(SEP) {
        Some((id, rest)) => (id, rest),
        None => (text, ""),
    };
    let id = id.trim();
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let id = id.parse().ok()?;
    let (name, percentage) = match rest.rsplit_once(SEP) {
        Some((name, tail)) => (name, percentage(&Scalar::Str(tail.into())).ok()),
        None => (rest, None),
    };
    Some((id, name.trim(), percentage))
}
