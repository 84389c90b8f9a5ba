//! One OpenAPI 3.1 schema (JSON Schema 2020-12) rewritten as the OpenAPI 3.0 schema that
//! accepts the same JSON:
//!
//! | 3.1 | 3.0 |
//! |---|---|
//! | `type: [T, "null"]`, a `{type: "null"}` member of `anyOf`/`oneOf` | `type: T`, `nullable: true` |
//! | `type: [A, B]` | `anyOf: [{type: A, …}, {type: B, …}]`, each with its type's keywords |
//! | `type: [integer, number]` | `type: number` |
//! | `const: v` | `enum: [v]` |
//! | `enum` (or `const`) without `type` | the `type` its values share |
//! | `exclusiveMinimum: n` | `minimum: n`, `exclusiveMinimum: true` (the stricter bound when both are given) |
//! | `examples: [a, …]` | `example: a` |
//! | `contentEncoding: base64` | `format: byte` |
//! | `contentMediaType` alone | `format: binary` |
//! | `true` | `{}` |
//! | `false` | `{not: {}}`, which lowering refuses with its pointer |
//!
//! The keywords 3.0 has no form for (`prefixItems`, `patternProperties`, `if`, `$defs`, …) are
//! each a warning and are then left out: the type accepts more than the spec says, never less.

use serde_yaml::{Mapping, Value};

use crate::error::{Error, Pointer, Warning};

/// Keywords whose value is one schema.
const SCHEMA_KEYWORDS: [&str; 3] = ["items", "additionalProperties", "not"];
/// Keywords whose value is a list of schemas.
const SCHEMA_LIST_KEYWORDS: [&str; 3] = ["allOf", "anyOf", "oneOf"];
/// The alternatives, where a null member means the schema is nullable.
const ALTERNATIVES: [&str; 2] = ["anyOf", "oneOf"];

/// JSON Schema keywords with no OpenAPI 3.0 form.
const NO_3_0_FORM: &[&str] = &[
    "prefixItems",
    "patternProperties",
    "propertyNames",
    "dependentRequired",
    "dependentSchemas",
    "if",
    "then",
    "else",
    "unevaluatedProperties",
    "unevaluatedItems",
    "contains",
    "minContains",
    "maxContains",
    "contentSchema",
    "$defs",
    "$id",
    "$anchor",
    "$dynamicRef",
    "$dynamicAnchor",
    "$vocabulary",
];

/// JSON Schema annotations that say nothing the generator reads.
const DROPPED_ANNOTATIONS: [&str; 2] = ["$schema", "$comment"];

/// The keywords that apply to one JSON type, which go with it when a list of types is split.
const STRING_KEYWORDS: &[&str] = &["minLength", "maxLength", "pattern"];
const NUMBER_KEYWORDS: &[&str] = &[
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
];
const ARRAY_KEYWORDS: &[&str] = &["items", "minItems", "maxItems", "uniqueItems"];
const OBJECT_KEYWORDS: &[&str] = &[
    "properties",
    "required",
    "additionalProperties",
    "minProperties",
    "maxProperties",
];

/// The `format`s of numbers; any other belongs to a string.
const NUMBER_FORMATS: [&str; 4] = ["int32", "int64", "float", "double"];

/// Rewrites the schema `value` at `pointer`, and the schemas inside it, into OpenAPI 3.0.
///
/// # Errors
///
/// [`Error::Unsupported`] for a list of types beside `anyOf` or `oneOf`, or a `type` that is
/// not a name or a list of names.
pub(super) fn convert(value: &mut Value, pointer: &Pointer, warnings: &mut Vec<Warning>) -> Result<(), Error> {
    match value {
        Value::Bool(true) => *value = Value::Mapping(Mapping::new()),
        Value::Bool(false) => *value = mapping([("not", Value::Mapping(Mapping::new()))]),
        _ => {}
    }
    let Some(schema) = value.as_mapping_mut() else {
        return Ok(());
    };
    drop_null_alternatives(schema);
    for (key, field) in schema.iter_mut() {
        let Some(key) = key.as_str() else { continue };
        let field_pointer = pointer.join(key);
        if key == "properties" {
            for (name, property) in field.as_mapping_mut().into_iter().flatten() {
                let name = name.as_str().unwrap_or_default();
                convert(property, &field_pointer.join(name), warnings)?;
            }
        } else if key == "additionalProperties" && field.is_bool() {
            // `additionalProperties: false` is OpenAPI 3.0 as it is.
        } else if SCHEMA_KEYWORDS.contains(&key) {
            convert(field, &field_pointer, warnings)?;
        } else if SCHEMA_LIST_KEYWORDS.contains(&key) {
            for (index, member) in field.as_sequence_mut().into_iter().flatten().enumerate() {
                convert(member, &field_pointer.join(index.to_string()), warnings)?;
            }
        }
    }
    without_3_0_form(schema, pointer, warnings);
    annotations(schema);
    constant(schema);
    exclusive_bounds(schema);
    content(schema, pointer, warnings);
    types(schema, pointer, warnings)
}

fn mapping<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::Mapping(
        entries
            .into_iter()
            .map(|(key, value)| (Value::from(key), value))
            .collect(),
    )
}

/// Whether a schema accepts `null` alone: `{type: "null"}`, `{const: null}`, `{enum: [null]}`.
fn is_null_only(schema: &Value) -> bool {
    let null = Value::Null;
    match (schema.get("type"), schema.get("const"), schema.get("enum")) {
        (Some(Value::String(typ)), _, _) => typ == "null",
        (Some(Value::Sequence(types)), _, _) => {
            !types.is_empty() && types.iter().all(|typ| typ.as_str() == Some("null"))
        }
        (None, Some(constant), _) => constant.is_null(),
        (None, None, Some(Value::Sequence(values))) => !values.is_empty() && values.iter().all(|v| *v == null),
        _ => false,
    }
}

/// Takes the null members out of `anyOf` and `oneOf`, making the schema nullable instead. A
/// single member left is that member's type, as lowering reads it.
fn drop_null_alternatives(schema: &mut Mapping) {
    let mut nullable = false;
    for keyword in ALTERNATIVES {
        let Some(Value::Sequence(members)) = schema.get_mut(keyword) else {
            continue;
        };
        let before = members.len();
        members.retain(|member| !is_null_only(member));
        if members.len() < before {
            nullable = true;
            if members.is_empty() {
                schema.remove(keyword);
            }
        }
    }
    if nullable {
        schema.insert("nullable".into(), true.into());
    }
}

fn without_3_0_form(schema: &mut Mapping, pointer: &Pointer, warnings: &mut Vec<Warning>) {
    // A tuple, `prefixItems` with `items: false` (no items past the prefix), is read as an
    // array of any item: left alone, `items: false` would forbid every item.
    if schema.contains_key("prefixItems")
        && schema.get("items") == Some(&mapping([("not", Value::Mapping(Mapping::new()))]))
    {
        schema.remove("items");
    }
    for keyword in NO_3_0_FORM {
        if schema.remove(*keyword).is_some() {
            warnings.push(Warning {
                pointer: pointer.join(keyword),
                message: format!(
                    "`{keyword}` has no OpenAPI 3.0 form and is ignored: the type accepts what the rest of the schema does"
                ),
            });
        }
    }
}

/// `examples: [a, …]` becomes `example: a`; `$schema` and `$comment` go.
fn annotations(schema: &mut Mapping) {
    for keyword in DROPPED_ANNOTATIONS {
        schema.remove(keyword);
    }
    if matches!(schema.get("examples"), Some(Value::Sequence(_)))
        && let Some(Value::Sequence(mut examples)) = schema.remove("examples")
        && !schema.contains_key("example")
        && !examples.is_empty()
    {
        schema.insert("example".into(), examples.swap_remove(0));
    }
}

/// `const: v` becomes `enum: [v]`.
fn constant(schema: &mut Mapping) {
    if let Some(value) = schema.remove("const") {
        schema.insert("enum".into(), Value::Sequence(vec![value]));
    }
}

/// A numeric `exclusiveMinimum`/`exclusiveMaximum` becomes the 3.0 pair of a bound and a flag;
/// beside an inclusive bound, the stricter of the two is kept.
fn exclusive_bounds(schema: &mut Mapping) {
    for (exclusive, inclusive, stricter) in [
        ("exclusiveMinimum", "minimum", f64::gt as fn(&f64, &f64) -> bool),
        ("exclusiveMaximum", "maximum", f64::lt),
    ] {
        let Some(bound) = schema.get(exclusive).filter(|bound| bound.is_number()).cloned() else {
            continue;
        };
        let inclusive_is_stricter = schema
            .get(inclusive)
            .and_then(Value::as_f64)
            .zip(bound.as_f64())
            .is_some_and(|(inclusive, exclusive)| stricter(&inclusive, &exclusive));
        if inclusive_is_stricter {
            schema.remove(exclusive);
        } else {
            schema.insert(inclusive.into(), bound);
            schema.insert(exclusive.into(), true.into());
        }
    }
}

/// `contentEncoding: base64` is 3.0's `format: byte`; a `contentMediaType` without an encoding
/// is raw bytes, `format: binary`.
fn content(schema: &mut Mapping, pointer: &Pointer, warnings: &mut Vec<Warning>) {
    let encoding = schema.remove("contentEncoding");
    let media_type = schema.remove("contentMediaType");
    let format = match (&encoding, &media_type) {
        (Some(encoding), _) if encoding.as_str() == Some("base64") => "byte",
        (Some(_), _) => {
            warnings.push(Warning {
                pointer: pointer.join("contentEncoding"),
                message: "only `base64` has an OpenAPI 3.0 form; the value is read as the text it is sent as"
                    .to_owned(),
            });
            return;
        }
        (None, Some(_)) => "binary",
        (None, None) => return,
    };
    if !schema.contains_key("format") {
        schema.insert("format".into(), format.into());
    }
}

/// A JSON value's type, as `type` names it (`integer` for a whole number).
fn json_type(value: &Value) -> Option<&'static str> {
    match value {
        Value::Bool(_) => Some("boolean"),
        Value::Number(number) if number.is_i64() || number.is_u64() => Some("integer"),
        Value::Number(_) => Some("number"),
        Value::String(_) => Some("string"),
        Value::Sequence(_) => Some("array"),
        Value::Mapping(_) => Some("object"),
        _ => None,
    }
}

/// Whether `value` is of the JSON type `typ` (an integer is a number too).
fn is_of_type(value: &Value, typ: &str) -> bool {
    json_type(value).is_some_and(|own| own == typ || (own == "integer" && typ == "number"))
}

/// `type` as 3.0 has it: one name, with `nullable` for `"null"`, or alternatives of one type
/// each. Without `type`, the one type every value of `enum` has.
fn types(schema: &mut Mapping, pointer: &Pointer, warnings: &mut Vec<Warning>) -> Result<(), Error> {
    let names: Vec<String> = match schema.get("type") {
        None => {
            infer_type(schema);
            return Ok(());
        }
        Some(Value::String(name)) => vec![name.clone()],
        Some(Value::Sequence(names)) => names
            .iter()
            .map(|name| name.as_str().map(str::to_owned))
            .collect::<Option<_>>()
            .ok_or_else(|| Error::unsupported(&pointer.join("type"), "`type` lists something other than type names"))?,
        Some(_) => return Ok(()),
    };
    let mut kept: Vec<String> = Vec::with_capacity(names.len());
    for name in names {
        if name == "null" {
            schema.insert("nullable".into(), true.into());
        } else if !kept.contains(&name) {
            kept.push(name);
        }
    }
    if kept.iter().any(|name| name == "number") {
        kept.retain(|name| name != "integer");
    }
    match kept.as_slice() {
        [] => {
            schema.remove("type");
        }
        [one] => {
            schema.insert("type".into(), one.as_str().into());
        }
        _ => split(schema, &kept, pointer, warnings)?,
    }
    Ok(())
}

/// Gives a schema without `type` the type all its `enum` values share (ignoring `null`, which
/// makes it nullable).
fn infer_type(schema: &mut Mapping) {
    let Some(Value::Sequence(values)) = schema.get("enum") else {
        return;
    };
    let mut typ = None;
    let mut null = false;
    for value in values {
        match json_type(value) {
            None => null = true,
            Some(own) if typ.is_none_or(|typ| typ == own) => typ = Some(own),
            Some(own) if matches!((typ, own), (Some("integer"), "number") | (Some("number"), "integer")) => {
                typ = Some("number");
            }
            Some(_) => return,
        }
    }
    if let Some(typ) = typ {
        schema.insert("type".into(), typ.into());
    } else {
        // A schema of `null` alone: `nullable` says it all, and 3.0 has no type for it.
        schema.remove("enum");
    }
    if null {
        schema.insert("nullable".into(), true.into());
    }
}

/// `type: [A, B]` becomes `anyOf: [{type: A, …}, {type: B, …}]`: each member takes the
/// keywords of its type and its values of `enum`; what describes the whole stays.
fn split(schema: &mut Mapping, types: &[String], pointer: &Pointer, warnings: &mut Vec<Warning>) -> Result<(), Error> {
    if let Some(keyword) = ALTERNATIVES.into_iter().find(|keyword| schema.contains_key(keyword)) {
        return Err(Error::unsupported(
            &pointer.join("type"),
            format!("a list of types beside `{keyword}` is not supported"),
        ));
    }
    schema.remove("type");
    let values = match schema.remove("enum") {
        Some(Value::Sequence(values)) => Some(values),
        _ => None,
    };
    let format = schema.remove("format");
    let mut members: Vec<Mapping> = types.iter().map(|typ| member_of(schema, typ)).collect();
    for keyword in STRING_KEYWORDS
        .iter()
        .chain(NUMBER_KEYWORDS)
        .chain(ARRAY_KEYWORDS)
        .chain(OBJECT_KEYWORDS)
    {
        schema.remove(*keyword);
    }
    if let Some(format) = format {
        let numeric = format.as_str().is_some_and(|format| NUMBER_FORMATS.contains(&format));
        match members.iter_mut().find(|member| {
            let typ = member.get("type").and_then(Value::as_str).unwrap_or_default();
            numeric == matches!(typ, "integer" | "number") && (numeric || typ == "string")
        }) {
            Some(member) => {
                member.insert("format".into(), format);
            }
            None => warnings.push(Warning {
                pointer: pointer.join("format"),
                message: "the `format` applies to none of the listed types and is ignored".to_owned(),
            }),
        }
    }
    if let Some(values) = values {
        split_enum(schema, &mut members, values, pointer, warnings);
    }
    let members = members.into_iter().map(Value::Mapping).collect();
    schema.insert("anyOf".into(), Value::Sequence(members));
    Ok(())
}

/// A member of a split list of types: `{type: typ}` and the keywords of that type.
fn member_of(schema: &Mapping, typ: &str) -> Mapping {
    let keywords: &[&str] = match typ {
        "string" => STRING_KEYWORDS,
        "integer" | "number" => NUMBER_KEYWORDS,
        "array" => ARRAY_KEYWORDS,
        "object" => OBJECT_KEYWORDS,
        _ => &[],
    };
    let mut member = Mapping::new();
    member.insert("type".into(), typ.into());
    for keyword in keywords {
        if let Some(value) = schema.get(*keyword) {
            member.insert((*keyword).into(), value.clone());
        }
    }
    member
}

/// Gives each member of a split list of types the values of `enum` of its type.
fn split_enum(
    schema: &mut Mapping,
    members: &mut Vec<Mapping>,
    values: Vec<Value>,
    pointer: &Pointer,
    warnings: &mut Vec<Warning>,
) {
    let mut by_member: Vec<Vec<Value>> = vec![Vec::new(); members.len()];
    for value in values {
        if value.is_null() {
            schema.insert("nullable".into(), true.into());
            continue;
        }
        let typ = |member: &Mapping| {
            member
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        match members.iter().position(|member| is_of_type(&value, &typ(member))) {
            Some(index) => by_member[index].push(value),
            None => warnings.push(Warning {
                pointer: pointer.join("enum"),
                message: "a value of `enum` is of none of the listed types and is left out".to_owned(),
            }),
        }
    }
    // A type none of the values has is no longer accepted at all.
    let mut index = 0;
    members.retain_mut(|member| {
        let values = std::mem::take(&mut by_member[index]);
        index += 1;
        let keep = !values.is_empty();
        if keep {
            member.insert("enum".into(), Value::Sequence(values));
        }
        keep
    });
}
