//! The JSON tree the lenient decoder repairs, read with what a plain `serde_json::Value` would
//! hide: a key that comes twice in one object, and nesting deeper than the tree follows.
//!
//! - **A key twice.** The last value wins, as in `serde_json`, JavaScript's `JSON.parse` and
//!   most JSON readers. The deviation ([`DeviationKind::DuplicateKey`]) is at the key, and
//!   keeps the value that lost ([`Deviation::dropped_value`]).
//! - **Too deep.** An array or object more than [`MAX_DEPTH`] levels down is read (so the body
//!   still parses) but not kept: it decodes as an empty array or object, with a
//!   [`DeviationKind::TooDeep`] deviation at its place. `serde_json` refuses a tree deeper than
//!   128 levels, and the walk and the decode after it recurse as deep as the tree goes, so the
//!   limit keeps both within bounds whatever a body holds.

use std::fmt;

use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::{Deviation, DeviationKind, Expected, JsonType, Resolution};

/// How many levels of arrays and objects the tree keeps (the body itself is level 0).
pub const MAX_DEPTH: usize = 100;

/// A parsed body, and the deviations the parse found.
#[derive(Debug)]
pub(super) struct Tree {
    pub(super) value: Value,
    pub(super) deviations: Vec<Deviation>,
}

/// Parses `bytes` as one JSON value.
pub(super) fn parse(bytes: &[u8]) -> Result<Tree, serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let mut deviations = Vec::new();
    let value = Node {
        pointer: String::new(),
        depth: 0,
        deviations: &mut deviations,
    }
    .deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(Tree { value, deviations })
}

/// One value of the tree, at `pointer`, `depth` levels down.
struct Node<'d> {
    pointer: String,
    depth: usize,
    deviations: &'d mut Vec<Deviation>,
}

impl Node<'_> {
    fn child(&mut self, token: &str) -> Node<'_> {
        Node {
            pointer: format!("{}/{}", self.pointer, token.replace('~', "~0").replace('/', "~1")),
            depth: self.depth + 1,
            deviations: self.deviations,
        }
    }

    fn report(&mut self, pointer: String, kind: DeviationKind, found: JsonType, dropped: Option<Value>) {
        let resolution = match kind {
            DeviationKind::DuplicateKey => Resolution::LastKept,
            _ => Resolution::Empty,
        };
        self.deviations.push(Deviation {
            pointer,
            kind,
            expected: Expected::Any,
            found,
            resolution,
            dropped: dropped.map(super::DroppedValue::new),
        });
    }

    /// Whether a container here is beyond the depth the tree keeps.
    fn too_deep(&self) -> bool {
        self.depth > MAX_DEPTH
    }
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<Value, A::Error> {
        if self.too_deep() {
            // Read past what is inside without keeping it: `IgnoredAny` does not recurse.
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            let pointer = self.pointer.clone();
            self.report(pointer, DeviationKind::TooDeep, JsonType::Array, None);
            return Ok(Value::Array(Vec::new()));
        }
        let mut items = Vec::new();
        loop {
            let index = items.len().to_string();
            match seq.next_element_seed(self.child(&index))? {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Value, A::Error> {
        if self.too_deep() {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            let pointer = self.pointer.clone();
            self.report(pointer, DeviationKind::TooDeep, JsonType::Object, None);
            return Ok(Value::Object(Map::new()));
        }
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let child = self.child(&key);
            let pointer = child.pointer.clone();
            let value = map.next_value_seed(child)?;
            if let Some(earlier) = object.insert(key, value) {
                let found = JsonType::of(&earlier);
                self.report(pointer, DeviationKind::DuplicateKey, found, Some(earlier));
            }
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn pointers(tree: &Tree) -> Vec<String> {
        tree.deviations.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_key_twice_keeps_the_last_value_and_the_other_on_its_deviation() {
        let tree = parse(br#"{"a": {"id": "first", "id": "second"}, "b": 1}"#).expect("parses");
        assert_eq!(tree.value, json!({"a": {"id": "second"}, "b": 1}));
        assert_eq!(
            pointers(&tree),
            ["/a/id: a key that comes more than once in its object; the last value kept"]
        );
        assert_eq!(tree.deviations[0].dropped_value(), Some(&json!("first")));
        assert_eq!(tree.deviations[0].kind(), DeviationKind::DuplicateKey);
    }

    #[test]
    fn a_tree_deeper_than_the_limit_parses_and_empties_what_is_too_deep() {
        let depth = 200;
        let body = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        let tree = parse(body.as_bytes()).expect("parses however deep");
        let pointer = "/0".repeat(MAX_DEPTH + 1);
        assert_eq!(tree.deviations.len(), 1);
        assert_eq!(tree.deviations[0].pointer(), pointer);
        assert_eq!(tree.deviations[0].kind(), DeviationKind::TooDeep);
        assert_eq!(tree.value.pointer(&pointer), Some(&json!([])));
        let at_limit = format!("{}1{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(at_limit.as_bytes()).expect("parses").deviations.is_empty());
    }

    #[test]
    fn what_is_not_one_json_value_is_an_error() {
        assert!(parse(b"{\"a\": 1} 2").is_err());
        assert!(parse(b"{\"a\": ").is_err());
        assert_eq!(
            parse(b" [1.5, null, \"x\", true] ").expect("parses").value,
            json!([1.5, null, "x", true])
        );
    }
}
