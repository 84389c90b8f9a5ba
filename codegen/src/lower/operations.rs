//! Operations: grouping into resources, naming, and each operation's parts (parameters, body,
//! responses and security, lowered in modules of their own).

use std::collections::BTreeMap;

use indexmap::IndexMap;
use openapiv3::{OpenAPI, Operation as SpecOperation, PathItem, ReferenceOr};

use super::extensions;
use super::pagination;
use super::parameters::Parameters;
use super::security;
use super::types::TypeLowerer;
use crate::error::{Error, Pointer, Warning};
use crate::model::{HeaderParam, HttpMethod, Operation, Resource, SecuritySchemeDef, TypeRef};
use crate::names::{Scope, avoiding, constant_name, has_word, snake_name, type_name, unraw};

/// Names a resource accessor must not take, with `_api` appended if it would: the client's own
/// methods (async and blocking), the methods of traits it implements, which an
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
pub(super) const RESERVED_HANDLES: &[&str] = &[
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
    "PageError",
    "PageResult",
    "Paginator",
    "Redirect",
    "Response",
    "RetryClass",
    "RetryConfig",
    "SdkError",
];
/// The methods of a call (async and blocking), which a parameter's setter must not
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
    "paged",
    "paginate",
    "query",
    "query_constant",
    "query_styled",
    "retries",
    "send",
    "server_url",
    "timeout",
];

/// Everything operation lowering is told, given to its constructor.
pub(super) struct Settings {
    /// The security schemes, in spec order.
    pub(super) schemes: Vec<SecuritySchemeDef>,
    /// The error schema's name: configured, or the one the spec's error responses use most.
    pub(super) error_schema: Option<String>,
    /// The `explode` of each Encoding Object that writes one (openapiv3 cannot tell a missing
    /// one from `false`).
    pub(super) explicit_explodes: BTreeMap<Pointer, bool>,
    /// Whether the error schema's type is lowered even when no operation maps an error
    /// response to it: `clerk-sdk`'s `Error` names it.
    pub(super) error_type_always: bool,
}

/// Paths and their operations to resources. Types go through the [`TypeLowerer`] it borrows.
pub(super) struct OperationLowerer<'t, 'a> {
    pub(super) spec: &'a OpenAPI,
    pub(super) types: &'t mut TypeLowerer<'a>,
    pub(super) settings: Settings,
    /// The type of the error schema, which mapped error responses must use, once something
    /// needed it.
    pub(super) error_type: Option<TypeRef>,
    /// Types used directly as request bodies.
    pub(super) request_roots: Vec<TypeRef>,
}

/// What operation lowering leaves for the API.
pub(super) struct Operations {
    /// The operations, grouped by resource.
    pub(super) resources: Vec<Resource>,
    /// The security schemes, in spec order.
    pub(super) schemes: Vec<SecuritySchemeDef>,
    /// The error schema's type, when something needed it.
    pub(super) error_type: Option<TypeRef>,
    /// The types sent as request bodies.
    pub(super) request_roots: Vec<TypeRef>,
}

/// The names the operations take, so that none is taken twice.
#[derive(Default)]
struct Taken {
    /// The resource handles' type names.
    handles: Scope,
    /// The method names of each resource, by accessor.
    methods: BTreeMap<String, Scope>,
    /// Descriptor constant names, with the operation that took each.
    constants: BTreeMap<String, (String, Pointer)>,
}

impl Taken {
    /// Takes the names of `operation`, at `pointer`, in the resource `accessor`: its descriptor
    /// constant (unique over the API, since ids name it and its generated types) and its method
    /// (unique in its resource).
    fn claim(&mut self, accessor: &str, operation: &Operation, pointer: &Pointer) -> Result<(), Error> {
        if let Some((first_id, first)) = self.constants.get(&operation.const_name) {
            let reason = if *first_id == operation.id {
                format!("operationId `{first_id}` is already used by {first}")
            } else {
                format!(
                    "operationId `{}` would be named `{}` in Rust, like `{first_id}` at {first}; rename one",
                    operation.id, operation.const_name
                )
            };
            return Err(Error::unsupported(pointer, reason));
        }
        self.constants
            .insert(operation.const_name.clone(), (operation.id.clone(), pointer.clone()));
        let names = self.methods.entry(accessor.to_owned()).or_default();
        if names.contains(&operation.method_name) {
            return Err(Error::unsupported(
                pointer,
                format!(
                    "method name `{}` is already used in `{accessor}`",
                    operation.method_name
                ),
            ));
        }
        names.claim(&operation.method_name);
        Ok(())
    }
}

impl<'t, 'a> OperationLowerer<'t, 'a> {
    /// An operation lowerer for `spec`, lowering types through `types`.
    pub(super) fn new(spec: &'a OpenAPI, types: &'t mut TypeLowerer<'a>, settings: Settings) -> Self {
        OperationLowerer {
            spec,
            types,
            settings,
            error_type: None,
            request_roots: Vec::new(),
        }
    }

    /// Lowers every operation, in spec order, into resources.
    pub(super) fn lower(mut self) -> Result<Operations, Error> {
        let mut resources: IndexMap<String, Resource> = IndexMap::new();
        let mut taken = Taken::default();
        for (path, item) in &self.spec.paths.paths {
            let path_pointer = Pointer::root().join("paths").join(path);
            let ReferenceOr::Item(item) = item else {
                return Err(Error::unsupported(&path_pointer, "`$ref` path items are not supported"));
            };
            for (method, operation) in item.iter() {
                let pointer = path_pointer.join(method);
                let accessor = self.resource_of(operation, path, &pointer)?;
                let lowered = self.lower_operation(path, method, item, operation, &pointer)?;
                taken.claim(&accessor, &lowered, &pointer)?;
                let doc = self.tag_description(operation);
                resources
                    .entry(accessor.clone())
                    .or_insert_with(|| Resource {
                        type_name: taken
                            .handles
                            .claim(&avoiding(type_name(unraw(&accessor)), RESERVED_HANDLES, "Api")),
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
        if self.settings.error_type_always && self.settings.error_schema.is_some() {
            self.error_body(&Pointer::root().join("components").join("schemas"))?;
        }
        Ok(Operations {
            resources,
            schemes: self.settings.schemes,
            error_type: self.error_type,
            request_roots: self.request_roots,
        })
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
        let (id, method_name) = operation_names(operation, pointer)?;
        let Parameters {
            path: path_params,
            query,
            query_styles,
            query_constants,
            query_facts,
            headers: mut header_params,
        } = self.lower_parameters(path, item, operation, &id, pointer)?;
        let pagination = self.pagination(operation, &query_facts, pointer);
        name_header_setters(&mut header_params);
        let body = match &operation.request_body {
            Some(body) => Some(self.lower_body(body, &id, &pointer.join("requestBody"))?),
            None => None,
        };
        let responses = self.lower_responses(operation, &id, pointer)?;
        Ok(Operation {
            const_name: constant_name(&id),
            id,
            method_name,
            http_method,
            path: path.to_owned(),
            path_params,
            query,
            query_styles,
            query_constants,
            pagination,
            header_params,
            params_marker: None,
            body,
            response: responses.success,
            response_optional: responses.success_optional,
            error_statuses: responses.error_statuses,
            redirect_statuses: responses.redirect_statuses,
            default_errors: responses.default_errors,
            accept: responses.accept,
            security: self.security(operation, pointer)?,
            summary: operation.summary.clone(),
            description: operation.description.clone(),
            deprecated: operation.deprecated,
            pointer: pointer.clone(),
        })
    }

    /// How the operation pages, as declared, else as inferred; a declaration that cannot be
    /// used is a warning.
    fn pagination(
        &mut self,
        operation: &SpecOperation,
        query: &[pagination::QueryFacts],
        pointer: &Pointer,
    ) -> Option<crate::model::Pagination> {
        match pagination::declared(&operation.extensions, query) {
            Some(Ok(declared)) => Some(declared),
            Some(Err(reason)) => {
                self.types.warn(Warning {
                    pointer: pointer.join("x-speakeasy-pagination"),
                    message: format!("not paginated: {reason}"),
                });
                None
            }
            None => pagination::inferred(query),
        }
    }

    /// The operation's security requirements: its own, else the spec's.
    fn security(&self, operation: &SpecOperation, pointer: &Pointer) -> Result<Vec<Vec<usize>>, Error> {
        let schemes = &self.settings.schemes;
        match &operation.security {
            Some(own) => security::requirements(Some(own), schemes, &pointer.join("security")),
            None => security::requirements(
                self.spec.security.as_deref(),
                schemes,
                &Pointer::root().join("security"),
            ),
        }
    }
}

/// An operation's id, and its method's name: from `x-speakeasy-name-override`, else the id.
/// Both must have a letter or digit to be named after.
fn operation_names(operation: &SpecOperation, pointer: &Pointer) -> Result<(String, String), Error> {
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
    Ok((id, method_name))
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

/// The first segment of a path that can name a group: not empty, not a placeholder and not a
/// version such as `v1`.
fn path_group(path: &str) -> Option<&str> {
    let is_version = |segment: &str| {
        segment.len() > 1 && segment.starts_with(['v', 'V']) && segment[1..].bytes().all(|b| b.is_ascii_digit())
    };
    path.split('/')
        .find(|segment| !segment.is_empty() && !segment.starts_with('{') && !is_version(segment) && has_word(segment))
}

/// Runs `lower` with an operation lowerer for `spec` whose error schema is `error_schema`, for
/// the operation lowering's unit tests.
#[cfg(test)]
pub(super) fn with_lowerer<'a, R>(
    spec: &'a OpenAPI,
    error_schema: Option<&str>,
    lower: impl FnOnce(&mut OperationLowerer<'_, 'a>) -> Result<R, Error>,
) -> Result<R, Error> {
    let mut types = TypeLowerer::new(spec, BTreeMap::new())?;
    let settings = Settings {
        schemes: security::schemes(spec)?,
        error_schema: error_schema.map(str::to_owned),
        explicit_explodes: BTreeMap::new(),
        error_type_always: false,
    };
    lower(&mut OperationLowerer::new(spec, &mut types, settings))
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
