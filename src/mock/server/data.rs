//! The data a test gives the simulator to serve: real-time skills and agents, reports,
//! catalogues, the demo operation, and the record limit.

use std::sync::Arc;

use serde_json::Value;

use super::state::DatedRow;
use crate::mock::demo::dates::parse_row_date;
use crate::mock::demo::{campaigns, catalogue, demo_agents, demo_skills};
use crate::mock::{InvalidRow, MockWolkvox};
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
    /// [`DEFAULT_RECORD_LIMIT`](crate::mock::DEFAULT_RECORD_LIMIT), the vendor's 60,000). Beyond it
    /// the answer is cut silently: code 200, the first `limit` rows, as the live service may
    /// do. A small limit lets tests of the cut use small data.
    ///
    /// The client cannot tell a cut answer from a complete one below its own record limit:
    /// a report read from a simulator with `set_record_limit(n)` needs
    /// [`.record_limit(n)`](crate::reports::ReportRequest::record_limit) on the request, or the
    /// cut answers are taken as complete and their missing rows are lost.
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

    /// Sets the simulator's "now" (the operation's wall-clock time): the demo history is
    /// served up to it, and a call is in it only once it has ended, so a `cdr_1` row appears
    /// after its call, under the `date` the call started (rows arrive late under an earlier
    /// date, as on the live service). Every demo report is computed from those calls. By
    /// default "now" is the wall clock at `-05:00`, moving; once set it stays until set again.
    /// Rows set with [`set_report_rows`](Self::set_report_rows) are served whatever the time.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), wolkvox::Error> {
    /// use jiff::civil::date;
    /// use wolkvox::reports::CallRecord;
    ///
    /// let mock = wolkvox::mock::MockWolkvox::start_demo().await;
    /// let client = mock.client()?;
    /// let day = date(2026, 10, 1);
    /// mock.set_now(day.at(9, 0, 0, 0));
    /// let morning: Vec<CallRecord> = client.report("cdr_1").on(day).send_as().await?;
    /// assert!(morning.iter().all(|call| call.date < day.at(9, 0, 0, 0)));
    /// mock.set_now(day.at(10, 0, 0, 0));
    /// let later: Vec<CallRecord> = client.report("cdr_1").on(day).send_as().await?;
    /// assert!(later.len() > morning.len());
    /// # Ok(()) }
    /// ```
    pub fn set_now(&self, now: jiff::civil::DateTime) {
        self.state().now = Some(crate::mock::demo::dates::seconds_of(now));
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

    /// Loads the demo operation, replacing the skills and agents:
    ///
    /// - real time: [`demo_skills`] (twelve skills) and [`demo_agents`] (ten agents) in
    ///   mid-afternoon;
    /// - history, for any date asked: `cdr_1`, `skill_3`, `skill_4`, `skill_4_1`, `skill_4_2`,
    ///   `skill_7` and `agent_1`, generated per day from the same calls (about 2,000 a day
    ///   along a daily curve, so a 31-day `cdr_1` window meets the 60,000-record cut);
    ///   `skill_4*` rows carry a `date` column besides `hour`, so rows of several days stay
    ///   apart (the live samples show none: do not rely on it); as on the live service, the
    ///   interval reports (`skill_3`, `skill_4*`, `skill_7`) leave out the intervals without
    ///   calls (`skill_4` has no row for an hour in which no call arrived), and an interval
    ///   with calls has a row for every skill, zeros for a skill that had none;
    /// - every other report whose fields the vendor's integrations use, from the same calls
    ///   (and about 60 chats a day), so that they agree: `agent_2` (states of one agent;
    ///   `agent_id` required), `agent_3`, `agent_6`, `agent_7`, `agent_8` and `agent_8_1` (they
    ///   sum to `agent_1`), `skill_1` (the sum of `skill_3`'s days), `skill_2` (the abandoned
    ///   rows of `cdr_1`), `skill_5`, `skill_8`, `skill_9`, `skill_10` (the answered inbound
    ///   rows of `cdr_1`), `cdr_5`, `campaign_1` (the dials of `campaign_3` by result),
    ///   `campaign_3`, `diagram_1`, `chat_1` and `chat_16` (its chats per agent); totals
    ///   reports total the range asked; any other report name answers 400;
    /// - all of it up to the simulator's "now" ([`set_now`](Self::set_now)), with each call
    ///   in the history only once it has ended;
    /// - catalogues: `agents` (the ten and one inactive agent), `skills`, `activity_codes`,
    ///   `campaigns`, `agents_in_skill`, and a generated `audit_log` (logins and logouts);
    /// - outbound campaigns (`campaign.php` and the real-time `campaigns` report): 7
    ///   `RECUPERACION_CARTERA`, predictive, started at speed 1 with 40 records of which 15
    ///   were dialled, and 8 `ENCUESTA_SATISFACCION`, preview, stopped with 12 clean records
    ///   (replacing campaigns of the same ids).
    ///
    /// Rows set with [`set_report_rows`](Self::set_report_rows) or
    /// [`set_information`](Self::set_information) take precedence, before or after.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use wolkvox::endpoint::REPORTS_PATH;
    /// use wolkvox::mock::{MOCK_TOKEN, MockWolkvox};
    ///
    /// let mock = MockWolkvox::start().await;
    /// mock.load_demo();
    /// let url = format!(
    ///     "{}{REPORTS_PATH}?api=skill_3&date_ini=20260812000000&date_end=20260812235959&skill_id=101",
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
    /// let day = &body["data"][0];
    /// assert_eq!(day["date"], "2026-08-12");
    /// assert_eq!(day["skill_name"], "SOPORTE_TECNICO");
    /// # Ok(()) }
    /// ```
    pub fn load_demo(&self) {
        let catalogues = catalogue::demo_catalogues();
        let mut state = self.state();
        state.skills = demo_skills().into_iter().map(|s| (s.skill_id, s)).collect();
        state.agents = demo_agents().into_iter().map(|a| (a.agent_id, a)).collect();
        state.demo_history = true;
        state.campaigns.tick();
        state.campaigns.by_id.extend(campaigns::demo_campaigns());
        for (api, rows) in catalogues {
            state.demo_catalogues.insert(api.to_owned(), Arc::new(rows));
        }
    }
}
