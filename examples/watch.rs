//! `cargo run --example watch`: a polling dashboard against the simulated server.
//!
//! Polls every skill every 300 ms (the live service asks for one poll every 5 minutes:
//! `wolkvox::RECOMMENDED_POLL_INTERVAL`), while the simulated queues move, and prints what
//! changed in each snapshot: queue length and service level at 20 s. Exits after 5 snapshots.

mod common;

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::Duration;

use common::exit_code;
use wolkvox::mock::MockWolkvox;

#[tokio::main]
async fn main() -> ExitCode {
    exit_code(run().await)
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mock = MockWolkvox::start_demo().await;
    let client = mock.client()?;
    let mut snapshots = client.watch_skills(Duration::from_millis(300));
    let mut previous: BTreeMap<u32, (u32, f64)> = BTreeMap::new();
    let mut n = 0;
    while n < 5 {
        let Some(snapshot) = snapshots.next().await else {
            break;
        };
        n += 1;
        let skills = snapshot?;
        println!("snapshot {n}: {} skills", skills.len());
        for skill in &skills {
            let now = (skill.calls_in_queue_now, skill.service_level_20seg);
            match previous.insert(skill.skill_id, now) {
                Some(before) if before != now => println!(
                    "  {:<22} queue {:>3} -> {:>3}   SL 20 s {:>6.2} % -> {:>6.2} %",
                    skill.skill_name, before.0, now.0, before.1, now.1
                ),
                _ => {}
            }
        }
        // Between polls, the simulated operation moves: calls arrive in two queues and the
        // service level of the busiest skill degrades a little.
        let step = n as u32;
        mock.update_skill(103, |s| {
            s.calls_in_queue_now += step;
            s.service_level_20seg = (s.service_level_20seg - 1.5).max(0.0);
        });
        mock.update_skill(301, |s| {
            s.calls_in_queue_now = s.calls_in_queue_now.saturating_sub(2)
        });
    }
    println!("{} requests made, never overlapping", mock.request_count());
    Ok(())
}
