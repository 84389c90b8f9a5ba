//! Responses: the success type and which error statuses map to the typed error.

use openapiv3::{Operation as SpecOperation, ReferenceOr, Response, Schema, SchemaKind, StatusCode, Type};

use super::refs::{Resolved, resolve};
use super::{JSON, Lowerer, SchemaSlot};
use crate::Config;
use crate::error::{Error, Pointer, Warning};
use crate::model::TypeRef;

impl<'a> Lowerer<'a> {
    /// Returns the success response's type and the mapped error statuses.
    pub(super) fn lower_responses(
        &mut self,
        operation: &'a SpecOperation,
        operation_id: &str,
        config: &Config,
        pointer: &Pointer,
    ) -> Result<(Option<TypeRef>, Vec<u16>), Error> {
        let responses_pointer = pointer.join("responses");
        let mut success: Option<(u16, Option<TypeRef>)> = None;
        let mut error_statuses = Vec::new();
        for (status, slot) in &operation.responses.responses {
            let status_pointer = responses_pointer.join(status.to_string());
            let StatusCode::Code(code) = *status else {
                return Err(Error::unsupported(
                    &status_pointer,
                    "status ranges such as 4XX are not supported yet",
                ));
            };
            let (response_pointer, response, hint) = self.resolve_response(slot, operation_id, &status_pointer)?;
            match code {
                200..=299 => {
                    let ty = self.lower_response_content(response, &hint, &response_pointer)?;
                    match &success {
                        None => success = Some((code, ty)),
                        Some((_, first)) if *first == ty => {}
                        Some(_) => {
                            return Err(Error::unsupported(
                                &status_pointer,
                                "2xx responses with different bodies are not supported",
                            ));
                        }
                    }
                }
                400..=599 => {
                    if self.is_error_response(response, &response_pointer, config)? {
                        error_statuses.push(code);
                    }
                }
                _ => {
                    return Err(Error::unsupported(
                        &status_pointer,
                        format!("status {code} is not supported"),
                    ));
                }
            }
        }
        if operation.responses.default.is_some() {
            self.warnings.push(Warning {
                pointer: responses_pointer.join("default"),
                message: "a `default` response is not mapped: the statuses it covers give `Error::UnexpectedStatus`"
                    .to_owned(),
            });
        }
        let Some((_, response)) = success else {
            return Err(Error::unsupported(&responses_pointer, "operation has no 2xx response"));
        };
        error_statuses.sort_unstable();
        Ok((response, error_statuses))
    }

    /// Whether an error response maps to the typed Clerk error. It does when its body is the
    /// error schema, or an inline object of the same shape (an `errors` array); a response
    /// without a body does not (it gives the unexpected-status error, with whatever body comes).
    /// Any other body is rejected.
    fn is_error_response(&mut self, response: &'a Response, pointer: &Pointer, config: &Config) -> Result<bool, Error> {
        if response.content.is_empty() {
            return Ok(false);
        }
        let why = ("this error response is mapped to the typed error, whose body is", "");
        let schema = response.content.get(JSON).and_then(|media| media.schema.as_ref());
        let compatible = match schema {
            Some(ReferenceOr::Reference { reference }) => {
                let error_body = self.error_body(config, pointer, why)?;
                self.lower_slot(SchemaSlot::Ref(reference), "", pointer)?.ty == error_body
            }
            Some(ReferenceOr::Item(schema)) if has_errors_array(schema) => {
                self.error_body(config, pointer, why)?;
                true
            }
            _ => false,
        };
        if compatible {
            Ok(true)
        } else {
            Err(Error::unsupported(
                pointer,
                format!(
                    "error responses must use the `{}` schema to be mapped",
                    config.error_schema
                ),
            ))
        }
    }

    fn resolve_response(
        &self,
        slot: &'a ReferenceOr<Response>,
        operation_id: &str,
        pointer: &Pointer,
    ) -> Result<(Pointer, &'a Response, String), Error> {
        match slot {
            ReferenceOr::Item(response) => Ok((pointer.clone(), response, format!("{operation_id}Response"))),
            ReferenceOr::Reference { reference } => {
                let Resolved { pointer, item, name } = resolve(self.spec, reference, pointer)?;
                Ok((pointer, item, name))
            }
        }
    }

    fn lower_response_content(
        &mut self,
        response: &'a Response,
        hint: &str,
        pointer: &Pointer,
    ) -> Result<Option<TypeRef>, Error> {
        if response.content.is_empty() {
            return Ok(None);
        }
        let Some(media) = response.content.get(JSON) else {
            let types: Vec<&str> = response.content.keys().map(String::as_str).collect();
            return Err(Error::unsupported(
                &pointer.join("content"),
                format!(
                    "only application/json responses are supported, found {}",
                    types.join(", ")
                ),
            ));
        };
        let schema_pointer = pointer.join("content").join(JSON).join("schema");
        match &media.schema {
            Some(schema) => Ok(Some(self.lower_slot(schema.into(), hint, &schema_pointer)?.ty)),
            None => Ok(Some(TypeRef::Json)),
        }
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
