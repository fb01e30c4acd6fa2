//! Public typed records, one module per report.

mod agent;
mod skill;

pub use agent::{AgentRealtime, AgentStatus};
pub use skill::SkillRealtime;

use crate::decode::RowReader;
use crate::error::Error;

/// A record that can be built from one row of a report's `data`.
pub(crate) trait FromRow: Sized {
    /// Builds the record from the row's fields, naming the field and raw value on failure.
    fn from_row(row: &RowReader<'_, '_>) -> Result<Self, Error>;
}
