//! When a response differs from the spec: lenient decoding, and the [`Deviation`]s it reports.
//!
//! Clerk's API changes before its spec does, so a response may lack a field the spec calls
//! required, send `null` where the spec says a value, or send a value of another JSON type. One
//! such field must not fail the whole call, and must not go unnoticed either. So every response
//! is first decoded exactly as the spec says (at full speed); only when that fails is it decoded
//! again leniently, and every place where it differs from the spec becomes a [`Deviation`] with
//! its JSON pointer:
//!
//! | what came | the value you get | [`DeviationKind`] | [`Resolution`] |
//! |---|---|---|---|
//! | a required field is missing, or `null` where the spec does not allow it | `None` if the field is an `Option`; otherwise its type's empty value: `""`, `0`, `false`, an empty `Vec` or map, a struct of empty values, an enum's `Unknown("")` | `Missing`, `Null` | `None`, `Empty` |
//! | an optional field is `null` where the spec does not allow it | `None` | `Null` | `None` |
//! | a scalar of another JSON type whose text is exactly a value of the right type: `"12"` for an integer, `12` for a string, `"true"` for a boolean, `3.0` for an integer | the converted value | `WrongType` | `Converted` |
//! | any other value of the wrong JSON type, and a conversion that would not be exact: a float for a string (`1.5e10` would become `"15000000000.0"`), a whole float from 2^53 on for an integer (`9007199254740993.0` reads as another integer), an integer beyond 2^53 in a string for a number | as if the field were missing | `WrongType` | `None`, `Empty` |
//! | an array item or map value that is `null` or of the wrong JSON type | left out; the other items are kept | `Null`, `WrongType` | `Dropped` |
//! | an array item or map value of the right JSON type that deviates inside | kept, with its own deviations repaired as above | (those inside) | |
//! | a string enum value the spec does not list | the enum's `Unknown(value)` | `UnknownValue` | `KeptUnknown` |
//! | a value the spec does not list for an enum it marks open (`x-speakeasy-unknown-values: allow`) | the enum's `Unknown(value)`, and no deviation, even in strict mode | | |
//! | a key that comes more than once in one object | the last value; the earlier one is [`Deviation::dropped_value`] | `DuplicateKey` | `LastKept` |
//! | an array or object nested more than [`MAX_DEPTH`] levels deep (only when the body deviates elsewhere: a conforming body is decoded at full speed, unknown members of any depth skipped) | an empty array or object | `TooDeep` | `Empty` |
//! | a union member whose tag is one the spec does not list | the union's `Unknown(raw JSON)` | `UnknownTag` | `KeptUnknown` |
//! | a union member without its tag | the union's `Unknown(raw JSON)` | `MissingTag` | `KeptUnknown` |
//! | a member of an untagged union that fits no alternative exactly | the first alternative whose constant properties (such as `object: "token"`) it has, repaired as above; if none, the fallback variant with the raw JSON | `NoAlternative` (only in the second case) | `KeptUnknown` |
//! | a body for an operation that documents none | `()` | `UnexpectedBody` | `Ignored` |
//!
//! A member the spec does not list is not a deviation: Clerk adds fields before its spec does.
//! Each model keeps such members in its `unknown_fields` ([`UnknownFields`](crate::UnknownFields))
//! and serializes them back, and [`Response::unknown_members`](crate::Response::unknown_members)
//! lists their pointers, apart from the deviations. The same `unknown_fields` names the fields
//! the lenient decoding filled in ([`UnknownFields::is_filled`](crate::UnknownFields::is_filled)),
//! so a made-up value is told from a real one on the value itself.
//!
//! A body that is not JSON at all, or whose top level has the wrong shape (an array where an
//! object is expected), still fails the call with [`SdkError::Decode`](crate::SdkError::Decode).
//! Requests are never lenient: what an application sends is checked exactly.
//!
//! Deviations are visible in four places: [`Response::deviations`](crate::Response::deviations)
//! (from `send_with_response`), one `tracing` event at `warn` per call (target
//! `clerk_sdk::drift`, with the operation id and the pointers, never the values, which may be
//! personal data), the [`Hooks::on_deviations`](crate::hooks::Hooks::on_deviations) hook, and
//! [`ApiError::deviations`](crate::error::ApiError::deviations) for an error body.
//!
//! With `strict_responses(true)`, on the builder or on one call, a deviation fails the call with
//! [`SdkError::Decode`](crate::SdkError::Decode) instead, naming the first pointer and listing
//! every deviation ([`DecodeError::deviations`](crate::error::DecodeError::deviations)). The
//! testing kit's clients are strict by default, so fixtures that break the spec fail tests.

mod decode;
mod repair;
pub(crate) mod schema;
pub(crate) mod strict;
mod tree;
mod unknown;
pub(crate) mod untagged;

use std::fmt;

#[doc(hidden)]
pub use decode::decode_json_body;
pub(crate) use decode::{Decoded, Failure, Mode, decode_json};
pub use tree::MAX_DEPTH;
pub(crate) use unknown::unknown_members;

/// One place where a response differs from the spec, and what the SDK made of it.
///
/// Its `Display` is one line without the value that came, such as
/// `/verification/attempts: null where the spec requires integer; decoded as the empty value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deviation {
    pub(crate) pointer: String,
    pub(crate) kind: DeviationKind,
    pub(crate) expected: Expected,
    pub(crate) found: JsonType,
    pub(crate) resolution: Resolution,
    /// The value the decoded body does not hold, where one came and lost (a key twice).
    pub(crate) dropped: Option<DroppedValue>,
}

/// A value a deviation kept out of the decoded body, beside it. Its `Debug` hides it, as a
/// deviation's `Display` does every value: it may be personal data.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct DroppedValue(Box<serde_json::Value>);

impl DroppedValue {
    pub(crate) fn new(value: serde_json::Value) -> Self {
        DroppedValue(Box::new(value))
    }
}

impl fmt::Debug for DroppedValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DroppedValue(..)")
    }
}

impl Deviation {
    /// The JSON pointer (RFC 6901) of the value in the body, such as `/verification/status` or
    /// `/data/3/id`; empty for the body itself.
    pub fn pointer(&self) -> &str {
        &self.pointer
    }

    /// How the value differs from the spec.
    pub fn kind(&self) -> DeviationKind {
        self.kind
    }

    /// What the spec says belongs there.
    pub fn expected(&self) -> Expected {
        self.expected
    }

    /// The JSON type of what came ([`JsonType::Missing`] when nothing did).
    pub fn found(&self) -> JsonType {
        self.found
    }

    /// What the decoded value holds instead.
    pub fn resolution(&self) -> Resolution {
        self.resolution
    }

    /// The value that came but is not in the decoded body: for a key that came twice in one
    /// object ([`DeviationKind::DuplicateKey`]), the earlier value, which lost to the last.
    pub fn dropped_value(&self) -> Option<&serde_json::Value> {
        self.dropped.as_ref().map(|dropped| &*dropped.0)
    }
}

impl Deviation {
    /// What is wrong, without the pointer or the resolution: `null where the spec requires an
    /// integer`.
    pub(crate) fn problem(&self) -> String {
        match self.kind {
            DeviationKind::Missing => format!("missing where the spec requires {}", self.expected),
            DeviationKind::Null => format!("null where the spec requires {}", self.expected),
            DeviationKind::WrongType => format!("{} where the spec requires {}", self.found, self.expected),
            DeviationKind::UnknownValue => format!("a value {} does not list", self.expected),
            DeviationKind::UnknownTag => format!("a tag {} does not list", self.expected),
            DeviationKind::MissingTag => format!("no tag, which {} requires", self.expected),
            DeviationKind::NoAlternative => format!("{} that fits none of {}", self.found, self.expected),
            DeviationKind::UnexpectedBody => format!("{} where the spec documents no body", self.found),
            DeviationKind::DuplicateKey => "a key that comes more than once in its object".to_owned(),
            DeviationKind::TooDeep => format!("{} nested more than {} levels deep", self.found, tree::MAX_DEPTH),
        }
    }
}

impl fmt::Display for Deviation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.pointer.is_empty() {
            "(body)"
        } else {
            &self.pointer
        };
        write!(f, "{at}: {}; {}", self.problem(), self.resolution)
    }
}

/// How a value differs from the spec. See the [module docs](self) for the outcome of each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DeviationKind {
    /// A required field is missing.
    Missing,
    /// `null` where the spec does not allow it.
    Null,
    /// A value of another JSON type than the spec's.
    WrongType,
    /// A string enum value the spec does not list.
    UnknownValue,
    /// A union member tagged with a value the spec does not list.
    UnknownTag,
    /// A union member without its tag.
    MissingTag,
    /// A value that fits none of an untagged union's alternatives.
    NoAlternative,
    /// A body where the spec documents none.
    UnexpectedBody,
    /// A key that comes more than once in one object: the last value is kept, the earlier
    /// one is [`Deviation::dropped_value`].
    DuplicateKey,
    /// An array or object nested deeper than the lenient decoding follows
    /// ([`MAX_DEPTH`] levels): it decodes as an empty one.
    TooDeep,
}

/// What the decoded value holds where the response deviated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Resolution {
    /// The field is `None`.
    None,
    /// The field holds its type's empty value: `""`, `0`, `false`, an empty `Vec` or map, a
    /// struct of empty values, or an enum's `Unknown("")`.
    Empty,
    /// The value was converted to the spec's type (`"12"` to `12`).
    Converted,
    /// The array item or map entry was left out.
    Dropped,
    /// The value is kept, as it came, in the type's `Unknown` variant.
    KeptUnknown,
    /// The body was ignored.
    Ignored,
    /// Of a key that came more than once, the last value is kept.
    LastKept,
}

impl fmt::Display for Resolution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Resolution::None => "decoded as None",
            Resolution::Empty => "decoded as the empty value",
            Resolution::Converted => "converted",
            Resolution::Dropped => "left out",
            Resolution::KeptUnknown => "kept as Unknown",
            Resolution::Ignored => "ignored",
            Resolution::LastKept => "the last value kept",
        })
    }
}

/// The JSON type of a value that came, or [`Missing`](JsonType::Missing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum JsonType {
    /// Nothing came: the field is absent.
    Missing,
    /// `null`.
    Null,
    /// `true` or `false`.
    Boolean,
    /// A number.
    Number,
    /// A string.
    String,
    /// An array.
    Array,
    /// An object.
    Object,
}

impl JsonType {
    /// The JSON type of `value`.
    pub(crate) fn of(value: &serde_json::Value) -> JsonType {
        use serde_json::Value;
        match value {
            Value::Null => JsonType::Null,
            Value::Bool(_) => JsonType::Boolean,
            Value::Number(_) => JsonType::Number,
            Value::String(_) => JsonType::String,
            Value::Array(_) => JsonType::Array,
            Value::Object(_) => JsonType::Object,
        }
    }
}

impl fmt::Display for JsonType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            JsonType::Missing => "nothing",
            JsonType::Null => "null",
            JsonType::Boolean => "a boolean",
            JsonType::Number => "a number",
            JsonType::String => "a string",
            JsonType::Array => "an array",
            JsonType::Object => "an object",
        })
    }
}

/// What the spec says belongs at a place in the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Expected {
    /// A string.
    String,
    /// An integer.
    Integer,
    /// A number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// An array.
    Array,
    /// A JSON object of any shape, or a map.
    Object,
    /// An object of the named model.
    Model(&'static str),
    /// A value of the named string enum.
    Enum(&'static str),
    /// A member of the named union.
    Union(&'static str),
    /// Any JSON value.
    Any,
    /// No body.
    Nothing,
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expected::String => f.write_str("a string"),
            Expected::Integer => f.write_str("an integer"),
            Expected::Number => f.write_str("a number"),
            Expected::Boolean => f.write_str("a boolean"),
            Expected::Array => f.write_str("an array"),
            Expected::Object => f.write_str("an object"),
            Expected::Model(name) => write!(f, "a `{name}` object"),
            Expected::Enum(name) => write!(f, "`{name}`"),
            Expected::Union(name) => write!(f, "`{name}`"),
            Expected::Any => f.write_str("a value"),
            Expected::Nothing => f.write_str("no body"),
        }
    }
}

/// The pointers of `deviations`, for a log line: at most `limit` of them, then how many more.
pub(crate) fn pointer_list(deviations: &[Deviation], limit: usize) -> String {
    let mut text = deviations
        .iter()
        .take(limit)
        .map(|deviation| {
            if deviation.pointer.is_empty() {
                "(body)"
            } else {
                deviation.pointer.as_str()
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    if deviations.len() > limit {
        text.push_str(&format!(" and {} more", deviations.len() - limit));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deviation(pointer: &str, kind: DeviationKind, found: JsonType, resolution: Resolution) -> Deviation {
        Deviation {
            pointer: pointer.to_owned(),
            kind,
            expected: Expected::Integer,
            found,
            resolution,
            dropped: None,
        }
    }

    #[test]
    fn display_is_one_line_without_the_value() {
        let null = deviation(
            "/verification/attempts",
            DeviationKind::Null,
            JsonType::Null,
            Resolution::Empty,
        );
        assert_eq!(
            null.to_string(),
            "/verification/attempts: null where the spec requires an integer; decoded as the empty value"
        );
        let wrong = deviation(
            "/count",
            DeviationKind::WrongType,
            JsonType::String,
            Resolution::Converted,
        );
        assert_eq!(
            wrong.to_string(),
            "/count: a string where the spec requires an integer; converted"
        );
        let body = Deviation {
            expected: Expected::Nothing,
            ..deviation("", DeviationKind::UnexpectedBody, JsonType::Object, Resolution::Ignored)
        };
        assert_eq!(
            body.to_string(),
            "(body): an object where the spec documents no body; ignored"
        );
    }

    #[test]
    fn pointer_lists_are_capped() {
        let many: Vec<Deviation> = (0..5)
            .map(|i| {
                deviation(
                    &format!("/{i}"),
                    DeviationKind::Missing,
                    JsonType::Missing,
                    Resolution::Empty,
                )
            })
            .collect();
        assert_eq!(pointer_list(&many, 10), "/0, /1, /2, /3, /4");
        assert_eq!(pointer_list(&many, 2), "/0, /1 and 3 more");
    }
}
