//! Support for the generated discriminated unions.
//!
//! A union is decoded in two steps: the JSON value is buffered, its tag read, and then the
//! value is decoded as the variant the tag selects. A tag the SDK does not know keeps the raw
//! JSON instead of failing.
//!
//! The buffer ([`Content`]) borrows strings from the input where the input allows it (JSON
//! strings without escapes, read from a slice or `&str`), so buffering an object costs one
//! vector rather than one allocation per key and string value.

use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::drift::strict::{is_strict, refuse};

/// A buffered union value and the name of its tag field.
pub struct Tagged<'de> {
    raw: Content<'de>,
    tag_field: &'static str,
}

impl<'de> Tagged<'de> {
    /// Buffers the value a union is decoded from.
    pub fn deserialize<D: Deserializer<'de>>(deserializer: D, tag_field: &'static str) -> Result<Self, D::Error> {
        Ok(Tagged {
            raw: Content::deserialize(deserializer)?,
            tag_field,
        })
    }

    /// The tag, if the value is an object whose tag field is a string.
    pub fn tag(&self) -> Option<&str> {
        let Content::Map(entries) = &self.raw else { return None };
        entries
            .iter()
            .find(|(key, _)| key.as_str() == Some(self.tag_field))
            .and_then(|(_, value)| value.as_str())
    }

    /// Decodes the buffered value as a variant. A failure names the path inside the variant,
    /// which would otherwise be lost by the buffering. `tag` is the tag that selected the
    /// variant, for the message.
    pub fn decode<T: Deserialize<'de>, E: de::Error>(&self, tag: &str) -> Result<T, E> {
        // Fast path: decode straight from the buffer. Only if that fails is it decoded again
        // with path tracking, which is slower, to say where it failed.
        T::deserialize(ContentRef::<E>::new(&self.raw)).or_else(|_: E| {
            serde_path_to_error::deserialize(ContentRef::<E>::new(&self.raw)).map_err(|error| {
                E::custom(format_args!(
                    "`{}: {tag}` variant, at `{}`: {}",
                    self.tag_field,
                    error.path(),
                    error.inner()
                ))
            })
        })
    }

    /// The raw JSON, for the fallback variant.
    ///
    /// # Errors
    ///
    /// Only for a value JSON cannot hold (bytes, or a map whose keys are not strings), which a
    /// JSON input never produces.
    pub fn into_raw<E: de::Error>(self) -> Result<Value, E> {
        Value::deserialize(ContentRef::<E>::new(&self.raw))
    }

    /// The raw JSON of a member whose tag is missing or not one the union lists, for the
    /// fallback variant; a strict decode refuses it instead (see [`crate::drift`]).
    ///
    /// # Errors
    ///
    /// In a strict decode, always; otherwise as [`Tagged::into_raw`].
    pub fn fallback<E: de::Error>(self) -> Result<Value, E> {
        if is_strict() {
            return Err(match self.tag() {
                Some(tag) => refuse(format_args!("`{}` tag `{tag}`", self.tag_field)),
                None => refuse(format_args!("a member without its `{}` tag", self.tag_field)),
            });
        }
        self.into_raw()
    }
}

/// A buffered self-describing value, like `serde_json::Value` but borrowing strings and bytes
/// from the input when it can, and keeping object entries in input order in a vector.
#[derive(Debug)]
enum Content<'de> {
    Unit,
    Bool(bool),
    U64(u64),
    I64(i64),
    F64(f64),
    Str(&'de str),
    String(String),
    Bytes(&'de [u8]),
    ByteBuf(Vec<u8>),
    Some(Box<Content<'de>>),
    Seq(Vec<Content<'de>>),
    Map(Vec<(Content<'de>, Content<'de>)>),
}

impl Content<'_> {
    fn as_str(&self) -> Option<&str> {
        match self {
            Content::Str(text) => Some(text),
            Content::String(text) => Some(text),
            _ => None,
        }
    }

    fn unexpected(&self) -> de::Unexpected<'_> {
        match self {
            Content::Unit => de::Unexpected::Unit,
            Content::Bool(value) => de::Unexpected::Bool(*value),
            Content::U64(value) => de::Unexpected::Unsigned(*value),
            Content::I64(value) => de::Unexpected::Signed(*value),
            Content::F64(value) => de::Unexpected::Float(*value),
            Content::Str(text) => de::Unexpected::Str(text),
            Content::String(text) => de::Unexpected::Str(text),
            Content::Bytes(bytes) => de::Unexpected::Bytes(bytes),
            Content::ByteBuf(bytes) => de::Unexpected::Bytes(bytes),
            Content::Some(_) => de::Unexpected::Option,
            Content::Seq(_) => de::Unexpected::Seq,
            Content::Map(_) => de::Unexpected::Map,
        }
    }
}

impl<'de> Deserialize<'de> for Content<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ContentVisitor)
    }
}

struct ContentVisitor;

impl<'de> Visitor<'de> for ContentVisitor {
    type Value = Content<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Self::Value, E> {
        Ok(Content::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Self::Value, E> {
        Ok(Content::I64(value))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Self::Value, E> {
        Ok(Content::U64(value))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Self::Value, E> {
        Ok(Content::F64(value))
    }

    fn visit_str<E>(self, value: &str) -> Result<Self::Value, E> {
        Ok(Content::String(value.to_owned()))
    }

    fn visit_borrowed_str<E>(self, value: &'de str) -> Result<Self::Value, E> {
        Ok(Content::Str(value))
    }

    fn visit_string<E>(self, value: String) -> Result<Self::Value, E> {
        Ok(Content::String(value))
    }

    fn visit_bytes<E>(self, value: &[u8]) -> Result<Self::Value, E> {
        Ok(Content::ByteBuf(value.to_vec()))
    }

    fn visit_borrowed_bytes<E>(self, value: &'de [u8]) -> Result<Self::Value, E> {
        Ok(Content::Bytes(value))
    }

    fn visit_byte_buf<E>(self, value: Vec<u8>) -> Result<Self::Value, E> {
        Ok(Content::ByteBuf(value))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Content::Unit)
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Content::Unit)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        Content::deserialize(deserializer).map(|inner| Content::Some(Box::new(inner)))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        Content::deserialize(deserializer)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(256));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Content::Seq(items))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(8).min(256));
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Content::Map(entries))
    }
}

/// Deserializes from a borrowed [`Content`]: borrowed strings are handed on as borrowed (so
/// the variant's decoding may borrow them too), owned ones are copied.
struct ContentRef<'a, 'de, E> {
    content: &'a Content<'de>,
    error: PhantomData<E>,
}

impl<'a, 'de, E> ContentRef<'a, 'de, E> {
    fn new(content: &'a Content<'de>) -> Self {
        ContentRef {
            content,
            error: PhantomData,
        }
    }
}

impl<'a, 'de, E: de::Error> IntoDeserializer<'de, E> for ContentRef<'a, 'de, E> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'a, 'de, E: de::Error> de::Deserializer<'de> for ContentRef<'a, 'de, E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.content {
            Content::Unit => visitor.visit_unit(),
            Content::Bool(value) => visitor.visit_bool(*value),
            Content::U64(value) => visitor.visit_u64(*value),
            Content::I64(value) => visitor.visit_i64(*value),
            Content::F64(value) => visitor.visit_f64(*value),
            Content::Str(text) => visitor.visit_borrowed_str(text),
            Content::String(text) => visitor.visit_str(text),
            Content::Bytes(bytes) => visitor.visit_borrowed_bytes(bytes),
            Content::ByteBuf(bytes) => visitor.visit_bytes(bytes),
            Content::Some(inner) => visitor.visit_some(ContentRef::new(inner)),
            Content::Seq(items) => {
                let mut seq = de::value::SeqDeserializer::new(items.iter().map(ContentRef::new));
                let value = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(value)
            }
            Content::Map(entries) => {
                let mut map = de::value::MapDeserializer::new(
                    entries
                        .iter()
                        .map(|(key, value)| (ContentRef::new(key), ContentRef::new(value))),
                );
                let value = visitor.visit_map(&mut map)?;
                map.end()?;
                Ok(value)
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.content {
            Content::Unit => visitor.visit_none(),
            Content::Some(inner) => visitor.visit_some(ContentRef::new(inner)),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, E> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, E> {
        match self.content {
            // A unit variant by name.
            Content::Str(_) | Content::String(_) => visitor.visit_enum(VariantRef {
                name: self,
                value: None,
            }),
            // `{"variant": value}`.
            Content::Map(entries) if entries.len() == 1 => visitor.visit_enum(VariantRef {
                name: ContentRef::new(&entries[0].0),
                value: Some(&entries[0].1),
            }),
            other => Err(E::invalid_type(other.unexpected(), &"an enum variant")),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct identifier
    }
}

/// An externally tagged enum value: the variant's name and, unless it is a unit variant, its
/// content.
struct VariantRef<'a, 'de, E> {
    name: ContentRef<'a, 'de, E>,
    value: Option<&'a Content<'de>>,
}

impl<'a, 'de, E: de::Error> de::EnumAccess<'de> for VariantRef<'a, 'de, E> {
    type Error = E;
    type Variant = Self;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, Self), E> {
        let name = seed.deserialize(ContentRef::new(self.name.content))?;
        Ok((name, self))
    }
}

impl<'a, 'de, E: de::Error> de::VariantAccess<'de> for VariantRef<'a, 'de, E> {
    type Error = E;

    fn unit_variant(self) -> Result<(), E> {
        match self.value {
            None | Some(Content::Unit) => Ok(()),
            Some(other) => Err(E::invalid_type(other.unexpected(), &"a unit variant")),
        }
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, E> {
        match self.value {
            Some(value) => seed.deserialize(ContentRef::new(value)),
            None => Err(E::invalid_type(de::Unexpected::UnitVariant, &"a newtype variant")),
        }
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, E> {
        match self.value {
            Some(value @ Content::Seq(_)) => ContentRef::new(value).deserialize_any(visitor),
            Some(other) => Err(E::invalid_type(other.unexpected(), &"a tuple variant")),
            None => Err(E::invalid_type(de::Unexpected::UnitVariant, &"a tuple variant")),
        }
    }

    fn struct_variant<V: Visitor<'de>>(self, _fields: &'static [&'static str], visitor: V) -> Result<V::Value, E> {
        match self.value {
            Some(value @ Content::Map(_)) => ContentRef::new(value).deserialize_any(visitor),
            Some(other) => Err(E::invalid_type(other.unexpected(), &"a struct variant")),
            None => Err(E::invalid_type(de::Unexpected::UnitVariant, &"a struct variant")),
        }
    }
}

/// Decodes a buffered value as `T`, or `None` if it does not fit.
pub fn try_decode<T: de::DeserializeOwned>(raw: &Value) -> Option<T> {
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

    fn buffer(json: &str) -> Tagged<'_> {
        Tagged::deserialize(&mut serde_json::Deserializer::from_str(json), "object").expect("buffers")
    }

    #[test]
    fn decode_error_names_the_variant_and_path() {
        let tagged = buffer(r#"{"object": "x", "count": "three"}"#);
        assert_eq!(tagged.tag(), Some("x"));
        let error = tagged
            .decode::<Variant, serde_json::Error>("x")
            .expect_err("count is a string");
        assert_eq!(
            error.to_string(),
            "`object: x` variant, at `count`: invalid type: string \"three\", expected i64"
        );
    }

    #[derive(Debug, PartialEq, Deserialize)]
    enum Shape {
        Point,
        Circle(f64),
        Pair(i64, i64),
        Box { w: u8 },
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Everything<'a> {
        text: String,
        escaped: String,
        borrowed: &'a str,
        negative: i32,
        big: u64,
        ratio: f32,
        flag: bool,
        missing: Option<i64>,
        null: Option<i64>,
        list: Vec<Option<String>>,
        map: std::collections::BTreeMap<String, Value>,
        shapes: Vec<Shape>,
        #[serde(default)]
        absent: Vec<u8>,
    }

    #[test]
    fn every_json_shape_decodes_as_it_would_directly() {
        const JSON: &str = r#"{"object": "everything", "text": "plain", "escaped": "a\"b\u00e9",
            "borrowed": "no escapes", "negative": -7, "big": 18446744073709551615, "ratio": 0.5,
            "flag": true, "null": null, "list": ["a", null], "map": {"k": [1, {"n": null}]},
            "shapes": ["Point", {"Circle": 1.5}, {"Pair": [1, 2]}, {"Box": {"w": 3}}], "extra": {"x": 1}}"#;
        let tagged = buffer(JSON);
        assert_eq!(tagged.tag(), Some("everything"));
        let buffered: Everything = tagged.decode::<_, serde_json::Error>("everything").expect("decodes");
        let direct: Everything = serde_json::from_str(JSON).expect("decodes");
        assert_eq!(buffered, direct);
        assert_eq!(buffered.escaped, "a\"b\u{e9}");
        let raw = tagged.into_raw::<serde_json::Error>().expect("is JSON");
        assert_eq!(raw, serde_json::from_str::<Value>(JSON).expect("parses"));
    }

    #[test]
    fn an_owned_input_is_buffered_too() {
        let value = serde_json::json!({"object": "x", "count": 3});
        let tagged = Tagged::deserialize(value, "object").expect("buffers");
        assert_eq!(tagged.tag(), Some("x"));
        assert_eq!(
            tagged.decode::<Variant, serde_json::Error>("x").expect("decodes"),
            Variant { count: 3 }
        );
    }

    #[test]
    fn a_value_without_a_string_tag_has_no_tag() {
        for json in [
            r#"{"object": 1}"#,
            r#"{"other": "x"}"#,
            r#"["object", "x"]"#,
            r#""object""#,
            "null",
        ] {
            assert_eq!(buffer(json).tag(), None, "{json}");
        }
        let error = |json: &str| match buffer(json).decode::<Shape, serde_json::Error>("x") {
            Ok(shape) => panic!("{json} decoded as {shape:?}"),
            Err(error) => error.to_string(),
        };
        assert_eq!(
            error(r#"{"Circle": "round"}"#),
            "`object: x` variant, at `Circle`: invalid type: string \"round\", expected f64"
        );
        assert_eq!(
            error(r#""Square""#),
            "`object: x` variant, at `.`: unknown variant `Square`, expected one of `Point`, `Circle`, `Pair`, `Box`"
        );
        let pair = buffer("[1, 2, 3]").decode::<(i64, i64), serde_json::Error>("x");
        assert_eq!(
            pair.map_err(|e| e.to_string()),
            Err("`object: x` variant, at `.`: invalid length 3, expected 2 elements in sequence".to_owned())
        );
    }

    #[test]
    fn try_decode_decodes_or_gives_none() {
        assert_eq!(
            try_decode::<Variant>(&serde_json::json!({"count": 2})),
            Some(Variant { count: 2 })
        );
        assert_eq!(try_decode::<Variant>(&serde_json::json!({"count": "2"})), None);
    }

    #[test]
    fn the_fallback_is_refused_only_in_a_strict_decode() {
        use crate::drift::strict::with_strictness;
        let fallback = |json: &str, strict: bool| {
            with_strictness(strict, || buffer(json).fallback::<serde_json::Error>()).map_err(|e| e.to_string())
        };
        let unknown = r#"{"object": "new", "count": 1}"#;
        assert_eq!(
            fallback(unknown, false),
            Ok(serde_json::json!({"object": "new", "count": 1}))
        );
        assert_eq!(
            fallback(unknown, true),
            Err("`object` tag `new` (the spec does not allow it)".to_owned())
        );
        assert_eq!(
            fallback(r#"{"count": 1}"#, true),
            Err("a member without its `object` tag (the spec does not allow it)".to_owned())
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
