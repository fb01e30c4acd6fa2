//! `Deserialize` for [`CampaignRealtime`]: the wire's row (every value a string, the id
//! inside `campaign`, the key `busy/congestion/failed`) and this type's own serialization.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};

use super::{CampaignRealtime, CampaignStatus, split_campaign};
use crate::de::Lenient;
use crate::decode::envelope::Scalar;
use crate::decode::{self, Expected};

/// A column of the row, wire and own names alike.
enum Column {
    /// The wire's `"{id} - {name} - {percentage}"`.
    Campaign,
    Id,
    Name,
    Percentage,
    Status,
    SkillId,
    Count(fn(&mut CampaignRealtime) -> &mut u32),
    Decimal(fn(&mut CampaignRealtime) -> &mut f64),
    Ignored,
}

impl Column {
    fn of(name: &str) -> Column {
        let count = |slot: fn(&mut CampaignRealtime) -> &mut u32| Column::Count(slot);
        let decimal = |slot: fn(&mut CampaignRealtime) -> &mut f64| Column::Decimal(slot);
        match name {
            "campaign" => Column::Campaign,
            "campaign_id" => Column::Id,
            "campaign_name" => Column::Name,
            "percentage" => Column::Percentage,
            "status" => Column::Status,
            "skill_id" => Column::SkillId,
            "speed" => count(|r| &mut r.speed),
            "records" => count(|r| &mut r.records),
            "clean" => count(|r| &mut r.clean),
            "dial" => count(|r| &mut r.dial),
            "answer" => count(|r| &mut r.answer),
            "no_answer" => count(|r| &mut r.no_answer),
            "busy/congestion/failed" | "busy_congestion_failed" => {
                count(|r| &mut r.busy_congestion_failed)
            }
            "answer_machine" => count(|r| &mut r.answer_machine),
            "hits" => count(|r| &mut r.hits),
            "recycled" => count(|r| &mut r.recycled),
            "penetration_day" => decimal(|r| &mut r.penetration_day),
            "penetration_now" => decimal(|r| &mut r.penetration_now),
            "calls_x_min" => decimal(|r| &mut r.calls_x_min),
            _ => Column::Ignored,
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

const CAMPAIGN: Expected = "\"{id} - {name} - {percentage}\", starting with the campaign's id";

/// The wire's `campaign`: id, name and percentage.
fn campaign(value: &Scalar<'_>) -> Result<(u32, String, Option<f64>), Expected> {
    let text = decode::text(value)?;
    split_campaign(&text)
        .map(|(id, name, percentage)| (id, name.to_owned(), percentage))
        .ok_or(CAMPAIGN)
}

fn optional_percentage(value: &Scalar<'_>) -> Result<Option<f64>, Expected> {
    decode::optional(value, decode::percentage)
}

fn optional_count(value: &Scalar<'_>) -> Result<Option<u32>, Expected> {
    decode::optional(value, decode::count)
}

impl<'de> Deserialize<'de> for CampaignRealtime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(RowVisitor)
    }
}

struct RowVisitor;

impl<'de> Visitor<'de> for RowVisitor {
    type Value = CampaignRealtime;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a row of the real-time campaigns report")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<CampaignRealtime, A::Error> {
        let mut row = CampaignRealtime::new(0, "");
        let mut has_id = false;
        while let Some(column) = map.next_key::<Column>()? {
            match column {
                Column::Campaign => {
                    let (id, name, percentage) = map.next_value_seed(Lenient(campaign))?;
                    (row.campaign_id, row.campaign_name, row.percentage) = (id, name, percentage);
                    has_id = true;
                }
                Column::Id => {
                    row.campaign_id = map.next_value_seed(Lenient(decode::id))?;
                    has_id = true;
                }
                Column::Name => row.campaign_name = map.next_value_seed(Lenient(decode::text))?,
                Column::Percentage => {
                    row.percentage = map.next_value_seed(Lenient(optional_percentage))?;
                }
                Column::Status => {
                    let status: String = map.next_value_seed(Lenient(decode::text))?;
                    row.status = CampaignStatus::parse(&status);
                }
                Column::SkillId => row.skill_id = map.next_value_seed(Lenient(optional_count))?,
                Column::Count(slot) => {
                    *slot(&mut row) = map.next_value_seed(Lenient(decode::count))?
                }
                Column::Decimal(slot) => {
                    *slot(&mut row) = map.next_value_seed(Lenient(decode::percentage))?;
                }
                Column::Ignored => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if !has_id {
            return Err(de::Error::missing_field("campaign"));
        }
        Ok(row)
    }
}
