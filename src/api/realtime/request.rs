//! Any other report of the real-time family (`calls_last_10`, `hits_last_hour`,
//! `info_server`, `latency`, `campaigns`, `chats`, `interactions`, `recall`, ...), as JSON
//! rows or as your own type.

use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;

use crate::api::params::Params;
use crate::decode::rows;
use crate::engine::endpoint::Endpoint;
use crate::engine::pipeline::Pipeline;
use crate::engine::transport::{Query, RawResponse};
use crate::error::Error;
use crate::watch::Watch;

/// The longest report name accepted.
const MAX_API_LEN: usize = 64;

/// A request for any real-time report by its `api=` name, from [`WolkvoxClient::realtime`](crate::WolkvoxClient::realtime).
///
/// Rows come back as [`serde_json::Value`] objects exactly as sent (strings stay strings), or
/// as your own type with [`send_as`](RealtimeRequest::send_as). Envelope handling, errors,
/// the concurrency limit, retries and deadlines are those of the typed calls. "No data"
/// (HTTP 404) is an empty `Vec`; a `data` that is a single object is one row.
///
/// ```no_run
/// # async fn run(client: wolkvox::WolkvoxClient) -> Result<(), wolkvox::Error> {
/// let rows = client.realtime("campaigns").param("campaign_id", "7").send().await?;
/// for row in &rows {
///     println!("{}", row["campaign_name"]);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is awaited"]
pub struct RealtimeRequest {
    pipeline: Arc<Pipeline>,
    endpoint: Endpoint,
    api: String,
    params: Params,
}

impl RealtimeRequest {
    pub(crate) fn new(pipeline: Arc<Pipeline>, endpoint: Endpoint, api: &str) -> Self {
        RealtimeRequest {
            pipeline,
            endpoint,
            api: api.to_owned(),
            params: Params::default(),
        }
    }

    /// Adds a query parameter (`campaign_id`, `type`, `id_campaing` (sic), ...), replacing an
    /// earlier one with the same name. Keys and values are URL-encoded.
    pub fn param(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.params.set(key, value);
        self
    }

    /// A date range, both ends inclusive, sent as `date_ini` / `date_end`
    /// (`YYYYmmddHHMMSS`), for the dated catalogues (`information("audit_log")`). Unlike
    /// [`ReportRequest`](crate::reports::ReportRequest) the range is sent as given, in one
    /// request.
    ///
    /// ```no_run
    /// # async fn run(client: wolkvox::WolkvoxClient) -> Result<(), wolkvox::Error> {
    /// use jiff::civil::date;
    /// let log = client.information("audit_log").on(date(2026, 8, 12)).send().await?;
    /// # Ok(()) }
    /// ```
    pub fn between(self, from: jiff::civil::DateTime, to: jiff::civil::DateTime) -> Self {
        self.param("date_ini", crate::decode::envelope::datetime_param(from))
            .param("date_end", crate::decode::envelope::datetime_param(to))
    }

    /// Whole days: `first` 00:00:00 to `last` 23:59:59; see [`between`](Self::between).
    pub fn days(self, first: jiff::civil::Date, last: jiff::civil::Date) -> Self {
        let (from, to) = crate::decode::envelope::whole_days(first, last);
        self.between(from, to)
    }

    /// One whole day; see [`between`](Self::between).
    pub fn on(self, day: jiff::civil::Date) -> Self {
        self.days(day, day)
    }

    /// The report name (`api=`).
    pub fn api(&self) -> &str {
        &self.api
    }

    /// Sends the request and answers the rows as JSON objects.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] (nothing sent) when the report name is not 1 to 64 ASCII
    /// letters, digits or `_`, or a parameter is named `api` or has an empty name; any other
    /// [`Error`] the call can meet except [`Error::NotFound`].
    pub async fn send(self) -> Result<Vec<serde_json::Value>, Error> {
        self.send_with(|raw| rows::json(raw)).await
    }

    /// Sends the request and decodes each row into `T` (one `T` per row).
    ///
    /// # Errors
    /// As [`send`](Self::send), and [`Error::Decode`] with the path `data[i]` of the first
    /// row that does not fit `T`.
    pub async fn send_as<T: DeserializeOwned>(self) -> Result<Vec<T>, Error> {
        self.send_with(|raw| rows::requested::<T>(raw)).await
    }

    /// Sends the request and decodes the rows with `decode` inside the call, so a decode
    /// error carries the call's attempt count like any other. "No data" is no rows.
    async fn send_with<T>(
        self,
        decode: fn(&RawResponse) -> Result<rows::Decoded<T>, Error>,
    ) -> Result<Vec<T>, Error> {
        let query = self.query()?;
        self.pipeline
            .execute(self.endpoint, query, |raw| match decode(raw) {
                Ok(decoded) => Ok(decoded.rows),
                Err(Error::NotFound { .. }) => Ok(Vec::new()),
                Err(error) => Err(error),
            })
            .await
    }

    /// Polls this report: the first rows now, then one snapshot per `interval`.
    ///
    /// The interval is raised to the client's `min_poll_interval` (60 s by default); see
    /// [`Watch`] for the exact timing.
    pub fn watch(self, interval: Duration) -> Watch<Vec<serde_json::Value>> {
        let floor = self.pipeline.min_poll_interval;
        Watch::new(interval, floor, move || self.clone().send())
    }

    pub(crate) fn query(&self) -> Result<Query, Error> {
        let valid = (1..=MAX_API_LEN).contains(&self.api.len())
            && self
                .api
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if !valid {
            return Err(Error::invalid_request(format!(
                "report name {:?} is not 1 to {MAX_API_LEN} ASCII letters, digits or '_' \
                 (e.g. \"campaigns\")",
                self.api
            )));
        }
        self.params.check(
            &["api"],
            "set the report name with realtime(..) or information(..)",
        )?;
        let mut query: Query = Vec::with_capacity(1 + self.params.len());
        query.push(("api".into(), self.api.clone()));
        self.params.append_to(&mut query);
        Ok(query)
    }
}

into_future!(RealtimeRequest => Vec<serde_json::Value>);

#[cfg(test)]
mod tests {
    use super::*;

    use crate::api::realtime::test_client as client;

    fn pairs(request: &RealtimeRequest) -> Vec<(String, String)> {
        request
            .query()
            .unwrap()
            .into_iter()
            .map(|(k, v)| (k.into_owned(), v))
            .collect()
    }

    #[test]
    fn query_has_api_then_params_in_order_with_replacement() {
        let request = client()
            .realtime("recall")
            .param("type", "all")
            .param("id_campaing", "3")
            .param("type", "manual");
        assert_eq!(
            pairs(&request),
            [("api", "recall"), ("type", "manual"), ("id_campaing", "3")]
                .map(|(k, v)| (k.into(), v.into()))
        );
    }

    #[test]
    fn bad_report_names_and_api_param_are_invalid_requests() {
        for api in ["", "skills&x=1", "a b", "../x", "ñ", &"x".repeat(65)] {
            assert!(
                matches!(
                    client().realtime(api).query(),
                    Err(Error::InvalidRequest { .. })
                ),
                "{api:?}"
            );
        }
        let request = client().realtime("chats").param("api", "skills");
        assert!(matches!(request.query(), Err(Error::InvalidRequest { .. })));
        let request = client().realtime("chats").param(" ", "x");
        assert!(matches!(request.query(), Err(Error::InvalidRequest { .. })));
    }
}
