//! `cargo run --example demo`: the crate's main job on an embedded default.
//!
//! Starts the crate's own simulated Wolkvox server (`wolkvox::mock`) on loopback with a
//! realistic operation of a dozen skills and ten agents, then reads it the way a service
//! would: all skills, all agents, one skill with an extra service-level column, yesterday's
//! calls from the historical reports, and the token's quota. No token, no network.

mod common;

use std::process::ExitCode;

use common::{exit_code, print_agents, print_skills};
use wolkvox::WolkvoxClient;
use wolkvox::mock::MockWolkvox;
use wolkvox::reports::CallRecord;

#[tokio::main]
async fn main() -> ExitCode {
    exit_code(run().await)
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mock = MockWolkvox::start_demo().await;
    println!(
        "Simulated Wolkvox server at {} (no token, no network needed)\n",
        mock.uri()
    );

    // Exactly what a live service does, with `.server("0004")` instead of `.base_url(..)`.
    let client = WolkvoxClient::builder()
        .base_url(&mock.uri())
        .token(mock.token())
        .build()?;

    let skills = client.skills().await?;
    print_skills(&skills);

    println!();
    let agents = client.agents().await?;
    print_agents(&agents);

    let skill = client.skill(101).service_time(45).await?;
    println!(
        "\nskill {} {}: {} in queue, {} of {} answered, service level {:.2} % at 20 s, {:.2} % at 45 s",
        skill.skill_id,
        skill.skill_name,
        skill.calls_in_queue_now,
        skill.stat_answer,
        skill.stat_inbound,
        skill.service_level_20seg,
        skill.service_level(45).unwrap_or_default(),
    );

    match client.skill(999).await {
        Err(error) => println!("skill 999: {error}"),
        Ok(skill) => println!("skill 999 unexpectedly found: {skill:?}"),
    }

    // Yesterday's calls from the historical reports, one typed row per call.
    let yesterday = jiff::tz::Offset::UTC
        .to_datetime(jiff::Timestamp::now())
        .date()
        .yesterday()?;
    let calls: Vec<CallRecord> = client.report("cdr_1").on(yesterday).send_as().await?;
    let answered = calls.iter().filter(|call| call.agent_id.is_some()).count();
    println!(
        "\n{yesterday}: {} calls in the call detail records, {answered} answered by an agent",
        calls.len(),
    );

    // Every call above cost one request of the token's daily quota; so does this one.
    let quota = client.token_info().await?;
    println!(
        "quota: {} of {} requests used today, {} left",
        quota.token_use_today,
        quota.token_limit,
        quota.remaining()
    );
    Ok(())
}
