//! The demo operation's catalogues, in the live formats of `information.php`: agents,
//! skills, activity codes, campaigns, agents per skill, and the audit log (generated per day
//! from the agents' shifts).

use serde_json::{Value, json};

use super::dates::{Range, format_datetime, today};
use super::history::Operation;
use super::{ACTIVITY_CODES, CAMPAIGNS};

/// An agent configured in the operation but not working any more.
const INACTIVE_AGENT: (u32, &str, &str) = (1011, "Ricardo Pineda", "1019876543");

/// The catalogues [`load_demo`](crate::mock::MockWolkvox::load_demo) serves, by `api=`.
pub(in crate::mock) fn demo_catalogues() -> Vec<(&'static str, Vec<Value>)> {
    let operation = Operation::demo();
    let yesterday = today() - 1;
    let calls = operation.calls_on(yesterday);
    let agents = operation
        .agents
        .iter()
        .enumerate()
        .map(|(index, agent)| {
            let (_, logout) = operation.shift(index, yesterday);
            json!({
                "agent_id": agent.id.to_string(),
                "agent_name": agent.name,
                "agent_dni": agent.staff.dni,
                "agent_status": "Active",
                "last_use": format_datetime(logout),
                "agent_sso": "no",
            })
        })
        .chain(std::iter::once(json!({
            "agent_id": INACTIVE_AGENT.0.to_string(),
            "agent_name": INACTIVE_AGENT.1,
            "agent_dni": INACTIVE_AGENT.2,
            "agent_status": "Inactive",
            "last_use": "",
            "agent_sso": "no",
        })))
        .collect();
    let skills = operation
        .skills
        .iter()
        .enumerate()
        .map(|(index, skill)| {
            let last = calls.iter().rev().find(|call| call.queue == Some(index));
            json!({
                "skill_id": skill.id.to_string(),
                "skill_name": skill.name,
                "skill_description": describe(&skill.name),
                "last_use": last.map(|call| format_datetime(call.start)).unwrap_or_default(),
            })
        })
        .collect();
    let codes = ACTIVITY_CODES
        .iter()
        .map(|code| {
            json!({
                "cod_act": code.code,
                "description_cod_act": code.description,
                "hit": yes_no(code.hit),
                "rpc": yes_no(code.rpc),
                "chat": "no",
                "voice": "yes",
                "type_code": if code.hit { "EFFECTIVE" } else { "NOT EFFECTIVE" },
                "interactions": "inbound, outbound",
            })
        })
        .collect();
    let campaigns = CAMPAIGNS
        .iter()
        .map(|(id, name, kind, status)| {
            json!({
                "campaign_id": id.to_string(),
                "campaign_name": name,
                "campaign_type": kind,
                "campaign_status": status,
            })
        })
        .collect();
    let mut members = Vec::new();
    for skill in &operation.skills {
        for agent in &operation.agents {
            if agent.staff.takes(super::group(skill.id)) {
                members.push(json!({
                    "skill_id": skill.id.to_string(),
                    "skill_name": skill.name,
                    "agent_id": agent.id.to_string(),
                    "agent_name": agent.name,
                }));
            }
        }
    }
    vec![
        ("agents", agents),
        ("skills", skills),
        ("activity_codes", codes),
        ("campaigns", campaigns),
        ("agents_in_skill", members),
    ]
}

fn yes_no(flag: bool) -> &'static str {
    if flag { "yes" } else { "no" }
}

/// `SOPORTE_TECNICO` -> `Soporte tecnico`.
fn describe(name: &str) -> String {
    let lower = name.replace('_', " ").to_lowercase();
    let mut chars = lower.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// `Laura Gomez` -> `lgomez`: the agent's user name.
fn user_name(name: &str) -> String {
    let mut words = name.split_whitespace();
    let first = words.next().and_then(|w| w.chars().next());
    let last = words.next_back().unwrap_or_default();
    first
        .into_iter()
        .chain(last.chars())
        .collect::<String>()
        .to_lowercase()
}

/// `audit_log` for `range`: every login and logout of the demo agents in it, in order.
pub(in crate::mock) fn audit_log(range: Range) -> Vec<Value> {
    let operation = Operation::demo();
    let mut events = Vec::new();
    for day in range.days() {
        for (index, agent) in operation.agents.iter().enumerate() {
            let (login, logout) = operation.shift(index, day);
            for (time, action) in [(login, "LOGIN"), (logout, "LOGOUT")] {
                if range.contains(time) {
                    events.push((time, agent.id, action, agent));
                }
            }
        }
    }
    events.sort_by_key(|&(time, id, ..)| (time, id));
    events
        .into_iter()
        .map(|(time, id, action, agent)| {
            json!({
                "date": format_datetime(time),
                "ip": format!("10.20.0.{}", id - 990),
                "user": user_name(&agent.name),
                "action": action,
                "workstation": format!("PUESTO-{:02}", id - 1000),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(describe("SOPORTE_TECNICO"), "Soporte tecnico");
        assert_eq!(user_name("Juan Pablo Rios"), "jrios");
        assert_eq!(user_name("Laura Gomez"), "lgomez");
    }
}
