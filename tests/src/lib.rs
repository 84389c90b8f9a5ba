//! Integration tests live in `tests/`. This library only holds the README's examples, which
//! compile as doctests here (where the SDK's `blocking` feature is on), so they cannot drift.

/// Every Rust code block of the repository's README.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
