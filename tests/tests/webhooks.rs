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

/// The fields of Clerk's examples that are `null` and serialize back as absent, each with why.
const NULL_AS_ABSENT: &[(&str, &str)] = &[
    (
        "/data/actor",
        "optional and nullable: `Option<Map>`, `None` for absent and null alike",
    ),
    (
        "/data/create_organizations_limit",
        "optional and nullable: `Option<i64>`",
    ),
    (
        "/data/user/create_organizations_limit",
        "the session's user: optional and nullable",
    ),
    (
        "/data/latest_activity",
        "optional and nullable: `Option<SessionActivityResponse>`",
    ),
    (
        "/data/last_active_organization_id",
        "optional and nullable: `Option<String>`",
    ),
    ("/data/private_metadata", "optional and nullable: `Option<Map>`"),
    ("/data/slug", "a deleted role's `slug`: optional and nullable"),
    (
        "/data/invitation",
        "a waitlist entry's `invitation`: optional and nullable, `Option<Invitation>`",
    ),
    (
        "/data/subscription_items/0/canceled_at",
        "optional and nullable: `Option<i64>`",
    ),
    (
        "/data/subscription_items/0/past_due_at",
        "optional and nullable: `Option<i64>`",
    ),
];

/// Where `actual` differs from `expected`, below `pointer`: a member that is missing, added or
/// changed. Numbers compare by value (`1.0` is `1`).
fn differences_of(expected: &Value, actual: &Value, pointer: &mut String, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(expected), Value::Object(actual)) => {
            for (key, value) in expected {
                let length = pointer.len();
                pointer.push('/');
                pointer.push_str(key);
                match actual.get(key) {
                    Some(other) => differences_of(value, other, pointer, out),
                    None if value.is_null() => out.push(format!("{pointer}: null, serialized as absent")),
                    None => out.push(format!("{pointer}: missing")),
                }
                pointer.truncate(length);
            }
            for key in actual.keys().filter(|key| !expected.contains_key(*key)) {
                out.push(format!("{pointer}/{key}: added"));
            }
        }
        (Value::Array(expected), Value::Array(actual)) if expected.len() == actual.len() => {
            for (index, (value, other)) in expected.iter().zip(actual).enumerate() {
                let length = pointer.len();
                pointer.push_str(&format!("/{index}"));
                differences_of(value, other, pointer, out);
                pointer.truncate(length);
            }
        }
        (Value::Number(expected), Value::Number(actual)) if expected.as_f64() == actual.as_f64() => {}
        (expected, actual) if expected == actual => {}
        _ => out.push(format!("{pointer}: changed")),
    }
}

#[test]
fn every_example_decodes_into_its_own_variant_and_round_trips() {
    let mut failures = Vec::new();
    let (mut count, mut drifted, mut changed) = (0, Vec::new(), Vec::new());
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
            let reencoded = serde_json::to_value(&event).expect("serializes");
            let mut differences = Vec::new();
            differences_of(&example, &reencoded, &mut String::new(), &mut differences);
            changed.extend(differences.into_iter().map(|difference| format!("{key}: {difference}")));
            let again =
                WebhookEvent::from_json(&serde_json::to_vec(&event).expect("serializes")).expect("decodes again");
            if again != event {
                failures.push(format!("{key}: changed in a round trip"));
            }
        }
    }
    assert!(count >= 45);
    // A model keeps every member it does not list, so the only differences are `null`s of
    // optional fields: `Option` has one `None` for absent and `null`, which serializes as absent
    // (each such model's docs say so).
    let unexplained: Vec<&String> = changed
        .iter()
        .filter(|difference| {
            let (_, rest) = difference.split_once(": ").unwrap_or_default();
            let (pointer, kind) = rest.split_once(": ").unwrap_or_default();
            kind != "null, serialized as absent" || !NULL_AS_ABSENT.iter().any(|(field, _)| *field == pointer)
        })
        .collect();
    assert!(
        unexplained.is_empty(),
        "each example serializes back to its JSON: {unexplained:#?}"
    );
    assert!(!changed.is_empty(), "the exceptions below are still met");
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
