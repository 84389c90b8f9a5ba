//! The testing kit (`clerk_sdk::testing`), as an application's tests use it: a typed mock of
//! every phone_numbers operation, each test checking that the SDK's request is the one
//! expected (a different one matches nothing and fails), typed fixtures, scripted retries and
//! the reports of a mock that was not used as expected.

use std::panic::{AssertUnwindSafe, catch_unwind};

use clerk_sdk::models::{
    AttemptPhoneNumberVerificationRequest, ClerkError, ClerkErrors, CreatePhoneNumberRequest, UpdatePhoneNumberRequest,
};
use clerk_sdk::runtime::testing::TEST_CREDENTIAL;
use clerk_sdk::testing::{MockClerk, fixtures};
use clerk_sdk::{Error, Nullable};

mod common;

fn not_found() -> ClerkErrors {
    ClerkErrors::new(vec![ClerkError::new(
        "not found",
        "No phone number with that id.",
        "resource_not_found",
    )])
}

#[tokio::test]
async fn create_sends_the_expected_body_and_returns_the_scripted_phone_number() {
    let mock = MockClerk::start().await;
    let request = CreatePhoneNumberRequest::new("user_1", "+15555550100").verified(true);
    let phone = fixtures::phone_number();
    mock.phone_numbers()
        .create()
        .body(request.clone())
        .returns(phone.clone());
    let clerk = mock.clerk();

    assert_eq!(clerk.phone_numbers().create(request).await.expect("created"), phone);
    // Another body matches nothing: the call fails, and so would the mock when dropped.
    let other = CreatePhoneNumberRequest::new("user_2", "+15555550100");
    let plain = common::plain_client_of(&mock);
    assert!(plain.phone_numbers().create(other).await.is_err());
    assert!(mock.check().is_err_and(|report| report.contains("POST /phone_numbers")));
    mock.reset(); // the failure was the point
}

#[tokio::test]
async fn get_and_delete_match_their_path_parameter() {
    let mock = MockClerk::start().await;
    let phone = fixtures::phone_number();
    mock.phone_numbers()
        .get()
        .phone_number_id("phone_1")
        .returns(phone.clone());
    mock.phone_numbers()
        .delete()
        .phone_number_id("phone 1/2")
        .returns(fixtures::deleted_object());
    let clerk = mock.clerk();

    assert_eq!(clerk.phone_numbers().get("phone_1").await.expect("found"), phone);
    let deleted = clerk.phone_numbers().delete("phone 1/2").await.expect("deleted");
    assert_eq!(deleted, fixtures::deleted_object());
    assert_eq!(
        mock.phone_numbers().delete().received()[0].path_params["phone_number_id"],
        "phone 1/2"
    );

    let plain = common::plain_client_of(&mock);
    let error = plain.phone_numbers().get("phone_2").await.expect_err("no expectation");
    assert!(error.to_string().contains("GET /phone_numbers/phone_2"), "{error}");
    let report = mock.check().expect_err("one request matched nothing");
    assert!(report.contains("GET /phone_numbers/phone_2 without a body"), "{report}");
    assert!(
        report.contains("GetPhoneNumber (GET /phone_numbers/{phone_number_id}) where phone_number_id = \"phone_1\"")
    );
    mock.reset();
}

#[tokio::test]
async fn update_is_read_back_with_its_three_state_fields_told_apart() {
    let mock = MockClerk::start().await;
    mock.phone_numbers()
        .update()
        .phone_number_id("phone_1")
        .returns(fixtures::phone_number());
    let clerk = mock.clerk();
    let request = UpdatePhoneNumberRequest::default()
        .verified(Nullable::Null)
        .primary(true);

    clerk
        .phone_numbers()
        .update("phone_1", request.clone())
        .await
        .expect("updated");

    let received = mock.phone_numbers().update().received();
    assert_eq!(received.len(), 1);
    let body = &received[0].body;
    assert_eq!(body.verified, Nullable::Null, "sent as null");
    assert_eq!(body.primary, Nullable::Value(true), "sent with a value");
    assert_eq!(body.reserved_for_second_factor, Nullable::Unset, "not sent");
    assert_eq!(body, &request);
    assert!(
        received[0].headers.get("authorization").is_none(),
        "credentials are taken out"
    );
}

#[tokio::test]
async fn verification_operations_match_their_bodies() {
    let mock = MockClerk::start().await;
    let verification = fixtures::verification_response();
    mock.phone_numbers()
        .prepare_verification()
        .phone_number_id("phone_1")
        .returns(verification.clone());
    let attempt = AttemptPhoneNumberVerificationRequest::new("ver_1", "123456");
    mock.phone_numbers()
        .attempt_verification()
        .phone_number_id("phone_1")
        .body_where("the code has six digits", |body| body.code.len() == 6)
        .returns(verification.clone());
    let clerk = mock.clerk();

    assert_eq!(
        clerk
            .phone_numbers()
            .prepare_verification("phone_1")
            .await
            .expect("prepared"),
        verification
    );
    let attempted = clerk
        .phone_numbers()
        .attempt_verification("phone_1", attempt.clone())
        .await;
    assert_eq!(attempted.expect("attempted"), verification);
    let wrong = AttemptPhoneNumberVerificationRequest::new("ver_1", "12");
    let plain = common::plain_client_of(&mock);
    assert!(
        plain
            .phone_numbers()
            .attempt_verification("phone_1", wrong)
            .await
            .is_err()
    );
    let report = mock.check().expect_err("the short code matched nothing");
    assert!(
        report.contains("where phone_number_id = \"phone_1\" and the code has six digits"),
        "{report}"
    );
    assert_eq!(mock.phone_numbers().attempt_verification().received()[0].body, attempt);
    mock.reset();
}

#[tokio::test]
async fn a_typed_error_and_a_scripted_retry() {
    let mock = MockClerk::start().await;
    mock.phone_numbers()
        .get()
        .phone_number_id("missing")
        .fails(404, not_found());
    mock.phone_numbers()
        .get()
        .phone_number_id("flaky")
        .status(503)
        .times(2)
        .returns(fixtures::phone_number());
    let clerk = mock.clerk();

    let Error::Api(error) = clerk.phone_numbers().get("missing").await.expect_err("404") else {
        panic!("expected the typed error");
    };
    assert_eq!(error.status().as_u16(), 404);
    assert_eq!(error.errors(), &not_found());
    assert_eq!(
        clerk.phone_numbers().get("flaky").await.expect("after two retries"),
        fixtures::phone_number()
    );
    assert_eq!(mock.phone_numbers().get().phone_number_id("flaky").received().len(), 3);
    mock.verify();
}

#[tokio::test]
async fn a_counted_response_that_did_not_come_fails_verification() {
    let mock = MockClerk::start().await;
    mock.phone_numbers()
        .delete()
        .status(503)
        .times(2)
        .returns(fixtures::deleted_object());
    let clerk = mock.clerk().clone();
    let _ = clerk
        .phone_numbers()
        .delete("phone_1")
        .retries(clerk_sdk::RetryConfig::none())
        .await;

    let report = mock.check().expect_err("one 503 was not asked for");
    assert!(
        report.contains("response 1 (503) expected 2 time(s), given 1"),
        "{report}"
    );
    let dropped = catch_unwind(AssertUnwindSafe(move || drop(mock)));
    let message = dropped.expect_err("the mock fails the test when dropped");
    let message = message.downcast_ref::<String>().expect("a message");
    assert!(message.contains("expected 2 time(s)"), "{message}");
    assert!(
        !message.contains(TEST_CREDENTIAL),
        "the credential is never in a report"
    );
}

#[tokio::test]
async fn reports_never_contain_the_credential() {
    let mock = MockClerk::start().await;
    let clerk = common::plain_client_of(&mock);
    let error = clerk
        .phone_numbers()
        .get("phone_1")
        .await
        .expect_err("nothing expected");
    let report = mock.check().expect_err("unmatched");
    for text in [error.to_string(), format!("{error:?}"), report] {
        assert!(text.contains("phone_1"), "{text}");
        assert!(!text.contains(TEST_CREDENTIAL), "{text}");
    }
    mock.reset();
}

#[tokio::test]
async fn raw_wiremock_mocks_answer_before_typed_expectations() {
    let mock = MockClerk::start().await;
    mock.phone_numbers().get().returns(fixtures::phone_number());
    wiremock::Mock::given(wiremock::matchers::path("/phone_numbers/raw"))
        .respond_with(wiremock::ResponseTemplate::new(418))
        .mount(mock.server())
        .await;
    let clerk = mock.clerk();

    let error = clerk.phone_numbers().get("raw").await.expect_err("the raw mock's 418");
    assert!(
        matches!(error, Error::UnexpectedStatus(ref e) if e.status().as_u16() == 418),
        "{error:?}"
    );
    let typed = clerk
        .phone_numbers()
        .get("typed")
        .await
        .expect("the typed expectation answers");
    assert_eq!(typed, fixtures::phone_number());
}

#[test]
fn the_blocking_client_works_with_a_mock_started_without_a_runtime() {
    let mock = MockClerk::start_blocking();
    mock.phone_numbers()
        .get()
        .phone_number_id("phone_1")
        .returns(fixtures::phone_number());
    let clerk = mock.blocking_clerk();

    assert_eq!(
        clerk.phone_numbers().get("phone_1").send().expect("found"),
        fixtures::phone_number()
    );
    mock.verify();
}

#[test]
fn every_fixture_round_trips_through_json() {
    // One per model of the slice: 48 types (19 of the phone numbers, 18 of the JWKS, 11 of
    // the three machine-token verify operations).
    assert_eq!(fixtures::check_all(), Ok(48));
    let phone = fixtures::phone_number();
    assert_eq!(
        phone.phone_number, "+15555550100",
        "made up in the form its name suggests"
    );
    assert!(phone.verification.is_some(), "optional fields are filled too");
}
