//! What the SDK logs through `tracing`: spans and events that say what happened (operation,
//! method, path template, status, attempt, elapsed time, retry delay), and never the secret
//! key, the `Authorization` header or a body, request or response, at any level.
//!
//! One subscriber, global and at `TRACE`, records every scenario: each phone_numbers operation
//! (with a request body where it has one, and with a Clerk error body), a retried 503, a
//! refused connection, a timeout, a body that does not decode, a hook that refuses the request,
//! and the blocking client, whose calls run on a runtime thread of their own (which is why the
//! subscriber is global rather than per test). Dependencies that log through the `log` crate
//! (reqwest does) are captured too, through `tracing-log`, so a leak there would be seen.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use clerk_sdk::hooks::{HookContext, HookError, Hooks};
use clerk_sdk::models::{AttemptPhoneNumberVerificationRequest, CreatePhoneNumberRequest, UpdatePhoneNumberRequest};
use clerk_sdk::{BackoffStrategy, Error, RetryConfig};
use common::{SECRET_KEY, builder, clerk_errors_json, phone_number_json, refusing_address, verification_json};
use serde_json::json;
use tracing_subscriber::fmt::MakeWriter;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Collects everything the subscriber writes.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Capture {
    /// What was written since the last call.
    fn take(&self) -> String {
        let bytes = std::mem::take(&mut *self.0.lock().expect("not poisoned"));
        String::from_utf8_lossy(&bytes).into_owned()
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

/// Request values and error texts that must never be logged.
const SECRET_VALUES: &[&str] = &[
    "usr_secretive",
    "+15555550123",
    "+15555550100",
    "code_424242",
    "ver_secretive",
    "Resource not found",
    "form_param_invalid",
    "trace_422",
    "undecodable_secret",
    "15555550123_secret",
    "linked_secret",
    "drift_secret",
    "dvb_secretive",
    "cookie_secretive",
    "basic_secretive",
    // base64("client_id:basic_secretive"), as the Basic header carries it.
    "Y2xpZW50X2lkOmJhc2ljX3NlY3JldGl2ZQ",
];

/// The scenarios, each with what the subscriber wrote while it ran.
fn outputs() -> &'static [(&'static str, String)] {
    static OUTPUTS: OnceLock<Vec<(&'static str, String)>> = OnceLock::new();
    OUTPUTS.get_or_init(|| {
        let capture = Capture::default();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(capture.clone())
            .with_ansi(false)
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("the only subscriber in this test binary");
        tracing_log::LogTracer::init().expect("the only `log` logger in this test binary");
        let runtime = tokio::runtime::Runtime::new().expect("a runtime");
        let mut outputs = runtime.block_on(async_scenarios(&capture));
        outputs.push(("blocking", blocking_scenario(&capture)));
        outputs
    })
}

/// The output of one scenario by name.
fn output(name: &str) -> &'static str {
    outputs()
        .iter()
        .find(|(scenario, _)| *scenario == name)
        .map(|(_, text)| text.as_str())
        .unwrap_or_else(|| panic!("no scenario {name}"))
}

/// A server whose first response to `method path` is `status` with `body`.
async fn answer(server: &MockServer, verb: &str, route: &str, status: u16, body: serde_json::Value) {
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .up_to_n_times(1)
        .mount(server)
        .await;
}

fn fast_retries() -> RetryConfig {
    RetryConfig::default().jitter(false).backoff(BackoffStrategy {
        initial_interval: Duration::from_millis(15),
        max_interval: Duration::from_millis(15),
        exponent: 1.0,
        max_elapsed_time: Duration::from_millis(100),
    })
}

/// A hook that refuses every request.
struct Refuse;

impl Hooks for Refuse {
    fn before_request(&self, _: &HookContext, _: &mut reqwest::Request) -> Result<(), HookError> {
        Err("refused by policy".into())
    }
}

async fn async_scenarios(capture: &Capture) -> Vec<(&'static str, String)> {
    let mut outputs = Vec::new();
    let server = MockServer::start().await;
    let clerk = builder(&server).retries(fast_retries()).build().expect("builds");
    let phone = "/v1/phone_numbers/phone_1";
    let errors = clerk_errors_json("form_param_invalid", "trace_422");

    answer(&server, "GET", phone, 503, clerk_errors_json("busy", "trace_busy")).await;
    answer(&server, "GET", phone, 200, phone_number_json()).await;
    clerk.phone_numbers().get("phone_1").await.expect("ok after a retry");
    outputs.push(("get", capture.take()));

    answer(&server, "POST", "/v1/phone_numbers", 200, phone_number_json()).await;
    let body = CreatePhoneNumberRequest::new("usr_secretive", "+15555550123");
    clerk.phone_numbers().create(body).await.expect("created");
    outputs.push(("create", capture.take()));

    answer(&server, "PATCH", phone, 422, errors.clone()).await;
    let body = UpdatePhoneNumberRequest::default().primary(true);
    let error = clerk.phone_numbers().update("phone_1", body).await.expect_err("422");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(422), "{error:?}");
    outputs.push(("update", capture.take()));

    answer(&server, "DELETE", phone, 404, errors.clone()).await;
    let error = clerk.phone_numbers().delete("phone_1").await.expect_err("404");
    assert!(matches!(&error, Error::Api(api) if api.status() == 404), "{error:?}");
    outputs.push(("delete", capture.take()));

    let prepare = "/v1/phone_numbers/phone_1/prepare_verification";
    answer(&server, "POST", prepare, 200, verification_json("unverified")).await;
    clerk
        .phone_numbers()
        .prepare_verification("phone_1")
        .await
        .expect("prepared");
    outputs.push(("prepare_verification", capture.take()));

    let attempt = "/v1/phone_numbers/phone_1/attempt_verification";
    answer(&server, "POST", attempt, 200, verification_json("verified")).await;
    let body = AttemptPhoneNumberVerificationRequest::new("ver_secretive", "code_424242");
    clerk
        .phone_numbers()
        .attempt_verification("phone_1", body)
        .await
        .expect("attempted");
    outputs.push(("attempt_verification", capture.take()));

    // A body that strays from the spec, with personal data where the spec wants other types.
    let drifted = json!({
        "id": "undecodable_secret",
        "phone_number": ["+15555550123_secret"],
        "linked_to": "linked_secret",
        "verification": {"object": "verification_otp", "status": "drift_secret"},
    });
    answer(&server, "GET", "/v1/phone_numbers/phone_2", 200, drifted.clone()).await;
    let phone = clerk.phone_numbers().get("phone_2").await.expect("decodes leniently");
    assert_eq!(phone.id.as_deref(), Some("undecodable_secret"));
    outputs.push(("decode", capture.take()));
    answer(&server, "GET", "/v1/phone_numbers/phone_2", 200, drifted).await;
    let error = clerk
        .phone_numbers()
        .get("phone_2")
        .strict_responses(true)
        .await
        .expect_err("a strict call refuses it");
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
    // Its `Display` names the pointer, not the value (`Debug` shows the body it keeps).
    tracing::error!(error = %error, "the error, as an application would log it");
    outputs.push(("strict decode", capture.take()));

    let refusing = builder(&server).hook(Refuse).build().expect("builds");
    let error = refusing.phone_numbers().get("phone_1").await.expect_err("refused");
    assert!(matches!(error, Error::Hook { .. }), "{error:?}");
    outputs.push(("hook refusal", capture.take()));

    let (_reserved, address) = refusing_address();
    let unreachable = common::builder_at(address)
        .retries(fast_retries())
        .build()
        .expect("builds");
    let error = unreachable.phone_numbers().get("phone_1").await.expect_err("refused");
    assert!(
        matches!(error, Error::Transport { .. }) && !error.is_timeout(),
        "{error:?}"
    );
    outputs.push(("connection refused", capture.take()));

    let stalled = common::stalled_server().await;
    let error = builder(&stalled)
        .build()
        .expect("builds")
        .phone_numbers()
        .get("phone_1")
        .timeout(Duration::from_millis(100))
        .retries(RetryConfig::none())
        .await
        .expect_err("times out");
    assert!(error.is_timeout(), "{error:?}");
    outputs.push(("timeout", capture.take()));
    outputs.push(("other credentials", other_credentials(&server, capture).await));
    outputs
}

/// An API whose credentials are an API key in the query, one in a cookie, and HTTP Basic.
enum KeyedApi {}

impl clerk_sdk::runtime::Api for KeyedApi {
    type ErrorBody = serde_json::Value;
    const DESCRIPTION: &'static clerk_sdk::runtime::ApiDescription = &clerk_sdk::runtime::ApiDescription {
        title: "Keyed API",
        package: "test-api/1.0.0",
        default_server_url: None,
        server_template: "https://{domain}.example.com",
        version_header: None,
        schemes: &[
            clerk_sdk::runtime::SecurityScheme {
                name: "DevBrowser",
                setter: "dev_browser",
                kind: clerk_sdk::runtime::SchemeKind::ApiKey {
                    location: clerk_sdk::runtime::KeyLocation::Query,
                    name: "__dev_session",
                },
            },
            clerk_sdk::runtime::SecurityScheme {
                name: "Browser",
                setter: "browser",
                kind: clerk_sdk::runtime::SchemeKind::ApiKey {
                    location: clerk_sdk::runtime::KeyLocation::Cookie,
                    name: "__client",
                },
            },
            clerk_sdk::runtime::SecurityScheme {
                name: "ClientCredentials",
                setter: "client_credentials",
                kind: clerk_sdk::runtime::SchemeKind::Basic,
            },
        ],
        required: &[],
    };
}

/// Calls with each kind of credential: a success, and a refused connection whose error is
/// logged (the URL it would name carries the query key).
async fn other_credentials(server: &MockServer, capture: &Capture) -> String {
    use clerk_sdk::runtime::__private::{Method, Operation, RetryClass};
    use clerk_sdk::runtime::{Call, Client, Credential};
    const KEYED: Operation = Operation {
        id: "GetKeyed",
        method: Method::GET,
        path: "/keyed",
        error_statuses: &[],
        retry: RetryClass::Idempotent,
        security: &[&[0, 1], &[2]],
        default_errors: false,
        accept: "application/json",
    };
    const BASIC: Operation = Operation {
        security: &[&[2]],
        id: "GetBasic",
        ..KEYED
    };
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(server)
        .await;
    let secret = |value: &str| clerk_sdk::runtime::__private::SecretString::from(value.to_owned());
    let configure = |url: String| {
        Client::<KeyedApi>::builder()
            .server_url(url)
            .retries(fast_retries())
            .credential(0, Credential::Token(secret("dvb_secretive")))
            .credential(1, Credential::Token(secret("cookie_secretive")))
            .credential(
                2,
                Credential::Basic {
                    user: "client_id".to_owned(),
                    password: secret("basic_secretive"),
                },
            )
            .build()
            .expect("builds")
    };
    let client = configure(server.uri());
    Call::<KeyedApi, serde_json::Value>::new(&client, &KEYED, &[])
        .await
        .expect("keyed");
    Call::<KeyedApi, serde_json::Value>::new(&client, &BASIC, &[])
        .await
        .expect("basic");
    let (_reserved, address) = refusing_address();
    let unreachable = configure(format!("http://{address}"));
    let error = Call::<KeyedApi, serde_json::Value>::new(&unreachable, &KEYED, &[])
        .await
        .expect_err("refused");
    tracing::error!(error = %error, debug = ?error, "the error, as an application would log it");
    capture.take()
}

/// The blocking client, whose calls run on its own runtime thread.
fn blocking_scenario(capture: &Capture) -> String {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let server = runtime.block_on(async {
        let server = MockServer::start().await;
        answer(&server, "POST", "/v1/phone_numbers", 200, phone_number_json()).await;
        server
    });
    capture.take();
    let clerk = builder(&server).build_blocking().expect("builds");
    let body = CreatePhoneNumberRequest::new("usr_secretive", "+15555550123");
    clerk.phone_numbers().create(body).send().expect("created");
    drop(clerk);
    capture.take()
}

#[test]
fn every_operation_is_traced_with_its_span_and_attempts() {
    for (scenario, operation, method, route, status) in [
        ("get", "GetPhoneNumber", "GET", "/phone_numbers/{phone_number_id}", 503),
        ("create", "CreatePhoneNumber", "POST", "/phone_numbers", 200),
        (
            "update",
            "UpdatePhoneNumber",
            "PATCH",
            "/phone_numbers/{phone_number_id}",
            422,
        ),
        (
            "delete",
            "DeletePhoneNumber",
            "DELETE",
            "/phone_numbers/{phone_number_id}",
            404,
        ),
        (
            "prepare_verification",
            "PreparePhoneNumberVerification",
            "POST",
            "/phone_numbers/{phone_number_id}/prepare_verification",
            200,
        ),
        (
            "attempt_verification",
            "AttemptPhoneNumberVerification",
            "POST",
            "/phone_numbers/{phone_number_id}/attempt_verification",
            200,
        ),
        (
            "decode",
            "GetPhoneNumber",
            "GET",
            "/phone_numbers/{phone_number_id}",
            200,
        ),
        ("blocking", "CreatePhoneNumber", "POST", "/phone_numbers", 200),
    ] {
        let output = output(scenario);
        let span = format!("clerk_sdk.call{{operation=\"{operation}\" method={method} path=\"{route}\"}}");
        for expected in [
            span.as_str(),
            "clerk_sdk::call: sending attempt=1",
            &format!("clerk_sdk::call: response attempt=1 status={status} elapsed_ms="),
        ] {
            assert!(
                output.contains(expected),
                "{scenario}: missing {expected:?} in:\n{output}"
            );
        }
    }
}

#[test]
fn retries_and_failures_without_a_response_are_traced() {
    let get = output("get");
    for expected in [
        "clerk_sdk::call: response attempt=1 status=503 elapsed_ms=",
        "clerk_sdk::call: retrying attempt=1 delay_ms=15 reason=503 Service Unavailable",
        "clerk_sdk::call: response attempt=2 status=200 elapsed_ms=",
    ] {
        assert!(get.contains(expected), "missing {expected:?} in:\n{get}");
    }
    let refused = output("connection refused");
    assert!(
        refused.contains("no response attempt=1") && refused.contains("error=could not connect"),
        "{refused}"
    );
    assert!(
        refused.contains("retrying attempt=1 delay_ms=15 reason=could not connect"),
        "{refused}"
    );
    let timeout = output("timeout");
    assert!(
        timeout.contains("no response attempt=1") && timeout.contains("error=the request timed out"),
        "{timeout}"
    );
    let refusal = output("hook refusal");
    assert!(
        !refusal.contains("sending"),
        "a refused request is never sent:\n{refusal}"
    );
}

#[test]
fn a_response_that_deviates_logs_one_warning_with_its_pointers() {
    let expected = "WARN clerk_sdk::drift: the response deviates from the spec operation=\"GetPhoneNumber\" \
        status=200 count=10 pointers=/object, /phone_number, /reserved, /verification/status, \
        /verification/strategy, /verification/attempts, /verification/expire_at, /linked_to, /created_at, \
        /updated_at";
    for scenario in ["decode", "strict decode"] {
        let output = output(scenario);
        let warnings: Vec<&str> = output
            .lines()
            .filter(|line| line.contains("clerk_sdk::drift"))
            .collect();
        assert_eq!(warnings.len(), 1, "{scenario}: one event for the call:\n{output}");
        assert!(warnings[0].contains(expected), "{scenario}: {}", warnings[0]);
    }
    for (scenario, output) in outputs() {
        if !scenario.contains("decode") {
            assert!(!output.contains("clerk_sdk::drift"), "{scenario}:\n{output}");
        }
    }
}

#[test]
fn logs_of_dependencies_through_the_log_crate_are_captured() {
    // reqwest logs new connections through `log`; seeing them shows that anything it logged
    // would be checked by the test below.
    let all: String = outputs().iter().map(|(_, text)| text.as_str()).collect();
    assert!(all.contains("reqwest::connect"), "{all}");
}

#[test]
fn every_kind_of_credential_was_sent_and_its_failure_logged() {
    let output = output("other credentials");
    for expected in [
        "operation=\"GetKeyed\"",
        "operation=\"GetBasic\"",
        "error=could not connect",
        "the error, as an application would log it",
    ] {
        assert!(output.contains(expected), "missing {expected:?} in:\n{output}");
    }
}

#[test]
fn secrets_and_bodies_never_appear_at_any_level() {
    // That each scenario logged what it should is checked above; here, what none may log.
    for (scenario, output) in outputs() {
        let lowercase = output.to_lowercase();
        for forbidden in [SECRET_KEY, "bearer", "authorization"] {
            assert!(
                !lowercase.contains(&forbidden.to_lowercase()),
                "{scenario}: {forbidden:?} was logged:\n{output}"
            );
        }
        for forbidden in SECRET_VALUES {
            assert!(
                !output.contains(forbidden),
                "{scenario}: {forbidden:?} was logged:\n{output}"
            );
        }
    }
}

#[test]
fn info_level_shows_retries_but_not_every_attempt() {
    let get = output("get");
    let level_of = |needle: &str| {
        get.lines()
            .find(|line| line.contains(needle))
            .and_then(|line| line.split_whitespace().nth(1))
            .unwrap_or_else(|| panic!("no {needle:?} line in:\n{get}"))
            .to_owned()
    };
    assert_eq!(level_of("retrying"), "INFO");
    assert_eq!(level_of("sending"), "DEBUG");
    assert_eq!(level_of("response attempt=1"), "DEBUG");
}
