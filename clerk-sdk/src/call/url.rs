//! The request URL: path templates expanded with each argument as one percent-encoded
//! segment, and query structs flattened into `name=value` pairs.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::Operation;
use crate::error::BaseError as Error;

/// Characters escaped in a path segment: everything except RFC 3986's unreserved characters
/// (`A-Z a-z 0-9 - . _ ~`). In particular `/`, `?`, `#` and `%` are escaped, so a parameter can
/// never leave its segment.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Appends the path template to `path`, with each `{name}` replaced by the next argument,
/// percent-encoded as a single segment.
pub(super) fn expand_path(operation: &Operation, args: &[&str], path: &mut String) -> Result<(), Error> {
    let invalid = |reason: String| Error::InvalidRequest {
        operation: operation.id,
        reason,
    };
    let mut args = args.iter().copied();
    let mut rest = operation.path;
    while let Some(open) = rest.find('{') {
        let close = rest[open..]
            .find('}')
            .map(|offset| open + offset)
            .ok_or_else(|| invalid(format!("malformed path template `{}`", operation.path)))?;
        let name = &rest[open + 1..close];
        let value = args
            .next()
            .ok_or_else(|| invalid(format!("missing path parameter `{name}`")))?;
        // `.` and `..` would be resolved away by URL normalization (even when
        // percent-encoded), sending the request to another endpoint.
        if value.is_empty() || value == "." || value == ".." {
            let shown = if value.is_empty() {
                "empty".to_owned()
            } else {
                format!("`{value}`")
            };
            return Err(invalid(format!("path parameter `{name}` is {shown}")));
        }
        path.push_str(&rest[..open]);
        path.extend(utf8_percent_encode(value, PATH_SEGMENT));
        rest = &rest[close + 1..];
    }
    path.push_str(rest);
    if args.next().is_some() {
        return Err(invalid("too many path parameters".to_owned()));
    }
    Ok(())
}

/// How a query parameter other than a scalar is sent, when it is not the default of one pair
/// per array item (`style: form`, `explode: true`: `?id=a&id=b`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    /// `style: form`, `explode: false`: one pair, items joined by commas (`?id=a,b`).
    Comma,
    /// `style: spaceDelimited`: one pair, items joined by spaces (`?scope=openid%20email`).
    Space,
    /// `style: pipeDelimited`: one pair, items joined by `|` (`?id=a%7Cb`).
    Pipe,
    /// `style: deepObject`: one pair per property of an object (`?filter[role]=admin`).
    DeepObject,
}

impl QueryStyle {
    /// What joins the items of an array, as it goes on the wire: the items are encoded one by
    /// one, so a comma inside an item is `%2C` while the separator stays `,`.
    fn separator(self) -> Option<&'static str> {
        match self {
            QueryStyle::Comma => Some(","),
            QueryStyle::Space => Some("%20"),
            QueryStyle::Pipe => Some("|"),
            QueryStyle::DeepObject => None,
        }
    }
}

/// `text` encoded for a query string (`application/x-www-form-urlencoded`: a space is `+`).
pub(super) fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// Flattens a serialized query struct into encoded `name=value` pairs, by field name: `null`
/// fields are left out, strings are sent as they are and numbers and booleans as JSON writes
/// them. Arrays become one pair per item, or one pair of joined items for a field `styles`
/// lists; an object is sent only as a `deepObject` (`name[property]=value`).
pub(super) fn query_pairs(
    value: serde_json::Value,
    styles: &[(&str, QueryStyle)],
) -> Result<Vec<(String, String)>, String> {
    let serde_json::Value::Object(fields) = value else {
        return Err("query parameters must serialize to an object".to_owned());
    };
    let mut pairs = Vec::new();
    for (name, value) in fields {
        let style = styles.iter().find(|(field, _)| *field == name).map(|(_, style)| *style);
        let encoded_name = encode(&name);
        match (value, style) {
            (serde_json::Value::Null, _) => {}
            (serde_json::Value::Object(properties), Some(QueryStyle::DeepObject)) => {
                for (key, value) in properties {
                    if let Some(text) = scalar(&name, value)? {
                        pairs.push((format!("{encoded_name}[{}]", encode(&key)), encode(&text)));
                    }
                }
            }
            (serde_json::Value::Array(items), Some(style)) if style.separator().is_some() => {
                let mut texts = Vec::with_capacity(items.len());
                for item in items {
                    texts.extend(scalar(&name, item)?.as_deref().map(encode));
                }
                pairs.push((encoded_name, texts.join(style.separator().unwrap_or(","))));
            }
            (serde_json::Value::Array(items), _) => {
                for item in items {
                    if let Some(text) = scalar(&name, item)? {
                        pairs.push((encoded_name.clone(), encode(&text)));
                    }
                }
            }
            (single, _) => {
                if let Some(text) = scalar(&name, single)? {
                    pairs.push((encoded_name, encode(&text)));
                }
            }
        }
    }
    Ok(pairs)
}

/// A scalar query value as text; `None` for `null`.
fn scalar(name: &str, value: serde_json::Value) -> Result<Option<String>, String> {
    match value {
        serde_json::Value::Null => Ok(None),
        serde_json::Value::String(text) => Ok(Some(text)),
        serde_json::Value::Bool(_) | serde_json::Value::Number(_) => Ok(Some(value.to_string())),
        serde_json::Value::Array(_) | serde_json::Value::Object(_) => Err(format!(
            "query parameter `{name}` must be a scalar or an array of scalars"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::tests::GET;

    fn expand(args: &[&str]) -> Result<String, String> {
        let mut path = String::new();
        expand_path(&GET, args, &mut path).map_err(|e| e.to_string())?;
        Ok(path)
    }

    #[test]
    fn path_arguments_are_one_encoded_segment_each() {
        assert_eq!(expand(&["t_1", "p-2.x~"]).as_deref(), Ok("/things/t_1/parts/p-2.x~"));
        assert_eq!(
            expand(&["../users/user_1", "a b"]).as_deref(),
            Ok("/things/..%2Fusers%2Fuser_1/parts/a%20b")
        );
        assert_eq!(
            expand(&["?x=1#f", "100%"]).as_deref(),
            Ok("/things/%3Fx%3D1%23f/parts/100%25")
        );
        assert_eq!(expand(&["é", "x"]).as_deref(), Ok("/things/%C3%A9/parts/x"));
    }

    #[test]
    fn query_structs_flatten_to_pairs() {
        let value = serde_json::json!({
            "limit": 10,
            "user_id": ["user_a", "user_b"],
            "order_by": "-created_at",
            "q": "jo & ann",
            "paginated": true,
            "offset": null,
            "ratio": 0.5
        });
        let pairs = query_pairs(value, &[]).expect("flattens");
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(
            pairs,
            [
                ("limit", "10"),
                ("order_by", "-created_at"),
                ("paginated", "true"),
                ("q", "jo+%26+ann"),
                ("ratio", "0.5"),
                ("user_id", "user_a"),
                ("user_id", "user_b")
            ]
        );
        assert_eq!(
            query_pairs(serde_json::json!({"nested": {"a": 1}}), &[]),
            Err("query parameter `nested` must be a scalar or an array of scalars".to_owned())
        );
        assert_eq!(
            query_pairs(serde_json::json!([1]), &[]),
            Err("query parameters must serialize to an object".to_owned())
        );
    }

    #[test]
    fn styles_join_arrays_and_spread_objects() {
        let value = serde_json::json!({
            "comma": ["a", "b,c"],
            "filter": {"role": "admin", "age": 3, "gone": null},
            "pipe": [1, 2],
            "repeated": ["x", "y"],
            "scope": ["openid", "email"],
            "single": "s"
        });
        let styles = [
            ("comma", QueryStyle::Comma),
            ("filter", QueryStyle::DeepObject),
            ("pipe", QueryStyle::Pipe),
            ("scope", QueryStyle::Space),
            ("single", QueryStyle::Comma),
        ];
        let pairs = query_pairs(value, &styles).expect("flattens");
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(
            pairs,
            [
                ("comma", "a,b%2Cc"),
                ("filter[age]", "3"),
                ("filter[role]", "admin"),
                ("pipe", "1|2"),
                ("repeated", "x"),
                ("repeated", "y"),
                ("scope", "openid%20email"),
                ("single", "s")
            ]
        );
        assert_eq!(
            query_pairs(
                serde_json::json!({"filter": {"a": [1]}}),
                &[("filter", QueryStyle::DeepObject)]
            ),
            Err("query parameter `filter` must be a scalar or an array of scalars".to_owned())
        );
    }

    #[test]
    fn dot_segments_and_empty_arguments_are_refused() {
        assert_eq!(
            expand(&["", "x"]),
            Err("GetThing: invalid request: path parameter `thing_id` is empty".to_owned())
        );
        assert_eq!(
            expand(&["x", ".."]),
            Err("GetThing: invalid request: path parameter `part_id` is `..`".to_owned())
        );
        assert_eq!(
            expand(&[".", "x"]),
            Err("GetThing: invalid request: path parameter `thing_id` is `.`".to_owned())
        );
    }

    #[test]
    fn argument_count_must_match_the_template() {
        assert!(expand(&["x"]).is_err_and(|e| e.contains("missing path parameter `part_id`")));
        assert!(expand(&["x", "y", "z"]).is_err_and(|e| e.contains("too many")));
    }
}
