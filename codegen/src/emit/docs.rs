//! Turning spec descriptions into rustdoc that builds without warnings.

use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};

/// `#[doc = "..."]` attributes, one per line, for text from the spec (or `#![doc]` if `inner`).
///
/// The text is made safe for rustdoc first: see [`sanitize`].
pub(crate) fn doc_attrs(text: &str, inner: bool) -> TokenStream {
    attrs(&sanitize(text), inner)
}

/// `#[doc = "..."]` attributes for text the generator wrote itself, taken as it is: its code
/// fences are doctests on purpose.
pub(crate) fn generated_doc_attrs(text: &str) -> TokenStream {
    own_doc_attrs(text, false)
}

/// [`generated_doc_attrs`], as inner (`#![doc]`) or outer attributes.
pub(crate) fn own_doc_attrs(text: &str, inner: bool) -> TokenStream {
    let lines: Vec<String> = text.lines().map(str::to_owned).collect();
    attrs(&lines, inner)
}

/// Spec prose for a line of the generator's own text (a title in a sentence): sanitized as
/// [`sanitize`] does, on one line.
pub(crate) fn inline(text: &str) -> String {
    sanitize(text).join(" ")
}

/// One doc attribute per line.
fn attrs(lines: &[String], inner: bool) -> TokenStream {
    // Built token by token: docs are a large share of the output, and `quote!` would copy
    // each attribute again into the stream that collects them.
    let mut tokens = TokenStream::new();
    for line in lines {
        // A leading space makes prettyplease print `/// text` rather than `///text`.
        let literal = if line.is_empty() {
            Literal::string("")
        } else {
            Literal::string(&format!(" {line}"))
        };
        let attribute = TokenStream::from_iter([
            TokenTree::Ident(Ident::new("doc", Span::call_site())),
            TokenTree::Punct(Punct::new('=', Spacing::Alone)),
            TokenTree::Literal(literal),
        ]);
        tokens.extend([TokenTree::Punct(Punct::new('#', Spacing::Alone))]);
        if inner {
            tokens.extend([TokenTree::Punct(Punct::new('!', Spacing::Alone))]);
        }
        tokens.extend([TokenTree::Group(Group::new(Delimiter::Bracket, attribute))]);
    }
    tokens
}

/// Spec prose joined onto one line and ended with a full stop, for list items and table cells.
pub(crate) fn sentence(text: &str) -> String {
    let mut line = sanitize(text).join(" ");
    if !line.is_empty() && !line.ends_with(['.', '!', '?']) {
        line.push('.');
    }
    line
}

/// Prepares spec prose for rustdoc, line by line:
///
/// - code fences that rustdoc would compile as doctests (no language, `rust`, or only rustdoc's
///   own attributes such as `no_run`) become ```` ```text ````: spec prose is not Rust;
/// - indentation is removed outside fences, since four spaces would start a doctest too;
/// - bare `http(s)://` URLs are wrapped in `<>`, as rustdoc's `bare_urls` lint asks;
/// - `[` and `]` are escaped unless they form a Markdown link, so they are not taken for
///   broken intra-doc links;
/// - trailing blank lines are dropped.
pub(crate) fn sanitize(text: &str) -> Vec<String> {
    let mut in_fence = false;
    let mut lines: Vec<String> = text
        .lines()
        .map(|line| {
            let trimmed = line.trim();
            if let Some(lang) = trimmed.strip_prefix("```") {
                in_fence = !in_fence;
                return if in_fence && is_doctest_fence(lang) {
                    "```text".to_owned()
                } else {
                    trimmed.to_owned()
                };
            }
            if in_fence {
                line.trim_end().to_owned()
            } else {
                escape_brackets(&wrap_bare_urls(trimmed))
            }
        })
        .collect();
    if in_fence {
        lines.push("```".to_owned());
    }
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    while lines.first().is_some_and(String::is_empty) {
        lines.remove(0);
    }
    lines
}

/// Whether rustdoc takes a fence with this info string for Rust, and so compiles it: when it is
/// empty, or says `rust`, or holds only rustdoc's own attributes (`ignore`, `no_run`, ...).
fn is_doctest_fence(info: &str) -> bool {
    const RUSTDOC_ATTRIBUTES: &[&str] = &[
        "rust",
        "ignore",
        "no_run",
        "should_panic",
        "compile_fail",
        "test_harness",
        "standalone_crate",
        "edition2015",
        "edition2018",
        "edition2021",
        "edition2024",
    ];
    let words: Vec<&str> = info
        .split([',', ' ', '\t'])
        .map(str::trim)
        .filter(|word| !word.is_empty())
        .collect();
    words.contains(&"rust")
        || words
            .iter()
            .all(|word| RUSTDOC_ATTRIBUTES.contains(word) || word.starts_with("ignore-"))
}

/// Wraps URLs that are not already inside `<>`, `()` or backticks in `<>`.
fn wrap_bare_urls(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = find_url(rest) {
        let (before, from_url) = rest.split_at(start);
        let end = from_url
            .find(|c: char| c.is_whitespace() || matches!(c, ')' | '>' | '`' | '"' | '\''))
            .unwrap_or(from_url.len());
        let (url, after) = from_url.split_at(end);
        // Keep sentence punctuation outside the link.
        let url_trimmed = url.trim_end_matches(['.', ',', ';', ':']);
        let tail = &url[url_trimmed.len()..];
        // A link target `](url)`, an autolink `<url>` or code: leave as is.
        let already_marked = before.ends_with("](") || before.ends_with(['<', '`']);
        out.push_str(before);
        if already_marked {
            out.push_str(url);
        } else {
            out.push('<');
            out.push_str(url_trimmed);
            out.push('>');
            out.push_str(tail);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

fn find_url(text: &str) -> Option<usize> {
    match (text.find("https://"), text.find("http://")) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Escapes `[`/`]` that do not form `[text](target)`, outside inline code.
fn escape_brackets(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_code = false;
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '`' => {
                in_code = !in_code;
                out.push(c);
            }
            '[' if !in_code => {
                let close = chars[i..].iter().position(|&c| c == ']').map(|p| p + i);
                match close {
                    Some(close) if chars.get(close + 1) == Some(&'(') => {
                        out.extend(&chars[i..=close]);
                        i = close;
                    }
                    _ => out.push_str("\\["),
                }
            }
            ']' if !in_code => out.push_str("\\]"),
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_urls_are_wrapped_and_links_are_kept() {
        assert_eq!(
            sanitize("Please see https://clerk.com/docs.")[0],
            "Please see <https://clerk.com/docs>."
        );
        assert_eq!(
            sanitize("[Clerk API Versions](https://clerk.com/docs/versioning)")[0],
            "[Clerk API Versions](https://clerk.com/docs/versioning)"
        );
        assert_eq!(sanitize("see <https://a.b>")[0], "see <https://a.b>");
        // A link broken by a space is not a link: its URL is wrapped and its text escaped.
        assert_eq!(
            sanitize("the [org] (https://a.b/x)")[0],
            "the \\[org\\] (<https://a.b/x>)"
        );
    }

    #[test]
    fn brackets_and_fences_are_made_harmless() {
        assert_eq!(sanitize("an [array] of `[x]`")[0], "an \\[array\\] of `[x]`");
        assert_eq!(sanitize("```\ncode\n```"), ["```text", "code", "```"]);
        assert_eq!(sanitize("```json\n{}"), ["```json", "{}", "```"]);
        assert_eq!(sanitize("```rust\nlet x;\n```"), ["```text", "let x;", "```"]);
        assert_eq!(sanitize("``` no_run\nx\n```"), ["```text", "x", "```"]);
        assert_eq!(sanitize("```rust,ignore\nx\n```")[0], "```text");
        assert_eq!(sanitize("```sh\nx\n```")[0], "```sh");
        assert_eq!(sanitize("    indented\n\n"), ["indented"]);
    }
}
