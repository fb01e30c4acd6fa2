//! The catalogues endpoint ([`INFORMATION_PATH`](crate::endpoint::INFORMATION_PATH)):
//! `api=agents|skills|activity_codes|campaigns|agents_in_skill|token_info|audit_log`.
//!
//! `agents_in_skill` needs `skill_id` and `audit_log` a date range (400
//! `SOME PARAMETERS ARE REQUIRED` without them); `token_info` reports the quota this
//! simulator counted today, this request included.

use serde_json::{Value, json};

use super::answer::{self, Answer, MISSING_PARAMETER, UNKNOWN_API, records};
use super::reports;
use super::responder::Query;
use super::state::State;
use crate::mock::demo::OPERATION;
use crate::mock::demo::catalogue;
use crate::mock::demo::dates::{Range, parse_row_date};
use crate::mock::demo::reports::Filter;

/// The catalogues the live service knows.
const CATALOGUES: [&str; 7] = [
    "agents",
    "skills",
    "activity_codes",
    "campaigns",
    "agents_in_skill",
    "token_info",
    "audit_log",
];

/// The answer to one catalogue request.
pub(in crate::mock) fn answer(state: &mut State, query: &Query) -> Answer {
    let api = query.get("api").map_or("", |api| api.trim());
    if !CATALOGUES.contains(&api) && !state.information.contains_key(api) {
        return answer::bad_request(UNKNOWN_API);
    }
    let skill = if api == "agents_in_skill" {
        match query.get("skill_id").filter(|id| !id.trim().is_empty()) {
            Some(id) => Filter::new(Some(id)),
            None => return answer::bad_request(MISSING_PARAMETER),
        }
    } else {
        Filter::default()
    };
    let range = if api == "audit_log" {
        match reports::range(query, 31) {
            Ok(range) => Some(range),
            Err(refusal) => return refusal.answer(),
        }
    } else {
        None
    };
    let limit = state.record_limit;
    let given = state
        .information
        .get(api)
        .or_else(|| state.demo_catalogues.get(api));
    let mut rows: Vec<Value> = if let Some(rows) = given {
        rows.iter()
            .filter(|row| skill.admits_row(row, "skill_id"))
            .filter(|row| range.is_none_or(|range| dated_in(range, row)))
            .take(limit)
            .cloned()
            .collect()
    } else if api == "token_info" {
        vec![token_info(state)]
    } else if let (Some(range), true) = (range, state.demo_history) {
        catalogue::audit_log(range)
    } else {
        Vec::new()
    };
    rows.truncate(limit);
    records(rows)
}

/// Whether a row belongs to `range`; a row without a readable `date` always does.
fn dated_in(range: Range, row: &Value) -> bool {
    row.get("date")
        .and_then(Value::as_str)
        .and_then(parse_row_date)
        .is_none_or(|date| range.matches(date))
}

/// `token_info`: the quota of the token and what it used today.
fn token_info(state: &mut State) -> Value {
    let used = state.quota.used_today().to_string();
    json!({
        "description": OPERATION,
        "token_limit": state.quota.limit.to_string(),
        "token_use_today": used,
        "all_token_today": used,
        "available_consumption_options": "real_time, reports_manager, information",
    })
}
