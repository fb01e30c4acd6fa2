//! `AgentStatus`: the `agent_status` column of the Agents real-time report.

use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An agent's current state, as the `agent_status` column says it.
///
/// Parsed case-insensitively, with surrounding spaces removed. Any other value (an aux reason
/// such as `"Almuerzo"`, a state added by the vendor later, or a blank) is kept as
/// [`Other`](AgentStatus::Other) with its trimmed text, so decoding never fails on it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AgentStatus {
    /// Available for the next interaction (`Ready`).
    Ready,
    /// On an inbound call (`Inbound`).
    Inbound,
    /// On an outbound call (`Outbound`).
    Outbound,
    /// After-call work (`ACW`).
    Acw,
    /// A call is ringing at the agent (`Ring`).
    Ring,
    /// In an auxiliary (not available) state without a named reason (`Aux`).
    Aux,
    /// Any other state, e.g. an aux reason name; the text as sent (trimmed; empty when blank).
    Other(String),
}

impl AgentStatus {
    /// Parses the wire value.
    ///
    /// ```
    /// use wolkvox::AgentStatus;
    /// assert_eq!(AgentStatus::parse(" acw "), AgentStatus::Acw);
    /// assert_eq!(AgentStatus::parse("Almuerzo"), AgentStatus::Other("Almuerzo".into()));
    /// ```
    pub fn parse(raw: &str) -> Self {
        let trimmed = raw.trim();
        const KNOWN: [(&str, AgentStatus); 6] = [
            ("ready", AgentStatus::Ready),
            ("inbound", AgentStatus::Inbound),
            ("outbound", AgentStatus::Outbound),
            ("acw", AgentStatus::Acw),
            ("ring", AgentStatus::Ring),
            ("aux", AgentStatus::Aux),
        ];
        KNOWN
            .into_iter()
            .find(|(name, _)| trimmed.eq_ignore_ascii_case(name))
            .map_or_else(|| AgentStatus::Other(trimmed.to_owned()), |(_, s)| s)
    }

    /// The state as the service spells it (`"Ready"`, `"ACW"`, ...; `Other` as sent).
    pub fn as_str(&self) -> &str {
        match self {
            AgentStatus::Ready => "Ready",
            AgentStatus::Inbound => "Inbound",
            AgentStatus::Outbound => "Outbound",
            AgentStatus::Acw => "ACW",
            AgentStatus::Ring => "Ring",
            AgentStatus::Aux => "Aux",
            AgentStatus::Other(text) => text,
        }
    }

    /// True when the agent is on an interaction (inbound, outbound or ringing).
    pub fn is_busy(&self) -> bool {
        matches!(
            self,
            AgentStatus::Inbound | AgentStatus::Outbound | AgentStatus::Ring
        )
    }
}

impl fmt::Display for AgentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Parses the wire's spelling, like [`AgentStatus::parse`]; never fails (unknown states are
/// [`Other`](AgentStatus::Other)).
///
/// ```
/// use wolkvox::AgentStatus;
/// let status: AgentStatus = "ACW".parse().unwrap();
/// assert_eq!(status, AgentStatus::Acw);
/// assert_eq!(status.to_string().parse::<AgentStatus>(), Ok(status));
/// ```
impl FromStr for AgentStatus {
    type Err = Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(AgentStatus::parse(s))
    }
}

impl Serialize for AgentStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for AgentStatus {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Ok(AgentStatus::parse(&text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_parse_case_insensitively_and_keep_unknown_text() {
        assert_eq!(AgentStatus::parse("Ready"), AgentStatus::Ready);
        assert_eq!(AgentStatus::parse("INBOUND"), AgentStatus::Inbound);
        assert_eq!(AgentStatus::parse(" outbound "), AgentStatus::Outbound);
        assert_eq!(AgentStatus::parse("ACW"), AgentStatus::Acw);
        assert_eq!(AgentStatus::parse("ring"), AgentStatus::Ring);
        assert_eq!(AgentStatus::parse("Aux"), AgentStatus::Aux);
        assert_eq!(
            AgentStatus::parse(" Capacitacion "),
            AgentStatus::Other("Capacitacion".into())
        );
        assert_eq!(AgentStatus::parse(""), AgentStatus::Other(String::new()));
        assert_eq!(AgentStatus::Acw.to_string(), "ACW");
        assert_eq!(AgentStatus::Other("Almuerzo".into()).as_str(), "Almuerzo");
        assert!(AgentStatus::Ring.is_busy());
        assert!(!AgentStatus::Aux.is_busy());
    }

    #[test]
    fn status_round_trips_through_its_wire_spelling() {
        for status in [
            AgentStatus::Ready,
            AgentStatus::Inbound,
            AgentStatus::Outbound,
            AgentStatus::Acw,
            AgentStatus::Ring,
            AgentStatus::Aux,
            AgentStatus::Other("Capacitacion".into()),
        ] {
            let text = status.to_string();
            assert_eq!(text.parse::<AgentStatus>(), Ok(status.clone()));
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(serde_json::from_str::<AgentStatus>(&json).unwrap(), status);
        }
        assert_eq!(AgentStatus::Acw.to_string(), "ACW");
        assert_eq!("acw".parse::<AgentStatus>(), Ok(AgentStatus::Acw));
    }
}
