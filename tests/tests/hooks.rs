//! Each hook point: `before_request` may change or refuse the request, `after_success` and
//! `after_error` see the outcome of every attempt, and hooks run in registration order.

mod common;

use std::sync::{Arc, Mutex};

use clerk_sdk::Error;
use clerk_sdk::hooks::{AttemptFailure, HookContext, HookError, HookResponse, Hooks};
use common::{builder, clerk_errors_json, phone_number_json, request_count, respond_json, the_request};
use wiremock::MockServer;

/// Adds a header to every request.
struct AddHeader(&'static str, &'static str);

impl Hooks for AddHeader {
    fn before_request(&self, _: &HookContext, request: &mut reqwest::Request) -> Result<(), HookError> {
        request.headers_mut().insert(self.0, self.1.parse()?);
        Ok(())
    }
}

/// Refuses every request.
struct Refuse;

impl Hooks for Refuse {
    fn before_request(&self, _: &HookContext, _: &mut reqwest::Request) -> Result<(), HookError> {
        Err("blocked by policy".into())
    }
}

/// Records what each hook point saw, tagged with the hook's name.
#[derive(Clone)]
struct Named(&'static str, Arc<Mutex<Vec<String>>>);

impl Hooks for Named {
    fn before_request(&self, context: &HookContext, request: &mut reqwest::Request) -> Result<(), HookError> {
        let entry = format!(
            "{} before {} {} {} {}",
            self.0,
            context.operation_id,
            context.method,
            context.path_template,
            request.url().path()
        );
        self.1.lock().expect("not poisoned").push(entry);
        Ok(())
    }

    fn after_success(&self, context: &HookContext, response: &HookResponse<'_>) {
        let body: serde_json::Value = serde_json::from_slice(response.body).unwrap_or_default();
        let entry = format!(
            "{} success #{} {} {}",
            self.0,
            context.attempt,
            response.status.as_u16(),
            body["object"]
        );
        self.1.lock().expect("not poisoned").push(entry);
    }

    fn after_error(&self, context: &HookContext, failure: &AttemptFailure<'_>) {
        let entry = match failure {
            AttemptFailure::Status(response) => {
                let trace = response
                    .headers
                    .get("x-trace")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                format!(
                    "{} error #{} {} {trace}",
                    self.0,
                    context.attempt,
                    response.status.as_u16()
                )
            }
            _ => format!("{} error #{} other", self.0, context.attempt),
        };
        self.1.lock().expect("not poisoned").push(entry);
    }
}

#[tokio::test]
async fn before_request_can_add_a_header() {
    let server = MockServer::start().await;
    respond_json(&server, 200, phone_number_json()).await;
    let clerk = builder(&server)
        .hook(AddHeader("x-correlation-id", "corr-7"))
        .build()
        .expect("builds");
    clerk.phone_numbers().get("phone_1").await.expect("succeeds");
    assert_eq!(the_request(&server).await.header("x-correlation-id"), Some("corr-7"));
}

#[tokio::test]
async fn before_request_can_refuse_and_nothing_is_sent() {
    let server = MockServer::start().await;
    respond_json(&server, 200, phone_number_json()).await;
    let clerk = builder(&server).hook(Refuse).build().expect("builds");
    let error = clerk.phone_numbers().get("phone_1").await.expect_err("refused");
    assert!(
        matches!(
            error,
            Error::Hook {
                operation: "GetPhoneNumber",
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "GetPhoneNumber: a hook refused the request: blocked by policy"
    );
    assert_eq!(request_count(&server).await, 0);
}

#[tokio::test]
async fn after_success_and_after_error_see_each_outcome_in_registration_order() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let server = MockServer::start().await;
    let clerk = builder(&server)
        .retries(clerk_sdk::RetryConfig::none())
        .hook(Named("first", log.clone()))
        .hook(Named("second", log.clone()))
        .build()
        .expect("builds");

    respond_json(&server, 200, phone_number_json()).await;
    clerk.phone_numbers().get("phone_1").await.expect("succeeds");

    server.reset().await;
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(
            wiremock::ResponseTemplate::new(404)
                .set_body_json(clerk_errors_json("resource_not_found", "t"))
                .insert_header("x-trace", "t-404"),
        )
        .mount(&server)
        .await;
    clerk.phone_numbers().delete("phone_2").await.expect_err("404");

    assert_eq!(
        *log.lock().expect("not poisoned"),
        [
            "first before GetPhoneNumber GET /phone_numbers/{phone_number_id} /v1/phone_numbers/phone_1",
            "second before GetPhoneNumber GET /phone_numbers/{phone_number_id} /v1/phone_numbers/phone_1",
            "first success #1 200 \"phone_number\"",
            "second success #1 200 \"phone_number\"",
            "first before DeletePhoneNumber DELETE /phone_numbers/{phone_number_id} /v1/phone_numbers/phone_2",
            "second before DeletePhoneNumber DELETE /phone_numbers/{phone_number_id} /v1/phone_numbers/phone_2",
            "first error #1 404 t-404",
            "second error #1 404 t-404",
        ]
    );
}
