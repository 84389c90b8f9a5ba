//! Round trip for `hooks.yaml`: webhook events signed as Clerk signs them, verified and decoded
//! into their variants. Compiled and run inside the generated crate by the `generated_crates`
//! test (with the `webhooks` feature).

use std::time::{Duration, UNIX_EPOCH};

use hooks::events::WebhookEvent;
use hooks::models::UserStatus;
use hooks::webhooks::{Webhook, WebhookError, signed_headers};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const SENT: i64 = 1_716_883_200;

fn webhook() -> Webhook {
    Webhook::new(SECRET).expect("a secret").at(UNIX_EPOCH + Duration::from_secs(1_716_883_230))
}

#[test]
fn a_signed_event_verifies_into_its_own_variant() {
    let body = br#"{"object":"event","type":"user.created","timestamp":1716883200,"data":{"id":"user_1","status":"banned"}}"#;
    let headers = signed_headers(SECRET, "msg_1", SENT, body).expect("signs");
    let verified = webhook().verify::<WebhookEvent>(&headers, body).expect("verifies");
    assert_eq!(verified.id(), "msg_1");
    let WebhookEvent::UserCreated(event) = verified.event() else {
        panic!("not user.created: {:?}", verified.event());
    };
    assert_eq!(event.data.id, "user_1");
    assert_eq!(event.data.status, Some(UserStatus::Banned));
    assert_eq!(event.timestamp, SENT, "the envelope's fields are kept");
    assert!(verified.deviations().is_empty());
}

#[test]
fn an_event_the_spec_does_not_list_is_unknown_with_its_payload() {
    let body = br#"{"object":"event","type":"user.teleported","timestamp":1716883200,"data":{"to":"mars"}}"#;
    let headers = signed_headers(SECRET, "msg_2", SENT, body).expect("signs");
    let event = webhook().verify::<WebhookEvent>(&headers, body).expect("verifies").into_event();
    assert_eq!(event.event_type(), "user.teleported");
    assert!(matches!(&event, WebhookEvent::Unknown { raw, .. } if raw["data"]["to"] == "mars"));
}

#[test]
fn a_drifted_payload_still_decodes_and_says_where_it_drifted() {
    // `data.id` is missing, and `status` holds a value this version does not know.
    let body = br#"{"object":"event","type":"user.created","timestamp":1716883200,"data":{"status":"frozen"}}"#;
    let headers = signed_headers(SECRET, "msg_3", SENT, body).expect("signs");
    let verified = webhook().verify::<WebhookEvent>(&headers, body).expect("verifies");
    assert!(matches!(verified.event(), WebhookEvent::UserCreated(_)));
    let pointers: Vec<String> = verified.deviations().iter().map(|d| d.pointer().to_string()).collect();
    assert_eq!(pointers, ["/data/id", "/data/status"], "the missing id, and the new status kept as Unknown");
    let WebhookEvent::UserCreated(event) = verified.event() else { unreachable!() };
    assert_eq!(event.data.status, Some(UserStatus::Unknown("frozen".to_owned())));
}

#[test]
fn a_body_changed_after_signing_is_refused() {
    let body = br#"{"object":"event","type":"session.ended","timestamp":1716883201,"data":{"id":"sess_1"}}"#;
    let headers = signed_headers(SECRET, "msg_4", SENT, body).expect("signs");
    let mut changed = body.to_vec();
    changed[60] ^= 1;
    assert_eq!(
        webhook().verify::<WebhookEvent>(&headers, &changed).err(),
        Some(WebhookError::NoMatchingSignature)
    );
}

#[test]
fn the_enum_lists_every_event_of_the_spec() {
    assert_eq!(WebhookEvent::EVENT_TYPES, ["user.created", "session.ended"]);
}
