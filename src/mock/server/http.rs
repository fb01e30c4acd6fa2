//! One HTTP exchange on hyper: read the whole request, hand it to the responder, send the
//! answer (late, for a [`Fault::Delay`](crate::mock::Fault::Delay)), and keep the request in
//! flight until its answer has been written.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper::body::{Body, Bytes, Frame, Incoming, SizeHint};
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::{Request, Response, StatusCode};

use super::answer::{self, Answer};
use super::limits::InFlight;
use super::recording::MockRequest;
use super::responder;
use super::state::State;

/// The largest request body the simulator reads (a batch of 10,000 campaign records is a
/// few MiB); a larger one answers 413 and is not counted.
const MAX_BODY: usize = 64 * 1024 * 1024;

/// The body of an answer: the bytes, sent in one frame, and the request's place in flight,
/// given back when hyper drops the body, i.e. once the last byte has been handed to the
/// connection (before it is flushed, so before the client can read the answer).
#[derive(Debug)]
pub(in crate::mock) struct AnswerBody {
    data: Option<Bytes>,
    _in_flight: Option<InFlight>,
}

impl Body for AnswerBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        Poll::Ready(self.get_mut().data.take().map(|data| Ok(Frame::data(data))))
    }

    fn is_end_stream(&self) -> bool {
        self.data.is_none()
    }

    fn size_hint(&self) -> SizeHint {
        let length = self.data.as_ref().map_or(0, Bytes::len);
        SizeHint::with_exact(u64::try_from(length).unwrap_or(u64::MAX))
    }
}

/// The HTTP answer for `answer`. A status that cannot be a final answer is sent as 500.
fn response(answer: Answer, in_flight: Option<InFlight>) -> Response<AnswerBody> {
    let status = StatusCode::from_u16(answer.status)
        .ok()
        .filter(|status| !status.is_informational())
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = Response::new(AnswerBody {
        data: Some(answer.body),
        _in_flight: in_flight,
    });
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(answer.content_type));
    response
}

/// Serves one request.
pub(in crate::mock) async fn serve(
    state: Arc<Mutex<State>>,
    request: Request<Incoming>,
) -> Result<Response<AnswerBody>, Infallible> {
    let (parts, body) = request.into_parts();
    let body = match Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(error) if error.is::<LengthLimitError>() => {
            return Ok(response(answer::too_large(MAX_BODY), None));
        }
        // The connection broke while the body arrived: nobody reads this answer.
        Err(_) => return Ok(response(answer::bad_request("INCOMPLETE BODY"), None)),
    };
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let request = MockRequest::new(
        parts.method.as_str(),
        parts.uri.path(),
        parts.uri.query(),
        header(CONTENT_TYPE.as_str()),
        &body,
    );
    let handled = responder::handle(&state, request, header("wolkvox-token"));
    let answer = response(handled.answer, handled.in_flight);
    let Some(delay) = handled.delay else {
        return Ok(answer);
    };
    // The wait runs in a task of its own: if the client hangs up, hyper drops this future,
    // but the request stays in flight until the delay is over, as on the live service.
    let (sender, receiver) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        tokio::time::sleep(delay).await;
        // Nobody waits any more when the client hung up: the answer is dropped here.
        let _ = sender.send(answer);
    });
    Ok(receiver.await.unwrap_or_else(|_| {
        // The task was cancelled: the simulator is shutting down.
        response(
            answer::error(503, "SERVICE UNAVAILABLE", "SHUTTING DOWN"),
            None,
        )
    }))
}
