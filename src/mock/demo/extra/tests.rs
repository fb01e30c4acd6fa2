use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::super::dates::{Range, parse_compact};
use super::super::history::Operation;
use super::super::reports::{DemoReport, Filter, rows};

const ALL: [&str; 18] = [
    "agent_2",
    "agent_3",
    "agent_6",
    "agent_7",
    "agent_8",
    "agent_8_1",
    "skill_1",
    "skill_2",
    "skill_5",
    "skill_8",
    "skill_9",
    "skill_10",
    "cdr_5",
    "campaign_1",
    "campaign_3",
    "diagram_1",
    "chat_1",
    "chat_16",
];

fn range(ini: &str, end: &str) -> Range {
    Range {
        ini: parse_compact(ini).unwrap(),
        end: parse_compact(end).unwrap(),
    }
}

fn report(api: &str, range: Range) -> Vec<Value> {
    let all = Filter::default();
    let agent = if api == "agent_2" {
        Filter::new(Some("1001"))
    } else {
        all.clone()
    };
    rows(
        DemoReport::from_api(api).unwrap(),
        &Operation::demo(),
        range,
        &all,
        &agent,
        usize::MAX,
    )
}

fn text<'a>(row: &'a Value, field: &str) -> &'a str {
    row[field].as_str().unwrap_or_default()
}

fn number(row: &Value, field: &str) -> u64 {
    text(row, field).parse().unwrap()
}

fn seconds(row: &Value, field: &str) -> u64 {
    text(row, field)
        .split(':')
        .fold(0, |acc, part| acc * 60 + part.parse::<u64>().unwrap())
}

fn day() -> Range {
    range("20260812000000", "20260812235959")
}

#[test]
fn every_report_answers_a_day() {
    for api in ALL {
        assert!(!report(api, day()).is_empty(), "{api}");
    }
}

#[test]
fn skill_2_and_skill_10_are_the_abandoned_and_answered_rows_of_cdr_1() {
    let cdr = report("cdr_1", day());
    let ids = |rows: &[Value]| -> BTreeSet<String> {
        rows.iter().map(|r| text(r, "conn_id").to_owned()).collect()
    };
    let inbound = |r: &&Value| text(r, "type_interaction") == "INBOUND";
    let abandoned: Vec<Value> = cdr
        .iter()
        .filter(inbound)
        .filter(|r| text(r, "agent_id").is_empty())
        .cloned()
        .collect();
    let answered: Vec<Value> = cdr
        .iter()
        .filter(inbound)
        .filter(|r| !text(r, "agent_id").is_empty())
        .cloned()
        .collect();
    assert_eq!(ids(&report("skill_2", day())), ids(&abandoned));
    assert_eq!(ids(&report("skill_10", day())), ids(&answered));
    assert_eq!(ids(&report("cdr_5", day())), ids(&cdr));
    assert_eq!(
        report("diagram_1", day()).len(),
        cdr.iter().filter(inbound).count()
    );
}

#[test]
fn agent_8_sums_to_agent_1_and_skill_1_to_skill_3() {
    let two_days = range("20260812000000", "20260813235959");
    let agent_1 = report("agent_1", two_days);
    for api in ["agent_8", "agent_8_1"] {
        let mut sums: BTreeMap<String, (u64, u64, u64)> = BTreeMap::new();
        for row in report(api, two_days) {
            let entry = sums.entry(text(&row, "agent_id").to_owned()).or_default();
            entry.0 += number(&row, "calls");
            entry.1 += seconds(&row, "login_time");
            entry.2 += seconds(&row, "inbound_time");
        }
        for row in agent_1.iter().filter(|r| text(r, "agent_id") != "TOTAL") {
            let sum = sums.get(text(row, "agent_id")).copied().unwrap_or_default();
            assert_eq!(sum.0, number(row, "calls"), "{api} {row}");
            assert_eq!(sum.1, seconds(row, "login_time"), "{api} {row}");
            assert_eq!(sum.2, seconds(row, "inbound_time"), "{api} {row}");
        }
    }
    // skill_1 totals the range asked: the sum of skill_3's days.
    let skill_3 = report("skill_3", two_days);
    for row in report("skill_1", two_days) {
        let days: u64 = skill_3
            .iter()
            .filter(|r| r["skill_id"] == row["skill_id"])
            .map(|r| number(r, "inbound_calls"))
            .sum();
        assert_eq!(number(&row, "inbound_calls"), days, "{row}");
    }
    // skill_8 + skill_9 buckets count every inbound call.
    let buckets = |api: &str| -> u64 {
        report(api, two_days)
            .iter()
            .flat_map(|r| {
                r.as_object()
                    .unwrap()
                    .iter()
                    .filter(|(k, _)| k.starts_with("answer") || k.starts_with("anwers"))
                    .map(|(_, v)| v.as_str().unwrap().parse::<u64>().unwrap())
                    .collect::<Vec<_>>()
            })
            .sum()
    };
    let inbound: u64 = skill_3.iter().map(|r| number(r, "inbound_calls")).sum();
    assert_eq!(buckets("skill_8") + buckets("skill_9"), inbound);
}

#[test]
fn campaign_1_counts_campaign_3_and_chat_16_counts_chat_1() {
    let dials = report("campaign_3", day());
    let mut results: BTreeMap<&str, u64> = BTreeMap::new();
    for dial in &dials {
        *results.entry(text(dial, "result")).or_default() += 1;
    }
    let totals = report("campaign_1", day());
    assert_eq!(totals.len(), results.len());
    for row in &totals {
        assert_eq!(number(row, "records"), results[text(row, "result")]);
    }
    let chats = report("chat_1", day());
    let total: u64 = report("chat_16", day())
        .iter()
        .map(|r| number(r, "total_chats"))
        .sum();
    assert_eq!(total, chats.len() as u64);
}

#[test]
fn the_history_stops_at_now_and_rows_of_calls_in_progress_come_later() {
    let operation = Operation::demo();
    let noon = parse_compact("20260812120000").unwrap();
    let all = Filter::default();
    let before: Vec<Value> = rows(
        DemoReport::Cdr1,
        &operation.clone().at(noon),
        day(),
        &all,
        &all,
        usize::MAX,
    );
    let after: Vec<Value> = rows(
        DemoReport::Cdr1,
        &operation.at(noon + 3600),
        day(),
        &all,
        &all,
        usize::MAX,
    );
    assert!(
        before
            .iter()
            .all(|r| text(r, "date") < "2026-08-12 12:00:00")
    );
    // A call that started before noon and ended after it appears later, under its start.
    let late = after
        .iter()
        .filter(|r| text(r, "date") < "2026-08-12 12:00:00")
        .filter(|r| !before.contains(r))
        .count();
    assert!(late > 0);
}
