//! The integration tests: one binary with a module per area, so the suite links once.
//!
//! Tests that change process-global state stay in binaries of their own: `from_env.rs` (the
//! environment), `tracing_output.rs` (the global tracing subscriber) and `memory.rs` (it
//! measures the process's resident memory, which the other tests would disturb).

#[path = "../common/mod.rs"]
mod common;

mod agents;
mod budget;
mod calls;
mod campaigns;
mod errors;
mod follow;
mod hostile;
mod information;
mod limits;
mod mock_server;
mod mock_server_calls;
mod reports;
mod resume;
mod secrets;
mod shared_watch;
mod skills;
mod watch;
