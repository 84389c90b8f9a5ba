//! The API's error type: which schema the spec's error responses use, and which error responses
//! map to it.

use std::collections::BTreeMap;

use openapiv3::{OpenAPI, ReferenceOr, Response, Schema, SchemaKind, Type};

use super::refs::{component_name, resolve};
use super::{JSON, Lowerer, SchemaSlot};
use crate::Config;
use crate::error::{Error, Pointer, Warning};
use crate::model::{TypeKind, TypeRef};

/// The error schema: the configured one, or else the component schema that the spec's 4xx and
/// 5xx JSON responses (and `default` responses beside a 2xx) refer to most, the first by name on
/// a tie. `None` when no error response refers to a schema.
pub(super) fn error_schema(spec: &OpenAPI, config: &Config) -> Option<String> {
    if let Some(configured) = &config.error_schema {
        return Some(configured.clone());
    }
    let mut uses: BTreeMap<String, usize> = BTreeMap::new();
    let operations = spec
        .paths
        .paths
        .values()
        .filter_map(ReferenceOr::as_item)
        .flat_map(|item| item.iter());
    for (_, operation) in operations {
        let has_success = operation.responses.responses.keys().any(|status| {
            matches!(
                status,
                openapiv3::StatusCode::Code(200..=299) | openapiv3::StatusCode::Range(2)
            )
        });
        // `default` beside a success describes the errors.
        let default = operation
            .responses
            .default
            .iter()
            .filter(|_| has_success)
            .map(|slot| (true, slot));
        let listed = operation.responses.responses.iter().map(|(status, slot)| {
            let is_error = matches!(
                status,
                openapiv3::StatusCode::Code(400..=599) | openapiv3::StatusCode::Range(4 | 5)
            );
            (is_error, slot)
        });
        for (is_error, slot) in listed.chain(default) {
            let response = match slot {
                ReferenceOr::Item(response) => Some(response),
                ReferenceOr::Reference { reference } => resolve::<Response>(spec, reference, &Pointer::root())
                    .ok()
                    .map(|resolved| resolved.item),
            };
            let reference = response
                .and_then(|response| response.content.get(JSON))
                .and_then(|media| media.schema.as_ref())
                .and_then(|schema| match schema {
                    ReferenceOr::Reference { reference } => component_name(reference, "schemas"),
                    ReferenceOr::Item(_) => None,
                });
            if let (true, Some(name)) = (is_error, reference) {
                *uses.entry(name).or_default() += 1;
            }
        }
    }
    let most = uses.values().copied().max()?;
    uses.into_iter().find(|(_, count)| *count == most).map(|(name, _)| name)
}

impl<'a> Lowerer<'a> {
    /// The type of the error schema, lowered the first time something needs it. When the spec
    /// does not define it, the error is located at `needed_by`, where the need arose.
    pub(super) fn error_body(&mut self, needed_by: &Pointer) -> Result<TypeRef, Error> {
        if let Some(ty) = &self.error_type {
            return Ok(ty.clone());
        }
        let Some(error_schema) = self.error_schema.clone() else {
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
        let lowered = self.lower_slot(SchemaSlot::Ref(pointer.as_str()), "", &Pointer::root())?;
        match &lowered.ty {
            TypeRef::Named(name) if matches!(self.types.get(name).map(|t| &t.kind), Some(TypeKind::Struct(_))) => {
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
                let referenced = resolve::<Schema>(self.spec, reference, pointer)?;
                let names_error_schema = self.error_schema.as_deref() == Some(referenced.name.as_str());
                names_error_schema && {
                    let error_body = self.error_body(pointer)?;
                    self.lower_slot(SchemaSlot::Ref(reference), "", pointer)?.ty == error_body
                }
            }
            Some(ReferenceOr::Item(schema)) if has_errors_array(schema) && self.error_schema.is_some() => {
                self.error_body(pointer)?;
                true
            }
            _ => false,
        };
        if !compatible {
            let error_type = self.error_schema.as_deref().unwrap_or("(none)");
            self.warnings.push(Warning {
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
        assert_eq!(error_schema(&spec, &Config::default()).as_deref(), Some("B"));
        let configured = Config {
            error_schema: Some("A".to_owned()),
            ..Config::default()
        };
        assert_eq!(error_schema(&spec, &configured).as_deref(), Some("A"));
        assert_eq!(error_schema(&spec_without_errors(), &Config::default()), None);
    }

    fn spec_without_errors() -> OpenAPI {
        spec("  /a:\n    get:\n      responses:\n        '200': {description: ok}\n")
    }
}
