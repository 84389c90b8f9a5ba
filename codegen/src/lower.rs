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
    Api, Body, BodyEncoding, EnumDef, EnumVariant, Field, Operation, PathParam, Presence, Resource, Shape, StructDef,
    TypeDef, TypeKind, TypeRef, UnionDef, UnionVariant, UntaggedDef, UntaggedVariant,
};
use crate::names::{Scope, avoiding, constant_name, has_word, snake_name, type_name, unraw, variant_name};

/// The name preferred for the variant that keeps unknown enum values and union tags.
const FALLBACK_VARIANT: &str = "Unknown";
/// The name used for that variant when the enum has a known value that already takes it.
const FALLBACK_VARIANT_ALT: &str = "UnknownValue";
/// The media type the generator reads bodies and responses from.
const JSON: &str = "application/json";
/// Past this many characters, a nested type is named after its property alone (if free).
const READABLE_NAME_LEN: usize = 40;
/// The media type of form bodies with files.
const MULTIPART: &str = "multipart/form-data";
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
/// operations modules import.
const RESERVED_HANDLES: &[&str] = &["Call", "Clerk", "Method", "Operation", "RetryClass"];

/// Lowers a parsed spec into the model.
pub(crate) fn lower(spec: &OpenAPI, config: &Config) -> Result<Api, Error> {
    check_version(&spec.info.version)?;
    let mut lowerer = Lowerer::new(spec)?;
    let resources = lowerer.lower_operations(config)?;
    if config.standalone.is_none() {
        // `clerk-sdk`'s runtime names the error body type, so the SDK needs it even when no
        // operation maps an error response.
        let components = Pointer::root().join("components").join("schemas");
        let why = "`clerk-sdk`'s runtime decodes every error body into";
        let note = "; a crate generated with `--out` needs it only for mapped error responses";
        lowerer.error_body(config, &components, (why, note))?;
    }
    lowerer.check_recursion()?;
    Ok(lowerer.finish(resources))
}

/// The API version is sent as the `Clerk-API-Version` header of every request, so it must be a
/// valid header value: visible ASCII, spaces and tabs.
fn check_version(version: &str) -> Result<(), Error> {
    if version
        .bytes()
        .all(|byte| byte == b'\t' || (b' '..=b'~').contains(&byte))
    {
        Ok(())
    } else {
        Err(Error::unsupported(
            &Pointer::root().join("info").join("version"),
            format!(
                "the version {version:?} is sent as the `Clerk-API-Version` header, which allows only visible ASCII"
            ),
        ))
    }
}

/// Refuses a path template whose literal text would not reach the endpoint it names: one that
/// does not start with `/`, holds a `.` or `..` segment (which URL normalization resolves
/// away), or a character a URL path does not carry as it is (`?` would start a query, `#` a
/// fragment; spaces and non-ASCII would be re-encoded). Placeholders are checked apart.
fn check_path_literal(path: &str, pointer: &Pointer) -> Result<(), Error> {
    let refuse = |why: String| Err(Error::unsupported(pointer, format!("the path `{path}` {why}")));
    if !path.starts_with('/') {
        return refuse("does not start with `/`".to_owned());
    }
    if path.split('/').any(|segment| segment == "." || segment == "..") {
        return refuse("has a `.` or `..` segment".to_owned());
    }
    // RFC 3986 `pchar`s and `/`, plus the braces of placeholders.
    let allowed = |c: char| c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@/%{}".contains(c);
    match path.chars().find(|&c| !allowed(c)) {
        Some(c) => refuse(format!("holds {c:?}, which a URL path cannot carry as it is")),
        None => Ok(()),
    }
}

/// The properties of an object schema, as openapiv3 holds them.
type Properties = IndexMap<String, ReferenceOr<Box<Schema>>>;

/// One property to become a field, with the pointer it is lowered at.
struct PropertySlot<'a> {
    name: &'a String,
    slot: &'a ReferenceOr<Box<Schema>>,
    pointer: Pointer,
}

/// Adds an object schema's properties to `into` (replacing same-named ones), each to be lowered
/// at its pointer under `schema_pointer`.
fn add_properties<'a>(
    into: &mut IndexMap<&'a String, PropertySlot<'a>>,
    own: &'a Properties,
    schema_pointer: &Pointer,
) {
    for (name, slot) in own {
        let pointer = schema_pointer.join("properties").join(name);
        into.insert(name, PropertySlot { name, slot, pointer });
    }
}

/// An empty property map to borrow for schemas that have none.
static EMPTY_PROPERTIES: std::sync::OnceLock<IndexMap<String, ReferenceOr<Box<Schema>>>> = std::sync::OnceLock::new();

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
    /// The type of the error schema, which mapped error responses must use, once something
    /// needed it.
    error_type: Option<TypeRef>,
}

impl<'a> Lowerer<'a> {
    /// Reserves every component schema's type name up front. Two components whose names become
    /// the same Rust name are an error: numbering one of them would make its name depend on the
    /// order of the spec, and change when Clerk reorders it.
    fn new(spec: &'a OpenAPI) -> Result<Self, Error> {
        let mut type_names = Scope::new();
        let mut component_names = BTreeMap::new();
        let mut owners: BTreeMap<String, String> = BTreeMap::new();
        for name in spec.components.iter().flat_map(|components| components.schemas.keys()) {
            let pointer = Pointer::root().join("components").join("schemas").join(name);
            let rust_name = type_name(name);
            if let Some(first) = owners.get(&rust_name) {
                return Err(Error::unsupported(
                    &pointer,
                    format!("schemas `{first}` and `{name}` would both be named `{rust_name}` in Rust; rename one"),
                ));
            }
            owners.insert(rust_name.clone(), name.clone());
            component_names.insert(pointer, type_names.claim(&rust_name));
        }
        Ok(Lowerer {
            spec,
            type_names,
            component_names,
            types: BTreeMap::new(),
            memo: BTreeMap::new(),
            request_roots: Vec::new(),
            error_type: None,
        })
    }

    /// Rejects a struct that contains itself without a `Vec` or map in between, which Rust
    /// cannot lay out (it would need a `Box`).
    fn check_recursion(&self) -> Result<(), Error> {
        for (name, def) in &self.types {
            let mut seen = BTreeSet::new();
            let mut stack: Vec<&str> = direct_children(&def.kind);
            while let Some(child) = stack.pop() {
                if child == name {
                    return Err(Error::unsupported(
                        &def.pointer,
                        format!("`{name}` contains itself directly; recursive schemas are not supported yet"),
                    ));
                }
                if seen.insert(child)
                    && let Some(child_def) = self.types.get(child)
                {
                    stack.extend(direct_children(&child_def.kind));
                }
            }
        }
        Ok(())
    }

    /// The type of the configured error schema, lowered the first time something needs it.
    /// When the spec does not define it, the error is located at `needed_by`, where the need
    /// arose, and says why: `why`, then the schema's pointer, then `note`.
    fn error_body(
        &mut self,
        config: &Config,
        needed_by: &Pointer,
        (why, note): (&str, &str),
    ) -> Result<TypeRef, Error> {
        if let Some(ty) = &self.error_type {
            return Ok(ty.clone());
        }
        let error_schema = &config.error_schema;
        let pointer = Pointer::root().join("components").join("schemas").join(error_schema);
        let defined = self
            .spec
            .components
            .as_ref()
            .is_some_and(|components| components.schemas.contains_key(error_schema));
        if !defined {
            return Err(Error::unsupported(
                needed_by,
                format!("{why} `{pointer}`, which the spec does not define{note}"),
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
                let binary = matches!(
                    string.format,
                    VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary)
                );
                let ty = if binary {
                    TypeRef::Binary
                } else if values.is_empty() {
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
                let discriminator = schema.schema_data.discriminator.as_ref();
                let ty = self.lower_alternatives(one_of, discriminator, hint, doc, &pointer.join("oneOf"), pointer)?;
                Lowered { ty, nullable }
            }
            SchemaKind::AnyOf { any_of } => {
                let discriminator = schema.schema_data.discriminator.as_ref();
                let ty = self.lower_alternatives(any_of, discriminator, hint, doc, &pointer.join("anyOf"), pointer)?;
                Lowered { ty, nullable }
            }
            SchemaKind::AllOf { all_of } => {
                let no_properties = EMPTY_PROPERTIES.get_or_init(IndexMap::new);
                let ty = self.lower_all_of(all_of, no_properties, &[], hint, doc, pointer)?;
                Lowered { ty, nullable }
            }
            SchemaKind::Not { .. } => {
                return Err(Error::unsupported(pointer, "`not` cannot be represented in Rust"));
            }
            SchemaKind::Any(any) => {
                let alternatives = if any.one_of.is_empty() {
                    &any.any_of
                } else {
                    &any.one_of
                };
                let keyword = if any.one_of.is_empty() { "anyOf" } else { "oneOf" };
                let ty = if any.not.is_some() {
                    return Err(Error::unsupported(pointer, "`not` cannot be represented in Rust"));
                } else if !any.all_of.is_empty() {
                    if !alternatives.is_empty() && !is_constraint_only(alternatives) {
                        return Err(Error::unsupported(
                            pointer,
                            "`allOf` beside `oneOf` or `anyOf` is not supported",
                        ));
                    }
                    self.lower_all_of(&any.all_of, &any.properties, &any.required, hint, doc, pointer)?
                } else if !alternatives.is_empty() && !is_constraint_only(alternatives) {
                    if !any.properties.is_empty() {
                        return Err(Error::unsupported(
                            pointer,
                            format!("`{keyword}` beside `properties` is not supported"),
                        ));
                    }
                    let discriminator = schema.schema_data.discriminator.as_ref();
                    self.lower_alternatives(alternatives, discriminator, hint, doc, &pointer.join(keyword), pointer)?
                } else if any.typ.as_deref() == Some("object") || !any.properties.is_empty() {
                    // A `oneOf`/`anyOf` of bare `required` lists only constrains which optional
                    // fields must be set; the struct carries them all, and the doc says so.
                    let doc = constraint_doc(doc, alternatives);
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
        let mut slots = IndexMap::new();
        add_properties(&mut slots, properties, pointer);
        self.define_struct_from(slots.into_values().collect(), required, hint, doc, pointer)
    }

    /// Defines a struct from properties that may come from several schemas (for `allOf`), each
    /// lowered at its own pointer so a property inherited from a component is one type.
    fn define_struct_from(
        &mut self,
        properties: Vec<PropertySlot<'a>>,
        required: &[String],
        hint: &str,
        doc: Option<String>,
        pointer: &Pointer,
    ) -> Result<TypeRef, Error> {
        let name = self.claim_type(hint, pointer);
        let mut field_names = Scope::new();
        let mut fields = Vec::with_capacity(properties.len());
        for PropertySlot {
            name: wire_name,
            slot,
            pointer: field_pointer,
        } in properties
        {
            let field_hint = self.nested_hint(&name, wire_name);
            let (field_doc, example) = match slot {
                ReferenceOr::Item(schema) => (
                    schema.schema_data.description.clone(),
                    schema.schema_data.example.clone(),
                ),
                ReferenceOr::Reference { .. } => (None, None),
            };
            let lowered = self.lower_slot(slot.into(), &field_hint, &field_pointer)?;
            fields.push(Field {
                wire_name: wire_name.clone(),
                rust_name: field_names.claim(&snake_name(wire_name)),
                setter: String::new(),
                doc: field_doc,
                ty: lowered.ty,
                required: required.contains(wire_name),
                nullable: lowered.nullable,
                // Decided in `finish`, once it is known whether the type is used in a request.
                presence: Presence::Optional,
                example,
            });
        }
        let kind = TypeKind::Struct(StructDef {
            fields,
            used_in_request: false,
            multipart: false,
        });
        self.add_type(&name, doc, pointer, kind);
        Ok(TypeRef::Named(name))
    }

    /// `allOf`: a single member (usually a `$ref` made nullable or documented) is that member's
    /// type; several members are merged into one struct with every member's properties and
    /// required fields (later members win on a name clash), plus the schema's own.
    fn lower_all_of(
        &mut self,
        members: &'a [ReferenceOr<Schema>],
        own_properties: &'a IndexMap<String, ReferenceOr<Box<Schema>>>,
        own_required: &[String],
        hint: &str,
        doc: Option<String>,
        pointer: &Pointer,
    ) -> Result<TypeRef, Error> {
        if let ([member], true) = (members, own_properties.is_empty()) {
            return Ok(self
                .lower_slot(member.into(), hint, &pointer.join("allOf").join("0"))?
                .ty);
        }
        let mut properties: IndexMap<&'a String, PropertySlot<'a>> = IndexMap::new();
        let mut required: Vec<String> = own_required.to_vec();
        for (index, member) in members.iter().enumerate() {
            let member_pointer = pointer.join("allOf").join(index.to_string());
            self.collect_properties(member, &member_pointer, &mut properties, &mut required, 0)?;
        }
        add_properties(&mut properties, own_properties, pointer);
        let doc = doc.or_else(|| self.first_member_doc(members));
        self.define_struct_from(properties.into_values().collect(), &required, hint, doc, pointer)
    }

    /// The description of the first `$ref` member of an `allOf`, for a merged struct with none.
    fn first_member_doc(&self, members: &'a [ReferenceOr<Schema>]) -> Option<String> {
        members.iter().find_map(|member| match member {
            ReferenceOr::Reference { reference } => self
                .resolve_schema_ref(reference, &Pointer::root())
                .ok()
                .and_then(|(_, schema, _)| schema.schema_data.description.clone()),
            ReferenceOr::Item(_) => None,
        })
    }

    /// Adds the properties and required names of one `allOf` member (following `$ref`s and
    /// nested `allOf`s) to `properties` and `required`.
    fn collect_properties(
        &self,
        member: &'a ReferenceOr<Schema>,
        pointer: &Pointer,
        properties: &mut IndexMap<&'a String, PropertySlot<'a>>,
        required: &mut Vec<String>,
        depth: usize,
    ) -> Result<(), Error> {
        if depth > 16 {
            return Err(Error::unsupported(pointer, "`allOf` nests too deeply (or is circular)"));
        }
        let (schema, schema_pointer) = match member {
            ReferenceOr::Reference { reference } => {
                let (target, schema, _) = self.resolve_schema_ref(reference, pointer)?;
                (schema, target)
            }
            ReferenceOr::Item(schema) => (schema, pointer.clone()),
        };
        let (own, own_required, nested): (&'a Properties, &'a [String], &'a [ReferenceOr<Schema>]) =
            match &schema.schema_kind {
                SchemaKind::Type(Type::Object(object)) => (&object.properties, &object.required, &[]),
                SchemaKind::AllOf { all_of } => (EMPTY_PROPERTIES.get_or_init(IndexMap::new), &[], all_of),
                SchemaKind::Any(any) if any.one_of.is_empty() && any.any_of.is_empty() => {
                    (&any.properties, &any.required, &any.all_of)
                }
                _ => {
                    return Err(Error::unsupported(
                        pointer,
                        "an `allOf` member must be an object schema",
                    ));
                }
            };
        for (index, inner) in nested.iter().enumerate() {
            let inner_pointer = schema_pointer.join("allOf").join(index.to_string());
            self.collect_properties(inner, &inner_pointer, properties, required, depth + 1)?;
        }
        add_properties(properties, own, &schema_pointer);
        required.extend(own_required.iter().cloned());
        Ok(())
    }

    /// `oneOf` / `anyOf`: one member is that member's type; a discriminator makes a tagged
    /// union; otherwise an untagged union that picks the variant by the value's shape.
    fn lower_alternatives(
        &mut self,
        members: &'a [ReferenceOr<Schema>],
        discriminator: Option<&'a Discriminator>,
        hint: &str,
        doc: Option<String>,
        members_pointer: &Pointer,
        pointer: &Pointer,
    ) -> Result<TypeRef, Error> {
        match (members, discriminator) {
            ([member], None) => Ok(self.lower_slot(member.into(), hint, &members_pointer.join("0"))?.ty),
            (_, Some(discriminator)) => self.lower_one_of(members, discriminator, hint, doc, members_pointer, pointer),
            (_, None) => self.define_untagged(members, hint, doc, members_pointer, pointer),
        }
    }

    fn define_untagged(
        &mut self,
        members: &'a [ReferenceOr<Schema>],
        hint: &str,
        doc: Option<String>,
        members_pointer: &Pointer,
        pointer: &Pointer,
    ) -> Result<TypeRef, Error> {
        let name = self.claim_type(hint, pointer);
        let mut variant_names = Scope::new();
        let mut variants = Vec::with_capacity(members.len());
        for (index, member) in members.iter().enumerate() {
            let member_pointer = members_pointer.join(index.to_string());
            let member_hint = format!("{name}{}", index + 1);
            let lowered = self.lower_slot(member.into(), &member_hint, &member_pointer)?;
            let preferred = match member {
                ReferenceOr::Reference { reference } => {
                    let (_, target, _) = self.resolve_schema_ref(reference, &member_pointer)?;
                    match target.schema_data.extensions.get("x-speakeasy-name-override") {
                        Some(serde_json::Value::String(name)) => variant_name(name),
                        _ => type_ref_label(&lowered.ty),
                    }
                }
                ReferenceOr::Item(_) => type_ref_label(&lowered.ty),
            };
            let shape = self.shape_of(&lowered.ty);
            variants.push(UntaggedVariant {
                rust_name: variant_names.claim(&preferred),
                ty: lowered.ty,
                shape,
            });
        }
        // Most specific first, so a value is not taken by a variant that only matches part of it.
        variants.sort_by_key(|variant| std::cmp::Reverse(variant.shape.specificity()));
        let fallback = claim_fallback(&mut variant_names);
        self.add_type(
            &name,
            doc,
            pointer,
            TypeKind::Untagged(UntaggedDef { variants, fallback }),
        );
        Ok(TypeRef::Named(name))
    }

    /// What a JSON value must look like to be decoded as `ty`.
    fn shape_of(&self, ty: &TypeRef) -> Shape {
        match ty {
            TypeRef::String => Shape::String,
            TypeRef::Bool => Shape::Boolean,
            TypeRef::I32 | TypeRef::I64 => Shape::Integer,
            TypeRef::F32 | TypeRef::F64 => Shape::Number,
            TypeRef::Vec(_) => Shape::Array,
            TypeRef::Json | TypeRef::Binary => Shape::Any,
            TypeRef::JsonMap | TypeRef::Map(_) => Shape::Object {
                required: Vec::new(),
                constants: Vec::new(),
            },
            TypeRef::Named(name) => match self.types.get(name).map(|def| &def.kind) {
                Some(TypeKind::Enum(_)) => Shape::String,
                Some(TypeKind::Struct(def)) => Shape::Object {
                    required: def
                        .fields
                        .iter()
                        .filter(|f| f.required)
                        .map(|f| f.wire_name.clone())
                        .collect(),
                    constants: def
                        .fields
                        .iter()
                        .filter(|f| f.required)
                        .filter_map(|f| self.single_value(&f.ty).map(|value| (f.wire_name.clone(), value)))
                        .collect(),
                },
                Some(TypeKind::Union(_) | TypeKind::Untagged(_)) | None => Shape::Any,
            },
        }
    }

    /// The only value of a one-value enum, which identifies the object it is in.
    fn single_value(&self, ty: &TypeRef) -> Option<String> {
        let TypeRef::Named(name) = ty else { return None };
        match self.types.get(name).map(|def| &def.kind) {
            Some(TypeKind::Enum(def)) if def.variants.len() == 1 => Some(def.variants[0].wire.clone()),
            _ => None,
        }
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
        discriminator: &'a Discriminator,
        hint: &str,
        doc: Option<String>,
        members_pointer: &Pointer,
        pointer: &Pointer,
    ) -> Result<TypeRef, Error> {
        let name = self.claim_type(hint, pointer);
        let mut variant_names = Scope::new();
        let mut variants = Vec::with_capacity(members.len());
        for (index, member) in members.iter().enumerate() {
            let member_pointer = members_pointer.join(index.to_string());
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

    /// The name hint for a type nested in `parent` at `property`: `{Parent}{Property}`, unless
    /// that grows past [`READABLE_NAME_LEN`] characters and `{Property}` alone is still free.
    fn nested_hint(&self, parent: &str, property: &str) -> String {
        let combined = format!("{parent}{}", type_name(property));
        let alone = type_name(property);
        if combined.len() > READABLE_NAME_LEN && !self.type_names.contains(&alone) {
            alone
        } else {
            combined
        }
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
        let body = match &operation.request_body {
            Some(body) => Some(self.lower_body(body, &id, &pointer.join("requestBody"))?),
            None => None,
        };
        let (success_status, response, error_statuses) = self.lower_responses(operation, &id, config, pointer)?;
        Ok(Operation {
            const_name: constant_name(&id),
            id,
            method_name,
            http_method: method.to_ascii_uppercase(),
            path: path.to_owned(),
            path_params,
            query,
            body,
            response,
            success_status,
            error_statuses,
            authenticated: operation
                .security
                .as_ref()
                .is_none_or(|requirements| !requirements.is_empty()),
            idempotent: method != "post",
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
    ) -> Result<(Vec<PathParam>, Option<String>), Error> {
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
                Parameter::Query { style, .. } => {
                    if !matches!(style, openapiv3::QueryStyle::Form) {
                        return Err(Error::unsupported(
                            &param_pointer,
                            "only `style: form` query parameters are supported",
                        ));
                    }
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
    ) -> Result<String, Error> {
        let query_pointer = pointer.join("parameters");
        let name = self.claim_type(&format!("{operation_id}Query"), &query_pointer);
        let mut field_names = Scope::new();
        let mut fields = Vec::with_capacity(params.len());
        for (wire_name, (param_pointer, parameter)) in params {
            let hint = format!("{name}{}", type_name(&wire_name));
            let (lowered, example) = self.parameter_schema(parameter, &hint, &param_pointer)?;
            if !self.is_query_value(&lowered.ty) {
                return Err(Error::unsupported(
                    &param_pointer,
                    "a query parameter must be a scalar or an array of scalars",
                ));
            }
            let data = parameter.parameter_data_ref();
            fields.push(Field {
                rust_name: field_names.claim(&snake_name(&wire_name)),
                setter: String::new(),
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
        Ok(name)
    }

    /// Whether a type can be sent as query values: a scalar, an enum, or an array of those.
    fn is_query_value(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::String | TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::F32 | TypeRef::F64 => true,
            TypeRef::Named(name) => matches!(self.types.get(name).map(|t| &t.kind), Some(TypeKind::Enum(_))),
            TypeRef::Vec(item) => !matches!(**item, TypeRef::Vec(_)) && self.is_query_value(item),
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
        let Some((success_status, response)) = success else {
            return Err(Error::unsupported(&responses_pointer, "operation has no 2xx response"));
        };
        error_statuses.sort_unstable();
        Ok((success_status, response, error_statuses))
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
                let mut methods = Scope::with_reserved(def.fields.iter().map(|field| unraw(&field.rust_name)));
                for field in &mut def.fields {
                    field.presence = presence(field.required, field.nullable, def.used_in_request);
                    field.setter = if unraw(&field.rust_name) == "new" {
                        methods.claim("set_new")
                    } else {
                        field.rust_name.clone()
                    };
                }
            }
        }
        let info = &self.spec.info;
        Api {
            title: info.title.clone(),
            version: info.version.clone(),
            default_server: self.spec.servers.first().map(|server| server.url.clone()),
            types: self.types.into_values().collect(),
            error_type: self.error_type.as_ref().and_then(TypeRef::named).map(str::to_owned),
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
                Some(TypeKind::Untagged(def)) => {
                    stack.extend(def.variants.iter().filter_map(|v| v.ty.named()).map(str::to_owned));
                }
                Some(TypeKind::Enum(_)) | None => {}
            }
        }
        seen
    }
}

/// The types a type holds by value (not behind a `Vec` or map), which a recursive layout
/// would have to go through.
fn direct_children(kind: &TypeKind) -> Vec<&str> {
    fn by_value(ty: &TypeRef) -> Option<&str> {
        match ty {
            TypeRef::Named(name) => Some(name),
            _ => None,
        }
    }
    match kind {
        TypeKind::Struct(def) => def.fields.iter().filter_map(|field| by_value(&field.ty)).collect(),
        TypeKind::Union(def) => def.variants.iter().map(|v| v.ty.as_str()).collect(),
        TypeKind::Untagged(def) => def.variants.iter().filter_map(|v| by_value(&v.ty)).collect(),
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// Whether every member of a `oneOf`/`anyOf` only lists `required` properties: a constraint on
/// which optional fields are set, not an alternative type.
fn is_constraint_only(members: &[ReferenceOr<Schema>]) -> bool {
    members.iter().all(|member| match member {
        ReferenceOr::Item(Schema {
            schema_kind: SchemaKind::Any(any),
            ..
        }) => {
            !any.required.is_empty()
                && any.typ.is_none()
                && any.properties.is_empty()
                && any.one_of.is_empty()
                && any.any_of.is_empty()
                && any.all_of.is_empty()
        }
        _ => false,
    })
}

/// The doc of a struct whose `oneOf`/`anyOf` is a constraint: which fields must be set.
fn constraint_doc(doc: Option<String>, alternatives: &[ReferenceOr<Schema>]) -> Option<String> {
    let groups: Vec<String> = alternatives
        .iter()
        .filter_map(|member| match member {
            ReferenceOr::Item(Schema {
                schema_kind: SchemaKind::Any(any),
                ..
            }) => Some(
                any.required
                    .iter()
                    .map(|name| format!("`{name}`"))
                    .collect::<Vec<_>>()
                    .join(" and "),
            ),
            _ => None,
        })
        .collect();
    if groups.is_empty() {
        return doc;
    }
    let note = format!("Set at least one of: {}.", groups.join("; or "));
    Some(match doc {
        Some(doc) => format!("{}\n\n{note}", doc.trim_end()),
        None => note,
    })
}

/// A variant name for an untagged union member: its type's name, or the JSON kind for
/// built-in types.
fn type_ref_label(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "String".to_owned(),
        TypeRef::Bool => "Bool".to_owned(),
        TypeRef::I32 | TypeRef::I64 => "Integer".to_owned(),
        TypeRef::F32 | TypeRef::F64 => "Number".to_owned(),
        TypeRef::Json => "Json".to_owned(),
        TypeRef::Binary => "File".to_owned(),
        TypeRef::JsonMap | TypeRef::Map(_) => "Map".to_owned(),
        TypeRef::Vec(item) => format!("{}List", type_ref_label(item)),
        TypeRef::Named(name) => name.clone(),
    }
}

/// Whether a value can be one multipart part: a file, or a scalar sent as text.
fn is_part_scalar(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::Binary | TypeRef::String | TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::F32 | TypeRef::F64
    )
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
    check_path_literal(path, pointer)?;
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
