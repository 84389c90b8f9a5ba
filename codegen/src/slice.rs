//! Slicing: the part of a spec that a set of paths needs, unchanged.
//!
//! `cargo xtask slice` uses this to cut `spec/phone_numbers.yaml` out of Clerk's full spec, so
//! refreshing to a new Clerk version is one command. The slice keeps the selected path items,
//! every component they reference (transitively), the security schemes in use, the tags in use
//! and every other top-level key, all in their original order and otherwise untouched.

use std::collections::BTreeSet;

use serde_yaml::{Mapping, Value};

use crate::error::{Error, Pointer};

/// Returns the slice of `spec` that holds the paths matching any of `patterns`.
///
/// A pattern is a path with `*` wildcards, each matching any run of characters (including `/`):
/// `/phone_numbers*` selects `/phone_numbers` and every path below it.
///
/// # Errors
///
/// [`Error::Parse`] if `spec` has no `paths` mapping; [`Error::Unsupported`] if no path matches
/// or a `$ref` points outside the document or to nothing.
pub fn slice(spec: &Value, patterns: &[&str]) -> Result<Value, Error> {
    let root = spec
        .as_mapping()
        .ok_or_else(|| Error::Parse("the document is not a mapping".to_owned()))?;
    let paths = root
        .get("paths")
        .and_then(Value::as_mapping)
        .ok_or_else(|| Error::Parse("the document has no `paths` mapping".to_owned()))?;

    let selected: Mapping = paths
        .iter()
        .filter(|(path, _)| {
            path.as_str()
                .is_some_and(|p| patterns.iter().any(|pattern| glob_match(pattern, p)))
        })
        .map(|(path, item)| (path.clone(), item.clone()))
        .collect();
    if selected.is_empty() {
        return Err(Error::unsupported(
            &Pointer::root().join("paths"),
            format!("no path matches {}", patterns.join(", ")),
        ));
    }

    let mut refs = BTreeSet::new();
    collect_refs(spec, &Value::Mapping(selected.clone()), &mut refs)?;
    let schemes = security_schemes_in_use(root, &selected);
    let tags = tags_in_use(&selected);

    let mut out = Mapping::new();
    for (key, value) in root {
        match key.as_str() {
            Some("paths") => {
                out.insert(key.clone(), Value::Mapping(selected.clone()));
            }
            Some("components") => {
                let components = slice_components(value, &refs, &schemes);
                if !components.is_empty() {
                    out.insert(key.clone(), Value::Mapping(components));
                }
            }
            Some("tags") => {
                let kept = tags_kept(value, &tags);
                if !kept.is_empty() {
                    out.insert(key.clone(), Value::Sequence(kept));
                }
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    Ok(Value::Mapping(out))
}

/// The entries of the top-level `tags` list whose name is in `used`.
fn tags_kept(tags: &Value, used: &BTreeSet<String>) -> Vec<Value> {
    tags.as_sequence()
        .into_iter()
        .flatten()
        .filter(|tag| {
            tag.get("name")
                .and_then(Value::as_str)
                .is_some_and(|name| used.contains(name))
        })
        .cloned()
        .collect()
}

/// Matches `text` against a pattern whose `*` matches any run of characters.
///
/// Hand-written because the only wildcard needed is `*`; a glob crate would bring file-system
/// semantics (`/` not matched by `*`) that do not fit URL paths.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// Adds every local `$ref` reachable from `value` to `refs`, following each into `spec`.
fn collect_refs(spec: &Value, value: &Value, refs: &mut BTreeSet<String>) -> Result<(), Error> {
    match value {
        Value::Mapping(mapping) => {
            for (key, child) in mapping {
                if key.as_str() == Some("$ref")
                    && let Some(reference) = child.as_str()
                {
                    if refs.insert(reference.to_owned()) {
                        let target = resolve(spec, reference)?;
                        collect_refs(spec, target, refs)?;
                    }
                    continue;
                }
                collect_refs(spec, child, refs)?;
            }
        }
        Value::Sequence(items) => {
            for item in items {
                collect_refs(spec, item, refs)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Follows a local JSON pointer such as `#/components/schemas/PhoneNumber`.
fn resolve<'v>(spec: &'v Value, reference: &str) -> Result<&'v Value, Error> {
    let pointer = Pointer::from_ref(reference).ok_or_else(|| {
        Error::unsupported(
            &Pointer::root(),
            format!("`$ref: {reference}` points outside the document"),
        )
    })?;
    pointer.segments().try_fold(spec, |node, segment| {
        node.get(segment.as_str())
            .ok_or_else(|| Error::unsupported(&pointer, format!("`$ref: {reference}` points to nothing")))
    })
}

/// The component sections, each filtered to the entries in `refs` (or, for security schemes,
/// to those in use), with empty sections dropped.
fn slice_components(components: &Value, refs: &BTreeSet<String>, schemes: &BTreeSet<String>) -> Mapping {
    let mut out = Mapping::new();
    for (section, entries) in components.as_mapping().into_iter().flatten() {
        let Some(section_name) = section.as_str() else {
            continue;
        };
        let kept: Mapping = entries
            .as_mapping()
            .into_iter()
            .flatten()
            .filter(|(name, _)| {
                let Some(name) = name.as_str() else {
                    return false;
                };
                if section_name == "securitySchemes" {
                    schemes.contains(name)
                } else {
                    let pointer = Pointer::root().join("components").join(section_name).join(name);
                    refs.contains(pointer.as_str())
                }
            })
            .map(|(name, entry)| (name.clone(), entry.clone()))
            .collect();
        if !kept.is_empty() {
            out.insert(section.clone(), Value::Mapping(kept));
        }
    }
    out
}

/// The operations a path item can hold, in OpenAPI 3.0 and 3.1 alike.
pub(crate) const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

fn operations(paths: &Mapping) -> impl Iterator<Item = &Value> {
    paths
        .values()
        .filter_map(Value::as_mapping)
        .flat_map(|item| METHODS.iter().filter_map(move |method| item.get(*method)))
}

/// Names of the security schemes named by the top-level `security` or any selected operation's.
fn security_schemes_in_use(root: &Mapping, paths: &Mapping) -> BTreeSet<String> {
    let top = root.get("security").into_iter();
    let per_operation = operations(paths).filter_map(|op| op.get("security"));
    top.chain(per_operation)
        .filter_map(Value::as_sequence)
        .flatten()
        .filter_map(Value::as_mapping)
        .flat_map(|requirement| requirement.keys().filter_map(Value::as_str).map(str::to_owned))
        .collect()
}

/// Names of the tags the selected operations use.
fn tags_in_use(paths: &Mapping) -> BTreeSet<String> {
    operations(paths)
        .filter_map(|op| op.get("tags").and_then(Value::as_sequence))
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_matches_prefixes_and_infixes() {
        assert!(glob_match("/phone_numbers*", "/phone_numbers"));
        assert!(glob_match(
            "/phone_numbers*",
            "/phone_numbers/{id}/prepare_verification"
        ));
        assert!(!glob_match("/phone_numbers*", "/users/{user_id}/phone_number"));
        assert!(glob_match("/users", "/users"));
        assert!(!glob_match("/users", "/users/x"));
        assert!(glob_match("*/verify", "/a/b/verify"));
        assert!(glob_match("/a*b*c", "/a-b-c"));
        assert!(!glob_match("/a*b*c", "/a-c"));
    }

    fn yaml(text: &str) -> Value {
        serde_yaml::from_str(text).expect("test YAML parses")
    }

    #[test]
    fn keeps_selected_paths_and_transitive_components_only() {
        let spec = yaml(
            r##"
openapi: 3.0.3
security: [{bearerAuth: []}]
tags: [{name: A}, {name: B}]
paths:
  /a:
    get:
      tags: [A]
      responses:
        '200': {$ref: '#/components/responses/R'}
  /b:
    get:
      tags: [B]
      responses:
        '200': {description: ok}
components:
  securitySchemes:
    bearerAuth: {type: http, scheme: bearer}
    unused: {type: http, scheme: basic}
  responses:
    R: {description: r, content: {application/json: {schema: {$ref: '#/components/schemas/X'}}}}
  schemas:
    X: {type: object, properties: {y: {$ref: '#/components/schemas/Y'}}}
    Y: {type: string}
    Z: {type: string}
x-extra: kept
"##,
        );
        let sliced = slice(&spec, &["/a"]).expect("slices");
        let expected = yaml(
            r##"
openapi: 3.0.3
security: [{bearerAuth: []}]
tags: [{name: A}]
paths:
  /a:
    get:
      tags: [A]
      responses:
        '200': {$ref: '#/components/responses/R'}
components:
  securitySchemes:
    bearerAuth: {type: http, scheme: bearer}
  responses:
    R: {description: r, content: {application/json: {schema: {$ref: '#/components/schemas/X'}}}}
  schemas:
    X: {type: object, properties: {y: {$ref: '#/components/schemas/Y'}}}
    Y: {type: string}
x-extra: kept
"##,
        );
        assert_eq!(sliced, expected);
    }

    #[test]
    fn reports_no_match_and_dangling_refs() {
        let spec = yaml(
            "openapi: 3.0.3\npaths:\n  /a:\n    get: {responses: {'200': {$ref: '#/components/responses/Nope'}}}\n",
        );
        let err = slice(&spec, &["/zzz"]).expect_err("nothing matches");
        assert_eq!(err.to_string(), "#/paths: no path matches /zzz");
        let err = slice(&spec, &["/a"]).expect_err("dangling ref");
        assert_eq!(
            err.to_string(),
            "#/components/responses/Nope: `$ref: #/components/responses/Nope` points to nothing"
        );
    }
}
