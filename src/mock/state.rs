//! What the simulator holds: the data it serves, its limits and faults, and its counters.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::Value;

use super::dates::{RowDate, today};
use super::{DEFAULT_RECORD_LIMIT, DEFAULT_TOKEN_LIMIT, Fault};
use crate::{AgentRealtime, SkillRealtime};

/// A report row and when it happened (read from its `date` field once, when set).
#[derive(Debug, Clone)]
pub(super) struct DatedRow {
    pub(super) date: RowDate,
    pub(super) row: Value,
}

/// The token's daily quota: requests served today (UTC) against the limit.
#[derive(Debug)]
pub(super) struct Quota {
    pub(super) limit: u64,
    day: i64,
    used: u64,
}

impl Quota {
    /// Requests counted today.
    pub(super) fn used_today(&mut self) -> u64 {
        let today = today();
        if today != self.day {
            self.day = today;
            self.used = 0;
        }
        self.used
    }

    /// Counts one request, unless the quota is used up (then false).
    pub(super) fn take(&mut self) -> bool {
        if self.used_today() >= self.limit {
            return false;
        }
        self.used += 1;
        true
    }
}

/// Everything the responder reads and the test changes.
#[derive(Debug)]
pub(super) struct State {
    pub(super) token: String,
    pub(super) skills: BTreeMap<u32, SkillRealtime>,
    pub(super) agents: BTreeMap<u32, AgentRealtime>,
    /// Real-time reports other than skills and agents (`set_report`).
    pub(super) realtime_reports: BTreeMap<String, Value>,
    /// Historical reports given as rows (`set_report_rows`).
    pub(super) report_rows: BTreeMap<String, Arc<Vec<DatedRow>>>,
    /// Whether the demo history answers the reports it knows.
    pub(super) demo_history: bool,
    /// Catalogues given as rows (`set_information`).
    pub(super) information: BTreeMap<String, Arc<Vec<Value>>>,
    /// The demo's catalogues (`load_demo`), behind `information`.
    pub(super) demo_catalogues: BTreeMap<String, Arc<Vec<Value>>>,
    pub(super) record_limit: usize,
    pub(super) quota: Quota,
    pub(super) fault: Option<Fault>,
    pub(super) next_faults: VecDeque<Fault>,
    pub(super) requests: usize,
}

impl State {
    pub(super) fn new(token: String) -> Self {
        State {
            token,
            skills: BTreeMap::new(),
            agents: BTreeMap::new(),
            realtime_reports: BTreeMap::new(),
            report_rows: BTreeMap::new(),
            demo_history: false,
            information: BTreeMap::new(),
            demo_catalogues: BTreeMap::new(),
            record_limit: DEFAULT_RECORD_LIMIT,
            quota: Quota {
                limit: DEFAULT_TOKEN_LIMIT,
                day: today(),
                used: 0,
            },
            fault: None,
            next_faults: VecDeque::new(),
            requests: 0,
        }
    }
}

/// Locks the state. A test that panicked while holding the lock leaves consistent data behind.
pub(super) fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
