//! Answers a test sets for any endpoint and `api=` ([`MockWolkvox::set_call_reply`]): the
//! write families (`campaign.php`, `configuration.php`, ...) and anything else the simulator
//! does not answer itself.

use serde_json::Value;

use super::answer::Answer;
use crate::mock::MockWolkvox;

/// Where the live service's endpoint files live (the three read endpoints among them).
const API_BASE: &str = "/api/v2/";

/// An answer set for one endpoint and `api=`.
#[derive(Debug, Clone)]
pub(in crate::mock) struct Reply {
    pub(in crate::mock) answer: Answer,
}

/// The path an endpoint is served at: `configuration.php` is `/api/v2/configuration.php`;
/// a name that starts with `/` is the whole path (`/listenVox/listenvox.php`).
pub(in crate::mock) fn endpoint_path(endpoint: &str) -> String {
    let endpoint = endpoint.trim();
    if endpoint.starts_with('/') {
        endpoint.to_owned()
    } else {
        format!("{API_BASE}{endpoint}")
    }
}

impl MockWolkvox {
    /// Answers every request to `endpoint` with `api={api}`, whatever the method, with
    /// `status` and `body` as is (content-type `application/json`), until replaced by another
    /// reply for the same pair.
    ///
    /// `endpoint` is a file name under `/api/v2/` (`"configuration.php"` is served at
    /// `/api/v2/configuration.php`), or a whole path when it starts with `/`
    /// (`"/listenVox/listenvox.php"`). `api` is compared with the request's `api=` value,
    /// trimmed (the last one when it repeats); `""` answers requests without one. A reply
    /// takes precedence over the simulator's own answers on the three read endpoints. The
    /// token check, the concurrency limit, the [faults](crate::mock::Fault) and the quota
    /// still apply first. A status that cannot be a final HTTP answer (below 200, above 999)
    /// is sent as 500.
    ///
    /// Any other path answers 404 `{"code":"404","error":"Not Found","msg":"THE ENDPOINT
    /// {path} DOES NOT EXIST"}` (after the same checks); an unknown `api=` on a read endpoint
    /// answers 400 `THE API YOU WANT TO CONSULT DOES NOT EXIST`, as the live service does.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use serde_json::json;
    /// use wolkvox::mock::{MOCK_TOKEN, MockWolkvox};
    ///
    /// let mock = MockWolkvox::start().await;
    /// let body = json!({"code": 202, "error": null, "msg": "The 7 campaign_id has been started successfully"});
    /// mock.set_call_reply("campaign.php", "start", 202, body.clone());
    /// let response = reqwest::Client::new()
    ///     .put(format!("{}/api/v2/campaign.php?api=start&campaign_id=7", mock.uri()))
    ///     .header("wolkvox-token", MOCK_TOKEN)
    ///     .send()
    ///     .await?;
    /// assert_eq!(response.status(), 202);
    /// let answer: serde_json::Value = serde_json::from_str(&response.text().await?)?;
    /// assert_eq!(answer, body);
    /// assert_eq!(mock.requests()[0].param("campaign_id"), Some("7"));
    /// # Ok(()) }
    /// ```
    pub fn set_call_reply(&self, endpoint: &str, api: &str, status: u16, body: Value) {
        let key = (endpoint_path(endpoint), api.trim().to_owned());
        let reply = Reply {
            answer: Answer::json(status, &body),
        };
        self.state().replies.insert(key, reply);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_are_files_under_api_v2_or_whole_paths() {
        assert_eq!(
            endpoint_path("configuration.php"),
            "/api/v2/configuration.php"
        );
        assert_eq!(
            endpoint_path(" /listenVox/listenvox.php "),
            "/listenVox/listenvox.php"
        );
    }
}
