//! The exporter's metrics: the latest snapshots of the two shared polls, rendered as
//! Prometheus gauges and counters on every scrape.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use prometheus_client::collector::Collector;
use prometheus_client::encoding::NoLabelSet;
use prometheus_client::encoding::{DescriptorEncoder, EncodeGaugeValue, EncodeLabelSet};
use prometheus_client::metrics::MetricType;
use wolkvox::{PollStats, SkillRealtime};

use super::Live;

/// Seconds with millisecond precision (`1.25`, not `1.2500000431`).
pub(crate) fn seconds(duration: Duration) -> f64 {
    duration.as_millis() as f64 / 1000.0
}

/// The agent states always exported, with 0 when no agent is in them; any other state (an
/// aux reason) is exported while some agent is in it.
const AGENT_STATES: [&str; 6] = ["Ready", "Inbound", "Outbound", "ACW", "Ring", "Aux"];

/// Writes one gauge family.
fn gauges<L: EncodeLabelSet, V: EncodeGaugeValue>(
    encoder: &mut DescriptorEncoder,
    name: &str,
    help: &str,
    series: impl IntoIterator<Item = (L, V)>,
) -> fmt::Result {
    let mut metric = encoder.encode_descriptor(name, help, None, MetricType::Gauge)?;
    for (labels, value) in series {
        metric.encode_family(&labels)?.encode_gauge(&value)?;
    }
    Ok(())
}

/// Writes one counter family (the encoder appends `_total` to `name`).
fn counters<L: EncodeLabelSet>(
    encoder: &mut DescriptorEncoder,
    name: &str,
    help: &str,
    series: impl IntoIterator<Item = (L, u64)>,
) -> fmt::Result {
    let mut metric = encoder.encode_descriptor(name, help, None, MetricType::Counter)?;
    for (labels, value) in series {
        metric
            .encode_family(&labels)?
            .encode_counter::<NoLabelSet, _, f64>(&value, None)?;
    }
    Ok(())
}

type Labels = Vec<(&'static str, String)>;

fn skill_labels(skill: &SkillRealtime) -> Labels {
    vec![
        ("skill_id", skill.skill_id.to_string()),
        ("skill_name", skill.skill_name.clone()),
    ]
}

/// One series per skill of the latest snapshot (none before the first successful poll).
fn skill_gauges<V: EncodeGaugeValue>(
    encoder: &mut DescriptorEncoder,
    skills: &[SkillRealtime],
    name: &str,
    help: &str,
    value: fn(&SkillRealtime) -> V,
) -> fmt::Result {
    gauges(
        encoder,
        name,
        help,
        skills.iter().map(|s| (skill_labels(s), value(s))),
    )
}

impl Collector for Live {
    fn encode(&self, mut encoder: DescriptorEncoder) -> fmt::Result {
        let e = &mut encoder;
        let skills = self.skills.latest();
        let skills = skills.as_ref().map_or(&[][..], |s| &s.value[..]);
        skill_gauges(
            e,
            skills,
            "wolkvox_skill_calls_in_queue",
            "Calls waiting for an agent now.",
            |s| s.calls_in_queue_now,
        )?;
        skill_gauges(
            e,
            skills,
            "wolkvox_skill_inbound_calls",
            "Inbound calls today.",
            |s| s.stat_inbound,
        )?;
        skill_gauges(
            e,
            skills,
            "wolkvox_skill_answered_calls",
            "Answered calls today.",
            |s| s.stat_answer,
        )?;
        skill_gauges(
            e,
            skills,
            "wolkvox_skill_abandoned_calls",
            "Abandoned calls today.",
            |s| s.stat_abandon,
        )?;
        gauges(
            e,
            "wolkvox_skill_service_level_percent",
            "Percentage of today's calls answered within threshold_seconds.",
            skills.iter().flat_map(|s| {
                [
                    (10, s.service_level_10seg),
                    (20, s.service_level_20seg),
                    (30, s.service_level_30seg),
                ]
                .map(|(seconds, level)| {
                    let mut labels = skill_labels(s);
                    labels.push(("threshold_seconds", seconds.to_string()));
                    (labels, level)
                })
            }),
        )?;
        skill_gauges(
            e,
            skills,
            "wolkvox_skill_abandon_percent",
            "Percentage of today's inbound calls abandoned before an agent answered.",
            |s| s.by_abandon,
        )?;

        if let Some(agents) = self.agents.latest() {
            let mut by_state: BTreeMap<&str, u32> =
                AGENT_STATES.iter().map(|&state| (state, 0)).collect();
            for agent in &agents.value {
                *by_state.entry(agent.agent_status.as_str()).or_insert(0) += 1;
            }
            gauges(
                e,
                "wolkvox_agents",
                "Logged-in agents by current state.",
                by_state
                    .into_iter()
                    .map(|(state, n)| (vec![("state", state)], n)),
            )?;
        }

        let reports = [
            (
                "skills",
                self.skills.latest().map(|s| s.age()),
                self.skills.stats(),
                self.skills.is_polling(),
            ),
            (
                "agents",
                self.agents.latest().map(|s| s.age()),
                self.agents.stats(),
                self.agents.is_polling(),
            ),
        ];
        gauges(
            e,
            "wolkvox_snapshot_age_seconds",
            "Age of the latest successful snapshot of the report.",
            reports.iter().filter_map(|(report, age, _, _)| {
                age.map(|age| (vec![("report", *report)], seconds(age)))
            }),
        )?;
        gauges(
            e,
            "wolkvox_polling",
            "1 while the report is polled; 0 once polling stopped (token refused or daily quota used up).",
            reports
                .iter()
                .map(|(report, _, _, polling)| (vec![("report", *report)], u32::from(*polling))),
        )?;
        counters(
            e,
            "wolkvox_polls",
            "Completed polls of the report, successful or not.",
            reports
                .iter()
                .map(|(report, _, stats, _)| (vec![("report", *report)], stats.polls)),
        )?;
        counters(
            e,
            "wolkvox_poll_errors",
            "Failed polls of the report by error kind.",
            reports.iter().flat_map(|(report, _, stats, _)| {
                PollStats::ERROR_KINDS.iter().map(move |&kind| {
                    (
                        vec![("report", *report), ("kind", kind)],
                        stats.errors_of(kind),
                    )
                })
            }),
        )
    }
}
