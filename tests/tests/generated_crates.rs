//! The generator's output, built and run: Clerk's whole published spec and every snapshot spec
//! of `codegen/tests/specs/` are generated into crates of their own (in one temporary
//! workspace), checked with `cargo clippy --all-targets -- -D warnings` and documented with
//! rustdoc warnings denied (so every generated doc link resolves), and the round-trip tests
//! beside the snapshot specs run inside their crates against a loopback mock server. The
//! snapshot crates' doctests run too: the examples in their rustdoc and Markdown pages compile,
//! and code from spec prose is never taken for a doctest.
//!
//! It builds a few dozen thousand lines, so it is ignored by default; `.ci/run` runs it with
//! `cargo test -p tests --test generated_crates -- --ignored`.

use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::{Config, Standalone};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// The specs to build: the package name, the spec, and its round-trip test if it has one.
fn specs() -> Vec<(String, PathBuf, Option<PathBuf>)> {
    let root = workspace();
    let mut specs = vec![(
        "clerk-api".to_owned(),
        root.join("spec/upstream/bapi-2026-05-12.yml"),
        None,
    )];
    let dir = root.join("codegen/tests/specs");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("specs folder")
        .filter_map(|entry| {
            entry
                .ok()?
                .file_name()
                .to_str()?
                .strip_suffix(".yaml")
                .map(str::to_owned)
        })
        .collect();
    names.sort();
    for name in names {
        let round_trip = dir.join(format!("{name}.round_trip.rs"));
        let round_trip = round_trip.exists().then_some(round_trip);
        specs.push((name.replace('_', "-"), dir.join(format!("{name}.yaml")), round_trip));
    }
    specs
}

/// Writes one generated crate into `dir`, as a member of the surrounding workspace, with the
/// dev-dependencies its round-trip test needs.
fn write_crate(dir: &Path, package: &str, spec: &Path, round_trip: Option<&Path>) {
    let text = std::fs::read_to_string(spec).expect("spec readable");
    let config = Config {
        spec_label: spec.display().to_string(),
        standalone: Some(Standalone {
            package_name: package.to_owned(),
            sdk_path: workspace().join("clerk-sdk").display().to_string(),
        }),
        ..Config::default()
    };
    let generated = codegen::generate(&text, &config).unwrap_or_else(|e| panic!("{package}: {e}"));
    for file in &generated.files {
        let path = dir.join(&file.path);
        std::fs::create_dir_all(path.parent().expect("has a folder")).expect("creates folder");
        let contents = if file.path == "Cargo.toml" {
            // A member of the test workspace rather than a workspace of its own.
            let manifest = file.contents.split("\n# A crate of its own").next().unwrap_or_default();
            format!("{manifest}\nwiremock = \"0.6\"\n")
        } else {
            file.contents.clone()
        };
        std::fs::write(&path, contents).expect("writes");
    }
    if let Some(round_trip) = round_trip {
        std::fs::create_dir_all(dir.join("tests")).expect("creates tests folder");
        std::fs::copy(round_trip, dir.join("tests/round_trip.rs")).expect("copies round trip");
    }
}

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

    cargo(
        &dir,
        &["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"],
    );
    cargo(&dir, &["doc", "--workspace", "--no-deps"]);
    cargo(&dir, &["test", "--workspace", "--tests"]);
    // Every doctest of the whole spec would take minutes; the snapshot specs hold each construct.
    cargo(&dir, &["test", "--workspace", "--doc", "--exclude", "clerk-api"]);
    let _ = std::fs::remove_dir_all(&dir);
}
