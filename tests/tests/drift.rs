//! When Clerk's responses differ from the spec: the hand-written corpus of drifted phone
//! numbers (`tests/drift/phone_numbers/`, modelled on what users of Clerk's SDKs reported), each
//! decoded leniently with exactly its deviations and refused strictly; then how deviations
//! reach an application through real calls: `Response::deviations`, the error's, the hook, the
//! testing kit's strict clients, a long list with one bad item.

mod common;

use std::path::Path;
use std::sync::{Arc, Mutex};

use clerk_sdk as api;
use clerk_sdk::hooks::{HookContext, Hooks};
use clerk_sdk::models::{ClerkErrors, PhoneNumber};
use clerk_sdk::testing::MockClerk;
use clerk_sdk::{Deviation, Error};
use common::{clerk_errors_json, phone_number_json, setup};
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, ResponseTemplate};

#[path = "../drift/runner.rs"]
mod runner;

#[path = "drift_corpus/mod.rs"]
mod drift_corpus;
use runner::format as drift_format;

#[test]
fn every_drifted_phone_number_decodes_and_reports_exactly_its_deviations() {
    let cases = runner::cases_in(&Path::new(env!("CARGO_MANIFEST_DIR")).join("drift/phone_numbers"));
    assert_eq!(cases.len(), 13, "every case file is read");
    let failures = runner::run(&cases);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_mutation_of_every_phone_number_response_schema_reports_exactly_its_deviation() {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/phone_numbers.yaml"))
        .expect("the spec");
    let spec: serde_json::Value = serde_yaml::from_str(&text).expect("YAML");
    let (samples, skipped) = drift_corpus::corpus(&spec);
    assert_eq!(
        (samples.len(), skipped),
        (7, 0),
        "PhoneNumber, DeletedObject, VerificationResponse, Jwks, and the three machine-token verify responses"
    );
    // Through JSON, as the crates generated from Clerk's whole specs read their corpus.
    let samples: Vec<runner::Sample> =
        serde_json::from_slice(&serde_json::to_vec(&samples).expect("JSON")).expect("the corpus");
    let (count, failures) = runner::run_samples(&samples);
    assert!(count > 50, "{count} bodies");
    assert!(
        failures.is_empty(),
        "{} of {count} bodies fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A phone number with three deviations: a missing field, a timestamp as a string, and a
/// verification status the enum does not list (a strategy would be none: the spec allows
/// strategies it does not list).
fn drifted_phone_number() -> serde_json::Value {
    let mut body = phone_number_json();
    body.as_object_mut().expect("object").remove("reserved");
    body["created_at"] = json!("1716883200000");
    body["verification"]["status"] = json!("brand_new");
    body
}

const DRIFTED_POINTERS: [&str; 3] = ["/reserved", "/verification/status", "/created_at"];

fn pointers(deviations: &[Deviation]) -> Vec<&str> {
    deviations.iter().map(Deviation::pointer).collect()
}

/// What `on_deviations` was told once: the operation, the attempt and the pointers.
type Told = (String, u32, Vec<String>);

/// Records what `on_deviations` was told.
#[derive(Clone, Default)]
struct Drift(Arc<Mutex<Vec<Told>>>);

impl Hooks for Drift {
    fn on_deviations(&self, context: &HookContext, deviations: &[Deviation]) {
        let pointers = deviations.iter().map(|d| d.pointer().to_owned()).collect();
        let mut seen = self.0.lock().expect("not poisoned");
        seen.push((context.operation_id.to_owned(), context.attempt, pointers));
    }
}

#[tokio::test]
async fn a_drifted_response_gives_its_value_and_tells_the_response_and_the_hook() {
    let (server, _) = setup().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(drifted_phone_number()))
        .mount(&server)
        .await;
    let drift = Drift::default();
    let clerk = common::builder(&server)
        .retries(
            clerk_sdk::RetryConfig::default()
                .jitter(false)
                .backoff(clerk_sdk::BackoffStrategy {
                    initial_interval: std::time::Duration::from_millis(1),
                    ..Default::default()
                }),
        )
        .hook(drift.clone())
        .build()
        .expect("builds");
    let response = clerk
        .phone_numbers()
        .get("phone_1")
        .send_with_response()
        .await
        .expect("decodes");
    assert_eq!(pointers(response.deviations()), DRIFTED_POINTERS);
    let phone = response.into_inner();
    assert!(!phone.reserved);
    assert_eq!(phone.created_at, 1_716_883_200_000);
    let seen = drift.0.lock().expect("not poisoned").clone();
    let expected: Vec<String> = DRIFTED_POINTERS.iter().map(|p| (*p).to_owned()).collect();
    assert_eq!(
        seen,
        [("GetPhoneNumber".to_owned(), 2, expected)],
        "once, for the attempt that got it"
    );

    // `send` reports them to the hook too; a conforming response tells it nothing.
    clerk.phone_numbers().get("phone_1").await.expect("decodes");
    assert_eq!(drift.0.lock().expect("not poisoned").len(), 2);
}

#[tokio::test]
async fn a_drifted_error_body_is_still_the_typed_error() {
    let (server, _) = setup().await;
    let mut body = clerk_errors_json("resource_not_found", "trace_9");
    body["errors"][0]
        .as_object_mut()
        .expect("object")
        .remove("long_message");
    body["errors"][0]["meta"] = json!("not an object");
    Mock::given(any())
        .respond_with(ResponseTemplate::new(404).set_body_json(body))
        .mount(&server)
        .await;
    let drift = Drift::default();
    let clerk = common::builder(&server).hook(drift.clone()).build().expect("builds");
    let error = clerk.phone_numbers().get("phone_1").await.expect_err("a 404");
    let Error::Api(api_error) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api_error.status(), 404);
    assert_eq!(api_error.code(), Some("resource_not_found"));
    assert_eq!(error.clerk_trace_id(), Some("trace_9"));
    assert_eq!(
        pointers(api_error.deviations()),
        ["/errors/0/long_message", "/errors/0/meta"]
    );
    assert_eq!(api_error.errors().errors[0].long_message, "");
    assert_eq!(drift.0.lock().expect("not poisoned").len(), 1);
    let strict = clerk
        .phone_numbers()
        .get("phone_1")
        .strict_responses(true)
        .await
        .expect_err("refused");
    assert!(
        matches!(&strict, Error::Decode(d) if d.status() == 404 && d.deviations().len() == 2),
        "{strict:?}"
    );
}

#[test]
fn one_bad_item_in_a_list_of_500_costs_only_itself() {
    let mut items: Vec<serde_json::Value> = (0..500)
        .map(|i| {
            let mut phone = phone_number_json();
            phone["id"] = json!(format!("idn_{i}"));
            phone
        })
        .collect();
    items[250] = json!("not a phone number");
    items[400].as_object_mut().expect("object").remove("phone_number");
    let body = serde_json::to_vec(&items).expect("JSON");
    let (phones, deviations) =
        clerk_sdk::runtime::__private::decode_response::<Vec<PhoneNumber>, ClerkErrors>(200, &[], &body, false)
            .expect("decodes");
    assert_eq!(
        phones.len(),
        499,
        "only the item that is not a phone number is left out"
    );
    assert_eq!(phones[250].id.as_deref(), Some("idn_251"));
    assert_eq!(
        phones[399].phone_number, "",
        "the item that lacks a field is kept, repaired"
    );
    assert_eq!(pointers(&deviations), ["/250", "/400/phone_number"]);
    let strict = clerk_sdk::runtime::__private::decode_response::<Vec<PhoneNumber>, ClerkErrors>(200, &[], &body, true);
    assert!(matches!(strict, Err(Error::Decode(d)) if d.pointer() == "/250"));
}

#[tokio::test]
async fn the_testing_kit_refuses_drifted_fixtures_unless_told_otherwise() {
    let mock = MockClerk::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(drifted_phone_number()))
        .mount(mock.server())
        .await;
    let error = mock.clerk().phone_numbers().get("phone_1").await.expect_err("strict");
    let Error::Decode(decode) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(decode.pointer(), "/reserved");
    assert_eq!(pointers(decode.deviations()), DRIFTED_POINTERS);
    let lenient = mock.builder().strict_responses(false).build().expect("builds");
    let phone = lenient.phone_numbers().get("phone_1").await.expect("lenient");
    assert_eq!(
        phone.verification.and_then(|v| v.tag().map(str::to_owned)).as_deref(),
        Some("verification_otp")
    );
    let per_call = mock
        .clerk()
        .phone_numbers()
        .get("phone_1")
        .strict_responses(false)
        .await;
    assert!(per_call.is_ok(), "{per_call:?}");
}

#[test]
fn the_blocking_client_takes_strict_responses_per_call() {
    let mock = MockClerk::start_blocking();
    mock.phone_numbers()
        .get()
        .respond_with(ResponseTemplate::new(200).set_body_json(drifted_phone_number()));
    let clerk = mock.builder().strict_responses(false).build_blocking().expect("builds");
    let response = clerk
        .phone_numbers()
        .get("phone_1")
        .send_with_response()
        .expect("lenient");
    assert_eq!(pointers(response.deviations()), DRIFTED_POINTERS);
    let error = clerk
        .phone_numbers()
        .get("phone_1")
        .strict_responses(true)
        .send()
        .expect_err("strict");
    assert_eq!(error.deviations().len(), 3);
}

/// The corpus's conforming phone number decodes and serializes back to its JSON: every member
/// is kept, and only `null`s of optional fields become absent.
#[test]
fn the_conforming_body_of_the_corpus_serializes_back_to_its_json() {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("drift/phone_numbers/phone_number.json"))
            .expect("the corpus's phone number");
    let body: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let phone: PhoneNumber = serde_json::from_value(body.clone()).expect("decodes");
    let back = serde_json::to_value(&phone).expect("serializes");
    use clerk_sdk::runtime::testing::without_nulls;
    assert_eq!(without_nulls(&back), without_nulls(&body));
}
