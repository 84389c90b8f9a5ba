//! What openapiv3 drops without a word: under `paths`, a key that does not start with `/` (and
//! is not an `x-` extension) is skipped, and so is a path item key that is not one of OpenAPI
//! 3.0's fields, such as a misspelled or unknown HTTP method. The generator must not lose an
//! operation silently, so the spec text is read once more for just those keys, and any such key
//! is refused with its pointer.
//!
//! openapiv3 also reads an Encoding Object's missing `explode` as `false`, where OpenAPI's
//! default is `true` for `style: form`; [`explicit_explodes`] reads which ones the spec writes.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use serde::Deserialize;
use serde::de::IgnoredAny;

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

/// The document's `paths`, keys only.
#[derive(Deserialize)]
struct Document {
    #[serde(default)]
    paths: Option<IndexMap<String, PathItemKeys>>,
}

/// A path item's keys, or whatever else stands there (openapiv3 reports that itself).
#[derive(Deserialize)]
#[serde(untagged)]
enum PathItemKeys {
    Keys(IndexMap<String, IgnoredAny>),
    Other(IgnoredAny),
}

/// Refuses the first key under `paths` that openapiv3 would drop.
///
/// # Errors
///
/// [`Error::Unsupported`] naming the key's pointer. A document this cannot read is left to the
/// parser, which says what is wrong with it.
pub(crate) fn check(spec_text: &str) -> Result<(), Error> {
    let Ok(document) = serde_yaml::from_str::<Document>(spec_text) else {
        return Ok(());
    };
    let paths_pointer = Pointer::root().join("paths");
    for (path, item) in document.paths.iter().flatten() {
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
        let PathItemKeys::Keys(keys) = item else { continue };
        if let Some(key) = keys
            .keys()
            .find(|key| !key.starts_with("x-") && !PATH_ITEM_FIELDS.contains(&key.as_str()))
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

/// The `explode` of every Encoding Object that writes one, by the Encoding Object's pointer
/// (`#/paths/~1x/post/requestBody/content/application~1x-www-form-urlencoded/encoding/tags`).
pub(crate) fn explicit_explodes(spec_text: &str) -> BTreeMap<Pointer, bool> {
    let mut found = BTreeMap::new();
    if let Ok(document) = serde_yaml::from_str::<serde_yaml::Value>(spec_text) {
        collect_explodes(&document, &Pointer::root(), &mut found);
    }
    found
}

fn collect_explodes(value: &serde_yaml::Value, pointer: &Pointer, found: &mut BTreeMap<Pointer, bool>) {
    let Some(mapping) = value.as_mapping() else {
        if let Some(items) = value.as_sequence() {
            for (i, item) in items.iter().enumerate() {
                collect_explodes(item, &pointer.join(i.to_string()), found);
            }
        }
        return;
    };
    for (key, child) in mapping {
        let Some(key) = key.as_str() else { continue };
        let child_pointer = pointer.join(key);
        if key == "encoding"
            && let Some(entries) = child.as_mapping()
        {
            for (property, entry) in entries {
                let explode = entry.get("explode").and_then(serde_yaml::Value::as_bool);
                if let (Some(property), Some(explode)) = (property.as_str(), explode) {
                    found.insert(child_pointer.join(property), explode);
                }
            }
        }
        collect_explodes(child, &child_pointer, found);
    }
}

#[cfg(test)]
mod tests {
    use super::{check, explicit_explodes};

    #[test]
    fn written_explodes_are_found_by_pointer() {
        let spec = "paths:\n  /a:\n    post:\n      requestBody:\n        content:\n          application/x-www-form-urlencoded:\n            encoding:\n              tags: {explode: false}\n              ids: {style: form}\n";
        let found: Vec<(String, bool)> = explicit_explodes(spec)
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

    fn message(spec: &str) -> Option<String> {
        check(spec).err().map(|error| error.to_string())
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
