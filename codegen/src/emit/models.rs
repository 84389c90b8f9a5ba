//! Models: a struct, open enum or open union per generated type.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::schemas::{lenient_doc, refuses_null, struct_schema, tagged_schema, untagged_schema};
use super::tokens::rust_type_tokens;
use super::{doc_attrs, ident, type_tokens};
use crate::model::{
    Constraint, EnumDef, Field, Presence, StructDef, TypeDef, TypeKind, TypeRef, UnionDef, UntaggedDef,
};
use crate::names::unraw;
use crate::runtime::{
    DECODE_UNTAGGED, IMPL_OPEN_ENUM, MULTIPART_BODY, NON_NULL, NULLABLE, PART, REQUIRED_NULLABLE, SERIALIZE_TAGGED,
    TAGGED, TO_PARTS, TRY_DECODE, UNKNOWN_FIELDS,
};

/// `models.rs`: the module docs and every type.
pub(crate) fn file(types: &[TypeDef]) -> TokenStream {
    let mut tokens = head();
    // Moved in rather than interpolated with `quote!`, which would copy every token.
    tokens.extend(types.iter().map(|def| type_def(def, types)));
    tokens
}

/// The start of `models.rs`: the module docs.
fn head() -> TokenStream {
    doc_attrs(
        "Request and response types of the API.\n\nEvery string enum and every discriminated union is open: a value this version of the SDK does not know decodes into the `Unknown` variant instead of failing. Unknown fields in responses are ignored. A response that strays from the spec in other ways still decodes, each deviation reported: see [`drift`](crate::drift).",
        true,
    )
}

/// One model and its schema; `types` are all the models, by name.
fn type_def(def: &TypeDef, types: &[TypeDef]) -> TokenStream {
    match &def.kind {
        TypeKind::Struct(fields) => struct_def(def, fields, types),
        TypeKind::Enum(values) => enum_def(def, values),
        TypeKind::Union(union) => union_def(def, union),
        TypeKind::Untagged(untagged) => untagged_def(def, untagged),
    }
}

/// The Rust type of a field, with its optionality wrapper.
fn field_type(field: &Field) -> TokenStream {
    rust_type_tokens(&field.rust_type(), &TokenStream::new())
}

/// The `#[serde(...)]` attribute of a field, if it needs one.
fn field_serde(field: &Field, presence: Presence) -> TokenStream {
    let mut args = Vec::new();
    if field.wire_name != unraw(&field.rust_name) {
        let wire = &field.wire_name;
        args.push(quote!(rename = #wire));
    }
    let required_nullable = REQUIRED_NULLABLE.as_str();
    let non_null = NON_NULL.as_str();
    let is_unset = format!("{}::is_unset", NULLABLE.as_str());
    match presence {
        Presence::Required => {}
        // Present, even when `null`: serde would take a missing `Option` for `None`.
        Presence::RequiredNullable => args.push(quote!(deserialize_with = #required_nullable)),
        Presence::Optional if refuses_null(field, presence) => args.push(quote!(
            default,
            deserialize_with = #non_null,
            skip_serializing_if = "Option::is_none"
        )),
        Presence::Optional => args.push(quote!(default, skip_serializing_if = "Option::is_none")),
        Presence::ThreeState => args.push(quote!(default, skip_serializing_if = #is_unset)),
    }
    if args.is_empty() {
        TokenStream::new()
    } else {
        quote!(#[serde(#(#args),*)])
    }
}

fn field_doc(field: &Field, presence: Presence, sent: bool) -> TokenStream {
    let wire = &field.wire_name;
    let shape = match presence {
        Presence::Required => format!("Required `{wire}`."),
        Presence::RequiredNullable => format!("Required `{wire}`; `None` is sent as `null`."),
        Presence::Optional => format!("Optional `{wire}`; left out when `None`."),
        Presence::ThreeState => {
            format!("Optional, nullable `{wire}`: left out when unset, sent as `null` when set to `Nullable::Null`.")
        }
    };
    let shape = match constraints_doc(&field.constraints).filter(|_| sent) {
        Some(range) => format!("{shape} A value outside {range} is refused before the request is sent."),
        None => shape,
    };
    let text = match &field.doc {
        Some(doc) if !doc.trim().is_empty() => format!("{}\n\n{shape}", doc.trim_end()),
        _ => shape,
    };
    doc_attrs(&text, false)
}

/// The spec's constraints on a field's values, as the runtime checks them: "at least 1 and at
/// most 500"; `None` without constraints.
fn constraints_doc(constraints: &[Constraint]) -> Option<String> {
    let number = |value: &f64| {
        let text = value.to_string();
        text.strip_suffix(".0").map(str::to_owned).unwrap_or(text)
    };
    let parts: Vec<String> = constraints
        .iter()
        .map(|constraint| match constraint {
            Constraint::Minimum(min) => format!("at least {}", number(min)),
            Constraint::Maximum(max) => format!("at most {}", number(max)),
            Constraint::Above(min) => format!("above {}", number(min)),
            Constraint::Below(max) => format!("below {}", number(max)),
            Constraint::MinLength(min) => format!("at least {min} characters"),
            Constraint::MaxLength(max) => format!("at most {max} characters"),
            Constraint::MinItems(min) => format!("at least {min} items"),
            Constraint::MaxItems(max) => format!("at most {max} items"),
        })
        .collect();
    (!parts.is_empty()).then(|| format!("the spec's range ({})", parts.join(", ")))
}

fn struct_def(def: &TypeDef, fields: &StructDef, types: &[TypeDef]) -> TokenStream {
    let name = ident(&def.name);
    let lenient = response_doc(fields, types);
    let doc = match lenient {
        Some(lenient) => {
            let text = match &def.doc {
                Some(doc) if !doc.trim().is_empty() => format!("{}\n\n{lenient}", doc.trim_end()),
                _ => format!("Generated from the schema at `{}`.\n\n{lenient}", def.pointer),
            };
            doc_attrs(&text, false)
        }
        None => type_doc(def),
    };
    let has_required = fields.fields.iter().any(|f| f.presence.is_required());
    let default = if has_required { quote!() } else { quote!(Default,) };
    // A multipart body is sent as form parts, not JSON, so it has no serde impls.
    let serde_derives = if fields.multipart {
        quote!()
    } else {
        quote!(serde::Serialize, serde::Deserialize)
    };
    let field_items = fields.fields.iter().map(|field| field_item(field, fields));
    let unknown = unknown_fields_name(fields);
    let unknown_item = unknown.as_deref().map(unknown_fields_item);
    let constructor = constructor(&def.name, fields, unknown.as_deref());
    let setters = fields
        .fields
        .iter()
        .filter_map(|field| setter(field, field.presence, &fields.setter(field)));
    let multipart = fields.multipart.then(|| multipart_impl(&name, &fields.fields));
    // A multipart body is only ever sent, so it has no schema to decode by.
    let schema = (!fields.multipart).then(|| struct_schema(&def.name, fields));
    // Produces the struct and an impl with `new` (required fields) and one setter per
    // optional field, plus the form encoding for multipart bodies.
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #default #serde_derives)]
        #[non_exhaustive]
        pub struct #name {
            #(#field_items)*
            #unknown_item
        }

        impl #name {
            #constructor
            #(#setters)*
        }

        #multipart
        #schema
    }
}

/// What the docs of a response's model say of decoding: what a deviating field decodes as,
/// and that `null` in an optional field is not kept apart from absent. `None` for a model no
/// response holds.
fn response_doc(fields: &StructDef, types: &[TypeDef]) -> Option<String> {
    if !fields.used_in_response {
        return None;
    }
    let null = fields
        .fields
        .iter()
        .any(|field| field.presence == Presence::Optional)
        .then_some(
            "An optional field that came as `null` is `None`, as one that did not come, and serializes back as absent.",
        );
    match (lenient_doc(fields, types), null) {
        (Some(lenient), Some(null)) => Some(format!("{lenient} {null}")),
        (lenient, null) => lenient.or(null.map(str::to_owned)),
    }
}

/// One field of a struct: its docs, its serde attributes and its declaration.
fn field_item(field: &Field, fields: &StructDef) -> TokenStream {
    let presence = field.presence;
    // Query structs are in no body; what is sent is checked, what only comes back is not.
    let sent = fields.used_in_request || !fields.used_in_response;
    let doc = field_doc(field, presence, sent);
    let serde = if fields.multipart {
        quote!()
    } else {
        field_serde(field, presence)
    };
    let name = ident(&field.rust_name);
    let ty = field_type(field);
    quote! { #doc #serde pub #name: #ty, }
}

/// `MultipartBody` for a form body: one part (or none, or several) per field, in order.
fn multipart_impl(name: &proc_macro2::Ident, fields: &[Field]) -> TokenStream {
    let pushes = fields.iter().map(|field| {
        let field_name = ident(&field.rust_name);
        let wire = &field.wire_name;
        quote!(#TO_PARTS::to_parts(&self.#field_name, #wire, &mut parts);)
    });
    quote! {
        impl #MULTIPART_BODY for #name {
            fn parts(&self) -> Vec<#PART> {
                let mut parts = Vec::new();
                #(#pushes)*
                parts
            }
        }
    }
}

/// What a constructor argument of a nullable field, or a three-state setter, takes, and how
/// it becomes the field's value: a boxed field's wrapper takes the unboxed type and boxes the
/// value (`Nullable<Box<T>>` from anything that is `Into<Nullable<T>>`), since a `T` is not
/// `Into` a box inside another wrapper.
fn wrapped_param(wrapper: TokenStream, ty: &TypeRef, arg: &Ident) -> (TokenStream, TokenStream) {
    match ty {
        TypeRef::Boxed(inner) => {
            let inner = type_tokens(inner);
            (quote!(impl Into<#wrapper<#inner>>), quote!(#arg.into().map(Box::new)))
        }
        _ => {
            let ty = type_tokens(ty);
            (quote!(impl Into<#wrapper<#ty>>), quote!(#arg.into()))
        }
    }
}

/// The field of a response model that keeps the members its schema does not list.
fn unknown_fields_item(name: &str) -> TokenStream {
    let name = ident(name);
    quote! {
        /// The members of the JSON object that the spec does not list, kept as they came and
        /// serialized back, and the fields the lenient decoding filled in; see
        /// [`UnknownFields`](crate::UnknownFields).
        #[serde(flatten)]
        pub #name: #UNKNOWN_FIELDS,
    }
}

/// The name of a response model's field of members its schema does not list:
/// `unknown_fields`, unless a field of the spec has that name. `None` for a model that no
/// response holds, or a multipart body.
fn unknown_fields_name(def: &StructDef) -> Option<String> {
    if !def.used_in_response || def.multipart {
        return None;
    }
    let mut name = "unknown_fields".to_owned();
    while def.fields.iter().any(|field| unraw(&field.rust_name) == name) {
        name.push('_');
    }
    Some(name)
}

fn constructor(type_name: &str, def: &StructDef, unknown_fields: Option<&str>) -> TokenStream {
    let fields = &def.fields;
    let args = fields.iter().filter(|f| f.presence.is_required()).map(|field| {
        let name = ident(&field.rust_name);
        let ty = match field.presence {
            Presence::RequiredNullable => wrapped_param(quote!(Option), &field.ty, &name).0,
            _ => {
                let ty = field_type(field);
                quote!(impl Into<#ty>)
            }
        };
        quote!(#name: #ty)
    });
    let inits = fields.iter().map(|field| {
        let name = ident(&field.rust_name);
        match field.presence {
            Presence::RequiredNullable => {
                let value = wrapped_param(quote!(Option), &field.ty, &name).1;
                quote!(#name: #value)
            }
            Presence::Required => quote!(#name: #name.into()),
            Presence::Optional | Presence::ThreeState => quote!(#name: Default::default()),
        }
    });
    let unknown = unknown_fields.map(|name| {
        let name = ident(name);
        quote!(#name: Default::default(),)
    });
    let doc = format!(" Creates a [`{type_name}`] from its required fields; optional fields start unset.");
    quote! {
        #[doc = #doc]
        pub fn new(#(#args),*) -> Self {
            Self { #(#inits,)* #unknown }
        }
    }
}

/// A builder-style setter for an optional field; `None` for fields set through `new`.
fn setter(field: &Field, presence: Presence, setter_name: &str) -> Option<TokenStream> {
    let name = ident(&field.rust_name);
    let setter_name = ident(setter_name);
    let ty = type_tokens(&field.ty);
    let wire = &field.wire_name;
    match presence {
        Presence::Required | Presence::RequiredNullable => None,
        Presence::Optional => {
            let doc = format!(" Sets `{wire}`.");
            Some(quote! {
                #[doc = #doc]
                pub fn #setter_name(mut self, value: impl Into<#ty>) -> Self {
                    self.#name = Some(value.into());
                    self
                }
            })
        }
        Presence::ThreeState => {
            let doc = format!(
                " Sets `{wire}`: pass a value, or `Nullable::Null` to send `null`, or `Nullable::Unset` to leave it out."
            );
            let (param, value) = wrapped_param(quote!(#NULLABLE), &field.ty, &ident("value"));
            Some(quote! {
                #[doc = #doc]
                pub fn #setter_name(mut self, value: #param) -> Self {
                    self.#name = #value;
                    self
                }
            })
        }
    }
}

fn enum_def(def: &TypeDef, values: &EnumDef) -> TokenStream {
    let name = ident(&def.name);
    let doc = type_doc(def);
    let fallback = ident(&values.fallback);
    let variants = values.variants.iter().map(|variant| {
        let variant_name = ident(&variant.rust_name);
        let doc = format!(" `{}`", variant.wire);
        quote!(#[doc = #doc] #variant_name,)
    });
    let as_str_arms = values.variants.iter().map(|variant| {
        let variant_name = ident(&variant.rust_name);
        let wire = Literal::string(&variant.wire);
        quote!(Self::#variant_name => #wire,)
    });
    let from_arms = values.variants.iter().map(|variant| {
        let variant_name = ident(&variant.rust_name);
        let wire = Literal::string(&variant.wire);
        quote!(#wire => #name::#variant_name,)
    });
    let (fallback_doc, allowed) = match values.unknown_allowed {
        true => (
            " A value the spec does not list, which it allows (`x-speakeasy-unknown-values`): kept verbatim so it round-trips, and no deviation, even in strict mode.",
            quote!(unknown_values_allowed,),
        ),
        false => (
            " A value this version of the SDK does not know, kept verbatim so it round-trips.",
            quote!(),
        ),
    };
    // Produces the open enum and `as_str`; the runtime macro adds the conversions from strings
    // (from the known values listed here) and the serde impls.
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #[doc = #fallback_doc]
            #fallback(String),
        }

        impl #name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str_arms)*
                    Self::#fallback(value) => value,
                }
            }

            /// Whether this is a value this version of the SDK does not know.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::#fallback(_))
            }
        }

        #IMPL_OPEN_ENUM!(#name, #fallback, #allowed { #(#from_arms)* });
    }
}

fn union_def(def: &TypeDef, union: &UnionDef) -> TokenStream {
    let name = ident(&def.name);
    let doc = type_doc(def);
    let tag_field = &union.tag_field;
    let fallback = ident(&union.fallback);
    let variants = union.variants.iter().map(|variant| {
        let variant_name = ident(&variant.rust_name);
        let ty = ident(&variant.ty);
        let doc = format!(" The variant tagged `{tag_field}: \"{}\"`.", variant.tag);
        quote!(#[doc = #doc] #variant_name(#ty),)
    });
    let tag_arms = union.variants.iter().map(|variant| {
        let variant_name = ident(&variant.rust_name);
        let tag = &variant.tag;
        quote!(Self::#variant_name(_) => Some(#tag),)
    });
    let fallback_doc = format!(
        " A variant this version of the SDK does not know, or a value whose `{tag_field}` tag is missing, kept as raw JSON."
    );
    let schema = tagged_schema(&def.name, union);
    let serde = union_serde(&name, union);
    // Produces the open union, `tag()`, its serde impls and its schema.
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #[doc = #fallback_doc]
            #fallback(serde_json::Value),
        }

        impl #name {
            /// The value of the tag field that selects this variant.
            pub fn tag(&self) -> Option<&str> {
                match self {
                    #(#tag_arms)*
                    Self::#fallback(raw) => raw.get(#tag_field).and_then(serde_json::Value::as_str),
                }
            }
        }

        #serde
        #schema
    }
}

/// A tagged union's serde impls, which dispatch on the tag field through the runtime's `union`
/// helpers; a value with another tag, or none, is kept in the fallback variant.
fn union_serde(name: &Ident, union: &UnionDef) -> TokenStream {
    let tag_field = &union.tag_field;
    let fallback = ident(&union.fallback);
    let serialize_arms = union.variants.iter().map(|variant| {
        let variant_name = ident(&variant.rust_name);
        let tag = &variant.tag;
        quote!(Self::#variant_name(value) => #SERIALIZE_TAGGED(serializer, #tag_field, #tag, value),)
    });
    let deserialize_arms = union.variants.iter().map(|variant| {
        let variant_name = ident(&variant.rust_name);
        let tag = &variant.tag;
        quote!(Some(#tag) => tagged.decode(#tag).map(Self::#variant_name),)
    });
    quote! {
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#serialize_arms)*
                    Self::#fallback(raw) => serde::Serialize::serialize(raw, serializer),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let tagged = #TAGGED::deserialize(deserializer, #tag_field)?;
                match tagged.tag() {
                    #(#deserialize_arms)*
                    _ => tagged.fallback().map(Self::#fallback),
                }
            }
        }
    }
}

/// The type's description, or a line naming the schema it comes from.
fn type_doc(def: &TypeDef) -> TokenStream {
    match &def.doc {
        Some(doc) if !doc.trim().is_empty() => doc_attrs(doc, false),
        _ => doc_attrs(&format!("Generated from the schema at `{}`.", def.pointer), false),
    }
}

fn untagged_def(def: &TypeDef, untagged: &UntaggedDef) -> TokenStream {
    let name = ident(&def.name);
    let doc = type_doc(def);
    let fallback = ident(&untagged.fallback);
    let variants = untagged.variants.iter().map(|variant| {
        let variant_name = ident(&variant.rust_name);
        let ty = type_tokens(&variant.ty);
        quote!(#[doc = " One of the alternatives."] #variant_name(#ty),)
    });
    let serialize_arms = untagged.variants.iter().map(|variant| {
        let variant_name = ident(&variant.rust_name);
        quote!(Self::#variant_name(value) => serde::Serialize::serialize(value, serializer),)
    });
    let decoders = untagged.variants.iter().map(|variant| {
        let variant_name = ident(&variant.rust_name);
        quote!(|raw| #TRY_DECODE(raw).map(Self::#variant_name))
    });
    let schema = untagged_schema(&def.name, untagged);
    // Produces the open untagged union, serde impls that let the runtime choose the
    // alternative by the shapes of its schema (keeping the raw JSON when none fits), and the
    // schema.
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value that fits none of the alternatives, kept as raw JSON.
            #fallback(serde_json::Value),
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#serialize_arms)*
                    Self::#fallback(raw) => serde::Serialize::serialize(raw, serializer),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                #DECODE_UNTAGGED(raw, &[#(#decoders),*], Self::#fallback)
            }
        }

        #schema
    }
}
