//! Enums and unions: open string enums, tagged unions by discriminator, untagged unions by
//! shape.

use std::collections::BTreeSet;

use openapiv3::{Discriminator, ReferenceOr, Schema};

use super::super::extensions;
use super::TypeLowerer;
use crate::error::{Error, Pointer};
use crate::model::{EnumDef, EnumVariant, TypeKind, TypeRef, UnionDef, UnionVariant, UntaggedDef, UntaggedVariant};
use crate::names::{Scope, variant_name};

/// The name preferred for the variant that keeps unknown enum values and union tags.
const FALLBACK_VARIANT: &str = "Unknown";
/// The name used for that variant when the enum has a known value that already takes it.
const FALLBACK_VARIANT_ALT: &str = "UnknownValue";

impl<'a> TypeLowerer<'a> {
    /// `oneOf` / `anyOf`: one member is that member's type; a discriminator makes a tagged
    /// union; otherwise an untagged union that picks the variant by the value's shape.
    pub(super) fn lower_alternatives(
        &mut self,
        members: &'a [ReferenceOr<Schema>],
        discriminator: Option<&'a Discriminator>,
        hint: &str,
        doc: Option<String>,
        members_pointer: &Pointer,
        pointer: &Pointer,
    ) -> Result<TypeRef, Error> {
        match (members, discriminator) {
            ([member], None) => Ok(self.lower(member.into(), hint, &members_pointer.join("0"))?.ty),
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
        let name = self.claim(hint, pointer);
        let mut variant_names = Scope::new();
        let mut variants = Vec::with_capacity(members.len());
        for (index, member) in members.iter().enumerate() {
            let member_pointer = members_pointer.join(index.to_string());
            let member_hint = format!("{name}{}", index + 1);
            let target = self.target(member.into(), &member_pointer)?;
            let lowered = self.lower_target(&target, &member_hint)?;
            // A component may name its variant; an inline member is named by its type.
            let name_override = target
                .reference
                .and_then(|_| extensions::name_override(&target.schema.schema_data.extensions));
            let preferred = match name_override {
                Some(name) => variant_name(name),
                None => type_ref_label(&lowered.ty),
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
        self.define(
            &name,
            doc,
            pointer,
            TypeKind::Untagged(UntaggedDef { variants, fallback }),
        );
        Ok(TypeRef::Named(name))
    }

    pub(super) fn define_enum(
        &mut self,
        hint: &str,
        doc: Option<String>,
        values: &[&str],
        unknown_allowed: bool,
        pointer: &Pointer,
    ) -> TypeRef {
        let name = self.claim(hint, pointer);
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
        self.define(
            &name,
            doc,
            pointer,
            TypeKind::Enum(EnumDef {
                variants,
                fallback,
                unknown_allowed,
            }),
        );
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
        let name = self.claim(hint, pointer);
        let mut variant_names = Scope::new();
        let mut variants = Vec::with_capacity(members.len());
        for (index, member) in members.iter().enumerate() {
            let (tag, preferred, ty) =
                self.tagged_variant(member, discriminator, &members_pointer.join(index.to_string()))?;
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
        self.define(&name, doc, pointer, TypeKind::Union(union));
        Ok(TypeRef::Named(name))
    }

    /// One variant of a tagged union: its tag (from the discriminator's mapping, else the
    /// component's name), its preferred Rust name and its struct. A member must be a `$ref` to
    /// an object schema.
    fn tagged_variant(
        &mut self,
        member: &'a ReferenceOr<Schema>,
        discriminator: &Discriminator,
        pointer: &Pointer,
    ) -> Result<(String, String, String), Error> {
        let target = self.target(member.into(), pointer)?;
        let (ReferenceOr::Reference { reference }, Some((component, _))) = (member, &target.reference) else {
            return Err(Error::unsupported(
                pointer,
                "a `oneOf` member with a discriminator must be a `$ref` to a component schema",
            ));
        };
        let lowered = self.lower_target(&target, "")?;
        let ty = match lowered.ty {
            TypeRef::Named(ty) if matches!(self.types.get(&ty).map(|t| &t.kind), Some(TypeKind::Struct(_))) => ty,
            _ => {
                return Err(Error::unsupported(
                    pointer,
                    "a discriminated `oneOf` member must be an object",
                ));
            }
        };
        let tag = discriminator
            .mapping
            .iter()
            .find(|(_, target)| *target == reference || *target == component)
            .map_or_else(|| component.clone(), |(tag, _)| tag.clone());
        let preferred = match extensions::name_override(&target.schema.schema_data.extensions) {
            Some(name) => variant_name(name),
            None => ty.clone(),
        };
        Ok((tag, preferred, ty))
    }
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
        TypeRef::Bytes => "Bytes".to_owned(),
        TypeRef::JsonMap | TypeRef::Map(_) => "Map".to_owned(),
        TypeRef::Vec(item) => format!("{}List", type_ref_label(item)),
        TypeRef::Boxed(inner) => type_ref_label(inner),
        TypeRef::Named(name) => name.clone(),
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

#[cfg(test)]
mod tests {
    use super::super::lower_component;
    use super::*;

    /// The union `#/components/schemas/{name}` of a spec with `schemas`, lowered.
    fn union(schemas: &str, name: &str) -> TypeKind {
        let (lowered, mut types) = lower_component(schemas, name);
        let TypeRef::Named(type_name) = lowered.ty else {
            panic!("a named type")
        };
        types.remove(&type_name).expect("defined").kind
    }

    #[test]
    fn a_discriminator_makes_a_tagged_union_named_by_its_mapping() {
        let kind = union(
            "    Event:\n      oneOf: [{$ref: '#/components/schemas/Created'}, {$ref: '#/components/schemas/Deleted'}]\n      discriminator: {propertyName: type, mapping: {created: '#/components/schemas/Created', deleted: '#/components/schemas/Deleted'}}\n    Created: {type: object, properties: {type: {type: string}}}\n    Deleted: {type: object, x-speakeasy-name-override: Gone, properties: {type: {type: string}}}\n",
            "Event",
        );
        let TypeKind::Union(def) = kind else {
            panic!("a tagged union")
        };
        let variants: Vec<(&str, &str, &str)> = def
            .variants
            .iter()
            .map(|v| (v.tag.as_str(), v.rust_name.as_str(), v.ty.as_str()))
            .collect();
        assert_eq!(
            variants,
            [("created", "Created", "Created"), ("deleted", "Gone", "Deleted")]
        );
        assert_eq!(def.tag_field, "type");
        assert_eq!(def.fallback, "Unknown");
    }

    #[test]
    fn untagged_members_are_tried_most_specific_first() {
        let kind = union(
            "    Value:\n      oneOf: [{type: number}, {type: string}, {type: array, items: {type: integer}}, {$ref: '#/components/schemas/Obj'}]\n    Obj: {type: object, required: [id], properties: {id: {type: string}}}\n",
            "Value",
        );
        let TypeKind::Untagged(def) = kind else {
            panic!("an untagged union")
        };
        let names: Vec<&str> = def.variants.iter().map(|v| v.rust_name.as_str()).collect();
        assert_eq!(names, ["Obj", "String", "IntegerList", "Number"]);
        assert_eq!(
            type_ref_label(&TypeRef::Vec(Box::new(TypeRef::Boxed(Box::new(TypeRef::Bool))))),
            "BoolList"
        );
    }
}
