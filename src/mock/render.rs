//! The live wire encoding: the envelope, error bodies, the maintenance page, and values as the
//! live service writes them (`"34.64 %"`, `HH:MM:SS`, counts as strings).

use std::time::Duration;

use serde_json::{Value, json};
use wiremock::ResponseTemplate;

use crate::{AgentRealtime, SkillRealtime};

/// 400: an `api=` value the endpoint does not serve.
pub(super) const UNKNOWN_API: &str = "THE API YOU WANT TO CONSULT DOES NOT EXIST";
/// 400: a required parameter is missing or unreadable.
pub(super) const MISSING_PARAMETER: &str = "SOME PARAMETERS ARE REQUIRED";
/// 401: no token header.
pub(super) const NO_TOKEN: &str = "PLEASE ENTER THE WOLKVOX-TOKEN";
/// 403: a wrong or revoked token.
pub(super) const BAD_TOKEN: &str = "PLEASE VALIDATE TOKEN";
/// 403: the daily quota is used up.
pub(super) const TOKEN_LIMIT: &str = "TOKEN LIMIT EXCEEDED";
/// 403: too many requests in flight with the token.
pub(super) const SIMULTANEOUS: &str = "EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)";
/// 404: no rows (the live service's misleading text).
pub(super) const NO_DATA: &str = "Validate dates entered";

/// The page served during maintenance windows.
pub const MAINTENANCE_HTML: &str = "<!DOCTYPE html><html><head><title>503 Service Temporarily \
    Unavailable</title></head><body><h1>Service Temporarily Unavailable</h1><p>wolkvox is under \
    maintenance.</p></body></html>";

/// 503 with [`MAINTENANCE_HTML`] as `text/html`.
pub(super) fn maintenance() -> ResponseTemplate {
    ResponseTemplate::new(503).set_body_raw(MAINTENANCE_HTML, "text/html")
}

/// An error body: `{"code": status, "error": error, "msg": msg}` with that HTTP status.
pub(super) fn error(status: u16, error: &str, msg: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({
        "code": status,
        "error": error,
        "msg": msg,
    }))
}

/// 400 `BAD REQUEST` with `msg`.
pub(super) fn bad_request(msg: &str) -> ResponseTemplate {
    error(400, "BAD REQUEST", msg)
}

/// 403 `FORBIDDEN` with `msg`.
pub(super) fn forbidden(msg: &str) -> ResponseTemplate {
    error(403, "FORBIDDEN", msg)
}

/// 404 "no data", as the live service answers an empty result.
pub(super) fn not_found() -> ResponseTemplate {
    error(404, "NOT FOUND", NO_DATA)
}

/// The success envelope, fields in the live order. Serialized as is: `data` is never turned
/// into a `serde_json::Value` first (60,000 rows would take seconds in a debug build).
#[derive(serde::Serialize)]
struct Envelope<T> {
    code: u16,
    error: Option<&'static str>,
    msg: String,
    data: T,
}

/// The success envelope around `data`, counting `count` records.
fn envelope(count: usize, data: impl serde::Serialize) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(Envelope {
        code: 200,
        error: None,
        msg: format!("{count} records were found"),
        data,
    })
}

/// The success envelope, or 404 "no data" when there are no rows.
pub(super) fn records<T: serde::Serialize>(rows: Vec<T>) -> ResponseTemplate {
    if rows.is_empty() {
        return not_found();
    }
    envelope(rows.len(), rows)
}

/// `data` as given (array, object, ...) in the success envelope; `null` or an empty array
/// answers 404 "no data".
pub(super) fn raw_data(data: Value) -> ResponseTemplate {
    let empty = match &data {
        Value::Null => true,
        Value::Array(rows) => rows.is_empty(),
        _ => false,
    };
    if empty {
        return not_found();
    }
    envelope(data.as_array().map_or(1, Vec::len), data)
}

/// `HH:MM:SS` of a number of seconds, hours unbounded, as the live service writes
/// accumulated times.
pub(super) fn clock_secs(seconds: u64) -> String {
    format!(
        "{:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// `HH:MM:SS` of a duration (whole seconds).
pub(super) fn clock(duration: Duration) -> String {
    clock_secs(duration.as_secs())
}

/// A percentage as the live service writes it: `"34.64 %"`.
pub(super) fn percent(value: f64) -> String {
    format!("{value:.2} %")
}

/// `part` of `whole` as a percentage (`"6.70 %"`), or `"0 %"` when `whole` is 0, as the live
/// service writes an empty interval.
pub(super) fn share(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "0 %".to_owned();
    }
    // Counts of a simulated operation stay far below 2^52: the conversion is exact.
    #[allow(clippy::cast_precision_loss)]
    let ratio = part as f64 * 100.0 / whole as f64;
    percent(ratio)
}

/// One agent row of `api=agents` in the live format: counts as strings, times as
/// `HH:MM:SS`, `time_state_now` in seconds, `ocupation` (sic) as a percentage.
pub(super) fn agent_row(agent: &AgentRealtime) -> Value {
    json!({
        "agent_id": agent.agent_id.to_string(),
        "agent_name": agent.agent_name,
        "agent_status": agent.agent_status.as_str(),
        "calls": agent.calls.to_string(),
        "inbound": agent.inbound.to_string(),
        "outbound": agent.outbound.to_string(),
        "internal": agent.internal.to_string(),
        "time_state_now": agent.time_state_now.as_secs().to_string(),
        "ready_time": clock(agent.ready_time),
        "inbound_time": clock(agent.inbound_time),
        "outbound_time": clock(agent.outbound_time),
        "acw_time": clock(agent.acw_time),
        "ring_time": clock(agent.ring_time),
        "login_time": clock(agent.login_time),
        "aht_time": clock(agent.aht_time),
        "aux_time": clock(agent.aux_time),
        "ocupation": percent(agent.occupancy),
    })
}

/// One skill row of `api=skills` in the live format. `services_time=N` adds
/// `service_level_{N}seg`; without it (or with 10/20/30) the service adds the
/// `service_level_0seg` placeholder, as observed live.
pub(super) fn skill_row(skill: &SkillRealtime, service_time: Option<u32>) -> Value {
    let mut row = json!({
        "skill_id": skill.skill_id.to_string(),
        "skill_name": skill.skill_name,
        "calls_in_queue_now": skill.calls_in_queue_now.to_string(),
        "stat_inbound": skill.stat_inbound.to_string(),
        "stat_answer": skill.stat_answer.to_string(),
        "stat_abandon": skill.stat_abandon.to_string(),
        "service_level_10seg": percent(skill.service_level_10seg),
        "service_level_20seg": percent(skill.service_level_20seg),
        "service_level_30seg": percent(skill.service_level_30seg),
        "by_abandon": percent(skill.by_abandon),
    });
    let (column, value) = match service_time {
        Some(n) if ![10, 20, 30].contains(&n) => {
            let level = skill
                .service_level(n)
                .unwrap_or_else(|| nearest_level(skill, n));
            (format!("service_level_{n}seg"), percent(level))
        }
        _ => ("service_level_0seg".to_owned(), "0 %".to_owned()),
    };
    if let Value::Object(map) = &mut row {
        map.insert(column, Value::String(value));
    }
    row
}

/// A plausible level for a service time the skill has no figure for: the nearest standard one.
fn nearest_level(skill: &SkillRealtime, seconds: u32) -> f64 {
    match seconds {
        0..=14 => skill.service_level_10seg,
        15..=24 => skill.service_level_20seg,
        _ => skill.service_level_30seg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_in_the_live_formats() {
        assert_eq!(clock_secs(0), "00:00:00");
        assert_eq!(clock_secs(3 * 3600 + 7 * 60 + 9), "03:07:09");
        assert_eq!(clock_secs(31 * 3600), "31:00:00");
        assert_eq!(percent(34.644), "34.64 %");
        assert_eq!(share(41, 612), "6.70 %");
        assert_eq!(share(0, 0), "0 %");
        assert_eq!(share(5, 5), "100.00 %");
    }
}
