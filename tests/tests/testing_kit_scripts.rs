//! The testing kit as a first-time user meets it: a script is served as written or refused, a
//! "Clerk is down" test ends quickly after real retries, a request the mock cannot answer is
//! never mistaken for Clerk's answer, one ordered log across operations, responses computed
//! from the request, and a blocking mock started from anywhere.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Instant;

use clerk_sdk::Error;
use clerk_sdk::models::{ClerkError, ClerkErrors, CreatePhoneNumberRequest, UpdatePhoneNumberRequest};
use clerk_sdk::runtime::testing::{AnsweredBy, MOCK_MAX_ATTEMPTS};
use clerk_sdk::testing::wiremock::{self, ResponseTemplate};
use clerk_sdk::testing::{CreatePhoneNumber, MockClerk, UpdatePhoneNumber, fixtures};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

mod common;

/// The message of a panic caught by `catch_unwind` or a task's `JoinError`.
fn panic_message(panic: Box<dyn std::any::Any + Send>) -> String {
    match panic.downcast::<String>() {
        Ok(message) => *message,
        Err(panic) => panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .unwrap_or_default(),
    }
}

#[tokio::test]
async fn a_response_without_a_count_before_another_is_served_once() {
    let mock = MockClerk::start().await;
    // No `.times(1)` on the 503: it is still served, once.
    mock.phone_numbers().get().status(503).returns(fixtures::phone_number());
    let clerk = mock.clerk();

    assert_eq!(
        clerk.phone_numbers().get("a").await.expect("after one retry"),
        fixtures::phone_number()
    );
    assert_eq!(
        mock.phone_numbers().get().received().len(),
        2,
        "the 503, then the value"
    );
    mock.verify();

    // Written but never asked for, the 503 fails the test.
    mock.reset();
    mock.phone_numbers().get().status(503).returns(fixtures::phone_number());
    let report = mock.check().expect_err("the 503 never came");
    assert!(
        report.contains("response 1 (503) expected 1 time(s), given 0"),
        "{report}"
    );
    mock.reset();
}

#[tokio::test]
async fn times_zero_is_refused_with_what_to_write() {
    let mock = MockClerk::start().await;
    let refused = catch_unwind(AssertUnwindSafe(|| {
        mock.phone_numbers().get().status(503).times(0);
    }));
    let message = panic_message(refused.expect_err("times(0) is refused"));
    assert!(message.contains(".never()"), "{message}");
    mock.reset();
}

#[tokio::test]
async fn a_request_an_expectation_forbids_fails_the_call_and_the_test() {
    let mock = MockClerk::start().await;
    // The newest expectation that matches a request answers it, so the exception comes last.
    mock.phone_numbers().delete().returns(fixtures::deleted_object());
    mock.phone_numbers().delete().phone_number_id("phone_keep").never();
    let clerk = mock.clerk();
    clerk
        .phone_numbers()
        .delete("phone_other")
        .await
        .expect("another number may go");

    let call = tokio::spawn(async move { clerk.phone_numbers().delete("phone_keep").await });
    let panic = call.await.expect_err("the call panics at once").into_panic();
    let message = panic_message(panic);
    assert!(message.contains("DELETE /phone_numbers/phone_keep"), "{message}");
    assert!(message.contains("says it never does"), "{message}");

    let report = mock.check().expect_err("the forbidden request came");
    assert!(report.contains("Requests the expectations refused"), "{report}");
    assert_eq!(
        mock.phone_numbers()
            .delete()
            .phone_number_id("phone_keep")
            .received()
            .len(),
        1,
        "tried once: the mock's answer is never retried"
    );
    mock.reset();
}

#[tokio::test]
async fn never_cannot_follow_a_response() {
    let mock = MockClerk::start().await;
    let refused = catch_unwind(AssertUnwindSafe(|| {
        mock.phone_numbers().get().status(503).never();
    }));
    let message = panic_message(refused.expect_err("refused"));
    assert!(message.contains("never() cannot follow a response"), "{message}");
    let refused = catch_unwind(AssertUnwindSafe(|| {
        mock.phone_numbers().get().never().times(2);
    }));
    let message = panic_message(refused.expect_err("refused"));
    assert!(message.contains("never() gives none"), "{message}");
    mock.reset();
}

#[tokio::test]
async fn clerk_is_down_ends_after_a_few_real_retries() {
    let mock = MockClerk::start().await;
    mock.phone_numbers().get().status(500);
    let clerk = mock.clerk();

    let started = Instant::now();
    let error = clerk.phone_numbers().get("a").await.expect_err("Clerk is down");
    let elapsed = started.elapsed();
    assert!(
        matches!(&error, Error::UnexpectedStatus(e) if e.status().as_u16() == 500),
        "{error:?}"
    );
    let attempts = mock.phone_numbers().get().received().len();
    assert_eq!(
        attempts, MOCK_MAX_ATTEMPTS as usize,
        "the retries ran, and stopped at the limit"
    );
    // The count is what bounds the time: 3 waits of at most 5 ms each, not a 10 s budget.
    println!("an always-500 GET took {elapsed:?} over {attempts} attempts");
}

#[tokio::test]
async fn an_unmatched_request_is_not_mistaken_for_a_clerk_404() {
    let mock = MockClerk::start().await;
    mock.phone_numbers()
        .get()
        .phone_number_id("phone_1")
        .returns(fixtures::phone_number());

    // Through the mock's own client, the call panics there, with the report.
    let clerk = mock.clerk();
    let call = tokio::spawn(async move { clerk.phone_numbers().get("phone_2").await });
    let message = panic_message(call.await.expect_err("panics at the call").into_panic());
    assert!(
        message.contains("the mock has no expectation for GET /phone_numbers/phone_2"),
        "{message}"
    );
    assert!(message.contains("where phone_number_id = \"phone_1\""), "{message}");

    // Any other client gets a status Clerk never sends, not a 404.
    let error = common::plain_client_of(&mock)
        .phone_numbers()
        .get("phone_3")
        .await
        .expect_err("not answered");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(421), "{error:?}");
    assert!(error.to_string().contains("mock_failure"), "{error}");
    mock.reset();
}

#[tokio::test]
async fn one_ordered_log_across_operations_and_the_raw_server() {
    let mock = MockClerk::start().await;
    let invalid = ClerkErrors::new(vec![ClerkError::new("invalid", "Invalid.", "form_param_invalid")]);
    mock.phone_numbers().update().fails(422, invalid);
    mock.phone_numbers().delete().returns(fixtures::deleted_object());
    wiremock::Mock::given(wiremock::matchers::path("/phone_numbers/raw"))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixtures::phone_number()))
        .mount(mock.server())
        .await;
    let clerk = mock.clerk();

    let request = UpdatePhoneNumberRequest::default().primary(true);
    clerk.phone_numbers().update("phone_1", request).await.expect_err("422");
    clerk.phone_numbers().get("raw").await.expect("the raw mock answers");
    clerk.phone_numbers().delete("phone_1").await.expect("the rollback");

    let log = mock.requests();
    let seen: Vec<(&str, Option<&str>)> = log.iter().map(|r| (r.method.as_str(), r.operation)).collect();
    assert_eq!(
        seen,
        [
            ("PATCH", Some("UpdatePhoneNumber")),
            ("GET", None),
            ("DELETE", Some("DeletePhoneNumber"))
        ]
    );
    assert_eq!(log[0].answered_by, AnsweredBy::Expectation(0));
    assert_eq!(log[1].answered_by, AnsweredBy::Server);
    let update = log[0]
        .as_request_of::<UpdatePhoneNumber>()
        .expect("an update")
        .expect("decodes");
    assert_eq!(update.body.primary, clerk_sdk::Nullable::Value(true));
    assert!(log[1].as_request_of::<UpdatePhoneNumber>().is_none());
    assert!(!format!("{log:?}").contains(clerk_sdk::runtime::testing::TEST_CREDENTIAL));
    // An operation's `received` holds what the raw server answered too.
    let gets = mock.expect::<clerk_sdk::testing::GetPhoneNumber>().received();
    assert_eq!(gets.len(), 1);
    mock.verify();
}

#[tokio::test]
async fn a_response_computed_from_the_typed_request() {
    let mock = MockClerk::start().await;
    mock.phone_numbers().create().returns_with(|request| {
        let mut phone = fixtures::phone_number();
        phone.phone_number = request.body.phone_number.clone();
        phone
    });
    let clerk = mock.clerk();
    for number in ["+15555550101", "+15555550102"] {
        let created = clerk
            .phone_numbers()
            .create(CreatePhoneNumberRequest::new("user_1", number))
            .await
            .expect("created");
        assert_eq!(created.phone_number, number);
    }
    assert_eq!(mock.expect::<CreatePhoneNumber>().received().len(), 2);
    mock.verify();
}

#[tokio::test]
async fn a_computed_response_that_cannot_read_the_request_fails_the_test() {
    let mock = MockClerk::start().await;
    mock.phone_numbers().create().returns_with(|_| fixtures::phone_number());
    // The SDK only sends bodies that decode, so this one is written by hand.
    let address = mock.uri().trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(address).await.expect("connects");
    let request =
        "POST /phone_numbers HTTP/1.1\r\nHost: mock\r\nContent-Length: 8\r\nConnection: close\r\n\r\nnot json";
    stream.write_all(request.as_bytes()).await.expect("sent");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.expect("an answer");
    assert!(answer.starts_with("HTTP/1.1 421"), "{answer}");
    let report = mock.check().expect_err("the body did not decode");
    assert!(report.contains("could not compute its response"), "{report}");
    mock.reset();
}

#[tokio::test]
async fn start_blocking_works_inside_a_runtime() {
    let mock = MockClerk::start_blocking();
    mock.phone_numbers().get().returns(fixtures::phone_number());
    assert_eq!(
        mock.clerk().phone_numbers().get("a").await.expect("found"),
        fixtures::phone_number()
    );
    mock.verify();
}

#[test]
fn the_kit_reexports_the_wiremock_it_uses() {
    let mock = MockClerk::start_blocking();
    mock.phone_numbers()
        .get()
        .respond_with(ResponseTemplate::new(200).set_body_json(fixtures::phone_number()));
    let clerk = mock.blocking_clerk();
    assert_eq!(
        clerk.phone_numbers().get("a").send().expect("found"),
        fixtures::phone_number()
    );
}

#[test]
fn the_readme_says_which_features_the_blocking_mock_needs() {
    let readme = include_str!("../../README.md");
    let section = readme
        .split("## Testing your application")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("the README's testing section");
    assert!(
        section.contains("MockClerk::start_blocking()"),
        "the section offers the blocking mock"
    );
    assert!(
        section.contains(r#"features = ["testing", "blocking"]"#),
        "and says which features it needs"
    );
}

#[test]
fn an_unmatched_request_of_the_blocking_client_panics_at_the_call_too() {
    let mock = MockClerk::start_blocking();
    let clerk = mock.blocking_clerk();
    let call = catch_unwind(AssertUnwindSafe(|| clerk.phone_numbers().get("phone_2").send()));
    let message = panic_message(call.expect_err("panics at the call"));
    assert!(
        message.contains("the mock has no expectation for GET /phone_numbers/phone_2"),
        "{message}"
    );
    mock.reset();
}
