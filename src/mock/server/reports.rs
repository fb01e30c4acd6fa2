//! The historical reports endpoint ([`REPORTS_PATH`](crate::endpoint::REPORTS_PATH)):
//! `api=<report>&date_ini=YYYYmmddHHMMSS&date_end=YYYYmmddHHMMSS[&skill_id=..][&agent_id=..]`.
//!
//! Checked in this order: the report must be known (400 `THE API YOU WANT TO CONSULT DOES NOT
//! EXIST`), both dates readable (400 `SOME PARAMETERS ARE REQUIRED`), the range at most 31
//! calendar days, 1 for `skill_5` (400 `THE DATE RANGE CANNOT EXCEED 31 DAYS`); then the rows
//! in the range pass the filters, at most the record limit of them (a silent cut, code 200),
//! and no rows answers 404 "no data".

use std::sync::Arc;

use super::answer::{self, Answer, MISSING_PARAMETER, UNKNOWN_API, records};
use super::responder::Query;
use super::state::{DatedRow, State};
use crate::mock::demo::dates::{Range, parse_compact, wall_clock};
use crate::mock::demo::history::Operation;
use crate::mock::demo::reports::{self as demo_reports, DemoReport, Filter};

/// Where the rows of a report come from.
enum Source {
    /// Rows given by the test.
    Rows(Arc<Vec<DatedRow>>),
    /// The demo history.
    Demo(DemoReport),
}

/// An accepted request, answered without holding the state.
pub(in crate::mock) struct Plan {
    source: Source,
    range: Range,
    skill: Filter,
    agent: Filter,
    limit: usize,
    /// The simulator's "now" (seconds).
    now: i64,
}

/// A request refused with 400 and this message.
#[derive(Debug)]
pub(in crate::mock) struct Refusal(String);

impl Refusal {
    /// The 400 answer.
    pub(in crate::mock) fn answer(&self) -> Answer {
        answer::bad_request(&self.0)
    }
}

/// The date range of a query, or the refusal: both dates are required, and the range may
/// touch at most `max_days` calendar days.
pub(in crate::mock) fn range(query: &Query, max_days: i64) -> Result<Range, Refusal> {
    let date = |name: &str| query.get(name).and_then(|value| parse_compact(value));
    let (Some(ini), Some(end)) = (date("date_ini"), date("date_end")) else {
        return Err(Refusal(MISSING_PARAMETER.to_owned()));
    };
    let range = Range { ini, end };
    if range.calendar_days() > max_days {
        let unit = if max_days == 1 { "DAY" } else { "DAYS" };
        return Err(Refusal(format!(
            "THE DATE RANGE CANNOT EXCEED {max_days} {unit}"
        )));
    }
    Ok(range)
}

/// Checks a request and, when it is acceptable, says how to answer it.
pub(in crate::mock) fn plan(state: &State, query: &Query) -> Result<Plan, Refusal> {
    let api = query.get("api").map_or("", |api| api.trim());
    let source = match state.report_rows.get(api) {
        Some(rows) => Source::Rows(Arc::clone(rows)),
        None => match DemoReport::from_api(api).filter(|_| state.demo_history) {
            Some(report) => Source::Demo(report),
            None => return Err(Refusal(UNKNOWN_API.to_owned())),
        },
    };
    let no_agent = query.get("agent_id").is_none_or(|id| id.trim().is_empty());
    if api == "agent_2" && no_agent && matches!(source, Source::Demo(_)) {
        // The demo report whose agent is required.
        return Err(Refusal(MISSING_PARAMETER.to_owned()));
    }
    let max_days = if api == "skill_5" { 1 } else { 31 };
    Ok(Plan {
        source,
        range: range(query, max_days)?,
        skill: Filter::new(query.get("skill_id").map(String::as_str)),
        agent: Filter::new(query.get("agent_id").map(String::as_str)),
        limit: state.record_limit,
        now: state.now.unwrap_or_else(wall_clock),
    })
}

impl Plan {
    /// The rows in the envelope, or 404 "no data".
    pub(in crate::mock) fn answer(self) -> Answer {
        match self.source {
            Source::Rows(rows) => records(
                rows.iter()
                    .filter(|dated| self.range.matches(dated.date))
                    .filter(|dated| self.skill.admits_row(&dated.row, "skill_id"))
                    .filter(|dated| self.agent.admits_row(&dated.row, "agent_id"))
                    .take(self.limit)
                    .map(|dated| &dated.row)
                    .collect(),
            ),
            Source::Demo(DemoReport::Cdr1) => {
                // Up to 60,000 rows: written straight from typed rows, without building JSON
                // values.
                let operation = Operation::demo().at(self.now);
                records(demo_reports::cdr_rows(
                    &operation,
                    self.range,
                    &self.skill,
                    &self.agent,
                    self.limit,
                ))
            }
            Source::Demo(report) => records(demo_reports::rows(
                report,
                &Operation::demo().at(self.now),
                self.range,
                &self.skill,
                &self.agent,
                self.limit,
            )),
        }
    }
}
