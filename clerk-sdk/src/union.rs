//! Support for the generated discriminated unions.
//!
//! A union is decoded in two steps: the JSON value is buffered, its tag read, and then the
//! value is decoded as the variant the tag selects. A tag the SDK does not know keeps the raw
//! JSON instead of failing.

use serde::de::DeserializeOwned;
use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// A buffered union value and the name of its tag field.
pub struct Tagged {
    raw: Value,
    tag_field: &'static str,
}

impl Tagged {
    /// Buffers the value a union is decoded from.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D, tag_field: &'static str) -> Result<Self, D::Error> {
        Ok(Tagged {
            raw: Value::deserialize(deserializer)?,
            tag_field,
        })
    }

    /// The tag, if the value is an object whose tag field is a string.
    pub fn tag(&self) -> Option<&str> {
        self.raw.get(self.tag_field).and_then(Value::as_str)
    }

    /// Decodes the buffered value as a variant, moving its strings rather than copying them. A
    /// failure names the path inside the variant, which would otherwise be lost by the
    /// buffering.
    /// `tag` is the tag that selected the variant, for the message.
    pub fn decode<T: DeserializeOwned, E: serde::de::Error>(self, tag: &str) -> Result<T, E> {
        let Tagged { raw, tag_field } = self;
        // Fast path: decode straight from the buffered value. Only if that fails is it decoded
        // again with path tracking, which is slower, to say where it failed.
        T::deserialize(&raw).or_else(|_| {
            serde_path_to_error::deserialize(raw).map_err(|error| {
                E::custom(format_args!(
                    "`{tag_field}: {tag}` variant, at `{}`: {}",
                    error.path(),
                    error.inner()
                ))
            })
        })
    }

    /// The raw JSON, for the fallback variant.
    pub fn into_raw(self) -> Value {
        self.raw
    }
}

/// Whether `raw` is an object that has every `required` property and each `constants`
/// property set to its string value: the test an untagged union's object variant must pass
/// before it is tried.
pub fn fits_object(raw: &Value, required: &[&str], constants: &[(&str, &str)]) -> bool {
    let Value::Object(object) = raw else { return false };
    required.iter().all(|name| object.contains_key(*name))
        && constants
            .iter()
            .all(|(name, value)| object.get(*name).and_then(Value::as_str) == Some(*value))
}

/// Decodes a buffered value as `T`, or `None` if it does not fit.
pub fn try_decode<T: DeserializeOwned>(raw: &Value) -> Option<T> {
    T::deserialize(raw).ok()
}

/// Serializes a variant with its tag field set to `tag`, whatever the variant's own value of
/// that field, so a union always serializes to something that decodes back to the same variant.
pub fn serialize_tagged<S: Serializer, T: Serialize>(
    serializer: S,
    tag_field: &str,
    tag: &str,
    value: &T,
) -> Result<S::Ok, S::Error> {
    let mut raw = serde_json::to_value(value).map_err(S::Error::custom)?;
    match &mut raw {
        Value::Object(object) => {
            object.insert(tag_field.to_owned(), Value::String(tag.to_owned()));
        }
        _ => {
            return Err(S::Error::custom("a union variant must serialize to a JSON object"));
        }
    }
    raw.serialize(serializer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Variant {
        count: i64,
    }

    #[test]
    fn decode_error_names_the_variant_and_path() {
        let tagged = Tagged {
            raw: serde_json::json!({"object": "x", "count": "three"}),
            tag_field: "object",
        };
        assert_eq!(tagged.tag(), Some("x"));
        let error = tagged
            .decode::<Variant, serde_json::Error>("x")
            .expect_err("count is a string");
        assert_eq!(
            error.to_string(),
            "`object: x` variant, at `count`: invalid type: string \"three\", expected i64"
        );
    }

    #[test]
    fn fits_object_checks_required_and_constant_properties() {
        let key = serde_json::json!({"kty": "EC", "crv": "P-256", "x": "a", "y": "b"});
        assert!(fits_object(&key, &["kty", "x", "y"], &[("kty", "EC")]));
        assert!(!fits_object(&key, &["kty", "x", "y"], &[("kty", "OKP")]));
        assert!(!fits_object(&key, &["n", "e"], &[]));
        assert!(!fits_object(&serde_json::json!("EC"), &[], &[]));
        assert_eq!(
            try_decode::<Variant>(&serde_json::json!({"count": 2})),
            Some(Variant { count: 2 })
        );
        assert_eq!(try_decode::<Variant>(&serde_json::json!({"count": "2"})), None);
    }

    #[test]
    fn serialize_tagged_sets_the_tag() {
        let mut out = Vec::new();
        let mut serializer = serde_json::Serializer::new(&mut out);
        serialize_tagged(&mut serializer, "object", "x", &Variant { count: 1 }).expect("serializes");
        assert_eq!(String::from_utf8(out).expect("utf-8"), r#"{"count":1,"object":"x"}"#);
    }
}
