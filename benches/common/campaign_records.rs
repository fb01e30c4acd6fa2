//! The baseline's records for `benches/campaign.rs` (not a bench itself): the 37 predictive
//! keys of `add_record` as a user without the crate would write them.

use serde::Serialize;
use wolkvox::campaign::CampaignRecord;

/// The 37 predictive keys, as a user would write them.
#[derive(Serialize)]
pub struct BaselineRecord {
    customer_name: String,
    customer_last_name: String,
    id_type: String,
    customer_id: String,
    age: String,
    gender: String,
    country: String,
    state: String,
    city: String,
    zone: String,
    address: String,
    opt1: String,
    opt2: String,
    opt3: String,
    opt4: String,
    opt5: String,
    opt6: String,
    opt7: String,
    opt8: String,
    opt9: String,
    opt10: String,
    opt11: String,
    opt12: String,
    tel1: String,
    tel2: String,
    tel3: String,
    tel4: String,
    tel5: String,
    tel6: String,
    tel7: String,
    tel8: String,
    tel9: String,
    tel10: String,
    tel_extra: String,
    email: String,
    recall_date: String,
    recall_telephone: String,
}

impl BaselineRecord {
    pub fn of(r: &CampaignRecord) -> Self {
        let o = |i: usize| r.options[i].clone();
        let t = |i: usize| r.phones.get(i).cloned().unwrap_or_default();
        BaselineRecord {
            customer_name: r.customer_name.clone(),
            customer_last_name: r.customer_last_name.clone(),
            id_type: r.id_type.clone(),
            customer_id: r.customer_id.clone(),
            age: r.age.clone(),
            gender: r.gender.clone(),
            country: r.country.clone(),
            state: r.state.clone(),
            city: r.city.clone(),
            zone: r.zone.clone(),
            address: r.address.clone(),
            opt1: o(0),
            opt2: o(1),
            opt3: o(2),
            opt4: o(3),
            opt5: o(4),
            opt6: o(5),
            opt7: o(6),
            opt8: o(7),
            opt9: o(8),
            opt10: o(9),
            opt11: o(10),
            opt12: o(11),
            tel1: t(0),
            tel2: t(1),
            tel3: t(2),
            tel4: t(3),
            tel5: t(4),
            tel6: t(5),
            tel7: t(6),
            tel8: t(7),
            tel9: t(8),
            tel10: t(9),
            tel_extra: r.tel_extra.clone(),
            email: r.email.clone(),
            recall_date: String::new(),
            recall_telephone: r.recall_telephone.clone(),
        }
    }
}
