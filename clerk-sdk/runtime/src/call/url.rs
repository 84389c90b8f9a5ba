//! The request URL's path: templates expanded with each argument as one percent-encoded
//! segment.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::Operation;

/// Characters escaped in a path segment: everything except RFC 3986's unreserved characters
/// (`A-Z a-z 0-9 - . _ ~`). In particular `/`, `?`, `#` and `%` are escaped, so a parameter can
/// never leave its segment.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Appends the path template to `path`, with each `{name}` replaced by the next argument,
/// percent-encoded as a single segment; or says why the arguments cannot be sent.
pub(super) fn expand_path(operation: &Operation, args: &[&str], path: &mut String) -> Result<(), String> {
    let invalid = |reason: String| reason;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::tests::GET;

    fn expand(args: &[&str]) -> Result<String, String> {
        let mut path = String::new();
        expand_path(&GET, args, &mut path)?;
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
    fn dot_segments_and_empty_arguments_are_refused() {
        assert_eq!(expand(&["", "x"]), Err("path parameter `thing_id` is empty".to_owned()));
        assert_eq!(expand(&["x", ".."]), Err("path parameter `part_id` is `..`".to_owned()));
        assert_eq!(expand(&[".", "x"]), Err("path parameter `thing_id` is `.`".to_owned()));
    }

    #[test]
    fn argument_count_must_match_the_template() {
        assert!(expand(&["x"]).is_err_and(|e| e.contains("missing path parameter `part_id`")));
        assert!(expand(&["x", "y", "z"]).is_err_and(|e| e.contains("too many")));
    }
}
