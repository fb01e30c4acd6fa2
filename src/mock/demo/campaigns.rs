//! The demo operation's outbound campaigns (the two of its `campaigns` catalogue), with
//! their records.

use std::time::Duration;

use super::CAMPAIGNS;
use crate::campaign::{CampaignKind, CampaignRecord};
use crate::mock::campaign::{SimCampaign, SimRecord};

/// The demo's campaigns: 7 (predictive, started, speed 1, 40 records of which 15 dialled)
/// and 8 (preview, stopped, 12 clean records), by id.
pub(in crate::mock) fn demo_campaigns() -> Vec<(u32, SimCampaign)> {
    let [
        (collections, collections_name, ..),
        (survey, survey_name, ..),
    ] = CAMPAIGNS;
    let mut recovery = SimCampaign::new(CampaignKind::Predictive, collections_name);
    recovery.skill_id = Some(201);
    recovery.records = records(collections, 40, "CARTERA");
    recovery.started = true;
    recovery.speed = 15;
    recovery.dial_for(Duration::from_secs(1));
    recovery.speed = 1;
    let mut poll = SimCampaign::new(CampaignKind::Preview, survey_name);
    poll.skill_id = Some(103);
    poll.speed = 20;
    poll.records = records(survey, 12, "ENCUESTA");
    vec![(collections, recovery), (survey, poll)]
}

/// `n` records of campaign `id`, customer ids `{id}000001`.., a phone each.
fn records(id: u32, n: u32, plan: &str) -> Vec<SimRecord> {
    const NAMES: [&str; 8] = [
        "ANA", "LUIS", "MARTA", "JORGE", "SOFIA", "CARLOS", "LAURA", "ANDRES",
    ];
    const LAST_NAMES: [&str; 6] = ["GOMEZ", "RODRIGUEZ", "LOPEZ", "MARTINEZ", "DIAZ", "TORRES"];
    (0..n)
        .map(|i| {
            let mut record = CampaignRecord::new(format!("{id}{:06}", i + 1));
            record.customer_name = NAMES[(i as usize) % NAMES.len()].to_owned();
            record.customer_last_name = LAST_NAMES[(i as usize * 5) % LAST_NAMES.len()].to_owned();
            record.id_type = "CC".to_owned();
            record.city = if i % 3 == 0 { "MEDELLIN" } else { "BOGOTA" }.to_owned();
            record.phones = vec![format!("300{:07}", id * 1_000 + i)];
            record.options[0] = format!("{plan} {}", 1 + i % 4);
            SimRecord {
                record,
                result: None,
            }
        })
        .collect()
}
