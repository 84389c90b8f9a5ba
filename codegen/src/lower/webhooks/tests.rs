use super::*;
use crate::Config;

/// The webhooks of a spec, lowered.
fn lowered(yaml: &str) -> Result<crate::model::Api, Error> {
    crate::lower(yaml, &Config::default()).map(|lowered| lowered.api)
}

const SPEC: &str = r#"
openapi: 3.0.3
info: {title: Events, version: '1'}
x-webhooks:
  user.created:
    post:
      summary: A user signed up
      requestBody:
        content:
          application/json:
            schema:
              allOf:
                - $ref: '#/components/schemas/Envelope'
                - properties: {data: {$ref: '#/components/schemas/User'}}
              required: [data]
            example: {type: user.created, data: {id: user_1}}
  user-created:
    post:
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Envelope'}}}}
components:
  schemas:
    Envelope:
      type: object
      required: [type]
      properties: {type: {type: string}}
    User:
      type: object
      required: [id]
      properties: {id: {type: string}}
"#;

#[test]
fn each_webhook_is_an_event_named_after_its_key_with_its_payload_and_example() {
    let api = lowered(SPEC).expect("lowers a spec without paths");
    let events: Vec<(&str, &str, Option<&str>)> = api
        .webhooks
        .iter()
        .map(|event| (event.key.as_str(), event.variant.as_str(), event.ty.named()))
        .collect();
    assert_eq!(
        events,
        [
            ("user.created", "UserCreated", Some("UserCreated")),
            ("user-created", "UserCreated2", Some("Envelope")),
        ]
    );
    let first = &api.webhooks[0];
    assert_eq!(first.doc.as_deref(), Some("A user signed up"));
    assert_eq!(
        first.example.as_ref().map(|example| example["data"]["id"].clone()),
        Some("user_1".into())
    );
    assert_eq!(first.pointer.to_string(), "#/x-webhooks/user.created/post");
    assert_eq!(api.operation_count(), 0);
}

#[test]
fn a_webhook_without_a_json_payload_is_refused_where_it_is() {
    let spec = "openapi: 3.0.3\ninfo: {title: E, version: '1'}\nwebhooks:\n  ping:\n    post:\n      responses: {'200': {description: ok}}\n";
    let error = lowered(spec).expect_err("no payload").to_string();
    assert!(
        error.contains("#/webhooks/ping/post") && error.contains("no request body"),
        "{error}"
    );
}

#[test]
fn a_named_example_may_be_a_reference() {
    let spec = r#"
openapi: 3.0.3
info: {title: E, version: '1'}
x-webhooks:
  ping:
    post:
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {type: {type: string}}}
            examples:
              default: {$ref: '#/components/examples/Ping'}
components:
  examples:
    Ping: {value: {type: ping}}
"#;
    let api = lowered(spec).expect("lowers");
    assert_eq!(api.webhooks[0].example, Some(serde_json::json!({"type": "ping"})));
}
