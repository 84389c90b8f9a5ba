//! The regeneration report on a real pair of Clerk's specs, Backend API 2025-11-10 to
//! 2026-05-12, checked against counts read straight from the YAML, and against the report
//! committed in `tests/fixtures/` (refresh it with `UPDATE_EXPECT=1` after an intended change).
//! Also: MAINTAINING.md's table of rules lists every rule with its reason.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use codegen::diff::{Class, Diff, Rule};
use serde_yaml::Value;

const OLD: &str = "bapi-2025-11-10.yml";
const NEW: &str = "bapi-2026-05-12.yml";
const FIXTURE: &str = "tests/fixtures/bapi-2025-11-10_to_2026-05-12.md";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("a parent")
        .to_path_buf()
}

fn spec_text(name: &str) -> String {
    std::fs::read_to_string(workspace().join("spec/upstream").join(name)).expect("the spec")
}

/// The pair's diff, made once for all the tests here: each whole spec takes seconds to lower in
/// a debug build.
fn diff() -> &'static Diff {
    static DIFF: std::sync::OnceLock<Diff> = std::sync::OnceLock::new();
    DIFF.get_or_init(|| {
        let api = |name: &str| {
            codegen::generate(&spec_text(name), &codegen::Config::default())
                .expect("generates")
                .api
        };
        Diff::new(OLD, &api(OLD), NEW, &api(NEW))
    })
}

/// The operationIds of a spec, read from the YAML without the generator.
fn operation_ids(spec: &Value) -> BTreeSet<String> {
    const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
    let paths = spec["paths"].as_mapping().expect("paths");
    paths
        .values()
        .filter_map(Value::as_mapping)
        .flat_map(|item| item.iter())
        .filter(|(method, _)| method.as_str().is_some_and(|m| METHODS.contains(&m)))
        .filter_map(|(_, op)| op["operationId"].as_str().map(str::to_owned))
        .collect()
}

/// The names of a spec's component schemas.
fn schema_names(spec: &Value) -> BTreeSet<String> {
    let schemas = spec["components"]["schemas"].as_mapping().expect("schemas");
    schemas.keys().filter_map(|k| k.as_str().map(str::to_owned)).collect()
}

#[test]
fn the_report_counts_what_the_yaml_says() {
    let (old, new): (Value, Value) = (
        serde_yaml::from_str(&spec_text(OLD)).expect("YAML"),
        serde_yaml::from_str(&spec_text(NEW)).expect("YAML"),
    );
    let (old_ops, new_ops) = (operation_ids(&old), operation_ids(&new));
    let added_ops = new_ops.difference(&old_ops).count();
    let removed_ops = old_ops.difference(&new_ops).count();
    assert_eq!((added_ops, removed_ops), (10, 0), "counted from the YAML");

    let diff = diff();
    let count = |rule: Rule| diff.changes.iter().filter(|c| c.rule == rule).count();
    assert_eq!(count(Rule::OperationAdded), added_ops);
    assert_eq!(count(Rule::OperationRemoved), removed_ops);

    // Four component schemas are new. Two are objects, which become types of their own; two are
    // arrays of them, which Rust spells `Vec<..>`, so they are no type of their own.
    let added_schemas: Vec<String> = schema_names(&new).difference(&schema_names(&old)).cloned().collect();
    assert_eq!(added_schemas.len(), 4, "{added_schemas:?}");
    for name in &added_schemas {
        let pointer = format!("#/components/schemas/{name}");
        let reported = diff
            .changes
            .iter()
            .any(|c| c.rule == Rule::TypeAdded && c.pointer == pointer);
        let is_array = new["components"]["schemas"][name.as_str()]["type"].as_str() == Some("array");
        assert_eq!(reported, !is_array, "{name}");
    }
    assert_eq!(
        diff.summary(),
        format!("{} breaking, {} additive", diff.breaking, diff.additive)
    );
    assert!(
        diff.changes.iter().all(|c| c.pointer.starts_with("#/")),
        "every entry has its pointer"
    );
}

#[test]
fn the_report_matches_the_committed_fixture() {
    let report = diff().markdown();
    let path = workspace().join(FIXTURE);
    if std::env::var_os("UPDATE_EXPECT").is_some() && std::env::var_os("CI").is_none() {
        std::fs::write(&path, &report).expect("writes the fixture");
    }
    let committed = std::fs::read_to_string(&path).expect("the fixture");
    assert_eq!(
        report, committed,
        "the report changed: review it, then UPDATE_EXPECT=1 cargo test -p tests --test regeneration_report"
    );
}

#[test]
fn the_json_is_the_same_on_every_run() {
    // Lowered afresh, so the order of everything is checked, not one value printed twice.
    let api = |name: &str| {
        codegen::generate(&spec_text(name), &codegen::Config::default())
            .expect("generates")
            .api
    };
    let (first, second) = (diff().json(), Diff::new(OLD, &api(OLD), NEW, &api(NEW)).json());
    assert_eq!(first, second);
    let parsed: serde_json::Value = serde_json::from_str(&first).expect("JSON");
    assert_eq!(
        parsed["changes"].as_array().map(Vec::len),
        Some(parsed["breaking"].as_u64().unwrap_or(0) as usize + parsed["additive"].as_u64().unwrap_or(0) as usize)
    );
}

#[test]
fn the_maintainers_guide_lists_every_rule_with_its_class_and_reason() {
    let readme = std::fs::read_to_string(workspace().join("MAINTAINING.md")).expect("MAINTAINING.md");
    for rule in Rule::ALL {
        let name = serde_json::to_value(rule).expect("a name");
        let class = if rule.class() == Class::Breaking {
            "breaking"
        } else {
            "additive"
        };
        let row = format!(
            "| `{}` | {class} | {} |",
            name.as_str().unwrap_or_default(),
            rule.reason()
        );
        assert!(readme.contains(&row), "MAINTAINING.md lacks the row\n{row}");
    }
}
