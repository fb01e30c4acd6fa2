//! `CampaignRecord`: one customer of an outbound campaign, as `add_record` takes it and
//! `campaign_15` exports it, and [`WireRecord`], the record as sent for one campaign kind.

mod body;
mod de;

pub(crate) use body::body;

use jiff::civil::DateTime;
use serde::ser::{Serialize, SerializeMap, Serializer};

use super::CampaignKind;

/// The most phones a record carries (`tel1`..`tel10`).
pub const MAX_PHONES: usize = 10;

/// The longest `opt1`..`opt6` (index 0 to 5 of [`CampaignRecord::options`]), in characters.
/// The vendor's texts overlap at `opt6` (100 and 200): the smaller bound is used.
pub const SHORT_OPTION_CHARS: usize = 100;

/// The longest `opt7`..`opt12` (index 6 to 11 of [`CampaignRecord::options`]), in characters.
pub const LONG_OPTION_CHARS: usize = 200;

/// The longest value of option `index` (0-based: `opt1` is 0).
pub(crate) fn option_limit(index: usize) -> usize {
    if index < 6 {
        SHORT_OPTION_CHARS
    } else {
        LONG_OPTION_CHARS
    }
}

const OPT_KEYS: [&str; 12] = [
    "opt1", "opt2", "opt3", "opt4", "opt5", "opt6", "opt7", "opt8", "opt9", "opt10", "opt11",
    "opt12",
];
const TEL_KEYS: [&str; MAX_PHONES] = [
    "tel1", "tel2", "tel3", "tel4", "tel5", "tel6", "tel7", "tel8", "tel9", "tel10",
];

/// One customer of an outbound campaign: what
/// [`Campaign::add_records`](super::Campaign::add_records) uploads and
/// [`Campaign::records`](super::Campaign::records) reads back.
///
/// Every value is text, sent as given (phones are never normalised: add your outbound prefix
/// yourself). Only [`customer_id`](Self::customer_id) is required; the service matches
/// records on it.
///
/// ```
/// use jiff::civil::date;
/// use wolkvox::campaign::{CampaignKind, CampaignRecord};
///
/// let mut record = CampaignRecord::new("1000000001");
/// record.customer_name = "ANA".into();
/// record.phones = vec!["3105550199".into(), "6015550100".into()];
/// record.options[0] = "VIP".into();
/// record.recall_date = Some(date(2026, 6, 6).at(10, 0, 0, 0));
///
/// let sent = serde_json::to_value(record.wire(CampaignKind::Predictive))?;
/// assert_eq!(sent["customer_id"], "1000000001");
/// assert_eq!(sent["tel2"], "6015550100");
/// assert_eq!(sent["tel3"], "");
/// assert_eq!(sent["opt1"], "VIP");
/// assert_eq!(sent["recall_date"], "20260606100000");
/// assert!(sent.get("agent_id").is_none()); // preview only
///
/// let preview = serde_json::to_value(record.wire(CampaignKind::Preview))?;
/// assert_eq!(preview["agent_id"], "");
/// assert!(preview.get("recall_date").is_none()); // predictive only
/// # Ok::<(), serde_json::Error>(())
/// ```
///
/// # Serialization
///
/// The keys differ by campaign kind (the vendor's schema):
///
/// | keys | predictive | preview |
/// |---|---|---|
/// | `customer_name`, `customer_last_name`, `id_type`, `customer_id`, `age`, `gender`, `country`, `state`, `city`, `zone`, `address`, `opt1`..`opt12`, `tel1`..`tel10` | yes | yes |
/// | `tel_extra`, `email`, `recall_date` (`YYYYmmddHHiiss`), `recall_telephone` | yes | no |
/// | `agent_id` | no | yes |
///
/// A serde `Serialize` cannot know the campaign it is meant for, so there are two forms:
/// - [`wire(kind)`](Self::wire) gives a [`WireRecord`], which writes exactly the keys of that
///   kind, every one of them, with `""` for an empty value: the upload's body, as
///   `add_records` sends it. Fields that the kind has no key for are not sent.
/// - `Serialize` on the record itself writes every field under the upload's keys (the
///   predictive keys, then `agent_id` when it is set): nothing is lost, and `Deserialize`
///   reads it back.
///
/// `phones` beyond the tenth have no key and are not written (`add_records` refuses them).
///
/// # Deserialization
///
/// From the upload's keys (above) and from the export's Spanish keys (`id_cliente`,
/// `nombre_cliente`, `apellido_cliente`, `tipo_doc`, `edad`, `sexo`, `pais`, `departamento`,
/// `ciudad`, `zona`, `direccion`, `id_agent`, `rellamada`, `rellamada_tel`, `tel1`..,
/// `opt1`..), leniently: values trimmed, numbers read as their text, `null` as empty;
/// `recall_date` from `YYYYmmddHHiiss` or `YYYY-MM-DD HH:MM:SS`, blank or all zeros as
/// `None`; `agent_id` blank as `None`. `customer_id` (or `id_cliente`) must be present; any
/// other key may be missing, and unknown keys (the export's `resultado`, `llamadas`, ...) are
/// ignored. `phones` are `tel1`..`tel10` in order, trailing blanks dropped.
///
/// To read a CSV file whose header is the upload's keys, hand each row to `Deserialize` as
/// strings (for example serde's `MapDeserializer` over the header and the row's fields, as
/// `examples/campaign.rs` does): the `csv` crate's own `deserialize` guesses numbers, and
/// `"0601..."` would lose its leading zero.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct CampaignRecord {
    /// The customer's id (document number), numeric or alphanumeric; required and unique in
    /// an upload. Wire `customer_id`, export `id_cliente`.
    pub customer_id: String,
    /// The customer's name (`customer_name`, export `nombre_cliente`).
    pub customer_name: String,
    /// The customer's last name (`customer_last_name`, export `apellido_cliente`).
    pub customer_last_name: String,
    /// The kind of id document, e.g. `CC` (`id_type`, export `tipo_doc`).
    pub id_type: String,
    /// Age (`age`, export `edad`).
    pub age: String,
    /// Gender (`gender`, export `sexo`).
    pub gender: String,
    /// Country (`country`, export `pais`).
    pub country: String,
    /// State or department (`state`, export `departamento`).
    pub state: String,
    /// City (`city`, export `ciudad`).
    pub city: String,
    /// Zone (`zone`, export `zona`).
    pub zone: String,
    /// Address (`address`, export `direccion`).
    pub address: String,
    /// E-mail (`email`); predictive campaigns only.
    pub email: String,
    /// An extra telephone (`tel_extra`); predictive campaigns only.
    pub tel_extra: String,
    /// The telephone to call back on at [`recall_date`](Self::recall_date)
    /// (`recall_telephone`, export `rellamada_tel`); predictive campaigns only.
    pub recall_telephone: String,
    /// Up to 10 telephones, dialled in order (`tel1`..`tel10`).
    pub phones: Vec<String>,
    /// The campaign's optional columns `opt1`..`opt12` (index 0 is `opt1`): at most 100
    /// characters for `opt1`..`opt6`, 200 for `opt7`..`opt12`.
    pub options: [String; 12],
    /// When to call back (`recall_date`, `YYYYmmddHHiiss`, export `rellamada`); predictive
    /// campaigns only.
    pub recall_date: Option<DateTime>,
    /// The agent the record is assigned to (`agent_id`, export `id_agent`); preview
    /// campaigns only: `add_records` refuses it on a predictive campaign.
    pub agent_id: Option<u32>,
}

impl CampaignRecord {
    /// A record with this `customer_id` and every other field empty.
    ///
    /// ```
    /// let record = wolkvox::campaign::CampaignRecord::new("AB-200002");
    /// assert_eq!(record.customer_id, "AB-200002");
    /// assert!(record.phones.is_empty());
    /// ```
    pub fn new(customer_id: impl Into<String>) -> Self {
        CampaignRecord {
            customer_id: customer_id.into(),
            ..CampaignRecord::default()
        }
    }

    /// The record as `add_record` sends it for a campaign of `kind`: exactly that kind's
    /// keys (see [Serialization](CampaignRecord#serialization)).
    pub fn wire(&self, kind: CampaignKind) -> WireRecord<'_> {
        WireRecord {
            record: self,
            keys: Keys::of(kind),
        }
    }
}

/// A [`CampaignRecord`] as `add_record` sends it for one campaign kind, from
/// [`CampaignRecord::wire`]: `Serialize` writes exactly that kind's keys, every one, with
/// `""` for an empty value.
#[derive(Debug, Clone, Copy)]
pub struct WireRecord<'a> {
    record: &'a CampaignRecord,
    keys: Keys,
}

/// Which keys a record is written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Keys {
    Predictive,
    Preview,
    /// Every field (the record's own `Serialize`).
    All,
}

impl Keys {
    /// The keys of a campaign of `kind`.
    pub(crate) fn of(kind: CampaignKind) -> Keys {
        match kind {
            CampaignKind::Predictive => Keys::Predictive,
            CampaignKind::Preview => Keys::Preview,
        }
    }
}

impl Serialize for WireRecord<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        write(self.record, self.keys, serializer)
    }
}

/// Every field under the upload's keys; see [Serialization](CampaignRecord#serialization).
impl Serialize for CampaignRecord {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        write(self, Keys::All, serializer)
    }
}

/// The number of keys every record is written with: 11 text fields, 12 options, 10 phones.
const COMMON_KEYS: usize = 11 + 12 + MAX_PHONES;

/// One value as written: text, `recall_date` or `agent_id` (`""` when `None`).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Value<'a> {
    Text(&'a str),
    Date(Option<DateTime>),
    Agent(Option<u32>),
}

/// How many keys `record` is written with under `keys`.
fn key_count(record: &CampaignRecord, keys: Keys) -> usize {
    let (predictive, agent) = key_sets(record, keys);
    COMMON_KEYS + if predictive { 4 } else { 0 } + usize::from(agent)
}

/// Whether the predictive-only keys and `agent_id` are written.
fn key_sets(record: &CampaignRecord, keys: Keys) -> (bool, bool) {
    let predictive = matches!(keys, Keys::Predictive | Keys::All);
    let agent = match keys {
        Keys::Preview => true,
        Keys::All => record.agent_id.is_some(),
        Keys::Predictive => false,
    };
    (predictive, agent)
}

/// Hands every key of `record` under `keys`, with its value, to `visit`, in the documented
/// order: the one definition of what a record is written as (serde's `Serialize` and the
/// upload's body writer both go through it).
pub(crate) fn visit_fields<E>(
    record: &CampaignRecord,
    keys: Keys,
    mut visit: impl FnMut(&'static str, Value<'_>) -> Result<(), E>,
) -> Result<(), E> {
    let (predictive, agent) = key_sets(record, keys);
    let r = record;
    for (key, value) in BASE_KEYS.iter().zip([
        &r.customer_name,
        &r.customer_last_name,
        &r.id_type,
        &r.customer_id,
        &r.age,
        &r.gender,
        &r.country,
        &r.state,
        &r.city,
        &r.zone,
        &r.address,
    ]) {
        visit(key, Value::Text(value))?;
    }
    for (key, value) in OPT_KEYS.iter().zip(&r.options) {
        visit(key, Value::Text(value))?;
    }
    for (i, key) in TEL_KEYS.iter().enumerate() {
        visit(key, Value::Text(r.phones.get(i).map_or("", String::as_str)))?;
    }
    if predictive {
        visit("tel_extra", Value::Text(&r.tel_extra))?;
        visit("email", Value::Text(&r.email))?;
        visit("recall_date", Value::Date(r.recall_date))?;
        visit("recall_telephone", Value::Text(&r.recall_telephone))?;
    }
    if agent {
        visit("agent_id", Value::Agent(r.agent_id))?;
    }
    Ok(())
}

fn write<S: Serializer>(
    record: &CampaignRecord,
    keys: Keys,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(key_count(record, keys)))?;
    visit_fields(record, keys, |key, value| match value {
        Value::Text(text) => map.serialize_entry(key, text),
        Value::Date(date) => map.serialize_entry(key, &RecallDate(date)),
        Value::Agent(id) => map.serialize_entry(key, &AgentId(id)),
    })?;
    map.end()
}

/// `YYYYmmddHHiiss`, or `""`.
struct RecallDate(Option<DateTime>);

impl Serialize for RecallDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Some(dt) => serializer.collect_str(&WireDate(dt)),
            None => serializer.serialize_str(""),
        }
    }
}

/// A date and time as `YYYYmmddHHiiss`.
pub(crate) struct WireDate(pub(crate) DateTime);

impl std::fmt::Display for WireDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let dt = self.0;
        write!(
            f,
            "{:04}{:02}{:02}{:02}{:02}{:02}",
            dt.year(),
            dt.month(),
            dt.day(),
            dt.hour(),
            dt.minute(),
            dt.second()
        )
    }
}

/// The id as text, or `""`.
struct AgentId(Option<u32>);

impl Serialize for AgentId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Some(id) => serializer.collect_str(&id),
            None => serializer.serialize_str(""),
        }
    }
}

const BASE_KEYS: [&str; 11] = [
    "customer_name",
    "customer_last_name",
    "id_type",
    "customer_id",
    "age",
    "gender",
    "country",
    "state",
    "city",
    "zone",
    "address",
];
const PREDICTIVE_ONLY: [&str; 4] = ["tel_extra", "email", "recall_date", "recall_telephone"];

#[cfg(test)]
mod tests;
