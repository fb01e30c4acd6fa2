//! The demo's totals and per-interval reports other than `agent_1` and `skill_3`/`skill_4*`:
//! `agent_3`, `agent_6`, `agent_7`, `agent_8`/`agent_8_1`, `skill_1`, `skill_5`, `skill_8`,
//! `skill_9`, `campaign_1`, `chat_16`, each over the range asked.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use super::super::dates::{DAY, Range, format_datetime, format_day};
use super::super::format::{clock_secs, share};
use super::super::history::{Call, Operation};
use super::{Chat, Extra};

/// An agent's (or an hour's) call figures.
#[derive(Debug, Default, Clone, Copy)]
struct Work {
    inbound: u64,
    outbound: u64,
    inbound_time: u64,
    outbound_time: u64,
    acw: u64,
    ring: u64,
    login: u64,
}

impl Work {
    fn add(&mut self, call: &Call) {
        if call.outbound {
            self.outbound += 1;
            self.outbound_time += call.talk;
        } else {
            self.inbound += 1;
            self.inbound_time += call.talk + call.hold;
            self.ring += call.ring;
        }
        self.acw += call.acw;
    }

    /// The columns `agent_1` shares with `agent_6` and `agent_8`.
    fn columns(&self, row: &mut Value) {
        let calls = self.inbound + self.outbound;
        let talking = self.inbound_time + self.outbound_time;
        let busy = talking + self.acw + self.ring;
        let per = |total: u64, n: u64| clock_secs(total.checked_div(n).unwrap_or(0));
        let extra = json!({
            "calls": calls.to_string(), "inbound": self.inbound.to_string(),
            "outbound": self.outbound.to_string(), "internal": "0",
            "ready_time": clock_secs(self.login.saturating_sub(busy)),
            "inbound_time": clock_secs(self.inbound_time),
            "outbound_time": clock_secs(self.outbound_time), "acw_time": clock_secs(self.acw),
            "ring_time": clock_secs(self.ring), "login_time": clock_secs(self.login),
            "aht": per(talking + self.acw, calls), "aux_time": clock_secs(0),
            "aht_inbound": per(self.inbound_time, self.inbound),
            "aht_outbund": per(self.outbound_time, self.outbound),
            "occupancy": share(busy, self.login),
        });
        if let (Value::Object(row), Value::Object(extra)) = (row, extra) {
            row.extend(extra);
        }
    }
}

/// An agent's shift on `day`, clipped to the simulator's now.
fn shift(operation: &Operation, agent: usize, day: i64) -> Option<(i64, i64)> {
    let (login, logout) = operation.shift(agent, day);
    (login <= operation.now).then(|| (login, logout.min(operation.now)))
}

/// `agent_7`: one row per login session that started in the range.
pub(super) fn sessions(operation: &Operation, range: Range) -> Vec<Value> {
    let mut rows = Vec::new();
    for day in range.days() {
        for (index, agent) in operation.agents.iter().enumerate() {
            let Some((login, logout)) = shift(operation, index, day) else {
                continue;
            };
            if range.contains(login) {
                rows.push(json!({
                    "agent_id": agent.id.to_string(), "agent_name": agent.name,
                    "date": format_day(day), "login": format_datetime(login),
                    "logout": format_datetime(logout),
                    "login_time": clock_secs((logout - login).unsigned_abs()),
                }));
            }
        }
    }
    rows
}

pub(super) fn rows(
    report: Extra,
    operation: &Operation,
    calls: &[Call],
    range: Range,
    chats: &[Chat],
) -> Vec<Value> {
    match report {
        Extra::Agent8(minutes) => per_agent_interval(operation, calls, range, minutes * 60),
        Extra::Agent6 => per_hour_of_day(calls),
        Extra::Agent3 => aux_states(operation, range),
        Extra::Skill1 | Extra::Skill8 | Extra::Skill9 => per_skill(report, operation, calls),
        Extra::Skill5 => skill_5(operation, calls),
        Extra::Campaign1 => campaign_1(calls, range),
        Extra::Chat16 => chat_16(operation, chats),
        _ => Vec::new(),
    }
}

/// `agent_8` / `agent_8_1`: per agent and interval; calls by their start, login time by the
/// part of the shift inside the interval (and the range), so they sum to `agent_1`.
fn per_agent_interval(
    operation: &Operation,
    calls: &[Call],
    range: Range,
    seconds: i64,
) -> Vec<Value> {
    let mut work: BTreeMap<(usize, i64), Work> = BTreeMap::new();
    for call in calls {
        if let Some(agent) = call.agent {
            work.entry((agent, call.start.div_euclid(seconds) * seconds))
                .or_default()
                .add(call);
        }
    }
    for day in range.days() {
        for agent in 0..operation.agents.len() {
            let Some((login, logout)) = shift(operation, agent, day) else {
                continue;
            };
            let mut start = login.div_euclid(seconds) * seconds;
            while start < logout {
                let inside = range.overlap(start.max(login), (start + seconds).min(logout));
                if inside > 0 {
                    work.entry((agent, start)).or_default().login += inside.unsigned_abs();
                }
                start += seconds;
            }
        }
    }
    work.iter()
        .map(|(&(agent, start), tally)| {
            let profile = &operation.agents[agent];
            let minute = start.rem_euclid(DAY) / 60;
            let mut row = json!({
                "agent_id": profile.id.to_string(), "agent_name": profile.name,
                "date": format_day(start.div_euclid(DAY)).replace('-', ""),
                "hour": format!("{:02}:{:02}", minute / 60, minute % 60),
            });
            tally.columns(&mut row);
            row
        })
        .collect()
}

/// `agent_6`: the operation's calls per hour of the day over the range.
fn per_hour_of_day(calls: &[Call]) -> Vec<Value> {
    let mut hours: BTreeMap<i64, Work> = BTreeMap::new();
    for call in calls.iter().filter(|c| c.handled()) {
        hours
            .entry(call.start.rem_euclid(DAY) / 3600)
            .or_default()
            .add(call);
    }
    hours
        .iter()
        .map(|(hour, tally)| {
            let mut row = json!({ "hour": format!("{hour:02}:00") });
            tally.columns(&mut row);
            row
        })
        .collect()
}

/// `agent_3`: each agent's aux time over the range, by aux state.
fn aux_states(operation: &Operation, range: Range) -> Vec<Value> {
    let mut rows = Vec::new();
    for (index, agent) in operation.agents.iter().enumerate() {
        let logged: u64 = range
            .days()
            .filter_map(|day| shift(operation, index, day))
            .map(|(login, logout)| range.overlap(login, logout).unsigned_abs())
            .sum();
        let aux = logged * (8 + u64::from(agent.id % 5)) / 100;
        if aux == 0 {
            continue;
        }
        let lunch = aux / 2;
        let pause = aux * 3 / 10;
        for (state, seconds) in [
            ("Almuerzo", lunch),
            ("Break", pause),
            ("Capacitacion", aux - lunch - pause),
        ] {
            rows.push(json!({
                "agent_id": agent.id.to_string(), "agent_name": agent.name,
                "agent_dni": agent.staff.dni, "aux_state": state, "time": clock_secs(seconds),
            }));
        }
    }
    rows
}

/// `skill_1` (totals), `skill_8` (answered calls by wait) and `skill_9` (abandoned calls by
/// wait), one row per skill.
fn per_skill(report: Extra, operation: &Operation, calls: &[Call]) -> Vec<Value> {
    let names = [
        "answer_0seg_10seg",
        "answer_11seg_20seg",
        "answer_21seg_30seg",
        "answer_31seg_40seg",
        "answer_41seg_50seg",
        "anwers_greater_than_51seg",
    ];
    operation
        .skills
        .iter()
        .enumerate()
        .map(|(index, skill)| {
            let inbound: Vec<&Call> = calls
                .iter()
                .filter(|c| !c.outbound && c.queue == Some(index))
                .collect();
            let answered: Vec<&&Call> = inbound.iter().filter(|c| c.handled()).collect();
            let mut row = json!({ "skill_id": skill.id.to_string(), "skill_name": skill.name });
            let Value::Object(map) = &mut row else {
                return row;
            };
            if report == Extra::Skill1 {
                let n = answered.len() as u64;
                let within =
                    |limit: u64| answered.iter().filter(|c| c.wait <= limit).count() as u64;
                let all = inbound.len() as u64;
                let wait: u64 = answered.iter().map(|c| c.wait).sum();
                let talk: u64 = answered.iter().map(|c| c.talk).sum();
                for (key, value) in [
                    ("inbound_calls", all.to_string()),
                    ("answer_calls", n.to_string()),
                    ("abandon_calls", (all - n).to_string()),
                    ("service_level_10seg", share(within(10), all)),
                    ("service_level_20seg", share(within(20), all)),
                    ("service_level_30seg", share(within(30), all)),
                    ("abandon", share(all - n, all)),
                    ("asa", wait.checked_div(n).unwrap_or(0).to_string()),
                    ("ata", clock_secs(talk.checked_div(n).unwrap_or(0))),
                ] {
                    map.insert(key.to_owned(), Value::String(value));
                }
            } else {
                let abandoned = report == Extra::Skill9;
                let mut buckets = [0u64; 6];
                for call in inbound.iter().filter(|c| c.abandoned() == abandoned) {
                    buckets[(call.wait.saturating_sub(1) / 10).min(5) as usize] += 1;
                }
                for (name, count) in names.iter().zip(buckets) {
                    map.insert((*name).to_owned(), Value::String(count.to_string()));
                }
            }
            row
        })
        .collect()
}

/// `skill_5`: per skill and hour of the day (one day at most), with the agents needed.
fn skill_5(operation: &Operation, calls: &[Call]) -> Vec<Value> {
    let mut hours: BTreeMap<(usize, i64), (u64, BTreeSet<u64>, u64)> = BTreeMap::new();
    for call in calls.iter().filter(|c| !c.outbound) {
        if let Some(skill) = call.queue {
            let entry = hours
                .entry((skill, call.start.rem_euclid(DAY) / 3600))
                .or_default();
            entry.0 += 1;
            entry.1.insert(call.telephone);
            entry.2 += call.talk + call.hold + call.acw;
        }
    }
    hours
        .iter()
        .map(|(&(skill, hour), (inbound, customers, handling))| {
            let aht = handling / inbound.max(&1);
            json!({
                "skill_id": operation.skills[skill].id.to_string(), "hour": format!("{hour:02}:00"),
                "inbound_calls": inbound.to_string(),
                "inbound_calls_unique_customers": customers.len().to_string(),
                "aht": clock_secs(aht), "agents_needed": (handling * 12 / 10).div_ceil(3600).to_string(),
            })
        })
        .collect()
}

/// `campaign_1`: the dials of `campaign_3` by result.
fn campaign_1(calls: &[Call], range: Range) -> Vec<Value> {
    let dials = super::dials(calls, range);
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for dial in &dials {
        *counts
            .entry(dial["result"].as_str().unwrap_or_default().to_owned())
            .or_default() += 1;
    }
    counts
        .iter()
        .map(|(result, n)| json!({"result": result, "records": n.to_string(), "percent": share(*n, dials.len() as u64)}))
        .collect()
}

/// `chat_16`: the chats of `chat_1` per agent.
fn chat_16(operation: &Operation, chats: &[Chat]) -> Vec<Value> {
    let mut agents: BTreeMap<usize, (u64, u64, u64)> = BTreeMap::new();
    for chat in chats {
        let entry = agents.entry(chat.agent).or_default();
        entry.0 += 1;
        entry.1 += chat.duration;
        entry.2 += u64::from(chat.transferred);
    }
    agents
        .iter()
        .map(|(&agent, &(n, time, transferred))| {
            let profile = &operation.agents[agent];
            json!({
                "agent_id": profile.id.to_string(), "agent_name": profile.name,
                "total_chats": n.to_string(), "time": clock_secs(time),
                "tmo": clock_secs(time / n.max(1)), "percent_transfer": share(transferred, n),
            })
        })
        .collect()
}
