//! `cargo run --example exporter`: a Prometheus exporter for a Wolkvox operation.
//!
//! Serves `GET /metrics` (Prometheus text format), and `GET /skills` and `GET /agents` (JSON),
//! all from two shared polls (`Watch::share`): one of the skills report and one of the agents
//! report, each every `--interval`. A scrape never calls Wolkvox, however many scrapers there
//! are: it reads the latest snapshots from memory.
//!
//! Runs against the crate's simulated server (the demo operation) unless `WOLKVOX_TOKEN` is
//! set; then it polls the real service configured by `WOLKVOX_SERVER` (or `WOLKVOX_BASE_URL`)
//! and `WOLKVOX_TOKEN`. Each poll counts against the daily quota (licences x 1000 requests):
//! keep the default `--interval 5m`, the vendor's recommendation.
//!
//! ```sh
//! cargo run --example exporter -- --listen 127.0.0.1:9898 --interval 5m
//! curl http://127.0.0.1:9898/metrics
//! ```
//!
//! Without `WOLKVOX_TOKEN` it polls the crate's simulator; with it, `WolkvoxClient::from_env()`.
//! `--listen` defaults to `127.0.0.1:9898`, `--interval` (`30s`, `5m`, `1h`) to `5m`, the
//! vendor's cadence. Two shared polls (skills, agents) feed every endpoint: scrapes read the
//! latest snapshots from memory, so any number of Prometheus servers and dashboards cost one
//! request per report per interval. `GET /skills` and `GET /agents` return the same snapshots as
//! JSON (`{"age_seconds", "taken_at_unix", "skills": [...]}`; 503 with `last_error` before the
//! first successful poll).
//!
//! Metrics: per skill (`skill_id`, `skill_name`) `wolkvox_skill_calls_in_queue`,
//! `wolkvox_skill_inbound_calls`, `wolkvox_skill_answered_calls`, `wolkvox_skill_abandoned_calls`,
//! `wolkvox_skill_service_level_percent` (`threshold_seconds` 10, 20, 30),
//! `wolkvox_skill_abandon_percent`; `wolkvox_agents` per `state`; per `report`
//! `wolkvox_snapshot_age_seconds`, `wolkvox_polling` (0 once the token was refused or the daily
//! quota is gone), `wolkvox_polls_total` and `wolkvox_poll_errors_total` by `kind`
//! (`unauthorized`, `quota_exceeded`, `concurrency_limited`, `not_found`, `api`, `decode`,
//! `timeout`, `transport`, ...). A sample from the demo operation:
//!
//! ```text
//! # HELP wolkvox_skill_calls_in_queue Calls waiting for an agent now.
//! # TYPE wolkvox_skill_calls_in_queue gauge
//! wolkvox_skill_calls_in_queue{skill_id="101",skill_name="SOPORTE_TECNICO"} 3
//! wolkvox_skill_calls_in_queue{skill_id="102",skill_name="VENTAS"} 0
//! ...
//! # HELP wolkvox_skill_service_level_percent Percentage of today's calls answered within threshold_seconds.
//! # TYPE wolkvox_skill_service_level_percent gauge
//! wolkvox_skill_service_level_percent{skill_id="101",skill_name="SOPORTE_TECNICO",threshold_seconds="10"} 61.27
//! wolkvox_skill_service_level_percent{skill_id="101",skill_name="SOPORTE_TECNICO",threshold_seconds="20"} 78.52
//! wolkvox_skill_service_level_percent{skill_id="101",skill_name="SOPORTE_TECNICO",threshold_seconds="30"} 86.41
//! ...
//! # HELP wolkvox_agents Logged-in agents by current state.
//! # TYPE wolkvox_agents gauge
//! wolkvox_agents{state="ACW"} 2
//! wolkvox_agents{state="Almuerzo"} 1
//! wolkvox_agents{state="Aux"} 0
//! wolkvox_agents{state="Capacitacion"} 1
//! wolkvox_agents{state="Inbound"} 2
//! wolkvox_agents{state="Outbound"} 1
//! wolkvox_agents{state="Ready"} 2
//! wolkvox_agents{state="Ring"} 1
//! # HELP wolkvox_snapshot_age_seconds Age of the latest successful snapshot of the report.
//! # TYPE wolkvox_snapshot_age_seconds gauge
//! wolkvox_snapshot_age_seconds{report="skills"} 1.917
//! wolkvox_snapshot_age_seconds{report="agents"} 1.915
//! # HELP wolkvox_polls_total Completed polls of the report, successful or not.
//! # TYPE wolkvox_polls_total counter
//! wolkvox_polls_total{report="skills"} 1
//! wolkvox_polls_total{report="agents"} 1
//! # HELP wolkvox_poll_errors_total Failed polls of the report by error kind.
//! # TYPE wolkvox_poll_errors_total counter
//! wolkvox_poll_errors_total{report="skills",kind="quota_exceeded"} 0
//! wolkvox_poll_errors_total{report="skills",kind="timeout"} 0
//! ...
//! ```
//!
//! Scrape config (the figures change at most once per poll interval, so scraping more often
//! than every minute or so gains nothing):
//!
//! ```yaml
//! scrape_configs:
//!   - job_name: wolkvox
//!     scrape_interval: 60s
//!     static_configs:
//!       - targets: ["127.0.0.1:9898"]
//! ```

mod metrics;

use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use clap::Parser;
use prometheus_client::encoding::prometheus_text;
use prometheus_client::registry::Registry;
use serde::Serialize;

use wolkvox::{AgentRealtime, SharedWatch, SkillRealtime, WolkvoxClient};

use metrics::seconds;

/// Command-line flags.
#[derive(Debug, Parser)]
#[command(about = "Prometheus exporter for the Wolkvox real-time skills and agents reports")]
struct Args {
    /// Address to serve /metrics, /skills and /agents on.
    #[arg(long, default_value = "127.0.0.1:9898")]
    listen: SocketAddr,
    /// Time between two polls of each report: 30s, 5m, 1h (the vendor recommends 5m).
    #[arg(long, default_value = "5m", value_parser = parse_interval)]
    interval: Duration,
}

/// Parses `30s`, `5m`, `1h` (also `500ms`).
fn parse_interval(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .ok_or_else(|| format!("{text:?} has no unit: write 30s, 5m or 1h"))?;
    let (number, unit) = text.split_at(split);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("{text:?} does not start with a number: write 30s, 5m or 1h"))?;
    let interval = match unit {
        "ms" => Duration::from_millis(number),
        "s" => Duration::from_secs(number),
        "m" => Duration::from_secs(number.saturating_mul(60)),
        "h" => Duration::from_secs(number.saturating_mul(3600)),
        _ => {
            return Err(format!(
                "unknown unit {unit:?} in {text:?}: use ms, s, m or h"
            ));
        }
    };
    if interval.is_zero() {
        return Err("the interval must be longer than zero".into());
    }
    Ok(interval)
}

/// The two shared polls every request reads.
#[derive(Debug, Clone)]
struct Live {
    skills: SharedWatch<Vec<SkillRealtime>>,
    agents: SharedWatch<Vec<AgentRealtime>>,
}

impl Live {
    /// Starts polling both reports every `interval` (two background tasks).
    fn start(client: &WolkvoxClient, interval: Duration) -> Self {
        Live {
            skills: client.skills().watch(interval).share(),
            agents: client.agents().watch(interval).share(),
        }
    }
}

/// The router: `/metrics`, `/skills`, `/agents`.
fn app(live: Live) -> Router {
    let mut registry = Registry::default();
    registry.register_collector(Box::new(live.clone()));
    let state = AppState {
        live,
        registry: Arc::new(registry),
    };
    Router::new()
        .route("/metrics", get(metrics))
        .route("/skills", get(skills))
        .route("/agents", get(agents))
        .with_state(state)
}

#[derive(Clone)]
struct AppState {
    live: Live,
    registry: Arc<Registry>,
}

async fn metrics(State(state): State<AppState>) -> Response {
    let mut body = String::new();
    match prometheus_text::encode(&mut body, &state.registry) {
        Ok(()) => (
            [(header::CONTENT_TYPE, prometheus_text::CONTENT_TYPE)],
            body,
        )
            .into_response(),
        Err(fmt::Error) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

async fn skills(State(state): State<AppState>) -> Response {
    snapshot_json(&state.live.skills, "skills")
}

async fn agents(State(state): State<AppState>) -> Response {
    snapshot_json(&state.live.agents, "agents")
}

/// `{"taken_at_unix": .., "age_seconds": .., "<key>": [...]}` from the latest snapshot, or 503
/// with the last error before the first successful poll.
fn snapshot_json<T: Serialize>(live: &SharedWatch<T>, key: &str) -> Response {
    let Some(snapshot) = live.latest() else {
        let error = live.last_error().map(|e| e.to_string());
        let body = serde_json::json!({ "error": "no snapshot yet", "last_error": error });
        return (StatusCode::SERVICE_UNAVAILABLE, axum::Json(body)).into_response();
    };
    let taken_at = snapshot
        .taken_at
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64());
    let mut body = serde_json::Map::new();
    body.insert("taken_at_unix".into(), taken_at.into());
    body.insert("age_seconds".into(), seconds(snapshot.age()).into());
    match serde_json::to_value(&snapshot.value) {
        Ok(value) => body.insert(key.into(), value),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    axum::Json(body).into_response()
}

/// The client for the real service when `WOLKVOX_TOKEN` is set, else for a simulated
/// server (returned too: it runs as long as it is kept).
async fn connect() -> Result<(WolkvoxClient, Option<wolkvox::mock::MockWolkvox>), wolkvox::Error> {
    if std::env::var_os("WOLKVOX_TOKEN").is_some() {
        let client = WolkvoxClient::from_env()?;
        eprintln!(
            "WOLKVOX_TOKEN is set: polling {}",
            client.endpoint().origin().ascii_serialization()
        );
        return Ok((client, None));
    }
    let simulator = wolkvox::mock::MockWolkvox::start_demo().await;
    eprintln!(
        "WOLKVOX_TOKEN is not set: polling the simulated demo operation at {}",
        simulator.uri()
    );
    Ok((simulator.client()?, Some(simulator)))
}

async fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let (client, _simulator) = connect().await?;
    let live = Live::start(&client, args.interval);
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    // The interval the polls really run at: raised to the client's polling floor.
    let period = live.skills.period();
    let raised = if period > args.interval {
        format!(" (raised from {:?})", args.interval)
    } else {
        String::new()
    };
    eprintln!(
        "serving http://{0}/metrics, http://{0}/skills and http://{0}/agents; polling every \
         {period:?}{raised}",
        listener.local_addr()?,
    );
    axum::serve(listener, app(live))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    if let Err(error) = run(args).await {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests {
    use wolkvox::mock::{Fault, MockWolkvox};

    use super::*;

    /// Serves `app(live)` on a free loopback port; returns its base URL.
    async fn serve(live: Live) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app(live)).await });
        url
    }

    async fn get(url: &str) -> (u16, String, String) {
        let response = reqwest::get(url).await.unwrap();
        let status = response.status().as_u16();
        let content_type = response.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .to_owned();
        (status, content_type, response.text().await.unwrap())
    }

    fn has_line(body: &str, line: &str) -> bool {
        body.lines().any(|l| l == line)
    }

    #[tokio::test]
    async fn metrics_from_the_demo_operation_with_one_poll_for_twenty_scrapes() {
        let mock = MockWolkvox::start_demo().await;
        let live = Live::start(&mock.client().unwrap(), Duration::from_secs(300));
        live.skills.subscribe().next().await.unwrap();
        live.agents.subscribe().next().await.unwrap();
        let url = serve(live).await;

        let mut scrapes = tokio::task::JoinSet::new();
        for _ in 0..20 {
            let url = format!("{url}/metrics");
            scrapes.spawn(async move { get(&url).await });
        }
        let mut bodies = Vec::new();
        while let Some(scrape) = scrapes.join_next().await {
            let (status, content_type, body) = scrape.unwrap();
            assert_eq!(status, 200);
            assert_eq!(content_type, prometheus_text::CONTENT_TYPE);
            bodies.push(body);
        }
        assert_eq!(bodies.len(), 20);
        assert_eq!(
            mock.request_count(),
            2,
            "one poll of each report, not one per scrape"
        );

        let support = r#"skill_id="101",skill_name="SOPORTE_TECNICO""#;
        for body in &bodies {
            for line in [
                format!("wolkvox_skill_calls_in_queue{{{support}}} 3"),
                format!("wolkvox_skill_inbound_calls{{{support}}} 412"),
                format!("wolkvox_skill_answered_calls{{{support}}} 377"),
                format!("wolkvox_skill_abandoned_calls{{{support}}} 35"),
                format!(
                    r#"wolkvox_skill_service_level_percent{{{support},threshold_seconds="10"}} 61.27"#
                ),
                format!(
                    r#"wolkvox_skill_service_level_percent{{{support},threshold_seconds="20"}} 78.52"#
                ),
                format!(
                    r#"wolkvox_skill_service_level_percent{{{support},threshold_seconds="30"}} 86.41"#
                ),
                format!("wolkvox_skill_abandon_percent{{{support}}} 8.5"),
                r#"wolkvox_skill_calls_in_queue{skill_id="301",skill_name="CAMPANA_NAVIDAD"} 12"#
                    .into(),
                r#"wolkvox_agents{state="Inbound"} 2"#.into(),
                r#"wolkvox_agents{state="ACW"} 2"#.into(),
                r#"wolkvox_agents{state="Ring"} 1"#.into(),
                r#"wolkvox_agents{state="Aux"} 0"#.into(),
                r#"wolkvox_agents{state="Almuerzo"} 1"#.into(),
                r#"wolkvox_polling{report="skills"} 1"#.into(),
                r#"wolkvox_polls_total{report="skills"} 1"#.into(),
                r#"wolkvox_polls_total{report="agents"} 1"#.into(),
                r#"wolkvox_poll_errors_total{report="skills",kind="timeout"} 0"#.into(),
                "# TYPE wolkvox_polls_total counter".into(),
                "# TYPE wolkvox_skill_calls_in_queue gauge".into(),
            ] {
                assert!(has_line(body, &line), "missing {line:?} in:\n{body}");
            }
            let skill_series = body
                .lines()
                .filter(|l| l.starts_with("wolkvox_skill_calls_in_queue{"))
                .count();
            assert_eq!(skill_series, 12);
            let age = body
                .lines()
                .find_map(|l| l.strip_prefix(r#"wolkvox_snapshot_age_seconds{report="skills"} "#))
                .unwrap();
            assert!((0.0..60.0).contains(&age.parse::<f64>().unwrap()), "{age}");
        }

        let (status, content_type, skills) = get(&format!("{url}/skills")).await;
        assert_eq!((status, content_type.as_str()), (200, "application/json"));
        let skills: serde_json::Value = serde_json::from_str(&skills).unwrap();
        assert_eq!(skills["skills"][0]["skill_name"], "SOPORTE_TECNICO");
        assert_eq!(skills["skills"][0]["service_level_20seg"], 78.52);
        assert_eq!(skills["skills"].as_array().unwrap().len(), 12);
        let (status, _, agents) = get(&format!("{url}/agents")).await;
        assert_eq!(status, 200);
        let agents: serde_json::Value = serde_json::from_str(&agents).unwrap();
        assert_eq!(agents["agents"][0]["agent_name"], "Laura Gomez");
        assert_eq!(agents["agents"].as_array().unwrap().len(), 10);
        assert_eq!(mock.request_count(), 2);
    }

    #[tokio::test]
    async fn a_failed_first_poll_is_counted_by_kind_and_answers_503() {
        let mock = MockWolkvox::start_demo().await;
        mock.set_fault(Some(Fault::QuotaExceeded));
        let live = Live::start(&mock.client().unwrap(), Duration::from_secs(300));
        assert!(
            live.skills.subscribe().next().await.is_none(),
            "polling stopped"
        );
        assert!(live.agents.subscribe().next().await.is_none());
        let url = serve(live).await;

        let (_, _, body) = get(&format!("{url}/metrics")).await;
        for line in [
            r#"wolkvox_polls_total{report="skills"} 1"#,
            r#"wolkvox_poll_errors_total{report="skills",kind="quota_exceeded"} 1"#,
            r#"wolkvox_poll_errors_total{report="agents",kind="quota_exceeded"} 1"#,
            r#"wolkvox_poll_errors_total{report="skills",kind="api"} 0"#,
            r#"wolkvox_polling{report="skills"} 0"#,
        ] {
            assert!(has_line(&body, line), "missing {line:?} in:\n{body}");
        }
        assert!(
            !body.contains("wolkvox_skill_calls_in_queue{"),
            "no snapshot, no series"
        );
        assert!(!body.contains("wolkvox_snapshot_age_seconds{"));

        let (status, _, skills) = get(&format!("{url}/skills")).await;
        assert_eq!(status, 503);
        let skills: serde_json::Value = serde_json::from_str(&skills).unwrap();
        assert!(
            skills["last_error"]
                .as_str()
                .unwrap()
                .contains("TOKEN LIMIT EXCEEDED"),
            "{skills}"
        );
        assert_eq!(mock.request_count(), 2);
    }

    #[test]
    fn intervals() {
        assert_eq!(parse_interval("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_interval("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(parse_interval(" 1h "), Ok(Duration::from_secs(3600)));
        assert_eq!(parse_interval("250ms"), Ok(Duration::from_millis(250)));
        assert!(parse_interval("5").unwrap_err().contains("no unit"));
        assert!(parse_interval("m").unwrap_err().contains("number"));
        assert!(
            parse_interval("5d")
                .unwrap_err()
                .contains("unknown unit \"d\"")
        );
        assert!(parse_interval("0s").unwrap_err().contains("zero"));
    }

    #[test]
    fn flags_and_defaults() {
        let args = Args::try_parse_from(["exporter"]).unwrap();
        assert_eq!(args.listen, "127.0.0.1:9898".parse().unwrap());
        assert_eq!(args.interval, Duration::from_secs(300));
        let args =
            Args::try_parse_from(["exporter", "--listen", "0.0.0.0:9100", "--interval", "30s"])
                .unwrap();
        assert_eq!(args.listen, "0.0.0.0:9100".parse().unwrap());
        assert_eq!(args.interval, Duration::from_secs(30));
        assert!(Args::try_parse_from(["exporter", "--interval", "soon"]).is_err());
    }
}
