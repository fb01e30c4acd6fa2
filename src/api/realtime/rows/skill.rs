//! `SkillRealtime`: one row of the Skill real-time report (`api=skills`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::FromRow;
use crate::decode::{RowReader, count, id, percentage, text};
use crate::error::Error;

/// The service-level columns every row carries, and `0`, the placeholder column the server adds
/// when no extra service time was asked for.
const STANDARD_SERVICE_LEVELS: [u32; 4] = [0, 10, 20, 30];

/// The real-time figures of one skill (queue), as returned by
/// [`WolkvoxClient::skill`](crate::WolkvoxClient::skill) and
/// [`WolkvoxClient::skills`](crate::WolkvoxClient::skills).
///
/// Field names are the wire names. Counts are today's totals; percentages are in percent
/// points (`"34.64 %"` on the wire is `34.64` here) and are kept as sent, even above 100.
/// Blank values on the wire (`""`, `" "`, `"-"`) are 0.
///
/// Serializes (with serde) to clean JSON with numbers, for re-emitting downstream, and
/// deserializes from that same JSON (a service that caches snapshots can read them back).
///
/// ```
/// let mut skill = wolkvox::SkillRealtime::new(101, "SOPORTE_TECNICO");
/// skill.service_level_20seg = 78.52;
/// skill.extra_service_levels.insert(45, 80.77);
/// let json = serde_json::to_string(&skill).unwrap();
/// let back: wolkvox::SkillRealtime = serde_json::from_str(&json).unwrap();
/// assert_eq!(back, skill);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SkillRealtime {
    /// The skill's numeric id.
    pub skill_id: u32,
    /// The skill's name, trimmed.
    pub skill_name: String,
    /// Calls waiting for an agent right now.
    pub calls_in_queue_now: u32,
    /// Inbound calls today.
    pub stat_inbound: u32,
    /// Answered calls today.
    pub stat_answer: u32,
    /// Abandoned calls today.
    pub stat_abandon: u32,
    /// Percent of calls answered within 10 seconds.
    pub service_level_10seg: f64,
    /// Percent of calls answered within 20 seconds.
    pub service_level_20seg: f64,
    /// Percent of calls answered within 30 seconds.
    pub service_level_30seg: f64,
    /// Percent of inbound calls where the caller hung up before an agent answered.
    pub by_abandon: f64,
    /// Every other `service_level_{N}seg` column, keyed by N (seconds): the one asked for with
    /// [`SkillRequest::service_time`](crate::SkillRequest::service_time), or any the server
    /// adds. The server's `service_level_0seg` placeholder is dropped.
    pub extra_service_levels: BTreeMap<u32, f64>,
}

impl SkillRealtime {
    /// A record with the given id and name and every figure at zero; set the public fields to
    /// fill it in (useful for tests and for [`mock`](crate::mock)).
    pub fn new(skill_id: u32, skill_name: impl Into<String>) -> Self {
        SkillRealtime {
            skill_id,
            skill_name: skill_name.into(),
            calls_in_queue_now: 0,
            stat_inbound: 0,
            stat_answer: 0,
            stat_abandon: 0,
            service_level_10seg: 0.0,
            service_level_20seg: 0.0,
            service_level_30seg: 0.0,
            by_abandon: 0.0,
            extra_service_levels: BTreeMap::new(),
        }
    }

    /// The percent of calls answered within `seconds`: 10, 20 and 30 always; any other N when
    /// the row carried a `service_level_{N}seg` column (see
    /// [`SkillRequest::service_time`](crate::SkillRequest::service_time)).
    ///
    /// ```
    /// # let mut skill = wolkvox::SkillRealtime::new(101, "SUPPORT");
    /// # skill.service_level_20seg = 78.52;
    /// # skill.extra_service_levels.insert(45, 80.77);
    /// assert_eq!(skill.service_level(20), Some(78.52));
    /// assert_eq!(skill.service_level(45), Some(80.77));
    /// assert_eq!(skill.service_level(60), None);
    /// ```
    pub fn service_level(&self, seconds: u32) -> Option<f64> {
        match seconds {
            10 => Some(self.service_level_10seg),
            20 => Some(self.service_level_20seg),
            30 => Some(self.service_level_30seg),
            n => self.extra_service_levels.get(&n).copied(),
        }
    }
}

impl FromRow for SkillRealtime {
    fn from_row(row: &RowReader<'_, '_>) -> Result<Self, Error> {
        Ok(SkillRealtime {
            skill_id: row.parse("skill_id", id)?,
            skill_name: row.parse("skill_name", text)?,
            calls_in_queue_now: row.parse("calls_in_queue_now", count)?,
            stat_inbound: row.parse("stat_inbound", count)?,
            stat_answer: row.parse("stat_answer", count)?,
            stat_abandon: row.parse("stat_abandon", count)?,
            service_level_10seg: row.parse("service_level_10seg", percentage)?,
            service_level_20seg: row.parse("service_level_20seg", percentage)?,
            service_level_30seg: row.parse("service_level_30seg", percentage)?,
            by_abandon: row.parse("by_abandon", percentage)?,
            extra_service_levels: row.service_levels(&STANDARD_SERVICE_LEVELS)?,
        })
    }
}
