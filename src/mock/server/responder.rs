//! Routes a request to its answer, in the order the live service checks: the token, the
//! concurrency limit, the faults a test set, the daily quota, then the endpoint (a reply set
//! with `set_call_reply`, one of the three read endpoints, or 404).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::answer::{self, Answer, BAD_TOKEN, NO_TOKEN, TOKEN_LIMIT};
use super::limits::InFlight;
use super::recording::MockRequest;
use super::state::{State, lock};
use super::{information, realtime, reports};
use crate::engine::endpoint::{INFORMATION_PATH, REALTIME_PATH, REPORTS_PATH};
use crate::mock::Fault;

/// The query parameters of a request (the last value wins when a name repeats).
pub(in crate::mock) type Query = BTreeMap<String, String>;

/// The text of [`Fault::ConcurrencyLimited`]: the live service's, with its limit of 2.
const LIVE_LIMIT: usize = 2;

/// What to send for one request, and when.
#[derive(Debug)]
pub(in crate::mock) struct Handled {
    /// The answer, computed when the request arrived.
    pub(in crate::mock) answer: Answer,
    /// How long to hold it back ([`Fault::Delay`]).
    pub(in crate::mock) delay: Option<Duration>,
    /// The request's place among those of the token in flight, while it is served.
    pub(in crate::mock) in_flight: Option<InFlight>,
}

impl Handled {
    fn now(answer: Answer) -> Self {
        Handled {
            answer,
            delay: None,
            in_flight: None,
        }
    }
}

/// Counts, records and answers one request that has fully arrived. `token` is the
/// `wolkvox-token` header, when readable; it is compared, never kept.
pub(in crate::mock) fn handle(
    shared: &Arc<Mutex<State>>,
    request: MockRequest,
    token: Option<&str>,
) -> Handled {
    let mut state = lock(shared);
    state.requests += 1;
    if state.recording {
        state.recorded.push(request.clone());
    }
    let Some(token) = token else {
        return Handled::now(answer::error(401, "UNAUTHORIZED", NO_TOKEN));
    };
    if token != state.token {
        return Handled::now(answer::forbidden(BAD_TOKEN));
    }
    let Some(in_flight) = InFlight::enter(&mut state, shared) else {
        let limit = state.concurrency.limit;
        return Handled::now(answer::forbidden(&answer::simultaneous(limit)));
    };
    let mut handled = Handled {
        answer: answer::not_found(),
        delay: None,
        in_flight: Some(in_flight),
    };
    let refusal = match state.faults.take(&request) {
        Some(Fault::Maintenance) => Some(answer::maintenance()),
        Some(Fault::QuotaExceeded) => Some(answer::forbidden(TOKEN_LIMIT)),
        Some(Fault::ConcurrencyLimited) => {
            Some(answer::forbidden(&answer::simultaneous(LIVE_LIMIT)))
        }
        Some(Fault::Unauthorized) => Some(answer::forbidden(BAD_TOKEN)),
        Some(Fault::Delay(delay)) => {
            handled.delay = Some(delay);
            None
        }
        None => None,
    };
    if let Some(refusal) = refusal {
        handled.answer = refusal;
        return handled;
    }
    if !state.quota.take() {
        handled.answer = answer::forbidden(TOKEN_LIMIT);
        return handled;
    }
    let api = request.api.clone().unwrap_or_default();
    if let Some(reply) = state.replies.get(&(request.path.clone(), api)) {
        handled.answer = reply.answer.clone();
        return handled;
    }
    let query = request.query_map();
    handled.answer = match request.path.as_str() {
        REALTIME_PATH => realtime::answer(&state, &query),
        INFORMATION_PATH => information::answer(&mut state, &query),
        REPORTS_PATH => match reports::plan(&state, &query) {
            Ok(plan) => {
                // Generating a month of history takes a moment: let the test go on
                // changing the state meanwhile.
                drop(state);
                plan.answer()
            }
            Err(refusal) => refusal.answer(),
        },
        path => answer::no_such_endpoint(path),
    };
    handled
}
