//! Responses: the success type, the documented redirects, and which error statuses map to the
//! typed error.

use openapiv3::{OpenAPI, Operation as SpecOperation, ReferenceOr, Response, StatusCode};

use super::bodies::essence;
use super::operations::OperationLowerer;
use super::refs::follow;
use super::{JSON, OCTET_STREAM};
use crate::error::{Error, Pointer, Warning};
use crate::model::TypeRef;

/// An operation's responses, lowered.
pub(super) struct Responses {
    /// The success body's type; `None` when no 2xx response has content.
    pub(super) success: Option<TypeRef>,
    /// Whether some 2xx response has no body beside one that has (a 204 beside a 200): the
    /// operation returns `Option` of the body's type.
    pub(super) success_optional: bool,
    /// Statuses that map to the typed error, ascending.
    pub(super) error_statuses: Vec<u16>,
    /// Documented 3xx statuses, ascending: returned to the caller, never followed.
    pub(super) redirect_statuses: Vec<u16>,
    /// Whether every error status the operation does not list maps to the typed error, as its
    /// `default` response says.
    pub(super) default_errors: bool,
    /// The media types the responses document, the 2xx ones first, without parameters: what
    /// the request's `Accept` header offers.
    pub(super) accept: Vec<String>,
}

/// An operation's responses, as they are read one by one.
#[derive(Default)]
struct Reading {
    /// The 2xx body's type, once a 2xx response was read (`Some(None)`: without a body).
    success: Option<Option<TypeRef>>,
    success_optional: bool,
    error_statuses: Vec<u16>,
    redirect_statuses: Vec<u16>,
    default_errors: bool,
    accept: MediaTypes,
}

impl Reading {
    /// The responses read, checked to have a success (or a redirect) and sorted.
    fn finish(mut self, pointer: &Pointer) -> Result<Responses, Error> {
        let success = match self.success {
            Some(success) => success,
            None if !self.redirect_statuses.is_empty() => None,
            None => return Err(Error::unsupported(pointer, "operation has no 2xx response")),
        };
        self.error_statuses.sort_unstable();
        self.redirect_statuses.sort_unstable();
        Ok(Responses {
            success,
            success_optional: self.success_optional,
            error_statuses: self.error_statuses,
            redirect_statuses: self.redirect_statuses,
            default_errors: self.default_errors,
            accept: self.accept.into_list(),
        })
    }
}

impl<'a> OperationLowerer<'_, 'a> {
    /// Lowers an operation's responses.
    pub(super) fn lower_responses(
        &mut self,
        operation: &'a SpecOperation,
        operation_id: &str,
        pointer: &Pointer,
    ) -> Result<Responses, Error> {
        let responses_pointer = pointer.join("responses");
        let mut reading = Reading::default();
        for (status, slot) in &operation.responses.responses {
            let status_pointer = responses_pointer.join(status.to_string());
            let StatusCode::Code(code) = *status else {
                return Err(Error::unsupported(
                    &status_pointer,
                    "status ranges such as 4XX are not supported yet",
                ));
            };
            self.lower_status(code, slot, operation_id, &status_pointer, &mut reading)?;
        }
        if let Some(slot) = &operation.responses.default {
            self.lower_default(slot, operation_id, &responses_pointer.join("default"), &mut reading)?;
        }
        reading.finish(&responses_pointer)
    }

    /// Reads the response listed for status `code`: a 2xx's body type, a documented redirect, or
    /// whether an error status maps to the typed error.
    fn lower_status(
        &mut self,
        code: u16,
        slot: &'a ReferenceOr<Response>,
        operation_id: &str,
        pointer: &Pointer,
        reading: &mut Reading,
    ) -> Result<(), Error> {
        let (response_pointer, response, hint) = response_of(self.spec, slot, operation_id, pointer)?;
        reading.accept.add(response, (200..=299).contains(&code));
        match code {
            200..=299 => {
                let ty = self.lower_response_content(response, &hint, &response_pointer)?;
                reading.success_optional |= add_success(&mut reading.success, ty, pointer)?;
            }
            300..=399 => reading.redirect_statuses.push(code),
            400..=599 => {
                if self.is_error_response(response, &response_pointer)? {
                    reading.error_statuses.push(code);
                }
            }
            _ => return Err(Error::unsupported(pointer, format!("status {code} is not supported"))),
        }
        Ok(())
    }

    /// Reads the `default` response: the success when no 2xx is listed, else the errors of
    /// every status not listed.
    fn lower_default(
        &mut self,
        slot: &'a ReferenceOr<Response>,
        operation_id: &str,
        pointer: &Pointer,
        reading: &mut Reading,
    ) -> Result<(), Error> {
        let (response_pointer, response, hint) = response_of(self.spec, slot, operation_id, pointer)?;
        reading.accept.add(response, reading.success.is_none());
        if reading.success.is_none() {
            // Without a 2xx response, `default` is what a success looks like.
            let ty = self.lower_response_content(response, &hint, &response_pointer)?;
            reading.success = Some(ty);
        } else if !response.content.is_empty() {
            reading.default_errors = self.is_error_response(response, &response_pointer)?;
        } else {
            self.types.warn(Warning {
                pointer: pointer.clone(),
                message: "a `default` response without a body: the statuses it covers give `Error::UnexpectedStatus`"
                    .to_owned(),
            });
        }
        Ok(())
    }

    /// The type of a success body: JSON decodes into its schema's type, `text/*` into a
    /// `String` and `application/octet-stream` into bytes. With several media types, JSON is
    /// preferred, then text, then bytes.
    fn lower_response_content(
        &mut self,
        response: &'a Response,
        hint: &str,
        pointer: &Pointer,
    ) -> Result<Option<TypeRef>, Error> {
        if response.content.is_empty() {
            return Ok(None);
        }
        let find = |wanted: &dyn Fn(&str) -> bool| {
            response
                .content
                .iter()
                .find(|(media_type, _)| wanted(&essence(media_type).to_ascii_lowercase()))
        };
        if let Some((media_type, media)) = find(&|essence| essence == JSON) {
            let schema_pointer = pointer.join("content").join(media_type).join("schema");
            return match &media.schema {
                Some(schema) => Ok(Some(self.types.lower(schema.into(), hint, &schema_pointer)?.ty)),
                None => Ok(Some(TypeRef::Json)),
            };
        }
        if find(&|essence| essence.starts_with("text/")).is_some() {
            return Ok(Some(TypeRef::String));
        }
        if find(&|essence| essence == OCTET_STREAM).is_some() {
            return Ok(Some(TypeRef::Bytes));
        }
        let types: Vec<&str> = response.content.keys().map(String::as_str).collect();
        Err(Error::unsupported(
            &pointer.join("content"),
            format!(
                "only application/json, text/* and application/octet-stream responses are supported, found {}",
                types.join(", ")
            ),
        ))
    }
}

/// The response in `slot`, where it is defined, and the name of a type its body defines: the
/// component's, or `{OperationId}Response`.
fn response_of<'a>(
    spec: &'a OpenAPI,
    slot: &'a ReferenceOr<Response>,
    operation_id: &str,
    pointer: &Pointer,
) -> Result<(Pointer, &'a Response, String), Error> {
    let (pointer, response, component) = follow(spec, slot, pointer)?;
    Ok((
        pointer,
        response,
        component.unwrap_or_else(|| format!("{operation_id}Response")),
    ))
}

/// The media types an operation's responses document, success ones apart.
#[derive(Default)]
struct MediaTypes {
    success: Vec<String>,
    other: Vec<String>,
}

impl MediaTypes {
    /// Adds the media types of `response`, without parameters and in lower case. One that
    /// could not be sent in a header (a space or a non-ASCII character) is left out: the
    /// generator writes the header as a static value.
    fn add(&mut self, response: &Response, success: bool) {
        let list = if success { &mut self.success } else { &mut self.other };
        for media_type in response.content.keys() {
            let essence = essence(media_type).to_ascii_lowercase();
            let sendable = !essence.is_empty() && essence.bytes().all(|byte| byte.is_ascii_graphic() && byte != b',');
            if sendable && !list.contains(&essence) {
                list.push(essence);
            }
        }
    }

    /// The success media types, then the others, each once; `application/json` when the
    /// responses document none, since error bodies are JSON.
    fn into_list(self) -> Vec<String> {
        let mut list = self.success;
        for media_type in self.other {
            if !list.contains(&media_type) {
                list.push(media_type);
            }
        }
        if list.is_empty() {
            list.push(JSON.to_owned());
        }
        list
    }
}

/// Records a 2xx response's type: every 2xx response of an operation must have the same, or
/// none. Returns whether this one makes the body optional: one has a body and another none.
fn add_success(success: &mut Option<Option<TypeRef>>, ty: Option<TypeRef>, pointer: &Pointer) -> Result<bool, Error> {
    match (&*success, ty) {
        (None, ty) => {
            *success = Some(ty);
            Ok(false)
        }
        (Some(None), None) => Ok(false),
        (Some(Some(first)), Some(ty)) if *first == ty => Ok(false),
        (Some(None), Some(ty)) => {
            *success = Some(Some(ty));
            Ok(true)
        }
        (Some(Some(_)), None) => Ok(true),
        (Some(Some(_)), Some(_)) => Err(Error::unsupported(
            pointer,
            "2xx responses with different bodies are not supported",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::super::operations::with_lowerer;
    use super::super::test_spec;
    use super::*;

    #[test]
    fn a_body_beside_no_body_is_optional() {
        let pointer = Pointer::root();
        let mut success = None;
        assert_eq!(
            add_success(&mut success, Some(TypeRef::String), &pointer).ok(),
            Some(false)
        );
        assert_eq!(add_success(&mut success, None, &pointer).ok(), Some(true));
        assert_eq!(success, Some(Some(TypeRef::String)));
        let mut success = None;
        assert_eq!(add_success(&mut success, None, &pointer).ok(), Some(false));
        assert_eq!(
            add_success(&mut success, Some(TypeRef::Bool), &pointer).ok(),
            Some(true)
        );
        assert_eq!(success, Some(Some(TypeRef::Bool)));
        assert!(add_success(&mut success, Some(TypeRef::String), &pointer).is_err());
    }

    /// The responses of `GET /a` in a spec whose responses are `responses`.
    fn responses(responses: &str) -> Result<Responses, Error> {
        let spec = test_spec(&format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:\n  /a:\n    get:\n      responses:\n{responses}components:\n  schemas:\n    Errors: {{type: object, properties: {{errors: {{type: array, items: {{type: string}}}}}}}}\n"
        ));
        let operation = spec.paths.paths["/a"]
            .as_item()
            .and_then(|item| item.get.as_ref())
            .expect("get");
        with_lowerer(&spec, Some("Errors"), |lowerer| {
            lowerer.lower_responses(operation, "GetA", &Pointer::root())
        })
    }

    #[test]
    fn media_types_choose_the_success_type() {
        let text = responses("        '200': {description: ok, content: {text/html: {schema: {type: string}}, application/octet-stream: {}}}\n")
            .expect("lowers");
        assert_eq!(text.success, Some(TypeRef::String));
        let bytes =
            responses("        '200': {description: ok, content: {application/octet-stream: {}}}\n").expect("lowers");
        assert_eq!(bytes.success, Some(TypeRef::Bytes));
        let json =
            responses("        '200': {description: ok, content: {'application/json; charset=utf-8': {schema: {type: boolean}}, text/plain: {}}}\n")
                .expect("lowers");
        assert_eq!(json.success, Some(TypeRef::Bool));
        assert_eq!(json.accept, ["application/json", "text/plain"]);
        assert_eq!(text.accept, ["text/html", "application/octet-stream"]);
        let error = responses("        '200': {description: ok, content: {image/png: {}}}\n")
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            error.as_deref(),
            Some(
                "#/responses/200/content: only application/json, text/* and application/octet-stream responses are supported, found image/png"
            )
        );
    }

    #[test]
    fn redirects_defaults_and_errors_are_sorted_out() {
        let lowered = responses(
            "        '307': {description: elsewhere}\n        '302': {description: elsewhere}\n        '404': {description: gone, content: {application/json: {schema: {$ref: '#/components/schemas/Errors'}}}}\n        default: {description: any, content: {application/json: {schema: {type: string}}}}\n",
        )
        .expect("lowers");
        assert_eq!(lowered.redirect_statuses, [302, 307]);
        assert_eq!(lowered.error_statuses, [404]);
        // Without a 2xx, `default` is the success.
        assert_eq!(lowered.success, Some(TypeRef::String));
        assert!(!lowered.default_errors);
        let with_default_errors = responses(
            "        '200': {description: ok}\n        default: {description: any, content: {application/json: {schema: {$ref: '#/components/schemas/Errors'}}}}\n",
        )
        .expect("lowers");
        assert!(with_default_errors.default_errors);
        assert_eq!(
            with_default_errors.accept,
            ["application/json"],
            "none documented: JSON"
        );
        assert_eq!(lowered.accept, ["application/json"]);
        let html = responses(
            "        '200': {description: ok, content: {'Text/HTML; charset=utf-8': {schema: {type: string}}}}\n        '404': {description: gone, content: {application/json: {schema: {$ref: '#/components/schemas/Errors'}}}}\n        '500': {description: odd, content: {'bad type': {}}}\n",
        )
        .expect("lowers");
        assert_eq!(html.accept, ["text/html", "application/json"]);
        assert_eq!(
            responses("        '404': {description: gone}\n")
                .err()
                .map(|e| e.to_string())
                .as_deref(),
            Some("#/responses: operation has no 2xx response")
        );
    }
}
