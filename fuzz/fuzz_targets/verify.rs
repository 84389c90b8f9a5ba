//! Arbitrary bytes as a webhook delivery (its id, timestamp, signatures and body), through
//! `Webhook::verify`. It must give an event or a typed error, never panic; a body signed with
//! the secret must verify. See `src/targets.rs`.

#![no_main]

#[path = "../src/targets.rs"]
mod targets;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| targets::verify(data));
