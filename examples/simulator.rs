//! `cargo run --example simulator -- --listen 127.0.0.1:8089`: the crate's simulated Wolkvox
//! server with the demo operation on a fixed address, for any program (in any language) to
//! call until Ctrl-C. No token, no network.
//!
//! Prints exactly two lines on stdout, ready for a `.env` file or `export`:
//!
//! ```text
//! WOLKVOX_BASE_URL=http://127.0.0.1:8089
//! WOLKVOX_TOKEN=mock-token
//! ```
//!
//! then the endpoints it serves on stderr.
//!
//! `--delay MS` holds every answer back (so that clients really contend for the token's 2
//! simultaneous requests), `--concurrency-limit N` changes those 2, `--token-limit N` the
//! daily quota. The simulator keeps no copy of the requests: it can run for days.

use std::net::{SocketAddr, TcpListener};
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use wolkvox::endpoint::{INFORMATION_PATH, REALTIME_PATH, REPORTS_PATH};
use wolkvox::mock::{DEFAULT_CONCURRENCY_LIMIT, DEFAULT_TOKEN_LIMIT, Fault, MockWolkvox};

/// A simulated Wolkvox server serving the demo operation until Ctrl-C.
#[derive(Debug, Parser)]
#[command(about)]
struct Args {
    /// The address to listen on. Keep it on loopback: the crate's client sends its token
    /// over plain http only to loopback addresses.
    #[arg(long, default_value = "127.0.0.1:8089")]
    listen: SocketAddr,

    /// Requests a day the token may make; beyond, every request answers 403 TOKEN LIMIT EXCEEDED.
    #[arg(long, default_value_t = DEFAULT_TOKEN_LIMIT)]
    token_limit: u64,

    /// Milliseconds every answer is held back (the request takes effect at once).
    #[arg(long, value_name = "MS", default_value_t = 0)]
    delay: u64,

    /// Requests of the token served at once; beyond, a request answers 403 EXCEEDS THE LIMIT
    /// OF SIMULTANEOUS REQUESTS PER TOKEN (N). 0 refuses every request.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_CONCURRENCY_LIMIT)]
    concurrency_limit: usize,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let listener = match TcpListener::bind(args.listen) {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("cannot listen on {}: {error}", args.listen);
            return ExitCode::FAILURE;
        }
    };
    let mock = match MockWolkvox::try_start_on(listener).await {
        Ok(mock) => mock,
        Err(error) => {
            eprintln!("cannot serve on {}: {error}", args.listen);
            return ExitCode::FAILURE;
        }
    };
    mock.load_demo();
    mock.set_token_limit(args.token_limit);
    mock.set_concurrency_limit(args.concurrency_limit);
    if args.delay > 0 {
        mock.set_fault(Some(Fault::Delay(Duration::from_millis(args.delay))));
    }

    let base = mock.uri();
    println!("WOLKVOX_BASE_URL={base}");
    println!("WOLKVOX_TOKEN={}", mock.token());

    eprintln!(
        "\nServing the demo operation (12 skills, 10 agents, a history for any date) until Ctrl-C.\n\
         Every request needs the header `wolkvox-token: {token}`; {limit} requests a day, \
         {concurrency} at once; answers {delay} ms late.\n\n\
         Real time:\n  \
           GET {base}{REALTIME_PATH}?api=skills&skill_id=all   (or skill_id=101; services_time=45)\n  \
           GET {base}{REALTIME_PATH}?api=agents                (or agent_id=1001)\n\n\
         Historical reports (date_ini/date_end as YYYYmmddHHMMSS, at most 31 days; skill_id=, agent_id=):\n  \
           GET {base}{REPORTS_PATH}?api=cdr_1&date_ini=20260812000000&date_end=20260812235959\n  \
           api=cdr_1, skill_3, skill_4, skill_4_1, skill_4_2, skill_7, agent_1\n\n\
         Catalogues:\n  \
           GET {base}{INFORMATION_PATH}?api=token_info\n  \
           api=agents, skills, activity_codes, campaigns, agents_in_skill&skill_id=101,\n  \
           audit_log&date_ini=..&date_end=.., token_info\n",
        token = mock.token(),
        limit = args.token_limit,
        concurrency = args.concurrency_limit,
        delay = args.delay,
    );

    if let Err(error) = tokio::signal::ctrl_c().await {
        eprintln!("cannot wait for Ctrl-C: {error}");
        return ExitCode::FAILURE;
    }
    eprintln!(
        "stopped after {} requests, at most {} at once",
        mock.request_count(),
        mock.max_in_flight()
    );
    ExitCode::SUCCESS
}
