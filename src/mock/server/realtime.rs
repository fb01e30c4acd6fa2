//! The real-time endpoint ([`REALTIME_PATH`](crate::endpoint::REALTIME_PATH)): `api=skills`,
//! `api=agents`, and the reports set with `set_report`.

use serde_json::Value;

use super::answer::{self, Answer, MISSING_PARAMETER, UNKNOWN_API, records};
use super::responder::Query;
use super::state::State;
use crate::mock::demo::format::{agent_row, skill_row};

/// The answer to one real-time request.
pub(in crate::mock) fn answer(state: &State, query: &Query) -> Answer {
    match query.get("api").map(String::as_str) {
        Some("skills") => skills(state, query),
        Some("agents") => agents(state, query),
        Some(api) => match state.realtime_reports.get(api) {
            Some(data) => answer::raw_data(data),
            None => answer::bad_request(UNKNOWN_API),
        },
        None => answer::bad_request(UNKNOWN_API),
    }
}

fn skills(state: &State, query: &Query) -> Answer {
    let Some(skill_id) = query.get("skill_id") else {
        return answer::bad_request(MISSING_PARAMETER);
    };
    let service_time = query
        .get("services_time")
        .and_then(|s| s.trim().parse::<u32>().ok());
    let rows: Vec<Value> = if skill_id == "all" {
        state
            .skills
            .values()
            .map(|s| skill_row(s, service_time))
            .collect()
    } else {
        skill_id
            .trim()
            .parse::<u32>()
            .ok()
            .and_then(|id| state.skills.get(&id))
            .map(|s| skill_row(s, service_time))
            .into_iter()
            .collect()
    };
    records(rows)
}

fn agents(state: &State, query: &Query) -> Answer {
    let rows: Vec<Value> = match query.get("agent_id") {
        None => state.agents.values().map(agent_row).collect(),
        Some(id) => id
            .trim()
            .parse::<u32>()
            .ok()
            .and_then(|id| state.agents.get(&id))
            .map(agent_row)
            .into_iter()
            .collect(),
    };
    records(rows)
}
