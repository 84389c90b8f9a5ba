//! [`UnknownFields`]: what a model keeps beside the fields its schema lists.

use std::collections::BTreeSet;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// The member the lenient decoding adds to an object it filled in, naming the fields it
/// filled; never sent by an API (a JSON key cannot start with a NUL from any sane API), and
/// never serialized.
pub(crate) const FILLED_MARKER: &str = "\u{0}clerk-sdk-runtime:filled";

/// What a model of a response keeps beside its fields: each member of the JSON object that
/// its schema does not list, as it came, and the names of the fields that the lenient decoding
/// filled in.
///
/// Every generated model that a response can hold has one, as its `unknown_fields` field.
///
/// - **Unknown members.** Clerk's API adds fields before its spec lists them: those are not
///   drift and not lost. They are here, by JSON name ([`get`](Self::get),
///   [`iter`](Self::iter)), and serialize back with the model, so a body that decodes and
///   serializes again gives the same JSON.
/// - **Filled fields.** Where a response lacked a required field (or sent `null`, or a value of
///   another type), the lenient decoding gave it its type's empty value (`0`, `""`, …) or
///   `None`, and reported a deviation. [`filled`](Self::filled) names those fields, so a
///   made-up value can be told from a real one on the value itself: a `created_at` of `0`
///   that is in `filled()` is not a timestamp of 1970.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UnknownFields {
    members: Map<String, Value>,
    filled: BTreeSet<String>,
}

impl UnknownFields {
    /// The member `name` of the object, if its schema does not list it and it came.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.members.get(name)
    }

    /// The members the schema does not list, by JSON name, in the order of their names.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.members.iter().map(|(name, value)| (name.as_str(), value))
    }

    /// How many members the schema does not list came.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether every member that came is one the schema lists.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// The members the schema does not list, as a JSON object.
    pub fn as_map(&self) -> &Map<String, Value> {
        &self.members
    }

    /// Adds (or replaces) a member, which serializes with the model: for a test, or to pass
    /// on a field this version of the crate does not model.
    pub fn insert(&mut self, name: impl Into<String>, value: Value) -> Option<Value> {
        self.members.insert(name.into(), value)
    }

    /// The fields (by JSON name) whose value the lenient decoding filled in, because the
    /// response lacked them, sent `null` or sent a value of another type; each has a
    /// deviation. Empty for a value that came as the spec says.
    pub fn filled(&self) -> impl Iterator<Item = &str> {
        self.filled.iter().map(String::as_str)
    }

    /// Whether the lenient decoding filled in the field `name` (its JSON name).
    pub fn is_filled(&self, name: &str) -> bool {
        self.filled.contains(name)
    }
}

impl Serialize for UnknownFields {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.members.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for UnknownFields {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut members = Map::<String, Value>::deserialize(deserializer)?;
        let filled = match members.remove(FILLED_MARKER) {
            Some(Value::Array(names)) => names
                .into_iter()
                .filter_map(|name| name.as_str().map(str::to_owned))
                .collect(),
            _ => BTreeSet::new(),
        };
        Ok(UnknownFields { members, filled })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Model {
        id: String,
        #[serde(flatten)]
        unknown_fields: UnknownFields,
    }

    #[test]
    fn members_the_model_does_not_list_are_kept_and_serialize_back() {
        let body = json!({"id": "u_1", "new_field": {"deep": [1, {"x": null}]}, "other": 2});
        let model: Model = serde_json::from_value(body.clone()).expect("decodes");
        assert_eq!(
            model.unknown_fields.get("new_field"),
            Some(&json!({"deep": [1, {"x": null}]}))
        );
        assert_eq!(model.unknown_fields.len(), 2);
        assert_eq!(serde_json::to_value(&model).expect("serializes"), body);
    }

    #[test]
    fn the_filled_marker_names_the_filled_fields_and_is_never_serialized() {
        let body = json!({"id": "", FILLED_MARKER: ["id"]});
        let model: Model = serde_json::from_value(body).expect("decodes");
        assert!(model.unknown_fields.is_filled("id"));
        assert_eq!(model.unknown_fields.filled().collect::<Vec<_>>(), ["id"]);
        assert!(model.unknown_fields.is_empty());
        assert_eq!(serde_json::to_value(&model).expect("serializes"), json!({"id": ""}));
    }
}
