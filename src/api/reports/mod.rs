//! Historical reports (`reports_manager.php`): typed rows of the most used reports.
//!
//! A historical report answers the rows of a date range: one row per call (`cdr_1`), per
//! skill and day or hour (`skill_3`, `skill_4`, ...), per agent over the whole range
//! (`agent_1`). This module has a typed row for each of those:
//!
//! | type | reports | one row per |
//! |---|---|---|
//! | [`CallRecord`] | `cdr_1` | call |
//! | [`SkillInterval`] | `skill_3`, `skill_4`, `skill_4_1`, `skill_4_2`, `skill_7` | skill and day, hour, 30 or 10 minutes |
//! | [`AgentSummary`] | `agent_1` | agent, totals over the range |
//!
//! Every type reads what the server sends, with its quirks (numbers as strings, `"34,64 %"`,
//! `"4:38:08"`, blanks as `""`, `"-"` or `"--"`, Spanish or misspelt column names), and
//! exposes plain English names and typed values: counts as `u32`, percentages as `f64` in
//! percent points, times as [`Duration`](std::time::Duration), dates and times as
//! [`jiff::civil`] values (wall-clock time of the operation, no time zone). They serialize
//! to clean JSON (durations as whole seconds) and read that JSON back.
//!
//! For a report without a type here, describe its columns yourself with the functions of
//! [`crate::de`].
//!
//! ## Keeping a warehouse current
//!
//! - Resumable exports: every [`ReportWindow`] carries the [`Checkpoint`] to continue right
//!   after it ([`ReportWindow::checkpoint`]); save it after the window's rows, and
//!   [`ReportRequest::resume`] continues the same request after a crash.
//! - Incremental: [`ReportRequest::follow`] reads new data every tick, re-reading a lookback
//!   span for rows that arrive late, and delivers each event row once ([`ReportFollow`]).
//! - What a sink does with a window depends on the report's [`ReportKind`]: events are merged
//!   on their key, intervals and totals replace their day. Natural keys: [`CallRecord`]
//!   `(conn_id, agent_id, skill_id)` (see [`CallRecord::conn_id`]), [`AgentSummary`] per day
//!   `(day of the window, agent_id)`, [`SkillInterval`] `(date[, hour], skill_id)`.
//!   `examples/sync` is a loader into NDJSON files or PostgreSQL built on these.
//!
//! ```
//! use std::time::Duration;
//!
//! use jiff::civil::date;
//! use wolkvox::reports::CallRecord;
//!
//! let call: CallRecord = serde_json::from_str(
//!     r#"{"conn_id": "20260812080315.4471", "date": "2026-08-12 08:03:15",
//!         "agent_id": "", "skill_id": "101", "type_interaction": "INBOUND",
//!         "time_seg": "287", "cost": "0,00", "customer_id": "-"}"#,
//! )?;
//! assert_eq!(call.date, date(2026, 8, 12).at(8, 3, 15, 0));
//! assert_eq!(call.agent_id, None);
//! assert_eq!(call.skill_id, Some(101));
//! assert_eq!(call.interaction_type, "INBOUND");
//! assert_eq!(call.duration, Duration::from_secs(287));
//! assert_eq!(call.customer_id, "");
//! # Ok::<(), serde_json::Error>(())
//! ```

mod checkpoint;
mod follow;
mod request;
mod rows;
mod stream;
pub(crate) mod window;

pub use checkpoint::Checkpoint;
pub use follow::{FollowWindows, ReportFollow};
pub use request::{DEFAULT_RECORD_LIMIT, ReportRequest};
pub use rows::{AgentSummary, CallRecord, SkillInterval};
pub use stream::{ReportWindow, ReportWindows};
pub use window::ReportKind;
