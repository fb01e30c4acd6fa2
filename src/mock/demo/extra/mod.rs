//! The demo's other reports, from the same calls as `cdr_1` (and a few chats a day), so that
//! they agree with each other: the abandoned calls of `skill_2` are the abandoned rows of
//! `cdr_1`, `skill_10` its answered inbound calls, `agent_8` sums to `agent_1`, `skill_1` to
//! `skill_3`, `campaign_1` counts the dials of `campaign_3`, `chat_16` the chats of `chat_1`.
//! Totals reports ([`totals`]) total the range asked.

mod totals;

use serde_json::{Value, json};

use super::dates::{DAY, Range, format_compact, format_datetime};
use super::format::clock_secs;
use super::history::{Call, Dice, Operation};
use super::reports::Filter;
use super::{INBOUND_LINE, OPEN_HOURS, OUTBOUND_CAMPAIGN};

/// A report of this module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::mock) enum Extra {
    Agent2,
    Agent3,
    Agent6,
    Agent7,
    /// Per agent and interval of this many minutes (`agent_8`: 60, `agent_8_1`: 30).
    Agent8(i64),
    Skill1,
    Skill2,
    Skill5,
    Skill8,
    Skill9,
    Skill10,
    Cdr5,
    Campaign1,
    Campaign3,
    Diagram1,
    Chat1,
    Chat16,
}

impl Extra {
    pub(in crate::mock) fn from_api(api: &str) -> Option<Self> {
        Some(match api {
            "agent_2" => Extra::Agent2,
            "agent_3" => Extra::Agent3,
            "agent_6" => Extra::Agent6,
            "agent_7" => Extra::Agent7,
            "agent_8" => Extra::Agent8(60),
            "agent_8_1" => Extra::Agent8(30),
            "skill_1" => Extra::Skill1,
            "skill_2" => Extra::Skill2,
            "skill_5" => Extra::Skill5,
            "skill_8" => Extra::Skill8,
            "skill_9" => Extra::Skill9,
            "skill_10" => Extra::Skill10,
            "cdr_5" => Extra::Cdr5,
            "campaign_1" => Extra::Campaign1,
            "campaign_3" => Extra::Campaign3,
            "diagram_1" => Extra::Diagram1,
            "chat_1" => Extra::Chat1,
            "chat_16" => Extra::Chat16,
            _ => return None,
        })
    }
}

/// The rows of `report` for `range` (`calls`: the calls of the range, ended by now).
pub(in crate::mock) fn rows(
    report: Extra,
    operation: &Operation,
    calls: &[Call],
    range: Range,
    skill: &Filter,
    agent: &Filter,
) -> Vec<Value> {
    let rows = match report {
        Extra::Skill2 => calls
            .iter()
            .filter(|c| c.abandoned())
            .map(|c| skill_2(operation, c))
            .collect(),
        Extra::Skill10 => calls
            .iter()
            .filter(|c| !c.outbound && c.handled())
            .map(|c| skill_10(operation, c))
            .collect(),
        Extra::Cdr5 => calls.iter().map(|c| cdr_5(operation, c)).collect(),
        Extra::Campaign3 => dials(calls, range),
        Extra::Diagram1 => calls
            .iter()
            .filter(|c| !c.outbound)
            .map(|c| diagram_1(operation, c))
            .collect(),
        Extra::Agent2 => calls
            .iter()
            .filter(|c| c.handled())
            .flat_map(|c| agent_2(operation, c))
            .filter(|row| range.contains_text(&row["date_ini"]))
            .collect(),
        Extra::Agent7 => totals::sessions(operation, range),
        Extra::Chat1 => chats(operation, range)
            .iter()
            .map(|c| chat_1(operation, c))
            .collect(),
        other => totals::rows(other, operation, calls, range, &chats(operation, range)),
    };
    rows.into_iter()
        .filter(|row| skill.admits_row(row, "skill_id") && agent.admits_row(row, "agent_id"))
        .collect()
}

impl Range {
    /// Whether a `YYYY-MM-DD HH:MM:SS` value is in the range.
    fn contains_text(&self, value: &Value) -> bool {
        value
            .as_str()
            .and_then(super::dates::parse_row_date)
            .is_some_and(|date| self.matches(date))
    }
}

/// The `conn_id` of a call, as `cdr_1` writes it.
pub(in crate::mock) fn conn_id(call: &Call) -> String {
    format!("{}.{:04}", format_compact(call.start), call.seq)
}

fn skill_of(operation: &Operation, call: &Call) -> (String, String) {
    call.queue.map_or_else(Default::default, |s| {
        let skill = &operation.skills[s];
        (skill.id.to_string(), skill.name.clone())
    })
}

fn agent_of(operation: &Operation, call: &Call) -> (String, String) {
    call.agent.map_or_else(Default::default, |a| {
        let agent = &operation.agents[a];
        (agent.id.to_string(), agent.name.clone())
    })
}

fn customer(call: &Call) -> String {
    call.customer_id
        .map_or_else(|| "-".to_owned(), |id| id.to_string())
}

fn skill_2(operation: &Operation, call: &Call) -> Value {
    let (skill_id, skill_name) = skill_of(operation, call);
    json!({
        "conn_id": conn_id(call), "date": format_datetime(call.start), "skill_id": skill_id,
        "skill_name": skill_name, "result": "ABANDON", "ani": call.telephone.to_string(),
        "abandon_time": call.wait.to_string(), "type_interaction": "INBOUND",
        "customer_id": customer(call),
    })
}

fn skill_10(operation: &Operation, call: &Call) -> Value {
    let ((skill_id, skill_name), (agent_id, _)) =
        (skill_of(operation, call), agent_of(operation, call));
    json!({
        "conn_id": conn_id(call), "date": format_datetime(call.start), "skill_id": skill_id,
        "skill_name": skill_name, "ani": call.telephone.to_string(),
        "answer_time": call.wait.to_string(), "agent_id": agent_id, "result": "ANSWER",
        "type_interaction": "INBOUND",
    })
}

fn cdr_5(operation: &Operation, call: &Call) -> Value {
    let ((skill_id, skill_name), (agent_id, agent_name)) =
        (skill_of(operation, call), agent_of(operation, call));
    let shown = |value: String| if call.handled() { value } else { String::new() };
    let telephone = call.telephone.to_string();
    json!({
        "conn_id": conn_id(call), "date": format_datetime(call.start), "agent_id": agent_id,
        "agent_name": agent_name,
        "campaign_id": if call.outbound { OUTBOUND_CAMPAIGN.to_string() } else { String::new() },
        "skill_id": shown(skill_id), "skill_name": shown(skill_name),
        "type_interaction": if call.outbound { "OUTBOUND" } else { "INBOUND" },
        "destiny": if call.outbound { telephone.clone() } else { INBOUND_LINE.to_owned() },
        "telephone": telephone, "customer_id": customer(call),
        "time_seg": (call.end() - call.start).to_string(), "ring_time": call.ring.to_string(),
        "result": if call.handled() { "ANSWER" } else { "ABANDON" },
    })
}

/// The collections campaign's dials: one per outbound call (answered), and before one call in
/// three a dial that failed ten minutes earlier.
fn dials(calls: &[Call], range: Range) -> Vec<Value> {
    const FAILED: [&str; 5] = [
        "NO-ANSWER",
        "BUSY",
        "ANSWER-MACHINE",
        "CONGESTION",
        "FAILED",
    ];
    let mut rows = Vec::new();
    for call in calls.iter().filter(|c| c.outbound) {
        let dice = Dice::new(call.start.div_euclid(DAY), call.seq | 1 << 43);
        let names = (
            ["ANA", "LUIS", "MARTA", "JORGE"][(call.seq % 4) as usize],
            ["PEREZ", "GOMEZ", "RUIZ"][(call.seq % 3) as usize],
        );
        let row = |at: i64, result: &str, conn: String| {
            let mut row = json!({
                "campaign_id": OUTBOUND_CAMPAIGN.to_string(),
                "customer_name": names.0, "customer_last_name": names.1,
                "id_type": "CC", "customer_id": customer(call), "date": format_datetime(at),
                "telephone": call.telephone.to_string(), "result": result, "conn_id": conn,
            });
            if let Value::Object(map) = &mut row {
                for n in 1..=12 {
                    map.insert(format!("opt{n}"), Value::String(String::new()));
                }
            }
            row
        };
        if dice.below(0, 3) == 0 && range.contains(call.start - 600) {
            let result = FAILED[dice.below(1, FAILED.len() as u64) as usize];
            rows.push(row(call.start - 600, result, String::new()));
        }
        rows.push(row(call.start, "ANSWER", conn_id(call)));
    }
    rows.sort_by(|a, b| a["date"].as_str().cmp(&b["date"].as_str()));
    rows
}

fn diagram_1(operation: &Operation, call: &Call) -> Value {
    let hour = call.start.rem_euclid(DAY) / 3600;
    let open = (OPEN_HOURS.0..OPEN_HOURS.1).contains(&hour);
    let (skill_id, _) = skill_of(operation, call);
    json!({
        "rp_id": "1", "rp_name": "MENU PRINCIPAL",
        "cod_opc_menu": skill_id.get(..1).unwrap_or("0"),
        "dn_transfer": if open { skill_id } else { String::new() },
        "date": format_datetime(call.start),
        "result": if open { "TRANSFER" } else { "HANGUP" },
        "ani": call.telephone.to_string(), "time": clock_secs(call.wait.min(30)),
        "customer_id": customer(call), "conn_id": conn_id(call),
    })
}

/// `agent_2`: the agent's states on each call (ring, talk, after-call work).
fn agent_2(operation: &Operation, call: &Call) -> Vec<Value> {
    let (agent_id, agent_name) = agent_of(operation, call);
    let answered = call.start + call.wait as i64;
    let states = [
        ("RING", answered, call.ring),
        ("TALK", answered + call.ring as i64, call.talk + call.hold),
        ("ACW", call.end(), call.acw),
    ];
    states
        .iter()
        .filter(|(_, from, _)| *from <= operation.now)
        .map(|&(status, from, seconds)| {
            json!({
                "agent_id": agent_id, "agent_name": agent_name, "agent_status": status,
                "date_ini": format_datetime(from), "date_end": format_datetime(from + seconds as i64),
                "time": clock_secs(seconds), "conn_id": conn_id(call),
                "type_interaction": if call.outbound { "OUTBOUND" } else { "INBOUND" },
                "destiny": if call.outbound { call.telephone.to_string() } else { INBOUND_LINE.to_owned() },
                "telephone": call.telephone.to_string(),
                "campaign_id": if call.outbound { OUTBOUND_CAMPAIGN.to_string() } else { String::new() },
            })
        })
        .collect()
}

/// A closed chat.
pub(in crate::mock) struct Chat {
    pub(in crate::mock) close: i64,
    pub(in crate::mock) agent: usize,
    pub(in crate::mock) skill: usize,
    pub(in crate::mock) duration: u64,
    pub(in crate::mock) asa: u64,
    pub(in crate::mock) transferred: bool,
}

/// The chats closed within `range` (and by now): about 60 a day, in open hours, taken by the
/// agents on shift.
fn chats(operation: &Operation, range: Range) -> Vec<Chat> {
    let mut all = Vec::new();
    for day in range.days() {
        for index in 0..60 {
            let dice = Dice::new(day, index | 1 << 44);
            let hour =
                OPEN_HOURS.0 + dice.below(0, (OPEN_HOURS.1 - OPEN_HOURS.0 - 1) as u64) as i64;
            let on_shift: Vec<usize> = (0..operation.agents.len())
                .filter(|&a| operation.agents[a].staff.on_shift(hour))
                .collect();
            let Some(&agent) = on_shift.get(dice.below(1, on_shift.len().max(1) as u64) as usize)
            else {
                continue;
            };
            let (asa, duration) = (5 + dice.below(2, 60), 120 + dice.below(3, 900));
            let close =
                day * DAY + hour * 3600 + dice.below(4, 3000) as i64 + (asa + duration) as i64;
            if range.contains(close) && close <= operation.now {
                all.push(Chat {
                    close,
                    agent,
                    skill: dice.below(5, operation.skills.len() as u64) as usize,
                    duration,
                    asa,
                    transferred: dice.below(6, 10) == 0,
                });
            }
        }
    }
    all.sort_by_key(|chat| chat.close);
    all
}

fn chat_1(operation: &Operation, chat: &Chat) -> Value {
    let (agent, skill) = (&operation.agents[chat.agent], &operation.skills[chat.skill]);
    json!({
        "date_close": format_datetime(chat.close), "customer_chars": (chat.duration * 3).to_string(),
        "agent_chars": (chat.duration * 4).to_string(), "time_on_agent": clock_secs(chat.duration),
        "chat_duration": clock_secs(chat.duration + chat.asa), "ASA": chat.asa.to_string(),
        "agent_anwers": (chat.duration / 40 + 1).to_string(), "agent_id": agent.id.to_string(),
        "agent_name": agent.name, "skill_id": skill.id.to_string(), "skill_name": skill.name,
    })
}

#[cfg(test)]
mod tests;
