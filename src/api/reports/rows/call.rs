//! `CallRecord`: one row of `cdr_1`, one call.

use std::time::Duration;

use jiff::civil::DateTime;
use serde::{Deserialize, Serialize};

/// One call of the `cdr_1` report (call detail records).
///
/// Calls that never reached an agent (IVR only, abandoned in queue) have no agent or skill:
/// their ids are `None` and their names empty. Text columns are trimmed; a blank (`""`,
/// `"-"`, `"--"`) or missing text column is an empty string.
///
/// Reads the wire columns (`type_interaction`, `destiny`, `time_seg`, `cod_act`, ...) and its
/// own serialization (the English field names below); see [`crate::reports`].
///
/// ```
/// use std::time::Duration;
///
/// use jiff::civil::date;
/// use wolkvox::reports::CallRecord;
///
/// let mut call = CallRecord::new("20260812080315.4471", date(2026, 8, 12).at(8, 3, 15, 0));
/// call.duration = Duration::from_secs(287);
/// let json = serde_json::to_string(&call)?;
/// assert!(json.contains(r#""date":"2026-08-12T08:03:15""#));
/// assert!(json.contains(r#""duration":287"#));
/// assert_eq!(serde_json::from_str::<CallRecord>(&json)?, call);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CallRecord {
    /// The call's id (`"20260812080315.4471"`: its start and a sequence number).
    ///
    /// Unique per call in every sample and public integration (they key on it), but the
    /// vendor does not document it unique, and a call transferred to another agent or skill
    /// may come once per leg: `examples/sync` merges on `(conn_id, agent_id, skill_id)`, which
    /// keeps legs apart and lets a re-delivered row (an activity code typed after the call)
    /// replace its earlier version.
    #[serde(deserialize_with = "crate::de::text")]
    pub conn_id: String,
    /// When the call started (the operation's wall-clock time).
    #[serde(deserialize_with = "crate::de::datetime")]
    pub date: DateTime,
    /// The agent who took the call; `None` when no agent did.
    #[serde(default, deserialize_with = "crate::de::option::count")]
    pub agent_id: Option<u32>,
    /// The agent's name; empty when no agent took the call.
    #[serde(default, deserialize_with = "crate::de::text")]
    pub agent_name: String,
    /// The outbound campaign the call belongs to, if any.
    #[serde(default, deserialize_with = "crate::de::option::count")]
    pub campaign_id: Option<u32>,
    /// The skill (queue) the call went through, if any.
    #[serde(default, deserialize_with = "crate::de::option::count")]
    pub skill_id: Option<u32>,
    /// The skill's name; empty when none.
    #[serde(default, deserialize_with = "crate::de::text")]
    pub skill_name: String,
    /// `INBOUND`, `OUTBOUND`, ... as sent (wire `type_interaction`).
    #[serde(
        default,
        alias = "type_interaction",
        deserialize_with = "crate::de::text"
    )]
    pub interaction_type: String,
    /// The number dialled (wire `destiny`).
    #[serde(default, alias = "destiny", deserialize_with = "crate::de::text")]
    pub destination: String,
    /// The customer's telephone number.
    #[serde(default, deserialize_with = "crate::de::text")]
    pub telephone: String,
    /// The customer's id (document number), empty when unknown.
    #[serde(default, deserialize_with = "crate::de::text")]
    pub customer_id: String,
    /// How long the call lasted (wire `time_seg`, seconds); serialized as whole seconds.
    #[serde(
        default,
        alias = "time_seg",
        deserialize_with = "crate::de::duration",
        serialize_with = "crate::de::serialize_duration"
    )]
    pub duration: Duration,
    /// The call's cost (`"120.50"` or `"120,50"` on the wire); 0 when blank.
    #[serde(default, deserialize_with = "crate::de::amount")]
    pub cost: f64,
    /// The activity (disposition) code the agent typed, e.g. `"1"` or `"TIMEOUTACW"`
    /// (wire `cod_act`).
    #[serde(default, alias = "cod_act", deserialize_with = "crate::de::text")]
    pub activity_code: String,
    /// The activity code's description (wire `description_cod_act`).
    #[serde(
        default,
        alias = "description_cod_act",
        deserialize_with = "crate::de::text"
    )]
    pub activity_description: String,
    /// A second activity code (wire `cod_act_2`).
    #[serde(default, alias = "cod_act_2", deserialize_with = "crate::de::text")]
    pub activity_code_2: String,
    /// The second activity code's description (wire `description_cod_act_2`).
    #[serde(
        default,
        alias = "description_cod_act_2",
        deserialize_with = "crate::de::text"
    )]
    pub activity_description_2: String,
    /// Who hung up: `CUSTOMER`, `AGENT`, ... as sent.
    #[serde(default, deserialize_with = "crate::de::text")]
    pub hang_up: String,
    /// The agent's comment.
    #[serde(default, deserialize_with = "crate::de::text")]
    pub comment: String,
}

impl CallRecord {
    /// A record with the given id and start, no agent, skill or campaign, and every other
    /// field empty or zero; set the public fields to fill it in (for tests and simulators).
    ///
    /// ```
    /// use jiff::civil::date;
    /// let call = wolkvox::reports::CallRecord::new("1.1", date(2026, 8, 12).at(8, 0, 0, 0));
    /// assert_eq!(call.agent_id, None);
    /// assert_eq!(call.cost, 0.0);
    /// ```
    pub fn new(conn_id: impl Into<String>, date: DateTime) -> Self {
        CallRecord {
            conn_id: conn_id.into(),
            date,
            agent_id: None,
            agent_name: String::new(),
            campaign_id: None,
            skill_id: None,
            skill_name: String::new(),
            interaction_type: String::new(),
            destination: String::new(),
            telephone: String::new(),
            customer_id: String::new(),
            duration: Duration::ZERO,
            cost: 0.0,
            activity_code: String::new(),
            activity_description: String::new(),
            activity_code_2: String::new(),
            activity_description_2: String::new(),
            hang_up: String::new(),
            comment: String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;
    use crate::api::reports::rows::testing::{CDR_1, decode, one, one_error, round_trip};

    fn first_call() -> CallRecord {
        let mut call = CallRecord::new("20260812080315.4471", date(2026, 8, 12).at(8, 3, 15, 0));
        call.agent_id = Some(12523);
        call.agent_name = "ANDRES GOMEZ".to_owned();
        call.skill_id = Some(101);
        call.skill_name = "SOPORTE_TECNICO".to_owned();
        call.interaction_type = "INBOUND".to_owned();
        call.destination = "6015551234".to_owned();
        call.telephone = "3005550101".to_owned();
        call.customer_id = "80123456".to_owned();
        call.duration = Duration::from_secs(287);
        call.activity_code = "1".to_owned();
        call.activity_description = "SOLUCIONADO".to_owned();
        call.hang_up = "CUSTOMER".to_owned();
        call.comment = "cliente sin internet, se reinicia modem".to_owned();
        call
    }

    #[test]
    fn the_sample_payload() {
        let calls = decode::<CallRecord>(CDR_1);
        assert_eq!(calls.len(), 3);
        assert_eq!(calls[0], first_call());

        let mut unanswered =
            CallRecord::new("20260812081102.4472", date(2026, 8, 12).at(8, 11, 2, 0));
        unanswered.skill_id = Some(101);
        unanswered.skill_name = "SOPORTE_TECNICO".to_owned();
        unanswered.interaction_type = "INBOUND".to_owned();
        unanswered.destination = "6015551234".to_owned();
        unanswered.telephone = "3105550199".to_owned();
        unanswered.duration = Duration::from_secs(41);
        unanswered.hang_up = "CUSTOMER".to_owned();
        assert_eq!(calls[1], unanswered);

        let mut outbound =
            CallRecord::new("20260812082544.4473", date(2026, 8, 12).at(8, 25, 44, 0));
        outbound.agent_id = Some(12530);
        outbound.agent_name = "LAURA MEJIA".to_owned();
        outbound.campaign_id = Some(7);
        outbound.interaction_type = "OUTBOUND".to_owned();
        outbound.destination = "3205550144".to_owned();
        outbound.telephone = "3205550144".to_owned();
        outbound.customer_id = "52987654".to_owned();
        outbound.duration = Duration::from_secs(96);
        outbound.cost = 120.5;
        outbound.activity_code = "TIMEOUTACW".to_owned();
        outbound.activity_description = "TIMEOUTACW".to_owned();
        outbound.hang_up = "AGENT".to_owned();
        assert_eq!(calls[2], outbound);
    }

    #[test]
    fn numbers_blanks_and_other_spellings() {
        let call: CallRecord = one(
            r#"{"conn_id": "20260812080315.4471", "date": "20260812080315", "agent_id": 12523,
                "agent_name": " ANDRES GOMEZ ", "campaign_id": "--", "skill_id": 101,
                "skill_name": "SOPORTE_TECNICO", "type_interaction": "INBOUND",
                "destiny": 6015551234, "telephone": 3005550101, "customer_id": "80123456",
                "time_seg": "00:04:47", "cost": 0, "cod_act": 1,
                "description_cod_act": "SOLUCIONADO", "cod_act_2": "-",
                "description_cod_act_2": null, "hang_up": "CUSTOMER",
                "comment": "cliente sin internet, se reinicia modem", "unknown": {"x": 1}}"#,
        );
        assert_eq!(call, first_call());

        // Only the id and the date are required; a blank id is None, "0" is Some(0).
        let call: CallRecord = one(
            r#"{"conn_id": "9", "date": "2026-08-12T08:03:15", "agent_id": "-",
                "skill_id": "0", "time_seg": 287.0, "cost": "120,5"}"#,
        );
        let mut want = CallRecord::new("9", date(2026, 8, 12).at(8, 3, 15, 0));
        want.skill_id = Some(0);
        want.duration = Duration::from_secs(287);
        want.cost = 120.5;
        assert_eq!(call, want);

        let call: CallRecord =
            one(r#"{"conn_id": "9", "date": "2026-08-12 08:03:15", "time_seg": "4:47"}"#);
        assert_eq!(call.duration, Duration::from_secs(287));
    }

    #[test]
    fn errors_name_the_field_and_value() {
        let (row, json) = one_error::<CallRecord>(
            r#"{"conn_id": "1", "date": "12/08/2026 08:03", "agent_id": "7"}"#,
        );
        assert_eq!(
            row,
            (
                "data[0].date".to_owned(),
                "12/08/2026 08:03".to_owned(),
                "expected a date and time as YYYY-MM-DD HH:MM:SS".to_owned()
            )
        );
        assert!(
            json.starts_with(
                r#"invalid value: string "12/08/2026 08:03", expected a date and time as YYYY-MM-DD HH:MM:SS"#
            ),
            "{json}"
        );
        let (row, _) = one_error::<CallRecord>(r#"{"conn_id": "1", "date": "", "agent_id": "7"}"#);
        assert_eq!((row.0.as_str(), row.1.as_str()), ("data[0].date", ""));
        let (row, _) = one_error::<CallRecord>(
            r#"{"conn_id": "1", "date": "2026-08-12 08:03:15", "agent_id": "A12"}"#,
        );
        assert_eq!(
            row,
            (
                "data[0].agent_id".to_owned(),
                "A12".to_owned(),
                "expected a non-negative whole number (count)".to_owned()
            )
        );
        let (row, json) = one_error::<CallRecord>(r#"{"date": "2026-08-12 08:03:15"}"#);
        assert_eq!(
            row,
            (
                "data[0]".to_owned(),
                r#"{"date": "2026-08-12 08:03:15"}"#.to_owned(),
                "missing field `conn_id`".to_owned()
            )
        );
        assert!(json.starts_with("missing field `conn_id`"), "{json}");
    }

    #[test]
    fn serializes_with_english_names_and_reads_it_back() {
        let json = round_trip(&first_call(), true);
        assert_eq!(
            json,
            r#"{"conn_id":"20260812080315.4471","date":"2026-08-12T08:03:15","agent_id":12523,"agent_name":"ANDRES GOMEZ","campaign_id":null,"skill_id":101,"skill_name":"SOPORTE_TECNICO","interaction_type":"INBOUND","destination":"6015551234","telephone":"3005550101","customer_id":"80123456","duration":287,"cost":0.0,"activity_code":"1","activity_description":"SOLUCIONADO","activity_code_2":"","activity_description_2":"","hang_up":"CUSTOMER","comment":"cliente sin internet, se reinicia modem"}"#
        );
        for call in decode::<CallRecord>(CDR_1) {
            round_trip(&call, true);
        }
    }
}
