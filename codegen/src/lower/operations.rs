//! Operations: grouping into resources, naming, parameters and request bodies.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use openapiv3::{Operation as SpecOperation, Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr, RequestBody};

use super::refs::{Resolved, resolve};
use super::security;
use super::{JSON, Lowered, Lowerer, MULTIPART, path_placeholders};
use crate::Config;
use crate::error::{Error, Pointer};
use crate::model::{
    Body, BodyEncoding, Field, HttpMethod, Operation, PathParam, Presence, QueryStyle, Resource, StructDef, TypeKind,
    TypeRef,
};
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
    "RetryClass",
    "RetryConfig",
];

impl<'a> Lowerer<'a> {
    pub(super) fn lower_operations(&mut self, config: &Config) -> Result<Vec<Resource>, Error> {
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
                let accessor = self.resource_of(operation, &pointer)?;
                let lowered = self.lower_operation(path, method, item, operation, config, &pointer)?;
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
        Ok(resources.into_values().collect())
    }

    /// The resource an operation belongs to: `x-speakeasy-group`, else its first tag.
    fn resource_of(&self, operation: &SpecOperation, pointer: &Pointer) -> Result<String, Error> {
        let group = match operation.extensions.get("x-speakeasy-group") {
            Some(serde_json::Value::String(group)) => Some(group.as_str()),
            _ => operation.tags.first().map(String::as_str),
        };
        let group =
            group.ok_or_else(|| Error::unsupported(pointer, "operation has neither `x-speakeasy-group` nor `tags`"))?;
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
        config: &Config,
        pointer: &Pointer,
    ) -> Result<Operation, Error> {
        let http_method = HttpMethod::from_key(method)
            .ok_or_else(|| Error::unsupported(pointer, format!("`{method}` is not an HTTP method")))?;
        let id = operation
            .operation_id
            .clone()
            .ok_or_else(|| Error::unsupported(pointer, "operation has no `operationId`"))?;
        let method_source = match operation.extensions.get("x-speakeasy-name-override") {
            Some(serde_json::Value::String(name)) => name,
            _ => &id,
        };
        for name in [&id, method_source] {
            if !has_word(name) {
                return Err(Error::unsupported(
                    pointer,
                    format!("`{name}` has no letter or digit to name the operation's method after"),
                ));
            }
        }
        let method_name = snake_name(method_source);
        let (path_params, query) = self.lower_parameters(path, item, operation, &id, pointer)?;
        let (query, query_styles) = query.map_or((None, Vec::new()), |(name, styles)| (Some(name), styles));
        let body = match &operation.request_body {
            Some(body) => Some(self.lower_body(body, &id, &pointer.join("requestBody"))?),
            None => None,
        };
        let (response, error_statuses) = self.lower_responses(operation, &id, config, pointer)?;
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
            body,
            response,
            error_statuses,
            security,
            summary: operation.summary.clone(),
            description: operation.description.clone(),
            deprecated: operation.deprecated,
            pointer: pointer.clone(),
        })
    }

    /// Lowers the operation's parameters: path parameters in template order, and query
    /// parameters gathered into a generated `{OperationId}Query` struct.
    fn lower_parameters(
        &mut self,
        path: &str,
        item: &'a PathItem,
        operation: &'a SpecOperation,
        operation_id: &str,
        pointer: &Pointer,
    ) -> Result<(Vec<PathParam>, Option<(String, Vec<(String, QueryStyle)>)>), Error> {
        let path_pointer = Pointer::root().join("paths").join(path);
        // Operation-level parameters override path-level ones with the same name and location.
        let mut path_params: IndexMap<String, (Pointer, &'a Parameter)> = IndexMap::new();
        let mut query_params: IndexMap<String, (Pointer, &'a Parameter)> = IndexMap::new();
        let item_params = item
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (path_pointer.join("parameters").join(i.to_string()), p));
        let op_params = operation
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (pointer.join("parameters").join(i.to_string()), p));
        for (param_pointer, slot) in item_params.chain(op_params) {
            let (param_pointer, parameter) = self.resolve_parameter(slot, &param_pointer)?;
            let name = parameter.parameter_data_ref().name.clone();
            match parameter {
                Parameter::Path { .. } => {
                    path_params.insert(name, (param_pointer, parameter));
                }
                Parameter::Query { .. } => {
                    query_params.insert(name, (param_pointer, parameter));
                }
                Parameter::Header { .. } => {
                    return Err(Error::unsupported(
                        &param_pointer,
                        "header parameters are not supported yet",
                    ));
                }
                Parameter::Cookie { .. } => {
                    return Err(Error::unsupported(
                        &param_pointer,
                        "cookie parameters are not supported",
                    ));
                }
            }
        }
        let path_params = self.lower_path_params(path, path_params, operation_id, pointer)?;
        let query = if query_params.is_empty() {
            None
        } else {
            Some(self.lower_query(query_params, operation_id, pointer)?)
        };
        Ok((path_params, query))
    }

    /// The schema of a parameter, and the parameter's example (or its schema's).
    fn parameter_schema(
        &mut self,
        parameter: &'a Parameter,
        hint: &str,
        pointer: &Pointer,
    ) -> Result<(Lowered, Option<serde_json::Value>), Error> {
        let data = parameter.parameter_data_ref();
        match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                let mut example = data.example.clone();
                if let ReferenceOr::Item(schema) = schema {
                    example = example.or_else(|| schema.schema_data.example.clone());
                }
                Ok((self.lower_slot(schema.into(), hint, &pointer.join("schema"))?, example))
            }
            ParameterSchemaOrContent::Content(_) => Err(Error::unsupported(
                pointer,
                "parameters with `content` are not supported",
            )),
        }
    }

    fn lower_path_params(
        &mut self,
        path: &str,
        mut by_name: IndexMap<String, (Pointer, &'a Parameter)>,
        operation_id: &str,
        pointer: &Pointer,
    ) -> Result<Vec<PathParam>, Error> {
        let mut arg_names = Scope::new();
        let mut params = Vec::new();
        for placeholder in path_placeholders(path, pointer)? {
            let (param_pointer, parameter) = by_name.shift_remove(&placeholder).ok_or_else(|| {
                Error::unsupported(
                    pointer,
                    format!("path placeholder `{{{placeholder}}}` has no path parameter"),
                )
            })?;
            let hint = format!("{operation_id}{}", type_name(&placeholder));
            let (lowered, example) = self.parameter_schema(parameter, &hint, &param_pointer)?;
            let is_enum = matches!(&lowered.ty, TypeRef::Named(name) if matches!(self.types.get(name).map(|t| &t.kind), Some(TypeKind::Enum(_))));
            if !(is_enum || matches!(lowered.ty, TypeRef::String | TypeRef::I32 | TypeRef::I64)) {
                return Err(Error::unsupported(
                    &param_pointer,
                    "a path parameter must be a string, a string enum or an integer",
                ));
            }
            let data = parameter.parameter_data_ref();
            params.push(PathParam {
                rust_name: arg_names.claim(&snake_name(&data.name)),
                wire_name: data.name.clone(),
                doc: data.description.clone(),
                ty: lowered.ty,
                example,
            });
        }
        if let Some((name, (param_pointer, _))) = by_name.first() {
            return Err(Error::unsupported(
                param_pointer,
                format!("path parameter `{name}` does not appear in the path `{path}`"),
            ));
        }
        Ok(params)
    }

    /// Defines `{OperationId}Query`, a struct with one field per query parameter. Values must be
    /// scalars or arrays of scalars, which the runtime sends as `name=value` pairs (arrays as
    /// repeated names).
    fn lower_query(
        &mut self,
        params: IndexMap<String, (Pointer, &'a Parameter)>,
        operation_id: &str,
        pointer: &Pointer,
    ) -> Result<(String, Vec<(String, QueryStyle)>), Error> {
        let query_pointer = pointer.join("parameters");
        let mut styles = Vec::new();
        let name = self.claim_type(&format!("{operation_id}Query"), &query_pointer);
        let mut field_names = Scope::new();
        let mut fields = Vec::with_capacity(params.len());
        for (wire_name, (param_pointer, parameter)) in params {
            let hint = format!("{name}{}", type_name(&wire_name));
            let (lowered, example) = self.parameter_schema(parameter, &hint, &param_pointer)?;
            if let Some(style) = self.query_style(parameter, &lowered.ty, &param_pointer)? {
                styles.push((wire_name.clone(), style));
            }
            let data = parameter.parameter_data_ref();
            fields.push(Field {
                rust_name: field_names.claim(&snake_name(&wire_name)),
                wire_name,
                doc: data.description.clone(),
                ty: lowered.ty,
                required: data.required,
                nullable: lowered.nullable,
                presence: Presence::Optional,
                example,
            });
        }
        let doc = format!("The query parameters of `{operation_id}`. Unset fields are not sent.");
        let kind = TypeKind::Struct(StructDef {
            fields,
            used_in_request: false,
            multipart: false,
        });
        self.add_type(&name, Some(doc), &query_pointer, kind);
        Ok((name, styles))
    }

    /// How a query parameter of type `ty` is sent, from its `style` and `explode`: `None` for
    /// the default, one pair per array item. Each style applies to the shapes OpenAPI defines it
    /// for; any other combination is refused.
    fn query_style(&self, parameter: &Parameter, ty: &TypeRef, pointer: &Pointer) -> Result<Option<QueryStyle>, Error> {
        let Parameter::Query { style, .. } = parameter else {
            return Ok(None);
        };
        let explode = parameter.parameter_data_ref().explode;
        let is_array = matches!(ty, TypeRef::Vec(item) if self.is_query_scalar(item));
        let is_object = match ty {
            TypeRef::JsonMap => true,
            TypeRef::Map(value) => self.is_query_scalar(value),
            TypeRef::Named(name) => match self.types.get(name).map(|t| &t.kind) {
                Some(TypeKind::Struct(def)) => def.fields.iter().all(|f| self.is_query_scalar(&f.ty)),
                _ => false,
            },
            _ => false,
        };
        let refuse = |message: &str| Err(Error::unsupported(pointer, message));
        match (style, explode) {
            (openapiv3::QueryStyle::DeepObject, Some(false)) => refuse("`style: deepObject` requires `explode: true`"),
            (openapiv3::QueryStyle::DeepObject, _) if is_object => Ok(Some(QueryStyle::DeepObject)),
            (openapiv3::QueryStyle::DeepObject, _) => {
                refuse("`style: deepObject` applies only to objects whose properties are scalars")
            }
            _ if !(is_array || self.is_query_scalar(ty)) => refuse(
                "a query parameter must be a scalar or an array of scalars (objects only with `style: deepObject`)",
            ),
            (openapiv3::QueryStyle::Form, Some(false)) if is_array => Ok(Some(QueryStyle::Comma)),
            (openapiv3::QueryStyle::Form, _) => Ok(None),
            (openapiv3::QueryStyle::SpaceDelimited | openapiv3::QueryStyle::PipeDelimited, _) if !is_array => {
                refuse("`style: spaceDelimited` and `style: pipeDelimited` apply only to arrays")
            }
            // With `explode: true` these styles are sent as `form` is: one pair per item.
            (_, Some(true)) => Ok(None),
            (openapiv3::QueryStyle::SpaceDelimited, _) => Ok(Some(QueryStyle::Space)),
            (openapiv3::QueryStyle::PipeDelimited, _) => Ok(Some(QueryStyle::Pipe)),
        }
    }

    /// Whether a type is one query value: a scalar or an enum.
    fn is_query_scalar(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::String | TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::F32 | TypeRef::F64 => true,
            TypeRef::Named(name) => matches!(self.types.get(name).map(|t| &t.kind), Some(TypeKind::Enum(_))),
            _ => false,
        }
    }

    fn resolve_parameter(
        &self,
        slot: &'a ReferenceOr<Parameter>,
        pointer: &Pointer,
    ) -> Result<(Pointer, &'a Parameter), Error> {
        match slot {
            ReferenceOr::Item(parameter) => Ok((pointer.clone(), parameter)),
            ReferenceOr::Reference { reference } => {
                let Resolved { pointer, item, .. } = resolve(self.spec, reference, pointer)?;
                Ok((pointer, item))
            }
        }
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
        let (media_type, encoding) = if body.content.contains_key(JSON) {
            (JSON, BodyEncoding::Json)
        } else if body.content.contains_key(MULTIPART) {
            (MULTIPART, BodyEncoding::Multipart)
        } else {
            let types: Vec<&str> = body.content.keys().map(String::as_str).collect();
            return Err(Error::unsupported(
                &body_pointer.join("content"),
                format!(
                    "only application/json and multipart/form-data request bodies are supported, found {}",
                    types.join(", ")
                ),
            ));
        };
        let schema_pointer = body_pointer.join("content").join(media_type).join("schema");
        let ty = match body.content.get(media_type).and_then(|media| media.schema.as_ref()) {
            Some(schema) => self.lower_slot(schema.into(), &hint, &schema_pointer)?.ty,
            None => TypeRef::Json,
        };
        if encoding == BodyEncoding::Multipart {
            self.mark_multipart(&ty, &schema_pointer)?;
        } else {
            self.request_roots.push(ty.clone());
        }
        Ok(Body {
            ty,
            doc: body.description.clone(),
            encoding,
        })
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
