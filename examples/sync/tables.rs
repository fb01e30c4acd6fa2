//! What the loader knows of each report: its kind, the key of a row, and the typed columns of
//! its table (from the crate's typed rows, serialized with their English names).

use serde_json::Value;
use wolkvox::reports::{AgentSummary, CallRecord, ReportKind, SkillInterval};

/// A typed column: its name (the typed row's field) and its PostgreSQL type.
pub type Column = (&'static str, &'static str);

const CDR_1: &[Column] = &[
    ("conn_id", "text"),
    ("date", "timestamp"),
    ("agent_id", "integer"),
    ("agent_name", "text"),
    ("campaign_id", "integer"),
    ("skill_id", "integer"),
    ("skill_name", "text"),
    ("interaction_type", "text"),
    ("destination", "text"),
    ("telephone", "text"),
    ("customer_id", "text"),
    ("duration", "integer"),
    ("cost", "double precision"),
    ("activity_code", "text"),
    ("activity_description", "text"),
    ("hang_up", "text"),
    ("comment", "text"),
];

const AGENT_1: &[Column] = &[
    ("agent_id", "integer"),
    ("agent_dni", "text"),
    ("agent_name", "text"),
    ("calls", "integer"),
    ("inbound", "integer"),
    ("outbound", "integer"),
    ("internal", "integer"),
    ("ready_time", "integer"),
    ("inbound_time", "integer"),
    ("outbound_time", "integer"),
    ("acw_time", "integer"),
    ("ring_time", "integer"),
    ("login_time", "integer"),
    ("aht", "integer"),
    ("aux_time", "integer"),
    ("occupancy", "double precision"),
    ("hits", "integer"),
    ("rpc", "integer"),
    ("login", "timestamp"),
    ("logout", "timestamp"),
];

const SKILL_3: &[Column] = &[
    ("skill_id", "integer"),
    ("skill_name", "text"),
    ("date", "date"),
    ("inbound_calls", "integer"),
    ("answered_calls", "integer"),
    ("abandoned_calls", "integer"),
    ("service_level_10seg", "double precision"),
    ("service_level_20seg", "double precision"),
    ("service_level_30seg", "double precision"),
    ("abandon", "double precision"),
    ("asa", "integer"),
    ("ata", "integer"),
    ("aht", "integer"),
    ("wait_time", "integer"),
];

/// One report's table.
#[derive(Debug, Clone)]
pub struct Table {
    pub report: String,
    pub kind: ReportKind,
    pub columns: &'static [Column],
}

/// One row ready to store: its key, its typed values (by column, JSON), the row as sent.
pub struct Prepared<'a> {
    pub key: String,
    pub typed: Vec<Value>,
    pub raw: &'a Value,
}

impl Table {
    pub fn new(report: &str, kind: ReportKind) -> Self {
        let columns = match report {
            "cdr_1" => CDR_1,
            "agent_1" => AGENT_1,
            "skill_3" => SKILL_3,
            _ => &[],
        };
        Table {
            report: report.to_owned(),
            kind,
            columns,
        }
    }

    /// The table's name, `wolkvox_<report>` (report names are lower-case letters, digits and
    /// `_`, checked by the crate before anything is sent).
    pub fn name(&self) -> String {
        format!("wolkvox_{}", self.report)
    }

    /// Whether a window replaces its day (intervals and totals) rather than merging on keys.
    pub fn replaces_day(&self) -> bool {
        self.kind != ReportKind::Events
    }

    /// The row's key and typed values; `None` for a `TOTAL` summary row (not loaded), or a row
    /// that does not decode into the report's typed row.
    pub fn prepare<'a>(&self, raw: &'a Value) -> Result<Option<Prepared<'a>>, String> {
        if is_total(raw) {
            return Ok(None);
        }
        let decode = |result: Result<Value, serde_json::Error>| {
            result.map_err(|e| format!("{} row {raw}: {e}", self.report))
        };
        let typed = match self.report.as_str() {
            "cdr_1" => decode(
                serde_json::from_value::<CallRecord>(raw.clone()).and_then(serde_json::to_value),
            )?,
            "agent_1" => decode(
                serde_json::from_value::<AgentSummary>(raw.clone()).and_then(serde_json::to_value),
            )?,
            "skill_3" => decode(
                serde_json::from_value::<SkillInterval>(raw.clone()).and_then(serde_json::to_value),
            )?,
            _ => Value::Null,
        };
        let field = |name: &str| text(typed.get(name).or_else(|| raw.get(name)));
        let key = match self.report.as_str() {
            "cdr_1" => format!(
                "{}|{}|{}",
                field("conn_id"),
                field("agent_id"),
                field("skill_id")
            ),
            "agent_1" => field("agent_id"),
            "skill_3" => format!("{}|{}", field("skill_id"), field("date")),
            _ if raw.get("conn_id").is_some() => format!("{}|{}", field("conn_id"), field("date")),
            _ => raw.to_string(),
        };
        let typed = self
            .columns
            .iter()
            .map(|(name, _)| typed.get(*name).cloned().unwrap_or(Value::Null))
            .collect();
        Ok(Some(Prepared { key, typed, raw }))
    }

    /// The day a row of an events report is filed under: its `date`, else the window's day.
    pub fn day_of(&self, raw: &Value, window_day: jiff::civil::Date) -> String {
        raw.get("date")
            .and_then(Value::as_str)
            .and_then(|d| d.get(..10))
            .filter(|d| d.parse::<jiff::civil::Date>().is_ok())
            .map_or_else(|| window_day.to_string(), str::to_owned)
    }
}

/// A value as text: strings as they are, null as empty, anything else as JSON.
pub fn text(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.trim().to_owned(),
        Some(other) => other.to_string(),
    }
}

/// Whether a row is a `TOTAL` summary row.
fn is_total(row: &Value) -> bool {
    ["agent_id", "skill_id", "agent_name", "skill_name"]
        .iter()
        .any(|field| {
            row.get(*field)
                .and_then(Value::as_str)
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("TOTAL"))
        })
}
