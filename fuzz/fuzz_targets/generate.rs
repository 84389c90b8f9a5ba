//! Arbitrary bytes as a spec: the generator must return files or an error, never panic.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = codegen::generate(text, &codegen::Config::default());
        if let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(text) {
            let _ = codegen::slice::slice(&value, &["/*"]);
        }
    }
});
