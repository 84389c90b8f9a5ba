//! The rustdoc of each operation method: the spec's prose and arguments, then the example and
//! the errors the generator writes.

use super::docs::sentence;
use super::examples::Example;
use crate::model::{Api, CursorRules, KeyLocation, Operation, PageBy, Resource};

/// The prose of a method's rustdoc: summary, description and arguments, which quote the spec.
pub(super) fn method_doc(operation: &Operation) -> String {
    let mut sections = Vec::new();
    if let Some(summary) = &operation.summary {
        sections.push(summary.trim().to_owned());
    }
    if let Some(description) = &operation.description {
        let description = description.trim();
        if Some(description) != operation.summary.as_deref().map(str::trim) {
            sections.push(description.to_owned());
        }
    }
    sections.push(format!(
        "`{} {}` (`{}`)",
        operation.http_method, operation.path, operation.id
    ));
    let arguments = arguments(operation);
    if !arguments.is_empty() {
        sections.push(format!("# Arguments\n\n{}", arguments.join("\n")));
    }
    let setters: Vec<String> = operation
        .header_params
        .iter()
        .filter(|param| !param.required)
        .map(|param| {
            format!(
                "`.{}(..)` (`{}`)",
                crate::names::unraw(&param.rust_name),
                param.wire_name
            )
        })
        .collect();
    if !setters.is_empty() {
        sections.push(format!(
            "Optional parameters are set on the returned call: {}.",
            setters.join(", ")
        ));
    }
    sections.extend(pages_doc(operation));
    sections.join("\n\n")
}

/// The `# Pages` section of a list operation: how `.paginate()` walks it.
fn pages_doc(operation: &Operation) -> Option<String> {
    let walk = pages_sentence(operation)?;
    Some(format!("# Pages\n\n{walk} (see [`pagination`](crate::pagination))."))
}

/// How `.paginate()` walks a list operation, as a sentence without its full stop; `None` for
/// any other operation.
pub(super) fn pages_sentence(operation: &Operation) -> Option<String> {
    let pagination = operation.pagination.as_ref()?;
    let by = match &pagination.by {
        PageBy::Offset(param) => format!("by `{param}`"),
        PageBy::Cursor { param, rules, .. } => format!("by the `{param}` cursor{}", cursor_rules_clause(param, rules)),
    };
    let size = match (&pagination.limit, pagination.max_page_size) {
        (Some(limit), Some(max)) => format!(", {max} items a request (`{limit}`)"),
        _ => String::new(),
    };
    Some(format!(
        "A list: `.paginate()` on the returned call pages through it {by}{size}, as a stream of items or pages"
    ))
}

/// What a cursor's rules make of a call outside them, as a clause; empty without rules.
fn cursor_rules_clause(cursor: &str, rules: &CursorRules) -> String {
    let mut broken: Vec<String> = rules
        .allows
        .iter()
        .map(|(param, values)| {
            let values: Vec<String> = values.iter().map(|value| format!("`{value}`")).collect();
            format!("`{param}` other than {}", values.join(", "))
        })
        .collect();
    broken.extend(rules.excludes.iter().map(|(param, default)| match default {
        Some(default) => format!("`{param}` other than `{default}`"),
        None => format!("`{param}`"),
    }));
    if broken.is_empty() {
        return String::new();
    }
    let outcome = match &rules.fallback {
        Some(offset) => format!("pages by `{offset}` instead"),
        None => "fails before it is sent".to_owned(),
    };
    format!(
        " (a call with {}, which the `{cursor}` cursor does not allow, {outcome})",
        broken.join(" or ")
    )
}

/// The `# Arguments` lines of a method: its path parameters, required header and cookie
/// parameters, query and body, in the order the method takes them.
fn arguments(operation: &Operation) -> Vec<String> {
    let mut arguments: Vec<String> = operation
        .path_params
        .iter()
        .map(|param| {
            let doc = param.doc.as_deref().map(sentence).unwrap_or_default();
            format!(
                "- `{}`: {doc} Sent as one percent-encoded path segment.",
                param.wire_name
            )
        })
        .collect();
    for param in operation.header_params.iter().filter(|param| param.required) {
        let doc = param.doc.as_deref().map(sentence).unwrap_or_default();
        let place = match param.location {
            KeyLocation::Cookie => "cookie",
            _ => "header",
        };
        arguments.push(format!(
            "- `{}`: {doc} Sent as the `{}` {place}.",
            param.rust_name, param.wire_name
        ));
    }
    if let Some(query) = &operation.query {
        arguments.push(format!(
            "- `query`: the query parameters, see [`{query}`](crate::models::{query})."
        ));
    }
    if let Some(body) = &operation.body {
        let doc = body
            .doc
            .as_deref()
            .map(sentence)
            .unwrap_or_else(|| "The request body.".to_owned());
        arguments.push(format!("- `body`: {doc}"));
    }
    arguments
}

/// The sections of a method's rustdoc that the generator writes itself, after the prose: the
/// example, a doctest that must stay one, and the errors.
pub(super) fn method_doc_generated(api: &Api, lib: &str, resource: &Resource, operation: &Operation) -> String {
    format!(
        "\n# Example\n\n{}\n\n{}",
        Example::new(api, resource, operation).rustdoc(lib),
        errors_doc(operation)
    )
}

fn errors_doc(operation: &Operation) -> String {
    let mut lines = vec!["# Errors".to_owned(), String::new()];
    if !operation.error_statuses.is_empty() {
        let statuses: Vec<String> = operation.error_statuses.iter().map(u16::to_string).collect();
        lines.push(format!(
            "- [`Error::Api`](crate::Error::Api) with the parsed Clerk errors for {}.",
            statuses.join(", ")
        ));
    }
    lines
        .push("- [`Error::UnexpectedStatus`](crate::Error::UnexpectedStatus) for any other non-2xx status.".to_owned());
    lines.push("- [`Error::Decode`](crate::Error::Decode) if the response body does not match its schema.".to_owned());
    let mut refused = Vec::new();
    if !operation.path_params.is_empty() {
        refused.push("an empty path parameter or one that is `.` or `..`");
    }
    if operation.query.is_some() || operation.body.is_some() {
        refused
            .push("a parameter or body field that breaks the spec's constraints (a range, a length, an enum's values)");
    }
    if !refused.is_empty() {
        lines.push(format!(
            "- [`Error::InvalidRequest`](crate::Error::InvalidRequest), before anything is sent, for {}.",
            refused.join(", or ")
        ));
    }
    lines.push(
        "- [`Error::Transport`](crate::Error::Transport) if the request could not be sent or the response not read."
            .to_owned(),
    );
    lines.join("\n")
}
