//! The endpoint families, one folder each: the request values a client hands out and the
//! typed rows they decode to.

pub mod information;
pub(crate) mod params;
pub(crate) mod realtime;
pub mod reports;
