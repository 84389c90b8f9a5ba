//! What each fuzz target runs on one input. The targets in `fuzz_targets/` and the replay test
//! (`tests/tests/fuzz_replay.rs`) both include this file, so the replay runs exactly what the
//! targets run: a saved crash of either target is replayed through the same calls.
//!
//! Each function returns normally on every input; a panic is the finding.

// Each includer uses part of this file: a fuzz target one function, the replay test two.
#![allow(dead_code)]

use clerk_sdk::events::WebhookEvent;
use clerk_sdk::models::{ClerkErrors, DeletedObject, PhoneNumber, VerificationResponse};
use clerk_sdk::reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use clerk_sdk::runtime::__private::{Modeled, decode_response};
use clerk_sdk::webhooks::{Webhook, signed_headers};

/// The `generate` target: arbitrary bytes as a spec, through the generator and the slicer.
/// Each must return a result, files or an error, never panic.
pub fn generate(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = codegen::generate(text, &codegen::Config::default());
    if let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(text) {
        let _ = codegen::slice::slice(&value, &["/*"]);
    }
}

/// The `decode` target: arbitrary bytes as the body of every phone_numbers operation's
/// responses, through the SDK's own response mapping. Each gives a value or a typed error,
/// and the error formats.
pub fn decode(data: &[u8]) {
    // create, get and update return a PhoneNumber; delete a DeletedObject; prepare and
    // attempt verification a VerificationResponse.
    check::<PhoneNumber>(200, &[400, 401, 403, 404, 422], data);
    check::<DeletedObject>(200, &[400, 401, 403, 404], data);
    check::<VerificationResponse>(200, &[400, 401, 403, 404, 429, 500], data);
    // The same bytes as the body of a mapped error status and of an unlisted one.
    check::<PhoneNumber>(404, &[400, 401, 403, 404, 422], data);
    check::<VerificationResponse>(500, &[400, 401, 403, 404, 429, 500], data);
    check::<PhoneNumber>(502, &[400, 401, 403, 404], data);
}

/// Decodes `body` as the response of an operation that maps `mapped` statuses, leniently and
/// strictly, checks that the two agree, and formats whatever comes out.
fn check<T>(status: u16, mapped: &'static [u16], body: &[u8])
where
    T: serde::de::DeserializeOwned + Modeled + std::fmt::Debug + PartialEq,
{
    let lenient = decode_response::<T, ClerkErrors>(status, mapped, body, false);
    let strict = decode_response::<T, ClerkErrors>(status, mapped, body, true);
    match (&lenient, &strict) {
        // A body the strict decode takes has no deviations, and decodes the same leniently.
        (Ok((lenient, deviations)), Ok((strict, none))) => {
            assert!(deviations.is_empty() && none.is_empty(), "{deviations:?}");
            assert_eq!(lenient, strict);
        }
        // A body that deviates decodes leniently, and the strict decode refuses exactly it.
        (Ok((_, deviations)), Err(error)) => {
            assert!(!deviations.is_empty(), "refused strictly without a deviation: {error}");
            assert_eq!(error.deviations(), &deviations[..]);
        }
        (Err(error), Ok(_)) => panic!("taken strictly but not leniently: {error}"),
        (Err(_), Err(_)) => {}
    }
    for result in [lenient, strict] {
        match result {
            Ok(value) => {
                let _ = format!("{value:?}");
            }
            Err(error) => {
                let _ = (
                    error.to_string(),
                    format!("{error:?}"),
                    error.clerk_trace_id(),
                    error.status(),
                    error.deviations().iter().map(ToString::to_string).count(),
                );
            }
        }
    }
}

/// The secret the `verify` target signs and verifies with.
const WEBHOOK_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// The `verify` target: arbitrary bytes as a webhook delivery, split at `0xFF` bytes into the
/// message id, the timestamp, the signatures and the body, through `Webhook::verify` (as JSON
/// and as the events enum) and `verify_parts`. Each gives an event or a typed error, which
/// formats. The body signed with the secret then verifies: a signature the verifier refuses
/// would be a finding too.
pub fn verify(data: &[u8]) {
    let mut parts = data.splitn(4, |byte| *byte == 0xFF);
    let (id, timestamp, signatures) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    let body = parts.next().unwrap_or_default();
    let Ok(webhook) = Webhook::new(WEBHOOK_SECRET) else {
        panic!("the target's secret is a secret");
    };
    let mut headers = HeaderMap::new();
    for (name, value) in [
        ("svix-id", id),
        ("svix-timestamp", timestamp),
        ("svix-signature", signatures),
    ] {
        if let Ok(value) = HeaderValue::from_bytes(value) {
            headers.insert(HeaderName::from_static(name), value);
        }
    }
    if let Err(error) = webhook.verify::<serde_json::Value>(&headers, body) {
        let _ = error.to_string();
    }
    let _ = webhook
        .verify::<WebhookEvent>(&headers, body)
        .map(|verified| verified.event().event_type().len());
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    let _ = webhook.verify_parts::<serde_json::Value>(&text(id), &text(timestamp), &text(signatures), body);
    // Signed by the secret, at the verifier's own now, the body verifies unless it is no event.
    let id = text(id);
    if HeaderValue::from_str(&id).is_ok() {
        let now = 1_700_000_000;
        let Ok(signed) = signed_headers(WEBHOOK_SECRET, &id, now, body) else {
            panic!("signing a valid id does not fail");
        };
        let at = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        match webhook.clone().at(at).verify::<serde_json::Value>(&signed, body) {
            Ok(_) | Err(clerk_sdk::webhooks::WebhookError::NotJson(_)) => {}
            Err(other) => panic!("a body signed with the secret was refused: {other}"),
        }
    }
}

/// The `authenticate` target: arbitrary bytes as a request's `Authorization` and `Cookie`
/// headers and as a session token's claims (split at `0xFF`), through a networkless
/// `Authenticator`. Each gives claims or a typed error, which formats. Claims that are a JSON
/// object, signed with the key, then never fail on the signature or the token's shape: only a
/// claim check may refuse them.
pub fn authenticate(data: &[u8]) {
    use clerk_sdk::auth::testing::{TEST_PUBLIC_KEY_PEM, sign_session_token};
    use clerk_sdk::auth::{AuthError, AuthOptions, Authenticator};

    let mut parts = data.splitn(3, |byte| *byte == 0xFF);
    let (authorization, cookie, claims) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    let Ok(auth) = Authenticator::networkless(AuthOptions::new().jwt_key(TEST_PUBLIC_KEY_PEM)) else {
        panic!("the kit's public key is a key");
    };
    let mut headers = HeaderMap::new();
    for (name, value) in [("authorization", authorization), ("cookie", cookie)] {
        if let Ok(value) = HeaderValue::from_bytes(value) {
            headers.insert(HeaderName::from_static(name), value);
        }
    }
    if let Err(error) = ready(auth.authenticate(&headers)) {
        let _ = error.to_string();
    }
    let _ = ready(auth.verify_token(&String::from_utf8_lossy(authorization)));
    if let Ok(claims @ serde_json::Value::Object(_)) = serde_json::from_slice::<serde_json::Value>(claims) {
        let token = sign_session_token(&claims);
        if let Err(error @ (AuthError::InvalidSignature | AuthError::Malformed(_))) = ready(auth.verify_token(&token)) {
            panic!("a token signed with the key was refused: {error}");
        }
    }
}

/// The output of a future that never waits, as a networkless verification never does.
fn ready<F: std::future::Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    match future.as_mut().poll(&mut context) {
        std::task::Poll::Ready(output) => output,
        std::task::Poll::Pending => panic!("a networkless verification waited"),
    }
}
