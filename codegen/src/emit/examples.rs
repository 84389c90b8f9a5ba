//! Usage examples for operations: one snippet per operation, rendered both as a rustdoc
//! example on the method and as a complete program in the Markdown docs. Both are compiled as
//! doctests, so a renamed method or model breaks the build instead of the docs.

use std::collections::BTreeSet;

use serde_json::Value;

use super::example_values;
use crate::model::{Api, Field, Operation, Presence, Resource, SchemeKind, StructDef, TypeDef, TypeKind, TypeRef};
use crate::names::unraw;

/// How many optional body fields an example shows being set.
const OPTIONAL_FIELDS_SHOWN: usize = 3;
/// How deep required struct arguments are spelled out.
const MAX_DEPTH: usize = 3;

/// A usage example: the model types it imports and the call, as Rust statements.
pub(crate) struct Example {
    imports: BTreeSet<String>,
    /// The statement that makes `clerk`, with `{lib}` for the crate's name.
    setup: String,
    /// A comment on the set-up, for the complete program.
    setup_comment: &'static str,
    call: String,
    /// Whether the call pages through a list, and so reads a stream.
    paged: bool,
}

impl Example {
    /// The example for an operation of `resource`.
    pub(crate) fn new(api: &Api, resource: &Resource, operation: &Operation) -> Self {
        let mut builder = ExampleBuilder {
            api,
            imports: BTreeSet::new(),
        };
        let mut args: Vec<String> = operation
            .path_params
            .iter()
            .map(|param| builder.value(&param.ty, param.example.as_ref(), &param.wire_name, 0))
            .collect();
        for param in operation.header_params.iter().filter(|param| param.required) {
            args.push(builder.value(&param.ty, param.example.as_ref(), &param.wire_name, 0));
        }
        if let Some(query) = &operation.query {
            args.push(builder.body(&TypeRef::Named(query.clone())));
        }
        if let Some(body) = &operation.body {
            args.push(builder.body(&body.ty));
        }
        let (accessor, method, args) = (&resource.accessor, unraw(&operation.method_name), args.join(", "));
        let paged = operation.pagination.is_some();
        let call = if paged {
            // A list walks its pages: the items come as a stream.
            format!(
                "let mut items = clerk\n    .{accessor}()\n    .{method}({args})\n    .paginate()\n    .items();\nwhile let Some(item) = items.next().await {{\n    println!(\"{{:?}}\", item?);\n}}"
            )
        } else {
            format!("let res = clerk\n    .{accessor}()\n    .{method}({args})\n    .await?;\nprintln!(\"{{res:?}}\");")
        };
        let (setup, setup_comment) = setup(api, operation);
        Example {
            imports: builder.imports,
            setup,
            setup_comment,
            call,
            paged,
        }
    }

    fn use_lines(&self, lib: &str) -> String {
        let mut lines = String::new();
        if self.paged {
            lines.push_str(&format!("use {lib}::pagination::StreamExt;\n"));
        }
        match self.imports.len() {
            0 => {}
            1 => lines.push_str(&format!("use {lib}::models::{};\n", first(&self.imports))),
            _ => {
                let names: Vec<&str> = self.imports.iter().map(String::as_str).collect();
                lines.push_str(&format!("use {lib}::models::{{{}}};\n", names.join(", ")));
            }
        }
        lines
    }

    /// The example as a rustdoc `no_run` block, with the client set-up hidden.
    pub(crate) fn rustdoc(&self, lib: &str) -> String {
        let setup = self.setup.replace("{lib}", lib);
        format!(
            "```no_run\n{}# async fn example() -> Result<(), {lib}::Error> {{\n{setup}\n{}\n# Ok(())\n# }}\n```",
            self.use_lines(lib),
            self.call.replace("clerk_sdk::", &format!("{lib}::"))
        )
    }

    /// The example as a complete program, for Markdown.
    pub(crate) fn program(&self, lib: &str) -> String {
        let call = self.call.replace("clerk_sdk::", &format!("{lib}::"));
        let body: String = call.lines().map(|line| format!("    {line}\n")).collect();
        let setup: String = self
            .setup
            .replace("{lib}::", "")
            .lines()
            .map(|line| format!("    {line}\n"))
            .collect();
        format!(
            "```rust,no_run\n{}use {lib}::Clerk;\n\n#[tokio::main]\nasync fn main() -> Result<(), {lib}::Error> {{\n    // {}\n{setup}{body}    Ok(())\n}}\n```",
            self.use_lines(lib),
            self.setup_comment,
        )
    }
}

/// How an example makes its client: from the environment for an API whose only credential is
/// a secret key; otherwise with the builder, given a server URL when the spec has no fixed one
/// and placeholders for the credentials of the operation's first requirement that needs any.
fn setup(api: &Api, operation: &Operation) -> (String, &'static str) {
    if api.env_scheme.is_some() {
        return (
            "let clerk = {lib}::Clerk::from_env()?;".to_owned(),
            "Reads the secret key from CLERK_SECRET_KEY.",
        );
    }
    let mut lines = vec!["let clerk = {lib}::Clerk::builder()".to_owned()];
    if api.default_server.is_none() {
        let server = if api.server_template.is_empty() {
            "https://api.example.com"
        } else {
            &api.server_template
        };
        lines.push(format!("    .server_url({server:?})"));
    }
    let schemes = operation.security.iter().find(|alternative| !alternative.is_empty());
    for scheme in schemes
        .into_iter()
        .flatten()
        .filter_map(|&index| api.schemes.get(index))
    {
        let setter = unraw(&scheme.setter);
        let line = match scheme.kind {
            SchemeKind::Basic => format!("    .{setter}(\"<user>\", \"<password>\")"),
            _ => format!("    .{setter}(\"<{}>\")", scheme.name),
        };
        lines.push(line);
    }
    lines.push("    .build()?;".to_owned());
    (
        lines.join("\n"),
        "Configure the client: the server and the credentials.",
    )
}

fn first(set: &BTreeSet<String>) -> &str {
    set.iter().next().map(String::as_str).unwrap_or_default()
}

struct ExampleBuilder<'a> {
    api: &'a Api,
    imports: BTreeSet<String>,
}

impl ExampleBuilder<'_> {
    fn type_def(&self, name: &str) -> Option<&TypeDef> {
        self.api.types.iter().find(|def| def.name == name)
    }

    /// The body argument: a struct built with `new` and a few of its optional setters.
    fn body(&mut self, ty: &TypeRef) -> String {
        let TypeRef::Named(name) = ty else {
            return self.value(ty, None, "body", 0);
        };
        let Some(TypeKind::Struct(def)) = self.type_def(name).map(|def| def.kind.clone()) else {
            return self.value(ty, None, "body", 0);
        };
        let mut expression = self.construct(name, &def, 0);
        let shown = def
            .fields
            .iter()
            .filter(|field| matches!(field.presence, Presence::Optional | Presence::ThreeState))
            .filter(|field| is_simple(&field.ty, self.api))
            .take(OPTIONAL_FIELDS_SHOWN);
        for field in shown.collect::<Vec<&Field>>() {
            let value = self.field_value(field, 1);
            expression.push_str(&format!("\n        .{}({value})", def.setter(field)));
        }
        expression
    }

    /// `Type::new(required...)`, importing `Type`.
    fn construct(&mut self, name: &str, def: &StructDef, depth: usize) -> String {
        self.imports.insert(name.to_owned());
        let args: Vec<String> = def
            .fields
            .iter()
            .filter(|field| matches!(field.presence, Presence::Required | Presence::RequiredNullable))
            .map(|field| match field.presence {
                Presence::RequiredNullable => "None".to_owned(),
                _ => self.field_value(field, depth + 1),
            })
            .collect();
        format!("{name}::new({})", args.join(", "))
    }

    /// An expression for `field`'s setter or constructor argument that keeps the field's
    /// constraints: the spec's example when it does, else a placeholder that does.
    fn field_value(&mut self, field: &Field, depth: usize) -> String {
        let (example, name, constraints) = (field.example.as_ref(), field.wire_name.as_str(), &field.constraints);
        match &field.ty {
            TypeRef::String => example_values::string(example, name, field.format.as_deref(), constraints),
            TypeRef::I32 | TypeRef::I64 => example_values::integer(example, constraints),
            TypeRef::F32 | TypeRef::F64 => example_values::float(example, constraints),
            TypeRef::Vec(item) if example_values::min_items(constraints) > 0 => {
                let value = if **item == TypeRef::String {
                    format!(
                        "{}.to_owned()",
                        example_values::string(None, name, field.format.as_deref(), &[])
                    )
                } else {
                    self.value(item, None, name, depth + 1)
                };
                format!("vec![{value}]")
            }
            ty => self.value(ty, example, name, depth),
        }
    }

    /// An expression of type `ty` (or convertible into it), from the spec's example when there
    /// is a usable one.
    fn value(&mut self, ty: &TypeRef, example: Option<&Value>, name: &str, depth: usize) -> String {
        match (ty, example) {
            (TypeRef::String, Some(Value::String(text))) => format!("{text:?}"),
            (TypeRef::String, _) => format!("{:?}", format!("<{name}>")),
            (TypeRef::Bool, Some(Value::Bool(flag))) => flag.to_string(),
            (TypeRef::Bool, _) => "true".to_owned(),
            (TypeRef::I32 | TypeRef::I64, Some(Value::Number(n))) if n.is_i64() => n.to_string(),
            (TypeRef::I32 | TypeRef::I64, _) => "0".to_owned(),
            (TypeRef::F32 | TypeRef::F64, Some(Value::Number(n))) if n.is_f64() => format!("{n}"),
            (TypeRef::F32 | TypeRef::F64, _) => "0.0".to_owned(),
            (TypeRef::Json, _) => "serde_json::json!({})".to_owned(),
            (TypeRef::JsonMap, _) => "serde_json::Map::new()".to_owned(),
            (TypeRef::Map(_), _) => "std::collections::BTreeMap::new()".to_owned(),
            (TypeRef::Vec(_), _) => "Vec::new()".to_owned(),
            (TypeRef::Binary, _) => "clerk_sdk::FilePart::new(b\"...\".to_vec()).file_name(\"image.png\")".to_owned(),
            (TypeRef::Bytes, _) => "b\"...\".to_vec()".to_owned(),
            (TypeRef::Named(type_name), _) => self.named(type_name, example, depth),
            // Setters and constructors take `impl Into<Box<T>>`, which a `T` is.
            (TypeRef::Boxed(inner), _) => self.value(inner, example, name, depth),
        }
    }

    fn named(&mut self, name: &str, example: Option<&Value>, depth: usize) -> String {
        let Some(def) = self.type_def(name).cloned() else {
            return "Default::default()".to_owned();
        };
        match &def.kind {
            TypeKind::Enum(values) => {
                self.imports.insert(name.to_owned());
                let wanted = example.and_then(Value::as_str);
                let variant = values
                    .variants
                    .iter()
                    .find(|v| Some(v.wire.as_str()) == wanted)
                    .or_else(|| values.variants.first());
                match variant {
                    Some(variant) => format!("{name}::{}", variant.rust_name),
                    None => format!("{name}::{}(String::new())", values.fallback),
                }
            }
            TypeKind::Struct(def) if depth < MAX_DEPTH => self.construct(name, def, depth),
            TypeKind::Union(union) if depth < MAX_DEPTH => match union.variants.first() {
                Some(variant) => {
                    self.imports.insert(name.to_owned());
                    let inner = self.named(&variant.ty, None, depth + 1);
                    format!("{name}::{}({inner})", variant.rust_name)
                }
                None => format!("{name}::{}(serde_json::json!({{}}))", union.fallback),
            },
            TypeKind::Untagged(untagged) if depth < MAX_DEPTH => match untagged.variants.first() {
                Some(variant) => {
                    self.imports.insert(name.to_owned());
                    let inner = self.value(&variant.ty, None, "value", depth + 1);
                    format!("{name}::{}({inner})", variant.rust_name)
                }
                None => format!("{name}::{}(serde_json::json!({{}}))", untagged.fallback),
            },
            _ => "Default::default()".to_owned(),
        }
    }
}

/// Whether a field's value is short enough to show in an example.
fn is_simple(ty: &TypeRef, api: &Api) -> bool {
    match ty {
        TypeRef::String | TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::F32 | TypeRef::F64 => true,
        TypeRef::Named(name) => api
            .types
            .iter()
            .any(|def| &def.name == name && matches!(def.kind, TypeKind::Enum(_))),
        _ => false,
    }
}
