//! `api=agents`: one agent (`agent(id)`) or every logged-in agent (`agents()`).

use super::{Query, fetch_all, fetch_one};
use std::sync::Arc;
use std::time::Duration;

use crate::api::realtime::rows::AgentRealtime;
use crate::engine::pipeline::Pipeline;
use crate::error::Error;
use crate::watch::Watch;

/// The query of the Agents real-time report.
fn agents_query(agent_id: Option<u32>) -> Query {
    let mut query: Query = vec![("api".into(), "agents".to_owned())];
    if let Some(id) = agent_id {
        query.push(("agent_id".into(), id.to_string()));
    }
    query
}

/// A request for one agent's real-time state, from [`WolkvoxClient::agent`](crate::WolkvoxClient::agent). `.await` it.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is awaited"]
pub struct AgentRequest {
    pipeline: Arc<Pipeline>,
    agent_id: u32,
}

impl AgentRequest {
    pub(crate) fn new(pipeline: Arc<Pipeline>, agent_id: u32) -> Self {
        AgentRequest { pipeline, agent_id }
    }

    /// The agent id asked for.
    pub fn agent_id(&self) -> u32 {
        self.agent_id
    }

    /// Sends the request (same as `.await`).
    ///
    /// # Errors
    /// [`Error::NotFound`] when the agent is not logged in (no data for it); any other
    /// [`Error`] the call can meet.
    pub async fn send(self) -> Result<AgentRealtime, Error> {
        let query = self.query();
        fetch_one(
            &self.pipeline,
            query,
            "agent",
            self.agent_id,
            |a: &AgentRealtime| a.agent_id,
        )
        .await
    }

    /// Polls this agent: the first snapshot now, then one per `interval`. An agent who is not
    /// logged in yields [`Error::NotFound`] and polling goes on.
    ///
    /// The interval is raised to the client's `min_poll_interval` (60 s by default); see
    /// [`Watch`] for the exact timing.
    pub fn watch(self, interval: Duration) -> Watch<AgentRealtime> {
        let floor = self.pipeline.min_poll_interval;
        Watch::new(interval, floor, move || self.clone().send())
    }

    pub(crate) fn query(&self) -> Query {
        agents_query(Some(self.agent_id))
    }
}

/// A request for every logged-in agent, from [`WolkvoxClient::agents`](crate::WolkvoxClient::agents). `.await` it.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is awaited"]
pub struct AgentsRequest {
    pipeline: Arc<Pipeline>,
}

impl AgentsRequest {
    pub(crate) fn new(pipeline: Arc<Pipeline>) -> Self {
        AgentsRequest { pipeline }
    }

    /// Sends the request (same as `.await`). "No data" (HTTP 404) is an empty `Vec`.
    ///
    /// # Errors
    /// Any [`Error`] the call can meet except [`Error::NotFound`].
    pub async fn send(self) -> Result<Vec<AgentRealtime>, Error> {
        fetch_all(&self.pipeline, self.query()).await
    }

    /// Polls every logged-in agent: the first snapshot now, then one per `interval`.
    ///
    /// The interval is raised to the client's `min_poll_interval` (60 s by default); see
    /// [`Watch`] for the exact timing.
    pub fn watch(self, interval: Duration) -> Watch<Vec<AgentRealtime>> {
        let floor = self.pipeline.min_poll_interval;
        Watch::new(interval, floor, move || self.clone().send())
    }

    pub(crate) fn query(&self) -> Query {
        agents_query(None)
    }
}

into_future!(AgentRequest => AgentRealtime);
into_future!(AgentsRequest => Vec<AgentRealtime>);

#[cfg(test)]
mod tests {
    use crate::api::realtime::test_client as client;

    #[test]
    fn queries() {
        let one: Vec<(String, String)> = client()
            .agent(1042)
            .query()
            .into_iter()
            .map(|(k, v)| (k.into_owned(), v))
            .collect();
        assert_eq!(
            one,
            [("api", "agents"), ("agent_id", "1042")].map(|(k, v)| (k.into(), v.into()))
        );
        let all = client().agents().query();
        assert_eq!(all.len(), 1);
        assert_eq!((all[0].0.as_ref(), all[0].1.as_str()), ("api", "agents"));
    }
}
