//! Arbitrary bytes as a spec: the generator must return files or an error, never panic.

#![no_main]

use libfuzzer_sys::fuzz_target;

/// libFuzzer's hook aborts on every panic, even one the code under test catches. The one
/// panic `codegen::parse` catches on purpose, openapiv3's on malformed `$ref` objects (see
/// `fuzz/regressions/generate/`), is let through to that catch; any other still aborts.
fn allow_caught_openapiv3_panic() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let in_openapiv3 = info.location().is_some_and(|l| l.file().contains("openapiv3-2.2.0/src/reference.rs"));
            if !in_openapiv3 {
                eprintln!("{info}");
                std::process::abort();
            }
        }));
    });
}

fuzz_target!(|data: &[u8]| {
    allow_caught_openapiv3_panic();
    if let Ok(text) = std::str::from_utf8(data) {
        // One thread: the output does not depend on it, and a thread per input would only
        // slow the fuzzer down.
        let config = codegen::Config {
            threads: std::num::NonZeroUsize::new(1),
            ..codegen::Config::default()
        };
        let _ = codegen::generate(text, &config);
        if let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(text) {
            let _ = codegen::slice::slice(&value, &["/*"]);
        }
    }
});
