//! Output shared by the examples (not an example itself).
#![allow(dead_code)] // each example uses a different subset

use wolkvox::SkillRealtime;

/// Prints skills as an aligned table with a totals line.
pub fn print_skills(skills: &[SkillRealtime]) {
    let name_width = skills
        .iter()
        .map(|s| s.skill_name.len())
        .max()
        .unwrap_or(4)
        .max(4);
    println!(
        "{:>5}  {:<name_width$}  {:>5}  {:>7}  {:>8}  {:>9}  {:>8}  {:>9}",
        "id", "name", "queue", "inbound", "answered", "abandoned", "SL 20 s", "abandon %"
    );
    println!(
        "{}",
        "-".repeat(5 + 2 + name_width + 2 + 5 + 2 + 7 + 2 + 8 + 2 + 9 + 2 + 8 + 2 + 9)
    );
    for s in skills {
        println!(
            "{:>5}  {:<name_width$}  {:>5}  {:>7}  {:>8}  {:>9}  {:>7.2}%  {:>8.2}%",
            s.skill_id,
            s.skill_name,
            s.calls_in_queue_now,
            s.stat_inbound,
            s.stat_answer,
            s.stat_abandon,
            s.service_level_20seg,
            s.by_abandon,
        );
    }
    let queue: u32 = skills.iter().map(|s| s.calls_in_queue_now).sum();
    let inbound: u32 = skills.iter().map(|s| s.stat_inbound).sum();
    let abandoned: u32 = skills.iter().map(|s| s.stat_abandon).sum();
    println!(
        "{} skills, {queue} calls waiting now, {inbound} inbound today, {abandoned} abandoned",
        skills.len()
    );
}
