//! `SkillRealtime`: one row of the Skill real-time report (`api=skills`).

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::de::Lenient;
use crate::decode;

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
/// deserializes from that same JSON (a service that caches snapshots can read them back) as
/// well as from a row as the service sends it.
///
/// ```
/// let mut skill = wolkvox::SkillRealtime::new(101, "SOPORTE_TECNICO");
/// skill.service_level_20seg = 78.52;
/// skill.extra_service_levels.insert(45, 80.77);
/// let json = serde_json::to_string(&skill).unwrap();
/// let back: wolkvox::SkillRealtime = serde_json::from_str(&json).unwrap();
/// assert_eq!(back, skill);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
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

impl<'de> Deserialize<'de> for SkillRealtime {
    /// Reads the wire row (strings in the live formats, blanks as 0, the
    /// `service_level_{N}seg` columns) and this type's own serialization alike. The first of a
    /// column sent twice wins; unknown columns are ignored; a missing `skill_id` is an error.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_struct("SkillRealtime", FIELDS, SkillVisitor)
    }
}

/// The fields in the order this type serializes them.
pub(super) const FIELDS: &[&str] = &[
    "skill_id",
    "skill_name",
    "calls_in_queue_now",
    "stat_inbound",
    "stat_answer",
    "stat_abandon",
    "service_level_10seg",
    "service_level_20seg",
    "service_level_30seg",
    "by_abandon",
    "extra_service_levels",
];

/// A column of the row, wire and own names alike. The number is the column's bit in the set
/// of columns already read.
enum Column {
    Id,
    Name,
    Count(u16, fn(&mut SkillRealtime) -> &mut u32),
    Percentage(u16, fn(&mut SkillRealtime) -> &mut f64),
    /// `service_level_{N}seg` for an N other than 0, 10, 20, 30.
    Level(u32),
    /// `extra_service_levels`, as this type serializes it.
    Extra,
    Ignored,
}

impl Column {
    fn of(name: &str) -> Column {
        match name {
            "skill_id" => Column::Id,
            "skill_name" => Column::Name,
            "calls_in_queue_now" => Column::Count(1 << 2, |s| &mut s.calls_in_queue_now),
            "stat_inbound" => Column::Count(1 << 3, |s| &mut s.stat_inbound),
            "stat_answer" => Column::Count(1 << 4, |s| &mut s.stat_answer),
            "stat_abandon" => Column::Count(1 << 5, |s| &mut s.stat_abandon),
            "service_level_10seg" => Column::Percentage(1 << 6, |s| &mut s.service_level_10seg),
            "service_level_20seg" => Column::Percentage(1 << 7, |s| &mut s.service_level_20seg),
            "service_level_30seg" => Column::Percentage(1 << 8, |s| &mut s.service_level_30seg),
            "by_abandon" => Column::Percentage(1 << 9, |s| &mut s.by_abandon),
            "extra_service_levels" => Column::Extra,
            other => match service_level_seconds(other) {
                Some(seconds) if !STANDARD_SERVICE_LEVELS.contains(&seconds) => {
                    Column::Level(seconds)
                }
                _ => Column::Ignored,
            },
        }
    }

    /// The column's bit; 0 for the columns read every time (levels are kept once per N).
    fn bit(&self) -> u16 {
        match self {
            Column::Id => 1,
            Column::Name => 1 << 1,
            Column::Count(bit, _) | Column::Percentage(bit, _) => *bit,
            Column::Extra => 1 << 10,
            Column::Level(_) | Column::Ignored => 0,
        }
    }
}

/// N of a `service_level_{N}seg` column name.
fn service_level_seconds(name: &str) -> Option<u32> {
    let n = name.strip_prefix("service_level_")?.strip_suffix("seg")?;
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    n.parse().ok()
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

struct SkillVisitor;

impl<'de> Visitor<'de> for SkillVisitor {
    type Value = SkillRealtime;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a skill row (an object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<SkillRealtime, A::Error> {
        let mut skill = SkillRealtime::new(0, String::new());
        let mut skill_id = None;
        let mut seen = 0u16;
        while let Some(column) = map.next_key::<Column>()? {
            let bit = column.bit();
            if seen & bit != 0 {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            seen |= bit;
            match column {
                Column::Id => skill_id = Some(map.next_value_seed(Lenient(decode::id))?),
                Column::Name => skill.skill_name = map.next_value_seed(Lenient(decode::text))?,
                Column::Count(_, field) => {
                    *field(&mut skill) = map.next_value_seed(Lenient(decode::count))?;
                }
                Column::Percentage(_, field) => {
                    *field(&mut skill) = map.next_value_seed(Lenient(decode::percentage))?;
                }
                Column::Level(seconds) => match skill.extra_service_levels.entry(seconds) {
                    Entry::Vacant(slot) => {
                        slot.insert(map.next_value_seed(Lenient(decode::percentage))?);
                    }
                    Entry::Occupied(_) => {
                        map.next_value::<IgnoredAny>()?;
                    }
                },
                Column::Extra => {
                    for (seconds, level) in map.next_value::<BTreeMap<u32, f64>>()? {
                        skill.extra_service_levels.entry(seconds).or_insert(level);
                    }
                }
                Column::Ignored => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        skill.skill_id = skill_id.ok_or_else(|| de::Error::missing_field("skill_id"))?;
        Ok(skill)
    }

    /// The fields in order, as formats without field names (bincode, ...) write them.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<SkillRealtime, A::Error> {
        macro_rules! next {
            ($index:literal) => {
                seq.next_element()?
                    .ok_or_else(|| de::Error::invalid_length($index, &self))?
            };
        }
        Ok(SkillRealtime {
            skill_id: next!(0),
            skill_name: next!(1),
            calls_in_queue_now: next!(2),
            stat_inbound: next!(3),
            stat_answer: next!(4),
            stat_abandon: next!(5),
            service_level_10seg: next!(6),
            service_level_20seg: next!(7),
            service_level_30seg: next!(8),
            by_abandon: next!(9),
            extra_service_levels: next!(10),
        })
    }
}
