//! Strict decoding: the SDK's first, fast decode of a response, in which every deviation from
//! the spec is an error, so that the lenient decoder runs exactly when something deviates.
//!
//! Most of the spec is enforced by the derived `Deserialize` impls alone. A few things are not,
//! because the models stay open for an application's own use of them (a value this version of
//! the SDK does not know is kept, not refused): an enum value or union tag the spec does not
//! list, a union member without a tag, and `null` in an optional field. Those impls ask
//! [`is_strict`] whether the SDK is decoding strictly, and refuse only then.
//!
//! The flag is a thread-local: decoding is synchronous, so a decode and everything it calls run
//! on one thread, and the guard restores the flag however the decode ends.

use std::cell::Cell;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer};

thread_local! {
    static STRICT: Cell<bool> = const { Cell::new(false) };
}

/// Restores the flag to what it was.
struct Restore(bool);

impl Drop for Restore {
    fn drop(&mut self) {
        STRICT.with(|flag| flag.set(self.0));
    }
}

/// Runs `decode` with strict decoding on (`true`) or off (`false`).
pub(crate) fn with_strictness<R>(strict: bool, decode: impl FnOnce() -> R) -> R {
    let _restore = Restore(STRICT.with(|flag| flag.replace(strict)));
    decode()
}

/// Whether the SDK is decoding strictly on this thread.
pub fn is_strict() -> bool {
    STRICT.with(Cell::get)
}

/// The error a strict decode gives for a value the open models would otherwise keep.
pub(crate) fn refuse<E: serde::de::Error>(what: std::fmt::Arguments<'_>) -> E {
    E::custom(format_args!("{what} (the spec does not allow it)"))
}

/// Whether an open enum may keep `value`, which it does not list: yes, except in a strict
/// decode.
pub fn unknown_enum_value<E: serde::de::Error>(value: &str) -> Result<(), E> {
    if is_strict() {
        Err(refuse(format_args!("enum value `{value}`")))
    } else {
        Ok(())
    }
}

/// `deserialize_with` for an optional field whose spec does not allow `null`: `null` decodes
/// as `None`, except in a strict decode, which refuses it.
pub fn non_null<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    match Option::<T>::deserialize(deserializer)? {
        None if is_strict() => Err(D::Error::custom("null (the spec does not allow it)")),
        value => Ok(value),
    }
}

/// `deserialize_with` for a required field whose spec allows `null`: the field must be present
/// (serde's derive would otherwise take a missing `Option` field for `None`).
pub fn required_nullable<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Thing {
        #[serde(default, deserialize_with = "non_null")]
        optional: Option<u8>,
        #[serde(deserialize_with = "required_nullable")]
        nullable: Option<u8>,
    }

    fn decode(strict: bool, json: &str) -> Result<Thing, String> {
        with_strictness(strict, || serde_json::from_str(json)).map_err(|e| e.to_string())
    }

    #[test]
    fn null_in_an_optional_field_is_refused_only_when_strict() {
        let json = r#"{"optional": null, "nullable": null}"#;
        let expected = Thing {
            optional: None,
            nullable: None,
        };
        assert_eq!(decode(false, json), Ok(expected));
        assert!(decode(true, json).is_err_and(|e| e.starts_with("null (the spec does not allow it)")));
        assert!(decode(true, r#"{"nullable": 1}"#).is_ok(), "absent is fine");
    }

    #[test]
    fn a_required_nullable_field_must_be_present() {
        for strict in [false, true] {
            assert!(decode(strict, "{}").is_err_and(|e| e.starts_with("missing field `nullable`")));
        }
    }

    #[test]
    fn the_flag_is_restored_after_a_decode_and_a_panic() {
        assert!(!is_strict());
        with_strictness(true, || {
            assert!(is_strict());
            with_strictness(false, || assert!(!is_strict()));
            assert!(is_strict());
        });
        assert!(!is_strict());
        let panicked = std::panic::catch_unwind(|| with_strictness(true, || panic!("decode")));
        assert!(panicked.is_err());
        assert!(!is_strict());
    }
}
