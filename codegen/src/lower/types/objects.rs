//! Objects: structs of their properties, maps, and `allOf` members merged into one struct.

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};

use super::super::{constraints, refs};
use super::{Target, TypeLowerer};
use crate::error::{Error, Pointer};
use crate::model::{Field, Presence, StructDef, TypeKind, TypeRef};
use crate::names::{Scope, snake_name, type_name};

/// Past this many characters, a nested type is named after its property alone (if free).
const READABLE_NAME_LEN: usize = 40;

/// The properties of an object schema, as openapiv3 holds them.
pub(super) type Properties = IndexMap<String, ReferenceOr<Box<Schema>>>;

/// One property to become a field, with the pointer it is lowered at.
struct PropertySlot<'a> {
    name: &'a String,
    slot: &'a ReferenceOr<Box<Schema>>,
    pointer: Pointer,
    /// The component schema the property is written in, when the struct inherits it through an
    /// `allOf` member's `$ref`: a type the property defines is that component's, shared by every
    /// struct that inherits it, so it is named after the component, never after the first of
    /// those structs to be lowered.
    owner: Option<String>,
}

/// Adds an object schema's properties to `into` (replacing same-named ones), each to be lowered
/// at its pointer under `schema_pointer`; `owner` is the component they are written in, if they
/// are inherited from one.
fn add_properties<'a>(
    into: &mut IndexMap<&'a String, PropertySlot<'a>>,
    own: &'a Properties,
    schema_pointer: &Pointer,
    owner: Option<&str>,
) {
    for (name, slot) in own {
        let pointer = schema_pointer.join("properties").join(name);
        let owner = owner.map(str::to_owned);
        into.insert(
            name,
            PropertySlot {
                name,
                slot,
                pointer,
                owner,
            },
        );
    }
}

/// An empty property map to borrow for schemas that have none.
pub(super) static EMPTY_PROPERTIES: std::sync::OnceLock<IndexMap<String, ReferenceOr<Box<Schema>>>> =
    std::sync::OnceLock::new();

impl<'a> TypeLowerer<'a> {
    pub(super) fn lower_object(
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
                let value = self.lower(
                    values.as_ref().into(),
                    &format!("{hint}Value"),
                    &pointer.join("additionalProperties"),
                )?;
                Ok(TypeRef::Map(Box::new(value.ty)))
            }
            Some(AdditionalProperties::Any(_)) | None => Ok(TypeRef::JsonMap),
        }
    }

    /// The schema in a property's slot, its `$ref` followed; `None` for a `$ref` that leads
    /// nowhere, which lowering the property reports.
    fn slot_schema(&self, slot: &'a ReferenceOr<Box<Schema>>) -> Option<&'a Schema> {
        match slot {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { reference } => refs::resolve::<Schema>(self.spec, reference, &Pointer::root())
                .ok()
                .map(|resolved| resolved.item),
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
        add_properties(&mut slots, properties, pointer, None);
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
        let name = self.claim(hint, pointer);
        let mut field_names = Scope::new();
        let mut fields = Vec::with_capacity(properties.len());
        for PropertySlot {
            name: wire_name,
            slot,
            pointer: field_pointer,
            owner,
        } in properties
        {
            let field_hint = self.nested_hint(owner.as_deref().unwrap_or(&name), wire_name);
            let (field_doc, example) = match slot {
                ReferenceOr::Item(schema) => (
                    schema.schema_data.description.clone(),
                    schema.schema_data.example.clone(),
                ),
                ReferenceOr::Reference { .. } => (self.ref_description(&field_pointer), None),
            };
            let lowered = self.lower(slot.into(), &field_hint, &field_pointer)?;
            let required = required.contains(wire_name);
            let schema = self.slot_schema(slot);
            let constraints = schema.map(constraints::of).unwrap_or_default();
            let format = schema.and_then(constraints::string_format);
            let deprecated = schema.is_some_and(|schema| schema.schema_data.deprecated);
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
                constraints,
                format,
                deprecated,
            });
        }
        let kind = TypeKind::Struct(StructDef {
            fields,
            used_in_request: false,
            used_in_response: false,
            multipart: false,
        });
        self.define(&name, doc, pointer, kind);
        Ok(TypeRef::Named(name))
    }

    /// `allOf`: a single member (usually a `$ref` made nullable or documented) is that member's
    /// type; several members are merged into one struct with every member's properties and
    /// required fields (later members win on a name clash), plus the schema's own. A member
    /// that only says `nullable: true` is no member: it makes the whole nullable (see
    /// [`is_nullable_marker`]), which the caller reads.
    pub(super) fn lower_all_of(
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
                .lower((*member).into(), hint, &pointer.join("allOf").join(index.to_string()))?
                .ty);
        }
        let mut properties: IndexMap<&'a String, PropertySlot<'a>> = IndexMap::new();
        let mut required: Vec<String> = own_required.to_vec();
        let mut member_doc = None;
        for &(index, member) in &members {
            let member_pointer = pointer.join("allOf").join(index.to_string());
            let doc = self.collect_properties(member, &member_pointer, &mut properties, &mut required, None, 0)?;
            member_doc = member_doc.or(doc);
        }
        add_properties(&mut properties, own_properties, pointer, None);
        // A merged struct without a description of its own takes its first `$ref` member's.
        let doc = doc.or(member_doc);
        self.define_struct_from(properties.into_values().collect(), &required, hint, doc, pointer)
    }

    /// Adds the properties and required names of one `allOf` member (following `$ref`s and
    /// nested `allOf`s) to `properties` and `required`; `owner` is the component the member is
    /// written in, if it is inside one a `$ref` led to. Returns the description of the schema a
    /// `$ref` member leads to.
    fn collect_properties(
        &self,
        member: &'a ReferenceOr<Schema>,
        pointer: &Pointer,
        properties: &mut IndexMap<&'a String, PropertySlot<'a>>,
        required: &mut Vec<String>,
        owner: Option<&str>,
        depth: usize,
    ) -> Result<Option<String>, Error> {
        if depth > 16 {
            return Err(Error::unsupported(pointer, "`allOf` nests too deeply (or is circular)"));
        }
        let Target {
            schema,
            pointer: schema_pointer,
            reference,
        } = self.target(member.into(), pointer)?;
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
        // A `$ref` member's properties are its component's; inside it, they stay that
        // component's through any depth of `allOf`.
        let component = reference.as_ref().map(|(name, _)| type_name(name));
        let owner = component.as_deref().or(owner);
        for (index, inner) in nested.iter().enumerate() {
            let inner_pointer = schema_pointer.join("allOf").join(index.to_string());
            self.collect_properties(inner, &inner_pointer, properties, required, owner, depth + 1)?;
        }
        add_properties(properties, own, &schema_pointer, owner);
        required.extend(own_required.iter().cloned());
        Ok(reference.and_then(|_| schema.schema_data.description.clone()))
    }

    /// The name hint for a type nested in `parent` at `property`: `{Parent}{Property}`, unless
    /// that grows past [`READABLE_NAME_LEN`] characters, `{Property}` alone is still free, and it
    /// says what it is on its own: two words at least (`PublicUserData`), never a bare `Object`,
    /// `Data` or `Status`, which would name many unrelated types.
    fn nested_hint(&self, parent: &str, property: &str) -> String {
        let combined = format!("{parent}{}", type_name(property));
        let alone = type_name(property);
        let words = alone.chars().filter(char::is_ascii_uppercase).count();
        if combined.len() > READABLE_NAME_LEN && words >= 2 && !self.type_names.contains(&alone) {
            alone
        } else {
            combined
        }
    }
}

/// Whether an `allOf` member only says `nullable: true` (with `type: object` at most): Clerk's
/// Frontend API makes a reference nullable with `allOf: [{$ref: …}, {type: object, nullable:
/// true}]`. Strict JSON Schema would let `null` through only if every member did; the spec
/// means the value may be `null`, and so the generator reads it.
pub(super) fn is_nullable_marker(member: &ReferenceOr<Schema>) -> bool {
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
pub(super) fn is_constraint_only(members: &[ReferenceOr<Schema>]) -> bool {
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
pub(super) fn constraint_doc(doc: Option<String>, alternatives: &[ReferenceOr<Schema>]) -> Option<String> {
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
    use super::super::lower_component as lowered;
    use super::*;

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

    /// The struct `name` of `types`, as (field, type name) pairs.
    fn field_types(
        types: &std::collections::BTreeMap<String, crate::model::TypeDef>,
        name: &str,
    ) -> Vec<(String, String)> {
        let Some(TypeKind::Struct(def)) = types.get(name).map(|t| &t.kind) else {
            panic!("{name} is a struct: {:?}", types.keys())
        };
        let name = |ty: &TypeRef| match ty {
            TypeRef::Named(name) => name.clone(),
            other => format!("{other:?}"),
        };
        def.fields.iter().map(|f| (f.wire_name.clone(), name(&f.ty))).collect()
    }

    #[test]
    fn a_type_inherited_through_all_of_is_named_after_its_component_not_its_first_user() {
        let schemas = "    Payload:\n      type: object\n      properties:\n        attributes: {type: object, properties: {ip: {type: string}}}\n    Created:\n      allOf:\n        - $ref: '#/components/schemas/Payload'\n        - {type: object, properties: {id: {type: string}}}\n    Deleted:\n      allOf:\n        - $ref: '#/components/schemas/Payload'\n        - {type: object, properties: {gone: {type: boolean}}}\n    Both:\n      type: object\n      properties:\n        created: {$ref: '#/components/schemas/Created'}\n        deleted: {$ref: '#/components/schemas/Deleted'}\n";
        let (_, types) = lowered(schemas, "Both");
        let attributes = ("attributes".to_owned(), "PayloadAttributes".to_owned());
        assert!(
            field_types(&types, "Created").contains(&attributes),
            "{:?}",
            types.keys()
        );
        assert!(field_types(&types, "Deleted").contains(&attributes));
        assert!(!types.contains_key("CreatedAttributes"), "{:?}", types.keys());
    }

    #[test]
    fn a_long_name_falls_back_to_its_property_only_when_that_says_what_it_is() {
        let schemas = "    ABillingSubscriptionItemEventPayloadThing:\n      type: object\n      properties:\n        object: {type: string, enum: [item]}\n        public_user_data: {type: object, properties: {id: {type: string}}}\n";
        let (_, types) = lowered(schemas, "ABillingSubscriptionItemEventPayloadThing");
        let fields = field_types(&types, "ABillingSubscriptionItemEventPayloadThing");
        assert_eq!(
            fields,
            [
                (
                    "object".to_owned(),
                    "ABillingSubscriptionItemEventPayloadThingObject".to_owned()
                ),
                ("public_user_data".to_owned(), "PublicUserData".to_owned()),
            ]
        );
        assert!(!types.contains_key("Object"));
    }
}
