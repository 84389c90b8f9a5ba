//! The retry table of `RetryConfig`'s docs (`clerk-sdk/runtime/src/retry.rs`), row by row, end
//! to end: each row's failure is produced by a real loopback server, and the number of attempts
//! the server saw is asserted exactly.
//!
//! | failure | GET, PATCH, DELETE | POST |
//! |---|---|---|
//! | connection failed before sending | retried | retried |
//! | connection lost after sending, timeout | retried | not retried |
//! | 429, 503 | retried | retried |
//! | other 5xx | retried | not retried |
//!
//! The defaults those docs state are checked exactly too: a 60 s retry budget and a 30 s
//! timeout per attempt.

mod common;

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clerk_sdk::hooks::{HookContext, HookError, Hooks};
use clerk_sdk::models::{AttemptPhoneNumberVerificationRequest, CreatePhoneNumberRequest, UpdatePhoneNumberRequest};
use clerk_sdk::{BackoffStrategy, Call, Clerk, Error, RetryConfig};
use common::{builder, clerk_errors_json, phone_number_json, refusing_address, verification_json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Quick, predictable retries: 10 ms apart, for at most 2 s.
fn fast_retries() -> RetryConfig {
    RetryConfig::default().jitter(false).backoff(BackoffStrategy {
        initial_interval: Duration::from_millis(10),
        max_interval: Duration::from_millis(10),
        exponent: 1.0,
        max_elapsed_time: Duration::from_secs(2),
    })
}

/// A call in flight, its value dropped so that every operation's has one type.
type Sent<'a> = Pin<Box<dyn Future<Output = Result<(), Error>> + Send + 'a>>;

/// One phone_numbers operation: its name, HTTP method, path on the server and the call.
struct Operation {
    name: &'static str,
    http_method: &'static str,
    route: &'static str,
    ok_body: fn() -> serde_json::Value,
    call: for<'a> fn(&'a Clerk) -> Sent<'a>,
}

/// Sends `call` and drops its value.
fn unit<'a, T: clerk_sdk::runtime::FromResponse + Send + 'static>(call: Call<T>) -> Sent<'a> {
    Box::pin(async move { call.await.map(drop) })
}

/// Every phone_numbers operation.
fn operations() -> Vec<Operation> {
    let verification = || verification_json("verified");
    vec![
        Operation {
            name: "get",
            http_method: "GET",
            route: "/v1/phone_numbers/phone_1",
            ok_body: phone_number_json,
            call: |clerk| unit(clerk.phone_numbers().get("phone_1")),
        },
        Operation {
            name: "update",
            http_method: "PATCH",
            route: "/v1/phone_numbers/phone_1",
            ok_body: phone_number_json,
            call: |clerk| {
                let body = UpdatePhoneNumberRequest::default().primary(true);
                unit(clerk.phone_numbers().update("phone_1", body))
            },
        },
        Operation {
            name: "delete",
            http_method: "DELETE",
            route: "/v1/phone_numbers/phone_1",
            ok_body: || serde_json::json!({"id": "phone_1", "object": "phone_number", "deleted": true}),
            call: |clerk| unit(clerk.phone_numbers().delete("phone_1")),
        },
        Operation {
            name: "create",
            http_method: "POST",
            route: "/v1/phone_numbers",
            ok_body: phone_number_json,
            call: |clerk| {
                let body = CreatePhoneNumberRequest::new("usr_1", "+15555550100");
                unit(clerk.phone_numbers().create(body))
            },
        },
        Operation {
            name: "prepare_verification",
            http_method: "POST",
            route: "/v1/phone_numbers/phone_1/prepare_verification",
            ok_body: verification,
            call: |clerk| unit(clerk.phone_numbers().prepare_verification("phone_1")),
        },
        Operation {
            name: "attempt_verification",
            http_method: "POST",
            route: "/v1/phone_numbers/phone_1/attempt_verification",
            ok_body: verification,
            call: |clerk| {
                let body = AttemptPhoneNumberVerificationRequest::new("ver_1", "123456");
                unit(clerk.phone_numbers().attempt_verification("phone_1", body))
            },
        },
    ]
}

/// A server where `operation` answers `status` once, then succeeds.
async fn failing_once(operation: &Operation, status: u16) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(operation.http_method))
        .and(path(operation.route))
        .respond_with(ResponseTemplate::new(status).set_body_json(clerk_errors_json("busy", "trace_1")))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method(operation.http_method))
        .and(path(operation.route))
        .respond_with(ResponseTemplate::new(200).set_body_json((operation.ok_body)()))
        .mount(&server)
        .await;
    server
}

/// Runs `operation` once against a server failing it once with `status`: the outcome, and how
/// many requests the server saw (all of them the operation's own).
async fn run_after(operation: &Operation, status: u16) -> (Result<(), Error>, usize) {
    let server = failing_once(operation, status).await;
    let clerk = builder(&server).retries(fast_retries()).build().expect("builds");
    let outcome = (operation.call)(&clerk).await;
    let requests = server.received_requests().await.expect("recording is on");
    for request in &requests {
        assert_eq!(request.method.as_str(), operation.http_method, "{}", operation.name);
        assert_eq!(request.url.path(), operation.route, "{}", operation.name);
    }
    (outcome, requests.len())
}

#[tokio::test]
async fn other_5xx_are_retried_for_get_patch_and_delete_but_not_post() {
    for operation in operations() {
        for status in [500, 502] {
            let (outcome, attempts) = run_after(&operation, status).await;
            let name = operation.name;
            if operation.http_method == "POST" {
                assert_eq!(attempts, 1, "{name} after {status}");
                let error = outcome.expect_err("not retried, so the 5xx is the outcome");
                assert_eq!(error.status().map(|s| s.as_u16()), Some(status), "{name}: {error:?}");
            } else {
                assert_eq!(attempts, 2, "{name} after {status}");
                assert!(outcome.is_ok(), "{name} after {status}: {outcome:?}");
            }
        }
    }
}

#[tokio::test]
async fn a_429_or_503_is_retried_for_every_operation() {
    for operation in operations() {
        for status in [429, 503] {
            let (outcome, attempts) = run_after(&operation, status).await;
            assert_eq!(attempts, 2, "{} after {status}", operation.name);
            assert!(outcome.is_ok(), "{} after {status}: {outcome:?}", operation.name);
        }
    }
}

#[tokio::test]
async fn a_refused_connection_is_retried_for_post_until_the_server_comes_up() {
    let (socket, address) = refusing_address();
    let server = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let listener = socket.listen(64).expect("listens").into_std().expect("a std listener");
        let server = MockServer::builder().listener(listener).start().await;
        Mock::given(method("POST"))
            .and(path("/v1/phone_numbers"))
            .respond_with(ResponseTemplate::new(200).set_body_json(phone_number_json()))
            .mount(&server)
            .await;
        server
    });
    let clerk = common::builder_at(address)
        .retries(fast_retries())
        .build()
        .expect("builds");
    let phone = clerk
        .phone_numbers()
        .create(CreatePhoneNumberRequest::new("usr_1", "+15555550100"))
        .await
        .expect("created once the server is up");
    assert_eq!(phone.phone_number, "+15555550100");
    let server = server.await.expect("server task");
    assert_eq!(common::request_count(&server).await, 1, "the POST ran exactly once");
}

/// What a raw server does with the first request it reads whole.
#[derive(Clone, Copy, PartialEq, Eq)]
enum FirstAttempt {
    /// Resets the connection once the request was read.
    Reset,
    /// Never answers.
    Stall,
}

/// A raw server that reads each request whole and counts it; the first gets `first`, every
/// later one a 200 with `ok_body`.
async fn failing_first_attempt(
    first: FirstAttempt,
    ok_body: serde_json::Value,
) -> (std::net::SocketAddr, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let address = listener.local_addr().expect("address");
    let requests = Arc::new(AtomicUsize::new(0));
    let seen = requests.clone();
    let ok_body = ok_body.to_string();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (seen, ok_body) = (seen.clone(), ok_body.clone());
            tokio::spawn(async move {
                let mut reader = BufReader::new(stream);
                let mut length = 0usize;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    if line.trim_end().is_empty() {
                        break;
                    }
                    if let Some((name, value)) = line.split_once(':')
                        && name.eq_ignore_ascii_case("content-length")
                    {
                        length = value.trim().parse().unwrap_or(0);
                    }
                }
                let mut body = vec![0u8; length];
                if reader.read_exact(&mut body).await.is_err() {
                    return;
                }
                match (seen.fetch_add(1, Ordering::SeqCst), first) {
                    (0, FirstAttempt::Reset) => {
                        let _ = reader.get_ref().set_zero_linger();
                    }
                    (0, FirstAttempt::Stall) => tokio::time::sleep(Duration::from_secs(30)).await,
                    _ => {
                        let response = format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{ok_body}",
                            ok_body.len()
                        );
                        let _ = reader.get_mut().write_all(response.as_bytes()).await;
                    }
                }
            });
        }
    });
    (address, requests)
}

/// Sends each operation to a server whose first attempt fails as `first`: idempotent
/// operations are sent again and succeed, POSTs fail with the transport error after one
/// attempt. `per_call_timeout` bounds each attempt.
async fn only_idempotent_operations_are_sent_again(first: FirstAttempt, per_call_timeout: Duration) {
    for operation in operations() {
        let (address, requests) = failing_first_attempt(first, (operation.ok_body)()).await;
        let clerk = common::builder_at(address)
            .retries(fast_retries())
            .timeout(per_call_timeout)
            .build()
            .expect("builds");
        let outcome = tokio::time::timeout(Duration::from_secs(10), (operation.call)(&clerk))
            .await
            .expect("the call must not hang");
        let sent = requests.load(Ordering::SeqCst);
        if operation.http_method == "POST" {
            let error = outcome.expect_err("a POST is not sent again");
            assert!(
                matches!(error, Error::Transport { .. }),
                "{}: {error:?}",
                operation.name
            );
            assert_eq!(
                error.is_timeout(),
                first == FirstAttempt::Stall,
                "{}: {error:?}",
                operation.name
            );
            assert_eq!(sent, 1, "{} was sent once", operation.name);
        } else {
            outcome.unwrap_or_else(|e| panic!("{}: {e:?}", operation.name));
            assert_eq!(sent, 2, "{} was sent twice", operation.name);
        }
    }
}

#[tokio::test]
async fn a_connection_lost_after_sending_is_retried_for_idempotent_operations_only() {
    only_idempotent_operations_are_sent_again(FirstAttempt::Reset, Duration::from_secs(30)).await;
}

#[tokio::test]
async fn a_timed_out_attempt_is_retried_for_idempotent_operations_only() {
    only_idempotent_operations_are_sent_again(FirstAttempt::Stall, Duration::from_millis(300)).await;
}

#[tokio::test]
async fn a_post_is_sent_again_after_a_lost_connection_only_when_allowed() {
    let create = operations()
        .into_iter()
        .find(|operation| operation.name == "create")
        .expect("create");
    let (address, requests) = failing_first_attempt(FirstAttempt::Reset, (create.ok_body)()).await;
    let clerk = common::builder_at(address)
        .retries(fast_retries().retry_post_after_sending(true))
        .build()
        .expect("builds");
    (create.call)(&clerk).await.expect("sent again and created");
    assert_eq!(requests.load(Ordering::SeqCst), 2);
}

/// Records the timeout the SDK set on each request.
#[derive(Clone, Default)]
struct TimeoutRecorder(Arc<Mutex<Vec<Option<Duration>>>>);

impl Hooks for TimeoutRecorder {
    fn before_request(&self, _: &HookContext, request: &mut reqwest::Request) -> Result<(), HookError> {
        self.0.lock().expect("not poisoned").push(request.timeout().copied());
        Ok(())
    }
}

#[tokio::test]
async fn the_default_timeout_is_30_seconds_per_attempt() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(phone_number_json()))
        .mount(&server)
        .await;
    let recorder = TimeoutRecorder::default();
    let clerk = builder(&server).hook(recorder.clone()).build().expect("builds");
    clerk.phone_numbers().get("phone_1").await.expect("ok");
    assert_eq!(
        *recorder.0.lock().expect("not poisoned"),
        [Some(Duration::from_secs(30))]
    );
}

#[test]
fn the_default_retry_budget_is_60_seconds() {
    let default = RetryConfig::default();
    let backoff = default.backoff_strategy().expect("retries are on by default");
    assert_eq!(backoff.max_elapsed_time, Duration::from_secs(60));
    assert_eq!(backoff.max_interval, Duration::from_secs(60));
    assert_eq!(backoff.initial_interval, Duration::from_millis(500));
    assert_eq!(backoff.exponent, 1.5);
}
