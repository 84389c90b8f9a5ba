//! Arbitrary bytes as the body of every phone_numbers operation's responses (the 2xx body and
//! each mapped error status), through the SDK's own response mapping. It must give a value or a
//! typed error, never panic, and the error must format. See `src/targets.rs`.

#![no_main]

#[path = "../src/targets.rs"]
mod targets;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| targets::decode(data));
