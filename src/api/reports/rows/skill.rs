//! `SkillInterval`: one row of the per-day and per-interval skill reports.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use jiff::civil::{Date, Time};
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::de::Lenient;
use crate::decode;
use crate::decode::envelope::Scalar;

/// The figures of one skill (queue) over one day or one interval of a day: `skill_3` (per
/// day), `skill_4` (per hour), `skill_4_1` (30 minutes), `skill_4_2` (10 minutes), `skill_7`
/// (per day and hour).
///
/// `date` is set by the per-day reports (the wire calls it `date`, sometimes `day`), `hour`
/// by the per-interval ones (`"08"`, `"9"`, `"13:30"` on the wire: the interval's start).
/// Percentages are in percent points (`"6.70 %"` is `6.7`), kept as sent even above 100.
/// A blank or missing count, percentage or time is zero: each report fills only some of the
/// time columns (`wait_time` in `skill_3`; `att` and `acw` in `skill_4*`).
///
/// The interval reports leave out the intervals without calls: `skill_4` has no row for an
/// hour in which no call arrived, so a day does not always have 24 rows per skill (48 in
/// `skill_4_1`, 144 in `skill_4_2`); a missing interval means no calls, not missing data.
///
/// Reads the wire columns (`answer_calls`, `abandon_calls`, `service_level_{N}seg`) and its
/// own serialization (the English field names below). When a column is sent twice, the last
/// one wins.
///
/// Natural key: `(date, skill_id)` for `skill_3`, `(date, hour, skill_id)` for `skill_4*`
/// and `skill_7`; where the service leaves `date` out (`skill_4*` live samples), the day is
/// the window's, so read those per day.
///
/// ```
/// use std::time::Duration;
///
/// use jiff::civil::time;
/// use wolkvox::reports::SkillInterval;
///
/// let row: SkillInterval = serde_json::from_str(
///     r#"{"skill_id": "101", "skill_name": "SOPORTE_TECNICO", "hour": "09:00",
///         "inbound_calls": "73", "answer_calls": "70", "abandon_calls": "3",
///         "service_level_20seg": "91.78%", "service_level_45seg": "97,26 %",
///         "abandon": "4.11 %", "asa": "9", "aht": "4:12", "acw": "-"}"#,
/// )?;
/// assert_eq!(row.skill_id, 101);
/// assert_eq!(row.hour, Some(time(9, 0, 0, 0)));
/// assert_eq!(row.answered_calls, 70);
/// assert_eq!(row.service_level_20seg, 91.78);
/// assert_eq!(row.extra_service_levels.get(&45), Some(&97.26));
/// assert_eq!(row.aht, Duration::from_secs(252));
/// assert_eq!(row.acw, Duration::ZERO);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SkillInterval {
    /// The skill's numeric id.
    pub skill_id: u32,
    /// The skill's name.
    pub skill_name: String,
    /// The day (per-day reports); `None` when the report has no date column.
    pub date: Option<Date>,
    /// The interval's start (per-interval reports); `None` when the report has no hour column.
    pub hour: Option<Time>,
    /// Calls that entered the skill.
    pub inbound_calls: u32,
    /// Calls an agent answered (wire `answer_calls`).
    pub answered_calls: u32,
    /// Calls the caller hung up before an agent answered (wire `abandon_calls`).
    pub abandoned_calls: u32,
    /// Percent of calls answered within 10 seconds.
    pub service_level_10seg: f64,
    /// Percent of calls answered within 20 seconds.
    pub service_level_20seg: f64,
    /// Percent of calls answered within 30 seconds.
    pub service_level_30seg: f64,
    /// Percent of inbound calls abandoned.
    pub abandon: f64,
    /// Average speed of answer (wait before an agent answered).
    #[serde(serialize_with = "crate::de::serialize_duration")]
    pub asa: Duration,
    /// Average time to abandon.
    #[serde(serialize_with = "crate::de::serialize_duration")]
    pub ata: Duration,
    /// Average handling time (talk and after-call work).
    #[serde(serialize_with = "crate::de::serialize_duration")]
    pub aht: Duration,
    /// Average talk time.
    #[serde(serialize_with = "crate::de::serialize_duration")]
    pub att: Duration,
    /// Average after-call work time.
    #[serde(serialize_with = "crate::de::serialize_duration")]
    pub acw: Duration,
    /// Total time callers waited in the queue.
    #[serde(serialize_with = "crate::de::serialize_duration")]
    pub wait_time: Duration,
    /// Every other `service_level_{N}seg` column, keyed by N (seconds). The server's
    /// `service_level_0seg` placeholder is dropped.
    pub extra_service_levels: BTreeMap<u32, f64>,
}

impl SkillInterval {
    /// A row with the given id and name, no date or hour, and every figure at zero; set the
    /// public fields to fill it in (for tests and simulators).
    ///
    /// ```
    /// let row = wolkvox::reports::SkillInterval::new(101, "SOPORTE_TECNICO");
    /// assert_eq!(row.inbound_calls, 0);
    /// assert_eq!(row.date, None);
    /// ```
    pub fn new(skill_id: u32, skill_name: impl Into<String>) -> Self {
        SkillInterval {
            skill_id,
            skill_name: skill_name.into(),
            date: None,
            hour: None,
            inbound_calls: 0,
            answered_calls: 0,
            abandoned_calls: 0,
            service_level_10seg: 0.0,
            service_level_20seg: 0.0,
            service_level_30seg: 0.0,
            abandon: 0.0,
            asa: Duration::ZERO,
            ata: Duration::ZERO,
            aht: Duration::ZERO,
            att: Duration::ZERO,
            acw: Duration::ZERO,
            wait_time: Duration::ZERO,
            extra_service_levels: BTreeMap::new(),
        }
    }
}

/// A column of the row, wire and own names alike.
enum Column {
    SkillId,
    SkillName,
    Date,
    Hour,
    Count(fn(&mut SkillInterval) -> &mut u32),
    Percentage(fn(&mut SkillInterval) -> &mut f64),
    Duration(fn(&mut SkillInterval) -> &mut Duration),
    /// `service_level_{N}seg` for an N other than 0, 10, 20, 30.
    ServiceLevel(u32),
    /// `extra_service_levels`, as this type serializes it.
    Extra,
    Ignored,
}

impl Column {
    fn of(name: &str) -> Column {
        match name {
            "skill_id" => Column::SkillId,
            "skill_name" => Column::SkillName,
            "date" | "day" => Column::Date,
            "hour" => Column::Hour,
            "inbound_calls" => Column::Count(|r| &mut r.inbound_calls),
            "answer_calls" | "answered_calls" => Column::Count(|r| &mut r.answered_calls),
            "abandon_calls" | "abandoned_calls" => Column::Count(|r| &mut r.abandoned_calls),
            "service_level_10seg" => Column::Percentage(|r| &mut r.service_level_10seg),
            "service_level_20seg" => Column::Percentage(|r| &mut r.service_level_20seg),
            "service_level_30seg" => Column::Percentage(|r| &mut r.service_level_30seg),
            "abandon" => Column::Percentage(|r| &mut r.abandon),
            "asa" => Column::Duration(|r| &mut r.asa),
            "ata" => Column::Duration(|r| &mut r.ata),
            "aht" => Column::Duration(|r| &mut r.aht),
            "att" => Column::Duration(|r| &mut r.att),
            "acw" => Column::Duration(|r| &mut r.acw),
            "wait_time" => Column::Duration(|r| &mut r.wait_time),
            "extra_service_levels" => Column::Extra,
            other => match service_level_seconds(other) {
                Some(seconds) if seconds != 0 => Column::ServiceLevel(seconds),
                _ => Column::Ignored,
            },
        }
    }
}

/// N of a `service_level_{N}seg` column name.
fn service_level_seconds(name: &str) -> Option<u32> {
    let n = name.strip_prefix("service_level_")?.strip_suffix("seg")?;
    if n.is_empty() || n.len() > 9 || !n.bytes().all(|b| b.is_ascii_digit()) {
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

fn optional_date(value: &Scalar<'_>) -> Result<Option<Date>, &'static str> {
    decode::optional(value, decode::date)
}

fn optional_hour(value: &Scalar<'_>) -> Result<Option<Time>, &'static str> {
    decode::optional(value, decode::hour)
}

impl<'de> Deserialize<'de> for SkillInterval {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(RowVisitor)
    }
}

struct RowVisitor;

impl<'de> Visitor<'de> for RowVisitor {
    type Value = SkillInterval;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a skill report row (an object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<SkillInterval, A::Error> {
        let mut row = SkillInterval::new(0, String::new());
        let mut skill_id = None;
        while let Some(column) = map.next_key::<Column>()? {
            match column {
                Column::SkillId => skill_id = Some(map.next_value_seed(Lenient(decode::id))?),
                Column::SkillName => {
                    row.skill_name = map.next_value_seed(Lenient(decode::report_text))?;
                }
                Column::Date => row.date = map.next_value_seed(Lenient(optional_date))?,
                Column::Hour => row.hour = map.next_value_seed(Lenient(optional_hour))?,
                Column::Count(field) => {
                    *field(&mut row) = map.next_value_seed(Lenient(decode::count))?;
                }
                Column::Percentage(field) => {
                    *field(&mut row) = map.next_value_seed(Lenient(decode::percentage))?;
                }
                Column::Duration(field) => {
                    *field(&mut row) = map.next_value_seed(Lenient(decode::duration))?;
                }
                Column::ServiceLevel(seconds) => {
                    let level = map.next_value_seed(Lenient(decode::percentage))?;
                    row.extra_service_levels.insert(seconds, level);
                }
                Column::Extra => {
                    let levels = map.next_value::<BTreeMap<u32, f64>>()?;
                    row.extra_service_levels.extend(levels);
                }
                Column::Ignored => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        row.skill_id = skill_id.ok_or_else(|| de::Error::missing_field("skill_id"))?;
        Ok(row)
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::{date, time};

    use super::*;
    use crate::api::reports::rows::testing::{
        SKILL_3, SKILL_4, decode, one, one_error, round_trip, rows_of,
    };
    use crate::decode::row::{is_total_row, row_from_fields};

    fn secs(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    fn day_one() -> SkillInterval {
        let mut row = SkillInterval::new(101, "SOPORTE_TECNICO");
        row.date = Some(date(2026, 8, 11));
        row.inbound_calls = 612;
        row.answered_calls = 571;
        row.abandoned_calls = 41;
        row.service_level_10seg = 58.17;
        row.service_level_20seg = 77.29;
        row.service_level_30seg = 86.11;
        row.abandon = 6.7;
        row.asa = secs(17);
        row.ata = secs(3 * 60 + 11);
        row.wait_time = secs(2 * 3600 + 51 * 60 + 20);
        row.aht = secs(4 * 60 + 38);
        row
    }

    #[test]
    fn per_day_sample() {
        let rows = decode::<SkillInterval>(SKILL_3);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0], day_one());
        let mut two = SkillInterval::new(101, "SOPORTE_TECNICO");
        two.date = Some(date(2026, 8, 12));
        two.inbound_calls = 598;
        two.answered_calls = 580;
        two.abandoned_calls = 18;
        two.service_level_10seg = 66.05;
        two.service_level_20seg = 84.28;
        two.service_level_30seg = 91.47;
        two.abandon = 3.01;
        two.asa = secs(12);
        two.ata = secs(185);
        two.wait_time = secs(3600 + 58 * 60 + 46);
        two.aht = secs(270);
        assert_eq!(rows[1], two);
    }

    #[test]
    fn per_hour_sample() {
        let rows = decode::<SkillInterval>(SKILL_4);
        let summary: Vec<_> = rows
            .iter()
            .map(|r| (r.skill_id, r.hour, r.inbound_calls, r.service_level_10seg))
            .collect();
        assert_eq!(
            summary,
            [
                (101, Some(time(8, 0, 0, 0)), 57, 61.4),
                (101, Some(time(9, 0, 0, 0)), 73, 70.0),
                (102, Some(time(9, 0, 0, 0)), 0, 0.0),
            ]
        );
        let mut eight = SkillInterval::new(101, "SOPORTE_TECNICO");
        eight.hour = Some(time(8, 0, 0, 0));
        eight.inbound_calls = 57;
        eight.answered_calls = 51;
        eight.abandoned_calls = 6;
        eight.service_level_10seg = 61.4;
        eight.service_level_20seg = 80.7;
        eight.service_level_30seg = 89.47;
        eight.abandon = 10.53;
        eight.asa = secs(14);
        eight.ata = secs(182);
        eight.aht = secs(281);
        eight.att = secs(242);
        eight.acw = secs(39);
        assert_eq!(rows[0], eight);
        // "91.78%", "191" seconds, "4:12" as MM:SS, blank "" and "-" times.
        assert_eq!(rows[1].service_level_20seg, 91.78);
        assert_eq!(
            (rows[1].ata, rows[1].aht, rows[1].att, rows[1].acw),
            (secs(191), secs(252), Duration::ZERO, Duration::ZERO)
        );
        assert_eq!(rows[1].date, None);
        assert_eq!(rows[2], {
            let mut idle = SkillInterval::new(102, "VENTAS");
            idle.hour = Some(time(9, 0, 0, 0));
            idle
        });
    }

    #[test]
    fn numbers_day_hours_and_extra_levels() {
        let row: SkillInterval = one(
            r#"{"day": "2026-08-11", "skill_id": 101, "skill_name": "SOPORTE_TECNICO",
                "inbound_calls": 612, "answer_calls": 571, "abandon_calls": 41.0,
                "service_level_10seg": 58.17, "service_level_20seg": "77,29 %",
                "service_level_30seg": "86.11", "abandon": "6,70 %", "asa": 17,
                "ata": "03:11", "wait_time": "2:51:20", "aht": "278",
                "service_level_0seg": "0 %", "service_level_45seg": "90.5 %",
                "service_level_5seg": "40 %", "service_level_xseg": "junk", "extra": null}"#,
        );
        let mut want = day_one();
        want.extra_service_levels = BTreeMap::from([(5, 40.0), (45, 90.5)]);
        assert_eq!(row, want);

        for (hour, want) in [
            (r#""08""#, time(8, 0, 0, 0)),
            (r#""9""#, time(9, 0, 0, 0)),
            (r#""13:30""#, time(13, 30, 0, 0)),
            (r#""13:00""#, time(13, 0, 0, 0)),
            (r#""13:10:00""#, time(13, 10, 0, 0)),
            ("9", time(9, 0, 0, 0)),
        ] {
            let row: SkillInterval = one(&format!(r#"{{"skill_id": "1", "hour": {hour}}}"#));
            assert_eq!(row.hour, Some(want), "{hour}");
        }
        for blank in [r#""""#, r#""-""#, r#""--""#, "null"] {
            let row: SkillInterval = one(&format!(
                r#"{{"skill_id": "1", "hour": {blank}, "date": {blank}}}"#
            ));
            assert_eq!((row.hour, row.date), (None, None), "{blank}");
        }
        // Later columns win: `date` then `day`.
        let row: SkillInterval =
            one(r#"{"skill_id": "1", "date": "2026-08-11", "day": "2026-08-12"}"#);
        assert_eq!(row.date, Some(date(2026, 8, 12)));
    }

    #[test]
    fn errors_name_the_field_and_value() {
        let (row, json) =
            one_error::<SkillInterval>(r#"{"skill_id": "101", "inbound_calls": "n/a"}"#);
        assert_eq!(
            row,
            (
                "data[0].inbound_calls".to_owned(),
                "n/a".to_owned(),
                "expected a non-negative whole number (count)".to_owned()
            )
        );
        assert!(
            json.starts_with(
                r#"invalid value: string "n/a", expected a non-negative whole number (count)"#
            ),
            "{json}"
        );
        let (row, _) = one_error::<SkillInterval>(r#"{"skill_id": "101", "hour": "25:00"}"#);
        assert_eq!(
            row,
            (
                "data[0].hour".to_owned(),
                "25:00".to_owned(),
                "expected an hour of the day as HH, HH:MM or HH:MM:SS (00 to 23)".to_owned()
            )
        );
        let (row, _) = one_error::<SkillInterval>(r#"{"skill_id": "", "skill_name": "X"}"#);
        assert_eq!(
            row,
            (
                "data[0].skill_id".to_owned(),
                String::new(),
                "expected a numeric id".to_owned()
            )
        );
        let (row, json) = one_error::<SkillInterval>(r#"{"skill_name": "X"}"#);
        assert_eq!(
            row,
            (
                "data[0]".to_owned(),
                r#"{"skill_name": "X"}"#.to_owned(),
                "missing field `skill_id`".to_owned()
            )
        );
        assert!(json.starts_with("missing field `skill_id`"), "{json}");
    }

    #[test]
    fn a_total_row_is_recognised_before_decoding() {
        let body = r#"{"code": 200, "data": [
            {"date": "2026-08-11", "skill_id": "101", "skill_name": "SOPORTE_TECNICO", "inbound_calls": "612"},
            {"date": "2026-08-11", "skill_id": "102", "skill_name": "VENTAS", "inbound_calls": "10"},
            {"date": "", "skill_id": "", "skill_name": "TOTAL", "inbound_calls": "622"}]}"#;
        let rows = rows_of(body);
        let totals: Vec<bool> = rows.iter().map(|r| is_total_row(r)).collect();
        assert_eq!(totals, [false, false, true]);
        let kept: Vec<SkillInterval> = rows
            .iter()
            .enumerate()
            .filter(|(_, r)| !is_total_row(r))
            .map(|(i, r)| row_from_fields(i, r).unwrap())
            .collect();
        assert_eq!(
            kept.iter().map(|r| r.inbound_calls).collect::<Vec<_>>(),
            [612, 10]
        );
        // Decoded as a row, the summary has no id.
        let error = row_from_fields::<SkillInterval>(2, &rows[2]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "could not decode the response at `data[2].skill_id`: expected a numeric id (raw: \"\")"
        );
    }

    #[test]
    fn serializes_and_reads_it_back() {
        let mut row = day_one();
        row.hour = Some(time(13, 30, 0, 0));
        row.extra_service_levels = BTreeMap::from([(45, 90.5)]);
        let json = round_trip(&row, false);
        assert_eq!(
            json,
            r#"{"skill_id":101,"skill_name":"SOPORTE_TECNICO","date":"2026-08-11","hour":"13:30:00","inbound_calls":612,"answered_calls":571,"abandoned_calls":41,"service_level_10seg":58.17,"service_level_20seg":77.29,"service_level_30seg":86.11,"abandon":6.7,"asa":17,"ata":191,"aht":278,"att":0,"acw":0,"wait_time":10280,"extra_service_levels":{"45":90.5}}"#
        );
        for row in decode::<SkillInterval>(SKILL_3)
            .into_iter()
            .chain(decode::<SkillInterval>(SKILL_4))
        {
            round_trip(&row, false);
        }
    }
}
