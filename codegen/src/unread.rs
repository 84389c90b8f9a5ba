//! What openapiv3 drops without a word: under `paths`, a key that does not start with `/` (and
//! is not an `x-` extension) is skipped, and so is a path item key that is not one of OpenAPI
//! 3.0's fields, such as a misspelled or unknown HTTP method. The generator must not lose an
//! operation silently, so the spec text is read once more for just those keys, and any such key
//! is refused with its pointer.

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

#[cfg(test)]
mod tests {
    use super::check;

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
