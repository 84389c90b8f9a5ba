//! Snapshot tests: each small spec in `specs/` exercises one family of constructs, and its
//! generated models and operations are compared with the checked-in `specs/NAME.expected`.
//!
//! After an intended change to the output, refresh the snapshots with
//! `UPDATE_EXPECT=1 cargo test -p codegen --test snapshots` and review the diff. The
//! `generated_crates` test in the `tests` crate compiles these outputs and runs round trips
//! against a mock server.

use codegen::{Config, Standalone, generate};

/// The generated Rust of `specs/NAME.yaml` as a standalone crate: `src/lib.rs`, the models and
/// the operations, each under a banner line.
fn generated_rust(name: &str) -> String {
    let path = format!("{}/tests/specs/{name}.yaml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let config = Config {
        spec_label: format!("codegen/tests/specs/{name}.yaml"),
        standalone: Some(Standalone {
            package_name: name.replace('_', "-"),
            sdk_path: "../../clerk-sdk".to_owned(),
        }),
        ..Config::default()
    };
    let generated = generate(&text, &config).unwrap_or_else(|e| panic!("{name}: {e}"));
    generated
        .files
        .iter()
        .filter(|file| file.path.ends_with(".rs") && file.path != "src/generated/mod.rs")
        .map(|file| format!("// ===== {} =====\n{}", file.path, file.contents))
        .collect()
}

macro_rules! snapshot {
    ($($name:ident),* $(,)?) => {$(
        #[test]
        fn $name() {
            expect_test::expect_file![concat!("specs/", stringify!($name), ".expected")]
                .assert_eq(&generated_rust(stringify!($name)));
        }
    )*};
}

snapshot!(query, all_of, unions, bodies, types, names);
