//! `CampaignRecord`: one customer of an outbound campaign, as `add_record` takes it and
//! `campaign_15` exports it, and [`WireRecord`], the record as sent for one campaign kind.

mod de;

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
            keys: match kind {
                CampaignKind::Predictive => Keys::Predictive,
                CampaignKind::Preview => Keys::Preview,
            },
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
enum Keys {
    Predictive,
    Preview,
    /// Every field (the record's own `Serialize`).
    All,
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

fn write<S: Serializer>(
    record: &CampaignRecord,
    keys: Keys,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let predictive = matches!(keys, Keys::Predictive | Keys::All);
    let agent = match keys {
        Keys::Preview => true,
        Keys::All => record.agent_id.is_some(),
        Keys::Predictive => false,
    };
    let len = COMMON_KEYS + if predictive { 4 } else { 0 } + usize::from(agent);
    let mut map = serializer.serialize_map(Some(len))?;
    map.serialize_entry("customer_name", &record.customer_name)?;
    map.serialize_entry("customer_last_name", &record.customer_last_name)?;
    map.serialize_entry("id_type", &record.id_type)?;
    map.serialize_entry("customer_id", &record.customer_id)?;
    map.serialize_entry("age", &record.age)?;
    map.serialize_entry("gender", &record.gender)?;
    map.serialize_entry("country", &record.country)?;
    map.serialize_entry("state", &record.state)?;
    map.serialize_entry("city", &record.city)?;
    map.serialize_entry("zone", &record.zone)?;
    map.serialize_entry("address", &record.address)?;
    for (key, value) in OPT_KEYS.iter().zip(&record.options) {
        map.serialize_entry(key, value)?;
    }
    for (i, key) in TEL_KEYS.iter().enumerate() {
        map.serialize_entry(key, record.phones.get(i).map_or("", String::as_str))?;
    }
    if predictive {
        map.serialize_entry("tel_extra", &record.tel_extra)?;
        map.serialize_entry("email", &record.email)?;
        map.serialize_entry("recall_date", &RecallDate(record.recall_date))?;
        map.serialize_entry("recall_telephone", &record.recall_telephone)?;
    }
    if agent {
        map.serialize_entry("agent_id", &AgentId(record.agent_id))?;
    }
    map.end()
}

/// `YYYYmmddHHiiss`, or `""`.
struct RecallDate(Option<DateTime>);

impl Serialize for RecallDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Some(dt) => serializer.collect_str(&format_args!(
                "{:04}{:02}{:02}{:02}{:02}{:02}",
                dt.year(),
                dt.month(),
                dt.day(),
                dt.hour(),
                dt.minute(),
                dt.second()
            )),
            None => serializer.serialize_str(""),
        }
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

/// The bytes of `records` written for `kind`, as a JSON array: an estimate of the size is
/// reserved first (the values' lengths plus the keys), so the buffer is not grown by
/// doubling (which would hold up to twice the body, plus the copy, at its peak).
pub(crate) fn body(records: &[CampaignRecord], kind: CampaignKind) -> Result<Vec<u8>, String> {
    let keys_bytes = match kind {
        // `"key":"",` for every key: 4 quotes, a colon and a comma besides the key itself.
        CampaignKind::Predictive => PREDICTIVE_KEY_BYTES,
        CampaignKind::Preview => PREVIEW_KEY_BYTES,
    };
    let values: usize = records.iter().map(value_bytes).sum();
    let estimate = 2 + values + records.len() * (keys_bytes + 3);
    let mut out = Vec::with_capacity(estimate);
    serde_json::to_writer(&mut out, &Batch { records, kind })
        .map_err(|error| format!("the records cannot be serialized: {error}"))?;
    Ok(out)
}

/// The bytes every record spends on its keys and punctuation (`"key":"",` per key).
const fn key_bytes(keys: &[&str]) -> usize {
    let mut total = 0;
    let mut i = 0;
    while i < keys.len() {
        total += keys[i].len() + 6;
        i += 1;
    }
    total
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
const PREDICTIVE_KEY_BYTES: usize = key_bytes(&BASE_KEYS)
    + key_bytes(&OPT_KEYS)
    + key_bytes(&TEL_KEYS)
    + key_bytes(&PREDICTIVE_ONLY);
const PREVIEW_KEY_BYTES: usize =
    key_bytes(&BASE_KEYS) + key_bytes(&OPT_KEYS) + key_bytes(&TEL_KEYS) + key_bytes(&["agent_id"]);

/// The bytes of a record's values, unescaped (what most values are).
fn value_bytes(r: &CampaignRecord) -> usize {
    let texts = [
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
        &r.email,
        &r.tel_extra,
        &r.recall_telephone,
    ];
    let fixed =
        if r.recall_date.is_some() { 14 } else { 0 } + if r.agent_id.is_some() { 10 } else { 0 };
    texts.iter().map(|s| s.len()).sum::<usize>()
        + r.options.iter().map(String::len).sum::<usize>()
        + r.phones
            .iter()
            .take(MAX_PHONES)
            .map(String::len)
            .sum::<usize>()
        + fixed
}

/// A slice of records written as a JSON array of [`WireRecord`]s.
struct Batch<'a> {
    records: &'a [CampaignRecord],
    kind: CampaignKind,
}

impl Serialize for Batch<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.records.iter().map(|record| record.wire(self.kind)))
    }
}

#[cfg(test)]
mod tests;
