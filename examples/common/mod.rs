//! Output shared by the examples (not an example itself).
#![allow(dead_code)] // each example uses a different subset

use std::process::ExitCode;
use std::time::Duration;

use wolkvox::{AgentRealtime, SkillRealtime};

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

/// `H:MM:SS`.
pub fn clock(d: Duration) -> String {
    let s = d.as_secs();
    format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// Prints agents as an aligned table: state, time in state, calls, occupancy.
pub fn print_agents(agents: &[AgentRealtime]) {
    let name_width = agents
        .iter()
        .map(|a| a.agent_name.len())
        .max()
        .unwrap_or(4)
        .max(4);
    let state_width = agents
        .iter()
        .map(|a| a.agent_status.as_str().len())
        .max()
        .unwrap_or(5)
        .max(5);
    println!(
        "{:>5}  {:<name_width$}  {:<state_width$}  {:>8}  {:>5}  {:>9}",
        "id", "name", "state", "in state", "calls", "occupancy"
    );
    println!(
        "{}",
        "-".repeat(5 + 2 + name_width + 2 + state_width + 2 + 8 + 2 + 5 + 2 + 9)
    );
    for a in agents {
        println!(
            "{:>5}  {:<name_width$}  {:<state_width$}  {:>8}  {:>5}  {:>8.2}%",
            a.agent_id,
            a.agent_name,
            a.agent_status.as_str(),
            clock(a.time_state_now),
            a.calls,
            a.occupancy,
        );
    }
    let busy = agents.iter().filter(|a| a.agent_status.is_busy()).count();
    println!("{} agents logged in, {busy} on a call now", agents.len());
}

/// Ends an example: prints an error as its `Display` text followed by its causes (never
/// `Debug`), and exits with 1; exits with 0 on success.
pub fn exit_code(result: Result<(), Box<dyn std::error::Error>>) -> ExitCode {
    let Err(error) = result else {
        return ExitCode::SUCCESS;
    };
    eprintln!("error: {error}");
    let mut cause = error.source();
    while let Some(current) = cause {
        eprintln!("  caused by: {current}");
        cause = current.source();
    }
    ExitCode::FAILURE
}
