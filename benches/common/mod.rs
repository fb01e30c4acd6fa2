//! Shared by the benches (not a bench itself): the baseline a user would write.

use serde::Deserialize;

/// The envelope with the documented fields as `String`s, as a user would decode it by hand.
#[allow(dead_code)] // read only through `black_box`
#[derive(Deserialize)]
pub struct BaselineResponse {
    pub msg: String,
    pub data: Vec<BaselineSkill>,
}

#[allow(dead_code)] // read only through `black_box`
#[derive(Deserialize)]
pub struct BaselineSkill {
    pub skill_id: String,
    pub skill_name: String,
    pub calls_in_queue_now: String,
    pub stat_inbound: String,
    pub stat_answer: String,
    pub stat_abandon: String,
    pub service_level_10seg: String,
    pub service_level_20seg: String,
    pub service_level_30seg: String,
    pub by_abandon: String,
}
