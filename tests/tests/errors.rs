//! How the SDK maps failures: every status the spec lists gives the typed Clerk error with its
//! trace id; anything else gives an unexpected-status error with the body; bad bodies give
//! decode errors with a field path. No error shows the secret key.

mod common;

use clerk_sdk::models::{AttemptPhoneNumberVerificationRequest, CreatePhoneNumberRequest, UpdatePhoneNumberRequest};
use clerk_sdk::{Clerk, Error};
use common::{SECRET_KEY, assert_one_request, clerk_errors_json, phone_number_json, respond_json, respond_raw, setup};
use serde_json::json;
use wiremock::MockServer;

/// Every phone_numbers operation, its operationId, and the statuses the spec maps for it.
const OPERATIONS: &[(&str, &str, &[u16])] = &[
    ("create", "CreatePhoneNumber", &[400, 401, 403, 404, 422]),
    ("get", "GetPhoneNumber", &[400, 401, 403, 404]),
    ("delete", "DeletePhoneNumber", &[400, 401, 403, 404]),
    ("update", "UpdatePhoneNumber", &[400, 401, 403, 404]),
    (
        "prepare_verification",
        "PreparePhoneNumberVerification",
        &[400, 401, 403, 404, 429, 500],
    ),
    (
        "attempt_verification",
        "AttemptPhoneNumberVerification",
        &[400, 401, 403, 404, 500],
    ),
];

/// Calls an operation by method name, discarding the success value.
async fn call(clerk: &Clerk, method: &str) -> Result<(), Error> {
    let phone_numbers = clerk.phone_numbers();
    match method {
        "create" => phone_numbers
            .create(CreatePhoneNumberRequest::new("usr_1", "+1"))
            .await
            .map(drop),
        "get" => phone_numbers.get("phone_1").await.map(drop),
        "delete" => phone_numbers.delete("phone_1").await.map(drop),
        "update" => phone_numbers
            .update("phone_1", UpdatePhoneNumberRequest::default())
            .await
            .map(drop),
        "prepare_verification" => phone_numbers.prepare_verification("phone_1").await.map(drop),
        "attempt_verification" => phone_numbers
            .attempt_verification("phone_1", AttemptPhoneNumberVerificationRequest::new("ver_1", "123456"))
            .await
            .map(drop),
        other => unreachable!("no operation {other}"),
    }
}

/// The method and path each operation is sent to by [`call`].
fn route(method: &str) -> (&'static str, &'static str) {
    match method {
        "create" => ("POST", "/v1/phone_numbers"),
        "get" => ("GET", "/v1/phone_numbers/phone_1"),
        "delete" => ("DELETE", "/v1/phone_numbers/phone_1"),
        "update" => ("PATCH", "/v1/phone_numbers/phone_1"),
        "prepare_verification" => ("POST", "/v1/phone_numbers/phone_1/prepare_verification"),
        "attempt_verification" => ("POST", "/v1/phone_numbers/phone_1/attempt_verification"),
        other => unreachable!("no operation {other}"),
    }
}

/// Calls an operation by method name, as [`call`] does, and checks that exactly that one
/// request reached the server.
async fn call_once(server: &MockServer, clerk: &Clerk, method: &str) -> Result<(), Error> {
    let outcome = call(clerk, method).await;
    let (verb, path) = route(method);
    assert_one_request(server, verb, path).await;
    outcome
}

/// Neither `Display` nor `Debug` of an error may show the key.
fn assert_no_secret(error: &Error) {
    let display = error.to_string();
    let debug = format!("{error:?}");
    assert!(
        !display.contains(SECRET_KEY) && !debug.contains(SECRET_KEY),
        "secret leaked: {debug}"
    );
    assert!(!display.contains('\n'), "Display is one line: {display}");
}

#[tokio::test]
async fn every_listed_status_gives_the_typed_clerk_error() {
    for &(method, operation_id, statuses) in OPERATIONS {
        for &status in statuses {
            let (server, clerk) = setup().await;
            let trace = format!("trace-{method}-{status}");
            respond_json(&server, status, clerk_errors_json("resource_not_found", &trace)).await;

            let error = call_once(&server, &clerk, method).await.expect_err("must fail");
            assert_no_secret(&error);
            let Error::Api(api) = &error else {
                panic!("{method} {status}: expected Error::Api, got {error:?}");
            };
            assert_eq!(api.operation(), operation_id);
            assert_eq!(api.status().as_u16(), status);
            assert_eq!(api.clerk_trace_id(), Some(trace.as_str()));
            assert_eq!(error.clerk_trace_id(), Some(trace.as_str()));
            assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
            assert_eq!(api.code(), Some("resource_not_found"));
            assert_eq!(
                api.errors().errors[0].meta.as_ref().map(|m| m["param_name"].clone()),
                Some(json!("phone_number_id"))
            );
            assert!(api.headers().contains_key("content-type"));
        }
    }
}

#[tokio::test]
async fn api_error_display_is_one_readable_line() {
    let (server, clerk) = setup().await;
    respond_json(&server, 404, clerk_errors_json("resource_not_found", "trace_abc")).await;
    let error = call_once(&server, &clerk, "get").await.expect_err("must fail");
    assert_eq!(
        error.to_string(),
        "GetPhoneNumber failed with 404 Not Found: resource_not_found: Resource not found (resource_not_found) [trace id trace_abc]"
    );
}

#[tokio::test]
async fn unlisted_statuses_give_unexpected_status_with_body() {
    let cases = [
        ("get", 500),
        ("get", 418),
        ("get", 422),
        ("create", 500),
        ("attempt_verification", 429),
        ("delete", 502),
    ];
    for (method, status) in cases {
        let (server, clerk) = setup().await;
        respond_json(&server, status, clerk_errors_json("internal", "trace_500")).await;
        let error = call_once(&server, &clerk, method).await.expect_err("must fail");
        assert_no_secret(&error);
        let Error::UnexpectedStatus(unexpected) = &error else {
            panic!("{method} {status}: expected UnexpectedStatus, got {error:?}");
        };
        assert_eq!(unexpected.status().as_u16(), status);
        assert!(
            unexpected.body().contains("\"code\":\"internal\""),
            "{}",
            unexpected.body()
        );
        // The trace id survives even on a status the spec does not list.
        assert_eq!(error.clerk_trace_id(), Some("trace_500"));
    }
}

#[tokio::test]
async fn unlisted_status_with_a_plain_text_body() {
    let (server, clerk) = setup().await;
    respond_raw(&server, 418, "I'm a teapot\nshort and stout", "text/plain").await;
    let error = call_once(&server, &clerk, "get").await.expect_err("must fail");
    let Error::UnexpectedStatus(unexpected) = &error else {
        panic!("expected UnexpectedStatus, got {error:?}");
    };
    assert_eq!(unexpected.body(), "I'm a teapot\nshort and stout");
    assert_eq!(unexpected.errors(), None);
    assert_eq!(error.clerk_trace_id(), None);
    assert_eq!(
        error.to_string(),
        "GetPhoneNumber: unexpected status 418 I'm a teapot: I'm a teapot short and stout"
    );
}

#[tokio::test]
async fn malformed_json_on_200_is_a_decode_error() {
    let (server, clerk) = setup().await;
    respond_raw(&server, 200, "{\"id\": \"idn_1\", ", "application/json").await;
    let error = call_once(&server, &clerk, "get").await.expect_err("must fail");
    assert_no_secret(&error);
    let Error::Decode(decode) = &error else {
        panic!("expected Error::Decode, got {error:?}");
    };
    assert_eq!(decode.operation(), "GetPhoneNumber");
    assert_eq!(decode.status().as_u16(), 200);
    assert_eq!(decode.body(), "{\"id\": \"idn_1\", ");
}

#[tokio::test]
async fn a_body_that_deviates_decodes_and_a_strict_call_fails_at_its_first_pointer() {
    let mut body = phone_number_json();
    body["verification"]["attempts"] = json!("three");
    body["linked_to"][0]["id"] = json!(7);
    body.as_object_mut().expect("object").remove("phone_number");
    let (server, clerk) = setup().await;
    respond_json(&server, 200, body).await;
    let response = clerk
        .phone_numbers()
        .get("phone_1")
        .send_with_response()
        .await
        .expect("decodes leniently");
    let deviations: Vec<String> = response.deviations().iter().map(ToString::to_string).collect();
    assert_eq!(
        deviations,
        [
            "/phone_number: missing where the spec requires a string; decoded as the empty value",
            "/verification/attempts: a string where the spec requires an integer; decoded as None",
            "/linked_to/0/id: a number where the spec requires a string; converted",
        ]
    );
    let phone = response.into_inner();
    assert_eq!(phone.phone_number, "");
    assert_eq!(phone.linked_to[0].id, "7");
    let Some(clerk_sdk::models::PhoneNumberVerification::Otp(otp)) = &phone.verification else {
        panic!("{:?}", phone.verification)
    };
    assert_eq!(otp.attempts, None);
    assert_eq!(otp.expire_at, Some(1_735_000_000_000));

    let error = clerk
        .phone_numbers()
        .get("phone_1")
        .strict_responses(true)
        .await
        .expect_err("a strict call refuses it");
    let Error::Decode(decode) = &error else {
        panic!("expected Error::Decode, got {error:?}");
    };
    assert_eq!(decode.pointer(), "/phone_number");
    assert_eq!(decode.deviations().len(), 3);
    assert_eq!(error.deviations(), decode.deviations());
    assert_eq!(
        error.to_string(),
        "GetPhoneNumber: cannot decode the 200 OK response at `/phone_number`: missing where the spec \
         requires a string (strict responses; 3 deviations in all)"
    );
}

#[tokio::test]
async fn a_strict_client_refuses_what_a_call_may_take_leniently() {
    let mut body = phone_number_json();
    body["reserved"] = json!(null);
    let (server, _) = setup().await;
    respond_json(&server, 200, body).await;
    let strict = common::builder(&server).strict_responses(true).build().expect("builds");
    let error = strict.phone_numbers().get("phone_1").await.expect_err("strict");
    assert!(
        matches!(&error, Error::Decode(d) if d.pointer() == "/reserved" && d.message().starts_with("null where")),
        "{error:?}"
    );
    let phone = strict
        .phone_numbers()
        .get("phone_1")
        .strict_responses(false)
        .await
        .expect("this call is lenient");
    assert!(!phone.reserved);
}

#[tokio::test]
async fn a_listed_status_whose_body_is_not_clerk_errors_is_a_decode_error() {
    let (server, clerk) = setup().await;
    respond_raw(&server, 404, "<html>Not Found</html>", "text/html").await;
    let error = call_once(&server, &clerk, "get").await.expect_err("must fail");
    let Error::Decode(decode) = &error else {
        panic!("expected Error::Decode, got {error:?}");
    };
    assert_eq!(decode.status().as_u16(), 404);
    assert_eq!(decode.body(), "<html>Not Found</html>");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
}

#[tokio::test]
async fn connection_refused_is_a_transport_error() {
    let (_reserved, address) = common::refusing_address();
    let clerk = common::builder_at(address)
        .retries(clerk_sdk::RetryConfig::none())
        .build()
        .expect("client builds");
    let error = call(&clerk, "get").await.expect_err("must fail");
    assert_no_secret(&error);
    assert!(
        matches!(
            error,
            Error::Transport {
                operation: "GetPhoneNumber",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(
        error.to_string().starts_with("GetPhoneNumber: could not connect"),
        "{error}"
    );
    assert_eq!(error.status(), None);
}
