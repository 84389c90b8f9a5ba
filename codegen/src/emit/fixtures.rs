//! Fixtures: a realistic value of each model, for the `testing` module, built from the spec's
//! `example`s, with a made-up value where a property has none. The value is written as JSON
//! and decoded by the runtime, so a fixture is exactly what a server sending that JSON gives.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{Map, Value};

use super::{doc_attrs, ident};
use crate::model::{Api, Field, Presence, TypeDef, TypeKind, TypeRef};
use crate::names::{Scope, snake_name};
use crate::runtime::{FIXTURE, ROUND_TRIP};

/// The Rust name of a struct's first field that is a required, non-nullable `String`.
fn text_field(def: &TypeDef) -> Option<String> {
    let TypeKind::Struct(st) = &def.kind else { return None };
    let field = st
        .fields
        .iter()
        .find(|f| f.presence == Presence::Required && f.ty == TypeRef::String)?;
    Some(field.rust_name.clone())
}

/// A fixture's docs: where its value comes from, and the value, as JSON.
fn fixture_doc(name: &str, value: &Value) -> String {
    let pretty = serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string());
    format!(
        "A [`{name}`](models::{name}) built from the spec's examples, with made-up values where it has none. Its value, as JSON:\n\n```json\n{pretty}\n```"
    )
}

/// The `fixtures` module's docs, with how a test changes a fixture, shown on `example`: a
/// fixture function and a required text field of its model.
fn module_doc(example: Option<(String, String)>) -> Vec<String> {
    let mut lines = vec![
        " A realistic value of each model, built from the spec's examples. Where the spec gives a property no example, its value is made up in the form its name and format suggest (`example_` and the name, for text); each function's docs show the whole value.".to_owned(),
        String::new(),
        " Each call returns a fresh value, so a test changes the fields it cares about on its own copy.".to_owned(),
    ];
    if let Some((function, field)) = example {
        lines.push(format!(
            " For example, `let mut value = fixtures::{function}(); value.{field} = \"a value of the test's own\".to_owned();`."
        ));
    }
    lines
}

/// The `fixtures` module: one function per model that has a value, and `check_all`, which
/// round-trips each through JSON.
pub(super) fn module(api: &Api) -> TokenStream {
    let mut scope = Scope::with_reserved(["check_all"]);
    let mut functions = Vec::new();
    let mut checks = Vec::new();
    let mut example = None;
    for def in &api.types {
        let Some(value) = example_of(api, def) else { continue };
        let function_name = scope.claim(&snake_name(&def.name));
        if example.is_none() {
            example = text_field(def).map(|field| (function_name.clone(), field));
        }
        let function = ident(&function_name);
        let type_name = ident(&def.name);
        let name = &def.name;
        let json = value.to_string();
        let doc = doc_attrs(&fixture_doc(name, &value), false);
        functions.push(quote! {
            #doc
            pub fn #function() -> models::#type_name {
                #FIXTURE(#name, #json)
            }
        });
        checks.push(quote!(#ROUND_TRIP(#name, &#function())?;));
    }
    let count = checks.len();
    let module_doc = module_doc(example);
    quote! {
        #(#[doc = #module_doc])*
        pub mod fixtures {
            use super::models;

            #(#functions)*

            /// Checks that every fixture serializes to JSON that decodes back into the same
            /// value, and returns how many there are.
            ///
            /// # Errors
            ///
            /// The first fixture that does not, and how.
            pub fn check_all() -> ::core::result::Result<usize, ::std::string::String> {
                #(#checks)*
                Ok(#count)
            }
        }
    }
}

/// A value of `def`, or `None` if it cannot have one: a multipart body (not JSON), or a type
/// that needs itself to be built.
fn example_of(api: &Api, def: &TypeDef) -> Option<Value> {
    if matches!(&def.kind, TypeKind::Struct(fields) if fields.multipart) {
        return None;
    }
    Builder { api, stack: Vec::new() }.named(&def.name)
}

struct Builder<'a> {
    api: &'a Api,
    /// The types being built, outermost first, so a type that contains itself stops.
    stack: Vec<&'a str>,
}

impl<'a> Builder<'a> {
    fn named(&mut self, name: &'a str) -> Option<Value> {
        if self.stack.contains(&name) {
            return None;
        }
        let def = self.api.types.iter().find(|def| def.name == name)?;
        self.stack.push(name);
        let value = match &def.kind {
            TypeKind::Struct(fields) => self.object(&fields.fields),
            TypeKind::Enum(def) => def.variants.first().map(|variant| Value::from(variant.wire.as_str())),
            TypeKind::Union(def) => def.variants.iter().find_map(|variant| {
                let mut value = self.named(&variant.ty)?;
                value
                    .as_object_mut()?
                    .insert(def.tag_field.clone(), variant.tag.clone().into());
                Some(value)
            }),
            TypeKind::Untagged(def) => def
                .variants
                .iter()
                .find_map(|variant| self.value(&variant.ty, None, name)),
        };
        self.stack.pop();
        value
    }

    /// Every property that can have a value; `None` if a required one cannot (a required
    /// nullable one is `null` then).
    fn object(&mut self, fields: &'a [Field]) -> Option<Value> {
        let mut object = Map::new();
        for field in fields {
            match self.value(&field.ty, field.example.as_ref(), &field.wire_name) {
                Some(value) => {
                    object.insert(field.wire_name.clone(), value);
                }
                None if field.required && field.nullable => {
                    object.insert(field.wire_name.clone(), Value::Null);
                }
                None if field.required => return None,
                None => {}
            }
        }
        Some(Value::Object(object))
    }

    /// The spec's example when it fits the type, else a made-up value named after the property.
    fn value(&mut self, ty: &'a TypeRef, example: Option<&Value>, hint: &str) -> Option<Value> {
        if let Some(example) = example.filter(|example| fits(self.api, ty, example)) {
            return Some(example.clone());
        }
        Some(match ty {
            TypeRef::String => Value::from(made_up_string(hint)),
            TypeRef::Bool => Value::Bool(true),
            // Clerk's timestamps are milliseconds since the epoch, in `*_at` properties.
            TypeRef::I64 if hint.ends_with("_at") => Value::from(1_716_883_200_000_i64),
            TypeRef::I32 | TypeRef::I64 => Value::from(1),
            TypeRef::F32 | TypeRef::F64 => Value::from(1.5),
            TypeRef::Json | TypeRef::JsonMap | TypeRef::Map(_) => Value::Object(Map::new()),
            // One item shows the shape; none if the item cannot be built.
            TypeRef::Vec(item) => Value::Array(self.value(item, None, hint).into_iter().collect()),
            TypeRef::Boxed(inner) => return self.value(inner, example, hint),
            TypeRef::Named(name) => return self.named(name),
            TypeRef::Binary | TypeRef::Bytes => return None,
        })
    }
}

/// A string for a property without an example, in the form its name suggests.
fn made_up_string(hint: &str) -> String {
    let lower = hint.to_ascii_lowercase();
    if lower.contains("email") {
        "user@example.com".to_owned()
    } else if lower.contains("phone") {
        "+15555550100".to_owned()
    } else if lower.contains("url") {
        "https://example.com".to_owned()
    } else {
        format!("example_{hint}")
    }
}

/// Whether `example` is a value of `ty`. The examples of objects are not taken whole: each
/// property is built from its own example, so a partial example cannot miss a required one.
fn fits(api: &Api, ty: &TypeRef, example: &Value) -> bool {
    match ty {
        TypeRef::String => example.is_string(),
        TypeRef::Bool => example.is_boolean(),
        TypeRef::I32 => example.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
        TypeRef::I64 => example.is_i64(),
        TypeRef::F32 | TypeRef::F64 => example.is_number(),
        TypeRef::Json => true,
        TypeRef::JsonMap => example.is_object(),
        TypeRef::Map(inner) => example
            .as_object()
            .is_some_and(|map| map.values().all(|v| fits(api, inner, v))),
        TypeRef::Vec(inner) => example
            .as_array()
            .is_some_and(|items| items.iter().all(|v| fits(api, inner, v))),
        TypeRef::Boxed(inner) => fits(api, inner, example),
        // An enum is open: any string decodes.
        TypeRef::Named(name) => {
            example.is_string()
                && api
                    .types
                    .iter()
                    .any(|def| &def.name == name && matches!(def.kind, TypeKind::Enum(_)))
        }
        TypeRef::Binary | TypeRef::Bytes => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Pointer;
    use crate::model::{EnumDef, EnumVariant, StructDef};

    fn field(name: &str, ty: TypeRef, required: bool, example: Option<Value>) -> Field {
        Field {
            wire_name: name.to_owned(),
            rust_name: name.to_owned(),
            doc: None,
            ty,
            required,
            nullable: false,
            presence: crate::model::Presence::of(required, false, false),
            example,
            constraints: Vec::new(),
            format: None,
            deprecated: false,
        }
    }

    fn def(name: &str, kind: TypeKind) -> TypeDef {
        TypeDef {
            name: name.to_owned(),
            doc: None,
            pointer: Pointer::root(),
            kind,
        }
    }

    fn api(types: Vec<TypeDef>) -> Api {
        Api {
            title: "T".to_owned(),
            version: "1".to_owned(),
            license: None,
            marker: "TApi".to_owned(),
            version_header: None,
            default_server: None,
            server_template: String::new(),
            schemes: Vec::new(),
            required_schemes: Vec::new(),
            env_scheme: None,
            types,
            error_type: None,
            resources: Vec::new(),
            envelopes: Vec::new(),
            webhooks: Vec::new(),
            key_set: None,
            machine_verifiers: Vec::new(),
        }
    }

    fn structure(fields: Vec<Field>) -> TypeKind {
        TypeKind::Struct(StructDef {
            fields,
            used_in_request: false,
            used_in_response: false,
            multipart: false,
        })
    }

    #[test]
    fn examples_that_fit_are_kept_and_the_rest_made_up() {
        let status = def(
            "Status",
            TypeKind::Enum(EnumDef {
                variants: vec![EnumVariant {
                    wire: "active".to_owned(),
                    rust_name: "Active".to_owned(),
                }],
                fallback: "Unknown".to_owned(),
                unknown_allowed: false,
            }),
        );
        let user = def(
            "User",
            structure(vec![
                field("id", TypeRef::String, true, Some(Value::from("user_123"))),
                field("age", TypeRef::I32, true, Some(Value::from("not a number"))),
                field("status", TypeRef::Named("Status".to_owned()), false, None),
                field("tags", TypeRef::Vec(Box::new(TypeRef::String)), false, None),
                field("email_address", TypeRef::String, false, None),
                field("created_at", TypeRef::I64, false, None),
            ]),
        );
        let api = api(vec![status, user.clone()]);
        let value = example_of(&api, &user).expect("a value");
        assert_eq!(
            value,
            serde_json::json!({
                "id": "user_123", "age": 1, "status": "active", "tags": ["example_tags"],
                "email_address": "user@example.com", "created_at": 1_716_883_200_000_i64
            })
        );
    }

    #[test]
    fn a_type_that_contains_itself_stops_where_it_may() {
        let node = def(
            "Node",
            structure(vec![
                field(
                    "children",
                    TypeRef::Vec(Box::new(TypeRef::Named("Node".to_owned()))),
                    true,
                    None,
                ),
                field(
                    "parent",
                    TypeRef::Boxed(Box::new(TypeRef::Named("Node".to_owned()))),
                    false,
                    None,
                ),
            ]),
        );
        let api = api(vec![node.clone()]);
        assert_eq!(example_of(&api, &node), Some(serde_json::json!({"children": []})));

        let endless = def(
            "Endless",
            structure(vec![field(
                "next",
                TypeRef::Boxed(Box::new(TypeRef::Named("Endless".to_owned()))),
                true,
                None,
            )]),
        );
        let api = self::api(vec![endless.clone()]);
        assert_eq!(
            example_of(&api, &endless),
            None,
            "a required field that needs its own type"
        );
    }
}
