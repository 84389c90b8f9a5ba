//! Snapshot tests: each small spec in `specs/` exercises one family of constructs, and its
//! generated Rust (models and operations) and Markdown pages are compared with the checked-in
//! `specs/NAME.expected`, with the warnings the generator gave last. The specs are found in the folder, so a new one is compared as soon
//! as it is added, and an `.expected` file whose spec is gone fails the test.
//!
//! After an intended change to the output, refresh the snapshots with
//! `UPDATE_EXPECT=1 cargo test -p codegen --test snapshots` and review the diff. Under CI
//! (`CI` set), `UPDATE_EXPECT` fails the test instead, so a snapshot can never be rewritten
//! into passing there. The `generated_crates` test in the `tests` crate compiles these outputs
//! and runs round trips against a mock server.
//!
//! The last test checks that the output for the whole upstream spec is the same on every run.

use std::path::{Path, PathBuf};

use codegen::overlay::Overlay;
use codegen::{Config, Manifest, RuntimeSource, generate};

fn specs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/specs")
}

/// The names of the files in `specs/` with this extension, sorted; a spec's overlay
/// (`NAME.overlay.yaml`) is not a spec of its own.
fn names_with(extension: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(specs_dir())
        .expect("specs folder")
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            (path.extension()? == extension).then(|| path.file_stem()?.to_str().map(str::to_owned))?
        })
        .filter(|name| !name.ends_with(".overlay"))
        .collect();
    names.sort();
    names
}

/// Every file of `specs/NAME.yaml` generated whole as a crate (its `Cargo.toml`, `src/lib.rs`,
/// every module and every page), each under a banner line.
fn generated_text(name: &str) -> String {
    let path = specs_dir().join(format!("{name}.yaml"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let text = with_overlay(name, &text);
    let config = Config {
        spec_label: format!("codegen/tests/specs/{name}.yaml"),
        package_name: name.replace('_', "-"),
        manifest: Some(Manifest {
            runtime_version: "0.1.0".to_owned(),
            runtime_source: RuntimeSource::Path("../../clerk-sdk/runtime".to_owned()),
            rust_version: "1.88".to_owned(),
            license: None,
        }),
        ..Config::default()
    };
    let generated = generate(&text, &config).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut snapshot: String = generated
        .files
        .iter()
        .map(|file| format!("// ===== {} =====\n{}", file.path, file.contents))
        .collect();
    if !generated.warnings.is_empty() {
        snapshot.push_str("// ===== warnings =====\n");
        for warning in &generated.warnings {
            snapshot.push_str(&format!("// {warning}\n"));
        }
    }
    snapshot
}

/// The spec with `specs/NAME.overlay.yaml` applied, if there is one.
fn with_overlay(name: &str, text: &str) -> String {
    let path = specs_dir().join(format!("{name}.overlay.yaml"));
    let Ok(overlay) = std::fs::read_to_string(&path) else {
        return text.to_owned();
    };
    let overlay = Overlay::parse(&overlay, &format!("{name}.overlay.yaml")).unwrap_or_else(|e| panic!("{e}"));
    let (text, warnings) = codegen::overlay::apply_all(text, &[overlay]).unwrap_or_else(|e| panic!("{e}"));
    assert!(warnings.is_empty(), "{name}: {warnings:?}");
    text
}

#[test]
fn every_spec_matches_its_snapshot() {
    let updating = std::env::var_os("UPDATE_EXPECT").is_some();
    assert!(
        !(updating && std::env::var_os("CI").is_some()),
        "UPDATE_EXPECT is set under CI: snapshots must be compared there, not rewritten"
    );
    let specs = names_with("yaml");
    assert!(specs.len() >= 6, "the specs are there: {specs:?}");
    let orphans: Vec<String> = names_with("expected")
        .into_iter()
        .filter(|name| !specs.contains(name))
        .collect();
    assert!(orphans.is_empty(), "snapshots without a spec: {orphans:?}");
    for name in specs {
        expect_test::expect_file![specs_dir().join(format!("{name}.expected"))].assert_eq(&generated_text(&name));
    }
}

/// Generating the whole upstream spec twice gives the same files: nothing depends on the
/// iteration order of a hash map, whose seed differs from one map to the next.
#[test]
fn the_output_is_the_same_on_every_run() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/upstream/bapi-2026-05-12.yml");
    let text = std::fs::read_to_string(path).expect("spec readable");
    let run = || generate(&text, &Config::default()).expect("generates").files;
    let first = run();
    assert!(first.len() > 40, "one file per resource and more");
    assert_eq!(run(), first);
}
