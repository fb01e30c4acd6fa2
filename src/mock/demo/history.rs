//! The demo history: the calls of the demo operation ([`demo_skills`], [`demo_agents`]),
//! generated lazily and deterministically per day for any date.
//!
//! About 2,000 calls a day (1,950 to 2,050, so any 31 whole days hold more than 60,000 calls)
//! arrive along a daily curve: quiet at night, peaks mid-morning and mid-afternoon. Inbound
//! calls pick a skill in proportion to its real-time volume, are abandoned at the skill's
//! abandon rate (always outside the operation's open hours, when nobody is logged in), and are
//! answered by an agent on shift who takes that skill, within 10/20/30 seconds at rates that
//! reproduce the skill's service levels. A few calls in office hours are outbound dials of the
//! collections campaign. The random source is a hash of (day, call index): no state, no
//! `rand`, the same calls for the same day in every run.

use super::dates::{DAY, Range};
use super::{ACTIVITY_CODES, Group, OPEN_HOURS, STAFF, Staff, demo_agents, demo_skills};

/// The fewest calls a day has.
const MIN_CALLS_PER_DAY: u64 = 1_950;
/// A day has up to this many calls more than [`MIN_CALLS_PER_DAY`].
const CALLS_SPREAD: u64 = 100;
/// The daily curve: relative arrivals per hour of the day.
const HOURLY_WEIGHTS: [u64; 24] = [
    2, 1, 1, 1, 1, 2, 8, 30, 70, 105, 120, 105, 70, 65, 95, 110, 100, 75, 45, 28, 18, 10, 6, 3,
];
/// Per mille of the calls between 08:00 and 18:00 that are outbound dials.
const OUTBOUND_PER_MILLE: u64 = 80;
/// Hours in which the campaign dials (end excluded).
const DIALING_HOURS: (i64, i64) = (8, 18);
/// Per mille of handled calls closed by the system because the agent overran after-call work.
const TIMEOUT_ACW_PER_MILLE: u64 = 40;
/// Comments agents leave on some calls.
pub(in crate::mock) const COMMENTS: [&str; 5] = [
    "cliente sin internet, se reinicia modem",
    "solicita copia de factura",
    "acuerdo de pago a 30 dias",
    "se agenda visita tecnica",
    "pregunta por el estado del pedido",
];
const SEED: u64 = 0x5745_4C4B_564F_5821;

/// The splitmix64 finalizer: a cheap, well-mixed hash of one number.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Independent pseudo-random numbers for one (day, index) pair, one per `salt`.
#[derive(Debug, Clone, Copy)]
pub(in crate::mock) struct Dice(u64);

impl Dice {
    pub(in crate::mock) fn new(day: i64, index: u64) -> Self {
        // The day's bits, reinterpreted: negative days are as good as positive ones.
        Dice(mix(mix(day as u64 ^ SEED) ^ index))
    }

    pub(in crate::mock) fn roll(self, salt: u64) -> u64 {
        mix(self.0 ^ salt.wrapping_mul(0xD6E8_FEB8_6659_FD93))
    }

    /// A number in `0..n` (`n` > 0).
    pub(in crate::mock) fn below(self, salt: u64, n: u64) -> u64 {
        self.roll(salt) % n.max(1)
    }

    /// A number in `0..n` as an `i64` (`n` > 0 and small).
    fn below_i64(self, salt: u64, n: u64) -> i64 {
        self.below(salt, n) as i64
    }

    /// A number in `[0, 1)`.
    fn unit(self, salt: u64) -> f64 {
        // 53 bits fit an f64 exactly.
        (self.roll(salt) >> 11) as f64 / (1u64 << 53) as f64
    }

    /// An index into `weights`, chosen in proportion to them.
    fn weighted(self, salt: u64, weights: impl Iterator<Item = u64> + Clone) -> usize {
        let total: u64 = weights.clone().sum();
        let mut pick = self.below(salt, total);
        for (index, weight) in weights.enumerate() {
            if pick < weight {
                return index;
            }
            pick -= weight;
        }
        0
    }
}

/// A skill of the demo operation, with the rates its calls follow.
#[derive(Debug, Clone)]
pub(in crate::mock) struct SkillProfile {
    pub(in crate::mock) id: u32,
    pub(in crate::mock) name: String,
    weight: u64,
    abandon: f64,
    /// Probability that an answered call waited at most 10, 20, 30 seconds.
    within: [f64; 3],
    group: Group,
}

/// An agent of the demo operation.
#[derive(Debug, Clone)]
pub(in crate::mock) struct AgentProfile {
    pub(in crate::mock) id: u32,
    pub(in crate::mock) name: String,
    pub(in crate::mock) staff: Staff,
}

/// How a handled call was closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::mock) enum Closing {
    /// One of [`ACTIVITY_CODES`], by index.
    Code(usize),
    /// `TIMEOUTACW`: the system closed it.
    TimeoutAcw,
}

/// One generated call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(in crate::mock) struct Call {
    /// When it arrived (or was dialed).
    pub(in crate::mock) start: i64,
    /// Its 1-based position in its day.
    pub(in crate::mock) seq: u64,
    pub(in crate::mock) outbound: bool,
    /// The skill an inbound call queued in (index into [`Operation::skills`]).
    pub(in crate::mock) queue: Option<usize>,
    /// The agent who handled it (index into [`Operation::agents`]); none when abandoned.
    pub(in crate::mock) agent: Option<usize>,
    /// Seconds in queue (inbound).
    pub(in crate::mock) wait: u64,
    /// Seconds the agent's phone rang (inbound) or the customer's (outbound).
    pub(in crate::mock) ring: u64,
    pub(in crate::mock) talk: u64,
    pub(in crate::mock) hold: u64,
    pub(in crate::mock) acw: u64,
    pub(in crate::mock) closing: Option<Closing>,
    pub(in crate::mock) telephone: u64,
    pub(in crate::mock) customer_id: Option<u64>,
    pub(in crate::mock) agent_hung_up: bool,
    pub(in crate::mock) comment: Option<usize>,
}

impl Call {
    /// Whether an agent handled it.
    pub(in crate::mock) fn handled(&self) -> bool {
        self.agent.is_some()
    }

    /// When it ended: after the wait, the ring, the talk and any hold (after-call work is
    /// the agent's, the call is over). Its `cdr_1` row exists from then on.
    pub(in crate::mock) fn end(&self) -> i64 {
        self.start + (self.wait + self.ring + self.talk + self.hold) as i64
    }

    /// Whether it was inbound and abandoned.
    pub(in crate::mock) fn abandoned(&self) -> bool {
        !self.outbound && self.agent.is_none()
    }
}

/// The demo operation, ready to generate calls.
#[derive(Debug, Clone)]
pub(in crate::mock) struct Operation {
    pub(in crate::mock) skills: Vec<SkillProfile>,
    pub(in crate::mock) agents: Vec<AgentProfile>,
    /// The simulator's "now": only calls that ended by then are in the history.
    pub(in crate::mock) now: i64,
}

impl Operation {
    /// The operation of [`demo_skills`] and [`demo_agents`].
    pub(in crate::mock) fn demo() -> Self {
        let skills = demo_skills()
            .into_iter()
            .map(|skill| {
                let inbound = f64::from(skill.stat_inbound.max(1));
                let answered = f64::from(skill.stat_answer.max(1));
                let levels = [
                    skill.service_level_10seg,
                    skill.service_level_20seg,
                    skill.service_level_30seg,
                ];
                SkillProfile {
                    id: skill.skill_id,
                    group: super::group(skill.skill_id),
                    weight: u64::from(skill.stat_inbound),
                    abandon: f64::from(skill.stat_abandon) / inbound,
                    // The levels are shares of inbound calls; the waits are drawn for answered ones.
                    within: levels.map(|level| (level / 100.0 * inbound / answered).min(1.0)),
                    name: skill.skill_name,
                }
            })
            .collect();
        let names = demo_agents();
        let agents = STAFF
            .iter()
            .map(|staff| AgentProfile {
                id: staff.id,
                name: names
                    .iter()
                    .find(|agent| agent.agent_id == staff.id)
                    .map(|agent| agent.agent_name.clone())
                    .unwrap_or_default(),
                staff: *staff,
            })
            .collect();
        Operation {
            skills,
            agents,
            now: i64::MAX,
        }
    }

    /// The operation as seen at `now`: calls not yet ended are not in its history.
    pub(in crate::mock) fn at(mut self, now: i64) -> Self {
        self.now = now;
        self
    }

    /// When `agent` logged in and out on `day`: a little before the shift starts and a little
    /// after it ends.
    pub(in crate::mock) fn shift(&self, agent: usize, day: i64) -> (i64, i64) {
        let staff = self.agents[agent].staff;
        let dice = Dice::new(day, 1 << 40 | u64::from(staff.id));
        let login = day * DAY + staff.shift.0 * 3600 - dice.below_i64(0, 600);
        let logout = day * DAY + staff.shift.1 * 3600 + dice.below_i64(1, 900);
        (login, logout)
    }

    /// Every call of `day`, in order of arrival.
    pub(in crate::mock) fn calls_on(&self, day: i64) -> Vec<Call> {
        let count = MIN_CALLS_PER_DAY + Dice::new(day, u64::MAX).below(0, CALLS_SPREAD + 1);
        let mut arrivals: Vec<i64> = (0..count)
            .map(|index| {
                let dice = Dice::new(day, 1 << 41 | index);
                let hour = dice.weighted(0, HOURLY_WEIGHTS.iter().copied());
                hour as i64 * 3600 + dice.below_i64(1, 3600)
            })
            .collect();
        arrivals.sort_unstable();
        arrivals
            .into_iter()
            .zip(1..)
            .map(|(second, seq)| self.call(day, seq, second))
            .collect()
    }

    /// Every call that arrived within `range` and ended by [`now`](Self::now), in order of
    /// arrival.
    pub(in crate::mock) fn calls_between(&self, range: Range) -> Vec<Call> {
        let last_day = super::dates::day_of(self.now);
        range
            .days()
            .take_while(|&day| day <= last_day)
            .flat_map(|day| self.calls_on(day))
            .filter(|call| range.contains(call.start) && call.end() <= self.now)
            .collect()
    }

    /// The agents on shift at `hour` who take calls of `group`.
    fn on_shift(&self, hour: i64, group: Group) -> Vec<usize> {
        (0..self.agents.len())
            .filter(|&a| self.agents[a].staff.on_shift(hour) && self.agents[a].staff.takes(group))
            .collect()
    }

    fn call(&self, day: i64, seq: u64, second: i64) -> Call {
        let dice = Dice::new(day, seq);
        let hour = second / 3600;
        let dialing = (DIALING_HOURS.0..DIALING_HOURS.1).contains(&hour);
        let outbound = dialing && dice.below(1, 1000) < OUTBOUND_PER_MILLE;
        let mut call = Call {
            start: day * DAY + second,
            seq,
            outbound,
            queue: None,
            agent: None,
            wait: 0,
            ring: 0,
            talk: 0,
            hold: 0,
            acw: 0,
            closing: None,
            telephone: 3_000_000_000 + dice.below(2, 230_000_000),
            customer_id: None,
            agent_hung_up: false,
            comment: None,
        };
        let group = if outbound {
            Group::Collections
        } else {
            let skill = dice.weighted(3, self.skills.iter().map(|s| s.weight));
            call.queue = Some(skill);
            self.skills[skill].group
        };
        let open = (OPEN_HOURS.0..OPEN_HOURS.1).contains(&hour);
        let agents = self.on_shift(hour, group);
        // Service calls go mostly to the agents who take no sales, so that the load evens out.
        let weights = agents.iter().map(|&a| {
            let staff = self.agents[a].staff;
            if group == Group::Service && !staff.sales {
                2
            } else {
                1
            }
        });
        let agent = agents
            .get(dice.weighted(6, weights))
            .copied()
            .filter(|_| open);
        let gives_up = call
            .queue
            .is_some_and(|skill| dice.unit(4) < self.skills[skill].abandon);
        let Some(agent) = agent.filter(|_| outbound || !gives_up) else {
            // Abandoned in the queue, or in the IVR when nobody is logged in. (The campaign
            // only dials while collections agents are on shift, so this is always inbound.)
            call.outbound = false;
            call.queue = call.queue.or(Some(0));
            call.wait = if open {
                5 + dice.below(5, 115)
            } else {
                10 + dice.below(5, 30)
            };
            return call;
        };
        call.agent = Some(agent);
        if outbound {
            call.ring = 5 + dice.below(7, 20);
            call.talk = 20 + dice.below(8, 200);
        } else {
            let within = call
                .queue
                .map_or([1.0; 3], |skill| self.skills[skill].within);
            let draw = dice.unit(9);
            call.wait = if draw < within[0] {
                dice.below(10, 11)
            } else if draw < within[1] {
                11 + dice.below(10, 10)
            } else if draw < within[2] {
                21 + dice.below(10, 10)
            } else {
                31 + dice.below(10, 150)
            };
            call.ring = 2 + dice.below(7, 7);
            call.talk = 30 + dice.below(8, 90);
            if dice.below(11, 10) == 0 {
                call.talk += dice.below(12, 240);
            }
            if dice.below(13, 5) == 0 {
                call.hold = 10 + dice.below(14, 50);
            }
        }
        call.acw = 8 + dice.below(15, 23);
        call.closing = Some(if dice.below(16, 1000) < TIMEOUT_ACW_PER_MILLE {
            Closing::TimeoutAcw
        } else {
            Closing::Code(dice.weighted(17, ACTIVITY_CODES.iter().map(|c| c.weight)))
        });
        call.customer_id = Some(10_000_000 + dice.below(18, 1_090_000_000));
        call.agent_hung_up = dice.below(19, 10) < 3;
        if dice.below(20, 10) == 0 {
            call.comment = Some(dice.below(21, COMMENTS.len() as u64) as usize);
        }
        call
    }
}

#[cfg(test)]
mod tests {
    use super::super::dates::{day_number, parse_compact};
    use super::super::reports::{DemoReport, Filter, rows};
    use super::*;

    fn day(y: i16, m: i8, d: i8) -> i64 {
        day_number(jiff::civil::date(y, m, d))
    }

    #[test]
    fn the_same_day_gives_the_same_calls() {
        let operation = Operation::demo();
        let first = operation.calls_on(day(2026, 8, 12));
        assert_eq!(first, Operation::demo().calls_on(day(2026, 8, 12)));
        assert_ne!(first, operation.calls_on(day(2026, 8, 13)));
        assert_eq!(
            operation.calls_on(day(1999, 12, 31)).len(),
            operation.calls_on(day(1999, 12, 31)).len()
        );
    }

    #[test]
    fn about_two_thousand_calls_a_day_and_over_60000_in_31_days() {
        let operation = Operation::demo();
        let counts: Vec<usize> = (0..62)
            .map(|d| operation.calls_on(day(2026, 1, 1) + d).len())
            .collect();
        assert!(
            counts.iter().all(|&n| (1_950..=2_050).contains(&n)),
            "{counts:?}"
        );
        assert!(counts.windows(2).any(|w| w[0] != w[1]), "days vary");
        let august = Range {
            ini: parse_compact("20260801000000").unwrap(),
            end: parse_compact("20260831235959").unwrap(),
        };
        let calls = operation.calls_between(august);
        assert!(calls.len() > 60_000, "{}", calls.len());
        assert!(calls.windows(2).all(|w| w[0].start <= w[1].start));
    }

    #[test]
    fn calls_follow_the_daily_curve() {
        let operation = Operation::demo();
        let mut per_hour = [0u32; 24];
        for d in 0..7 {
            for call in operation.calls_on(day(2026, 3, 2) + d) {
                per_hour[usize::try_from(call.start.rem_euclid(DAY) / 3600).unwrap()] += 1;
            }
        }
        let night: u32 = per_hour[0..6].iter().sum();
        assert!(night < per_hour[10] / 10, "{per_hour:?}");
        assert!(
            per_hour[10] > per_hour[8] && per_hour[10] > per_hour[12],
            "{per_hour:?}"
        );
        assert!(
            per_hour[15] > per_hour[13] && per_hour[15] > per_hour[18],
            "{per_hour:?}"
        );
    }

    #[test]
    fn answered_calls_are_handled_by_agents_on_shift_who_take_the_skill() {
        let operation = Operation::demo();
        let d = day(2026, 8, 12);
        for call in operation.calls_on(d) {
            let hour = call.start.rem_euclid(DAY) / 3600;
            match call.agent {
                Some(agent) => {
                    let staff = operation.agents[agent].staff;
                    assert!(staff.on_shift(hour), "{call:?}");
                    let (login, logout) = operation.shift(agent, d);
                    assert!(login <= call.start && call.start < logout);
                    let group = call
                        .queue
                        .map_or(Group::Collections, |s| operation.skills[s].group);
                    assert!(staff.takes(group), "{call:?}");
                    assert!(call.closing.is_some() && call.customer_id.is_some());
                }
                None => {
                    assert!(!call.outbound && call.queue.is_some(), "{call:?}");
                    assert_eq!((call.talk, call.acw, call.closing), (0, 0, None));
                }
            }
            if !(OPEN_HOURS.0..OPEN_HOURS.1).contains(&hour) {
                assert!(call.abandoned(), "nobody answers at night: {call:?}");
            }
        }
    }

    #[test]
    fn cdr_1_and_skill_3_agree_per_day() {
        let operation = Operation::demo();
        let range = Range {
            ini: parse_compact("20260810000000").unwrap(),
            end: parse_compact("20260812235959").unwrap(),
        };
        let all = Filter::default();
        let cdr = rows(DemoReport::Cdr1, &operation, range, &all, &all, usize::MAX);
        let per_day = rows(
            DemoReport::Skill3,
            &operation,
            range,
            &all,
            &all,
            usize::MAX,
        );
        assert_eq!(per_day.len(), 3 * 12);
        for d in ["2026-08-10", "2026-08-11", "2026-08-12"] {
            let calls: Vec<_> = cdr
                .iter()
                .filter(|r| r["date"].as_str().unwrap().starts_with(d))
                .collect();
            let inbound = calls
                .iter()
                .filter(|r| r["type_interaction"] == "INBOUND")
                .count();
            let abandoned = calls
                .iter()
                .filter(|r| r["type_interaction"] == "INBOUND" && r["agent_id"] == "")
                .count();
            let days: Vec<_> = per_day.iter().filter(|r| r["date"] == d).collect();
            assert_eq!(days.len(), 12);
            let sum = |field: &str| -> usize {
                days.iter()
                    .map(|r| r[field].as_str().unwrap().parse::<usize>().unwrap())
                    .sum()
            };
            assert_eq!(sum("inbound_calls"), inbound, "{d}");
            assert_eq!(sum("abandon_calls"), abandoned, "{d}");
            assert_eq!(
                sum("answer_calls") + sum("abandon_calls"),
                sum("inbound_calls"),
                "{d}"
            );
            // Answered per skill in cdr_1 (abandoned calls carry no skill there).
            for row in &days {
                let skill = row["skill_id"].as_str().unwrap();
                let answered = calls.iter().filter(|r| r["skill_id"] == skill).count();
                assert_eq!(row["answer_calls"], answered.to_string(), "{d} {skill}");
            }
        }
    }

    #[test]
    fn daily_levels_are_close_to_the_real_time_figures() {
        let operation = Operation::demo();
        let month = Range {
            ini: parse_compact("20260801000000").unwrap(),
            end: parse_compact("20260830235959").unwrap(),
        };
        let (mut inbound, mut abandoned, mut within_20) = (0u64, 0u64, 0u64);
        for call in operation.calls_between(month) {
            if call.queue == Some(2) && (8 * 3600..20 * 3600).contains(&call.start.rem_euclid(DAY))
            {
                inbound += 1;
                abandoned += u64::from(call.abandoned());
                within_20 += u64::from(call.handled() && call.wait <= 20);
            }
        }
        // Skill 103 in real time: 12.61 % abandoned, 63.25 % answered within 20 s.
        let abandon = abandoned as f64 * 100.0 / inbound as f64;
        let level = within_20 as f64 * 100.0 / inbound as f64;
        assert!((abandon - 12.61).abs() < 1.5, "{abandon}");
        assert!((level - 63.25).abs() < 2.5, "{level}");
    }
}
