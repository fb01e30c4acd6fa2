//! Catalogues and the token's own quota (`information.php`): who is agent 12523, what is
//! skill 101, how much of today's quota is left.
//!
//! Read them with [`WolkvoxClient::information`](crate::WolkvoxClient::information) and
//! [`WolkvoxClient::token_info`](crate::WolkvoxClient::token_info). Every call costs one
//! request of the token's daily quota, `token_info` included.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), wolkvox::Error> {
//! use wolkvox::information::{AgentInfo, SkillInfo, TokenInfo};
//!
//! let mock = wolkvox::mock::MockWolkvox::start_demo().await;
//! let client = mock.client()?;
//! let agents: Vec<AgentInfo> = client.information("agents").send_as().await?;
//! let skills: Vec<SkillInfo> = client.information("skills").send_as().await?;
//! assert!(agents.iter().any(|a| a.agent_name == "Laura Gomez"));
//! assert!(skills.iter().any(|s| s.skill_id == 101));
//! let quota: TokenInfo = client.token_info().await?;
//! assert_eq!(quota.token_use_today, 3); // the two catalogues and this call
//! assert_eq!(quota.remaining(), quota.token_limit - 3);
//! # Ok(()) }
//! ```

use std::collections::BTreeMap;
use std::fmt;

use jiff::civil::DateTime;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::de::{Lenient, count, text};
use crate::decode;

/// The token's quota (`api=token_info`), from
/// [`WolkvoxClient::token_info`](crate::WolkvoxClient::token_info). That call costs one
/// request of the quota itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TokenInfo {
    /// The token's description (usually the operation's name).
    #[serde(default, deserialize_with = "text")]
    pub description: String,
    /// Requests the token may make per day (licences x 1000).
    #[serde(deserialize_with = "quota_count")]
    pub token_limit: u64,
    /// Requests made with this token today.
    #[serde(deserialize_with = "quota_count")]
    pub token_use_today: u64,
    /// Requests made today with every token of the operation.
    #[serde(default, deserialize_with = "quota_count")]
    pub all_token_today: u64,
    /// The APIs the token may call (`"real_time, reports_manager, information"`), as sent.
    #[serde(default, deserialize_with = "text")]
    pub available_consumption_options: String,
}

impl TokenInfo {
    /// Requests left today: `token_limit` minus `token_use_today`, never negative.
    ///
    /// ```
    /// let quota: wolkvox::information::TokenInfo = serde_json::from_str(
    ///     r#"{"token_limit": "25000", "token_use_today": "1377"}"#,
    /// )?;
    /// assert_eq!(quota.remaining(), 23_623);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn remaining(&self) -> u64 {
        self.token_limit.saturating_sub(self.token_use_today)
    }
}

/// One agent of the operation's catalogue (`api=agents`).
///
/// ```
/// let agent: wolkvox::information::AgentInfo = serde_json::from_str(
///     r#"{"agent_id": "12523", "agent_name": "ANDRES GOMEZ", "agent_dni": "79123456",
///         "agent_status": "Active", "last_use": "", "agent_sso": "no"}"#,
/// )?;
/// assert_eq!(agent.agent_id, 12523);
/// assert_eq!(agent.last_use, None);
/// assert!(!agent.agent_sso);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AgentInfo {
    /// The agent's numeric id.
    #[serde(deserialize_with = "count")]
    pub agent_id: u32,
    /// The agent's name.
    #[serde(default, deserialize_with = "text")]
    pub agent_name: String,
    /// The agent's national id number, as sent (leading zeros kept).
    #[serde(default, deserialize_with = "text")]
    pub agent_dni: String,
    /// The account's status (`"Active"`, ...), as sent.
    #[serde(default, deserialize_with = "text")]
    pub agent_status: String,
    /// When the agent last used the platform; `None` when blank (never).
    #[serde(default, deserialize_with = "crate::de::option::datetime")]
    pub last_use: Option<DateTime>,
    /// Whether the agent signs in with single sign-on (`"yes"` / `"no"`).
    #[serde(default, deserialize_with = "yes_no")]
    pub agent_sso: bool,
}

/// One skill (queue) of the operation's catalogue (`api=skills`).
///
/// ```
/// let skill: wolkvox::information::SkillInfo = serde_json::from_str(
///     r#"{"skill_id": "101", "skill_name": "SOPORTE_TECNICO", "last_use": "2026-08-12 17:45:03"}"#,
/// )?;
/// assert_eq!(skill.skill_id, 101);
/// assert_eq!(skill.last_use, Some(jiff::civil::date(2026, 8, 12).at(17, 45, 3, 0)));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SkillInfo {
    /// The skill's numeric id.
    #[serde(deserialize_with = "count")]
    pub skill_id: u32,
    /// The skill's name.
    #[serde(default, deserialize_with = "text")]
    pub skill_name: String,
    /// The skill's description.
    #[serde(default, deserialize_with = "text")]
    pub skill_description: String,
    /// When the skill last took an interaction; `None` when blank.
    #[serde(default, deserialize_with = "crate::de::option::datetime")]
    pub last_use: Option<DateTime>,
}

/// One activity (disposition) code (`api=activity_codes`).
///
/// The documented columns are typed; every other column (the code and its description, whose
/// names the vendor does not document) is kept as text in [`extra`](ActivityCode::extra).
///
/// ```
/// let code: wolkvox::information::ActivityCode = serde_json::from_str(
///     r#"{"cod_act": "VENTA", "hit": "yes", "rpc": "no", "chat": "no", "voice": "yes",
///         "type_code": "EFFECTIVE", "interactions": "inbound"}"#,
/// )?;
/// assert!(code.hit && code.voice && !code.rpc);
/// assert_eq!(code.extra["cod_act"], "VENTA");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[non_exhaustive]
pub struct ActivityCode {
    /// The code counts as a hit (`"yes"`).
    pub hit: bool,
    /// The code counts as a right-party contact (`"yes"`).
    pub rpc: bool,
    /// The code applies to chats (`"yes"`).
    pub chat: bool,
    /// The code applies to voice calls (`"yes"`).
    pub voice: bool,
    /// The code's type, as sent.
    pub type_code: String,
    /// The interactions the code applies to, as sent.
    pub interactions: String,
    /// Every other column, as text.
    #[serde(flatten)]
    pub extra: BTreeMap<String, String>,
}

impl<'de> Deserialize<'de> for ActivityCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ActivityVisitor;
        impl<'de> Visitor<'de> for ActivityVisitor {
            type Value = ActivityCode;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an activity code row")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ActivityCode, A::Error> {
                let mut code = ActivityCode::default();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "hit" => code.hit = map.next_value_seed(Lenient(yes_no_value))?,
                        "rpc" => code.rpc = map.next_value_seed(Lenient(yes_no_value))?,
                        "chat" => code.chat = map.next_value_seed(Lenient(yes_no_value))?,
                        "voice" => code.voice = map.next_value_seed(Lenient(yes_no_value))?,
                        "type_code" => {
                            code.type_code = map.next_value_seed(Lenient(decode::text))?
                        }
                        "interactions" => {
                            code.interactions = map.next_value_seed(Lenient(decode::text))?;
                        }
                        _ => {
                            let value = map.next_value_seed(Lenient(decode::text))?;
                            code.extra.insert(key, value);
                        }
                    }
                }
                Ok(code)
            }
        }
        deserializer.deserialize_map(ActivityVisitor)
    }
}

/// `"yes"` / `"no"` (any case, trimmed), a JSON boolean, `"1"` / `"0"`; blank is `false`.
fn yes_no_value(value: &crate::decode::envelope::Scalar<'_>) -> Result<bool, &'static str> {
    use crate::decode::envelope::Scalar;
    const EXPECTED: &str = "\"yes\" or \"no\"";
    match value {
        Scalar::Bool(b) => Ok(*b),
        Scalar::Null => Ok(false),
        Scalar::Unsigned(0) => Ok(false),
        Scalar::Unsigned(1) => Ok(true),
        Scalar::Str(s) => match s.trim().to_ascii_lowercase().as_str() {
            "yes" | "si" | "sí" | "true" | "1" => Ok(true),
            "no" | "false" | "0" | "" | "-" | "--" => Ok(false),
            _ => Err(EXPECTED),
        },
        _ => Err(EXPECTED),
    }
}

fn yes_no<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    crate::de::lenient(deserializer, yes_no_value)
}

/// A count of requests of the quota (`u64`, like the simulator's counters): `"25000"`,
/// `25000`; blank is 0.
fn quota_count<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    crate::de::lenient(deserializer, decode::quota_count)
}
