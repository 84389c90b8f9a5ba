//! The API's error type: which schema the spec's error responses use, and which error responses
//! map to it.

use std::collections::BTreeMap;

use openapiv3::{OpenAPI, ReferenceOr, Response, Responses, Schema, SchemaKind, StatusCode, Type};

use super::JSON;
use super::operations::OperationLowerer;
use super::refs::{component_name, resolve};
use super::types::SchemaSlot;
use crate::Config;
use crate::error::{Error, Pointer, Warning};
use crate::model::{TypeKind, TypeRef};

/// The error schema: the configured one, or else the component schema that the spec's 4xx and
/// 5xx JSON responses (and `default` responses beside a 2xx) refer to most, the first by name on
/// a tie. `None` when no error response refers to a schema.
///
/// # Errors
///
/// A response `$ref` that leads nowhere, located where it is written.
pub(super) fn error_schema(spec: &OpenAPI, config: &Config) -> Result<Option<String>, Error> {
    if let Some(configured) = &config.error_schema {
        return Ok(Some(configured.clone()));
    }
    let mut uses: BTreeMap<String, usize> = BTreeMap::new();
    for (path, item) in &spec.paths.paths {
        let Some(item) = item.as_item() else { continue };
        for (method, operation) in item.iter() {
            let pointer = Pointer::root().join("paths").join(path).join(method).join("responses");
            for (status, slot) in error_responses(&operation.responses) {
                let response = match slot {
                    ReferenceOr::Item(response) => response,
                    ReferenceOr::Reference { reference } => {
                        resolve::<Response>(spec, reference, &pointer.join(&status))?.item
                    }
                };
                let body = response.content.get(JSON).and_then(|media| media.schema.as_ref());
                if let Some(ReferenceOr::Reference { reference }) = body
                    && let Some(name) = component_name(reference, "schemas")
                {
                    *uses.entry(name).or_default() += 1;
                }
            }
        }
    }
    let Some(most) = uses.values().copied().max() else {
        return Ok(None);
    };
    Ok(uses.into_iter().find(|(_, count)| *count == most).map(|(name, _)| name))
}

/// The responses of an operation that describe errors, each with its key (`404`, `default`):
/// the 4xx and 5xx ones, and `default` beside a success.
fn error_responses(responses: &Responses) -> impl Iterator<Item = (String, &ReferenceOr<Response>)> {
    let has_success = responses
        .responses
        .keys()
        .any(|status| matches!(status, StatusCode::Code(200..=299) | StatusCode::Range(2)));
    let listed = responses
        .responses
        .iter()
        .filter(|(status, _)| matches!(status, StatusCode::Code(400..=599) | StatusCode::Range(4 | 5)))
        .map(|(status, slot)| (status.to_string(), slot));
    let default = responses
        .default
        .iter()
        .filter(move |_| has_success)
        .map(|slot| ("default".to_owned(), slot));
    listed.chain(default)
}

impl<'a> OperationLowerer<'_, 'a> {
    /// The type of the error schema, lowered the first time something needs it. When the spec
    /// does not define it, the error is located at `needed_by`, where the need arose.
    pub(super) fn error_body(&mut self, needed_by: &Pointer) -> Result<TypeRef, Error> {
        if let Some(ty) = &self.error_type {
            return Ok(ty.clone());
        }
        let Some(error_schema) = self.settings.error_schema.clone() else {
            return Err(Error::unsupported(
                needed_by,
                "the spec's error responses use no schema",
            ));
        };
        let pointer = Pointer::root().join("components").join("schemas").join(&error_schema);
        let defined = self
            .spec
            .components
            .as_ref()
            .is_some_and(|components| components.schemas.contains_key(&error_schema));
        if !defined {
            return Err(Error::unsupported(
                needed_by,
                format!(
                    "this error response is mapped to the typed error, whose body is `{pointer}`, which the spec does not define"
                ),
            ));
        }
        let lowered = self
            .types
            .lower(SchemaSlot::Ref(pointer.as_str()), "", &Pointer::root())?;
        match &lowered.ty {
            TypeRef::Named(_) if matches!(self.types.kind(&lowered.ty), Some(TypeKind::Struct(_))) => {
                self.error_type = Some(lowered.ty.clone());
                Ok(lowered.ty)
            }
            _ => Err(Error::unsupported(
                &pointer,
                format!("the error schema `{error_schema}` must be an object with properties"),
            )),
        }
    }

    /// Whether an error response maps to the typed error. It does when its body is the error
    /// schema, or an inline object of the same shape (an `errors` array). A response without a
    /// body does not (it gives the unexpected-status error, with whatever body comes), nor does
    /// one with another body, which is said in a warning.
    pub(super) fn is_error_response(&mut self, response: &'a Response, pointer: &Pointer) -> Result<bool, Error> {
        if response.content.is_empty() {
            return Ok(false);
        }
        let schema = response.content.get(JSON).and_then(|media| media.schema.as_ref());
        let compatible = match schema {
            Some(ReferenceOr::Reference { reference }) => {
                let target = self.types.target(SchemaSlot::Ref(reference), pointer)?;
                let component = target.reference.as_ref().map(|(name, _)| name.as_str());
                let names_error_schema = component.is_some() && self.settings.error_schema.as_deref() == component;
                names_error_schema && {
                    let error_body = self.error_body(pointer)?;
                    self.types.lower_target(&target, "")?.ty == error_body
                }
            }
            Some(ReferenceOr::Item(schema)) if has_errors_array(schema) && self.settings.error_schema.is_some() => {
                self.error_body(pointer)?;
                true
            }
            _ => false,
        };
        if !compatible {
            let error_type = self.settings.error_schema.as_deref().unwrap_or("(none)");
            self.types.warn(Warning {
                pointer: pointer.clone(),
                message: format!(
                    "this error response's body is not the API's error type `{error_type}`: its status gives `Error::UnexpectedStatus`, with the body kept as text"
                ),
            });
        }
        Ok(compatible)
    }
}

/// Whether an inline schema has the error schema's shape: an object with an `errors` array.
fn has_errors_array(schema: &Schema) -> bool {
    let properties = match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => &object.properties,
        SchemaKind::Any(any) => &any.properties,
        _ => return false,
    };
    matches!(
        properties.get("errors"),
        Some(ReferenceOr::Item(errors)) if matches!(errors.schema_kind, SchemaKind::Type(Type::Array(_)))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(paths: &str) -> OpenAPI {
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:\n{paths}components:\n  schemas:\n    A: {{type: object}}\n    B: {{type: object}}\n"
        );
        serde_yaml::from_str(&text).expect("a spec")
    }

    #[test]
    fn the_schema_most_error_responses_use_is_the_error_schema() {
        let paths = "  /a:
    get:
      responses:
        '200': {description: x, content: {application/json: {schema: {$ref: '#/components/schemas/A'}}}}
        '400': {description: x, content: {application/json: {schema: {$ref: '#/components/schemas/B'}}}}
        '404': {description: x, content: {application/json: {schema: {$ref: '#/components/schemas/B'}}}}
        '500': {description: x, content: {application/json: {schema: {$ref: '#/components/schemas/A'}}}}
";
        let spec = spec(paths);
        assert_eq!(
            error_schema(&spec, &Config::default()).ok().flatten().as_deref(),
            Some("B")
        );
        let configured = Config {
            error_schema: Some("A".to_owned()),
            ..Config::default()
        };
        assert_eq!(error_schema(&spec, &configured).ok().flatten().as_deref(), Some("A"));
        assert_eq!(
            error_schema(&spec_without_errors(), &Config::default()).ok(),
            Some(None)
        );
    }

    #[test]
    fn an_error_response_ref_that_leads_nowhere_is_reported_where_it_is_written() {
        let spec = spec(
            "  /a:\n    get:\n      responses:\n        '200': {description: ok}\n        '404': {$ref: '#/components/responses/Gone'}\n",
        );
        let error = error_schema(&spec, &Config::default()).expect_err("a dangling reference");
        assert_eq!(
            error.to_string(),
            "#/paths/~1a/get/responses/404: `$ref: #/components/responses/Gone` points to nothing"
        );
    }

    #[test]
    fn an_error_response_shared_by_operations_is_warned_about_once() {
        let text = "openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /a:
    get:
      operationId: GetA
      responses:
        '200': {description: ok}
        '400': {$ref: '#/components/responses/Odd'}
  /b:
    get:
      operationId: GetB
      responses:
        '200': {description: ok}
        '400': {$ref: '#/components/responses/Odd'}
components:
  responses:
    Odd:
      description: not the error type
      content: {application/json: {schema: {type: object, properties: {reason: {type: string}}}}}
";
        let lowered = crate::lower(text, &Config::default()).expect("lowers");
        let pointers: Vec<String> = lowered.warnings.iter().map(|w| w.pointer.to_string()).collect();
        assert_eq!(pointers, ["#/components/responses/Odd"]);
    }

    fn spec_without_errors() -> OpenAPI {
        spec("  /a:\n    get:\n      responses:\n        '200': {description: ok}\n")
    }
}
