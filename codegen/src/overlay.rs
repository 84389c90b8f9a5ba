//! OpenAPI Overlays (the OpenAPI Overlay Specification 1.0): documents of actions, each a
//! JSONPath query (RFC 9535) as its `target` and an `update` to merge into what it selects or a
//! `remove` of it, applied to a spec before the generator reads it. This is how what a spec gets
//! wrong is written down as data, beside the spec, instead of as special cases in the
//! generator.
//!
//! JSONPath is evaluated by `serde_json_path`, which follows RFC 9535, on a JSON copy of the
//! spec; the changes are made on the YAML document, whose mappings keep their order (property
//! order decides field order in the generated code), and the spec is written back as YAML only
//! when an overlay applies.

use serde_json_path::JsonPath;
use serde_yaml::{Mapping, Value};

use crate::error::{Error, Pointer, Warning};

/// A parsed overlay document.
#[derive(Debug, Clone)]
pub struct Overlay {
    /// Where the overlay comes from, such as `spec/overlays/bapi.yaml`, for messages.
    pub label: String,
    /// `info.title`.
    pub title: String,
    /// `extends`: the spec it is written for, if it says.
    pub extends: Option<String>,
    actions: Vec<Action>,
}

/// One action: what it selects, and what it does there.
#[derive(Debug, Clone)]
struct Action {
    target: JsonPath,
    target_text: String,
    change: Change,
}

#[derive(Debug, Clone)]
enum Change {
    /// Merge into each selected object, or append to each selected array.
    Update(Value),
    /// Remove each selected node from its parent.
    Remove,
}

impl Overlay {
    /// Reads an overlay document (YAML or JSON), checking it against the Overlay 1.0 format.
    ///
    /// # Errors
    ///
    /// [`Error::Overlay`], with the pointer of what is wrong inside the document: not YAML, no
    /// `overlay: 1.0.x`, no `info.title`, no `actions`, an action without a string `target`, a
    /// target that is not a JSONPath query, or an action with neither `update` nor
    /// `remove: true`, or with both.
    pub fn parse(text: &str, label: &str) -> Result<Overlay, Error> {
        let invalid = |pointer: Pointer, reason: String| Error::Overlay {
            overlay: label.to_owned(),
            pointer,
            reason,
        };
        let document: Value = serde_yaml::from_str(text).map_err(|e| invalid(Pointer::root(), e.to_string()))?;
        let version = document.get("overlay").and_then(Value::as_str);
        if !version.is_some_and(|v| v.starts_with("1.0")) {
            let reason = format!(
                "`overlay` must be a 1.0.x version, found {}",
                shown(document.get("overlay"))
            );
            return Err(invalid(Pointer::root().join("overlay"), reason));
        }
        let title = document
            .get("info")
            .and_then(|info| info.get("title"))
            .and_then(Value::as_str);
        let Some(title) = title else {
            return Err(invalid(
                Pointer::root().join("info"),
                "`info.title` is required".to_owned(),
            ));
        };
        let Some(actions) = document
            .get("actions")
            .and_then(Value::as_sequence)
            .filter(|a| !a.is_empty())
        else {
            let reason = "`actions` must be a list of at least one action".to_owned();
            return Err(invalid(Pointer::root().join("actions"), reason));
        };
        let actions = (actions.iter().enumerate())
            .map(|(index, action)| {
                let at = Pointer::root().join("actions").join(index.to_string());
                Action::parse(action, &at).map_err(|(pointer, reason)| invalid(pointer, reason))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Overlay {
            label: label.to_owned(),
            title: title.to_owned(),
            extends: document.get("extends").and_then(Value::as_str).map(str::to_owned),
            actions,
        })
    }

    /// Whether the overlay says it is written for the spec in the file `file_name`: its
    /// `extends` URL or path ends with that name.
    pub fn extends_file(&self, file_name: &str) -> bool {
        self.extends
            .as_deref()
            .is_some_and(|extends| extends.rsplit(['/', '\\']).next() == Some(file_name))
    }

    /// Applies the actions in order to `spec`, each to what its target selects at that moment.
    /// An action whose target selects nothing is a warning, with its index.
    pub fn apply(&self, spec: &mut Value) -> Vec<Warning> {
        let mut warnings = Vec::new();
        for (index, action) in self.actions.iter().enumerate() {
            let selected = action.apply(spec);
            if selected == 0 {
                warnings.push(Warning {
                    pointer: Pointer::root().join("actions").join(index.to_string()),
                    message: format!(
                        "{}: the target `{}` of action {index} selects nothing in the spec; the action did nothing",
                        self.label, action.target_text
                    ),
                });
            }
        }
        warnings
    }
}

impl Action {
    fn parse(action: &Value, at: &Pointer) -> Result<Action, (Pointer, String)> {
        let Some(target_text) = action.get("target").and_then(Value::as_str) else {
            return Err((
                at.join("target"),
                "an action needs a `target` JSONPath query".to_owned(),
            ));
        };
        let target = JsonPath::parse(target_text).map_err(|e| {
            (
                at.join("target"),
                format!("`{target_text}` is not a JSONPath query: {e}"),
            )
        })?;
        let remove = match action.get("remove") {
            None => false,
            Some(Value::Bool(remove)) => *remove,
            Some(other) => {
                return Err((
                    at.join("remove"),
                    format!("`remove` must be a boolean, found {}", shown(Some(other))),
                ));
            }
        };
        let change = match (action.get("update"), remove) {
            (Some(update), false) => Change::Update(update.clone()),
            (None, true) => Change::Remove,
            (Some(_), true) => return Err((at.clone(), "an action cannot both `update` and `remove`".to_owned())),
            (None, false) => return Err((at.clone(), "an action needs an `update` or `remove: true`".to_owned())),
        };
        Ok(Action {
            target,
            target_text: target_text.to_owned(),
            change,
        })
    }

    /// Applies the action and returns how many nodes its target selected.
    fn apply(&self, spec: &mut Value) -> usize {
        // The JSON copy is made again for each action, so that each sees the changes made by
        // those before it, as the format says.
        let json = serde_json::to_value(&*spec).unwrap_or(serde_json::Value::Null);
        let mut paths: Vec<Vec<String>> = (self.target.query_located(&json).locations())
            .map(|location| location.to_json_pointer())
            .map(|pointer| segments(&pointer))
            .collect();
        let selected = paths.len();
        match &self.change {
            Change::Update(update) => {
                for path in &paths {
                    if let Some(node) = node_mut(spec, path) {
                        merge(node, update);
                    }
                }
            }
            Change::Remove => {
                // Last first (list indices compared as numbers), so that removing an item does
                // not move the ones still to go.
                paths.sort_by(|a, b| by_position(b, a));
                paths.iter().for_each(|path| remove(spec, path));
            }
        }
        selected
    }
}

/// The document order of two paths, comparing list indices as numbers (`9` before `10`).
fn by_position(a: &[String], b: &[String]) -> std::cmp::Ordering {
    let key = |segment: &String| (segment.parse::<usize>().ok(), segment.clone());
    a.iter().map(key).cmp(b.iter().map(key))
}

/// The unescaped segments of a JSON pointer (RFC 6901).
fn segments(pointer: &str) -> Vec<String> {
    (pointer.split('/').skip(1))
        .map(|segment| segment.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// The node at `path`. A mapping's key matches a segment when it is that string, or a number
/// or boolean written that way (YAML reads `200:` as a number).
fn node_mut<'a>(node: &'a mut Value, path: &[String]) -> Option<&'a mut Value> {
    path.iter().try_fold(node, |node, segment| match node {
        Value::Mapping(mapping) => mapping
            .iter_mut()
            .find(|(key, _)| key_is(key, segment))
            .map(|(_, value)| value),
        Value::Sequence(items) => segment.parse::<usize>().ok().and_then(|index| items.get_mut(index)),
        _ => None,
    })
}

fn key_is(key: &Value, segment: &str) -> bool {
    match key {
        Value::String(text) => text == segment,
        Value::Number(number) => number.to_string() == segment,
        Value::Bool(flag) => flag.to_string() == segment,
        _ => false,
    }
}

/// Merges `update` into `node` as the Overlay format says: into a mapping, key by key,
/// recursively; onto a sequence, appended; anything else is replaced.
fn merge(node: &mut Value, update: &Value) {
    match (node, update) {
        (Value::Mapping(node), Value::Mapping(update)) => merge_mappings(node, update),
        (Value::Sequence(node), update) => node.push(update.clone()),
        (node, update) => *node = update.clone(),
    }
}

fn merge_mappings(node: &mut Mapping, update: &Mapping) {
    for (key, value) in update {
        match node.get_mut(key) {
            Some(existing @ Value::Mapping(_)) if value.is_mapping() => merge(existing, value),
            Some(existing) => *existing = value.clone(),
            None => {
                node.insert(key.clone(), value.clone());
            }
        }
    }
}

/// Removes the node at `path` from its parent; the root cannot be removed.
fn remove(spec: &mut Value, path: &[String]) {
    let Some((last, parent)) = path.split_last() else {
        return;
    };
    match node_mut(spec, parent) {
        Some(Value::Mapping(mapping)) => {
            let key = mapping.keys().find(|key| key_is(key, last)).cloned();
            if let Some(key) = key {
                mapping.shift_remove(&key);
            }
        }
        Some(Value::Sequence(items)) => {
            if let Some(index) = last.parse::<usize>().ok().filter(|i| *i < items.len()) {
                items.remove(index);
            }
        }
        _ => {}
    }
}

/// A value as a message shows it: `nothing` when absent.
fn shown(value: Option<&Value>) -> String {
    match value {
        None => "nothing".to_owned(),
        Some(value) => serde_json::to_string(value).unwrap_or_else(|_| format!("{value:?}")),
    }
}

/// Applies `overlays` in order to the spec `spec_text`, and returns the spec as YAML with the
/// warnings. Without overlays the text is returned as it is.
///
/// # Errors
///
/// [`Error::Parse`] if the spec is not YAML or JSON.
pub fn apply_all(spec_text: &str, overlays: &[Overlay]) -> Result<(String, Vec<Warning>), Error> {
    if overlays.is_empty() {
        return Ok((spec_text.to_owned(), Vec::new()));
    }
    let mut spec: Value = serde_yaml::from_str(spec_text).map_err(|e| Error::Parse(e.to_string()))?;
    let warnings = overlays.iter().flat_map(|overlay| overlay.apply(&mut spec)).collect();
    let text = serde_yaml::to_string(&spec).map_err(|e| Error::Parse(e.to_string()))?;
    Ok((text, warnings))
}

#[cfg(test)]
mod tests;
