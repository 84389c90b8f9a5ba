//! Webhooks: the events an API sends, declared under OpenAPI 3.1's `webhooks` or the
//! `x-webhooks` extension of 3.0 specs (Clerk's). Each key is an event type (`user.created`)
//! with a path item whose operation's request body is the payload; the payload is lowered as
//! a response is (it is read, leniently), named after the key.

use openapiv3::{Operation as SpecOperation, PathItem, ReferenceOr};

use super::JSON;
use super::refs::follow;
use super::types::TypeLowerer;
use crate::error::{Error, Pointer};
use crate::model::Webhook;
use crate::names::{Scope, has_word, type_name};

/// The top-level keys that hold webhooks.
const SECTIONS: [&str; 2] = ["webhooks", "x-webhooks"];

/// A webhook as the document declares it.
#[derive(Debug)]
pub(crate) struct SpecWebhook {
    key: String,
    pointer: Pointer,
    item: PathItem,
}

/// The webhooks of a document, in document order (`webhooks` before `x-webhooks`).
pub(crate) fn read(document: &serde_yaml::Value) -> Result<Vec<SpecWebhook>, Error> {
    let mut webhooks = Vec::new();
    for section in SECTIONS {
        let Some(entries) = document.get(section).and_then(serde_yaml::Value::as_mapping) else {
            continue;
        };
        for (key, item) in entries {
            let Some(key) = key.as_str() else { continue };
            let pointer = Pointer::root().join(section).join(key);
            let item: PathItem = serde_yaml::from_value(with_responses(item))
                .map_err(|error| Error::unsupported(&pointer, format!("not a path item: {error}")))?;
            webhooks.push(SpecWebhook {
                key: key.to_owned(),
                pointer,
                item,
            });
        }
    }
    Ok(webhooks)
}

/// A webhook's path item with `responses: {}` on each operation that has none: what the API
/// answers to a webhook is the receiver's business, and OpenAPI 3.1 lets a webhook leave it
/// out, but openapiv3 (3.0) requires it.
fn with_responses(item: &serde_yaml::Value) -> serde_yaml::Value {
    let mut item = item.clone();
    if let Some(methods) = item.as_mapping_mut() {
        for (_, operation) in methods.iter_mut() {
            if let Some(operation) = operation.as_mapping_mut()
                && !operation.contains_key("responses")
            {
                operation.insert(
                    "responses".into(),
                    serde_yaml::Value::Mapping(serde_yaml::Mapping::new()),
                );
            }
        }
    }
    item
}

/// Lowers each webhook's payload through `types`, naming the events' variants.
pub(super) fn lower<'a>(types: &mut TypeLowerer<'a>, webhooks: &'a [SpecWebhook]) -> Result<Vec<Webhook>, Error> {
    let mut variants = Scope::with_reserved(["Unknown"]);
    let mut lowered = Vec::with_capacity(webhooks.len());
    for webhook in webhooks {
        if !has_word(&webhook.key) {
            return Err(Error::unsupported(
                &webhook.pointer,
                "the webhook's key has no letter or digit to name its event after",
            ));
        }
        let (method, operation) = webhook
            .item
            .iter()
            .next()
            .ok_or_else(|| Error::unsupported(&webhook.pointer, "the webhook has no operation"))?;
        let pointer = webhook.pointer.join(method);
        let Payload {
            schema,
            pointer: schema_pointer,
            example,
        } = payload(types, operation, &pointer)?;
        let name = type_name(&webhook.key);
        let ty = types.lower(schema.into(), &name, &schema_pointer)?;
        lowered.push(Webhook {
            key: webhook.key.clone(),
            variant: variants.claim(&name),
            ty: ty.ty,
            doc: operation.summary.clone().or_else(|| operation.description.clone()),
            example,
            pointer,
        });
    }
    Ok(lowered)
}

/// The JSON payload of a webhook's operation.
struct Payload<'a> {
    /// Its schema.
    schema: &'a ReferenceOr<openapiv3::Schema>,
    /// Where the schema is written (in `components/requestBodies` if the body is a `$ref`).
    pointer: Pointer,
    /// The example written for it, if any.
    example: Option<serde_json::Value>,
}

fn payload<'a>(types: &TypeLowerer<'a>, operation: &'a SpecOperation, pointer: &Pointer) -> Result<Payload<'a>, Error> {
    let slot = operation
        .request_body
        .as_ref()
        .ok_or_else(|| Error::unsupported(pointer, "the webhook's operation has no request body: no payload"))?;
    let (body_pointer, body, _) = follow(types.spec(), slot, &pointer.join("requestBody"))?;
    let media = body
        .content
        .get(JSON)
        .ok_or_else(|| Error::unsupported(&body_pointer, "the webhook's payload is not `application/json`"))?;
    let schema = media
        .schema
        .as_ref()
        .ok_or_else(|| Error::unsupported(&body_pointer, "the webhook's payload has no schema"))?;
    let media_pointer = body_pointer.join("content").join(JSON);
    // A named example may be a `$ref` to `#/components/examples`.
    let example = media.example.clone().or_else(|| {
        media.examples.iter().find_map(|(name, slot)| {
            let (_, example, _) = follow(types.spec(), slot, &media_pointer.join("examples").join(name)).ok()?;
            example.value.clone()
        })
    });
    Ok(Payload {
        schema,
        pointer: media_pointer.join("schema"),
        example,
    })
}

#[cfg(test)]
mod tests;
