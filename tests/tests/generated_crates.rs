//! The generator's output, built and run: every spec Clerk publishes that `spec/upstream/`
//! holds (Backend and Frontend API, each version) and every snapshot spec of
//! `codegen/tests/specs/` are generated into crates of their own (in one temporary workspace),
//! each with every operation it declares, checked with `cargo clippy --all-targets -- -D
//! warnings` and documented with rustdoc warnings denied (so every generated doc link resolves).
//! The round-trip tests beside the snapshot specs, and those of `tests/round_trips/` for the
//! upstream specs, run inside their crates against a loopback mock server. Everything is built
//! with the `testing` feature, and each crate's fixtures must round-trip through JSON. The snapshot crates'
//! doctests run too: the examples in their rustdoc and Markdown pages compile, and code from
//! spec prose is never taken for a doctest.
//!
//! It builds a few dozen thousand lines, so it is ignored by default; `.ci/run` runs it with
//! `cargo test -p tests --test generated_crates -- --ignored`. `GENERATED_CRATES=a,b` builds
//! only the crates of those packages (such as `bapi-2026-05-12`), for a quicker round.

use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::{Config, Standalone};

#[path = "drift_corpus/mod.rs"]
mod drift_corpus;
#[path = "../drift/format.rs"]
mod drift_format;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// The names of the files in `dir` that end in `suffix`, without it, sorted.
fn stems(dir: &Path, suffix: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| {
            entry
                .ok()?
                .file_name()
                .to_str()?
                .strip_suffix(suffix)
                .map(str::to_owned)
        })
        .collect();
    names.sort();
    names
}

/// The specs to build: the package name, the spec, and its round-trip test if it has one.
/// Clerk's published specs come first; their packages are named after their files. With
/// `GENERATED_CRATES` set to package names (comma-separated), only those.
fn specs() -> Vec<(String, PathBuf, Option<PathBuf>)> {
    let mut specs = all_specs();
    if let Ok(only) = std::env::var("GENERATED_CRATES") {
        let only: Vec<&str> = only.split(',').map(str::trim).collect();
        specs.retain(|(package, _, _)| only.contains(&package.as_str()));
        assert!(!specs.is_empty(), "GENERATED_CRATES names no package: {only:?}");
    }
    specs
}

fn all_specs() -> Vec<(String, PathBuf, Option<PathBuf>)> {
    let root = workspace();
    let mut specs = Vec::new();
    let upstream = root.join("spec/upstream");
    for name in stems(&upstream, ".yml") {
        let round_trip = root.join(format!("tests/round_trips/{name}.rs"));
        let round_trip = round_trip.exists().then_some(round_trip);
        specs.push((name.clone(), upstream.join(format!("{name}.yml")), round_trip));
    }
    let dir = root.join("codegen/tests/specs");
    for name in stems(&dir, ".yaml")
        .into_iter()
        .filter(|name| !name.ends_with(".overlay"))
    {
        let round_trip = dir.join(format!("{name}.round_trip.rs"));
        let round_trip = round_trip.exists().then_some(round_trip);
        specs.push((name.replace('_', "-"), dir.join(format!("{name}.yaml")), round_trip));
    }
    specs
}

/// The upstream specs' packages being built, whose doctests (thousands) are not run.
fn upstream_packages(specs: &[(String, PathBuf, Option<PathBuf>)]) -> Vec<String> {
    let upstream = stems(&workspace().join("spec/upstream"), ".yml");
    specs
        .iter()
        .map(|(package, _, _)| package.clone())
        .filter(|package| upstream.contains(package))
        .collect()
}

/// The spec's text with its overlays applied: those of `spec/overlays/` whose `extends` names
/// its file, as `cargo xtask codegen` applies them, then `NAME.overlay.yaml` beside it, as the
/// snapshot test does.
fn overlaid(spec: &Path) -> String {
    let text = std::fs::read_to_string(spec).expect("spec readable");
    let file_name = spec.file_name().and_then(|name| name.to_str()).unwrap_or_default();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(workspace().join("spec/overlays"))
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .collect()
        })
        .unwrap_or_default();
    paths.sort();
    paths.push(spec.with_extension("overlay.yaml"));
    let overlays: Vec<codegen::overlay::Overlay> = paths
        .iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(path).ok()?;
            let overlay =
                codegen::overlay::Overlay::parse(&text, &path.display().to_string()).unwrap_or_else(|e| panic!("{e}"));
            let beside = path.parent() == spec.parent();
            (beside || overlay.extends_file(file_name)).then_some(overlay)
        })
        .collect();
    let (text, warnings) = codegen::overlay::apply_all(&text, &overlays).unwrap_or_else(|e| panic!("{e}"));
    assert!(warnings.is_empty(), "{}: {warnings:?}", spec.display());
    text
}

/// Writes one generated crate into `dir`, as a member of the surrounding workspace, with the
/// dev-dependencies its round-trip test needs.
fn write_crate(dir: &Path, package: &str, spec: &Path, round_trip: Option<&Path>) {
    let text = overlaid(spec);
    let config = Config {
        spec_label: spec.display().to_string(),
        standalone: Some(Standalone {
            package_name: package.to_owned(),
            sdk_path: workspace().join("clerk-sdk").display().to_string(),
        }),
        ..Config::default()
    };
    let generated = codegen::generate(&text, &config).unwrap_or_else(|e| panic!("{package}: {e}"));
    assert_eq!(
        generated.api.operation_count(),
        generated.spec_operations,
        "{package}: every operation the spec declares is generated"
    );
    for file in &generated.files {
        let path = dir.join(&file.path);
        std::fs::create_dir_all(path.parent().expect("has a folder")).expect("creates folder");
        let contents = if file.path == "Cargo.toml" {
            // A member of the test workspace rather than a workspace of its own.
            let manifest = file.contents.split("\n# A crate of its own").next().unwrap_or_default();
            format!("{manifest}\nwiremock = \"0.6\"\njson-patch = \"5\"\nfutures-util = \"0.3\"\n")
        } else {
            file.contents.clone()
        };
        std::fs::write(&path, contents).expect("writes");
    }
    // Every crate's fixtures, from its spec's examples, round-trip through JSON.
    std::fs::create_dir_all(dir.join("tests")).expect("creates tests folder");
    let lib = package.replace('-', "_");
    let fixtures = format!(
        "//! The fixtures of the testing kit round-trip through JSON.\n\n#[test]\nfn every_fixture_round_trips() {{\n    let count = {lib}::testing::fixtures::check_all().expect(\"fixtures round-trip\");\n    assert!(count > 0);\n}}\n"
    );
    std::fs::write(dir.join("tests/fixtures.rs"), fixtures).expect("writes the fixtures test");
    if let Some(round_trip) = round_trip {
        std::fs::copy(round_trip, dir.join("tests/round_trip.rs")).expect("copies round trip");
    }
    if spec.starts_with(workspace().join("spec/upstream")) {
        write_drift_test(dir, package, &text);
    }
}

/// The drift test of a crate generated from one of Clerk's specs: the corpus `drift_corpus`
/// makes from the spec (`text`, overlays applied), and the hand-written cases of `tests/drift/{package}/` if there are
/// any, run by `tests/drift/runner.rs`.
fn write_drift_test(dir: &Path, package: &str, text: &str) {
    let document: serde_json::Value = serde_yaml::from_str(text).expect("spec is YAML");
    let (samples, skipped) = drift_corpus::corpus(&document);
    assert!(
        samples.len() > 20 && skipped < 5,
        "{package}: {} samples, {skipped} without one",
        samples.len()
    );
    let tests = dir.join("tests");
    let support = tests.join("support/drift");
    std::fs::create_dir_all(&support).expect("creates tests/support/drift");
    for file in ["runner.rs", "format.rs"] {
        std::fs::copy(workspace().join("tests/drift").join(file), support.join(file)).expect("copies the runner");
    }
    let corpus = serde_json::to_vec(&samples).expect("the corpus is JSON");
    std::fs::write(tests.join("drift-corpus.json"), corpus).expect("writes the corpus");
    let hand_written = workspace().join("tests/drift").join(package);
    if hand_written.exists() {
        std::fs::create_dir_all(tests.join("drift")).expect("creates tests/drift");
        for entry in std::fs::read_dir(&hand_written).expect("reads the cases").flatten() {
            std::fs::copy(entry.path(), tests.join("drift").join(entry.file_name())).expect("copies a case");
        }
    }
    let lib = package.replace('-', "_");
    let test = DRIFT_TEST.replace("CRATE", &lib);
    std::fs::write(tests.join("drift.rs"), test).expect("writes the drift test");
}

/// The drift test, for the crate named `CRATE`.
const DRIFT_TEST: &str = r#"//! The drift corpus of this crate's spec (see `tests/tests/drift_corpus/` and `tests/drift/` in
//! the repository): every body decodes leniently with exactly its deviations, and strictly
//! fails on them.

use CRATE as api;

#[path = "support/drift/runner.rs"]
mod runner;

#[test]
fn every_mutation_of_every_response_schema_reports_exactly_its_deviation() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/drift-corpus.json");
    let corpus = std::fs::read(path).expect("the corpus beside this test");
    let samples: Vec<runner::Sample> = serde_json::from_slice(&corpus).expect("the corpus");
    let (count, failures) = runner::run_samples(&samples);
    println!("{count} bodies of {} response schemas", samples.len());
    assert!(failures.is_empty(), "{} of {count} bodies fail:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn every_hand_written_case_reports_exactly_its_deviations() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/drift");
    if dir.exists() {
        let cases = runner::cases_in(&dir);
        let failures = runner::run(&cases);
        assert!(failures.is_empty(), "{} of {} cases fail:\n{}", failures.len(), cases.len(), failures.join("\n"));
    }
}
"#;

/// The features every generated crate is built and tested with.
const FEATURES: &str = "testing,webhooks,auth";

fn cargo(dir: &Path, args: &[&str]) {
    let target = workspace().join("target/generated-crates");
    let status = Command::new(env!("CARGO"))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("RUSTDOCFLAGS", "-D warnings")
        .env_remove("RUSTFLAGS")
        .status()
        .expect("cargo runs");
    assert!(status.success(), "cargo {} failed in {}", args.join(" "), dir.display());
}

#[test]
#[ignore = "builds every generated crate (a few minutes); .ci/run runs it"]
fn generated_crates_build_and_round_trip() {
    let dir = std::env::temp_dir().join(format!("clerk-generated-crates-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let specs = specs();
    let mut members = Vec::new();
    for (package, spec, round_trip) in &specs {
        write_crate(&dir.join(package), package, spec, round_trip.as_deref());
        members.push(format!("\"{package}\""));
    }
    let manifest = format!("[workspace]\nresolver = \"3\"\nmembers = [{}]\n", members.join(", "));
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("writes workspace");
    // The workspace's lock file, so the generated crates build against the same dependencies.
    std::fs::copy(workspace().join("Cargo.lock"), dir.join("Cargo.lock")).expect("copies lock file");

    // With the testing kit, the webhooks and session-token verification, so the generated
    // mocks, fixtures, events and re-exports are checked too.
    cargo(
        &dir,
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--features",
            FEATURES,
            "--",
            "-D",
            "warnings",
        ],
    );
    cargo(&dir, &["doc", "--workspace", "--no-deps", "--features", FEATURES]);
    cargo(&dir, &["test", "--workspace", "--tests", "--features", FEATURES]);
    // Every doctest of the whole specs would take minutes; the snapshot specs hold each construct.
    let mut doc_tests: Vec<String> = ["test", "--workspace", "--doc"].map(str::to_owned).to_vec();
    for package in upstream_packages(&specs) {
        doc_tests.extend(["--exclude".to_owned(), package]);
    }
    if upstream_packages(&specs).len() < specs.len() {
        cargo(&dir, &doc_tests.iter().map(String::as_str).collect::<Vec<_>>());
    }
    let _ = std::fs::remove_dir_all(&dir);
}
