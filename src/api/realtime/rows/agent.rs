//! `AgentRealtime`: one row of the Agents real-time report (`api=agents`).

use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::FromRow;
use crate::decode::{RowReader, count, duration, id, percentage, text};
use crate::error::Error;

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

/// Durations as whole seconds, both ways.
mod seconds {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(
        value: &Duration,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(value.as_secs())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Duration, D::Error> {
        u64::deserialize(deserializer).map(Duration::from_secs)
    }
}

/// The real-time state and today's figures of one logged-in agent, as returned by
/// [`WolkvoxClient::agents`](crate::WolkvoxClient::agents) and
/// [`WolkvoxClient::agent`](crate::WolkvoxClient::agent).
///
/// Counts are today's totals. Times are [`Duration`]s, read from `HH:MM:SS` (hours may exceed
/// 24), `MM:SS` or plain seconds; blanks are zero. The wire's `ocupation` (sic) is
/// [`occupancy`](AgentRealtime::occupancy), in percent points.
///
/// Serializes with durations as whole seconds, and deserializes from that same JSON (the
/// wire's `ocupation` is accepted for `occupancy` too).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AgentRealtime {
    /// The agent's numeric id.
    pub agent_id: u32,
    /// The agent's name, trimmed.
    pub agent_name: String,
    /// The current state.
    pub agent_status: AgentStatus,
    /// Calls today, all directions.
    pub calls: u32,
    /// Inbound calls today.
    pub inbound: u32,
    /// Outbound calls today.
    pub outbound: u32,
    /// Internal calls today.
    pub internal: u32,
    /// Time in the current state.
    #[serde(with = "seconds")]
    pub time_state_now: Duration,
    /// Time in `Ready` today.
    #[serde(with = "seconds")]
    pub ready_time: Duration,
    /// Time on inbound calls today.
    #[serde(with = "seconds")]
    pub inbound_time: Duration,
    /// Time on outbound calls today.
    #[serde(with = "seconds")]
    pub outbound_time: Duration,
    /// Time in after-call work today.
    #[serde(with = "seconds")]
    pub acw_time: Duration,
    /// Time ringing today.
    #[serde(with = "seconds")]
    pub ring_time: Duration,
    /// Time logged in today.
    #[serde(with = "seconds")]
    pub login_time: Duration,
    /// Average handling time.
    #[serde(with = "seconds")]
    pub aht_time: Duration,
    /// Time in auxiliary states today.
    #[serde(with = "seconds")]
    pub aux_time: Duration,
    /// Occupancy in percent points (the wire field `ocupation`).
    #[serde(alias = "ocupation")]
    pub occupancy: f64,
}

impl AgentRealtime {
    /// A record with the given id and name, state `Ready`, and every figure at zero; set the
    /// public fields to fill it in (useful for tests and for [`mock`](crate::mock)).
    pub fn new(agent_id: u32, agent_name: impl Into<String>) -> Self {
        AgentRealtime {
            agent_id,
            agent_name: agent_name.into(),
            agent_status: AgentStatus::Ready,
            calls: 0,
            inbound: 0,
            outbound: 0,
            internal: 0,
            time_state_now: Duration::ZERO,
            ready_time: Duration::ZERO,
            inbound_time: Duration::ZERO,
            outbound_time: Duration::ZERO,
            acw_time: Duration::ZERO,
            ring_time: Duration::ZERO,
            login_time: Duration::ZERO,
            aht_time: Duration::ZERO,
            aux_time: Duration::ZERO,
            occupancy: 0.0,
        }
    }

    /// The occupancy under the wire's spelling (`ocupation`); same as
    /// [`occupancy`](AgentRealtime::occupancy).
    pub fn ocupation(&self) -> f64 {
        self.occupancy
    }
}

impl FromRow for AgentRealtime {
    fn from_row(row: &RowReader<'_, '_>) -> Result<Self, Error> {
        Ok(AgentRealtime {
            agent_id: row.parse("agent_id", id)?,
            agent_name: row.parse("agent_name", text)?,
            agent_status: AgentStatus::parse(&row.parse("agent_status", text)?),
            calls: row.parse("calls", count)?,
            inbound: row.parse("inbound", count)?,
            outbound: row.parse("outbound", count)?,
            internal: row.parse("internal", count)?,
            time_state_now: row.parse("time_state_now", duration)?,
            ready_time: row.parse("ready_time", duration)?,
            inbound_time: row.parse("inbound_time", duration)?,
            outbound_time: row.parse("outbound_time", duration)?,
            acw_time: row.parse("acw_time", duration)?,
            ring_time: row.parse("ring_time", duration)?,
            login_time: row.parse("login_time", duration)?,
            aht_time: row.parse("aht_time", duration)?,
            aux_time: row.parse("aux_time", duration)?,
            occupancy: row.parse("ocupation", percentage)?,
        })
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
    fn serializes_durations_as_seconds_and_status_as_text() {
        let mut agent = AgentRealtime::new(7, "Ana");
        agent.agent_status = AgentStatus::Acw;
        agent.time_state_now = Duration::from_secs(95);
        agent.occupancy = 81.5;
        let json = serde_json::to_value(&agent).unwrap();
        assert_eq!(json["agent_status"], "ACW");
        assert_eq!(json["time_state_now"], 95);
        assert_eq!(json["login_time"], 0);
        assert_eq!(json["occupancy"], 81.5);
        assert_eq!(agent.ocupation(), 81.5);
    }

    #[test]
    fn deserializes_from_its_own_serialize_output() {
        let mut agent = AgentRealtime::new(1005, "Mariana Lopez");
        agent.agent_status = AgentStatus::Other("Almuerzo".into());
        agent.calls = 34;
        agent.time_state_now = Duration::from_secs(1412);
        agent.login_time = Duration::from_secs(97 * 3600 + 5);
        agent.occupancy = 63.12;
        let json = serde_json::to_string(&agent).unwrap();
        let back: AgentRealtime = serde_json::from_str(&json).unwrap();
        assert_eq!(back, agent);
        let with_wire_spelling = json.replace("\"occupancy\"", "\"ocupation\"");
        let back: AgentRealtime = serde_json::from_str(&with_wire_spelling).unwrap();
        assert_eq!(back.occupancy, 63.12);
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
