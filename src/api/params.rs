//! The query parameters a user sets on a request value (`param(name, value)`): a later value
//! replaces an earlier one of the same name, order is kept, and names are checked before
//! anything is sent.

use crate::engine::transport::Query;
use crate::error::Error;

/// The longest report or `api=` name accepted.
pub(crate) const MAX_NAME_LEN: usize = 64;

/// [`Error::InvalidRequest`] unless `name` is 1 to [`MAX_NAME_LEN`] lower-case ASCII letters,
/// digits or `_` (the rule of report and `api=` names); `what` and `example` go in the
/// message ("report name", "cdr_1").
pub(crate) fn check_name(what: &str, name: &str, example: &str) -> Result<(), Error> {
    let valid = (1..=MAX_NAME_LEN).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if valid {
        return Ok(());
    }
    Err(Error::invalid_request(format!(
        "{what} {name:?} is not 1 to {MAX_NAME_LEN} lower-case letters, digits or '_' \
         (e.g. {example:?})"
    )))
}

/// `(name, value)` pairs in the order first set.
#[derive(Debug, Clone, Default)]
pub(crate) struct Params(Vec<(String, String)>);

impl Params {
    /// Sets `name` to `value`, replacing an earlier value of the same name in its place.
    pub(crate) fn set(&mut self, name: impl Into<String>, value: impl Into<String>) {
        let (name, value) = (name.into(), value.into());
        match self.0.iter_mut().find(|(k, _)| *k == name) {
            Some(slot) => slot.1 = value,
            None => self.0.push((name, value)),
        }
    }

    /// [`Error::InvalidRequest`] for an empty name, or a name in `reserved` (parameters the
    /// crate sets itself), with `hint` saying how to set what the user meant.
    pub(crate) fn check(&self, reserved: &[&str], hint: &str) -> Result<(), Error> {
        if let Some((name, _)) = self.0.iter().find(|(k, _)| k.trim().is_empty()) {
            return Err(Error::invalid_request(format!(
                "a query parameter has an empty name ({name:?})"
            )));
        }
        if let Some((name, _)) = self.0.iter().find(|(k, _)| reserved.contains(&k.as_str())) {
            return Err(Error::invalid_request(format!(
                "the parameter {name:?} is set by the crate: {hint}"
            )));
        }
        Ok(())
    }

    /// Appends every pair to `query`, in order.
    pub(crate) fn append_to(&self, query: &mut Query) {
        query.extend(self.0.iter().map(|(k, v)| (k.clone().into(), v.clone())));
    }

    /// The parameters by name (what identifies a report's rows in a checkpoint).
    pub(crate) fn to_map(&self) -> std::collections::BTreeMap<String, String> {
        self.0.iter().cloned().collect()
    }

    /// How many parameters are set.
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_values_replace_earlier_ones_in_place() {
        let mut params = Params::default();
        params.set("type", "all");
        params.set("id_campaing", "3");
        params.set("type", "manual");
        let mut query: Query = vec![("api".into(), "recall".into())];
        params.append_to(&mut query);
        let pairs: Vec<(&str, &str)> = query
            .iter()
            .map(|(k, v)| (k.as_ref(), v.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [("api", "recall"), ("type", "manual"), ("id_campaing", "3")]
        );
        assert_eq!(params.len(), 2);
    }

    #[test]
    fn empty_and_reserved_names_are_refused() {
        let mut params = Params::default();
        params.set("date_ini", "x");
        match params.check(&["api", "date_ini"], "use between(..)") {
            Err(Error::InvalidRequest { message }) => assert_eq!(
                message,
                "the parameter \"date_ini\" is set by the crate: use between(..)"
            ),
            other => panic!("{other:?}"),
        }
        let mut params = Params::default();
        params.set(" ", "x");
        assert!(
            matches!(params.check(&[], ""), Err(Error::InvalidRequest { message }) if message == "a query parameter has an empty name (\" \")")
        );
        assert!(Params::default().check(&["api"], "").is_ok());
    }
}
