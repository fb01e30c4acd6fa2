//! The `tracing` feature: a span per call and events per attempt, with the fields a user
//! filters on, and never the token. Captured with a minimal subscriber written here.

mod common;

use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

use common::fixture;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};
use wolkvox::WolkvoxClient;

const SECRET: &str = "TracingSecretToken-77aa";

/// Writes every span, event and field it sees to a shared string.
#[derive(Clone, Default)]
struct Capture {
    text: Arc<Mutex<String>>,
    next_id: Arc<Mutex<u64>>,
}

struct Fields<'a>(&'a mut String);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut text = self.text.lock().unwrap();
        let _ = write!(text, "\nspan {}", span.metadata().name());
        span.record(&mut Fields(&mut text));
        let mut id = self.next_id.lock().unwrap();
        *id += 1;
        Id::from_u64(*id)
    }
    fn record(&self, _: &Id, values: &Record<'_>) {
        values.record(&mut Fields(&mut self.text.lock().unwrap()));
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut text = self.text.lock().unwrap();
        let _ = write!(text, "\nevent {}", event.metadata().target());
        event.record(&mut Fields(&mut text));
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[test]
fn spans_and_events_carry_the_request_fields_and_never_the_token() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let server = MockServer::start().await;
        // 1st request: 503 (retried), 2nd: success, 3rd: 401.
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(503).set_body_string("<html>down</html>"))
            .up_to_n_times(1)
            .with_priority(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_string(fixture("skill_one.json")))
            .up_to_n_times(1)
            .with_priority(2)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .respond_with(
                ResponseTemplate::new(401).set_body_string(fixture("error_unauthorized.json")),
            )
            .with_priority(3)
            .mount(&server)
            .await;
        let client = WolkvoxClient::builder()
            .base_url(&server.uri())
            .token(SECRET)
            .retry_backoff(
                std::time::Duration::ZERO,
                std::time::Duration::from_millis(1),
            )
            .build()
            .unwrap();
        client.skill(101).await.unwrap();
        client.skills().await.unwrap_err();
    });
    let text = capture.text.lock().unwrap().clone();
    assert!(
        text.contains("span wolkvox.request api=\"skills\" skill_id=\"101\""),
        "{text}"
    );
    assert!(text.contains("skill_id=\"all\""), "{text}");
    assert!(text.contains("attempt=1 status=503"), "{text}");
    assert!(text.contains("attempt=2 status=200"), "{text}");
    assert!(text.contains("retryable=true"), "{text}");
    assert!(text.contains("status=401"), "{text}");
    assert!(text.contains("retryable=false"), "{text}");
    assert!(
        !text.contains(SECRET),
        "the token leaked into tracing output:\n{text}"
    );
}

#[test]
fn a_watch_below_the_polling_floor_warns_once() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let client = WolkvoxClient::builder()
        .base_url("http://127.0.0.1:9")
        .token(SECRET)
        .build()
        .unwrap();
    let raised = client.watch_skills(std::time::Duration::from_secs(1));
    assert_eq!(raised.period(), std::time::Duration::from_secs(60));
    let kept = client.agents().watch(std::time::Duration::from_secs(120));
    assert_eq!(kept.period(), std::time::Duration::from_secs(120));
    let text = capture.text.lock().unwrap().clone();
    assert_eq!(
        text.matches("event wolkvox").count(),
        1,
        "one warning, for the raised interval only:\n{text}"
    );
    assert!(text.contains("requested_ms=1000 floor_ms=60000"), "{text}");
    assert!(text.contains("raised to it"), "{text}");
}
