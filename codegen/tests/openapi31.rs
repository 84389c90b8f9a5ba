//! OpenAPI 3.1 documents generate what the 3.0 documents they mean generate.
//!
//! Each 3.0 spec we have (Clerk's published specs, the phone_numbers slice, the webhooks spec
//! and every snapshot spec but the one written in 3.1) is rewritten here into OpenAPI 3.1 the way a spec author would:
//! `nullable` becomes a `type` list or a `null` alternative, `example` becomes `examples`,
//! boolean exclusive bounds become numeric ones, one-value enums become `const`, `format:
//! binary`/`byte` become content keywords and `x-webhooks` becomes `webhooks`. Generating both
//! must give the same files and the same number of warnings: whatever the generator reads
//! from a 3.0 construct, it reads the same from its 3.1 spelling.

use std::path::{Path, PathBuf};

use codegen::{Config, generate};
use serde_yaml::{Mapping, Value};

/// Keywords that describe a schema and stay on the outside when a nullable schema becomes
/// `anyOf: [schema, {type: 'null'}]`.
const ANNOTATIONS: [&str; 6] = ["description", "title", "deprecated", "readOnly", "writeOnly", "default"];

fn upgrade_schema(schema: &mut Value) {
    let Some(map) = schema.as_mapping_mut() else { return };
    for (key, field) in map.iter_mut() {
        match key.as_str() {
            Some("properties") => field
                .as_mapping_mut()
                .into_iter()
                .flatten()
                .for_each(|(_, p)| upgrade_schema(p)),
            Some("items" | "additionalProperties" | "not") => upgrade_schema(field),
            Some("allOf" | "anyOf" | "oneOf") => {
                field.as_sequence_mut().into_iter().flatten().for_each(upgrade_schema);
            }
            _ => {}
        }
    }
    if let Some(example) = map.remove("example") {
        map.insert("examples".into(), Value::Sequence(vec![example]));
    }
    for (exclusive, inclusive) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        let Some(Value::Bool(flag)) = map.get(exclusive).cloned() else {
            continue;
        };
        map.remove(exclusive);
        if let (true, Some(bound)) = (flag, map.remove(inclusive)) {
            map.insert(exclusive.into(), bound);
        }
    }
    match map.get("format").and_then(Value::as_str) {
        Some("binary") => {
            map.remove("format");
            map.insert("contentMediaType".into(), "application/octet-stream".into());
        }
        Some("byte") => {
            map.remove("format");
            map.insert("contentEncoding".into(), "base64".into());
        }
        _ => {}
    }
    if let Some(Value::Sequence(values)) = map.get("enum")
        && values.len() == 1
        && map.contains_key("type")
        && let Some(Value::Sequence(mut values)) = map.remove("enum")
    {
        map.insert("const".into(), values.remove(0));
    }
    if map.get("nullable").and_then(Value::as_bool) == Some(true) {
        map.remove("nullable");
        upgrade_nullable(map);
    }
}

/// `nullable: true` as 3.1 says it: `null` in the `type` list, or a `null` alternative.
fn upgrade_nullable(map: &mut Mapping) {
    if let Some(Value::String(typ)) = map.get("type").cloned() {
        map.insert("type".into(), Value::Sequence(vec![typ.into(), "null".into()]));
        return;
    }
    let is_composed = ["$ref", "allOf", "anyOf", "oneOf"]
        .iter()
        .any(|key| map.contains_key(*key));
    if !is_composed {
        // `{nullable: true}` alone accepts any value: no 3.1 keyword is needed, and 3.1
        // specs keep writing `nullable`, which is read as 3.0's.
        map.insert("nullable".into(), true.into());
        return;
    }
    let (outer, inner): (Mapping, Mapping) = std::mem::take(map).into_iter().partition(|(key, _)| {
        key.as_str()
            .is_some_and(|key| ANNOTATIONS.contains(&key) || key == "examples")
    });
    *map = outer;
    let null = Value::Mapping([(Value::from("type"), Value::from("null"))].into_iter().collect());
    map.insert("anyOf".into(), Value::Sequence(vec![Value::Mapping(inner), null]));
}

/// Walks the parts of a document that hold schemas (a sketch of the structure that is enough
/// for the specs here: no header or property of theirs is called `schema`).
fn upgrade_document(value: &mut Value) {
    let Some(map) = value.as_mapping_mut() else {
        if let Some(items) = value.as_sequence_mut() {
            items.iter_mut().for_each(upgrade_document);
        }
        return;
    };
    for (key, field) in map.iter_mut() {
        match key.as_str() {
            Some("schema") => upgrade_schema(field),
            Some("schemas") => field
                .as_mapping_mut()
                .into_iter()
                .flatten()
                .for_each(|(_, s)| upgrade_schema(s)),
            Some("example" | "examples") => {}
            _ => upgrade_document(field),
        }
    }
}

/// The spec rewritten into OpenAPI 3.1, and whether its `x-webhooks` became `webhooks` (which
/// moves the pointers the generated docs cite).
fn upgrade(text: &str) -> (String, bool) {
    let mut document: Value = serde_yaml::from_str(text).expect("YAML");
    upgrade_document(&mut document);
    let root = document.as_mapping_mut().expect("a mapping");
    root.insert("openapi".into(), "3.1.0".into());
    let renamed = root
        .remove("x-webhooks")
        .map(|webhooks| root.insert("webhooks".into(), webhooks));
    (serde_yaml::to_string(&document).expect("serializes"), renamed.is_some())
}

fn specs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut specs: Vec<PathBuf> = ["spec", "spec/upstream", "codegen/tests/specs"]
        .iter()
        .flat_map(|dir| std::fs::read_dir(root.join(dir)).expect("a folder"))
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| {
            let name = path.file_name().and_then(|name| name.to_str()).unwrap_or_default();
            (name.ends_with(".yaml") || name.ends_with(".yml")) && !name.contains(".overlay.")
        })
        .collect();
    specs.sort();
    specs
}

#[test]
fn every_spec_generates_the_same_from_its_3_1_spelling() {
    let specs = specs();
    assert!(specs.len() >= 15, "{specs:?}");
    let mut differences = Vec::new();
    for path in &specs {
        let text = std::fs::read_to_string(path).expect("readable");
        let version: Value = serde_yaml::from_str::<Value>(&text).expect("YAML")["openapi"].clone();
        if version.as_str().is_none_or(|version| !version.starts_with("3.0.")) {
            continue;
        }
        let (upgraded, renamed) = upgrade(&text);
        assert_ne!(text, upgraded);
        let name = path.display();
        let config = Config::default();
        let as_3_0 = generate(&text, &config).unwrap_or_else(|e| panic!("{name}: {e}"));
        let as_3_1 = generate(&upgraded, &config).unwrap_or_else(|e| panic!("{name} as 3.1: {e}"));
        for (before, after) in as_3_0.files.iter().zip(&as_3_1.files) {
            let contents = match renamed {
                true => after.contents.replace("`#/webhooks/", "`#/x-webhooks/"),
                false => after.contents.clone(),
            };
            if (&before.path, &before.contents) != (&after.path, &contents) {
                differences.push(format!("{name}: {} differs", before.path));
            }
        }
        if as_3_0.files.len() != as_3_1.files.len() || as_3_0.warnings.len() != as_3_1.warnings.len() {
            differences.push(format!(
                "{name}: {} files and {} warnings as 3.0, {} and {} as 3.1: {:?}",
                as_3_0.files.len(),
                as_3_0.warnings.len(),
                as_3_1.files.len(),
                as_3_1.warnings.len(),
                as_3_1.warnings
            ));
        }
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}
