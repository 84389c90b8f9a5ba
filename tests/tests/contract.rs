//! Contract tests against Stoplight Prism serving `spec/phone_numbers.yaml`: every request the
//! SDK sends passes Prism's validation, every response Prism generates from the schemas
//! decodes, and every listed error status gives the typed Clerk error.
//!
//! They need a running Prism, so they are ignored by default; `cargo xtask contract` installs
//! and starts one and runs them with `PRISM_URL` set.

use std::sync::{Arc, Mutex};

use clerk_sdk::hooks::{AttemptFailure, HookContext, HookResponse, Hooks};
use clerk_sdk::models::{AttemptPhoneNumberVerificationRequest, CreatePhoneNumberRequest, UpdatePhoneNumberRequest};
use clerk_sdk::{Clerk, Error, Nullable, RetryConfig};

/// The key sent to Prism; `cargo xtask contract` checks Prism's log for it.
const CONTRACT_KEY: &str = "sk_test_contract_4f7d2c";
/// Responses generated per operation.
const DYNAMIC_RESPONSES: usize = 200;

/// Collects the request violations Prism reports in its `sl-violations` header.
#[derive(Clone, Default)]
struct Violations(Arc<Mutex<Vec<String>>>);

impl Violations {
    fn record(&self, context: &HookContext, headers: &reqwest::header::HeaderMap) {
        if let Some(violations) = headers.get("sl-violations") {
            let text = String::from_utf8_lossy(violations.as_bytes()).into_owned();
            // Prism also flags its own generated responses; only request violations are ours.
            if text.contains("\"request\"") {
                self.0
                    .lock()
                    .expect("not poisoned")
                    .push(format!("{}: {text}", context.operation_id));
            }
        }
    }

    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().expect("not poisoned"))
    }
}

impl Hooks for Violations {
    fn after_success(&self, context: &HookContext, response: &HookResponse<'_>) {
        self.record(context, response.headers);
    }

    fn after_error(&self, context: &HookContext, failure: &AttemptFailure<'_>) {
        if let AttemptFailure::Status(response) = failure {
            self.record(context, response.headers);
        }
    }
}

fn prism() -> Option<(Clerk, Violations)> {
    let url = std::env::var("PRISM_URL").ok()?;
    let violations = Violations::default();
    let clerk = Clerk::builder()
        .bearer_auth(CONTRACT_KEY)
        .server_url(url)
        .retries(RetryConfig::none())
        // Prism has no rate limit; a development key's limiter would only slow the run.
        .rate_limit(clerk_sdk::limits::RateLimiting::off())
        .hook(violations.clone())
        .build()
        .expect("builds");
    Some((clerk, violations))
}

/// Every way of setting the three-state fields: unset, null and a value, for each field.
fn three_states() -> Vec<[Nullable<bool>; 3]> {
    let states = [
        Nullable::Unset,
        Nullable::Null,
        Nullable::Value(true),
        Nullable::Value(false),
    ];
    let mut combinations = Vec::new();
    for a in states {
        for b in states {
            for c in states {
                combinations.push([a, b, c]);
            }
        }
    }
    combinations
}

/// Calls an operation by method name with a dynamic response, returning whether it decoded.
async fn call(clerk: &Clerk, method: &str, prefer: &str) -> Result<(), Error> {
    let numbers = clerk.phone_numbers();
    match method {
        "create" => numbers
            .create(CreatePhoneNumberRequest::new("usr_1", "+15555550100"))
            .header("prefer", prefer)
            .await
            .map(drop),
        "get" => numbers.get("phone_1").header("prefer", prefer).await.map(drop),
        "delete" => numbers.delete("phone_1").header("prefer", prefer).await.map(drop),
        "update" => numbers
            .update("phone_1", UpdatePhoneNumberRequest::default())
            .header("prefer", prefer)
            .await
            .map(drop),
        "prepare_verification" => numbers
            .prepare_verification("phone_1")
            .header("prefer", prefer)
            .await
            .map(drop),
        "attempt_verification" => numbers
            .attempt_verification("phone_1", AttemptPhoneNumberVerificationRequest::new("ver_1", "424242"))
            .header("prefer", prefer)
            .await
            .map(drop),
        other => unreachable!("no operation {other}"),
    }
}

const OPERATIONS: &[(&str, &[u16])] = &[
    ("create", &[400, 401, 403, 404, 422]),
    ("get", &[400, 401, 403, 404]),
    ("delete", &[400, 401, 403, 404]),
    ("update", &[400, 401, 403, 404]),
    ("prepare_verification", &[400, 401, 403, 404, 429, 500]),
    ("attempt_verification", &[400, 401, 403, 404, 500]),
];

#[tokio::test]
#[ignore = "needs Prism: run `cargo xtask contract`"]
async fn every_request_passes_prism_validation() {
    let Some((clerk, violations)) = prism() else {
        panic!("PRISM_URL is not set; run `cargo xtask contract`")
    };
    let mut sent = 0;
    for [verified, primary, reserved] in three_states() {
        let create = CreatePhoneNumberRequest::new("usr_1", "+15555550100")
            .verified(verified)
            .primary(primary)
            .reserved_for_second_factor(reserved);
        clerk
            .phone_numbers()
            .create(create)
            .header("prefer", "dynamic=true")
            .await
            .expect("create");
        let update = UpdatePhoneNumberRequest::default()
            .verified(verified)
            .primary(primary)
            .reserved_for_second_factor(reserved);
        clerk
            .phone_numbers()
            .update("phone_1", update)
            .header("prefer", "dynamic=true")
            .await
            .expect("update");
        sent += 2;
    }
    for (method, _) in OPERATIONS {
        call(&clerk, method, "dynamic=true")
            .await
            .unwrap_or_else(|e| panic!("{method}: {e}"));
        sent += 1;
    }
    let violations = violations.take();
    assert!(
        violations.is_empty(),
        "Prism rejected requests:\n{}",
        violations.join("\n")
    );
    println!("contract: {sent} requests, 0 violations");
}

#[tokio::test]
#[ignore = "needs Prism: run `cargo xtask contract`"]
async fn every_generated_response_decodes() {
    let Some((clerk, _)) = prism() else {
        panic!("PRISM_URL is not set; run `cargo xtask contract`")
    };
    for (method, _) in OPERATIONS {
        let mut decoded = 0;
        let mut failures = Vec::new();
        for _ in 0..DYNAMIC_RESPONSES {
            match call(&clerk, method, "dynamic=true").await {
                Ok(()) => decoded += 1,
                Err(error) => failures.push(error.to_string()),
            }
        }
        println!("contract: {method}: decoded {decoded} of {DYNAMIC_RESPONSES} generated responses");
        assert!(failures.is_empty(), "{method}: {}", failures.join("\n"));
    }
}

#[tokio::test]
#[ignore = "needs Prism: run `cargo xtask contract`"]
async fn every_listed_error_status_is_the_typed_clerk_error() {
    let Some((clerk, _)) = prism() else {
        panic!("PRISM_URL is not set; run `cargo xtask contract`")
    };
    let mut checked = 0;
    for (method, statuses) in OPERATIONS {
        for status in *statuses {
            let error = call(&clerk, method, &format!("code={status}"))
                .await
                .expect_err("an error status");
            let Error::Api(api) = &error else {
                panic!("{method} {status}: {error:?}")
            };
            assert_eq!(api.status().as_u16(), *status, "{method}");
            assert!(!format!("{error:?}").contains(CONTRACT_KEY));
            checked += 1;
        }
    }
    println!("contract: {checked} listed error statuses gave the typed Clerk error");
}
