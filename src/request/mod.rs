//! Request values: what a call asks for, with its options. Each is `#[must_use]`, implements
//! `IntoFuture` (so `.await` sends it) and builds its own query string (unit-tested here).

/// Implements `IntoFuture` (`.await` sends the request) and `watch(interval)` for a request
/// value whose `send()` answers `Result<$output, Error>`.
macro_rules! request_value {
    ($request:ty => $output:ty, $watch_doc:literal) => {
        impl std::future::IntoFuture for $request {
            type Output = Result<$output, crate::error::Error>;
            type IntoFuture = crate::request::ResponseFuture<$output>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }

        impl $request {
            #[doc = $watch_doc]
            pub fn watch(self, interval: std::time::Duration) -> crate::watch::Watch<$output> {
                crate::watch::Watch::new(interval, move || Box::pin(self.clone().send()))
            }
        }
    };
}

mod agent;
mod realtime;
mod skill;

pub use agent::{AgentRequest, AgentsRequest};
pub use realtime::RealtimeRequest;
pub use skill::{SkillRequest, SkillsRequest};

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;

use crate::client::WolkvoxClient;
use crate::error::Error;
use crate::model::FromRow;
use crate::response;

/// The future a request value turns into when awaited: boxed, `Send`, `'static`, so it can be
/// spawned on any executor thread.
pub type ResponseFuture<T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'static>>;

/// Query parameters of a request, in order: `api=...` first.
pub(crate) type Query = Vec<(Cow<'static, str>, String)>;

/// Fetches every row of a report; "no data" (404) is an empty `Vec`.
pub(crate) async fn fetch_all<T: FromRow>(
    client: &WolkvoxClient,
    query: Query,
) -> Result<Vec<T>, Error> {
    client
        .execute(query, |raw| match response::rows::<T>(raw.view()) {
            Ok((_, rows)) => Ok(rows),
            Err(Error::NotFound { .. }) => Ok(Vec::new()),
            Err(error) => Err(error),
        })
        .await
}

/// Fetches the row whose id (`id_of`) is `id`; none is [`Error::NotFound`] naming `what`.
pub(crate) async fn fetch_one<T: FromRow>(
    client: &WolkvoxClient,
    query: Query,
    what: &'static str,
    id: u32,
    id_of: fn(&T) -> u32,
) -> Result<T, Error> {
    client
        .execute(query, |raw| {
            let (envelope, rows) = response::rows::<T>(raw.view())?;
            rows.into_iter()
                .find(|row| id_of(row) == id)
                .ok_or_else(|| Error::NotFound {
                    status: raw.status,
                    message: if envelope.msg.is_empty() {
                        format!("no record for {what} {id} in the answer")
                    } else {
                        format!("{} (no record for {what} {id})", envelope.msg)
                    },
                    attempts: 1,
                })
        })
        .await
}

/// A client for unit tests of query building (never sends).
#[cfg(test)]
pub(crate) fn test_client() -> WolkvoxClient {
    WolkvoxClient::builder()
        .server("0004")
        .token("t")
        .build()
        .expect("valid test configuration")
}
