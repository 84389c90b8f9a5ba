//! Replays the fuzz targets' seeds and every input that once crashed them (`fuzz/seeds/` and
//! `fuzz/regressions/`) through the code the targets run, on every test run: the targets and
//! this test include the same `fuzz/src/targets.rs`.

use std::path::{Path, PathBuf};

use clerk_sdk::models::PhoneNumber;
use clerk_sdk::runtime::__private::decode_response;

#[path = "../../fuzz/src/targets.rs"]
mod targets;

fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let mut inputs = Vec::new();
    for folder in ["seeds", "regressions"] {
        let Ok(entries) = std::fs::read_dir(fuzz.join(folder).join(target)) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path
                .file_name()
                .is_some_and(|name| name.to_string_lossy().starts_with('.'))
            {
                continue;
            }
            let bytes = std::fs::read(&path).expect("readable");
            inputs.push((path, bytes));
        }
    }
    inputs.sort();
    inputs
}

/// Runs `target` on every input of `name`, and names each input that panicked.
fn replay(name: &str, target: fn(&[u8])) {
    let inputs = inputs(name);
    assert!(!inputs.is_empty(), "the {name} seeds are there");
    let panicked: Vec<String> = inputs
        .iter()
        .filter(|(_, bytes)| std::panic::catch_unwind(|| target(bytes)).is_err())
        .map(|(path, _)| path.display().to_string())
        .collect();
    assert!(
        panicked.is_empty(),
        "these inputs panicked the {name} target: {panicked:?}"
    );
}

#[test]
fn verify_inputs_do_not_panic() {
    replay("verify", targets::verify);
}

#[test]
fn authenticate_inputs_do_not_panic() {
    replay("authenticate", targets::authenticate);
}

#[test]
fn generate_inputs_do_not_panic() {
    replay("generate", targets::generate);
}

#[test]
fn decode_inputs_do_not_panic_and_real_bodies_decode() {
    replay("decode", targets::decode);
    // The seeds are real responses: each decodes as what it is.
    let seed = |name: &str| {
        std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../fuzz/seeds/decode")
                .join(name),
        )
    };
    let phone = seed("phone_number.json").expect("seed");
    let (decoded, deviations) = decode_response::<PhoneNumber, clerk_sdk::models::ClerkErrors>(200, &[], &phone, true)
        .expect("a phone number decodes, strictly");
    assert_eq!(decoded.phone_number, "+15555550100");
    assert!(deviations.is_empty());
    let errors = seed("clerk_errors.json").expect("seed");
    let error =
        decode_response::<PhoneNumber, clerk_sdk::models::ClerkErrors>(404, &[404], &errors, true).expect_err("mapped");
    assert_eq!(error.clerk_trace_id(), Some("trace_1"));
}
