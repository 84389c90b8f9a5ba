//! The format of the generated drift corpus: a sample body per response schema and its
//! mutations. Written by the `generated_crates` test (`tests/tests/drift_corpus/`), read by the
//! runner (`runner.rs`) inside the generated crate.

use serde_json::Value;

/// A sample body of one response schema and its mutations, each with the one deviation it must
/// report. The schema is that of `operation`'s first 2xx response; operations whose response
/// schema is the same as an earlier one's (many return a `User`) add nothing.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Sample {
    /// The first `operationId` whose response has this schema.
    pub operation: String,
    /// The status it is answered with.
    pub status: u16,
    /// A body that matches the schema, and so reports no deviation.
    pub body: Value,
    /// The changes to it.
    pub mutations: Vec<Mutation>,
}

/// One change to a sample body: the value at `pointer` removed, or replaced by `value`, and the
/// deviation that must be reported.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Mutation {
    /// What changes, for messages.
    pub about: String,
    /// Where.
    pub pointer: String,
    /// Whether the value is removed.
    pub remove: bool,
    /// The new value, unless it is removed.
    pub value: Value,
    /// `[pointer, kind, resolution]`, as the SDK's `Debug` names them.
    pub expected: [String; 3],
}

/// Makes `mutation` to `body`.
pub fn apply(body: &mut Value, mutation: &Mutation) {
    let value = (!mutation.remove).then(|| mutation.value.clone());
    let pointer = mutation.pointer.as_str();
    let (parent, last) = pointer.rsplit_once('/').unwrap_or(("", pointer));
    let key = last.replace("~1", "/").replace("~0", "~");
    match (body.pointer_mut(parent), value) {
        (Some(Value::Object(object)), Some(value)) => {
            object.insert(key, value);
        }
        (Some(Value::Object(object)), None) => {
            object.remove(&key);
        }
        (Some(Value::Array(items)), Some(value)) => {
            if let Some(item) = key.parse::<usize>().ok().and_then(|index| items.get_mut(index)) {
                *item = value;
            }
        }
        _ => {}
    }
}
