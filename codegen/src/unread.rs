//! What openapiv3 drops without a word, read from the document itself (parsed once, as YAML):
//!
//! - under `paths`, a key that does not start with `/` (and is not an `x-` extension) is
//!   skipped, and so is a path item key that is not one of OpenAPI 3.0's fields, such as a
//!   misspelled or unknown HTTP method. The generator must not lose an operation silently, so
//!   any such key is refused with its pointer ([`check`]);
//! - an Encoding Object's missing `explode` is read as `false`, where OpenAPI's default is
//!   `true` for `style: form`; [`Unread::explodes`] has the ones the spec writes;
//! - the keywords beside a `$ref` are dropped. OpenAPI 3.0 says to ignore them, but specs mean
//!   them: Clerk's Frontend API makes a reference nullable with `{$ref: …, nullable: true}`,
//!   and Prism and most tools honour that. [`Unread::ref_siblings`] has them, for lowering to
//!   honour what it can and warn about the rest.

use std::collections::BTreeMap;

use serde_yaml::Value;

use crate::error::{Error, Pointer};

/// The fields of an OpenAPI 3.0 path item.
const PATH_ITEM_FIELDS: &[&str] = &[
    "$ref",
    "summary",
    "description",
    "get",
    "put",
    "post",
    "delete",
    "options",
    "head",
    "patch",
    "trace",
    "servers",
    "parameters",
];

/// What the document says that openapiv3 does not keep.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Unread {
    /// The `explode` of every Encoding Object that writes one, by the Encoding Object's pointer
    /// (`#/paths/~1x/post/requestBody/content/application~1x-www-form-urlencoded/encoding/tags`).
    pub(crate) explodes: BTreeMap<Pointer, bool>,
    /// The keywords beside each `$ref` that has any, by the pointer of the object holding the
    /// `$ref` (extensions, `x-…`, left out).
    pub(crate) ref_siblings: BTreeMap<Pointer, serde_yaml::Mapping>,
}

impl Unread {
    /// Reads them from the whole document.
    pub(crate) fn read(document: &Value) -> Unread {
        let mut unread = Unread::default();
        unread.collect(document, &Pointer::root());
        unread
    }

    fn collect(&mut self, value: &Value, pointer: &Pointer) {
        if let Some(items) = value.as_sequence() {
            for (i, item) in items.iter().enumerate() {
                self.collect(item, &pointer.join(i.to_string()));
            }
            return;
        }
        let Some(mapping) = value.as_mapping() else { return };
        if mapping.contains_key("$ref") {
            let siblings: serde_yaml::Mapping = mapping
                .iter()
                .filter(|(key, _)| key.as_str().is_some_and(|key| key != "$ref" && !key.starts_with("x-")))
                .map(|(key, value)| (key.clone(), value.clone()))
                .collect();
            if !siblings.is_empty() {
                self.ref_siblings.insert(pointer.clone(), siblings);
            }
        }
        for (key, child) in mapping {
            let Some(key) = key.as_str() else { continue };
            let child_pointer = pointer.join(key);
            if key == "encoding"
                && let Some(entries) = child.as_mapping()
            {
                for (property, entry) in entries {
                    let explode = entry.get("explode").and_then(Value::as_bool);
                    if let (Some(property), Some(explode)) = (property.as_str(), explode) {
                        self.explodes.insert(child_pointer.join(property), explode);
                    }
                }
            }
            self.collect(child, &child_pointer);
        }
    }
}

/// Refuses the first key under `paths` that openapiv3 would drop.
///
/// # Errors
///
/// [`Error::Unsupported`] naming the key's pointer.
pub(crate) fn check(document: &Value) -> Result<(), Error> {
    let Some(paths) = document.get("paths").and_then(Value::as_mapping) else {
        return Ok(());
    };
    let paths_pointer = Pointer::root().join("paths");
    for (path, item) in paths {
        let Some(path) = path.as_str() else { continue };
        if path.starts_with("x-") {
            continue;
        }
        let pointer = paths_pointer.join(path);
        if !path.starts_with('/') {
            return Err(Error::unsupported(
                &pointer,
                "a path must start with `/`; this one would be ignored",
            ));
        }
        let Some(keys) = item.as_mapping() else { continue };
        if let Some(key) = keys
            .keys()
            .filter_map(Value::as_str)
            .find(|key| !key.starts_with("x-") && !PATH_ITEM_FIELDS.contains(key))
        {
            return Err(Error::unsupported(
                &pointer.join(key),
                format!(
                    "`{key}` is not a field of an OpenAPI 3.0 path item (nor an HTTP method it knows); it would be ignored"
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(text: &str) -> Value {
        serde_yaml::from_str(text).expect("YAML")
    }

    #[test]
    fn written_explodes_are_found_by_pointer() {
        let spec = "paths:\n  /a:\n    post:\n      requestBody:\n        content:\n          application/x-www-form-urlencoded:\n            encoding:\n              tags: {explode: false}\n              ids: {style: form}\n";
        let found: Vec<(String, bool)> = Unread::read(&document(spec))
            .explodes
            .into_iter()
            .map(|(pointer, explode)| (pointer.to_string(), explode))
            .collect();
        assert_eq!(
            found,
            [(
                "#/paths/~1a/post/requestBody/content/application~1x-www-form-urlencoded/encoding/tags".to_owned(),
                false
            )]
        );
    }

    #[test]
    fn the_siblings_of_a_ref_are_found_by_pointer() {
        let spec = "components:\n  schemas:\n    A:\n      properties:\n        m: {$ref: '#/components/schemas/M', nullable: true, x-note: 1}\n        n: {$ref: '#/components/schemas/M'}\n        list: {type: array, items: [{$ref: '#/components/schemas/M', description: d}]}\n";
        let found: Vec<(String, Vec<String>)> = Unread::read(&document(spec))
            .ref_siblings
            .into_iter()
            .map(|(pointer, siblings)| {
                let keys = siblings.keys().filter_map(Value::as_str).map(str::to_owned).collect();
                (pointer.to_string(), keys)
            })
            .collect();
        assert_eq!(
            found,
            [
                (
                    "#/components/schemas/A/properties/list/items/0".to_owned(),
                    vec!["description".to_owned()]
                ),
                (
                    "#/components/schemas/A/properties/m".to_owned(),
                    vec!["nullable".to_owned()]
                ),
            ]
        );
    }

    fn message(spec: &str) -> Option<String> {
        check(&document(spec)).err().map(|error| error.to_string())
    }

    #[test]
    fn known_keys_and_extensions_pass() {
        let spec = "paths:\n  x-note: 1\n  /a:\n    get: {}\n    parameters: []\n    x-extra: 2\n";
        assert_eq!(message(spec), None);
        assert_eq!(message("openapi: 3.0.3\n"), None);
    }

    #[test]
    fn dropped_paths_and_methods_are_refused() {
        assert_eq!(
            message("paths:\n  things:\n    get: {}\n").as_deref(),
            Some("#/paths/things: a path must start with `/`; this one would be ignored")
        );
        assert_eq!(
            message("paths:\n  /things:\n    gett: {}\n").as_deref(),
            Some(
                "#/paths/~1things/gett: `gett` is not a field of an OpenAPI 3.0 path item (nor an HTTP method it knows); it would be ignored"
            )
        );
    }
}
