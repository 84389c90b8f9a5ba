//! What the SDK logs through `tracing`: spans and events that say what happened (operation,
//! method, path template, status, attempt, elapsed time, retry delay), and never the secret
//! key, the `Authorization` header or a body, at any level.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clerk_sdk::models::CreatePhoneNumberRequest;
use clerk_sdk::{BackoffStrategy, RetryConfig};
use common::{SECRET_KEY, builder, clerk_errors_json, phone_number_json};
use tracing_subscriber::fmt::MakeWriter;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Collects everything the subscriber writes.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Capture {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("not poisoned")).into_owned()
    }
}

impl Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("not poisoned").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Capture {
    type Writer = Capture;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Runs some calls (a retried success, a create with a body, an API error) under a subscriber
/// that records every level, and returns what it wrote.
async fn captured_output(max_level: tracing::Level) -> String {
    let capture = Capture::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(max_level)
        .with_writer(capture.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).set_body_json(clerk_errors_json("busy", "trace_busy")))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(phone_number_json()))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(422).set_body_json(clerk_errors_json("form_param_invalid", "trace_422")))
        .mount(&server)
        .await;
    let retries = RetryConfig::default().jitter(false).backoff(BackoffStrategy {
        initial_interval: Duration::from_millis(15),
        ..BackoffStrategy::default()
    });
    let clerk = builder(&server).retries(retries).build().expect("builds");

    clerk
        .phone_numbers()
        .get("phone_1")
        .await
        .expect("succeeds after a retry");
    clerk
        .phone_numbers()
        .create(CreatePhoneNumberRequest::new("usr_secretive", "+15555550123"))
        .await
        .expect("succeeds");
    clerk.phone_numbers().delete("phone_1").await.expect_err("422");
    capture.text()
}

#[tokio::test]
async fn calls_and_attempts_are_traced() {
    let output = captured_output(tracing::Level::TRACE).await;
    for expected in [
        "clerk_sdk.call{operation=\"GetPhoneNumber\" method=GET path=\"/phone_numbers/{phone_number_id}\"}",
        "clerk_sdk.call{operation=\"CreatePhoneNumber\" method=POST path=\"/phone_numbers\"}",
        "clerk_sdk::call: sending attempt=1",
        "clerk_sdk::call: response attempt=1 status=503 elapsed_ms=",
        "clerk_sdk::call: retrying attempt=1 delay_ms=15 reason=503 Service Unavailable",
        "clerk_sdk::call: response attempt=2 status=200 elapsed_ms=",
        "clerk_sdk::call: response attempt=1 status=422 elapsed_ms=",
    ] {
        assert!(output.contains(expected), "missing {expected:?} in:\n{output}");
    }
}

#[tokio::test]
async fn secrets_and_bodies_never_appear_at_any_level() {
    let output = captured_output(tracing::Level::TRACE).await;
    assert!(!output.is_empty());
    for forbidden in [
        SECRET_KEY,
        "Bearer",
        "authorization",
        "Authorization",
        "usr_secretive",
        "+15555550123",
        "+15555550100",
    ] {
        assert!(!output.contains(forbidden), "{forbidden:?} was logged:\n{output}");
    }
}

#[tokio::test]
async fn info_level_shows_retries_but_not_every_attempt() {
    let output = captured_output(tracing::Level::INFO).await;
    assert!(output.contains("retrying"), "{output}");
    assert!(!output.contains("sending"), "{output}");
}
