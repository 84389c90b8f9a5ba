//! Schemas: `$ref` resolution, objects, `allOf` merging, enums and (un)tagged unions.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, AnySchema, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind, Type,
    VariantOrUnknownOrEmpty,
};

use super::keywords::foreign_keywords;
use super::refs::{Resolved, resolve};
use super::{Lowered, Lowerer, SchemaSlot};
use crate::error::{Error, Pointer, Warning};
use crate::model::{Field, Presence, StructDef, TypeDef, TypeKind, TypeRef};
use crate::names::{Scope, snake_name, type_name};

/// Past this many characters, a nested type is named after its property alone (if free).
const READABLE_NAME_LEN: usize = 40;

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

impl<'a> Lowerer<'a> {
    /// Lowers a `$ref` or inline schema. `hint` names an inline schema that needs a type;
    /// `pointer` is where the slot is.
    pub(super) fn lower_slot(
        &mut self,
        slot: SchemaSlot<'_, 'a>,
        hint: &str,
        pointer: &Pointer,
    ) -> Result<Lowered, Error> {
        match slot {
            SchemaSlot::Inline(schema) => self.lower_schema(schema, hint, pointer),
            SchemaSlot::Ref(reference) => {
                let (target, schema, name) = self.resolve_schema_ref(reference, pointer)?;
                let mut lowered = self.lower_schema(schema, &type_name(&name), &target)?;
                self.apply_ref_siblings(pointer, schema, &mut lowered);
                Ok(lowered)
            }
        }
    }

    /// Resolves `#/components/schemas/NAME`, following chains of references.
    pub(super) fn resolve_schema_ref(
        &self,
        reference: &str,
        from: &Pointer,
    ) -> Result<(Pointer, &'a Schema, String), Error> {
        let Resolved { pointer, item, name } = resolve(self.spec, reference, from)?;
        Ok((pointer, item, name))
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
                let ty = self.lower_array(array.items.as_ref(), hint, pointer)?;
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
                Lowered {
                    ty,
                    nullable: nullable || all_of.iter().any(is_nullable_marker),
                }
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
                let nullable = nullable || any.all_of.iter().any(is_nullable_marker);
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
                } else if any.typ.as_deref() == Some("array") {
                    self.warn_foreign_keywords(any, "array", pointer);
                    self.lower_array(any.items.as_ref(), hint, pointer)?
                } else if any.typ.as_deref() == Some("object") || !any.properties.is_empty() {
                    self.warn_foreign_keywords(any, "object", pointer);
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

    /// `Vec` of the items' type (any JSON value when the schema leaves them open).
    fn lower_array(
        &mut self,
        items: Option<&'a ReferenceOr<Box<Schema>>>,
        hint: &str,
        pointer: &Pointer,
    ) -> Result<TypeRef, Error> {
        let item = match items {
            None => TypeRef::Json,
            Some(items) => {
                self.lower_slot(items.into(), &format!("{hint}Item"), &pointer.join("items"))?
                    .ty
            }
        };
        Ok(TypeRef::Vec(Box::new(item)))
    }

    /// Warns about each keyword of `schema` that does not apply to `typ`, the type it is lowered
    /// as, at the keyword's pointer.
    fn warn_foreign_keywords(&mut self, schema: &AnySchema, typ: &str, pointer: &Pointer) {
        for keyword in foreign_keywords(schema, typ) {
            self.warnings.push(Warning {
                pointer: pointer.join(keyword),
                message: format!("`{keyword}` does not apply to a schema of type `{typ}`; ignored"),
            });
        }
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
                ReferenceOr::Reference { .. } => (self.ref_description(&field_pointer), None),
            };
            let lowered = self.lower_slot(slot.into(), &field_hint, &field_pointer)?;
            let required = required.contains(wire_name);
            fields.push(Field {
                wire_name: wire_name.clone(),
                rust_name: field_names.claim(&snake_name(wire_name)),
                doc: field_doc,
                ty: lowered.ty,
                required,
                nullable: lowered.nullable,
                // Decided again in `finish`, once it is known whether the type is sent.
                presence: Presence::of(required, lowered.nullable, false),
                example,
            });
        }
        let kind = TypeKind::Struct(StructDef {
            fields,
            used_in_request: false,
            used_in_response: false,
            multipart: false,
        });
        self.add_type(&name, doc, pointer, kind);
        Ok(TypeRef::Named(name))
    }

    /// `allOf`: a single member (usually a `$ref` made nullable or documented) is that member's
    /// type; several members are merged into one struct with every member's properties and
    /// required fields (later members win on a name clash), plus the schema's own. A member
    /// that only says `nullable: true` is no member: it makes the whole nullable (see
    /// [`is_nullable_marker`]), which the caller reads.
    fn lower_all_of(
        &mut self,
        members: &'a [ReferenceOr<Schema>],
        own_properties: &'a IndexMap<String, ReferenceOr<Box<Schema>>>,
        own_required: &[String],
        hint: &str,
        doc: Option<String>,
        pointer: &Pointer,
    ) -> Result<TypeRef, Error> {
        let members: Vec<(usize, &'a ReferenceOr<Schema>)> = members
            .iter()
            .enumerate()
            .filter(|(_, member)| !is_nullable_marker(member))
            .collect();
        if let ([(index, member)], true) = (members.as_slice(), own_properties.is_empty()) {
            return Ok(self
                .lower_slot((*member).into(), hint, &pointer.join("allOf").join(index.to_string()))?
                .ty);
        }
        let mut properties: IndexMap<&'a String, PropertySlot<'a>> = IndexMap::new();
        let mut required: Vec<String> = own_required.to_vec();
        for &(index, member) in &members {
            let member_pointer = pointer.join("allOf").join(index.to_string());
            self.collect_properties(member, &member_pointer, &mut properties, &mut required, 0)?;
        }
        add_properties(&mut properties, own_properties, pointer);
        let doc = doc.or_else(|| self.first_member_doc(members.iter().map(|(_, member)| *member)));
        self.define_struct_from(properties.into_values().collect(), &required, hint, doc, pointer)
    }

    /// The description of the first `$ref` member of an `allOf`, for a merged struct with none.
    fn first_member_doc(&self, mut members: impl Iterator<Item = &'a ReferenceOr<Schema>>) -> Option<String> {
        members.find_map(|member| match member {
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
    pub(super) fn claim_type(&mut self, hint: &str, pointer: &Pointer) -> String {
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

    pub(super) fn add_type(&mut self, name: &str, doc: Option<String>, pointer: &Pointer, kind: TypeKind) {
        let def = TypeDef {
            name: name.to_owned(),
            doc,
            pointer: pointer.clone(),
            kind,
        };
        self.types.insert(name.to_owned(), def);
    }
}

/// Whether an `allOf` member only says `nullable: true` (with `type: object` at most): Clerk's
/// Frontend API makes a reference nullable with `allOf: [{$ref: …}, {type: object, nullable:
/// true}]`. Strict JSON Schema would let `null` through only if every member did; the spec
/// means the value may be `null`, and so the generator reads it.
fn is_nullable_marker(member: &ReferenceOr<Schema>) -> bool {
    let ReferenceOr::Item(schema) = member else {
        return false;
    };
    let empty_object = match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => {
            object.properties.is_empty() && object.required.is_empty() && object.additional_properties.is_none()
        }
        SchemaKind::Any(any) => {
            matches!(any.typ.as_deref(), None | Some("object"))
                && any.properties.is_empty()
                && any.required.is_empty()
                && any.all_of.is_empty()
                && any.one_of.is_empty()
                && any.any_of.is_empty()
                && any.items.is_none()
                && any.enumeration.is_empty()
        }
        _ => false,
    };
    schema.schema_data.nullable && empty_object
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

#[cfg(test)]
mod tests {
    use super::super::{lower_component as lowered, spec_with_components};
    use super::*;

    #[test]
    fn formats_choose_the_rust_type() {
        let schemas = "    A: {type: integer, format: int32}\n    B: {type: integer}\n    C: {type: number, format: float}\n    D: {type: string, format: binary}\n    E: {type: string, nullable: true}\n";
        let ty = |name| lowered(schemas, name).0;
        assert_eq!(ty("A").ty, TypeRef::I32);
        assert_eq!(ty("B").ty, TypeRef::I64);
        assert_eq!(ty("C").ty, TypeRef::F32);
        assert_eq!(ty("D").ty, TypeRef::Binary);
        assert!(ty("E").nullable && ty("E").ty == TypeRef::String);
    }

    #[test]
    fn objects_become_structs_with_their_required_fields() {
        let (lowered, types) = lowered(
            "    Thing:\n      type: object\n      required: [id]\n      properties:\n        id: {type: string}\n        kind: {type: string, enum: [a, b]}\n        tags: {type: object, additionalProperties: {type: string}}\n",
            "Thing",
        );
        assert_eq!(lowered.ty, TypeRef::Named("Thing".to_owned()));
        let Some(TypeKind::Struct(def)) = types.get("Thing").map(|t| &t.kind) else {
            panic!("a struct")
        };
        let fields: Vec<(&str, &TypeRef, bool)> = def
            .fields
            .iter()
            .map(|f| (f.rust_name.as_str(), &f.ty, f.required))
            .collect();
        assert_eq!(
            fields,
            [
                ("id", &TypeRef::String, true),
                ("kind", &TypeRef::Named("ThingKind".to_owned()), false),
                ("tags", &TypeRef::Map(Box::new(TypeRef::String)), false),
            ]
        );
        assert!(matches!(
            types.get("ThingKind").map(|t| &t.kind),
            Some(TypeKind::Enum(_))
        ));
    }

    #[test]
    fn an_all_of_member_that_only_says_nullable_makes_the_reference_nullable() {
        let schemas = "    Error: {type: object, properties: {code: {type: string}}}\n    Holder:\n      type: object\n      properties:\n        error: {allOf: [{$ref: '#/components/schemas/Error'}, {type: object, nullable: true}]}\n        plain: {allOf: [{$ref: '#/components/schemas/Error'}]}\n";
        let (_, types) = lowered(schemas, "Holder");
        let Some(TypeKind::Struct(def)) = types.get("Holder").map(|t| &t.kind) else {
            panic!("a struct")
        };
        let fields: Vec<(&str, &TypeRef, bool)> = def
            .fields
            .iter()
            .map(|f| (f.wire_name.as_str(), &f.ty, f.nullable))
            .collect();
        let error = TypeRef::Named("Error".to_owned());
        assert_eq!(fields, [("error", &error, true), ("plain", &error, false)]);
        assert_eq!(types.len(), 2, "no merged type for the marker: {:?}", types.keys());
    }

    #[test]
    fn a_schema_reached_twice_is_one_type() {
        let spec = spec_with_components("  schemas:\n    A: {type: object, properties: {x: {type: string}}}\n");
        let mut lowerer = Lowerer::new(&spec).expect("names are unique");
        let first = lowerer
            .lower_slot(SchemaSlot::Ref("#/components/schemas/A"), "", &Pointer::root())
            .expect("lowers");
        let second = lowerer
            .lower_slot(
                SchemaSlot::Ref("#/components/schemas/A"),
                "Other",
                &Pointer::root().join("x"),
            )
            .expect("lowers");
        assert_eq!(first.ty, second.ty);
        assert_eq!(lowerer.types.len(), 1);
    }
}
