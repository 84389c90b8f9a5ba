//! Arbitrary bytes as a request's `Authorization` and `Cookie` headers and a session token's
//! claims, through a networkless `Authenticator`. It must give claims or a typed error, never
//! panic; claims signed with the key must never fail on the signature. See `src/targets.rs`.

#![no_main]

#[path = "../src/targets.rs"]
mod targets;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| targets::authenticate(data));
