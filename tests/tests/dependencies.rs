//! What an application links when it depends on `clerk-sdk`: none of the generator's crates.
//!
//! The crates the SDK is built from are read from `cargo metadata`, following normal
//! dependencies from `clerk-sdk` with every feature on. A proc-macro crate (such as
//! `serde_derive`) runs inside the compiler and is not linked, so its own dependencies (`syn`,
//! `quote`, `proc-macro2`) are not followed.

use std::collections::{BTreeSet, HashMap};
use std::process::Command;

use serde_json::Value;

/// Crates that only the generator needs.
const GENERATOR_ONLY: [&str; 8] = [
    "codegen",
    "openapiv3",
    "serde_yaml",
    "serde_json_path",
    "prettyplease",
    "syn",
    "quote",
    "proc-macro2",
];

/// The names of the packages an application links through `clerk-sdk`.
fn linked_through_sdk() -> BTreeSet<String> {
    let output = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--all-features", "--locked"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: Value = serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON");

    let packages: HashMap<&str, &Value> = metadata["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|package| (package["id"].as_str().expect("id"), package))
        .collect();
    let is_proc_macro = |id: &str| {
        packages[id]["targets"].as_array().is_some_and(|targets| {
            targets
                .iter()
                .any(|t| t["kind"].as_array().is_some_and(|k| k.contains(&"proc-macro".into())))
        })
    };
    let nodes: HashMap<&str, &Value> = metadata["resolve"]["nodes"]
        .as_array()
        .expect("resolve nodes")
        .iter()
        .map(|node| (node["id"].as_str().expect("id"), node))
        .collect();
    let sdk = packages
        .values()
        .find(|package| package["name"] == "clerk-sdk")
        .and_then(|package| package["id"].as_str())
        .expect("clerk-sdk is in the workspace");

    let mut linked = BTreeSet::new();
    let mut seen = BTreeSet::from([sdk]);
    let mut queue = vec![sdk];
    while let Some(id) = queue.pop() {
        for dep in nodes[id]["deps"].as_array().expect("deps") {
            // `kind` is null for a normal dependency, "dev" or "build" otherwise.
            let normal = dep["dep_kinds"]
                .as_array()
                .expect("dep_kinds")
                .iter()
                .any(|kind| kind["kind"].is_null());
            let dep_id = dep["pkg"].as_str().expect("pkg");
            if normal && !is_proc_macro(dep_id) && seen.insert(dep_id) {
                linked.insert(packages[dep_id]["name"].as_str().expect("name").to_owned());
                queue.push(dep_id);
            }
        }
    }
    linked
}

#[test]
fn the_sdk_links_none_of_the_generators_crates() {
    let linked = linked_through_sdk();
    // The walk reached the SDK's runtime dependencies, so an empty answer cannot pass.
    for expected in ["reqwest", "serde_json", "tokio", "hyper"] {
        assert!(linked.contains(expected), "{expected} is linked: {linked:?}");
    }
    let generator_only: Vec<&str> = GENERATOR_ONLY
        .into_iter()
        .filter(|name| linked.contains(*name))
        .collect();
    assert!(
        generator_only.is_empty(),
        "clerk-sdk links generator-only crates: {generator_only:?}"
    );
}

/// The packages `cargo tree` lists for `clerk-sdk`'s normal dependencies with `features`.
fn tree(features: &[&str]) -> BTreeSet<String> {
    let output = Command::new(env!("CARGO"))
        .args([
            "tree",
            "-p",
            "clerk-sdk",
            "-e",
            "normal",
            "--prefix",
            "none",
            "-f",
            "{p}",
            "--locked",
        ])
        .args(features)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    assert!(
        output.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_default_tls_stack_is_rustls_with_ring_and_builds_no_aws_lc() {
    let default = tree(&[]);
    for expected in ["rustls", "ring", "rustls-platform-verifier"] {
        assert!(
            default.contains(expected),
            "{expected} is in the default build: {default:?}"
        );
    }
    assert!(!default.iter().any(|name| name.starts_with("aws-lc")), "{default:?}");
    // The option is still there for those who want it, and no TLS at all.
    let aws_lc = tree(&["--no-default-features", "--features", "rustls-aws-lc"]);
    assert!(aws_lc.contains("aws-lc-rs") && !aws_lc.contains("ring"), "{aws_lc:?}");
    let none = tree(&["--no-default-features"]);
    assert!(
        !none.contains("rustls") && !none.contains("ring") && !none.contains("native-tls"),
        "{none:?}"
    );
}

/// The section of `manifest` that starts with the line `header`, up to the next section,
/// without its comments (`# ..`; a feature's docs, `## ..`, are kept).
fn section(manifest: &str, header: &str) -> String {
    let start = manifest
        .find(&format!("{header}\n"))
        .unwrap_or_else(|| panic!("no {header} in:\n{manifest}"));
    let rest = &manifest[start..];
    let end = rest[header.len()..]
        .find("\n[")
        .map_or(rest.len(), |end| end + header.len() + 1);
    let lines: Vec<&str> = rest[..end].lines().filter(|line| !line.starts_with("# ")).collect();
    lines.join("\n")
}

/// `clerk-sdk`'s manifest is written by hand, but it offers what every generated crate offers:
/// the same features, turning on the same runtime features, the same docs.rs settings, and the
/// same dependencies besides the runtime. A crate generated whole from the same spec has them
/// too.
#[test]
fn clerk_sdk_and_every_generated_crate_have_the_same_features_and_dependencies() {
    let sdk = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../clerk-sdk/Cargo.toml")).expect("reads");
    let spec =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/phone_numbers.yaml")).expect("the spec");
    let config = codegen::Config {
        package_name: "clerk-phone-numbers".to_owned(),
        manifest: Some(codegen::Manifest {
            runtime_version: "0.1.0".to_owned(),
            runtime_source: codegen::RuntimeSource::Registry,
            rust_version: "1.88".to_owned(),
            license: None,
        }),
        ..codegen::Config::default()
    };
    let generated = codegen::generate(&spec, &config).expect("generates");
    let manifest = &generated
        .files
        .iter()
        .find(|f| f.path == "Cargo.toml")
        .expect("a manifest")
        .contents;
    for (header, expected) in [
        ("[features]", codegen::manifest::FEATURES),
        ("[package.metadata.docs.rs]", codegen::manifest::DOCS_RS),
    ] {
        assert_eq!(section(&sdk, header).trim(), expected.trim(), "clerk-sdk's {header}");
        assert_eq!(
            section(manifest, header).trim(),
            expected.trim(),
            "a generated crate's {header}"
        );
    }
    let dependencies = |manifest: &str| -> String {
        let section = section(manifest, "[dependencies]");
        let lines: Vec<&str> = section.lines().skip(1).collect();
        let (runtime, rest): (Vec<&str>, Vec<&str>) = lines
            .into_iter()
            .partition(|line| line.starts_with("clerk-sdk-runtime = "));
        assert_eq!(runtime.len(), 1, "one runtime dependency in:\n{manifest}");
        assert!(runtime[0].contains("default-features = false"), "{}", runtime[0]);
        rest.join("\n").trim().to_owned()
    };
    assert_eq!(dependencies(&sdk), codegen::manifest::DEPENDENCIES.trim());
    assert_eq!(dependencies(manifest), codegen::manifest::DEPENDENCIES.trim());
}

#[test]
fn the_testing_kit_costs_nothing_without_its_feature() {
    let kit_only = ["wiremock", "deadpool", "assert-json-diff"];
    let default = tree(&[]);
    let with_kit = tree(&["--features", "testing"]);
    for name in kit_only {
        assert!(
            with_kit.contains(name),
            "{name} comes with the testing feature: {with_kit:?}"
        );
        assert!(
            !default.contains(name),
            "{name} is in a build without the testing feature"
        );
    }
}

#[test]
fn session_token_verification_costs_nothing_without_its_feature_and_adds_no_crypto_stack() {
    let default = tree(&[]);
    let with_auth = tree(&["--features", "auth"]);
    for name in ["jsonwebtoken", "spki", "der"] {
        assert!(
            with_auth.contains(name),
            "{name} comes with the auth feature: {with_auth:?}"
        );
        assert!(!default.contains(name), "{name} is in a build without the auth feature");
    }
    // Signatures are checked with the *ring* the default TLS stack has already: nothing else
    // that does RSA comes in.
    let added: BTreeSet<&String> = with_auth.difference(&default).collect();
    for name in ["rsa", "aws-lc-rs", "openssl", "num-bigint", "simple_asn1"] {
        assert!(!with_auth.contains(name), "the auth feature brings {name}: {added:?}");
    }
}
