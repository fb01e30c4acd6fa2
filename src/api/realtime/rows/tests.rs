//! `SkillRealtime` and `AgentRealtime` read the wire's rows (through the row deserializer,
//! as calls do) and their own serialization (through serde_json, as a map or a sequence).

use std::collections::BTreeMap;
use std::time::Duration;

use super::{AgentRealtime, AgentStatus, SkillRealtime};
use crate::decode::rows;
use crate::decode::status::ResponseView;
use crate::error::Error;

/// The rows of `data` decoded as a call decodes them.
fn wire<T: serde::de::DeserializeOwned>(data: &str) -> Result<Vec<T>, Error> {
    let body = format!(r#"{{"code":200,"data":{data}}}"#);
    let view = ResponseView {
        status: 200,
        retry_after: None,
        body: body.as_bytes(),
    };
    rows::typed::<T>(view).map(|decoded| decoded.rows)
}

fn decode_error<T: std::fmt::Debug>(result: Result<T, Error>) -> (String, String, String) {
    match result {
        Err(Error::Decode {
            path, raw, message, ..
        }) => (path, raw, message),
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[test]
fn skill_rows_in_the_live_formats() {
    let skills = wire::<SkillRealtime>(
        r#"[{"skill_id":"101","skill_name":" SOPORTE ","calls_in_queue_now":" 3 ",
             "stat_inbound":1250,"stat_answer":"","stat_abandon":"-",
             "service_level_10seg":"34.64 %","service_level_20seg":"0.00%",
             "service_level_30seg":"71,15 %","by_abandon":12.5,
             "service_level_0seg":"0 %","service_level_45seg":"80.77 %",
             "service_level_010seg":"1 %","service_level_xseg":"junk","other":{"x":[1]}}]"#,
    )
    .unwrap();
    let mut want = SkillRealtime::new(101, "SOPORTE");
    want.calls_in_queue_now = 3;
    want.stat_inbound = 1250;
    want.service_level_10seg = 34.64;
    want.service_level_30seg = 71.15;
    want.by_abandon = 12.5;
    want.extra_service_levels = BTreeMap::from([(45, 80.77)]);
    assert_eq!(skills, [want]);
}

#[test]
fn skill_row_errors_name_the_field_and_its_raw_value() {
    let (path, raw, message) = decode_error(wire::<SkillRealtime>(
        r#"[{"skill_id":"1"},{"skill_id":"1"},{"skill_id":"1","calls_in_queue_now":"n/a"}]"#,
    ));
    assert_eq!(
        (path.as_str(), raw.as_str()),
        ("data[2].calls_in_queue_now", "n/a")
    );
    assert_eq!(message, "expected a non-negative whole number (count)");
    let (path, raw, _) = decode_error(wire::<SkillRealtime>(
        r#"[{"skill_id":"1","service_level_45seg":"NaN %"}]"#,
    ));
    assert_eq!(
        (path.as_str(), raw.as_str()),
        ("data[0].service_level_45seg", "NaN %")
    );
    let (path, raw, message) = decode_error(wire::<SkillRealtime>(r#"[{"skill_id":" "}]"#));
    assert_eq!((path.as_str(), raw.as_str()), ("data[0].skill_id", " "));
    assert_eq!(message, "expected a numeric id");
    let (path, _, message) = decode_error(wire::<SkillRealtime>(r#"[{"skill_name":"X"}]"#));
    assert_eq!(
        (path.as_str(), message.as_str()),
        ("data[0]", "missing field `skill_id`")
    );
}

#[test]
fn the_first_of_a_column_sent_twice_wins_and_the_second_is_not_read() {
    let skills = wire::<SkillRealtime>(
        r#"[{"skill_id":"7","stat_answer":"5","stat_answer":"n/a","skill_id":"x",
             "service_level_45seg":"1 %","service_level_45seg":"bad"}]"#,
    )
    .unwrap();
    assert_eq!(skills[0].skill_id, 7);
    assert_eq!(skills[0].stat_answer, 5);
    assert_eq!(skills[0].extra_service_levels, BTreeMap::from([(45, 1.0)]));
    let agents = wire::<AgentRealtime>(
        r#"[{"agent_id":"7","ocupation":"81.5 %","occupancy":"x","calls":"1","calls":"y"}]"#,
    )
    .unwrap();
    assert_eq!((agents[0].occupancy, agents[0].calls), (81.5, 1));
}

fn skill() -> SkillRealtime {
    let mut skill = SkillRealtime::new(205, "COBRANZAS");
    skill.calls_in_queue_now = 4;
    skill.stat_answer = 52;
    skill.service_level_20seg = 55.1;
    skill.by_abandon = 10.34;
    skill.extra_service_levels.insert(45, 80.77);
    skill
}

fn agent() -> AgentRealtime {
    let mut agent = AgentRealtime::new(1005, "Mariana Lopez");
    agent.agent_status = AgentStatus::Other("Almuerzo".into());
    agent.calls = 34;
    agent.time_state_now = Duration::from_secs(1412);
    agent.login_time = Duration::from_secs(97 * 3600 + 5);
    agent.occupancy = 63.12;
    agent
}

/// The fields of `row` as an array of their values, in the order of `names`, which must be the
/// order they serialize in.
fn in_order<T: serde::Serialize>(row: &T, names: &[&str]) -> String {
    let text = serde_json::to_string(row).unwrap();
    let mut at = 0;
    for name in names {
        let found = text[at..].find(&format!("\"{name}\":")).map(|i| at + i);
        at = found.unwrap_or_else(|| panic!("{name} out of order in {text}"));
    }
    let object = serde_json::to_value(row).unwrap();
    assert_eq!(object.as_object().unwrap().len(), names.len());
    let values: Vec<&serde_json::Value> = names.iter().map(|name| &object[*name]).collect();
    serde_json::to_string(&values).unwrap()
}

#[test]
fn own_json_reads_back_as_a_map_a_value_and_a_sequence() {
    let skill = skill();
    let json = serde_json::to_string(&skill).unwrap();
    assert_eq!(serde_json::from_str::<SkillRealtime>(&json).unwrap(), skill);
    let value = serde_json::to_value(&skill).unwrap();
    assert_eq!(
        serde_json::from_value::<SkillRealtime>(value.clone()).unwrap(),
        skill
    );
    // As formats without field names write it: the values in order.
    let sequence = in_order(&skill, super::skill::FIELDS);
    assert_eq!(
        serde_json::from_str::<SkillRealtime>(&sequence).unwrap(),
        skill
    );
    assert!(serde_json::from_str::<SkillRealtime>("[205, \"X\"]").is_err());

    let agent = agent();
    let json = serde_json::to_string(&agent).unwrap();
    assert_eq!(serde_json::from_str::<AgentRealtime>(&json).unwrap(), agent);
    let sequence = in_order(&agent, super::agent::FIELDS);
    assert_eq!(
        serde_json::from_str::<AgentRealtime>(&sequence).unwrap(),
        agent
    );
}

#[test]
fn the_wire_and_the_own_form_decode_alike_through_a_call() {
    // A cache of snapshots can be served back through the same decode as the service.
    let json = serde_json::to_string(&agent()).unwrap();
    let agents = wire::<AgentRealtime>(&format!("[{json}]")).unwrap();
    assert_eq!(agents, [agent()]);
    let agents = wire::<AgentRealtime>(&format!(
        "[{}]",
        json.replace("\"occupancy\"", "\"ocupation\"")
    ))
    .unwrap();
    assert_eq!(agents[0].occupancy, 63.12);
    // Wire spellings read by serde_json too.
    let agent: AgentRealtime = serde_json::from_str(
        r#"{"agent_id":"1005","agent_status":" acw ","time_state_now":"95","login_time":"97:00:05","ocupation":"81,5 %"}"#,
    )
    .unwrap();
    assert_eq!(agent.agent_status, AgentStatus::Acw);
    assert_eq!(agent.time_state_now, Duration::from_secs(95));
    assert_eq!(agent.login_time, Duration::from_secs(97 * 3600 + 5));
    assert_eq!(agent.occupancy, 81.5);
    assert_eq!(agent.agent_name, "");
}

#[test]
fn agent_rows_default_what_is_missing() {
    let agents = wire::<AgentRealtime>(r#"[{"agent_id":"1001"}]"#).unwrap();
    let mut want = AgentRealtime::new(1001, "");
    want.agent_status = AgentStatus::Other(String::new());
    assert_eq!(agents, [want]);
    let (path, _, message) = decode_error(wire::<AgentRealtime>(r#"[{"agent_name":"X"}]"#));
    assert_eq!(
        (path.as_str(), message.as_str()),
        ("data[0]", "missing field `agent_id`")
    );
}
