//! `AgentSummary`: one row of `agent_1`, an agent's totals over the range.

use std::time::Duration;

use jiff::civil::DateTime;
use serde::{Deserialize, Serialize};

/// One agent's totals over the whole range of an `agent_1` report.
///
/// Totals cannot be added up across ranges (an average or a percentage over two days is not
/// the sum of each day's), so query the exact period you report on. Times are durations
/// (the wire sends `"HH:MM:SS"`, hours unpadded or above 24); `occupancy` is in percent points
/// (`"34.64 %"` is `34.64`). A blank count or time is zero; a blank `login`/`logout` is `None`.
///
/// Natural key: `agent_id` within one answer. Read per day
/// ([`per_day`](crate::reports::ReportRequest::per_day)), a row is keyed by `(day, agent_id)`,
/// the day being its window's (`window.from.date()`: the row itself carries no date); the
/// summary row with id `TOTAL` is dropped by the typed decode.
///
/// Reads the wire columns (`aht_outbund`, `occupancy` or `ocupation`) and its own
/// serialization (the English field names below).
///
/// ```
/// use std::time::Duration;
///
/// use wolkvox::reports::AgentSummary;
///
/// let row: AgentSummary = serde_json::from_str(
///     r#"{"agent_id": "12530", "agent_name": "LAURA MEJIA", "calls": "41",
///         "login_time": "8:03:10", "aht_outbund": "00:02:04", "occupancy": "87,20 %",
///         "hits": "-", "login": "2026-08-12 07:58:31", "logout": ""}"#,
/// )?;
/// assert_eq!(row.agent_id, 12530);
/// assert_eq!(row.login_time, Duration::from_secs(8 * 3600 + 3 * 60 + 10));
/// assert_eq!(row.aht_outbound, Duration::from_secs(124));
/// assert_eq!(row.occupancy, 87.2);
/// assert_eq!(row.hits, 0);
/// assert_eq!(row.logout, None);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AgentSummary {
    /// The agent's numeric id.
    #[serde(deserialize_with = "crate::de::id")]
    pub agent_id: u32,
    /// The agent's national id (document) number, as text.
    #[serde(default, deserialize_with = "crate::de::text")]
    pub agent_dni: String,
    /// The agent's name.
    #[serde(default, deserialize_with = "crate::de::text")]
    pub agent_name: String,
    /// Calls handled.
    #[serde(default, deserialize_with = "crate::de::count")]
    pub calls: u32,
    /// Inbound calls handled.
    #[serde(default, deserialize_with = "crate::de::count")]
    pub inbound: u32,
    /// Outbound calls made.
    #[serde(default, deserialize_with = "crate::de::count")]
    pub outbound: u32,
    /// Internal calls (agent to agent).
    #[serde(default, deserialize_with = "crate::de::count")]
    pub internal: u32,
    /// Time in the Ready state.
    #[serde(default, with = "secs")]
    pub ready_time: Duration,
    /// Time on inbound calls.
    #[serde(default, with = "secs")]
    pub inbound_time: Duration,
    /// Time on outbound calls.
    #[serde(default, with = "secs")]
    pub outbound_time: Duration,
    /// Time in after-call work.
    #[serde(default, with = "secs")]
    pub acw_time: Duration,
    /// Time with a call ringing.
    #[serde(default, with = "secs")]
    pub ring_time: Duration,
    /// Time logged in.
    #[serde(default, with = "secs")]
    pub login_time: Duration,
    /// Average handling time.
    #[serde(default, with = "secs")]
    pub aht: Duration,
    /// Time in auxiliary (pause) states.
    #[serde(default, with = "secs")]
    pub aux_time: Duration,
    /// Average handling time of inbound calls.
    #[serde(default, with = "secs")]
    pub aht_inbound: Duration,
    /// Average handling time of outbound calls (wire `aht_outbund`).
    #[serde(default, alias = "aht_outbund", with = "secs")]
    pub aht_outbound: Duration,
    /// Occupancy in percent points (wire `occupancy`; `ocupation` is read too).
    #[serde(
        default,
        alias = "ocupation",
        deserialize_with = "crate::de::percentage"
    )]
    pub occupancy: f64,
    /// Contacts with an activity code marked as a hit.
    #[serde(default, deserialize_with = "crate::de::count")]
    pub hits: u32,
    /// Right-party contacts.
    #[serde(default, deserialize_with = "crate::de::count")]
    pub rpc: u32,
    /// First login in the range; `None` when blank.
    #[serde(default, deserialize_with = "crate::de::option::datetime")]
    pub login: Option<DateTime>,
    /// Last logout in the range; `None` when blank (still logged in).
    #[serde(default, deserialize_with = "crate::de::option::datetime")]
    pub logout: Option<DateTime>,
}

/// A duration read leniently and written as whole seconds.
mod secs {
    pub(super) use crate::de::duration as deserialize;
    pub(super) use crate::de::serialize_duration as serialize;
}

impl AgentSummary {
    /// A row with the given id and name and every figure at zero; set the public fields to
    /// fill it in (for tests and simulators).
    ///
    /// ```
    /// let row = wolkvox::reports::AgentSummary::new(12523, "ANDRES GOMEZ");
    /// assert_eq!(row.calls, 0);
    /// assert_eq!(row.login, None);
    /// ```
    pub fn new(agent_id: u32, agent_name: impl Into<String>) -> Self {
        AgentSummary {
            agent_id,
            agent_dni: String::new(),
            agent_name: agent_name.into(),
            calls: 0,
            inbound: 0,
            outbound: 0,
            internal: 0,
            ready_time: Duration::ZERO,
            inbound_time: Duration::ZERO,
            outbound_time: Duration::ZERO,
            acw_time: Duration::ZERO,
            ring_time: Duration::ZERO,
            login_time: Duration::ZERO,
            aht: Duration::ZERO,
            aux_time: Duration::ZERO,
            aht_inbound: Duration::ZERO,
            aht_outbound: Duration::ZERO,
            occupancy: 0.0,
            hits: 0,
            rpc: 0,
            login: None,
            logout: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;
    use crate::api::reports::rows::testing::{
        AGENT_1, decode, one, one_error, round_trip, rows_of,
    };
    use crate::decode::row::is_total_row;

    fn hms(h: u64, m: u64, s: u64) -> Duration {
        Duration::from_secs(h * 3600 + m * 60 + s)
    }

    fn andres() -> AgentSummary {
        let mut row = AgentSummary::new(12523, "ANDRES GOMEZ");
        row.agent_dni = "79123456".to_owned();
        row.calls = 2;
        row.inbound = 2;
        row.ready_time = hms(0, 55, 47);
        row.inbound_time = hms(0, 25, 53);
        row.acw_time = hms(0, 3, 41);
        row.login_time = hms(2, 2, 47);
        row.aht = hms(0, 14, 47);
        row.aux_time = hms(0, 37, 26);
        row.aht_inbound = hms(0, 14, 47);
        row.occupancy = 34.64;
        row.hits = 1;
        row.rpc = 1;
        row.login = Some(date(2026, 8, 12).at(8, 2, 8, 0));
        row.logout = Some(date(2026, 8, 12).at(10, 2, 42, 0));
        row
    }

    fn laura() -> AgentSummary {
        let mut row = AgentSummary::new(12530, "LAURA MEJIA");
        row.agent_dni = "1032456789".to_owned();
        row.calls = 41;
        row.inbound = 38;
        row.outbound = 3;
        row.ready_time = hms(1, 12, 5);
        row.inbound_time = hms(5, 41, 30);
        row.outbound_time = hms(0, 6, 12);
        row.acw_time = hms(0, 48, 9);
        row.ring_time = hms(0, 2, 51);
        row.login_time = hms(8, 3, 10);
        row.aht = hms(0, 9, 11);
        row.aux_time = hms(0, 31, 40);
        row.aht_inbound = hms(0, 8, 59);
        row.aht_outbound = hms(0, 2, 4);
        row.occupancy = 87.2;
        row.login = Some(date(2026, 8, 12).at(7, 58, 31, 0));
        row
    }

    #[test]
    fn the_sample_payload() {
        assert_eq!(decode::<AgentSummary>(AGENT_1), [andres(), laura()]);
    }

    #[test]
    fn numbers_seconds_and_other_spellings() {
        let row: AgentSummary = one(
            r#"{"agent_id": 12523, "agent_dni": 79123456, "agent_name": "ANDRES GOMEZ",
                "calls": 2, "inbound": "2", "outbound": 0, "internal": "-",
                "ready_time": 3347, "inbound_time": "1553", "outbound_time": "",
                "acw_time": "03:41", "ring_time": "--", "login_time": "2:02:47",
                "aht": "14:47", "aux_time": "00:37:26", "aht_inbound": 887,
                "aht_outbund": null, "ocupation": "34,64 %", "hits": 1.0, "rpc": "1",
                "login": "20260812080208", "logout": "2026-08-12T10:02:42"}"#,
        );
        assert_eq!(row, andres());
        // Only the id is required.
        let row: AgentSummary = one(r#"{"agent_id": "7", "occupancy": 50}"#);
        let mut want = AgentSummary::new(7, "");
        want.occupancy = 50.0;
        assert_eq!(row, want);
    }

    #[test]
    fn errors_name_the_field_and_value() {
        let (row, json) = one_error::<AgentSummary>(r#"{"agent_id": "", "calls": "2"}"#);
        assert_eq!(
            row,
            (
                "data[0].agent_id".to_owned(),
                String::new(),
                "expected a numeric id".to_owned()
            )
        );
        assert!(
            json.starts_with(r#"invalid value: string "", expected a numeric id"#),
            "{json}"
        );
        let (row, _) = one_error::<AgentSummary>(r#"{"agent_id": "7", "login_time": "8h03"}"#);
        assert_eq!(
            row,
            (
                "data[0].login_time".to_owned(),
                "8h03".to_owned(),
                "expected a duration as HH:MM:SS, MM:SS or seconds".to_owned()
            )
        );
        let (row, _) = one_error::<AgentSummary>(r#"{"agent_id": "7", "logout": "ayer"}"#);
        assert_eq!(
            row,
            (
                "data[0].logout".to_owned(),
                "ayer".to_owned(),
                "expected a date and time as YYYY-MM-DD HH:MM:SS".to_owned()
            )
        );
        let (row, _) = one_error::<AgentSummary>(
            r#"{"agent_id": "7", "occupancy": "34.64 %", "ocupation": "1 %"}"#,
        );
        assert_eq!(
            (row.0.as_str(), row.2.as_str()),
            (
                "data[0]",
                "duplicate field `occupancy` (sent twice, or under two of its names)"
            )
        );
    }

    #[test]
    fn a_total_row_is_recognised() {
        let body = r#"{"data": [{"agent_id": "12523", "agent_name": "ANDRES GOMEZ"},
                                {"agent_id": "TOTAL", "agent_name": "", "calls": "43"}]}"#;
        let totals: Vec<bool> = rows_of(body).iter().map(|r| is_total_row(r)).collect();
        assert_eq!(totals, [false, true]);
    }

    #[test]
    fn serializes_and_reads_it_back() {
        let json = round_trip(&laura(), true);
        assert_eq!(
            json,
            r#"{"agent_id":12530,"agent_dni":"1032456789","agent_name":"LAURA MEJIA","calls":41,"inbound":38,"outbound":3,"internal":0,"ready_time":4325,"inbound_time":20490,"outbound_time":372,"acw_time":2889,"ring_time":171,"login_time":28990,"aht":551,"aux_time":1900,"aht_inbound":539,"aht_outbound":124,"occupancy":87.2,"hits":0,"rpc":0,"login":"2026-08-12T07:58:31","logout":null}"#
        );
        round_trip(&andres(), true);
    }

    #[test]
    fn rows_are_send_and_sync() {
        fn send_sync<T: Send + Sync + Clone>() {}
        send_sync::<AgentSummary>();
        send_sync::<crate::api::reports::CallRecord>();
        send_sync::<crate::api::reports::SkillInterval>();
    }
}
