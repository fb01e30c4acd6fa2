//! `api=skills`: one skill (`skill(id)`) or all of them (`skills()`).

use super::{Query, fetch_all, fetch_one};
use std::sync::Arc;
use std::time::Duration;

use crate::api::realtime::rows::SkillRealtime;
use crate::engine::pipeline::Pipeline;
use crate::error::Error;
use crate::watch::Watch;

/// The query of the Skill real-time report.
fn skills_query(skill_id: Option<u32>, service_time: Option<u32>) -> Query {
    let mut query: Query = vec![
        ("api".into(), "skills".to_owned()),
        (
            "skill_id".into(),
            skill_id.map_or_else(|| "all".to_owned(), |id| id.to_string()),
        ),
    ];
    if let Some(seconds) = service_time {
        query.push(("services_time".into(), seconds.to_string()));
    }
    query
}

/// A request for one skill's real-time figures, from [`WolkvoxClient::skill`](crate::WolkvoxClient::skill).
///
/// `.await` it directly, or set options first:
///
/// ```no_run
/// # async fn run(client: wolkvox::WolkvoxClient) -> Result<(), wolkvox::Error> {
/// let skill = client.skill(101).service_time(45).await?;
/// println!("{:?}", skill.service_level(45));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is awaited"]
pub struct SkillRequest {
    pipeline: Arc<Pipeline>,
    skill_id: u32,
    service_time: Option<u32>,
}

impl SkillRequest {
    pub(crate) fn new(pipeline: Arc<Pipeline>, skill_id: u32) -> Self {
        SkillRequest {
            pipeline,
            skill_id,
            service_time: None,
        }
    }

    /// Also asks for the service level within `seconds` (`services_time=N`): the answer then
    /// carries `service_level_{N}seg`, read with
    /// [`SkillRealtime::service_level`]. 10, 20 and 30 are always there.
    pub fn service_time(mut self, seconds: u32) -> Self {
        self.service_time = Some(seconds);
        self
    }

    /// The skill id asked for.
    pub fn skill_id(&self) -> u32 {
        self.skill_id
    }

    /// Sends the request (same as `.await`).
    ///
    /// # Errors
    /// [`Error::NotFound`] when the operation has no data for this skill; any other
    /// [`Error`] the call can meet.
    pub async fn send(self) -> Result<SkillRealtime, Error> {
        let query = self.query();
        fetch_one(
            &self.pipeline,
            query,
            "skill",
            self.skill_id,
            |s: &SkillRealtime| s.skill_id,
        )
        .await
    }

    /// Polls this skill: the first snapshot now, then one per `interval`. A skill without data
    /// yields [`Error::NotFound`] and polling goes on.
    ///
    /// The interval is raised to the client's `min_poll_interval` (60 s by default); see
    /// [`Watch`] for the exact timing.
    pub fn watch(self, interval: Duration) -> Watch<SkillRealtime> {
        let floor = self.pipeline.min_poll_interval;
        Watch::new(interval, floor, move || self.clone().send())
    }

    pub(crate) fn query(&self) -> Query {
        skills_query(Some(self.skill_id), self.service_time)
    }
}

/// A request for every skill's real-time figures, from [`WolkvoxClient::skills`](crate::WolkvoxClient::skills).
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is awaited"]
pub struct SkillsRequest {
    pipeline: Arc<Pipeline>,
    service_time: Option<u32>,
}

impl SkillsRequest {
    pub(crate) fn new(pipeline: Arc<Pipeline>) -> Self {
        SkillsRequest {
            pipeline,
            service_time: None,
        }
    }

    /// Also asks for the service level within `seconds` for every skill; see
    /// [`SkillRequest::service_time`].
    pub fn service_time(mut self, seconds: u32) -> Self {
        self.service_time = Some(seconds);
        self
    }

    /// Sends the request (same as `.await`). "No data" (HTTP 404) is an empty `Vec`.
    ///
    /// # Errors
    /// Any [`Error`] the call can meet except [`Error::NotFound`].
    pub async fn send(self) -> Result<Vec<SkillRealtime>, Error> {
        fetch_all(&self.pipeline, self.query()).await
    }

    /// Polls every skill: the first snapshot now, then one per `interval`.
    ///
    /// The interval is raised to the client's `min_poll_interval` (60 s by default); see
    /// [`Watch`] for the exact timing.
    pub fn watch(self, interval: Duration) -> Watch<Vec<SkillRealtime>> {
        let floor = self.pipeline.min_poll_interval;
        Watch::new(interval, floor, move || self.clone().send())
    }

    pub(crate) fn query(&self) -> Query {
        skills_query(None, self.service_time)
    }
}

into_future!(SkillRequest => SkillRealtime);
into_future!(SkillsRequest => Vec<SkillRealtime>);

#[cfg(test)]
mod tests {
    use super::*;

    use crate::api::realtime::test_client as client;

    fn pairs(query: Query) -> Vec<(String, String)> {
        query
            .into_iter()
            .map(|(k, v)| (k.into_owned(), v))
            .collect()
    }

    #[test]
    fn one_skill_query() {
        let q = pairs(client().skill(101).query());
        assert_eq!(
            q,
            [("api", "skills"), ("skill_id", "101")].map(|(k, v)| (k.into(), v.into()))
        );
        let q = pairs(client().skill(7).service_time(45).query());
        assert_eq!(
            q,
            [
                ("api", "skills"),
                ("skill_id", "7"),
                ("services_time", "45")
            ]
            .map(|(k, v)| (k.into(), v.into()))
        );
    }

    #[test]
    fn all_skills_query() {
        let q = pairs(client().skills().query());
        assert_eq!(
            q,
            [("api", "skills"), ("skill_id", "all")].map(|(k, v)| (k.into(), v.into()))
        );
        let q = pairs(client().skills().service_time(60).query());
        assert_eq!(q[2], ("services_time".into(), "60".into()));
    }
}
