//! Values as the live service writes them (`"34.64 %"`, `HH:MM:SS`, counts as strings), and
//! the real-time rows of `api=skills` and `api=agents` in that format.

use std::time::Duration;

use serde_json::{Value, json};

use crate::{AgentRealtime, SkillRealtime};

/// `HH:MM:SS` of a number of seconds, hours unbounded, as the live service writes
/// accumulated times.
pub(in crate::mock) fn clock_secs(seconds: u64) -> String {
    format!(
        "{:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// `HH:MM:SS` of a duration (whole seconds).
pub(in crate::mock) fn clock(duration: Duration) -> String {
    clock_secs(duration.as_secs())
}

/// A percentage as the live service writes it: `"34.64 %"`.
pub(in crate::mock) fn percent(value: f64) -> String {
    format!("{value:.2} %")
}

/// `part` of `whole` as a percentage (`"6.70 %"`), or `"0 %"` when `whole` is 0, as the live
/// service writes an empty interval.
pub(in crate::mock) fn share(part: u64, whole: u64) -> String {
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
pub(in crate::mock) fn agent_row(agent: &AgentRealtime) -> Value {
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
pub(in crate::mock) fn skill_row(skill: &SkillRealtime, service_time: Option<u32>) -> Value {
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
