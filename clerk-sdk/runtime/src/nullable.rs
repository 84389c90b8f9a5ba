//! [`Nullable`]: a request field that can be left out, sent as `null`, or sent with a value.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A field that is optional *and* nullable in a request body.
///
/// Clerk treats the three states differently: a field that is not sent is left as it is, a
/// field sent as `null` is cleared, and a field sent with a value is set. `Option<T>` can only
/// say two of those things, so request types use `Nullable<T>` for such fields. It matches the
/// Python SDK's `UNSET` / `None` / value.
///
/// The setters of generated request types take `impl Into<Nullable<T>>`, so a plain value works:
///
/// ```
/// use clerk_sdk::{Nullable, models::UpdatePhoneNumberRequest};
///
/// let body = UpdatePhoneNumberRequest::default()
///     .verified(false)              // sent as "verified": false
///     .primary(Nullable::Null);     // sent as "primary": null
///                                   // reserved_for_second_factor: not sent
/// assert_eq!(
///     serde_json::to_string(&body).unwrap(),
///     r#"{"verified":false,"primary":null}"#,
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Nullable<T> {
    /// Not sent at all (the default).
    #[default]
    Unset,
    /// Sent as `null`.
    Null,
    /// Sent with this value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Whether the field is left out of the request. Used by `skip_serializing_if`.
    pub fn is_unset(&self) -> bool {
        matches!(self, Nullable::Unset)
    }

    /// Whether the field is sent as `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, if there is one.
    pub fn value(&self) -> Option<&T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Unset | Nullable::Null => None,
        }
    }

    /// Applies `f` to the value, if there is one, keeping unset and null as they are.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Nullable<U> {
        match self {
            Nullable::Unset => Nullable::Unset,
            Nullable::Null => Nullable::Null,
            Nullable::Value(value) => Nullable::Value(f(value)),
        }
    }

    /// Converts into `Option<Option<T>>`: `None` when unset, `Some(None)` when null.
    pub fn into_option(self) -> Option<Option<T>> {
        match self {
            Nullable::Unset => None,
            Nullable::Null => Some(None),
            Nullable::Value(value) => Some(Some(value)),
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl From<&str> for Nullable<String> {
    fn from(value: &str) -> Self {
        Nullable::Value(value.to_owned())
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            // Only reached if a containing type forgot `skip_serializing_if`; `null` is the
            // closest faithful JSON.
            Nullable::Unset | Nullable::Null => serializer.serialize_none(),
            Nullable::Value(value) => serializer.serialize_some(value),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    /// `null` decodes as [`Nullable::Null`]; a missing field (with `#[serde(default)]`) as
    /// [`Nullable::Unset`].
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(deserializer)? {
            Some(value) => Nullable::Value(value),
            None => Nullable::Null,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Body {
        #[serde(default, skip_serializing_if = "Nullable::is_unset")]
        field: Nullable<bool>,
    }

    #[test]
    fn three_states_serialize_distinctly() {
        let json = |field| serde_json::to_string(&Body { field }).expect("serializes");
        assert_eq!(json(Nullable::Unset), "{}");
        assert_eq!(json(Nullable::Null), r#"{"field":null}"#);
        assert_eq!(json(Nullable::Value(true)), r#"{"field":true}"#);
    }

    #[test]
    fn three_states_deserialize_distinctly() {
        let parse = |text| serde_json::from_str::<Body>(text).expect("parses").field;
        assert_eq!(parse("{}"), Nullable::Unset);
        assert_eq!(parse(r#"{"field":null}"#), Nullable::Null);
        assert_eq!(parse(r#"{"field":false}"#), Nullable::Value(false));
    }

    #[test]
    fn conversions() {
        assert_eq!(Nullable::from(3), Nullable::Value(3));
        assert_eq!(Nullable::<String>::from("a"), Nullable::Value("a".to_owned()));
        assert_eq!(Nullable::<u8>::Null.into_option(), Some(None));
        assert_eq!(Nullable::<u8>::Unset.into_option(), None);
        assert_eq!(Nullable::Value(1).value(), Some(&1));
        assert!(Nullable::<u8>::Null.is_null());
    }
}
