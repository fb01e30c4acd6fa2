//! `AgentRealtime`: one row of the Agents real-time report (`api=agents`).

use std::fmt;
use std::time::Duration;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use super::AgentStatus;
use crate::de::Lenient;
use crate::decode;

/// The real-time state and today's figures of one logged-in agent, as returned by
/// [`WolkvoxClient::agents`](crate::WolkvoxClient::agents) and
/// [`WolkvoxClient::agent`](crate::WolkvoxClient::agent).
///
/// Counts are today's totals. Times are [`Duration`]s, read from `HH:MM:SS` (hours may exceed
/// 24), `MM:SS` or plain seconds; blanks are zero. The wire's `ocupation` (sic) is
/// [`occupancy`](AgentRealtime::occupancy), in percent points.
///
/// Serializes with durations as whole seconds, and deserializes from that same JSON (the
/// wire's `ocupation` is accepted for `occupancy` too) as well as from a row as the service
/// sends it.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
    #[serde(serialize_with = "crate::de::serialize_duration")]
    pub time_state_now: Duration,
    /// Time in `Ready` today.
    #[serde(serialize_with = "crate::de::serialize_duration")]
    pub ready_time: Duration,
    /// Time on inbound calls today.
    #[serde(serialize_with = "crate::de::serialize_duration")]
    pub inbound_time: Duration,
    /// Time on outbound calls today.
    #[serde(serialize_with = "crate::de::serialize_duration")]
    pub outbound_time: Duration,
    /// Time in after-call work today.
    #[serde(serialize_with = "crate::de::serialize_duration")]
    pub acw_time: Duration,
    /// Time ringing today.
    #[serde(serialize_with = "crate::de::serialize_duration")]
    pub ring_time: Duration,
    /// Time logged in today.
    #[serde(serialize_with = "crate::de::serialize_duration")]
    pub login_time: Duration,
    /// Average handling time.
    #[serde(serialize_with = "crate::de::serialize_duration")]
    pub aht_time: Duration,
    /// Time in auxiliary states today.
    #[serde(serialize_with = "crate::de::serialize_duration")]
    pub aux_time: Duration,
    /// Occupancy in percent points (the wire field `ocupation`).
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

impl<'de> Deserialize<'de> for AgentRealtime {
    /// Reads the wire row (strings in the live formats, blanks as 0, `ocupation`) and this
    /// type's own serialization alike. The first of a column sent twice (or under both of its
    /// names) wins; unknown columns are ignored; a missing `agent_id` is an error.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_struct("AgentRealtime", FIELDS, AgentVisitor)
    }
}

/// The fields in the order this type serializes them.
pub(super) const FIELDS: &[&str] = &[
    "agent_id",
    "agent_name",
    "agent_status",
    "calls",
    "inbound",
    "outbound",
    "internal",
    "time_state_now",
    "ready_time",
    "inbound_time",
    "outbound_time",
    "acw_time",
    "ring_time",
    "login_time",
    "aht_time",
    "aux_time",
    "occupancy",
];

/// A column of the row, wire and own names alike. The number is the column's bit in the set
/// of columns already read.
enum Column {
    Id,
    Name,
    Status,
    Count(u32, fn(&mut AgentRealtime) -> &mut u32),
    Duration(u32, fn(&mut AgentRealtime) -> &mut Duration),
    Occupancy,
    Ignored,
}

impl Column {
    fn of(name: &str) -> Column {
        match name {
            "agent_id" => Column::Id,
            "agent_name" => Column::Name,
            "agent_status" => Column::Status,
            "calls" => Column::Count(1 << 3, |a| &mut a.calls),
            "inbound" => Column::Count(1 << 4, |a| &mut a.inbound),
            "outbound" => Column::Count(1 << 5, |a| &mut a.outbound),
            "internal" => Column::Count(1 << 6, |a| &mut a.internal),
            "time_state_now" => Column::Duration(1 << 7, |a| &mut a.time_state_now),
            "ready_time" => Column::Duration(1 << 8, |a| &mut a.ready_time),
            "inbound_time" => Column::Duration(1 << 9, |a| &mut a.inbound_time),
            "outbound_time" => Column::Duration(1 << 10, |a| &mut a.outbound_time),
            "acw_time" => Column::Duration(1 << 11, |a| &mut a.acw_time),
            "ring_time" => Column::Duration(1 << 12, |a| &mut a.ring_time),
            "login_time" => Column::Duration(1 << 13, |a| &mut a.login_time),
            "aht_time" => Column::Duration(1 << 14, |a| &mut a.aht_time),
            "aux_time" => Column::Duration(1 << 15, |a| &mut a.aux_time),
            "ocupation" | "occupancy" => Column::Occupancy,
            _ => Column::Ignored,
        }
    }

    /// The column's bit; 0 for the ignored ones.
    fn bit(&self) -> u32 {
        match self {
            Column::Id => 1,
            Column::Name => 1 << 1,
            Column::Status => 1 << 2,
            Column::Count(bit, _) | Column::Duration(bit, _) => *bit,
            Column::Occupancy => 1 << 16,
            Column::Ignored => 0,
        }
    }
}

impl<'de> Deserialize<'de> for Column {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ColumnVisitor;
        impl Visitor<'_> for ColumnVisitor {
            type Value = Column;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a column name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Column, E> {
                Ok(Column::of(v))
            }
        }
        deserializer.deserialize_identifier(ColumnVisitor)
    }
}

struct AgentVisitor;

impl<'de> Visitor<'de> for AgentVisitor {
    type Value = AgentRealtime;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an agent row (an object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AgentRealtime, A::Error> {
        let mut agent = AgentRealtime::new(0, String::new());
        agent.agent_status = AgentStatus::parse("");
        let mut agent_id = None;
        let mut seen = 0u32;
        while let Some(column) = map.next_key::<Column>()? {
            let bit = column.bit();
            if seen & bit != 0 {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            seen |= bit;
            match column {
                Column::Id => agent_id = Some(map.next_value_seed(Lenient(decode::id))?),
                Column::Name => agent.agent_name = map.next_value_seed(Lenient(decode::text))?,
                Column::Status => {
                    let status = map.next_value_seed(Lenient(decode::text))?;
                    agent.agent_status = AgentStatus::parse(&status);
                }
                Column::Count(_, field) => {
                    *field(&mut agent) = map.next_value_seed(Lenient(decode::count))?;
                }
                Column::Duration(_, field) => {
                    *field(&mut agent) = map.next_value_seed(Lenient(decode::duration))?;
                }
                Column::Occupancy => {
                    agent.occupancy = map.next_value_seed(Lenient(decode::percentage))?;
                }
                Column::Ignored => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        agent.agent_id = agent_id.ok_or_else(|| de::Error::missing_field("agent_id"))?;
        Ok(agent)
    }

    /// The fields in order, as formats without field names (bincode, ...) write them:
    /// durations as whole seconds.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<AgentRealtime, A::Error> {
        macro_rules! next {
            ($index:literal) => {
                seq.next_element()?
                    .ok_or_else(|| de::Error::invalid_length($index, &self))?
            };
            ($index:literal seconds) => {
                Duration::from_secs(next!($index))
            };
        }
        Ok(AgentRealtime {
            agent_id: next!(0),
            agent_name: next!(1),
            agent_status: next!(2),
            calls: next!(3),
            inbound: next!(4),
            outbound: next!(5),
            internal: next!(6),
            time_state_now: next!(7 seconds),
            ready_time: next!(8 seconds),
            inbound_time: next!(9 seconds),
            outbound_time: next!(10 seconds),
            acw_time: next!(11 seconds),
            ring_time: next!(12 seconds),
            login_time: next!(13 seconds),
            aht_time: next!(14 seconds),
            aux_time: next!(15 seconds),
            occupancy: next!(16),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
