//! Round trip for `modern.yaml`, an OpenAPI 3.1 spec: its `type` lists, `null` alternatives,
//! `const` and numeric exclusive bounds behave as their 3.0 spellings do, against the
//! generated testing kit's loopback mock; and its `webhooks` verify into their variants.
//! Compiled and run inside the generated crate by the `generated_crates` test.

use std::time::{Duration, UNIX_EPOCH};

use modern::Error;
use modern::Nullable;
use modern::events::WebhookEvent;
use modern::models::{ListPetsQuery, PetKind, PetObject, PetTag, UpdatePetRequest};
use modern::testing::MockClerk;
use modern::webhooks::{Webhook, signed_headers};
use serde_json::json;

#[tokio::test]
async fn type_lists_and_null_alternatives_decode_as_their_3_0_spellings() {
    let mock = MockClerk::start().await;
    mock.pets().list_pets().respond_with(wiremock::ResponseTemplate::new(200).set_body_json(json!([
        {"id": "pet_1", "object": "pet", "kind": "cat", "nickname": null, "tag": "A-12", "owner": null},
        {"id": "pet_2", "object": "pet", "kind": "dog", "nickname": "Rex", "tag": 7, "owner": {"name": "Ada"}}
    ])));
    let pets = mock.clerk().pets().list_pets(ListPetsQuery::new().limit(5)).await.expect("decodes");
    assert_eq!(mock.requests()[0].query, [("limit".to_owned(), "5".to_owned())]);
    assert_eq!((&pets[0].object, &pets[0].kind), (&PetObject::Pet, &PetKind::Cat));
    assert_eq!((pets[0].nickname.as_deref(), pets[1].nickname.as_deref()), (None, Some("Rex")));
    assert_eq!(pets[0].tag, Some(PetTag::String("A-12".to_owned())), "`type: [string, integer]`");
    assert_eq!(pets[1].tag, Some(PetTag::Integer(7)));
    assert!(pets[0].owner.is_none(), "`anyOf: [Owner, null]` takes `null`");
    assert_eq!(pets[1].owner.as_ref().map(|owner| owner.name.as_str()), Some("Ada"));
}

#[tokio::test]
async fn an_exclusive_minimum_refuses_its_bound_before_sending() {
    let mock = MockClerk::start().await;
    let error = mock.clerk().pets().list_pets(ListPetsQuery::new().limit(0)).await.expect_err("0 is out");
    match error {
        Error::InvalidRequest { reason, .. } => {
            assert_eq!(reason, "query parameter `limit` must be over 0 (`exclusiveMinimum`)");
        }
        other => panic!("not refused before sending: {other}"),
    }
    assert_eq!(mock.requests().len(), 0);
}

#[tokio::test]
async fn a_nullable_type_list_in_a_body_can_send_null() {
    let mock = MockClerk::start().await;
    mock.pets()
        .update_pet()
        .respond_with(wiremock::ResponseTemplate::new(200).set_body_json(json!({"id": "pet_1", "object": "pet", "kind": "cat"})));
    let request = UpdatePetRequest::new().nickname(Nullable::Null);
    mock.clerk().pets().update_pet("pet_1", request).await.expect("updates");
    let sent: serde_json::Value = serde_json::from_slice(&mock.requests()[0].body).expect("JSON");
    assert_eq!(sent, json!({"nickname": null}));
}

#[test]
fn a_webhook_from_components_path_items_verifies_into_its_variant() {
    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let body = br#"{"type":"pet.adopted","data":{"id":"pet_1","object":"pet","kind":"dog","tag":7}}"#;
    let headers = signed_headers(SECRET, "msg_1", 1_716_883_200, body).expect("signs");
    let webhook = Webhook::new(SECRET).expect("a secret").at(UNIX_EPOCH + Duration::from_secs(1_716_883_201));
    let verified = webhook.verify::<WebhookEvent>(&headers, body).expect("verifies");
    let WebhookEvent::PetAdopted(event) = verified.event() else {
        panic!("not pet.adopted: {:?}", verified.event());
    };
    assert_eq!((event.data.kind.clone(), event.data.tag.clone()), (PetKind::Dog, Some(PetTag::Integer(7))));
    assert_eq!(WebhookEvent::EVENT_TYPES, ["pet.adopted"]);
}
