//! The blocking client against the same loopback mock server: its happy path, an error, the
//! per-call overrides, and use from inside a tokio runtime (which must not panic).

mod common;

use clerk_sdk::models::{CreatePhoneNumberRequest, PhoneNumberVerification};
use clerk_sdk::{Error, RetryConfig};
use common::{SECRET_KEY, assert_one_request, clerk_errors_json, phone_number_json, respond_json, the_request};
use serde_json::json;
use wiremock::MockServer;

/// A runtime for the mock server, which keeps serving on its own threads while the test's
/// thread blocks in a call.
fn server_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime starts")
}

fn blocking_client(server: &MockServer) -> clerk_sdk::blocking::Clerk {
    common::builder(server)
        .retries(RetryConfig::none())
        .build_blocking()
        .expect("client builds")
}

#[test]
fn happy_path_without_any_async_runtime() {
    let runtime = server_runtime();
    let server = runtime.block_on(MockServer::start());
    runtime.block_on(respond_json(&server, 200, phone_number_json()));
    let clerk = blocking_client(&server);

    let phone = clerk
        .phone_numbers()
        .create(CreatePhoneNumberRequest::new("usr_1", "+15555550100").verified(true))
        .send()
        .expect("create succeeds");
    assert_eq!(phone.phone_number, "+15555550100");
    assert!(matches!(phone.verification, Some(PhoneNumberVerification::Otp(_))));

    let sent = runtime.block_on(the_request(&server));
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.path, "/v1/phone_numbers");
    assert_eq!(
        sent.header("authorization"),
        Some(format!("Bearer {SECRET_KEY}").as_str())
    );
    assert_eq!(
        sent.body,
        Some(json!({"user_id": "usr_1", "phone_number": "+15555550100", "verified": true}))
    );
}

#[test]
fn a_listed_error_status_gives_the_typed_clerk_error() {
    let runtime = server_runtime();
    let server = runtime.block_on(MockServer::start());
    runtime.block_on(respond_json(
        &server,
        404,
        clerk_errors_json("resource_not_found", "trace_blocking"),
    ));
    let error = blocking_client(&server)
        .phone_numbers()
        .get("phone_1")
        .send()
        .expect_err("404");
    let Error::Api(api) = &error else {
        panic!("expected Error::Api, got {error:?}")
    };
    assert_eq!(api.status(), 404);
    assert_eq!(api.clerk_trace_id(), Some("trace_blocking"));
    runtime.block_on(assert_one_request(&server, "GET", "/v1/phone_numbers/phone_1"));
}

#[test]
fn per_call_overrides_apply() {
    let runtime = server_runtime();
    let server = runtime.block_on(MockServer::start());
    runtime.block_on(respond_json(
        &server,
        200,
        json!({"object": "phone_number", "deleted": true}),
    ));
    let deleted = blocking_client(&server)
        .phone_numbers()
        .delete("phone_1")
        .header("x-request-id", "req-blocking")
        .timeout(std::time::Duration::from_secs(5))
        .send()
        .expect("delete succeeds");
    assert!(deleted.deleted);
    let sent = runtime.block_on(assert_one_request(&server, "DELETE", "/v1/phone_numbers/phone_1"));
    assert_eq!(sent.header("x-request-id"), Some("req-blocking"));

    let error = blocking_client(&server)
        .phone_numbers()
        .delete("")
        .send()
        .expect_err("refused before sending");
    assert!(matches!(error, Error::InvalidRequest { .. }), "{error:?}");
    assert_eq!(
        runtime.block_on(common::request_count(&server)),
        1,
        "nothing more was sent"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn works_inside_a_multi_thread_runtime() {
    let server = MockServer::start().await;
    respond_json(&server, 200, phone_number_json()).await;
    let clerk = blocking_client(&server);
    let phone = clerk.phone_numbers().get("phone_1").send().expect("succeeds");
    assert_eq!(phone.phone_number, "+15555550100");
    assert_one_request(&server, "GET", "/v1/phone_numbers/phone_1").await;
    // Dropping the client (and its runtime) inside an async context must not panic either.
    drop(clerk);
}

#[test]
fn works_inside_a_current_thread_runtime() {
    // The server runs elsewhere; the caller's single-threaded runtime is blocked by the call,
    // which still completes because it runs on the client's own runtime.
    let server_side = server_runtime();
    let server = server_side.block_on(MockServer::start());
    server_side.block_on(respond_json(&server, 200, phone_number_json()));

    let caller = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let phone = caller.block_on(async {
        let clerk = blocking_client(&server);
        let phone = clerk.phone_numbers().get("phone_1").send();
        drop(clerk);
        phone
    });
    assert_eq!(phone.expect("succeeds").phone_number, "+15555550100");
    server_side.block_on(assert_one_request(&server, "GET", "/v1/phone_numbers/phone_1"));
}

#[test]
fn a_blocking_success_can_keep_its_status_and_headers() {
    let runtime = server_runtime();
    let server = runtime.block_on(MockServer::start());
    runtime.block_on(
        wiremock::Mock::given(wiremock::matchers::any())
            .respond_with(
                wiremock::ResponseTemplate::new(200)
                    .insert_header("x-ratelimit-remaining", "41")
                    .set_body_json(phone_number_json()),
            )
            .mount(&server),
    );
    let clerk = blocking_client(&server);
    let response = clerk
        .phone_numbers()
        .get("phone_1")
        .send_with_response()
        .expect("succeeds");
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-ratelimit-remaining"], "41");
    assert_eq!(response.into_inner().phone_number, "+15555550100");
}
