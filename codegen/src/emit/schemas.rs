//! Each model's schema for the runtime's lenient decoder (`Modeled`): a static table of what
//! the spec says the type looks like on the wire. The decoding itself lives in the runtime.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, type_tokens};
use crate::model::{Constraint, Field, Presence, Shape, StructDef, TypeDef, TypeKind, TypeRef, UnionDef, UntaggedDef};
use crate::runtime::{ALTERNATIVE, MODELED, MODELED_STRUCT, SCHEMA, SHAPE, TAGGED_UNION, UNTAGGED_UNION};

/// `Modeled` for a struct, through the runtime's `modeled_struct!`: each field's JSON name,
/// whether it is required and nullable, and its type; and, for a struct that is sent (a body
/// or query parameters), the constraints the runtime checks before sending.
pub(super) fn struct_schema(name: &str, def: &StructDef) -> TokenStream {
    let name = ident(name);
    let sent = def.used_in_request || !def.used_in_response;
    let fields = def.fields.iter().map(|field| {
        let presence = ident(match (field.required, field.nullable) {
            (true, false) => "required",
            (true, true) => "required_nullable",
            (false, false) => "optional",
            (false, true) => "optional_nullable",
        });
        let wire = &field.wire_name;
        let ty = type_tokens(&field.ty);
        let rules = (sent && !field.constraints.is_empty()).then(|| rules(&field.constraints));
        quote!(#presence #wire: #ty #rules,)
    });
    // Produces `impl Modeled for Name` with the fields' table.
    quote! {
        #MODELED_STRUCT!(#name { #(#fields)* });
    }
}

/// `[Minimum(1.0), MaxLength(255)]`: a field's constraints as `modeled_struct!` takes them.
fn rules(constraints: &[Constraint]) -> TokenStream {
    let float = proc_macro2::Literal::f64_unsuffixed;
    let count = proc_macro2::Literal::u64_unsuffixed;
    let rules = constraints.iter().map(|constraint| {
        let (rule, bound) = match *constraint {
            Constraint::Minimum(min) => ("Minimum", float(min)),
            Constraint::Maximum(max) => ("Maximum", float(max)),
            Constraint::Above(min) => ("Above", float(min)),
            Constraint::Below(max) => ("Below", float(max)),
            Constraint::MinLength(min) => ("MinLength", count(min)),
            Constraint::MaxLength(max) => ("MaxLength", count(max)),
            Constraint::MinItems(min) => ("MinItems", count(min)),
            Constraint::MaxItems(max) => ("MaxItems", count(max)),
        };
        let rule = ident(rule);
        quote!(#rule(#bound))
    });
    quote!([#(#rules),*])
}

/// `Modeled` for a tagged union: its tag property and each tag's member.
pub(super) fn tagged_schema(name: &str, union: &UnionDef) -> TokenStream {
    let name_text = name;
    let name = ident(name);
    let tag = &union.tag_field;
    let variants = union.variants.iter().map(|variant| {
        let value = &variant.tag;
        let ty = ident(&variant.ty);
        quote!((#value, <#ty as #MODELED>::schema))
    });
    // Produces `impl Modeled for Name` with the tag and the members' schemas.
    quote! {
        impl #MODELED for #name {
            fn schema() -> &'static #SCHEMA {
                static SCHEMA: #SCHEMA = #SCHEMA::Tagged(&#TAGGED_UNION {
                    name: #name_text,
                    tag: #tag,
                    variants: &[#(#variants),*],
                });
                &SCHEMA
            }
        }
    }
}

/// `Modeled` for an untagged union: each alternative's shape and schema, in the order they are
/// tried.
pub(super) fn untagged_schema(name: &str, untagged: &UntaggedDef) -> TokenStream {
    let name_text = name;
    let name = ident(name);
    let alternatives = untagged.variants.iter().map(|variant| {
        let shape = shape_tokens(&variant.shape);
        let ty = type_tokens(&variant.ty);
        quote! {
            #ALTERNATIVE {
                shape: #shape,
                schema: <#ty as #MODELED>::schema,
            }
        }
    });
    // Produces `impl Modeled for Name` with the alternatives' shapes and schemas.
    quote! {
        impl #MODELED for #name {
            fn schema() -> &'static #SCHEMA {
                static SCHEMA: #SCHEMA = #SCHEMA::Untagged(&#UNTAGGED_UNION {
                    name: #name_text,
                    variants: &[#(#alternatives),*],
                });
                &SCHEMA
            }
        }
    }
}

/// The runtime's `Shape` for an alternative's shape.
fn shape_tokens(shape: &Shape) -> TokenStream {
    match shape {
        Shape::Object { required, constants } => {
            let keys = constants.iter().map(|(key, _)| key);
            let values = constants.iter().map(|(_, value)| value);
            quote! {
                #SHAPE::Object {
                    required: &[#(#required),*],
                    constants: &[#((#keys, #values)),*],
                }
            }
        }
        Shape::String => quote!(#SHAPE::String),
        Shape::Boolean => quote!(#SHAPE::Boolean),
        Shape::Integer => quote!(#SHAPE::Integer),
        Shape::Number => quote!(#SHAPE::Number),
        Shape::Array => quote!(#SHAPE::Array),
        Shape::Any => quote!(#SHAPE::Any),
    }
}

/// The paragraph of a received struct's docs that says what the lenient decoder fills in for
/// each required field a response lacks; `None` when it has none to fill.
pub(super) fn lenient_doc(def: &StructDef, types: &[TypeDef]) -> Option<String> {
    let filled: Vec<String> = def
        .fields
        .iter()
        .filter(|field| field.presence == Presence::Required)
        .map(|field| format!("`{}`: {}", field.wire_name, empty_value(&field.ty, types)))
        .collect();
    let nullable = def
        .fields
        .iter()
        .any(|field| field.presence == Presence::RequiredNullable);
    if filled.is_empty() && !nullable {
        return None;
    }
    let mut text = "If a response deviates from the spec: ".to_owned();
    if !filled.is_empty() {
        text.push_str(&format!(
            "a required field it lacks, or sends as `null` or as a value of another type, decodes as {}",
            filled.join(", ")
        ));
        text.push_str(if nullable {
            "; a required `Option` field, as `None`."
        } else {
            "."
        });
    } else {
        text.push_str("a required field it lacks, or sends as a value of another type, decodes as `None`.");
    }
    text.push_str(" The SDK reports each deviation; see the crate's `drift` module.");
    Some(text)
}

/// The empty value of a field's type, as the docs name it. `types` are the models, by name.
fn empty_value(ty: &TypeRef, types: &[TypeDef]) -> &'static str {
    match ty {
        TypeRef::String => "`\"\"`",
        TypeRef::Bool => "`false`",
        TypeRef::I32 | TypeRef::I64 => "`0`",
        TypeRef::F32 | TypeRef::F64 => "`0.0`",
        TypeRef::Vec(_) | TypeRef::Bytes | TypeRef::Map(_) | TypeRef::JsonMap => "empty",
        TypeRef::Json => "`null`",
        TypeRef::Boxed(inner) => empty_value(inner, types),
        TypeRef::Named(name) => {
            let kind = types
                .binary_search_by(|def| def.name.as_str().cmp(name))
                .ok()
                .map(|index| &types[index].kind);
            match kind {
                Some(TypeKind::Struct(_)) => "its fields' empty values",
                Some(TypeKind::Enum(_)) => "`Unknown(\"\")`",
                Some(TypeKind::Union(_) | TypeKind::Untagged(_)) => "`null` in its fallback variant",
                None => "its empty value",
            }
        }
        TypeRef::Binary => "its empty value",
    }
}

/// Whether a field of this presence and type gets the runtime's `non_null`, which refuses
/// `null` in a strict decode: an optional field whose spec does not allow `null`, unless its
/// type takes any JSON value.
pub(super) fn refuses_null(field: &Field, presence: Presence) -> bool {
    presence == Presence::Optional && !field.nullable && field.ty != TypeRef::Json
}
