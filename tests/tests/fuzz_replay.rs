//! Replays the fuzz targets' seeds and every input that once crashed them (`fuzz/seeds/` and
//! `fuzz/regressions/`) through the same code the targets call, on every test run.

use std::path::{Path, PathBuf};

use clerk_sdk::__private::decode_response;
use clerk_sdk::models::{DeletedObject, PhoneNumber, VerificationResponse};

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

#[test]
fn generate_inputs_do_not_panic() {
    let inputs = inputs("generate");
    assert!(!inputs.is_empty(), "the generate seeds are there");
    for (path, bytes) in inputs {
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        let outcome = std::panic::catch_unwind(|| codegen::generate(text, &codegen::Config::default()).map(drop));
        assert!(outcome.is_ok(), "{} panicked the generator", path.display());
    }
}

fn check<T: serde::de::DeserializeOwned + std::fmt::Debug>(status: u16, mapped: &'static [u16], body: &[u8]) -> bool {
    match decode_response::<T>(status, mapped, body) {
        Ok(value) => !format!("{value:?}").is_empty(),
        Err(error) => !error.to_string().is_empty() && !format!("{error:?}").is_empty(),
    }
}

#[test]
fn decode_inputs_do_not_panic_and_real_bodies_decode() {
    let inputs = inputs("decode");
    assert!(!inputs.is_empty(), "the decode seeds are there");
    for (path, bytes) in &inputs {
        let outcome = std::panic::catch_unwind(|| {
            check::<PhoneNumber>(200, &[400, 401, 403, 404, 422], bytes)
                && check::<DeletedObject>(200, &[400, 401, 403, 404], bytes)
                && check::<VerificationResponse>(200, &[400, 401, 403, 404, 429, 500], bytes)
                && check::<PhoneNumber>(404, &[400, 401, 403, 404, 422], bytes)
                && check::<PhoneNumber>(502, &[400, 401, 403, 404], bytes)
        });
        assert!(
            outcome.is_ok_and(|formatted| formatted),
            "{} panicked decoding",
            path.display()
        );
    }
    // The seeds are real responses: each decodes as what it is.
    let seed = |name: &str| {
        std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../fuzz/seeds/decode")
                .join(name),
        )
    };
    let phone = seed("phone_number.json").expect("seed");
    assert!(decode_response::<PhoneNumber>(200, &[], &phone).is_ok());
    let errors = seed("clerk_errors.json").expect("seed");
    let error = decode_response::<PhoneNumber>(404, &[404], &errors).expect_err("mapped");
    assert_eq!(error.clerk_trace_id(), Some("trace_1"));
}
