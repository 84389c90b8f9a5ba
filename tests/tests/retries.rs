//! Retries, timeouts and per-call overrides against a loopback server. Intervals are kept to
//! milliseconds; the only test that waits about a second is the one showing `Retry-After: 1`
//! is honoured.

mod common;

use std::future::IntoFuture;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clerk_sdk::hooks::{AttemptFailure, HookContext, Hooks};
use clerk_sdk::models::{CreatePhoneNumberRequest, PhoneNumber};
use clerk_sdk::{BackoffStrategy, Clerk, Error, RetryConfig};
use common::{SECRET_KEY, builder, clerk_errors_json, phone_number_json, request_count, the_request};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Quick, predictable retries: 10 ms, 20 ms, 40 ms ... capped at 100 ms, for at most 2 s.
fn fast_retries() -> RetryConfig {
    RetryConfig::default().jitter(false).backoff(BackoffStrategy {
        initial_interval: Duration::from_millis(10),
        max_interval: Duration::from_millis(100),
        exponent: 2.0,
        max_elapsed_time: Duration::from_secs(2),
    })
}

/// What hooks saw, per attempt.
#[derive(Default, Clone)]
struct Recorder {
    log: Arc<Mutex<Vec<String>>>,
    delays: Arc<Mutex<Vec<Option<Duration>>>>,
}

impl Recorder {
    fn log(&self) -> Vec<String> {
        self.log.lock().expect("not poisoned").clone()
    }

    fn delays(&self) -> Vec<Option<Duration>> {
        self.delays.lock().expect("not poisoned").clone()
    }

    fn push(&self, entry: String) {
        self.log.lock().expect("not poisoned").push(entry);
    }
}

impl Hooks for Recorder {
    fn before_request(
        &self,
        context: &HookContext,
        _: &mut reqwest::Request,
    ) -> Result<(), clerk_sdk::hooks::HookError> {
        self.push(format!("before {} #{}", context.operation_id, context.attempt));
        self.delays.lock().expect("not poisoned").push(context.retry_delay);
        Ok(())
    }

    fn after_success(&self, context: &HookContext, response: &clerk_sdk::hooks::HookResponse<'_>) {
        self.push(format!("success #{} {}", context.attempt, response.status.as_u16()));
    }

    fn after_error(&self, context: &HookContext, failure: &AttemptFailure<'_>) {
        let what = match failure {
            AttemptFailure::Status(response) => response.status.as_u16().to_string(),
            AttemptFailure::Transport(error) if error.is_timeout() => "timeout".to_owned(),
            AttemptFailure::Transport(_) => "transport".to_owned(),
            _ => "other".to_owned(),
        };
        self.push(format!("error #{} {what}", context.attempt));
    }
}

/// A server that answers `failures` with `status` (and optional headers), then 200.
async fn failing_then_ok(status: u16, failures: u64, headers: &[(&str, &str)]) -> MockServer {
    let server = MockServer::start().await;
    let mut failure = ResponseTemplate::new(status).set_body_json(clerk_errors_json("busy", "trace_retry"));
    for (name, value) in headers {
        failure = failure.insert_header(*name, *value);
    }
    Mock::given(any())
        .respond_with(failure)
        .up_to_n_times(failures)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(phone_number_json()))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer, retries: RetryConfig, recorder: &Recorder) -> Clerk {
    builder(server)
        .retries(retries)
        .hook(recorder.clone())
        .build()
        .expect("client builds")
}

#[tokio::test]
async fn get_succeeds_after_two_503s() {
    let server = failing_then_ok(503, 2, &[]).await;
    let recorder = Recorder::default();
    let phone: PhoneNumber = client(&server, fast_retries(), &recorder)
        .phone_numbers()
        .get("phone_1")
        .await
        .expect("third attempt succeeds");
    assert_eq!(phone.phone_number, "+15555550100");
    assert_eq!(request_count(&server).await, 3);
    assert_eq!(
        recorder.log(),
        [
            "before GetPhoneNumber #1",
            "error #1 503",
            "before GetPhoneNumber #2",
            "error #2 503",
            "before GetPhoneNumber #3",
            "success #3 200"
        ]
    );
    // The backoff without jitter: 10 ms, then 20 ms.
    assert_eq!(
        recorder.delays(),
        [None, Some(Duration::from_millis(10)), Some(Duration::from_millis(20))]
    );
}

#[tokio::test]
async fn every_attempt_goes_to_the_same_escaped_url() {
    let server = failing_then_ok(503, 2, &[]).await;
    let recorder = Recorder::default();
    client(&server, fast_retries(), &recorder)
        .phone_numbers()
        .get("a b/../c?d#e")
        .await
        .expect("third attempt succeeds");
    let requests = server.received_requests().await.expect("recorded");
    let targets: Vec<(&str, Option<&str>)> = requests
        .iter()
        .map(|request| (request.url.path(), request.url.query()))
        .collect();
    let expected = ("/v1/phone_numbers/a%20b%2F..%2Fc%3Fd%23e", None);
    assert_eq!(targets, [expected; 3]);
}

#[tokio::test]
async fn a_500_on_create_is_not_retried() {
    let server = failing_then_ok(500, 1, &[]).await;
    let recorder = Recorder::default();
    let error = client(&server, fast_retries(), &recorder)
        .phone_numbers()
        .create(CreatePhoneNumberRequest::new("usr_1", "+1"))
        .await
        .expect_err("not retried, so it fails");
    assert_eq!(request_count(&server).await, 1);
    // Create does not list 500, so the normal mapping gives an unexpected status.
    assert!(
        matches!(&error, Error::UnexpectedStatus(e) if e.status() == 500),
        "{error:?}"
    );
    assert_eq!(error.clerk_trace_id(), Some("trace_retry"));
}

#[tokio::test]
async fn a_500_on_prepare_verification_is_not_retried_and_maps_to_the_clerk_error() {
    let server = failing_then_ok(500, 1, &[]).await;
    let error = client(&server, fast_retries(), &Recorder::default())
        .phone_numbers()
        .prepare_verification("phone_1")
        .await
        .expect_err("not retried");
    assert_eq!(request_count(&server).await, 1);
    assert!(matches!(&error, Error::Api(e) if e.status() == 500), "{error:?}");
}

#[tokio::test]
async fn retry_after_seconds_is_honoured() {
    let server = failing_then_ok(429, 1, &[("retry-after", "1")]).await;
    let recorder = Recorder::default();
    let retries = fast_retries().backoff(BackoffStrategy {
        max_interval: Duration::from_secs(5),
        ..*fast_retries().backoff_strategy().expect("on")
    });
    client(&server, retries, &recorder)
        .phone_numbers()
        .get("phone_1")
        .await
        .expect("second attempt succeeds");
    assert_eq!(recorder.delays(), [None, Some(Duration::from_secs(1))]);
}

#[tokio::test]
async fn retry_after_is_capped_at_the_maximum_interval() {
    let in_three_seconds = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(3));
    for header in ["86400", in_three_seconds.as_str()] {
        let server = failing_then_ok(503, 1, &[("retry-after", header)]).await;
        let recorder = Recorder::default();
        let retries = fast_retries().backoff(BackoffStrategy {
            max_interval: Duration::from_millis(200),
            ..*fast_retries().backoff_strategy().expect("on")
        });
        client(&server, retries, &recorder)
            .phone_numbers()
            .get("phone_1")
            .await
            .expect("second attempt succeeds");
        assert_eq!(
            recorder.delays(),
            [None, Some(Duration::from_millis(200))],
            "Retry-After: {header}"
        );
    }
}

#[tokio::test]
async fn retries_can_be_turned_off_per_call() {
    let server = failing_then_ok(503, 5, &[]).await;
    let clerk = client(&server, fast_retries(), &Recorder::default());
    let error = clerk
        .phone_numbers()
        .get("phone_1")
        .retries(RetryConfig::none())
        .await
        .expect_err("one attempt only");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(request_count(&server).await, 1);

    // The same client still retries calls without the override: the 4 remaining 503s, then 200.
    clerk.phone_numbers().get("phone_1").await.expect("retried to success");
    assert_eq!(request_count(&server).await, 1 + 4 + 1);
}

#[tokio::test]
async fn retries_can_be_widened_per_call() {
    // POST is not retried on 500 by default; a call may opt in.
    let server = failing_then_ok(500, 1, &[]).await;
    client(&server, fast_retries(), &Recorder::default())
        .phone_numbers()
        .create(CreatePhoneNumberRequest::new("usr_1", "+1"))
        .retries(fast_retries().statuses_for_post([500, 503]))
        .await
        .expect("retried to success");
    assert_eq!(request_count(&server).await, 2);
}

#[tokio::test]
async fn the_maximum_elapsed_time_runs_out() {
    let server = failing_then_ok(503, 1_000, &[]).await;
    let recorder = Recorder::default();
    let budget = Duration::from_millis(300);
    let retries = RetryConfig::default().jitter(false).backoff(BackoffStrategy {
        initial_interval: Duration::from_millis(50),
        max_interval: Duration::from_millis(50),
        exponent: 1.0,
        max_elapsed_time: budget,
    });
    let error = client(&server, retries, &recorder)
        .phone_numbers()
        .get("phone_1")
        .await
        .expect_err("gives up");
    // The last response goes through the normal mapping: get does not list 503.
    assert!(
        matches!(&error, Error::UnexpectedStatus(e) if e.status() == 503),
        "{error:?}"
    );
    let attempts = request_count(&server).await;
    assert!((2..=7).contains(&attempts), "{attempts} attempts");
    let waited: Duration = recorder.delays().into_iter().flatten().sum();
    assert!(waited <= budget, "waited {waited:?}, more than the budget");
    assert_eq!(recorder.delays().len(), attempts);
}

#[tokio::test]
async fn a_refused_connection_is_retried_until_the_server_comes_up() {
    let (socket, address) = common::refusing_address();
    let server_task = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let listener = socket.listen(64).expect("listens").into_std().expect("a std listener");
        let server = MockServer::builder().listener(listener).start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200).set_body_json(phone_number_json()))
            .mount(&server)
            .await;
        server
    });

    let recorder = Recorder::default();
    let retries = RetryConfig::default().jitter(false).backoff(BackoffStrategy {
        initial_interval: Duration::from_millis(50),
        max_interval: Duration::from_millis(100),
        exponent: 1.5,
        max_elapsed_time: Duration::from_secs(5),
    });
    let clerk = common::builder_at(address)
        .retries(retries)
        .hook(recorder.clone())
        .build()
        .expect("client builds");
    clerk
        .phone_numbers()
        .get("phone_1")
        .await
        .expect("succeeds once the server is up");
    let server = server_task.await.expect("server task");
    assert_eq!(request_count(&server).await, 1);
    let log = recorder.log();
    assert!(log.iter().filter(|e| e.ends_with("transport")).count() >= 1, "{log:?}");
    assert!(log.last().is_some_and(|e| e.ends_with("200")), "{log:?}");
}

#[tokio::test]
async fn a_refused_connection_is_not_retried_when_told_not_to() {
    let (_reserved, address) = common::refusing_address();
    let recorder = Recorder::default();
    let clerk = common::builder_at(address)
        .retries(fast_retries().retry_connection_errors(false))
        .hook(recorder.clone())
        .build()
        .expect("client builds");
    let error = clerk.phone_numbers().get("phone_1").await.expect_err("refused");
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_eq!(recorder.log(), ["before GetPhoneNumber #1", "error #1 transport"]);
}

#[tokio::test]
async fn a_stalled_server_times_out_instead_of_hanging() {
    let server = common::stalled_server().await;
    let recorder = Recorder::default();
    let clerk = builder(&server)
        .timeout(Duration::from_millis(200))
        .retries(fast_retries())
        .hook(recorder.clone())
        .build()
        .expect("client builds");
    // The outer bound only turns a hang into a test failure; it is not a speed assertion.
    let create = clerk
        .phone_numbers()
        .create(CreatePhoneNumberRequest::new("usr_1", "+15555550100"));
    let outcome = tokio::time::timeout(Duration::from_secs(5), create.into_future()).await;
    let error = outcome.expect("the call must not hang").expect_err("times out");
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(error.to_string(), "CreatePhoneNumber: the request timed out");
    // A timed-out POST is not retried: the server may have acted on the request. (A timed-out
    // GET is, until the retry budget runs out: see `retry_table.rs`.)
    assert_eq!(recorder.log(), ["before CreatePhoneNumber #1", "error #1 timeout"]);
}

#[tokio::test]
async fn the_timeout_can_be_set_per_call() {
    let server = common::stalled_server().await;
    let clerk = builder(&server)
        .timeout(Duration::from_secs(60))
        .build()
        .expect("client builds");
    let outcome = tokio::time::timeout(
        Duration::from_secs(5),
        clerk
            .phone_numbers()
            .get("phone_1")
            .timeout(Duration::from_millis(200))
            // A timed-out GET would be retried; one attempt shows the timeout alone.
            .retries(RetryConfig::none())
            .into_future(),
    )
    .await;
    let error = outcome.expect("the call must not hang").expect_err("times out");
    assert!(error.is_timeout(), "{error:?}");
}

#[tokio::test]
async fn the_server_url_can_be_set_per_call() {
    let (primary, clerk) = common::setup().await;
    let other = MockServer::start().await;
    common::respond_json(&other, 200, phone_number_json()).await;
    clerk
        .phone_numbers()
        .get("phone_1")
        .server_url(format!("{}/v2/", other.uri()))
        .await
        .expect("served by the other server");
    assert_eq!(request_count(&primary).await, 0);
    assert_eq!(the_request(&other).await.path, "/v2/phone_numbers/phone_1");

    let error = clerk
        .phone_numbers()
        .get("phone_1")
        .server_url("ftp://nope")
        .await
        .expect_err("bad URL");
    assert_eq!(
        error.to_string(),
        "GetPhoneNumber: invalid request: invalid server URL `ftp://nope`: the scheme must be http or https"
    );
}

#[tokio::test]
async fn extra_headers_are_sent_and_may_replace_sdk_defaults() {
    let (server, clerk) = common::setup().await;
    common::respond_json(&server, 200, phone_number_json()).await;
    let mut more = reqwest::header::HeaderMap::new();
    more.append("x-tag", "a".parse().expect("valid"));
    more.append("x-tag", "b".parse().expect("valid"));
    clerk
        .phone_numbers()
        .get("phone_1")
        .header("x-request-id", "req-42")
        .header("user-agent", "my-app/1.0")
        .headers(more)
        .await
        .expect("succeeds");
    let sent = the_request(&server).await;
    assert_eq!(sent.header("x-request-id"), Some("req-42"));
    assert_eq!(sent.header("user-agent"), Some("my-app/1.0"));
    let tags: Vec<&str> = sent
        .headers
        .get_all("x-tag")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert_eq!(tags, ["a", "b"]);
    assert_eq!(
        sent.header("authorization"),
        Some(format!("Bearer {SECRET_KEY}").as_str())
    );
}

#[tokio::test]
async fn sdk_headers_cannot_be_overridden_per_call() {
    let (server, clerk) = common::setup().await;
    common::respond_json(&server, 200, phone_number_json()).await;
    let protected = [
        ("Authorization", "Bearer sk_live_other"),
        ("clerk-api-version", "2021-02-05"),
        ("Content-Type", "text/plain"),
        ("content-length", "12"),
        ("HOST", "evil.example"),
    ];
    let refusal = |name: &str| {
        format!(
            "GetPhoneNumber: invalid request: header `{}` is set by the SDK and cannot be overridden per call",
            name.to_ascii_lowercase()
        )
    };
    for (name, value) in protected {
        // One at a time through `.header()`...
        let error = clerk
            .phone_numbers()
            .get("phone_1")
            .header(name, value)
            .await
            .expect_err("refused");
        assert!(matches!(error, Error::InvalidRequest { .. }), "{error:?}");
        assert_eq!(error.to_string(), refusal(name));
        assert!(!error.to_string().contains("sk_live_other"));
        // ...and through `.headers()`, after an allowed header.
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("x-allowed", "1".parse().expect("valid"));
        headers.insert(
            reqwest::header::HeaderName::try_from(name).expect("valid name"),
            value.parse().expect("valid value"),
        );
        let error = clerk
            .phone_numbers()
            .get("phone_1")
            .headers(headers)
            .await
            .expect_err("refused");
        assert!(matches!(error, Error::InvalidRequest { .. }), "{error:?}");
        assert_eq!(error.to_string(), refusal(name));
    }
    let error = clerk
        .phone_numbers()
        .get("phone_1")
        .header("bad header", "x")
        .await
        .expect_err("refused");
    assert_eq!(
        error.to_string(),
        "GetPhoneNumber: invalid request: a header name is not valid"
    );
    let error = clerk
        .phone_numbers()
        .get("phone_1")
        .header("x-ok", "line\nbreak")
        .await
        .expect_err("refused");
    assert_eq!(
        error.to_string(),
        "GetPhoneNumber: invalid request: the value of header `x-ok` is not valid"
    );
    assert_eq!(request_count(&server).await, 0, "nothing is sent");
}

#[tokio::test]
async fn max_attempts_bounds_the_retries_of_any_client_and_any_call() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let clerk = builder(&server)
        .retries(fast_retries().max_attempts(3))
        .build()
        .expect("client");

    let error = clerk.phone_numbers().get("phone_1").await.expect_err("always 503");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(request_count(&server).await, 3, "the first attempt and two retries");

    // Per call, on the blocking client too.
    let blocking = builder(&server)
        .retries(fast_retries())
        .build_blocking()
        .expect("client");
    let server_uri = server.uri();
    std::thread::spawn(move || {
        let call = blocking
            .phone_numbers()
            .get("phone_1")
            .retries(fast_retries().max_attempts(2));
        assert!(call.send().is_err(), "always 503 ({server_uri})");
    })
    .join()
    .expect("the blocking call ran");
    assert_eq!(request_count(&server).await, 5, "two more");
}
