//! Lowering: `openapiv3::OpenAPI` to the resolved [`Api`] model.
//!
//! This is where every decision about the spec is made: `$ref` resolution, naming of inline
//! schemas, which fields are `Option` or three-state, which enums and unions are open, which
//! statuses map to the typed Clerk error. Constructs that cannot be represented faithfully are
//! rejected with an [`Error::Unsupported`] that names their JSON pointer.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, Discriminator, IntegerFormat, NumberFormat, OpenAPI, Operation as SpecOperation, Parameter,
    ParameterSchemaOrContent, PathItem, ReferenceOr, RequestBody, Response, Schema, SchemaKind, StatusCode, Type,
    VariantOrUnknownOrEmpty,
};

use crate::Config;
use crate::error::{Error, Pointer};
use crate::model::{
    Api, Body, EnumDef, EnumVariant, Field, Operation, PathParam, Presence, Resource, StructDef, TypeDef, TypeKind,
    TypeRef, UnionDef, UnionVariant,
};
use crate::names::{Scope, snake_name, type_name, variant_name};

/// The name preferred for the variant that keeps unknown enum values and union tags.
const FALLBACK_VARIANT: &str = "Unknown";
/// The name used for that variant when the enum has a known value that already takes it.
const FALLBACK_VARIANT_ALT: &str = "UnknownValue";
/// The media type the generator reads bodies and responses from.
const JSON: &str = "application/json";

/// Lowers a parsed spec into the model.
pub(crate) fn lower(spec: &OpenAPI, config: &Config) -> Result<Api, Error> {
    let mut lowerer = Lowerer::new(spec);
    lowerer.lower_error_schema(&config.error_schema)?;
    let resources = lowerer.lower_operations(config)?;
    Ok(lowerer.finish(resources))
}

/// A schema after lowering: its Rust type and whether `null` is allowed.
#[derive(Debug, Clone)]
struct Lowered {
    ty: TypeRef,
    nullable: bool,
}

/// A schema position that may hold a `$ref` or an inline schema, whatever its boxing.
enum SchemaSlot<'r, 's> {
    Ref(&'r str),
    Inline(&'s Schema),
}

impl<'s> From<&'s ReferenceOr<Schema>> for SchemaSlot<'s, 's> {
    fn from(slot: &'s ReferenceOr<Schema>) -> Self {
        match slot {
            ReferenceOr::Reference { reference } => SchemaSlot::Ref(reference),
            ReferenceOr::Item(schema) => SchemaSlot::Inline(schema),
        }
    }
}

impl<'s> From<&'s ReferenceOr<Box<Schema>>> for SchemaSlot<'s, 's> {
    fn from(slot: &'s ReferenceOr<Box<Schema>>) -> Self {
        match slot {
            ReferenceOr::Reference { reference } => SchemaSlot::Ref(reference),
            ReferenceOr::Item(schema) => SchemaSlot::Inline(schema),
        }
    }
}

struct Lowerer<'a> {
    spec: &'a OpenAPI,
    /// Type names taken so far. Every component schema's name is taken up front, so inline
    /// schemas never push a component's type to a suffixed name.
    type_names: Scope,
    /// The type name of each component schema, by pointer.
    component_names: BTreeMap<Pointer, String>,
    /// Types defined so far, by name.
    types: BTreeMap<String, TypeDef>,
    /// Every schema lowered so far, by its canonical pointer, so a schema reached twice
    /// (two `$ref`s, or a shared response) becomes one type.
    memo: BTreeMap<Pointer, Lowered>,
    /// Types used directly as request bodies.
    request_roots: Vec<TypeRef>,
    /// The type of the error schema, which mapped error responses must use.
    error_type: TypeRef,
}

impl<'a> Lowerer<'a> {
    fn new(spec: &'a OpenAPI) -> Self {
        let mut type_names = Scope::new();
        let component_names = spec
            .components
            .iter()
            .flat_map(|components| components.schemas.keys())
            .map(|name| {
                let pointer = Pointer::root().join("components").join("schemas").join(name);
                (pointer, type_names.claim(&type_name(name)))
            })
            .collect();
        Lowerer {
            spec,
            type_names,
            component_names,
            types: BTreeMap::new(),
            memo: BTreeMap::new(),
            request_roots: Vec::new(),
            error_type: TypeRef::Json,
        }
    }

    /// Lowers the error schema first, so it is always generated and keeps its own name.
    fn lower_error_schema(&mut self, error_schema: &str) -> Result<(), Error> {
        let reference = format!("#/components/schemas/{error_schema}");
        let lowered = self.lower_slot(SchemaSlot::Ref(&reference), "", &Pointer::root())?;
        match &lowered.ty {
            TypeRef::Named(name) if matches!(self.types.get(name).map(|t| &t.kind), Some(TypeKind::Struct(_))) => {
                self.error_type = lowered.ty;
                Ok(())
            }
            _ => Err(Error::unsupported(
                &Pointer::root().join("components").join("schemas").join(error_schema),
                format!("the error schema `{error_schema}` must be an object with properties"),
            )),
        }
    }

    // ----- schemas -------------------------------------------------------------------------

    /// Lowers a `$ref` or inline schema. `hint` names an inline schema that needs a type;
    /// `pointer` is where the slot is.
    fn lower_slot(&mut self, slot: SchemaSlot<'_, 'a>, hint: &str, pointer: &Pointer) -> Result<Lowered, Error> {
        match slot {
            SchemaSlot::Inline(schema) => self.lower_schema(schema, hint, pointer),
            SchemaSlot::Ref(reference) => {
                let (target, schema, name) = self.resolve_schema_ref(reference, pointer)?;
                self.lower_schema(schema, &type_name(&name), &target)
            }
        }
    }

    /// Resolves `#/components/schemas/NAME`, following chains of references.
    fn resolve_schema_ref(&self, reference: &str, from: &Pointer) -> Result<(Pointer, &'a Schema, String), Error> {
        let mut reference = reference.to_owned();
        for _ in 0..32 {
            let name = component_name(&reference, "schemas").ok_or_else(|| {
                Error::unsupported(
                    from,
                    format!("`$ref: {reference}` does not point into #/components/schemas"),
                )
            })?;
            let slot = self
                .spec
                .components
                .as_ref()
                .and_then(|components| components.schemas.get(&name))
                .ok_or_else(|| Error::unsupported(from, format!("`$ref: {reference}` points to nothing")))?;
            match slot {
                ReferenceOr::Item(schema) => {
                    let pointer = Pointer::root().join("components").join("schemas").join(&name);
                    return Ok((pointer, schema, name));
                }
                ReferenceOr::Reference { reference: next } => reference = next.clone(),
            }
        }
        Err(Error::unsupported(from, "`$ref` chain is circular"))
    }

    fn lower_schema(&mut self, schema: &'a Schema, hint: &str, pointer: &Pointer) -> Result<Lowered, Error> {
        if let Some(done) = self.memo.get(pointer) {
            return Ok(done.clone());
        }
        let nullable = schema.schema_data.nullable;
        let doc = schema.schema_data.description.clone();
        let lowered = match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => {
                let values: Vec<&str> = string.enumeration.iter().flatten().map(String::as_str).collect();
                let null_in_enum = string.enumeration.iter().any(Option::is_none);
                let ty = if values.is_empty() {
                    TypeRef::String
                } else {
                    self.define_enum(hint, doc, &values, pointer)
                };
                Lowered {
                    ty,
                    nullable: nullable || null_in_enum,
                }
            }
            SchemaKind::Type(Type::Integer(integer)) => {
                let ty = match integer.format {
                    VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
                    _ => TypeRef::I64,
                };
                Lowered { ty, nullable }
            }
            SchemaKind::Type(Type::Number(number)) => {
                let ty = match number.format {
                    VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => TypeRef::F32,
                    _ => TypeRef::F64,
                };
                Lowered { ty, nullable }
            }
            SchemaKind::Type(Type::Boolean(_)) => Lowered {
                ty: TypeRef::Bool,
                nullable,
            },
            SchemaKind::Type(Type::Array(array)) => {
                let ty = match &array.items {
                    None => TypeRef::Vec(Box::new(TypeRef::Json)),
                    Some(items) => {
                        let item = self.lower_slot(items.into(), &format!("{hint}Item"), &pointer.join("items"))?;
                        TypeRef::Vec(Box::new(item.ty))
                    }
                };
                Lowered { ty, nullable }
            }
            SchemaKind::Type(Type::Object(object)) => {
                let ty = self.lower_object(
                    &object.properties,
                    &object.required,
                    object.additional_properties.as_ref(),
                    hint,
                    doc,
                    pointer,
                )?;
                Lowered { ty, nullable }
            }
            SchemaKind::OneOf { one_of } => {
                let ty = self.lower_one_of(one_of, schema.schema_data.discriminator.as_ref(), hint, doc, pointer)?;
                Lowered { ty, nullable }
            }
            SchemaKind::AllOf { .. } => {
                return Err(Error::unsupported(pointer, "`allOf` is not supported yet"));
            }
            SchemaKind::AnyOf { .. } => {
                return Err(Error::unsupported(pointer, "`anyOf` is not supported yet"));
            }
            SchemaKind::Not { .. } => {
                return Err(Error::unsupported(pointer, "`not` cannot be represented in Rust"));
            }
            SchemaKind::Any(any) => {
                let ty = if !any.all_of.is_empty() {
                    return Err(Error::unsupported(pointer, "`allOf` is not supported yet"));
                } else if !any.any_of.is_empty() {
                    return Err(Error::unsupported(pointer, "`anyOf` is not supported yet"));
                } else if any.not.is_some() {
                    return Err(Error::unsupported(pointer, "`not` cannot be represented in Rust"));
                } else if !any.one_of.is_empty() {
                    if !any.properties.is_empty() {
                        return Err(Error::unsupported(
                            pointer,
                            "`oneOf` beside `properties` is not supported",
                        ));
                    }
                    self.lower_one_of(
                        &any.one_of,
                        schema.schema_data.discriminator.as_ref(),
                        hint,
                        doc,
                        pointer,
                    )?
                } else if any.typ.as_deref() == Some("object") || !any.properties.is_empty() {
                    self.lower_object(
                        &any.properties,
                        &any.required,
                        any.additional_properties.as_ref(),
                        hint,
                        doc,
                        pointer,
                    )?
                } else if any.typ.is_none() && any.enumeration.is_empty() && any.items.is_none() {
                    TypeRef::Json
                } else {
                    let typ = any.typ.as_deref().unwrap_or("(none)");
                    return Err(Error::unsupported(
                        pointer,
                        format!("schema of type `{typ}` mixes keywords that do not belong to that type"),
                    ));
                };
                Lowered { ty, nullable }
            }
        };
        self.memo.insert(pointer.clone(), lowered.clone());
        Ok(lowered)
    }

    fn lower_object(
        &mut self,
        properties: &'a IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&'a AdditionalProperties>,
        hint: &str,
        doc: Option<String>,
        pointer: &Pointer,
    ) -> Result<TypeRef, Error> {
        if !properties.is_empty() {
            return self.define_struct(properties, required, hint, doc, pointer);
        }
        match additional {
            Some(AdditionalProperties::Schema(values)) => {
                let value = self.lower_slot(
                    values.as_ref().into(),
                    &format!("{hint}Value"),
                    &pointer.join("additionalProperties"),
                )?;
                Ok(TypeRef::Map(Box::new(value.ty)))
            }
            Some(AdditionalProperties::Any(_)) | None => Ok(TypeRef::JsonMap),
        }
    }

    fn define_struct(
        &mut self,
        properties: &'a IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        hint: &str,
        doc: Option<String>,
        pointer: &Pointer,
    ) -> Result<TypeRef, Error> {
        let name = self.claim_type(hint, pointer);
        let mut field_names = Scope::new();
        let mut fields = Vec::with_capacity(properties.len());
        for (wire_name, slot) in properties {
            let field_pointer = pointer.join("properties").join(wire_name);
            let field_hint = format!("{name}{}", type_name(wire_name));
            let (field_doc, example) = match slot {
                ReferenceOr::Item(schema) => (
                    schema.schema_data.description.clone(),
                    schema.schema_data.example.clone(),
                ),
                ReferenceOr::Reference { .. } => (None, None),
            };
            let lowered = self.lower_slot(slot.into(), &field_hint, &field_pointer)?;
            let is_required = required.contains(wire_name);
            fields.push(Field {
                wire_name: wire_name.clone(),
                rust_name: field_names.claim(&snake_name(wire_name)),
                doc: field_doc,
                ty: lowered.ty,
                required: is_required,
                nullable: lowered.nullable,
                // Decided in `finish`, once it is known whether the type is used in a request.
                presence: Presence::Optional,
                example,
            });
        }
        let kind = TypeKind::Struct(StructDef {
            fields,
            used_in_request: false,
        });
        self.add_type(&name, doc, pointer, kind);
        Ok(TypeRef::Named(name))
    }

    fn define_enum(&mut self, hint: &str, doc: Option<String>, values: &[&str], pointer: &Pointer) -> TypeRef {
        let name = self.claim_type(hint, pointer);
        let mut variant_names = Scope::new();
        let mut seen = BTreeSet::new();
        let variants = values
            .iter()
            .filter(|value| seen.insert(**value))
            .map(|value| EnumVariant {
                wire: (*value).to_owned(),
                rust_name: variant_names.claim(&variant_name(value)),
            })
            .collect();
        let fallback = claim_fallback(&mut variant_names);
        self.add_type(&name, doc, pointer, TypeKind::Enum(EnumDef { variants, fallback }));
        TypeRef::Named(name)
    }

    fn lower_one_of(
        &mut self,
        members: &'a [ReferenceOr<Schema>],
        discriminator: Option<&'a Discriminator>,
        hint: &str,
        doc: Option<String>,
        pointer: &Pointer,
    ) -> Result<TypeRef, Error> {
        let Some(discriminator) = discriminator else {
            return Err(Error::unsupported(
                pointer,
                "`oneOf` without a `discriminator` is not supported yet",
            ));
        };
        let name = self.claim_type(hint, pointer);
        let mut variant_names = Scope::new();
        let mut variants = Vec::with_capacity(members.len());
        for (index, member) in members.iter().enumerate() {
            let member_pointer = pointer.join("oneOf").join(index.to_string());
            let ReferenceOr::Reference { reference } = member else {
                return Err(Error::unsupported(
                    &member_pointer,
                    "a `oneOf` member with a discriminator must be a `$ref` to a component schema",
                ));
            };
            let (_, target, component) = self.resolve_schema_ref(reference, &member_pointer)?;
            let lowered = self.lower_slot(SchemaSlot::Ref(reference), "", &member_pointer)?;
            let TypeRef::Named(ty) = lowered.ty else {
                return Err(Error::unsupported(
                    &member_pointer,
                    "a discriminated `oneOf` member must be an object",
                ));
            };
            if !matches!(self.types.get(&ty).map(|t| &t.kind), Some(TypeKind::Struct(_))) {
                return Err(Error::unsupported(
                    &member_pointer,
                    "a discriminated `oneOf` member must be an object",
                ));
            }
            let tag = discriminator
                .mapping
                .iter()
                .find(|(_, target)| *target == reference || **target == component)
                .map(|(tag, _)| tag.clone())
                .unwrap_or_else(|| component.clone());
            let preferred = match target.schema_data.extensions.get("x-speakeasy-name-override") {
                Some(serde_json::Value::String(name)) => variant_name(name),
                _ => ty.clone(),
            };
            variants.push(UnionVariant {
                tag,
                rust_name: variant_names.claim(&preferred),
                ty,
            });
        }
        let fallback = claim_fallback(&mut variant_names);
        let union = UnionDef {
            tag_field: discriminator.property_name.clone(),
            variants,
            fallback,
        };
        self.add_type(&name, doc, pointer, TypeKind::Union(union));
        Ok(TypeRef::Named(name))
    }

    /// Claims a unique type name and records it for `pointer`, so recursive references to the
    /// schema resolve to the type being defined.
    fn claim_type(&mut self, hint: &str, pointer: &Pointer) -> String {
        let name = match self.component_names.get(pointer) {
            Some(name) => name.clone(),
            None => self.type_names.claim(&type_name(hint)),
        };
        self.memo.insert(
            pointer.clone(),
            Lowered {
                ty: TypeRef::Named(name.clone()),
                nullable: false,
            },
        );
        name
    }

    fn add_type(&mut self, name: &str, doc: Option<String>, pointer: &Pointer, kind: TypeKind) {
        let def = TypeDef {
            name: name.to_owned(),
            doc,
            pointer: pointer.clone(),
            kind,
        };
        self.types.insert(name.to_owned(), def);
    }

    // ----- operations ----------------------------------------------------------------------

    fn lower_operations(&mut self, config: &Config) -> Result<Vec<Resource>, Error> {
        let mut resources: IndexMap<String, Resource> = IndexMap::new();
        let mut method_names: BTreeMap<String, Scope> = BTreeMap::new();
        for (path, item) in &self.spec.paths.paths {
            let path_pointer = Pointer::root().join("paths").join(path);
            let ReferenceOr::Item(item) = item else {
                return Err(Error::unsupported(&path_pointer, "`$ref` path items are not supported"));
            };
            for (method, operation) in item.iter() {
                let pointer = path_pointer.join(method);
                let accessor = self.resource_of(operation, &pointer)?;
                let lowered = self.lower_operation(path, method, item, operation, config, &pointer)?;
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
                        type_name: type_name(&accessor),
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
        group
            .map(snake_name)
            .ok_or_else(|| Error::unsupported(pointer, "operation has neither `x-speakeasy-group` nor `tags`"))
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
        let id = operation
            .operation_id
            .clone()
            .ok_or_else(|| Error::unsupported(pointer, "operation has no `operationId`"))?;
        let method_name = match operation.extensions.get("x-speakeasy-name-override") {
            Some(serde_json::Value::String(name)) => snake_name(name),
            _ => snake_name(&id),
        };
        let path_params = self.lower_path_params(path, item, operation, pointer)?;
        let body = match &operation.request_body {
            Some(body) => Some(self.lower_body(body, &id, &pointer.join("requestBody"))?),
            None => None,
        };
        let (success_status, response, error_statuses) = self.lower_responses(operation, &id, config, pointer)?;
        Ok(Operation {
            id,
            method_name,
            http_method: method.to_ascii_uppercase(),
            path: path.to_owned(),
            path_params,
            body,
            response,
            success_status,
            error_statuses,
            idempotent: method != "post",
            summary: operation.summary.clone(),
            description: operation.description.clone(),
            deprecated: operation.deprecated,
            pointer: pointer.clone(),
        })
    }

    fn lower_path_params(
        &mut self,
        path: &str,
        item: &'a PathItem,
        operation: &'a SpecOperation,
        pointer: &Pointer,
    ) -> Result<Vec<PathParam>, Error> {
        let path_pointer = Pointer::root().join("paths").join(path);
        // Operation-level parameters override path-level ones with the same name and location.
        let mut by_name: IndexMap<String, (Pointer, &'a Parameter)> = IndexMap::new();
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
            let data = parameter.parameter_data_ref();
            match parameter {
                Parameter::Path { .. } => {
                    by_name.insert(data.name.clone(), (param_pointer, parameter));
                }
                Parameter::Query { .. } => {
                    return Err(Error::unsupported(
                        &param_pointer,
                        "query parameters are not supported yet",
                    ));
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
        let mut arg_names = Scope::new();
        let mut params = Vec::new();
        for placeholder in path_placeholders(path, pointer)? {
            let (param_pointer, parameter) = by_name.shift_remove(&placeholder).ok_or_else(|| {
                Error::unsupported(
                    pointer,
                    format!("path placeholder `{{{placeholder}}}` has no path parameter"),
                )
            })?;
            let data = parameter.parameter_data_ref();
            let mut example = data.example.clone();
            let ty = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    if let ReferenceOr::Item(schema) = schema {
                        example = example.or_else(|| schema.schema_data.example.clone());
                    }
                    self.lower_slot(schema.into(), "", &param_pointer.join("schema"))?.ty
                }
                ParameterSchemaOrContent::Content(_) => {
                    return Err(Error::unsupported(
                        &param_pointer,
                        "path parameters with `content` are not supported",
                    ));
                }
            };
            if !matches!(ty, TypeRef::String | TypeRef::I32 | TypeRef::I64) {
                return Err(Error::unsupported(
                    &param_pointer,
                    "a path parameter must be a string or an integer",
                ));
            }
            params.push(PathParam {
                rust_name: arg_names.claim(&snake_name(&data.name)),
                wire_name: data.name.clone(),
                doc: data.description.clone(),
                ty,
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

    fn resolve_parameter(
        &self,
        slot: &'a ReferenceOr<Parameter>,
        pointer: &Pointer,
    ) -> Result<(Pointer, &'a Parameter), Error> {
        match slot {
            ReferenceOr::Item(parameter) => Ok((pointer.clone(), parameter)),
            ReferenceOr::Reference { reference } => {
                let name = component_name(reference, "parameters").ok_or_else(|| {
                    Error::unsupported(
                        pointer,
                        format!("`$ref: {reference}` does not point into #/components/parameters"),
                    )
                })?;
                let target = Pointer::root().join("components").join("parameters").join(&name);
                match self.spec.components.as_ref().and_then(|c| c.parameters.get(&name)) {
                    Some(ReferenceOr::Item(parameter)) => Ok((target, parameter)),
                    Some(ReferenceOr::Reference { .. }) => Err(Error::unsupported(
                        &target,
                        "chained parameter references are not supported",
                    )),
                    None => Err(Error::unsupported(
                        pointer,
                        format!("`$ref: {reference}` points to nothing"),
                    )),
                }
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
                let name = component_name(reference, "requestBodies").ok_or_else(|| {
                    Error::unsupported(
                        pointer,
                        format!("`$ref: {reference}` does not point into #/components/requestBodies"),
                    )
                })?;
                let target = Pointer::root().join("components").join("requestBodies").join(&name);
                match self.spec.components.as_ref().and_then(|c| c.request_bodies.get(&name)) {
                    Some(ReferenceOr::Item(body)) => (target, body, name),
                    _ => {
                        return Err(Error::unsupported(
                            pointer,
                            format!("`$ref: {reference}` cannot be resolved"),
                        ));
                    }
                }
            }
        };
        let Some(media) = body.content.get(JSON) else {
            let types: Vec<&str> = body.content.keys().map(String::as_str).collect();
            return Err(Error::unsupported(
                &body_pointer.join("content"),
                format!(
                    "only application/json request bodies are supported, found {}",
                    types.join(", ")
                ),
            ));
        };
        let schema_pointer = body_pointer.join("content").join(JSON).join("schema");
        let ty = match &media.schema {
            Some(schema) => self.lower_slot(schema.into(), &hint, &schema_pointer)?.ty,
            None => TypeRef::Json,
        };
        self.request_roots.push(ty.clone());
        Ok(Body {
            ty,
            doc: body.description.clone(),
        })
    }

    /// Returns the success status, its response type and the mapped error statuses.
    fn lower_responses(
        &mut self,
        operation: &'a SpecOperation,
        operation_id: &str,
        config: &Config,
        pointer: &Pointer,
    ) -> Result<(u16, Option<TypeRef>, Vec<u16>), Error> {
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
            let ty = self.lower_response_content(response, &hint, &response_pointer)?;
            match code {
                200..=299 => match &success {
                    None => success = Some((code, ty)),
                    Some((_, first)) if *first == ty => {}
                    Some(_) => {
                        return Err(Error::unsupported(
                            &status_pointer,
                            "2xx responses with different bodies are not supported",
                        ));
                    }
                },
                400..=599 => {
                    if ty.as_ref() != Some(&self.error_type) {
                        return Err(Error::unsupported(
                            &response_pointer,
                            format!(
                                "error responses must use the `{}` schema to be mapped",
                                config.error_schema
                            ),
                        ));
                    }
                    error_statuses.push(code);
                }
                _ => {
                    return Err(Error::unsupported(
                        &status_pointer,
                        format!("status {code} is not supported"),
                    ));
                }
            }
        }
        let Some((success_status, response)) = success else {
            return Err(Error::unsupported(&responses_pointer, "operation has no 2xx response"));
        };
        error_statuses.sort_unstable();
        Ok((success_status, response, error_statuses))
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
                let name = component_name(reference, "responses").ok_or_else(|| {
                    Error::unsupported(
                        pointer,
                        format!("`$ref: {reference}` does not point into #/components/responses"),
                    )
                })?;
                let target = Pointer::root().join("components").join("responses").join(&name);
                match self.spec.components.as_ref().and_then(|c| c.responses.get(&name)) {
                    Some(ReferenceOr::Item(response)) => Ok((target, response, name)),
                    _ => Err(Error::unsupported(
                        pointer,
                        format!("`$ref: {reference}` cannot be resolved"),
                    )),
                }
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

    // ----- finishing -----------------------------------------------------------------------

    /// Marks request types, decides every field's presence and orders the types by name.
    fn finish(mut self, resources: Vec<Resource>) -> Api {
        let request_types = self.reachable_from(&self.request_roots);
        for (name, def) in &mut self.types {
            if let TypeKind::Struct(def) = &mut def.kind {
                def.used_in_request = request_types.contains(name);
                for field in &mut def.fields {
                    field.presence = presence(field.required, field.nullable, def.used_in_request);
                }
            }
        }
        let info = &self.spec.info;
        Api {
            title: info.title.clone(),
            version: info.version.clone(),
            default_server: self.spec.servers.first().map(|server| server.url.clone()),
            types: self.types.into_values().collect(),
            error_type: self.error_type.named().unwrap_or_default().to_owned(),
            resources,
        }
    }

    /// Names of all generated types reachable from `roots`.
    fn reachable_from(&self, roots: &[TypeRef]) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<String> = roots.iter().filter_map(TypeRef::named).map(str::to_owned).collect();
        while let Some(name) = stack.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            match self.types.get(&name).map(|def| &def.kind) {
                Some(TypeKind::Struct(def)) => {
                    stack.extend(def.fields.iter().filter_map(|f| f.ty.named()).map(str::to_owned));
                }
                Some(TypeKind::Union(def)) => stack.extend(def.variants.iter().map(|v| v.ty.clone())),
                Some(TypeKind::Enum(_)) | None => {}
            }
        }
        seen
    }
}

/// How a field is represented, from the rules documented on [`Presence`].
fn presence(required: bool, nullable: bool, used_in_request: bool) -> Presence {
    match (required, nullable) {
        (true, false) => Presence::Required,
        (true, true) => Presence::RequiredNullable,
        (false, true) if used_in_request => Presence::ThreeState,
        (false, _) => Presence::Optional,
    }
}

/// Claims the fallback variant's name in an enum or union.
fn claim_fallback(variant_names: &mut Scope) -> String {
    if variant_names.contains(FALLBACK_VARIANT) {
        variant_names.claim(FALLBACK_VARIANT_ALT)
    } else {
        variant_names.claim(FALLBACK_VARIANT)
    }
}

/// The `NAME` of `#/components/{section}/NAME`, unescaped.
fn component_name(reference: &str, section: &str) -> Option<String> {
    let pointer = Pointer::from_ref(reference)?;
    let segments: Vec<String> = pointer.segments().collect();
    match segments.as_slice() {
        [components, found, name] if components == "components" && found == section => Some(name.clone()),
        _ => None,
    }
}

/// The `{name}` placeholders of a path template, in order.
fn path_placeholders(path: &str, pointer: &Pointer) -> Result<Vec<String>, Error> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let end = after
            .find('}')
            .ok_or_else(|| Error::unsupported(pointer, format!("unclosed `{{` in path `{path}`")))?;
        let name = &after[..end];
        if name.is_empty() || name.contains('{') {
            return Err(Error::unsupported(
                pointer,
                format!("malformed placeholder in path `{path}`"),
            ));
        }
        names.push(name.to_owned());
        rest = &after[end + 1..];
    }
    if rest.contains('}') {
        return Err(Error::unsupported(pointer, format!("unmatched `}}` in path `{path}`")));
    }
    Ok(names)
}
