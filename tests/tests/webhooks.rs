//! Clerk's webhook events in `clerk-sdk` (the `webhooks` feature), against Clerk's webhooks spec
//! (`spec/webhooks.yaml`): every example the spec gives decodes into its own variant (leniently:
//! some stray from their own schema) and round-trips; the enum lists exactly the spec's events; a signed delivery
//! verifies end to end.

use std::time::{Duration, UNIX_EPOCH};

use clerk_sdk::events::WebhookEvent;
use clerk_sdk::webhooks::{Event, Webhook, signed_headers};
use serde_json::Value;

/// The spec's events: each key with its example payloads (`example`, or each of `examples`).
fn spec_events() -> Vec<(String, Vec<Value>)> {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/webhooks.yaml")).expect("the spec");
    let spec: Value = serde_yaml::from_str(&text).expect("YAML");
    let webhooks = spec["x-webhooks"].as_object().expect("x-webhooks");
    webhooks
        .iter()
        .map(|(key, item)| {
            let media = &item["post"]["requestBody"]["content"]["application/json"];
            // A named example may be a `$ref` to `#/components/examples/NAME`.
            let resolve = |example: &Value| match example["$ref"].as_str() {
                Some(reference) => {
                    let name = reference.trim_start_matches("#/components/examples/");
                    spec["components"]["examples"][name]["value"].clone()
                }
                None => example["value"].clone(),
            };
            let mut examples: Vec<Value> = media["examples"]
                .as_object()
                .map(|named| named.values().map(resolve).collect())
                .unwrap_or_default();
            examples.extend(media.get("example").cloned());
            (key.clone(), examples)
        })
        .collect()
}

#[test]
fn the_enum_lists_exactly_the_specs_events() {
    let mut keys: Vec<String> = spec_events().into_iter().map(|(key, _)| key).collect();
    keys.sort();
    let mut variants: Vec<&str> = WebhookEvent::EVENT_TYPES.to_vec();
    variants.sort_unstable();
    assert_eq!(keys.len(), 45);
    assert_eq!(
        variants, keys,
        "a regenerated spec must not drop or add an event unseen"
    );
}

#[test]
fn every_example_decodes_into_its_own_variant_and_round_trips() {
    let mut failures = Vec::new();
    let (mut count, mut drifted) = (0, Vec::new());
    for (key, examples) in spec_events() {
        if examples.is_empty() {
            failures.push(format!("{key}: the spec gives no example"));
        }
        for example in examples {
            count += 1;
            let body = serde_json::to_vec(&example).expect("JSON");
            let (event, deviations) = WebhookEvent::decode(&body).expect("decodes");
            if matches!(event, WebhookEvent::Unknown { .. }) || event.event_type() != key {
                failures.push(format!("{key}: decoded as {}", event.event_type()));
            }
            // With the overlay (spec/overlays/webhooks.yaml), Clerk's own examples stray from
            // their schemas only where the overlay says the example is wrong.
            drifted.extend(
                deviations
                    .iter()
                    .map(|deviation| format!("{key}: {}", deviation.pointer())),
            );
            let again =
                WebhookEvent::from_json(&serde_json::to_vec(&event).expect("serializes")).expect("decodes again");
            if again != event {
                failures.push(format!("{key}: changed in a round trip"));
            }
        }
    }
    assert!(count >= 45);
    assert_eq!(
        drifted,
        [
            "waitlistEntry.created: /data/object",
            "waitlistEntry.updated: /data/object"
        ],
        "only the disagreement the overlay leaves in place"
    );
    assert!(
        failures.is_empty(),
        "{} of {count} examples:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn an_event_the_spec_does_not_know_keeps_its_payload() {
    let body =
        br#"{"object":"event","type":"user.teleported","timestamp":1,"instance_id":"ins_1","data":{"to":"mars"}}"#;
    let event = WebhookEvent::from_json(body).expect("an event");
    assert!(
        matches!(&event, WebhookEvent::Unknown { event_type, raw } if event_type == "user.teleported" && raw["data"]["to"] == "mars")
    );
}

#[test]
fn a_signed_user_created_verifies_into_its_user() {
    let (_, examples) = spec_events()
        .into_iter()
        .find(|(key, _)| key == "user.created")
        .expect("user.created");
    let example = examples.into_iter().next().expect("an example");
    let body = serde_json::to_vec(&example).expect("JSON");
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let headers = signed_headers(secret, "msg_1", 1_716_883_200, &body).expect("signs");
    let webhook = Webhook::new(secret)
        .expect("a secret")
        .at(UNIX_EPOCH + Duration::from_secs(1_716_883_260));
    let verified = webhook.verify::<WebhookEvent>(&headers, &body).expect("verifies");
    let WebhookEvent::UserCreated(event) = verified.event() else {
        panic!("not user.created: {}", verified.event().event_type());
    };
    assert_eq!(Some(event.data.id.as_str()), example["data"]["id"].as_str());
    assert_eq!(verified.id(), "msg_1");
}

#[test]
fn every_fixture_signed_as_clerk_would_verifies_into_its_event() {
    use clerk_sdk::testing::webhooks::{fixtures, sign_event};

    let secret = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
    let webhook = Webhook::new(secret).expect("a secret");
    let events = [
        fixtures::user_created(),
        fixtures::session_pending(),
        fixtures::subscription_item_upcoming(),
    ];
    for event in events {
        let delivery = sign_event(secret, &event).expect("signs");
        let verified = webhook
            .verify::<WebhookEvent>(&delivery.headers, &delivery.body)
            .expect("verifies now");
        assert_eq!(verified.event(), &event);
        assert!(verified.id().starts_with("msg_"));
    }
}
