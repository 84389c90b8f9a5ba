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
pub(crate) struct Tagged {
    raw: Value,
    tag_field: &'static str,
}

impl Tagged {
    /// Buffers the value a union is decoded from.
    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
        tag_field: &'static str,
    ) -> Result<Self, D::Error> {
        Ok(Tagged {
            raw: Value::deserialize(deserializer)?,
            tag_field,
        })
    }

    /// The tag, if the value is an object whose tag field is a string.
    pub(crate) fn tag(&self) -> Option<&str> {
        self.raw.get(self.tag_field).and_then(Value::as_str)
    }

    /// Decodes the buffered value as a variant. A failure names the path inside the variant,
    /// which would otherwise be lost by the buffering.
    pub(crate) fn decode<T: DeserializeOwned, E: serde::de::Error>(&self) -> Result<T, E> {
        serde_path_to_error::deserialize(&self.raw).map_err(|error| {
            let tag = self.tag().unwrap_or_default();
            E::custom(format_args!(
                "`{}: {tag}` variant, at `{}`: {}",
                self.tag_field,
                error.path(),
                error.inner()
            ))
        })
    }

    /// The raw JSON, for the fallback variant.
    pub(crate) fn into_raw(self) -> Value {
        self.raw
    }
}

/// Serializes a variant with its tag field set to `tag`, whatever the variant's own value of
/// that field, so a union always serializes to something that decodes back to the same variant.
pub(crate) fn serialize_tagged<S: Serializer, T: Serialize>(
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
            .decode::<Variant, serde_json::Error>()
            .expect_err("count is a string");
        assert_eq!(
            error.to_string(),
            "`object: x` variant, at `count`: invalid type: string \"three\", expected i64"
        );
    }

    #[test]
    fn serialize_tagged_sets_the_tag() {
        let mut out = Vec::new();
        let mut serializer = serde_json::Serializer::new(&mut out);
        serialize_tagged(&mut serializer, "object", "x", &Variant { count: 1 }).expect("serializes");
        assert_eq!(String::from_utf8(out).expect("utf-8"), r#"{"count":1,"object":"x"}"#);
    }
}
