//! The simulator's outbound campaigns: what they hold (records, status, speed), the dialler
//! that works through a started campaign's records over time, and the methods a test uses
//! to set them up and read them back. The HTTP side is `server/campaign.rs`.
//!
//! **The dialler.** A started campaign dials its clean (never called) records in order, at
//! `speed` records per second of the simulator's clock (speed 0 dials nothing), so the
//! real-time `campaigns` report shows `dial` growing and `clean` falling to 0; the status
//! stays `started` after the last dial, as on the live service.
//! [`MockWolkvox::advance_campaigns`] moves that clock on at once, for tests. The n-th
//! record a campaign dials (from 0) gets a result by `n % 10`: 0 to 3 `ANSWER` (a hit), 4 to
//! 6 `NO-ANSWER`, 7 `BUSY`, 8 `ANSWER-MACHINE`, 9 `FAILED`.

mod dialer;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

pub(in crate::mock) use dialer::DialResult;

use crate::campaign::{CampaignKind, CampaignRealtime, CampaignRecord, CampaignStatus};
use crate::mock::MockWolkvox;

/// The records an operation may hold unless changed with
/// [`MockWolkvox::set_upload_limit`]: the licence bound seen on the live service.
pub const DEFAULT_UPLOAD_LIMIT: usize = 50_000;

/// The speed a campaign gets from [`MockWolkvox::add_campaign`].
pub const DEFAULT_CAMPAIGN_SPEED: u32 = 50;

/// The most predictive campaigns started at once; starting another is refused (the live
/// service's "you currently have 2 active predictives").
pub(in crate::mock) const MAX_ACTIVE_PREDICTIVES: usize = 2;

/// One record of a campaign and what the dialler did with it.
#[derive(Debug, Clone)]
pub(in crate::mock) struct SimRecord {
    pub(in crate::mock) record: CampaignRecord,
    /// `None` while clean (not yet called).
    pub(in crate::mock) result: Option<DialResult>,
}

/// One campaign.
#[derive(Debug, Clone)]
pub(in crate::mock) struct SimCampaign {
    pub(in crate::mock) kind: CampaignKind,
    pub(in crate::mock) name: String,
    pub(in crate::mock) started: bool,
    pub(in crate::mock) speed: u32,
    pub(in crate::mock) skill_id: Option<u32>,
    pub(in crate::mock) records: Vec<SimRecord>,
    /// Dials owed but not yet made (a fraction of a record).
    carry: f64,
    /// Records dialled so far (picks the next result).
    dialled: u64,
}

impl SimCampaign {
    pub(in crate::mock) fn new(kind: CampaignKind, name: &str) -> Self {
        SimCampaign {
            kind,
            name: name.to_owned(),
            started: false,
            speed: DEFAULT_CAMPAIGN_SPEED,
            skill_id: None,
            records: Vec::new(),
            carry: 0.0,
            dialled: 0,
        }
    }

    /// Dials what `elapsed` allows at its speed (started or not).
    pub(in crate::mock) fn dial_for(&mut self, elapsed: Duration) {
        dialer::dial(self, elapsed);
    }

    /// The campaign's row of the real-time `campaigns` report.
    pub(in crate::mock) fn realtime(&self, id: u32) -> CampaignRealtime {
        let mut row = CampaignRealtime::new(id, self.name.clone());
        row.status = if self.started {
            CampaignStatus::Started
        } else {
            CampaignStatus::Stopped
        };
        row.speed = self.speed;
        row.skill_id = self.skill_id;
        row.records = count(self.records.len());
        for record in &self.records {
            match record.result {
                None => row.clean += 1,
                Some(result) => {
                    row.dial += 1;
                    match result {
                        DialResult::Answer => row.answer += 1,
                        DialResult::NoAnswer => row.no_answer += 1,
                        DialResult::Busy | DialResult::Failed => row.busy_congestion_failed += 1,
                        DialResult::AnswerMachine => row.answer_machine += 1,
                    }
                }
            }
        }
        let progress = if row.records == 0 {
            0.0
        } else {
            (f64::from(row.dial) * 10_000.0 / f64::from(row.records)).round() / 100.0
        };
        row.percentage = Some(progress);
        row.penetration_day = progress;
        row.penetration_now = progress;
        row.hits = row.answer;
        row.calls_x_min = if self.started && row.clean > 0 {
            f64::from(self.speed) * 60.0
        } else {
            0.0
        };
        row
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Every campaign of the simulated operation, its upload limit and the dialler's clock.
#[derive(Debug)]
pub(in crate::mock) struct Campaigns {
    pub(in crate::mock) by_id: BTreeMap<u32, SimCampaign>,
    pub(in crate::mock) upload_limit: usize,
    /// When the dialler last ran.
    clock: Instant,
}

impl Default for Campaigns {
    fn default() -> Self {
        Campaigns {
            by_id: BTreeMap::new(),
            upload_limit: DEFAULT_UPLOAD_LIMIT,
            clock: Instant::now(),
        }
    }
}

impl Campaigns {
    /// Runs the dialler up to now: called before every campaign request is answered.
    pub(in crate::mock) fn tick(&mut self) {
        let now = Instant::now();
        let elapsed = now.saturating_duration_since(self.clock);
        self.clock = now;
        self.advance(elapsed);
    }

    /// Dials what `elapsed` more of the clock allows, on every started campaign.
    pub(in crate::mock) fn advance(&mut self, elapsed: Duration) {
        for campaign in self.by_id.values_mut().filter(|c| c.started) {
            dialer::dial(campaign, elapsed);
        }
    }

    /// Records in the whole operation (the licence bound counts them all).
    pub(in crate::mock) fn total_records(&self) -> usize {
        self.by_id.values().map(|c| c.records.len()).sum()
    }

    /// Predictive campaigns started, other than `except`.
    pub(in crate::mock) fn active_predictives(&self, except: u32) -> usize {
        self.by_id
            .iter()
            .filter(|(id, c)| **id != except && c.started && c.kind == CampaignKind::Predictive)
            .count()
    }
}

impl MockWolkvox {
    /// Adds an empty, stopped campaign (speed [`DEFAULT_CAMPAIGN_SPEED`]), or replaces the
    /// one with the same id (its records go). `campaign.php` then serves it: `add_record`
    /// (validated like the live service, up to the [upload limit](Self::set_upload_limit)),
    /// `start`, `stop`, `speed`, `clear_campaign`, `remove_record`, `campaign_15`, and its row
    /// in the real-time `campaigns` report; see [the module](crate::mock) for the dialler's
    /// rule.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), wolkvox::Error> {
    /// use wolkvox::campaign::{CampaignKind, CampaignRecord};
    /// let mock = wolkvox::mock::MockWolkvox::start().await;
    /// mock.add_campaign(7224, CampaignKind::Predictive, "COBRANZA");
    /// let campaign = mock.client()?.campaign(7224, CampaignKind::Predictive);
    /// campaign.add_records(&[CampaignRecord::new("1"), CampaignRecord::new("2")]).await?;
    /// campaign.start().await?;
    /// mock.advance_campaigns(std::time::Duration::from_secs(60));
    /// let row = campaign.status().await?;
    /// assert_eq!((row.records, row.dial, row.clean), (2, 2, 0));
    /// assert_eq!(mock.campaign_records(7224).len(), 2);
    /// # Ok(()) }
    /// ```
    pub fn add_campaign(&self, id: u32, kind: CampaignKind, name: &str) {
        let mut state = self.state();
        state.campaigns.tick();
        state
            .campaigns
            .by_id
            .insert(id, SimCampaign::new(kind, name));
    }

    /// The records campaign `id` holds, in the order loaded (a `customer_id` loaded twice is
    /// there twice, as the live service may keep it); empty for an unknown campaign.
    pub fn campaign_records(&self, id: u32) -> Vec<CampaignRecord> {
        let state = self.state();
        state.campaigns.by_id.get(&id).map_or_else(Vec::new, |c| {
            c.records.iter().map(|r| r.record.clone()).collect()
        })
    }

    /// Campaign `id`'s row of the real-time `campaigns` report, as served now.
    pub fn campaign_status(&self, id: u32) -> Option<CampaignRealtime> {
        let mut state = self.state();
        state.campaigns.tick();
        state.campaigns.by_id.get(&id).map(|c| c.realtime(id))
    }

    /// The records the whole operation may hold (default [`DEFAULT_UPLOAD_LIMIT`]): an
    /// `add_record` that would bring the total above it is refused with the live licence
    /// 404, "You are uploading (N) records to the system. According to quantity active
    /// licenses, You can upload LIMIT records. Try again.", N counting the records already
    /// held plus the batch.
    pub fn set_upload_limit(&self, records: usize) {
        self.state().campaigns.upload_limit = records;
    }

    /// Moves the dialler's clock on by `elapsed` at once: every started campaign dials what
    /// that time allows (`speed` records a second).
    pub fn advance_campaigns(&self, elapsed: Duration) {
        let mut state = self.state();
        state.campaigns.tick();
        state.campaigns.advance(elapsed);
    }
}
