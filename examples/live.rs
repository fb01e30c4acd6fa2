//! `cargo run --example live`: the skills report from the real Wolkvox service.
//!
//! Needs `WOLKVOX_SERVER` (your operation's server nomenclature, e.g. `0004`) and
//! `WOLKVOX_TOKEN`. Optional: `WOLKVOX_SKILL_ID` to also fetch one skill. Makes one or two
//! requests (mind the daily quota: licences x 1000 requests).

mod common;

use common::print_skills;
use wolkvox::{Error, WolkvoxClient};

#[tokio::main]
async fn main() {
    if std::env::var_os("WOLKVOX_TOKEN").is_none()
        || (std::env::var_os("WOLKVOX_SERVER").is_none()
            && std::env::var_os("WOLKVOX_BASE_URL").is_none())
    {
        eprintln!(
            "This example calls the real Wolkvox service. Set your operation's server and token:\n\n    \
             WOLKVOX_SERVER=0004 WOLKVOX_TOKEN=... cargo run --example live\n\n\
             (no token? `cargo run --example demo` shows the same report from a simulated server)"
        );
        std::process::exit(2);
    }
    if let Err(error) = run().await {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), Error> {
    let client = WolkvoxClient::builder()
        .from_env()
        .user_agent("wolkvox-live-example")
        .build()?;
    println!("Wolkvox server: {}\n", client.endpoint());
    let skills = client.skills().await?;
    if skills.is_empty() {
        println!("The operation has no skill data right now.");
    } else {
        print_skills(&skills);
    }
    if let Some(id) = std::env::var("WOLKVOX_SKILL_ID")
        .ok()
        .and_then(|v| v.trim().parse::<u32>().ok())
    {
        let skill = client.skill(id).await?;
        println!("\n{skill:#?}");
    }
    Ok(())
}
