//! What the simulator holds: the data it serves, its limits and faults, its counters and the
//! requests it recorded.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::Value;

use super::faults::Faults;
use super::limits::{Concurrency, Quota};
use super::recording::MockRequest;
use super::replies::Reply;
use crate::mock::campaign::Campaigns;
use crate::mock::demo::dates::RowDate;
use crate::mock::{DEFAULT_CONCURRENCY_LIMIT, DEFAULT_RECORD_LIMIT, DEFAULT_TOKEN_LIMIT};
use crate::{AgentRealtime, SkillRealtime};

/// A report row and when it happened (read from its `date` field once, when set).
#[derive(Debug, Clone)]
pub(in crate::mock) struct DatedRow {
    pub(in crate::mock) date: RowDate,
    pub(in crate::mock) row: Value,
}

/// Everything the responder reads and the test changes. Its `Debug` leaves out the token.
pub(in crate::mock) struct State {
    pub(in crate::mock) token: String,
    pub(in crate::mock) skills: BTreeMap<u32, SkillRealtime>,
    pub(in crate::mock) agents: BTreeMap<u32, AgentRealtime>,
    /// Real-time reports other than skills and agents (`set_report`).
    pub(in crate::mock) realtime_reports: BTreeMap<String, Value>,
    /// Historical reports given as rows (`set_report_rows`).
    pub(in crate::mock) report_rows: BTreeMap<String, Arc<Vec<DatedRow>>>,
    /// Whether the demo history answers the reports it knows.
    pub(in crate::mock) demo_history: bool,
    /// The simulator's "now" (seconds of wall-clock time), or `None` for the wall clock.
    pub(in crate::mock) now: Option<i64>,
    /// Catalogues given as rows (`set_information`).
    pub(in crate::mock) information: BTreeMap<String, Arc<Vec<Value>>>,
    /// The demo's catalogues (`load_demo`), behind `information`.
    pub(in crate::mock) demo_catalogues: BTreeMap<String, Arc<Vec<Value>>>,
    /// Answers set with `set_call_reply`, by (path, api).
    pub(in crate::mock) replies: BTreeMap<(String, String), Reply>,
    /// Outbound campaigns (`add_campaign`), served by `campaign.php`.
    pub(in crate::mock) campaigns: Campaigns,
    pub(in crate::mock) record_limit: usize,
    pub(in crate::mock) quota: Quota,
    pub(in crate::mock) concurrency: Concurrency,
    pub(in crate::mock) faults: Faults,
    /// Requests received, on any path.
    pub(in crate::mock) requests: u64,
    /// Whether requests are recorded into `recorded`.
    pub(in crate::mock) recording: bool,
    pub(in crate::mock) recorded: Vec<MockRequest>,
}

impl State {
    pub(in crate::mock) fn new(token: String, recording: bool) -> Self {
        State {
            token,
            skills: BTreeMap::new(),
            agents: BTreeMap::new(),
            realtime_reports: BTreeMap::new(),
            report_rows: BTreeMap::new(),
            demo_history: false,
            now: None,
            information: BTreeMap::new(),
            demo_catalogues: BTreeMap::new(),
            replies: BTreeMap::new(),
            campaigns: Campaigns::default(),
            record_limit: DEFAULT_RECORD_LIMIT,
            quota: Quota::new(DEFAULT_TOKEN_LIMIT),
            concurrency: Concurrency::new(DEFAULT_CONCURRENCY_LIMIT),
            faults: Faults::default(),
            requests: 0,
            recording,
            recorded: Vec::new(),
        }
    }
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("State")
            .field("skills", &self.skills.len())
            .field("agents", &self.agents.len())
            .field("campaigns", &self.campaigns.by_id.len())
            .field("demo_history", &self.demo_history)
            .field("record_limit", &self.record_limit)
            .field("quota", &self.quota)
            .field("concurrency", &self.concurrency)
            .field("faults", &self.faults)
            .field("requests", &self.requests)
            .field("recording", &self.recording)
            .finish_non_exhaustive()
    }
}

/// Locks the state. A test that panicked while holding the lock leaves consistent data behind.
pub(in crate::mock) fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
