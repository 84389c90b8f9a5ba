//! The vendor extensions the generator reads, all in one place. Clerk's specs carry Speakeasy's:
//!
//! | extension | on | read as |
//! |---|---|---|
//! | `x-speakeasy-group` | an operation | the resource it belongs to, before its first tag |
//! | `x-speakeasy-name-override` | an operation | its method's name, instead of the `operationId` |
//! | `x-speakeasy-name-override` | a schema | the name of the union variant that holds it |
//! | `x-speakeasy-unknown-values: allow` | an enum schema | the spec allows values it does not list: such a value is no deviation, even in strict mode |
//!
//! A value that is not a string is not a name, and is ignored as if absent.

use indexmap::IndexMap;

/// The extension that groups an operation into a resource.
const GROUP: &str = "x-speakeasy-group";
/// The extension that renames an operation's method or a union variant.
const NAME_OVERRIDE: &str = "x-speakeasy-name-override";

/// The extension that says an enum allows values it does not list.
const UNKNOWN_VALUES: &str = "x-speakeasy-unknown-values";

/// Whether a schema's `x-speakeasy-unknown-values` is `allow`.
pub(super) fn unknown_values_allowed(extensions: &IndexMap<String, serde_json::Value>) -> bool {
    string(extensions, UNKNOWN_VALUES) == Some("allow")
}

/// An operation's `x-speakeasy-group`.
pub(super) fn group(extensions: &IndexMap<String, serde_json::Value>) -> Option<&str> {
    string(extensions, GROUP)
}

/// An operation's or a schema's `x-speakeasy-name-override`.
pub(super) fn name_override(extensions: &IndexMap<String, serde_json::Value>) -> Option<&str> {
    string(extensions, NAME_OVERRIDE)
}

fn string<'e>(extensions: &'e IndexMap<String, serde_json::Value>, name: &str) -> Option<&'e str> {
    extensions.get(name).and_then(serde_json::Value::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_strings_are_names() {
        let extensions: IndexMap<String, serde_json::Value> = serde_json::from_value(serde_json::json!({
            "x-speakeasy-group": "users",
            "x-speakeasy-name-override": 7
        }))
        .expect("a map");
        assert_eq!(group(&extensions), Some("users"));
        assert_eq!(name_override(&extensions), None);
        let open = |value: serde_json::Value| {
            let extensions: IndexMap<String, serde_json::Value> =
                [("x-speakeasy-unknown-values".to_owned(), value)].into_iter().collect();
            unknown_values_allowed(&extensions)
        };
        assert!(open(serde_json::json!("allow")));
        assert!(!open(serde_json::json!("disallow")) && !open(serde_json::json!(true)));
    }
}
