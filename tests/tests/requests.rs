//! What the SDK sends, for every phone_numbers operation: method, path, headers and the exact
//! JSON body, including each state of every three-state field.

mod common;

use clerk_sdk::models::{AttemptPhoneNumberVerificationRequest, CreatePhoneNumberRequest, UpdatePhoneNumberRequest};
use clerk_sdk::{Error, Nullable};
use common::{SECRET_KEY, phone_number_json, request_count, respond_json, setup, the_request, verification_json};
use serde_json::json;

/// Headers every request carries, whatever the operation.
fn assert_common_headers(sent: &common::Sent, has_body: bool) {
    assert_eq!(
        sent.header("authorization"),
        Some(format!("Bearer {SECRET_KEY}").as_str())
    );
    assert_eq!(sent.header("clerk-api-version"), Some(clerk_sdk::API_VERSION));
    assert_eq!(
        clerk_sdk::API_VERSION,
        "2026-05-12",
        "taken from the spec's info.version"
    );
    let agent = sent.header("user-agent").unwrap_or_default();
    let products: Vec<(&str, &str)> = agent.split(' ').filter_map(|product| product.split_once('/')).collect();
    let names: Vec<&str> = products.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        names,
        ["clerk-sdk", "clerk-sdk-runtime"],
        "user-agent names the crate, then the runtime: {agent}"
    );
    assert!(
        products
            .iter()
            .all(|(_, v)| !v.is_empty() && v.split('.').all(|n| n.parse::<u32>().is_ok())),
        "each with its version: {agent}"
    );
    assert_eq!(sent.header("accept"), Some("application/json"));
    let content_type = sent.header("content-type");
    if has_body {
        assert_eq!(content_type, Some("application/json"));
    } else {
        assert_eq!(content_type, None);
        assert_eq!(sent.body, None);
    }
    assert_eq!(sent.query, None);
}

#[tokio::test]
async fn create_sends_post_with_required_fields_only() {
    let (server, clerk) = setup().await;
    respond_json(&server, 200, phone_number_json()).await;

    clerk
        .phone_numbers()
        .create(CreatePhoneNumberRequest::new("usr_12345", "+11234567890"))
        .await
        .expect("create succeeds");

    let sent = the_request(&server).await;
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.path, "/v1/phone_numbers");
    assert_common_headers(&sent, true);
    assert_eq!(
        sent.body,
        Some(json!({"user_id": "usr_12345", "phone_number": "+11234567890"}))
    );
}

#[tokio::test]
async fn create_sends_values_and_nulls_as_set() {
    let (server, clerk) = setup().await;
    respond_json(&server, 200, phone_number_json()).await;

    let body = CreatePhoneNumberRequest::new("usr_12345", "+11234567890")
        .verified(true)
        .primary(false)
        .reserved_for_second_factor(Nullable::Null);
    clerk.phone_numbers().create(body).await.expect("create succeeds");

    let sent = the_request(&server).await;
    assert_eq!(
        sent.body,
        Some(json!({
            "user_id": "usr_12345",
            "phone_number": "+11234567890",
            "verified": true,
            "primary": false,
            "reserved_for_second_factor": null
        }))
    );
}

#[tokio::test]
async fn create_three_state_fields_each_state() {
    // For each three-state field alone: unset leaves it out, Null sends null, a value sends it.
    type Setter = fn(CreatePhoneNumberRequest, Nullable<bool>) -> CreatePhoneNumberRequest;
    let fields: [(&str, Setter); 3] = [
        ("verified", |b, v| b.verified(v)),
        ("primary", |b, v| b.primary(v)),
        ("reserved_for_second_factor", |b, v| b.reserved_for_second_factor(v)),
    ];
    for (name, set) in fields {
        for (state, expected) in [
            (Nullable::Unset, None),
            (Nullable::Null, Some(json!(null))),
            (Nullable::Value(true), Some(json!(true))),
        ] {
            let (server, clerk) = setup().await;
            respond_json(&server, 200, phone_number_json()).await;
            let body = set(CreatePhoneNumberRequest::new("usr_1", "+1"), state);
            clerk.phone_numbers().create(body).await.expect("create succeeds");

            let mut want = json!({"user_id": "usr_1", "phone_number": "+1"});
            if let Some(value) = expected {
                want[name] = value;
            }
            assert_eq!(the_request(&server).await.body, Some(want), "{name} = {state:?}");
        }
    }
}

#[tokio::test]
async fn get_sends_get_without_body() {
    let (server, clerk) = setup().await;
    respond_json(&server, 200, phone_number_json()).await;

    clerk.phone_numbers().get("phone_12345").await.expect("get succeeds");

    let sent = the_request(&server).await;
    assert_eq!(sent.method, "GET");
    assert_eq!(sent.path, "/v1/phone_numbers/phone_12345");
    assert_common_headers(&sent, false);
}

#[tokio::test]
async fn delete_sends_delete_without_body() {
    let (server, clerk) = setup().await;
    respond_json(
        &server,
        200,
        json!({"object": "phone_number", "id": "phone_12345", "deleted": true}),
    )
    .await;

    let deleted = clerk
        .phone_numbers()
        .delete("phone_12345")
        .await
        .expect("delete succeeds");
    assert!(deleted.deleted);
    assert_eq!(deleted.id.as_deref(), Some("phone_12345"));

    let sent = the_request(&server).await;
    assert_eq!(sent.method, "DELETE");
    assert_eq!(sent.path, "/v1/phone_numbers/phone_12345");
    assert_common_headers(&sent, false);
}

#[tokio::test]
async fn update_sends_patch_with_only_the_fields_set() {
    let (server, clerk) = setup().await;
    respond_json(&server, 200, phone_number_json()).await;

    let body = UpdatePhoneNumberRequest::default().verified(false).primary(true);
    clerk
        .phone_numbers()
        .update("phone_12345", body)
        .await
        .expect("update succeeds");

    let sent = the_request(&server).await;
    assert_eq!(sent.method, "PATCH");
    assert_eq!(sent.path, "/v1/phone_numbers/phone_12345");
    assert_common_headers(&sent, true);
    assert_eq!(sent.body, Some(json!({"verified": false, "primary": true})));
}

#[tokio::test]
async fn update_three_state_fields_each_state() {
    type Setter = fn(UpdatePhoneNumberRequest, Nullable<bool>) -> UpdatePhoneNumberRequest;
    let fields: [(&str, Setter); 3] = [
        ("verified", |b, v| b.verified(v)),
        ("primary", |b, v| b.primary(v)),
        ("reserved_for_second_factor", |b, v| b.reserved_for_second_factor(v)),
    ];
    for (name, set) in fields {
        for (state, expected) in [
            (Nullable::Unset, json!({})),
            (Nullable::Null, json!({name: null})),
            (Nullable::Value(false), json!({name: false})),
        ] {
            let (server, clerk) = setup().await;
            respond_json(&server, 200, phone_number_json()).await;
            let body = set(UpdatePhoneNumberRequest::default(), state);
            clerk
                .phone_numbers()
                .update("phone_1", body)
                .await
                .expect("update succeeds");
            assert_eq!(the_request(&server).await.body, Some(expected), "{name} = {state:?}");
        }
    }
}

#[tokio::test]
async fn prepare_verification_sends_post_without_body() {
    let (server, clerk) = setup().await;
    respond_json(&server, 200, verification_json("unverified")).await;

    clerk
        .phone_numbers()
        .prepare_verification("phone_12345")
        .await
        .expect("prepare succeeds");

    let sent = the_request(&server).await;
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.path, "/v1/phone_numbers/phone_12345/prepare_verification");
    assert_common_headers(&sent, false);
}

#[tokio::test]
async fn attempt_verification_sends_post_with_code() {
    let (server, clerk) = setup().await;
    respond_json(&server, 200, verification_json("verified")).await;

    let body = AttemptPhoneNumberVerificationRequest::new("ver_123", "424242");
    clerk
        .phone_numbers()
        .attempt_verification("phone_12345", body)
        .await
        .expect("attempt succeeds");

    let sent = the_request(&server).await;
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.path, "/v1/phone_numbers/phone_12345/attempt_verification");
    assert_common_headers(&sent, true);
    assert_eq!(sent.body, Some(json!({"verification_id": "ver_123", "code": "424242"})));
}

#[tokio::test]
async fn path_parameters_stay_in_their_segment() {
    for (id, wire) in [
        ("../users/user_1", "/v1/phone_numbers/..%2Fusers%2Fuser_1"),
        ("a/b?c=d#e", "/v1/phone_numbers/a%2Fb%3Fc%3Dd%23e"),
        ("100% sure", "/v1/phone_numbers/100%25%20sure"),
        ("..%2F", "/v1/phone_numbers/..%252F"),
    ] {
        let (server, clerk) = setup().await;
        respond_json(&server, 200, phone_number_json()).await;
        clerk.phone_numbers().get(id).await.expect("get succeeds");
        assert_eq!(the_request(&server).await.path, wire, "id {id:?}");
    }
}

#[tokio::test]
async fn empty_or_dot_ids_fail_before_sending() {
    let (server, clerk) = setup().await;
    respond_json(&server, 200, phone_number_json()).await;

    for id in ["", ".", ".."] {
        let error = clerk.phone_numbers().get(id).await.expect_err("refused");
        assert!(
            matches!(
                error,
                Error::InvalidRequest {
                    operation: "GetPhoneNumber",
                    ..
                }
            ),
            "{error:?}"
        );
        let error = clerk
            .phone_numbers()
            .update(id, UpdatePhoneNumberRequest::default())
            .await
            .expect_err("refused");
        assert!(
            matches!(
                error,
                Error::InvalidRequest {
                    operation: "UpdatePhoneNumber",
                    ..
                }
            ),
            "{error:?}"
        );
    }
    let error = clerk.phone_numbers().delete("").await.expect_err("refused");
    assert_eq!(
        error.to_string(),
        "DeletePhoneNumber: invalid request: path parameter `phone_number_id` is empty"
    );
    assert_eq!(request_count(&server).await, 0, "nothing may reach the server");
}

#[tokio::test]
async fn server_url_without_trailing_slash_and_without_path() {
    let (server, _) = setup().await;
    respond_json(&server, 200, phone_number_json()).await;
    let clerk = clerk_sdk::Clerk::builder()
        .bearer_auth(SECRET_KEY)
        .server_url(server.uri())
        .build()
        .expect("client builds");
    clerk.phone_numbers().get("phone_1").await.expect("get succeeds");
    assert_eq!(the_request(&server).await.path, "/phone_numbers/phone_1");
}

#[tokio::test]
async fn a_custom_http_client_is_used_and_sdk_headers_still_sent() {
    let (server, _) = setup().await;
    respond_json(&server, 200, phone_number_json()).await;
    let http = reqwest::Client::builder()
        .default_headers(
            [(
                reqwest::header::HeaderName::from_static("x-app"),
                reqwest::header::HeaderValue::from_static("demo"),
            )]
            .into_iter()
            .collect(),
        )
        .build()
        .expect("reqwest client builds");
    let clerk = clerk_sdk::Clerk::builder()
        .bearer_auth(SECRET_KEY)
        .server_url(server.uri())
        .http_client(http)
        .build()
        .expect("client builds");
    clerk.phone_numbers().get("phone_1").await.expect("get succeeds");
    let sent = the_request(&server).await;
    assert_eq!(sent.header("x-app"), Some("demo"));
    assert_common_headers(&sent, false);
}

#[tokio::test]
async fn an_api_version_that_is_not_a_header_value_fails_the_call_instead_of_panicking() {
    use clerk_sdk::runtime::__private::{Method, Operation, RetryClass};
    use clerk_sdk::runtime::{Api, ApiDescription, Call, Client};
    enum BadVersion {}
    impl Api for BadVersion {
        type ErrorBody = serde_json::Value;
        const DESCRIPTION: &'static ApiDescription = &ApiDescription {
            title: "Bad version",
            package: "test-api/1.0.0",
            default_server_url: None,
            server_template: "",
            version_header: Some("2025-11-10\n"),
            schemes: &[],
            required: &[],
        };
    }
    static GET_THING: Operation = Operation {
        id: "GetThing",
        method: Method::GET,
        path: "/things",
        error_statuses: &[],
        retry: RetryClass::Idempotent,
        security: &[],
        default_errors: false,
        accept: "application/json",
    };
    let server = wiremock::MockServer::start().await;
    let client = Client::<BadVersion>::builder()
        .server_url(server.uri())
        .build()
        .expect("builds");
    let error = Call::<BadVersion, serde_json::Value>::new(&client, &GET_THING, &[])
        .await
        .expect_err("refused");
    assert_eq!(
        error.to_string(),
        "GetThing: invalid request: the API version \"2025-11-10\\n\" is not a valid header value"
    );
    assert_eq!(request_count(&server).await, 0, "nothing is sent");
}

#[tokio::test]
async fn the_accept_header_offers_the_media_types_the_responses_document() {
    use clerk_sdk::runtime::__private::{Method, Operation, RetryClass};
    use clerk_sdk::runtime::{Call, Client};
    const GET_PAGE: Operation = Operation {
        id: "GetPage",
        method: Method::GET,
        path: "/page",
        error_statuses: &[],
        retry: RetryClass::Idempotent,
        security: &[],
        default_errors: false,
        accept: "text/html, application/json",
    };
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(wiremock::ResponseTemplate::new(200).set_body_raw("<p>ok</p>", "text/html"))
        .mount(&server)
        .await;
    let client: Client<clerk_sdk::ClerkBackendApi> = clerk_sdk::Clerk::builder()
        .bearer_auth("sk_test_key")
        .server_url(server.uri())
        .build()
        .expect("builds")
        .into();
    let page = Call::<clerk_sdk::ClerkBackendApi, String>::new(&client, &GET_PAGE, &[])
        .await
        .expect("the page, as text");
    assert_eq!(page, "<p>ok</p>");
    assert_eq!(
        the_request(&server).await.header("accept"),
        Some("text/html, application/json")
    );
    // The generator only writes valid media types; a bad one is refused, not a panic.
    static BAD: Operation = Operation {
        accept: "text/html\n",
        ..GET_PAGE
    };
    let error = Call::<clerk_sdk::ClerkBackendApi, String>::new(&client, &BAD, &[])
        .await
        .expect_err("refused");
    assert_eq!(
        error.to_string(),
        "GetPage: invalid request: the Accept value \"text/html\\n\" is not a valid header value"
    );
}
