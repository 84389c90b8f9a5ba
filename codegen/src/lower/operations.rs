//! Operations: grouping into resources, naming, parameters and request bodies.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use openapiv3::{MediaType, Operation as SpecOperation, PathItem, ReferenceOr, RequestBody};

use super::extensions;
use super::parameters::Parameters;
use super::refs::{Resolved, resolve};
use super::security;
use super::styles::{self, Place};
use super::{FORM, JSON, Lowerer, MULTIPART, OCTET_STREAM};
use crate::error::{Error, Pointer};
use crate::model::{Body, BodyEncoding, HeaderParam, HttpMethod, Operation, Resource, Style, TypeKind, TypeRef};
use crate::names::{Scope, avoiding, constant_name, has_word, snake_name, type_name, unraw};

/// Names a resource accessor must not take, with `_api` appended if it would: the client's own
/// methods (async, blocking and standalone), the methods of traits it implements, which an
/// inherent method would hide, and `models`, the name of the models' Markdown page.
const RESERVED_ACCESSORS: &[&str] = &[
    "as_async",
    "as_ref",
    "borrow",
    "builder",
    "clone",
    "clone_from",
    "deref",
    "fmt",
    "from",
    "from_env",
    "into",
    "models",
    "new",
    "server_url",
    "to_owned",
    "type_id",
    "wrap",
];
/// Names a resource handle type must not take, with `Api` appended if it would: the items the
/// operations modules import, and those the SDK's crate root (or a generated crate's) exports
/// beside the handles, which a handle would clash with there.
const RESERVED_HANDLES: &[&str] = &[
    "BackoffStrategy",
    "Call",
    "Clerk",
    "ClerkBuilder",
    "Error",
    "FilePart",
    "Method",
    "Nullable",
    "Operation",
    "Outcome",
    "Redirect",
    "Response",
    "RetryClass",
    "RetryConfig",
    "SdkError",
];
/// The methods of a call (async, blocking and standalone), which a parameter's setter must not
/// take: a setter named like one gets a `_param` suffix.
const RESERVED_SETTERS: &[&str] = &[
    "cookie_param",
    "fmt",
    "header",
    "header_param",
    "headers",
    "into_future",
    "json",
    "map",
    "multipart",
    "new",
    "query",
    "query_styled",
    "retries",
    "send",
    "server_url",
    "timeout",
];

impl<'a> Lowerer<'a> {
    pub(super) fn lower_operations(&mut self) -> Result<Vec<Resource>, Error> {
        let mut resources: IndexMap<String, Resource> = IndexMap::new();
        let mut handle_names = Scope::new();
        let mut method_names: BTreeMap<String, Scope> = BTreeMap::new();
        // Descriptor constant names, with the operation that took each.
        let mut constants: BTreeMap<String, (String, Pointer)> = BTreeMap::new();
        for (path, item) in &self.spec.paths.paths {
            let path_pointer = Pointer::root().join("paths").join(path);
            let ReferenceOr::Item(item) = item else {
                return Err(Error::unsupported(&path_pointer, "`$ref` path items are not supported"));
            };
            for (method, operation) in item.iter() {
                let pointer = path_pointer.join(method);
                let accessor = self.resource_of(operation, path, &pointer)?;
                let lowered = self.lower_operation(path, method, item, operation, &pointer)?;
                // Ids name the operation's descriptor constant (and its generated types), so
                // they must stay unique once made into Rust names.
                if let Some((first_id, first)) = constants.get(&lowered.const_name) {
                    let reason = if *first_id == lowered.id {
                        format!("operationId `{first_id}` is already used by {first}")
                    } else {
                        format!(
                            "operationId `{}` would be named `{}` in Rust, like `{first_id}` at {first}; rename one",
                            lowered.id, lowered.const_name
                        )
                    };
                    return Err(Error::unsupported(&pointer, reason));
                }
                constants.insert(lowered.const_name.clone(), (lowered.id.clone(), pointer.clone()));
                let names = method_names.entry(accessor.clone()).or_default();
                if names.contains(&lowered.method_name) {
                    return Err(Error::unsupported(
                        &pointer,
                        format!("method name `{}` is already used in `{accessor}`", lowered.method_name),
                    ));
                }
                names.claim(&lowered.method_name);
                let doc = self.tag_description(operation);
                resources
                    .entry(accessor.clone())
                    .or_insert_with(|| Resource {
                        type_name: handle_names.claim(&avoiding(type_name(unraw(&accessor)), RESERVED_HANDLES, "Api")),
                        accessor,
                        doc,
                        operations: Vec::new(),
                    })
                    .operations
                    .push(lowered);
            }
        }
        let mut resources: Vec<Resource> = resources.into_values().collect();
        name_params_markers(&mut resources);
        Ok(resources)
    }

    /// The resource an operation belongs to: `x-speakeasy-group`, else its first tag, else the
    /// first segment of its path that is neither a version (`v1`) nor a placeholder
    /// (`/v1/account_portal` belongs to `account_portal`).
    fn resource_of(&self, operation: &SpecOperation, path: &str, pointer: &Pointer) -> Result<String, Error> {
        let group = extensions::group(&operation.extensions)
            .or_else(|| operation.tags.first().map(String::as_str))
            .or_else(|| path_group(path))
            .ok_or_else(|| {
                Error::unsupported(
                    pointer,
                    "operation has neither `x-speakeasy-group` nor `tags`, and its path no segment to group it by",
                )
            })?;
        if !has_word(group) {
            return Err(Error::unsupported(
                pointer,
                format!("the group `{group}` has no letter or digit to name its resource after"),
            ));
        }
        Ok(avoiding(snake_name(group), RESERVED_ACCESSORS, "_api"))
    }

    fn tag_description(&self, operation: &SpecOperation) -> Option<String> {
        let tag = operation.tags.first()?;
        self.spec.tags.iter().find(|t| &t.name == tag)?.description.clone()
    }

    fn lower_operation(
        &mut self,
        path: &str,
        method: &str,
        item: &'a PathItem,
        operation: &'a SpecOperation,
        pointer: &Pointer,
    ) -> Result<Operation, Error> {
        let http_method = HttpMethod::from_key(method)
            .ok_or_else(|| Error::unsupported(pointer, format!("`{method}` is not an HTTP method")))?;
        let id = operation
            .operation_id
            .clone()
            .ok_or_else(|| Error::unsupported(pointer, "operation has no `operationId`"))?;
        let method_source = extensions::name_override(&operation.extensions).unwrap_or(&id);
        for name in [id.as_str(), method_source] {
            if !has_word(name) {
                return Err(Error::unsupported(
                    pointer,
                    format!("`{name}` has no letter or digit to name the operation's method after"),
                ));
            }
        }
        let method_name = snake_name(method_source);
        let Parameters {
            path: path_params,
            query,
            query_styles,
            headers: mut header_params,
        } = self.lower_parameters(path, item, operation, &id, pointer)?;
        name_header_setters(&mut header_params);
        let body = match &operation.request_body {
            Some(body) => Some(self.lower_body(body, &id, &pointer.join("requestBody"))?),
            None => None,
        };
        let responses = self.lower_responses(operation, &id, pointer)?;
        let security = match &operation.security {
            Some(own) => security::requirements(Some(own), &self.schemes, &pointer.join("security"))?,
            None => security::requirements(
                self.spec.security.as_deref(),
                &self.schemes,
                &Pointer::root().join("security"),
            )?,
        };
        Ok(Operation {
            const_name: constant_name(&id),
            id,
            method_name,
            http_method,
            path: path.to_owned(),
            path_params,
            query,
            query_styles,
            header_params,
            params_marker: None,
            body,
            response: responses.success,
            response_optional: responses.success_optional,
            error_statuses: responses.error_statuses,
            redirect_statuses: responses.redirect_statuses,
            default_errors: responses.default_errors,
            accept: responses.accept,
            security,
            summary: operation.summary.clone(),
            description: operation.description.clone(),
            deprecated: operation.deprecated,
            pointer: pointer.clone(),
        })
    }

    fn lower_body(
        &mut self,
        slot: &'a ReferenceOr<RequestBody>,
        operation_id: &str,
        pointer: &Pointer,
    ) -> Result<Body, Error> {
        let (body_pointer, body, hint) = match slot {
            ReferenceOr::Item(body) => (pointer.clone(), body, format!("{operation_id}Request")),
            ReferenceOr::Reference { reference } => {
                let Resolved { pointer, item, name } = resolve(self.spec, reference, pointer)?;
                (pointer, item, name)
            }
        };
        let content_pointer = body_pointer.join("content");
        let (media_type, media, encoding) = choose_media_type(&body.content).ok_or_else(|| {
            let types: Vec<&str> = body.content.keys().map(String::as_str).collect();
            Error::unsupported(
                &content_pointer,
                format!(
                    "only application/json, application/x-www-form-urlencoded, multipart/form-data and application/octet-stream request bodies are supported, found {}",
                    types.join(", ")
                ),
            )
        })?;
        let media_pointer = content_pointer.join(media_type);
        let schema_pointer = media_pointer.join("schema");
        let ty = match (encoding, &media.schema) {
            (BodyEncoding::Bytes, _) => TypeRef::Bytes,
            (_, Some(schema)) => self.lower_slot(schema.into(), &hint, &schema_pointer)?.ty,
            (_, None) => TypeRef::Json,
        };
        let mut styles = Vec::new();
        match encoding {
            BodyEncoding::Multipart => self.mark_multipart(&ty, &schema_pointer)?,
            BodyEncoding::Form => {
                styles = self.form_styles(&ty, media, &media_pointer)?;
                self.request_roots.push(ty.clone());
            }
            BodyEncoding::Json => self.request_roots.push(ty.clone()),
            BodyEncoding::Bytes => {}
        }
        Ok(Body {
            ty,
            doc: body.description.clone(),
            encoding,
            media_type: media_type.to_owned(),
            styles,
        })
    }

    /// Checks that a form body is an object whose fields `name=value` pairs can carry, and
    /// reads each field's style from the media type's `encoding`.
    fn form_styles(&self, ty: &TypeRef, media: &MediaType, pointer: &Pointer) -> Result<Vec<(String, Style)>, Error> {
        let schema_pointer = pointer.join("schema");
        let fields = match ty {
            TypeRef::Named(name) => match self.types.get(name).map(|def| &def.kind) {
                Some(TypeKind::Struct(def)) => &def.fields,
                _ => return Err(Error::unsupported(&schema_pointer, "a form body must be an object")),
            },
            // A free-form object (or one without properties): its entries are the fields.
            TypeRef::JsonMap | TypeRef::Json => return Ok(Vec::new()),
            TypeRef::Map(value) if self.is_scalar(value) => return Ok(Vec::new()),
            _ => return Err(Error::unsupported(&schema_pointer, "a form body must be an object")),
        };
        let mut styles = Vec::new();
        for field in fields {
            let shape = self.value_shape(&field.ty).ok_or_else(|| {
                Error::unsupported(
                    &schema_pointer.join("properties").join(&field.wire_name),
                    "a form field must be a scalar, an array of scalars or an object of scalars",
                )
            })?;
            let encoding_pointer = pointer.join("encoding").join(&field.wire_name);
            let (style, explode) = match media.encoding.get(&field.wire_name) {
                Some(encoding) => (
                    encoding.style.clone().unwrap_or(openapiv3::QueryStyle::Form),
                    self.explicit_explodes.get(&encoding_pointer).copied(),
                ),
                None => (openapiv3::QueryStyle::Form, None),
            };
            if let Some(style) = styles::decide(&style, explode, shape, Place::FormField)
                .map_err(|reason| Error::unsupported(&encoding_pointer, reason))?
            {
                styles.push((field.wire_name.clone(), style));
            }
        }
        Ok(styles)
    }

    /// Checks that a multipart body is a struct of scalars, files and arrays of those, and marks
    /// it so it is emitted as form parts rather than JSON.
    fn mark_multipart(&mut self, ty: &TypeRef, pointer: &Pointer) -> Result<(), Error> {
        let part_ok = |ty: &TypeRef| match ty {
            TypeRef::Vec(item) => is_part_scalar(item),
            other => is_part_scalar(other),
        };
        let def = match ty {
            TypeRef::Named(name) => self.types.get_mut(name).map(|def| &mut def.kind),
            _ => None,
        };
        match def {
            Some(TypeKind::Struct(def)) if def.fields.iter().all(|f| part_ok(&f.ty)) => {
                def.multipart = true;
                Ok(())
            }
            _ => Err(Error::unsupported(
                pointer,
                "a multipart/form-data body must be an object of strings, numbers, booleans and files",
            )),
        }
    }
}

/// Whether a value can be one multipart part: a file, or a scalar sent as text.
fn is_part_scalar(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::Binary | TypeRef::String | TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::F32 | TypeRef::F64
    )
}

/// Names the setters of optional header and cookie parameters: unique among themselves, and
/// never one of the call's own methods.
fn name_header_setters(params: &mut [HeaderParam]) {
    let mut setters = Scope::with_reserved(RESERVED_SETTERS.iter().copied());
    for param in params.iter_mut().filter(|param| !param.required) {
        let wanted = avoiding(param.rust_name.clone(), RESERVED_SETTERS, "_param");
        param.rust_name = setters.claim(&wanted);
    }
}

/// Names the marker type of each operation with optional header or cookie parameters,
/// `{OperationId}Parameters`, unique beside the resource handles and the crate root's items.
fn name_params_markers(resources: &mut [Resource]) {
    let handles: Vec<String> = resources.iter().map(|resource| resource.type_name.clone()).collect();
    let mut names = Scope::with_reserved(
        RESERVED_HANDLES
            .iter()
            .copied()
            .chain(handles.iter().map(String::as_str)),
    );
    for operation in resources.iter_mut().flat_map(|resource| &mut resource.operations) {
        if operation.header_params.iter().any(|param| !param.required) {
            operation.params_marker = Some(names.claim(&format!("{}Parameters", type_name(&operation.id))));
        }
    }
}

/// The media type a request body is sent as: the first of JSON, form, multipart and bytes that
/// the operation offers (media type parameters, such as `; charset=utf-8`, aside).
fn choose_media_type(content: &IndexMap<String, MediaType>) -> Option<(&str, &MediaType, BodyEncoding)> {
    let preference = [
        (JSON, BodyEncoding::Json),
        (FORM, BodyEncoding::Form),
        (MULTIPART, BodyEncoding::Multipart),
        (OCTET_STREAM, BodyEncoding::Bytes),
    ];
    preference.iter().find_map(|(wanted, encoding)| {
        content
            .iter()
            .find(|(media_type, _)| essence(media_type).eq_ignore_ascii_case(wanted))
            .map(|(media_type, media)| (media_type.as_str(), media, *encoding))
    })
}

/// A media type without its parameters: `application/json; charset=utf-8` is `application/json`.
pub(in crate::lower) fn essence(media_type: &str) -> &str {
    media_type.split(';').next().unwrap_or_default().trim()
}

/// The first segment of a path that can name a group: not empty, not a placeholder and not a
/// version such as `v1`.
fn path_group(path: &str) -> Option<&str> {
    let is_version = |segment: &str| {
        segment.len() > 1 && segment.starts_with(['v', 'V']) && segment[1..].bytes().all(|b| b.is_ascii_digit())
    };
    path.split('/')
        .find(|segment| !segment.is_empty() && !segment.starts_with('{') && !is_version(segment) && has_word(segment))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untagged_operations_are_grouped_by_their_path() {
        assert_eq!(path_group("/v1/account_portal"), Some("account_portal"));
        assert_eq!(path_group("/v2/{id}/client/sync"), Some("client"));
        assert_eq!(path_group("/proxy-health"), Some("proxy-health"));
        assert_eq!(path_group("/v1/{id}"), None);
        assert_eq!(path_group("/"), None);
    }
}
