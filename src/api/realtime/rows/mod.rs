//! Public typed records, one module per report. Each reads the wire's row and its own
//! serialization through one serde `Deserialize` (with the lenient value functions of
//! [`crate::decode`]); calls decode them with the row deserializer of [`crate::decode::row`].

mod agent;
mod skill;
mod status;

pub use agent::AgentRealtime;
pub use skill::SkillRealtime;
pub use status::AgentStatus;

#[cfg(test)]
mod tests;
