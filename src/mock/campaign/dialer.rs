//! The simulated dialler: `speed` records a second, clean records in order, results by a
//! fixed cycle of ten.

use std::time::Duration;

use super::SimCampaign;

/// What a dialled record came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::mock) enum DialResult {
    Answer,
    NoAnswer,
    Busy,
    AnswerMachine,
    Failed,
}

impl DialResult {
    /// The result of the `n`-th record dialled (from 0).
    fn of(n: u64) -> Self {
        match n % 10 {
            0..=3 => DialResult::Answer,
            4..=6 => DialResult::NoAnswer,
            7 => DialResult::Busy,
            8 => DialResult::AnswerMachine,
            _ => DialResult::Failed,
        }
    }

    /// As `clear_campaign`'s `result` names it (`no-answer`, ...).
    pub(in crate::mock) fn filter_name(self) -> &'static str {
        match self {
            DialResult::Answer => "answer",
            DialResult::NoAnswer => "no-answer",
            DialResult::Busy => "busy",
            DialResult::AnswerMachine => "answer-machine",
            DialResult::Failed => "failed",
        }
    }

    /// As the export's `resultado` spells it (with spaces, as documented).
    pub(in crate::mock) fn export_name(self) -> &'static str {
        match self {
            DialResult::Answer => "ANSWER",
            DialResult::NoAnswer => "NO ANSWER",
            DialResult::Busy => "BUSY",
            DialResult::AnswerMachine => "ANSWER MACHINE",
            DialResult::Failed => "FAILED",
        }
    }
}

/// Dials what `elapsed` allows at the campaign's speed.
pub(super) fn dial(campaign: &mut SimCampaign, elapsed: Duration) {
    let owed = campaign.carry + f64::from(campaign.speed) * elapsed.as_secs_f64();
    let mut whole = owed.floor();
    campaign.carry = owed - whole;
    for record in campaign.records.iter_mut().filter(|r| r.result.is_none()) {
        if whole < 1.0 {
            break;
        }
        record.result = Some(DialResult::of(campaign.dialled));
        campaign.dialled += 1;
        whole -= 1.0;
    }
    if campaign.records.iter().all(|r| r.result.is_some()) {
        // Nothing left to dial: no credit piles up for records loaded later.
        campaign.carry = 0.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::campaign::{CampaignKind, CampaignRecord};
    use crate::mock::campaign::SimRecord;

    #[test]
    fn speed_records_a_second_in_order_with_the_cycle_of_results() {
        let mut campaign = SimCampaign::new(CampaignKind::Predictive, "X");
        campaign.speed = 4;
        campaign.records = (0..12)
            .map(|i| SimRecord {
                record: CampaignRecord::new(i.to_string()),
                result: None,
            })
            .collect();
        dial(&mut campaign, Duration::from_millis(1_100));
        assert_eq!(
            campaign
                .records
                .iter()
                .filter(|r| r.result.is_some())
                .count(),
            4
        );
        dial(&mut campaign, Duration::from_millis(900)); // 0.4 carried + 3.6
        let row = campaign.realtime(1);
        assert_eq!(
            (row.dial, row.clean, row.answer, row.no_answer),
            (8, 4, 4, 3)
        );
        assert_eq!(row.busy_congestion_failed, 1);
        dial(&mut campaign, Duration::from_secs(60));
        let row = campaign.realtime(1);
        assert_eq!((row.dial, row.clean, row.answer_machine), (12, 0, 1));
        assert_eq!(row.percentage, Some(100.0));
        assert!(row.is_finished());
        assert_eq!(campaign.carry, 0.0);
    }
}
