//! The typed rows of the historical reports, one file per type.

mod agent;
mod call;
mod skill;

pub use agent::AgentSummary;
pub use call::CallRecord;
pub use skill::SkillInterval;

#[cfg(test)]
mod testing;
