//! The service's failure modes a test switches on: [`Fault`], for every request
//! ([`MockWolkvox::set_fault`]), the next ones ([`MockWolkvox::fail_next`]), or the requests a
//! predicate picks ([`MockWolkvox::fail_when`], [`MockWolkvox::fail_next_when`]).

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use super::recording::MockRequest;
use crate::mock::MockWolkvox;

#[cfg(doc)]
use crate::Error;

/// A failure mode of the live service, switched on with [`MockWolkvox::set_fault`],
/// [`MockWolkvox::fail_next`], [`MockWolkvox::fail_when`] or [`MockWolkvox::fail_next_when`].
/// Each variant is named like the [`Error`] it causes. Faults apply to every endpoint, after
/// the token check and the concurrency limit, before the quota.
///
/// A request answered with a fault (other than [`Delay`](Fault::Delay)) does not count
/// against the daily quota.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Fault {
    /// 503 with the HTML maintenance page (content-type `text/html`): [`Error::Api`].
    Maintenance,
    /// 403 `TOKEN LIMIT EXCEEDED`, the daily quota used up: [`Error::QuotaExceeded`].
    QuotaExceeded,
    /// 403 `EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)` (the live text, whatever
    /// [`set_concurrency_limit`](MockWolkvox::set_concurrency_limit) says):
    /// [`Error::ConcurrencyLimited`].
    ConcurrencyLimited,
    /// 403 `PLEASE VALIDATE TOKEN`, whatever token is sent: [`Error::Unauthorized`].
    Unauthorized,
    /// The normal answer, sent after this delay (for timeouts). As on a real server, the
    /// request is handled when it arrives and only its answer is late: it is counted
    /// (quota, [`request_count`](MockWolkvox::request_count)), recorded, and its effect on
    /// the simulator's state is computed at once; the answer computed then is sent after
    /// the delay. The request stays in flight for the
    /// [concurrency limit](MockWolkvox::set_concurrency_limit) until that answer is written,
    /// even when the client gave up (a timeout) and closed the connection, as the live
    /// service goes on working on it. A client's timeout shorter than the delay thus gives
    /// an "outcome unknown" for a request that did take effect.
    Delay(Duration),
}

/// Which requests a fault applies to.
pub(in crate::mock) type Predicate = Arc<dyn Fn(&MockRequest) -> bool + Send + Sync>;

/// A fault for the requests `when` picks (all of them without a predicate).
struct Aimed {
    fault: Fault,
    when: Option<Predicate>,
}

impl Aimed {
    fn picks(&self, request: &MockRequest) -> bool {
        self.when.as_ref().is_none_or(|when| when(request))
    }
}

/// A fault for the next `times` requests it picks.
struct Counted {
    aimed: Aimed,
    times: usize,
}

/// Every fault switched on, in the order they apply: the counted ones (in the order queued),
/// then the persistent aimed ones (in the order set), then the one for every request.
#[derive(Default)]
pub(in crate::mock) struct Faults {
    counted: VecDeque<Counted>,
    aimed: Vec<Aimed>,
    always: Option<Fault>,
}

impl std::fmt::Debug for Faults {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Faults")
            .field("counted", &self.counted.len())
            .field("aimed", &self.aimed.len())
            .field("always", &self.always)
            .finish()
    }
}

impl Faults {
    /// The fault for `request`, if any; a counted fault is used up by it.
    pub(in crate::mock) fn take(&mut self, request: &MockRequest) -> Option<Fault> {
        if let Some(index) = self.counted.iter().position(|c| c.aimed.picks(request)) {
            let counted = &mut self.counted[index];
            let fault = counted.aimed.fault.clone();
            counted.times -= 1;
            if counted.times == 0 {
                self.counted.remove(index);
            }
            return Some(fault);
        }
        self.aimed
            .iter()
            .find(|aimed| aimed.picks(request))
            .map(|aimed| aimed.fault.clone())
            .or_else(|| self.always.clone())
    }

    fn queue(&mut self, fault: Fault, times: usize, when: Option<Predicate>) {
        if times > 0 {
            self.counted.push_back(Counted {
                aimed: Aimed { fault, when },
                times,
            });
        }
    }
}

impl MockWolkvox {
    /// Answers every request with `fault` until it is set to `None` (or
    /// [`clear_faults`](Self::clear_faults)). Counted and aimed faults take precedence.
    pub fn set_fault(&self, fault: Option<Fault>) {
        self.state().faults.always = fault;
    }

    /// Answers the next `times` requests with `fault`, then normally again (queued after any
    /// faults already queued by this method or [`fail_next_when`](Self::fail_next_when); they
    /// take precedence over [`fail_when`](Self::fail_when) and
    /// [`set_fault`](Self::set_fault)).
    pub fn fail_next(&self, fault: Fault, times: usize) {
        self.state().faults.queue(fault, times, None);
    }

    /// Answers with `fault` every request `when` picks, until
    /// [`clear_faults`](Self::clear_faults); the first matching one wins when several are
    /// set. `when` runs for each request with a valid token, while the simulator's state is
    /// locked: keep it quick, and do not call the simulator from it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), wolkvox::Error> {
    /// use wolkvox::Error;
    /// use wolkvox::mock::{Fault, MockWolkvox};
    ///
    /// let mock = MockWolkvox::start_demo().await;
    /// mock.fail_when(Fault::Maintenance, |request| request.api.as_deref() == Some("agents"));
    /// let client = mock.client_builder().max_retries(0).build()?;
    /// assert_eq!(client.skills().await?.len(), 12);
    /// assert!(matches!(client.agents().await, Err(Error::Api { status: 503, .. })));
    /// mock.clear_faults();
    /// assert_eq!(client.agents().await?.len(), 10);
    /// # Ok(()) }
    /// ```
    pub fn fail_when(
        &self,
        fault: Fault,
        when: impl Fn(&MockRequest) -> bool + Send + Sync + 'static,
    ) {
        let when: Predicate = Arc::new(when);
        self.state().faults.aimed.push(Aimed {
            fault,
            when: Some(when),
        });
    }

    /// Answers with `fault` the next `times` requests `when` picks, then normally again
    /// (queued with [`fail_next`](Self::fail_next): the first queued fault that picks a
    /// request applies to it). See [`fail_when`](Self::fail_when) for `when`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), wolkvox::Error> {
    /// use wolkvox::mock::{Fault, MockWolkvox};
    ///
    /// let mock = MockWolkvox::start_demo().await;
    /// // One maintenance answer for the first skills request; the client's retry gets through.
    /// mock.fail_next_when(Fault::Maintenance, 1, |r| r.api.as_deref() == Some("skills"));
    /// assert_eq!(mock.client()?.skills().await?.len(), 12);
    /// assert_eq!(mock.request_count(), 2);
    /// # Ok(()) }
    /// ```
    pub fn fail_next_when(
        &self,
        fault: Fault,
        times: usize,
        when: impl Fn(&MockRequest) -> bool + Send + Sync + 'static,
    ) {
        let when: Predicate = Arc::new(when);
        self.state().faults.queue(fault, times, Some(when));
    }

    /// Switches every fault off: [`set_fault`](Self::set_fault),
    /// [`fail_next`](Self::fail_next), [`fail_when`](Self::fail_when) and
    /// [`fail_next_when`](Self::fail_next_when). Answers already delayed are still sent late.
    pub fn clear_faults(&self) {
        self.state().faults = Faults::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::body::Bytes;

    fn request(api: &str) -> MockRequest {
        MockRequest::new(
            "GET",
            "/api/v2/real_time.php",
            Some(&format!("api={api}")),
            None,
            &Bytes::new(),
        )
    }

    fn api_is(api: &'static str) -> Option<Predicate> {
        Some(Arc::new(move |r: &MockRequest| {
            r.api.as_deref() == Some(api)
        }))
    }

    #[test]
    fn counted_then_aimed_then_always() {
        let mut faults = Faults {
            always: Some(Fault::Unauthorized),
            ..Faults::default()
        };
        faults.aimed.push(Aimed {
            fault: Fault::QuotaExceeded,
            when: api_is("agents"),
        });
        faults.queue(Fault::Maintenance, 2, None);
        faults.queue(Fault::ConcurrencyLimited, 1, api_is("skills"));
        faults.queue(Fault::Maintenance, 0, None);
        assert_eq!(faults.take(&request("agents")), Some(Fault::Maintenance));
        assert_eq!(faults.take(&request("agents")), Some(Fault::Maintenance));
        assert_eq!(faults.take(&request("agents")), Some(Fault::QuotaExceeded));
        assert_eq!(faults.take(&request("calls")), Some(Fault::Unauthorized));
        assert_eq!(
            faults.take(&request("skills")),
            Some(Fault::ConcurrencyLimited)
        );
        assert_eq!(faults.take(&request("skills")), Some(Fault::Unauthorized));
        faults.always = None;
        assert_eq!(faults.take(&request("skills")), None);
    }
}
