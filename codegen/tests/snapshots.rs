//! Snapshot tests: each small spec in `specs/` exercises one family of constructs, and its
//! generated models and operations are compared with the checked-in `specs/NAME.expected`.
//!
//! After an intended change to the output, refresh the snapshots with
//! `UPDATE_EXPECT=1 cargo test -p codegen --test snapshots` and review the diff. The
//! `generated_crates` test in the `tests` crate compiles these outputs and runs round trips
//! against a mock server.
//!
//! The last test checks that the output for the whole upstream spec does not depend on how many
//! threads generate it.

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

/// The output is built in pieces on several threads; it must not depend on how many.
#[test]
fn the_output_does_not_depend_on_the_number_of_threads() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/upstream/bapi-2026-05-12.yml");
    let text = std::fs::read_to_string(path).expect("spec readable");
    let with = |threads: usize| {
        let config = Config {
            threads: std::num::NonZeroUsize::new(threads),
            ..Config::default()
        };
        generate(&text, &config).expect("generates").files
    };
    let one = with(1);
    assert!(one.len() > 40, "one file per resource and more");
    for threads in [2, 7] {
        assert_eq!(with(threads), one, "{threads} threads");
    }
}
