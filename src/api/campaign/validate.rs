//! The checks `add_records` makes before anything is sent.

use std::collections::HashSet;
use std::hash::{BuildHasher, Hasher, RandomState};
use std::sync::OnceLock;

use super::CampaignKind;
use super::record::{CampaignRecord, MAX_PHONES, option_limit};
use crate::error::Error;

/// [`Error::InvalidRequest`] naming the first bad record (its index and field) of `records`
/// for a campaign of `kind`, if any. Messages never carry the records' values (customer ids
/// and phones are personal data that ends up in logs).
pub(crate) fn check(records: &[CampaignRecord], kind: CampaignKind) -> Result<(), Error> {
    let mut seen: HashSet<&str, IdHash> =
        HashSet::with_capacity_and_hasher(records.len(), IdHash::new());
    for (index, record) in records.iter().enumerate() {
        let refuse = |field: &str, why: String| {
            Err(Error::invalid_request(format!(
                "records[{index}].{field} {why}; nothing was uploaded"
            )))
        };
        let id = crate::decode::trim(&record.customer_id);
        if id.is_empty() {
            return refuse(
                "customer_id",
                "is blank: every record needs its customer_id".into(),
            );
        }
        if record.phones.len() > MAX_PHONES {
            return refuse(
                "phones",
                format!(
                    "has {} numbers: at most {MAX_PHONES} (tel1..tel10)",
                    record.phones.len()
                ),
            );
        }
        for (i, option) in record.options.iter().enumerate() {
            let limit = option_limit(i);
            // A value no longer in bytes than the limit is no longer in characters.
            if option.len() > limit {
                let chars = option.chars().count();
                if chars > limit {
                    return refuse(
                        &format!("options[{i}]"),
                        format!("(opt{}) is {chars} characters long: at most {limit}", i + 1),
                    );
                }
            }
        }
        if record.agent_id.is_some() && kind == CampaignKind::Predictive {
            return refuse(
                "agent_id",
                "is set on a predictive campaign: agent_id assigns records on preview \
                 campaigns only"
                    .into(),
            );
        }
        if !seen.insert(id) {
            let first = records
                .iter()
                .position(|r| crate::decode::trim(&r.customer_id) == id)
                .unwrap_or(index);
            return refuse(
                "customer_id",
                format!(
                    "is the customer_id of records[{first}] too: the service matches records \
                     on it, so each may appear once in an upload"
                ),
            );
        }
    }
    Ok(())
}

/// The hash of the duplicate check: a folded multiply over 8 bytes at a time, keyed per
/// process (std's SipHash costs several times more, and an upload of 100,000 ids hashes
/// each once; the ids are the caller's own).
#[derive(Debug, Clone, Copy)]
struct IdHash(u64);

impl IdHash {
    fn new() -> Self {
        static KEY: OnceLock<u64> = OnceLock::new();
        IdHash(*KEY.get_or_init(|| RandomState::new().hash_one(0x5eed_u64) | 1))
    }
}

impl BuildHasher for IdHash {
    type Hasher = IdHasher;
    fn build_hasher(&self) -> IdHasher {
        IdHasher(self.0)
    }
}

#[derive(Debug)]
struct IdHasher(u64);

/// The product's two halves folded together.
fn fold(x: u64) -> u64 {
    let product = u128::from(x) * 0x9e37_79b9_7f4a_7c15;
    (product as u64) ^ ((product >> 64) as u64)
}

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut hash = self.0;
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            hash = fold(hash ^ u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        let mut word = [0u8; 8];
        word[..rest.len()].copy_from_slice(rest);
        self.0 = fold(hash ^ u64::from_le_bytes(word) ^ ((rest.len() as u64) << 56));
    }

    fn write_u8(&mut self, byte: u8) {
        self.0 = fold(self.0 ^ u64::from(byte));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(result: Result<(), Error>) -> String {
        match result {
            Err(Error::InvalidRequest { message }) => message,
            other => panic!("expected InvalidRequest, got {other:?}"),
        }
    }

    fn records(n: usize) -> Vec<CampaignRecord> {
        (0..n)
            .map(|i| CampaignRecord::new(format!("{i}")))
            .collect()
    }

    #[test]
    fn good_records_pass_for_both_kinds() {
        let mut list = records(3);
        list[1].phones = vec!["1".into(); 10];
        list[2].options[5] = "x".repeat(100);
        list[2].options[6] = "ñ".repeat(200); // 400 bytes, 200 characters
        check(&list, CampaignKind::Predictive).unwrap();
        list[0].agent_id = Some(1001);
        check(&list, CampaignKind::Preview).unwrap();
        check(&[], CampaignKind::Predictive).unwrap();
    }

    #[test]
    fn the_first_bad_record_is_named_with_its_field() {
        let mut list = records(5);
        list[3].customer_id = "  ".into();
        list[4].phones = vec!["1".into(); 11];
        assert_eq!(
            message(check(&list, CampaignKind::Predictive)),
            "records[3].customer_id is blank: every record needs its customer_id; nothing was \
             uploaded"
        );

        let mut list = records(5);
        list[2].phones = vec!["1".into(); 11];
        assert_eq!(
            message(check(&list, CampaignKind::Preview)),
            "records[2].phones has 11 numbers: at most 10 (tel1..tel10); nothing was uploaded"
        );

        let mut list = records(2);
        list[1].options[5] = "x".repeat(101);
        assert_eq!(
            message(check(&list, CampaignKind::Predictive)),
            "records[1].options[5] (opt6) is 101 characters long: at most 100; nothing was \
             uploaded"
        );
        list[1].options[5].clear();
        list[1].options[11] = "ñ".repeat(201);
        assert!(
            message(check(&list, CampaignKind::Predictive))
                .starts_with("records[1].options[11] (opt12) is 201 characters long: at most 200")
        );
    }

    #[test]
    fn agent_id_only_on_preview_and_duplicates_name_both_records() {
        let mut list = records(3);
        list[2].agent_id = Some(7);
        assert!(
            message(check(&list, CampaignKind::Predictive))
                .starts_with("records[2].agent_id is set on a predictive campaign")
        );

        let mut list = records(4);
        list[3].customer_id = " 1 ".into();
        let text = message(check(&list, CampaignKind::Predictive));
        assert!(
            text.starts_with("records[3].customer_id is the customer_id of records[1] too"),
            "{text}"
        );
        assert!(
            !text.contains(" 1 "),
            "no record values in messages: {text}"
        );
    }
}
