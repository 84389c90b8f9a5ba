//! The types of every generated crate, written once, as macros its generated code invokes:
//! `Clerk`, `ClerkBuilder` and `Call` (`client.rs`), the blocking `Clerk` and `Call`
//! (`blocking.rs`), the testing kit's `MockClerk` and `MockExpectation` (`testing.rs`), and
//! session-token verification through the API's own JWKS operation (`auth.rs`).
//!
//! Rust lets a crate add methods only to its own types, and a generated crate adds resource
//! accessors, credential setters and per-operation parameter setters. So each generated crate
//! defines thin local wrappers of the runtime's generic types, and these macros write them:
//! each forwarding method exists in one place, with its docs, and `clerk-sdk` and every other
//! generated crate get the same ones.

mod auth;
#[cfg(feature = "blocking")]
mod blocking;
mod client;
#[cfg(feature = "testing")]
mod testing;
