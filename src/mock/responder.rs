//! Routes a request to its answer: token check, faults, the daily quota, then the endpoint.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use wiremock::{Request, Respond, ResponseTemplate};

use super::render::{self, BAD_TOKEN, NO_TOKEN, SIMULTANEOUS, TOKEN_LIMIT};
use super::state::{State, lock};
use super::{Fault, information, realtime, reports};
use crate::engine::endpoint::{INFORMATION_PATH, REALTIME_PATH, REPORTS_PATH};

/// The query parameters of a request (the last value wins when a name repeats).
pub(super) type Query = BTreeMap<String, String>;

/// Answers like the live service, from the shared state.
pub(super) struct Responder {
    state: Arc<Mutex<State>>,
}

impl Responder {
    pub(super) fn new(state: Arc<Mutex<State>>) -> Self {
        Responder { state }
    }
}

impl Respond for Responder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut state = lock(&self.state);
        state.requests += 1;
        let token = request
            .headers
            .get("wolkvox-token")
            .and_then(|v| v.to_str().ok());
        let Some(token) = token else {
            return render::error(401, "UNAUTHORIZED", NO_TOKEN);
        };
        if token != state.token {
            return render::forbidden(BAD_TOKEN);
        }
        let fault = state
            .next_faults
            .pop_front()
            .or_else(|| state.fault.clone());
        let delay = match fault {
            Some(Fault::Maintenance) => return render::maintenance(),
            Some(Fault::QuotaExceeded) => return render::forbidden(TOKEN_LIMIT),
            Some(Fault::ConcurrencyLimited) => return render::forbidden(SIMULTANEOUS),
            Some(Fault::Unauthorized) => return render::forbidden(BAD_TOKEN),
            Some(Fault::Delay(delay)) => Some(delay),
            None => None,
        };
        if !state.quota.take() {
            return render::forbidden(TOKEN_LIMIT);
        }
        let query: Query = request.url.query_pairs().into_owned().collect();
        let endpoint = request.url.path();
        let answer = if endpoint == REALTIME_PATH {
            realtime::answer(&state, &query)
        } else if endpoint == INFORMATION_PATH {
            information::answer(&mut state, &query)
        } else if endpoint == REPORTS_PATH {
            match reports::plan(&state, &query) {
                Ok(plan) => {
                    // Generating a month of history takes a moment: let the test go on
                    // changing the state meanwhile.
                    drop(state);
                    plan.answer()
                }
                Err(refusal) => refusal.answer(),
            }
        } else {
            ResponseTemplate::new(404)
        };
        match delay {
            Some(delay) => answer.set_delay(delay),
            None => answer,
        }
    }
}
