//! The demo history's reports, computed from the generated calls ([`history`](super::history))
//! so that their figures agree: `cdr_1` (one row per call), `skill_3` / `skill_4` /
//! `skill_4_1` / `skill_4_2` / `skill_7` (per skill and interval), `agent_1` (totals per agent
//! over the range, and a `TOTAL` row). Everything is written as the live service writes it.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::{Value, json};

use super::agent_report;
use super::dates::{DAY, Range, format_compact, format_datetime, format_day};
use super::format::{clock_secs, share};
use super::history::{COMMENTS, Call, Closing, Operation};
use super::{ACTIVITY_CODES, INBOUND_LINE, OUTBOUND_CAMPAIGN};

/// A report the demo history generates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::mock) enum DemoReport {
    /// One row per call.
    Cdr1,
    /// Per skill and day.
    Skill3,
    /// Per skill and interval of this many minutes (`skill_4`: 60, `skill_4_1`: 30,
    /// `skill_4_2`: 10).
    Skill4(i64),
    /// Per skill, day and hour.
    Skill7,
    /// Totals per agent over the range.
    Agent1,
    /// Every other report the demo serves ([`extra`](super::extra)).
    Extra(super::extra::Extra),
}

impl DemoReport {
    /// The report served for `api=`, if the demo history has it.
    pub(in crate::mock) fn from_api(api: &str) -> Option<Self> {
        Some(match api {
            "cdr_1" => DemoReport::Cdr1,
            "skill_3" => DemoReport::Skill3,
            "skill_4" => DemoReport::Skill4(60),
            "skill_4_1" => DemoReport::Skill4(30),
            "skill_4_2" => DemoReport::Skill4(10),
            "skill_7" => DemoReport::Skill7,
            "agent_1" => DemoReport::Agent1,
            other => DemoReport::Extra(super::extra::Extra::from_api(other)?),
        })
    }
}

/// A `skill_id=` / `agent_id=` parameter: absent, blank or `all` admits everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(in crate::mock) struct Filter(Option<String>);

impl Filter {
    /// The filter of a query parameter's value.
    pub(in crate::mock) fn new(value: Option<&str>) -> Self {
        let value = value.map(str::trim).filter(|v| !v.is_empty());
        Filter(
            value
                .filter(|v| !v.eq_ignore_ascii_case("all"))
                .map(str::to_owned),
        )
    }

    /// Whether an id passes.
    pub(in crate::mock) fn admits(&self, id: Option<u32>) -> bool {
        match &self.0 {
            None => true,
            Some(wanted) => id.is_some_and(|id| wanted.parse() == Ok(id)),
        }
    }

    /// Whether a row passes: a row without `field` always does (the parameter does not apply
    /// to its report); otherwise the field's value must equal the parameter's.
    pub(in crate::mock) fn admits_row(&self, row: &Value, field: &str) -> bool {
        let (Some(wanted), Some(value)) = (&self.0, row.get(field)) else {
            return true;
        };
        match value {
            Value::String(text) => text.trim() == wanted,
            Value::Number(number) => number.to_string() == *wanted,
            _ => false,
        }
    }
}

/// The rows of `report` for `range` as JSON values, filtered, at most `limit` of them.
pub(in crate::mock) fn rows(
    report: DemoReport,
    operation: &Operation,
    range: Range,
    skill: &Filter,
    agent: &Filter,
    limit: usize,
) -> Vec<Value> {
    let calls = operation.calls_between(range);
    let mut rows = match report {
        DemoReport::Cdr1 => filtered_cdr(operation, &calls, skill, agent, limit)
            .into_iter()
            .filter_map(|row| serde_json::to_value(row).ok())
            .collect(),
        DemoReport::Skill3 => intervals(operation, &calls, skill, DAY, Layout::Day),
        DemoReport::Skill4(minutes) => intervals(
            operation,
            &calls,
            skill,
            minutes * 60,
            Layout::Interval(minutes),
        ),
        DemoReport::Skill7 => intervals(operation, &calls, skill, 3600, Layout::DayAndHour),
        DemoReport::Agent1 => agent_report::rows(operation, &calls, range, agent),
        DemoReport::Extra(extra) => {
            super::extra::rows(extra, operation, &calls, range, skill, agent)
        }
    };
    rows.truncate(limit);
    rows
}

/// The skill id `cdr_1` shows: only handled inbound calls carry one.
fn answered_skill(operation: &Operation, call: &Call) -> Option<u32> {
    call.queue
        .filter(|_| call.handled())
        .map(|s| operation.skills[s].id)
}

/// One row of `cdr_1`, fields in the live order.
#[derive(Debug, Serialize)]
pub(in crate::mock) struct CdrRow<'a> {
    conn_id: String,
    date: String,
    agent_id: String,
    agent_name: &'a str,
    campaign_id: String,
    skill_id: String,
    skill_name: &'a str,
    type_interaction: &'static str,
    destiny: String,
    telephone: String,
    customer_id: String,
    time_seg: String,
    cost: String,
    cod_act: &'static str,
    description_cod_act: &'static str,
    cod_act_2: &'static str,
    description_cod_act_2: &'static str,
    hang_up: &'static str,
    comment: &'static str,
}

/// `cdr_1` for `range`: the calls that pass the filters, at most `limit`, as typed rows
/// (serialized without building JSON values: up to 60,000 of them).
pub(in crate::mock) fn cdr_rows<'a>(
    operation: &'a Operation,
    range: Range,
    skill: &Filter,
    agent: &Filter,
    limit: usize,
) -> Vec<CdrRow<'a>> {
    filtered_cdr(
        operation,
        &operation.calls_between(range),
        skill,
        agent,
        limit,
    )
}

/// `cdr_1`: the calls that pass the filters, at most `limit`.
fn filtered_cdr<'a>(
    operation: &'a Operation,
    calls: &[Call],
    skill: &Filter,
    agent: &Filter,
    limit: usize,
) -> Vec<CdrRow<'a>> {
    calls
        .iter()
        .filter(|call| skill.admits(answered_skill(operation, call)))
        .filter(|call| agent.admits(call.agent.map(|a| operation.agents[a].id)))
        .take(limit)
        .map(|call| cdr_row(operation, call))
        .collect()
}

fn cdr_row<'a>(operation: &'a Operation, call: &Call) -> CdrRow<'a> {
    let agent = call.agent.map(|a| &operation.agents[a]);
    let skill = call
        .queue
        .filter(|_| call.handled())
        .map(|s| &operation.skills[s]);
    let (code, description) = match call.closing {
        Some(Closing::Code(index)) => (
            ACTIVITY_CODES[index].code,
            ACTIVITY_CODES[index].description,
        ),
        Some(Closing::TimeoutAcw) => ("TIMEOUTACW", "TIMEOUTACW"),
        None => ("", ""),
    };
    let telephone = call.telephone.to_string();
    let (destiny, time_seg, cost) = if call.outbound {
        // 60.25 per started minute of conversation.
        let cost = call.talk.div_ceil(60) as f64 * 60.25;
        (
            telephone.clone(),
            call.ring + call.talk,
            format!("{cost:.2}"),
        )
    } else {
        let seconds = call.wait + call.talk + call.hold;
        (INBOUND_LINE.to_owned(), seconds, "0.00".to_owned())
    };
    CdrRow {
        conn_id: format!("{}.{:04}", format_compact(call.start), call.seq),
        date: format_datetime(call.start),
        agent_id: agent.map(|a| a.id.to_string()).unwrap_or_default(),
        agent_name: agent.map_or("", |a| a.name.as_str()),
        campaign_id: if call.outbound {
            OUTBOUND_CAMPAIGN.to_string()
        } else {
            String::new()
        },
        skill_id: skill.map(|s| s.id.to_string()).unwrap_or_default(),
        skill_name: skill.map_or("", |s| s.name.as_str()),
        type_interaction: if call.outbound { "OUTBOUND" } else { "INBOUND" },
        destiny,
        telephone,
        customer_id: call
            .customer_id
            .map_or_else(|| "-".to_owned(), |id| id.to_string()),
        time_seg: time_seg.to_string(),
        cost,
        cod_act: code,
        description_cod_act: description,
        cod_act_2: "",
        description_cod_act_2: "",
        hang_up: if call.agent_hung_up {
            "AGENT"
        } else {
            "CUSTOMER"
        },
        comment: call.comment.map_or("", |c| COMMENTS[c]),
    }
}

/// Figures of one skill in one interval.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    inbound: u64,
    answered: u64,
    abandoned: u64,
    /// Answered within 10, 20, 30 seconds.
    within: [u64; 3],
    /// Seconds waited by answered calls, and by all calls.
    answered_wait: u64,
    wait: u64,
    talk: u64,
    hold: u64,
    acw: u64,
}

impl Tally {
    fn add(&mut self, call: &Call) {
        self.inbound += 1;
        self.wait += call.wait;
        if call.abandoned() {
            self.abandoned += 1;
            return;
        }
        self.answered += 1;
        for (count, limit) in self.within.iter_mut().zip([10, 20, 30]) {
            *count += u64::from(call.wait <= limit);
        }
        self.answered_wait += call.wait;
        self.talk += call.talk;
        self.hold += call.hold;
        self.acw += call.acw;
    }

    /// The average of `total` over the answered calls, in whole seconds.
    fn per_call(&self, total: u64) -> u64 {
        total.checked_div(self.answered).unwrap_or(0)
    }
}

/// How the interval reports name their interval.
#[derive(Debug, Clone, Copy)]
enum Layout {
    /// `date` only (`skill_3`).
    Day,
    /// `date` and `hour` as `"09"` (`skill_4`, 60 minutes) or `"09:30"` (shorter intervals).
    Interval(i64),
    /// `date` and `hour` as `"09:00"` (`skill_7`).
    DayAndHour,
}

/// One row per skill and interval, for every interval in which the operation had a call
/// (a skill without calls then gets a row of zeros, as the live service sends).
fn intervals(
    operation: &Operation,
    calls: &[Call],
    skill: &Filter,
    seconds: i64,
    layout: Layout,
) -> Vec<Value> {
    let mut busy = BTreeSet::new();
    let mut tallies: BTreeMap<(i64, usize), Tally> = BTreeMap::new();
    for call in calls {
        let interval = call.start.div_euclid(seconds) * seconds;
        busy.insert(interval);
        if let (false, Some(queue)) = (call.outbound, call.queue) {
            tallies.entry((interval, queue)).or_default().add(call);
        }
    }
    let mut rows = Vec::new();
    for interval in busy {
        for (index, profile) in operation.skills.iter().enumerate() {
            if !skill.admits(Some(profile.id)) {
                continue;
            }
            let tally = tallies.get(&(interval, index)).copied().unwrap_or_default();
            rows.push(interval_row(
                profile.id,
                &profile.name,
                interval,
                layout,
                &tally,
            ));
        }
    }
    rows
}

fn interval_row(id: u32, name: &str, start: i64, layout: Layout, tally: &Tally) -> Value {
    let mut row = json!({
        "skill_id": id.to_string(),
        "skill_name": name,
        "date": format_day(start.div_euclid(DAY)),
        "inbound_calls": tally.inbound.to_string(),
        "answer_calls": tally.answered.to_string(),
        "abandon_calls": tally.abandoned.to_string(),
        "service_level_10seg": share(tally.within[0], tally.inbound),
        "service_level_20seg": share(tally.within[1], tally.inbound),
        "service_level_30seg": share(tally.within[2], tally.inbound),
        "abandon": share(tally.abandoned, tally.inbound),
        "asa": tally.per_call(tally.answered_wait).to_string(),
        "ata": clock_secs(tally.per_call(tally.talk)),
    });
    let handling = tally.per_call(tally.talk + tally.hold + tally.acw);
    let minute_of_day = start.rem_euclid(DAY) / 60;
    let (hour, minute) = (minute_of_day / 60, minute_of_day % 60);
    let extra = match layout {
        Layout::Day => json!({
            "wait_time": clock_secs(tally.wait),
            "aht": clock_secs(handling),
        }),
        Layout::Interval(_) | Layout::DayAndHour => {
            let label = match layout {
                Layout::Interval(60) => format!("{hour:02}"),
                _ => format!("{hour:02}:{minute:02}"),
            };
            json!({
                "hour": label,
                "aht": clock_secs(handling),
                "att": clock_secs(tally.per_call(tally.talk + tally.hold)),
                "acw": clock_secs(tally.per_call(tally.acw)),
            })
        }
    };
    if let (Value::Object(row), Value::Object(extra)) = (&mut row, extra) {
        row.extend(extra);
    }
    row
}
