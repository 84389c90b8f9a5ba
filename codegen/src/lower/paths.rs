//! Path templates: what their literal text may hold, and their placeholders.

use crate::error::{Error, Pointer};

/// Refuses a path template whose literal text would not reach the endpoint it names: one that
/// does not start with `/`, holds a `.` or `..` segment (which URL normalization resolves
/// away), or a character a URL path does not carry as it is (`?` would start a query, `#` a
/// fragment; spaces and non-ASCII would be re-encoded). Placeholders are checked apart.
fn check_path_literal(path: &str, pointer: &Pointer) -> Result<(), Error> {
    let refuse = |why: String| Err(Error::unsupported(pointer, format!("the path `{path}` {why}")));
    if !path.starts_with('/') {
        return refuse("does not start with `/`".to_owned());
    }
    if path.split('/').any(|segment| segment == "." || segment == "..") {
        return refuse("has a `.` or `..` segment".to_owned());
    }
    // RFC 3986 `pchar`s and `/`, plus the braces of placeholders.
    let allowed = |c: char| c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@/%{}".contains(c);
    match path.chars().find(|&c| !allowed(c)) {
        Some(c) => refuse(format!("holds {c:?}, which a URL path cannot carry as it is")),
        None => Ok(()),
    }
}

/// The `{name}` placeholders of a path template, in order.
pub(super) fn path_placeholders(path: &str, pointer: &Pointer) -> Result<Vec<String>, Error> {
    check_path_literal(path, pointer)?;
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let end = after
            .find('}')
            .ok_or_else(|| Error::unsupported(pointer, format!("unclosed `{{` in path `{path}`")))?;
        let name = &after[..end];
        if name.is_empty() || name.contains('{') {
            return Err(Error::unsupported(
                pointer,
                format!("malformed placeholder in path `{path}`"),
            ));
        }
        names.push(name.to_owned());
        rest = &after[end + 1..];
    }
    if rest.contains('}') {
        return Err(Error::unsupported(pointer, format!("unmatched `}}` in path `{path}`")));
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn here() -> Pointer {
        Pointer::root().join("paths")
    }

    #[test]
    fn placeholders_come_in_template_order() {
        let names = path_placeholders("/users/{user_id}/phone_numbers/{id}", &here()).expect("valid");
        assert_eq!(names, ["user_id", "id"]);
        assert_eq!(path_placeholders("/", &here()).expect("valid"), Vec::<String>::new());
    }

    #[test]
    fn malformed_templates_and_literals_are_refused() {
        let reason = |path: &str| match path_placeholders(path, &here()) {
            Ok(names) => panic!("{path} accepted with {names:?}"),
            Err(Error::Unsupported { reason, .. }) => reason,
            Err(other) => panic!("{other:?}"),
        };
        assert_eq!(reason("/a/{id"), "unclosed `{` in path `/a/{id`");
        assert_eq!(reason("/a/{}"), "malformed placeholder in path `/a/{}`");
        assert_eq!(reason("/a/id}"), "unmatched `}` in path `/a/id}`");
        assert_eq!(reason("a"), "the path `a` does not start with `/`");
        assert_eq!(reason("/a/./b"), "the path `/a/./b` has a `.` or `..` segment");
        assert_eq!(
            reason("/a b"),
            "the path `/a b` holds ' ', which a URL path cannot carry as it is"
        );
        assert_eq!(
            reason("/é"),
            "the path `/é` holds 'é', which a URL path cannot carry as it is"
        );
    }

    #[test]
    fn every_pchar_is_allowed() {
        let path = "/a-b._~!$&'()*+,;=:@%20/{x}/..x/.x";
        assert_eq!(path_placeholders(path, &here()).expect("valid"), ["x"]);
    }
}
