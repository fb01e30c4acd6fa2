//! What a test changes while the simulator runs: the data it serves, its limits, its faults.

use std::sync::Arc;

use serde_json::Value;

use super::dates::parse_row_date;
use super::state::DatedRow;
use super::{Fault, InvalidRow, MockWolkvox};
use crate::{AgentRealtime, SkillRealtime};

impl MockWolkvox {
    /// Adds a skill, or replaces the one with the same id.
    pub fn add_skill(&self, skill: SkillRealtime) {
        self.state().skills.insert(skill.skill_id, skill);
    }

    /// Replaces every skill.
    pub fn set_skills(&self, skills: impl IntoIterator<Item = SkillRealtime>) {
        self.state().skills = skills.into_iter().map(|s| (s.skill_id, s)).collect();
    }

    /// Removes a skill; its id then answers 404 "no data".
    pub fn remove_skill(&self, skill_id: u32) -> Option<SkillRealtime> {
        self.state().skills.remove(&skill_id)
    }

    /// Changes one skill in place (e.g. a queue growing between two polls). Returns false
    /// when there is no such skill.
    pub fn update_skill(&self, skill_id: u32, change: impl FnOnce(&mut SkillRealtime)) -> bool {
        self.state().skills.get_mut(&skill_id).map(change).is_some()
    }

    /// Adds an agent (logged in), or replaces the one with the same id.
    pub fn add_agent(&self, agent: AgentRealtime) {
        self.state().agents.insert(agent.agent_id, agent);
    }

    /// Replaces every agent.
    pub fn set_agents(&self, agents: impl IntoIterator<Item = AgentRealtime>) {
        self.state().agents = agents.into_iter().map(|a| (a.agent_id, a)).collect();
    }

    /// Removes an agent (logged out); its id then answers 404 "no data".
    pub fn remove_agent(&self, agent_id: u32) -> Option<AgentRealtime> {
        self.state().agents.remove(&agent_id)
    }

    /// Changes one agent in place. Returns false when there is no such agent.
    pub fn update_agent(&self, agent_id: u32, change: impl FnOnce(&mut AgentRealtime)) -> bool {
        self.state().agents.get_mut(&agent_id).map(change).is_some()
    }

    /// Serves `data` for `api={api}` on the real-time endpoint (any report other than
    /// `skills` and `agents`), in the envelope with code 200; `null` or an empty array
    /// answers 404 "no data". Query parameters are not interpreted. For historical reports,
    /// see [`set_report_rows`](Self::set_report_rows).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), wolkvox::Error> {
    /// use serde_json::json;
    /// let mock = wolkvox::mock::MockWolkvox::start().await;
    /// mock.set_report("hits_last_hour", json!([{"hour": "14", "hits": "37"}]));
    /// let rows = mock.client()?.realtime("hits_last_hour").send().await?;
    /// assert_eq!(rows[0]["hits"], "37");
    /// # Ok(()) }
    /// ```
    pub fn set_report(&self, api: impl Into<String>, data: Value) {
        self.state().realtime_reports.insert(api.into(), data);
    }

    /// Serves `rows` for the historical report `api={api}` on
    /// [`REPORTS_PATH`](crate::endpoint::REPORTS_PATH), replacing any earlier rows and the
    /// demo history's for that report.
    ///
    /// Every row needs a `date` field, `"YYYY-MM-DD HH:MM:SS"` or, for per-day rows,
    /// `"YYYY-MM-DD"`. A request gets the rows, in the order given, whose date is within
    /// `date_ini..=date_end` (a per-day row: whose day the range touches), whose `skill_id` /
    /// `agent_id` equal the request's parameters when it sends them (`all` = any; a row
    /// without the field passes), at most [`set_record_limit`](Self::set_record_limit) of
    /// them; none answers 404 "no data". An empty `rows` makes the report known but empty.
    ///
    /// # Errors
    /// [`InvalidRow`] for the first row without a readable `date`; nothing is changed then.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use serde_json::json;
    /// use wolkvox::endpoint::REPORTS_PATH;
    /// use wolkvox::mock::{MOCK_TOKEN, MockWolkvox};
    ///
    /// let mock = MockWolkvox::start().await;
    /// mock.set_report_rows("skill_3", vec![
    ///     json!({"date": "2026-08-11", "skill_id": "101", "inbound_calls": "612"}),
    ///     json!({"date": "2026-08-12", "skill_id": "101", "inbound_calls": "598"}),
    /// ])?;
    /// let url = format!(
    ///     "{}{REPORTS_PATH}?api=skill_3&date_ini=20260812000000&date_end=20260812235959",
    ///     mock.uri()
    /// );
    /// let text = reqwest::Client::new()
    ///     .get(url)
    ///     .header("wolkvox-token", MOCK_TOKEN)
    ///     .send()
    ///     .await?
    ///     .text()
    ///     .await?;
    /// let body: serde_json::Value = serde_json::from_str(&text)?;
    /// assert_eq!(body["msg"], "1 records were found");
    /// assert_eq!(body["data"][0]["inbound_calls"], "598");
    /// # Ok(()) }
    /// ```
    pub fn set_report_rows(
        &self,
        api: impl Into<String>,
        rows: Vec<Value>,
    ) -> Result<(), InvalidRow> {
        let api = api.into();
        let mut dated = Vec::with_capacity(rows.len());
        for (index, row) in rows.into_iter().enumerate() {
            let field = row.get("date");
            let Some(date) = field.and_then(Value::as_str).and_then(parse_row_date) else {
                return Err(InvalidRow {
                    report: api,
                    index,
                    found: field.map_or_else(|| "no date field".to_owned(), Value::to_string),
                });
            };
            dated.push(DatedRow { date, row });
        }
        self.state().report_rows.insert(api, Arc::new(dated));
        Ok(())
    }

    /// Sets the most rows one report or catalogue answer carries (default
    /// [`DEFAULT_RECORD_LIMIT`](super::DEFAULT_RECORD_LIMIT), the vendor's 60,000). Beyond it
    /// the answer is cut silently: code 200, the first `limit` rows, as the live service may
    /// do. A small limit lets tests of the cut use small data.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use wolkvox::endpoint::REPORTS_PATH;
    /// use wolkvox::mock::{MOCK_TOKEN, MockWolkvox};
    ///
    /// let mock = MockWolkvox::start_demo().await;
    /// mock.set_record_limit(100); // a day of cdr_1 (about 2,000 calls) is now cut at 100
    /// let url = format!(
    ///     "{}{REPORTS_PATH}?api=cdr_1&date_ini=20260812000000&date_end=20260812235959",
    ///     mock.uri()
    /// );
    /// let response = reqwest::Client::new()
    ///     .get(url)
    ///     .header("wolkvox-token", MOCK_TOKEN)
    ///     .send()
    ///     .await?;
    /// assert_eq!(response.status(), 200);
    /// let body: serde_json::Value = serde_json::from_str(&response.text().await?)?;
    /// assert_eq!(body["msg"], "100 records were found");
    /// # Ok(()) }
    /// ```
    pub fn set_record_limit(&self, limit: usize) {
        self.state().record_limit = limit;
    }

    /// Serves `rows` for the catalogue `api={api}` on
    /// [`INFORMATION_PATH`](crate::endpoint::INFORMATION_PATH), replacing the demo's
    /// (any name; the live ones are `agents`, `skills`, `activity_codes`, `campaigns`,
    /// `agents_in_skill`, `token_info`, `audit_log`). `agents_in_skill` rows are filtered by
    /// their `skill_id`, `audit_log` rows by their `date` (rows without a readable one are
    /// always served); an empty `rows` answers 404 "no data". Rows set for `token_info` replace
    /// the simulator's own figures; the quota is still counted and enforced.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use serde_json::json;
    /// use wolkvox::endpoint::INFORMATION_PATH;
    /// use wolkvox::mock::{MOCK_TOKEN, MockWolkvox};
    ///
    /// let mock = MockWolkvox::start().await;
    /// mock.set_information("campaigns", vec![json!({"campaign_id": "7", "campaign_name": "COBRO"})]);
    /// let text = reqwest::Client::new()
    ///     .get(format!("{}{INFORMATION_PATH}?api=campaigns", mock.uri()))
    ///     .header("wolkvox-token", MOCK_TOKEN)
    ///     .send()
    ///     .await?
    ///     .text()
    ///     .await?;
    /// let body: serde_json::Value = serde_json::from_str(&text)?;
    /// assert_eq!(body["data"][0]["campaign_name"], "COBRO");
    /// # Ok(()) }
    /// ```
    pub fn set_information(&self, api: impl Into<String>, rows: Vec<Value>) {
        self.state().information.insert(api.into(), Arc::new(rows));
    }

    /// Sets the token's daily quota (default
    /// [`DEFAULT_TOKEN_LIMIT`](super::DEFAULT_TOKEN_LIMIT)). Every request that passes the
    /// token check and is not answered by a [`Fault`] counts, on every endpoint (`token_info`
    /// included, which reports the count as `token_use_today`); once the count for today (UTC)
    /// reaches the limit, every further request answers 403 `TOKEN LIMIT EXCEEDED`
    /// ([`Error::QuotaExceeded`](crate::Error::QuotaExceeded)) until the limit is raised or
    /// the day changes.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), wolkvox::Error> {
    /// use wolkvox::Error;
    /// let mock = wolkvox::mock::MockWolkvox::start_demo().await;
    /// mock.set_token_limit(1);
    /// let client = mock.client()?;
    /// client.skills().await?;
    /// assert!(matches!(client.skills().await, Err(Error::QuotaExceeded { .. })));
    /// # Ok(()) }
    /// ```
    pub fn set_token_limit(&self, limit: u64) {
        self.state().quota.limit = limit;
    }

    /// Answers every request with `fault` until it is set to `None`.
    pub fn set_fault(&self, fault: Option<Fault>) {
        self.state().fault = fault;
    }

    /// Answers the next `times` requests with `fault`, then normally again (queued after any
    /// faults already queued; they take precedence over [`set_fault`](Self::set_fault)).
    pub fn fail_next(&self, fault: Fault, times: usize) {
        let mut state = self.state();
        state.next_faults.extend(std::iter::repeat_n(fault, times));
    }

    /// How many requests reached the simulator's three endpoints so far (refused ones
    /// included).
    pub fn request_count(&self) -> usize {
        self.state().requests
    }
}
