//! `agent_1` of the demo history: totals per agent over the requested range (calls, times,
//! occupancy, login and logout), computed from the generated calls and shifts, then a
//! `TOTAL` row.

use serde_json::{Value, json};

use super::ACTIVITY_CODES;
use super::dates::{Range, format_datetime};
use super::format::{clock_secs, share};
use super::history::{Call, Closing, Operation};
use super::reports::Filter;

/// An agent's totals over the range.
#[derive(Debug, Default, Clone, Copy)]
struct AgentTally {
    inbound: u64,
    outbound: u64,
    inbound_time: u64,
    outbound_time: u64,
    inbound_acw: u64,
    outbound_acw: u64,
    ring: u64,
    login: u64,
    aux: u64,
    hits: u64,
    rpc: u64,
}

impl AgentTally {
    fn add(&mut self, call: &Call) {
        if call.outbound {
            self.outbound += 1;
            self.outbound_time += call.talk;
            self.outbound_acw += call.acw;
        } else {
            self.inbound += 1;
            self.inbound_time += call.talk + call.hold;
            self.inbound_acw += call.acw;
            self.ring += call.ring;
        }
        if let Some(Closing::Code(index)) = call.closing {
            self.hits += u64::from(ACTIVITY_CODES[index].hit);
            self.rpc += u64::from(ACTIVITY_CODES[index].rpc);
        }
    }

    fn merge(&mut self, other: &AgentTally) {
        self.inbound += other.inbound;
        self.outbound += other.outbound;
        self.inbound_time += other.inbound_time;
        self.outbound_time += other.outbound_time;
        self.inbound_acw += other.inbound_acw;
        self.outbound_acw += other.outbound_acw;
        self.ring += other.ring;
        self.login += other.login;
        self.aux += other.aux;
        self.hits += other.hits;
        self.rpc += other.rpc;
    }
}

/// `agent_1`: one row per agent logged in during the range, then `TOTAL`.
pub(in crate::mock) fn rows(
    operation: &Operation,
    calls: &[Call],
    range: Range,
    agent: &Filter,
) -> Vec<Value> {
    let mut rows = Vec::new();
    let mut total = AgentTally::default();
    for (index, profile) in operation.agents.iter().enumerate() {
        if !agent.admits(Some(profile.id)) {
            continue;
        }
        let mut tally = AgentTally::default();
        let (mut first_login, mut last_logout) = (None, None);
        for day in range.days() {
            let (login, logout) = operation.shift(index, day);
            if login > operation.now {
                continue;
            }
            let logout = logout.min(operation.now);
            let logged = range.overlap(login, logout).unsigned_abs();
            if logged > 0 {
                first_login = first_login.or(Some(login));
                last_logout = Some(logout);
                tally.login += logged;
                tally.aux += logged * (8 + u64::from(profile.id % 5)) / 100;
            }
        }
        for call in calls.iter().filter(|call| call.agent == Some(index)) {
            tally.add(call);
        }
        if tally.login == 0 && tally.inbound + tally.outbound == 0 {
            continue;
        }
        total.merge(&tally);
        let (id, dni) = (profile.id.to_string(), profile.staff.dni);
        let times = (
            first_login.map(format_datetime),
            last_logout.map(format_datetime),
        );
        rows.push(agent_row(&id, dni, &profile.name, &tally, times));
    }
    if !rows.is_empty() {
        rows.push(agent_row("TOTAL", "", "TOTAL", &total, (None, None)));
    }
    rows
}

fn agent_row(
    id: &str,
    dni: &str,
    name: &str,
    tally: &AgentTally,
    (login, logout): (Option<String>, Option<String>),
) -> Value {
    let calls = tally.inbound + tally.outbound;
    let acw = tally.inbound_acw + tally.outbound_acw;
    let talking = tally.inbound_time + tally.outbound_time;
    let busy = talking + acw + tally.ring;
    json!({
        "agent_id": id,
        "agent_dni": dni,
        "agent_name": name,
        "calls": calls.to_string(),
        "inbound": tally.inbound.to_string(),
        "outbound": tally.outbound.to_string(),
        "internal": "0",
        "ready_time": clock_secs(tally.login.saturating_sub(busy + tally.aux)),
        "inbound_time": clock_secs(tally.inbound_time),
        "outbound_time": clock_secs(tally.outbound_time),
        "acw_time": clock_secs(acw),
        "ring_time": clock_secs(tally.ring),
        "login_time": clock_secs(tally.login),
        "aht": clock_secs((talking + acw).checked_div(calls).unwrap_or(0)),
        "aux_time": clock_secs(tally.aux),
        "aht_inbound": clock_secs(
            (tally.inbound_time + tally.inbound_acw).checked_div(tally.inbound).unwrap_or(0)
        ),
        "aht_outbund": clock_secs(
            (tally.outbound_time + tally.outbound_acw).checked_div(tally.outbound).unwrap_or(0)
        ),
        "occupancy": share(busy, tally.login),
        "hits": tally.hits.to_string(),
        "rpc": tally.rpc.to_string(),
        "login": login.unwrap_or_default(),
        "logout": logout.unwrap_or_default(),
    })
}
