//! A simulated Wolkvox server for tests (cargo feature `mock`): no network, no token.
//!
//! [`MockWolkvox`] runs a [wiremock](https://docs.rs/wiremock) server on loopback that answers
//! the real-time endpoint like the live service: it checks the `wolkvox-token` header (401
//! without it, 403 `PLEASE VALIDATE TOKEN` with a wrong one), serves `api=skills` for one id
//! or `all` in the live envelope and value formats (`"34.64 %"`, counts as strings), answers
//! 404 "no data" for unknown ids, 400 for an unknown `api=` or a missing parameter, and can be
//! switched into the service's failure modes ([`Fault`]).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), wolkvox::Error> {
//! use wolkvox::mock::{Fault, MockWolkvox};
//! use wolkvox::{Error, SkillRealtime};
//!
//! let mock = MockWolkvox::start().await;
//! let mut sales = SkillRealtime::new(102, "VENTAS");
//! sales.stat_inbound = 40;
//! mock.add_skill(sales);
//!
//! let client = mock.client()?; // preconfigured for this server, with its token
//! assert_eq!(client.skill(102).await?.stat_inbound, 40);
//!
//! mock.set_fault(Some(Fault::TokenLimitExceeded));
//! assert!(matches!(client.skills().await, Err(Error::QuotaExceeded { .. })));
//! # Ok(()) }
//! ```

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::{AgentRealtime, Error, SkillRealtime, WolkvoxClient, WolkvoxClientBuilder};

/// The token a [`MockWolkvox`] accepts unless started with another.
pub const MOCK_TOKEN: &str = "mock-token";

/// A failure mode of the live service, switched on with [`MockWolkvox::set_fault`] or
/// [`MockWolkvox::fail_next`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Fault {
    /// 503 with the HTML maintenance page (content-type `text/html`).
    Maintenance,
    /// 403 `TOKEN LIMIT EXCEEDED`: the daily quota is used up.
    TokenLimitExceeded,
    /// 403 `EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)`.
    SimultaneousRequests,
    /// 403 `PLEASE VALIDATE TOKEN`, whatever token is sent.
    InvalidToken,
    /// The normal answer, after this delay (for timeouts).
    Delay(Duration),
}

#[derive(Debug, Default)]
struct State {
    token: String,
    skills: BTreeMap<u32, SkillRealtime>,
    agents: BTreeMap<u32, AgentRealtime>,
    reports: BTreeMap<String, Value>,
    fault: Option<Fault>,
    next_faults: VecDeque<Fault>,
    requests: usize,
}

/// A simulated Wolkvox server on loopback. Dropping it stops the server.
///
/// Skills and faults can be changed while clients use it; every change applies to the next
/// request.
#[derive(Debug)]
pub struct MockWolkvox {
    server: MockServer,
    state: Arc<Mutex<State>>,
}

impl MockWolkvox {
    /// Starts an empty server accepting [`MOCK_TOKEN`].
    pub async fn start() -> Self {
        Self::start_with_token(MOCK_TOKEN).await
    }

    /// Starts an empty server accepting `token`.
    pub async fn start_with_token(token: impl Into<String>) -> Self {
        let state = Arc::new(Mutex::new(State {
            token: token.into(),
            ..State::default()
        }));
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/api/v2/real_time.php"))
            .respond_with(Responder {
                state: Arc::clone(&state),
            })
            .mount(&server)
            .await;
        MockWolkvox { server, state }
    }

    /// Starts a server holding [`demo_skills`] and [`demo_agents`]: a dozen skills and ten
    /// agents with plausible figures.
    pub async fn start_demo() -> Self {
        let mock = Self::start().await;
        mock.set_skills(demo_skills());
        mock.set_agents(demo_agents());
        mock
    }

    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    /// The server's base URL, e.g. `http://127.0.0.1:41234`: pass it to
    /// [`WolkvoxClientBuilder::base_url`].
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The token the server accepts.
    pub fn token(&self) -> String {
        self.state().token.clone()
    }

    /// A builder set up for this server: its base URL and token, short retry backoffs
    /// (10 ms to 100 ms) so tests of retries stay fast, and no polling floor
    /// (`min_poll_interval(Duration::ZERO)`: the simulator has no quota). Change anything
    /// before `build()`.
    pub fn client_builder(&self) -> WolkvoxClientBuilder {
        WolkvoxClient::builder()
            .base_url(&self.uri())
            .token(self.token())
            .retry_backoff(Duration::from_millis(10), Duration::from_millis(100))
            .min_poll_interval(Duration::ZERO)
    }

    /// A client for this server; see [`client_builder`](Self::client_builder).
    ///
    /// # Errors
    /// [`Error::Config`] if the token the server was started with cannot be sent as a header.
    pub fn client(&self) -> Result<WolkvoxClient, Error> {
        self.client_builder().build()
    }

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

    /// Serves `data` for `api={api}` (any report other than `skills` and `agents`), in the
    /// envelope with code 200; `null` or an empty array answers 404 "no data". Query
    /// parameters are not interpreted.
    pub fn set_report(&self, api: impl Into<String>, data: Value) {
        self.state().reports.insert(api.into(), data);
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

    /// How many requests reached the real-time endpoint so far.
    pub fn request_count(&self) -> usize {
        self.state().requests
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    // A test that panicked while holding the lock leaves consistent data behind.
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Answers like the live endpoint, from the shared state.
struct Responder {
    state: Arc<Mutex<State>>,
}

impl Respond for Responder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut state = lock(&self.state);
        state.requests += 1;
        let token = request
            .headers
            .get("wolkvox-token")
            .and_then(|v| v.to_str().ok());
        let Some(token) = token else {
            return error(401, "UNAUTHORIZED", "PLEASE ENTER THE WOLKVOX-TOKEN");
        };
        if token != state.token {
            return error(403, "FORBIDDEN", "PLEASE VALIDATE TOKEN");
        }
        let fault = state
            .next_faults
            .pop_front()
            .or_else(|| state.fault.clone());
        let delay = match fault {
            Some(Fault::Maintenance) => return maintenance(),
            Some(Fault::TokenLimitExceeded) => {
                return error(403, "FORBIDDEN", "TOKEN LIMIT EXCEEDED");
            }
            Some(Fault::SimultaneousRequests) => {
                return error(
                    403,
                    "FORBIDDEN",
                    "EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)",
                );
            }
            Some(Fault::InvalidToken) => return error(403, "FORBIDDEN", "PLEASE VALIDATE TOKEN"),
            Some(Fault::Delay(delay)) => Some(delay),
            None => None,
        };
        let query: BTreeMap<String, String> = request.url.query_pairs().into_owned().collect();
        let answer = match query.get("api").map(String::as_str) {
            Some("skills") => skills_answer(&state, &query),
            Some("agents") => agents_answer(&state, &query),
            Some(api) if state.reports.contains_key(api) => {
                report_answer(state.reports.get(api).cloned().unwrap_or(Value::Null))
            }
            _ => error(
                400,
                "BAD REQUEST",
                "THE API YOU WANT TO CONSULT DOES NOT EXIST",
            ),
        };
        match delay {
            Some(delay) => answer.set_delay(delay),
            None => answer,
        }
    }
}

fn skills_answer(state: &State, query: &BTreeMap<String, String>) -> ResponseTemplate {
    let Some(skill_id) = query.get("skill_id") else {
        return error(400, "BAD REQUEST", "SOME PARAMETERS ARE REQUIRED");
    };
    let service_time = query
        .get("services_time")
        .and_then(|s| s.trim().parse::<u32>().ok());
    let rows: Vec<Value> = if skill_id == "all" {
        state
            .skills
            .values()
            .map(|s| skill_row(s, service_time))
            .collect()
    } else {
        skill_id
            .trim()
            .parse::<u32>()
            .ok()
            .and_then(|id| state.skills.get(&id))
            .map(|s| skill_row(s, service_time))
            .into_iter()
            .collect()
    };
    records(rows)
}

/// The success envelope, or 404 "no data" when there are no rows.
fn records(rows: Vec<Value>) -> ResponseTemplate {
    if rows.is_empty() {
        return error(404, "NOT FOUND", "Validate dates entered");
    }
    ResponseTemplate::new(200).set_body_json(json!({
        "code": 200,
        "error": null,
        "msg": format!("{} records were found", rows.len()),
        "data": rows,
    }))
}

fn agents_answer(state: &State, query: &BTreeMap<String, String>) -> ResponseTemplate {
    let rows: Vec<Value> = match query.get("agent_id") {
        None => state.agents.values().map(agent_row).collect(),
        Some(id) => id
            .trim()
            .parse::<u32>()
            .ok()
            .and_then(|id| state.agents.get(&id))
            .map(agent_row)
            .into_iter()
            .collect(),
    };
    records(rows)
}

fn report_answer(data: Value) -> ResponseTemplate {
    let empty = match &data {
        Value::Null => true,
        Value::Array(rows) => rows.is_empty(),
        _ => false,
    };
    if empty {
        return error(404, "NOT FOUND", "Validate dates entered");
    }
    let count = data.as_array().map_or(1, Vec::len);
    ResponseTemplate::new(200).set_body_json(json!({
        "code": 200,
        "error": null,
        "msg": format!("{count} records were found"),
        "data": data,
    }))
}

/// `HH:MM:SS`, hours unbounded, as the live service writes accumulated times.
fn clock(duration: Duration) -> String {
    let s = duration.as_secs();
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// One agent row in the live format: counts as strings, times as `HH:MM:SS`,
/// `time_state_now` in seconds, `ocupation` (sic) as a percentage.
fn agent_row(agent: &AgentRealtime) -> Value {
    json!({
        "agent_id": agent.agent_id.to_string(),
        "agent_name": agent.agent_name,
        "agent_status": agent.agent_status.as_str(),
        "calls": agent.calls.to_string(),
        "inbound": agent.inbound.to_string(),
        "outbound": agent.outbound.to_string(),
        "internal": agent.internal.to_string(),
        "time_state_now": agent.time_state_now.as_secs().to_string(),
        "ready_time": clock(agent.ready_time),
        "inbound_time": clock(agent.inbound_time),
        "outbound_time": clock(agent.outbound_time),
        "acw_time": clock(agent.acw_time),
        "ring_time": clock(agent.ring_time),
        "login_time": clock(agent.login_time),
        "aht_time": clock(agent.aht_time),
        "aux_time": clock(agent.aux_time),
        "ocupation": percent(agent.occupancy),
    })
}

/// A percentage as the live service writes it: `"34.64 %"`.
fn percent(value: f64) -> String {
    format!("{value:.2} %")
}

/// One row in the live format. `services_time=N` adds `service_level_{N}seg`; without it (or
/// with 10/20/30) the service adds the `service_level_0seg` placeholder, as observed live.
fn skill_row(skill: &SkillRealtime, service_time: Option<u32>) -> Value {
    let mut row = json!({
        "skill_id": skill.skill_id.to_string(),
        "skill_name": skill.skill_name,
        "calls_in_queue_now": skill.calls_in_queue_now.to_string(),
        "stat_inbound": skill.stat_inbound.to_string(),
        "stat_answer": skill.stat_answer.to_string(),
        "stat_abandon": skill.stat_abandon.to_string(),
        "service_level_10seg": percent(skill.service_level_10seg),
        "service_level_20seg": percent(skill.service_level_20seg),
        "service_level_30seg": percent(skill.service_level_30seg),
        "by_abandon": percent(skill.by_abandon),
    });
    let (column, value) = match service_time {
        Some(n) if ![10, 20, 30].contains(&n) => {
            let level = skill
                .service_level(n)
                .unwrap_or_else(|| nearest_level(skill, n));
            (format!("service_level_{n}seg"), percent(level))
        }
        _ => ("service_level_0seg".to_owned(), "0 %".to_owned()),
    };
    if let Value::Object(map) = &mut row {
        map.insert(column, Value::String(value));
    }
    row
}

/// A plausible level for a service time the skill has no figure for: the nearest standard one.
fn nearest_level(skill: &SkillRealtime, seconds: u32) -> f64 {
    match seconds {
        0..=14 => skill.service_level_10seg,
        15..=24 => skill.service_level_20seg,
        _ => skill.service_level_30seg,
    }
}

fn error(status: u16, error: &str, msg: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({
        "code": status,
        "error": error,
        "msg": msg,
    }))
}

/// The page served during maintenance windows.
pub const MAINTENANCE_HTML: &str = "<!DOCTYPE html><html><head><title>503 Service Temporarily \
    Unavailable</title></head><body><h1>Service Temporarily Unavailable</h1><p>wolkvox is under \
    maintenance.</p></body></html>";

fn maintenance() -> ResponseTemplate {
    ResponseTemplate::new(503).set_body_raw(MAINTENANCE_HTML, "text/html")
}

/// A realistic operation: twelve skills of a mid-sized contact center in mid-afternoon, with
/// varied queues, volumes and service levels (answered + abandoned = inbound; abandon % and
/// service levels consistent with them). Used by `cargo run --example demo`.
pub fn demo_skills() -> Vec<SkillRealtime> {
    /// id, name, queue, inbound, abandoned, SL10, SL20, SL30
    type Figures = (u32, &'static str, u32, u32, u32, f64, f64, f64);
    const SKILLS: [Figures; 12] = [
        (101, "SOPORTE_TECNICO", 3, 412, 35, 61.27, 78.52, 86.41),
        (102, "VENTAS", 0, 268, 9, 82.09, 91.42, 95.15),
        (103, "SERVICIO_AL_CLIENTE", 7, 936, 118, 44.87, 63.25, 74.36),
        (104, "FACTURACION", 1, 187, 11, 70.59, 84.49, 90.37),
        (105, "RETENCION", 0, 94, 2, 88.30, 95.74, 97.87),
        (106, "POSTVENTA", 2, 151, 14, 58.94, 76.16, 84.11),
        (107, "PQRS", 4, 233, 41, 36.91, 52.36, 66.09),
        (108, "MESA_DE_AYUDA_TI", 0, 76, 3, 75.00, 88.16, 93.42),
        (201, "COBRANZAS", 5, 358, 57, 40.22, 55.03, 71.23),
        (202, "COBRANZAS_PREJURIDICO", 0, 42, 1, 85.71, 92.86, 97.62),
        (301, "CAMPANA_NAVIDAD", 12, 1204, 231, 22.84, 38.62, 51.33),
        (302, "AGENDAMIENTO_CITAS", 1, 319, 19, 66.46, 81.19, 88.71),
    ];
    SKILLS
        .iter()
        .map(|&(id, name, queue, inbound, abandoned, sl10, sl20, sl30)| {
            let mut skill = SkillRealtime::new(id, name);
            skill.calls_in_queue_now = queue;
            skill.stat_inbound = inbound;
            skill.stat_abandon = abandoned;
            skill.stat_answer = inbound - abandoned;
            skill.service_level_10seg = sl10;
            skill.service_level_20seg = sl20;
            skill.service_level_30seg = sl30;
            skill.by_abandon =
                (f64::from(abandoned) * 10_000.0 / f64::from(inbound)).round() / 100.0;
            skill
        })
        .collect()
}

/// Ten logged-in agents of the [`demo_skills`] operation in mid-afternoon, in varied states
/// (on calls, ready, in after-call work, on aux reasons such as lunch or training), with times
/// that add up: the state times sum to the login time, and occupancy is the share of the
/// logged-in time spent ringing, on calls and in after-call work.
pub fn demo_agents() -> Vec<AgentRealtime> {
    use crate::AgentStatus::{self, Acw, Inbound, Other, Outbound, Ready, Ring};
    /// id, name, state, seconds in state, inbound calls, outbound calls, minutes on inbound,
    /// on outbound, in ACW, ringing, in aux, ready
    type Shift = (u32, &'static str, AgentStatus, u64, u32, u32, [u64; 6]);
    let shifts: [Shift; 10] = [
        (
            1001,
            "Laura Gomez",
            Inbound,
            184,
            41,
            3,
            [212, 9, 38, 6, 45, 61],
        ),
        (
            1002,
            "Carlos Ramirez",
            Ready,
            37,
            36,
            0,
            [188, 0, 41, 5, 50, 79],
        ),
        (
            1003,
            "Valentina Torres",
            Acw,
            52,
            29,
            6,
            [161, 22, 47, 4, 62, 81],
        ),
        (
            1004,
            "Andres Castillo",
            Outbound,
            311,
            4,
            47,
            [18, 196, 35, 3, 48, 60],
        ),
        (
            1005,
            "Mariana Lopez",
            Other("Almuerzo".into()),
            1_412,
            33,
            1,
            [176, 4, 30, 5, 71, 54],
        ),
        (
            1006,
            "Juan Pablo Rios",
            Ring,
            6,
            38,
            2,
            [203, 7, 33, 6, 44, 47],
        ),
        (
            1007,
            "Daniela Moreno",
            Inbound,
            745,
            44,
            0,
            [229, 0, 36, 7, 39, 49],
        ),
        (
            1008,
            "Santiago Herrera",
            Other("Capacitacion".into()),
            2_630,
            18,
            0,
            [97, 0, 21, 3, 128, 31],
        ),
        (
            1009,
            "Camila Vargas",
            Ready,
            12,
            40,
            5,
            [198, 15, 40, 6, 37, 64],
        ),
        (
            1010,
            "Felipe Ortiz",
            Acw,
            95,
            31,
            12,
            [149, 51, 44, 5, 53, 58],
        ),
    ];
    shifts
        .into_iter()
        .map(|(id, name, status, in_state, inbound, outbound, minutes)| {
            let [on_in, on_out, acw, ring, aux, ready] =
                minutes.map(|m| Duration::from_secs(m * 60));
            let login = on_in + on_out + acw + ring + aux + ready;
            let calls = inbound + outbound;
            let mut agent = AgentRealtime::new(id, name);
            agent.agent_status = status;
            agent.time_state_now = Duration::from_secs(in_state);
            agent.calls = calls;
            agent.inbound = inbound;
            agent.outbound = outbound;
            agent.internal = id % 3;
            agent.inbound_time = on_in;
            agent.outbound_time = on_out;
            agent.acw_time = acw;
            agent.ring_time = ring;
            agent.aux_time = aux;
            agent.ready_time = ready;
            agent.login_time = login;
            agent.aht_time =
                Duration::from_secs((on_in + on_out + acw).as_secs() / u64::from(calls.max(1)));
            let busy = (on_in + on_out + acw + ring).as_secs_f64();
            agent.occupancy = (busy * 10_000.0 / login.as_secs_f64()).round() / 100.0;
            agent
        })
        .collect()
}
