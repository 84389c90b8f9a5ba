//! The report in Markdown: breaking changes first, each with the rule that classified it and
//! the JSON pointer of the construct, then the summary line.

use std::fmt::Write as _;

use super::{Class, Diff};

pub(super) fn markdown(diff: &Diff) -> String {
    let mut out = format!("Changes from `{}` to `{}`", diff.from, diff.to);
    if diff.is_empty() {
        out.push_str(": none.\n\n");
    } else {
        out.push_str(".\n");
    }
    for (class, heading) in [(Class::Breaking, "Breaking"), (Class::Additive, "Additive")] {
        let changes: Vec<_> = diff.changes.iter().filter(|c| c.class == class).collect();
        if changes.is_empty() {
            continue;
        }
        let _ = write!(out, "\n### {heading}\n\n");
        for change in changes {
            let rule = serde_json::to_value(change.rule).ok();
            let rule = rule.as_ref().and_then(|v| v.as_str()).unwrap_or_default();
            let _ = writeln!(
                out,
                "- **{}**: {} (`{rule}`, `{}`)",
                change.subject.replace('*', "\\*"),
                change.detail,
                change.pointer
            );
        }
    }
    if !diff.is_empty() {
        out.push('\n');
    }
    let _ = writeln!(out, "{}", diff.summary());
    out
}

/// The change as a Keep a Changelog entry body: a line naming the specs and the summary, then
/// `Added`, `Changed` and `Removed` lists, breaking entries marked.
pub(super) fn changelog_entry(diff: &Diff) -> String {
    use super::Rule;
    let mut out = format!(
        "Regenerated from `{}` (was `{}`): {}.\n",
        diff.to,
        diff.from,
        diff.summary()
    );
    // Keep a Changelog's sections: what is new, what changed, and what went.
    let section = |change: &super::Change| match (change.class, change.rule) {
        (Class::Additive, _) => "Added",
        (
            Class::Breaking,
            Rule::OperationRemoved
            | Rule::TypeRemoved
            | Rule::FieldRemoved
            | Rule::EnumValueRemoved
            | Rule::UnionVariantRemoved
            | Rule::SchemeRemoved
            | Rule::ErrorStatusRemoved,
        ) => "Removed",
        (Class::Breaking, _) => "Changed",
    };
    for heading in ["Added", "Changed", "Removed"] {
        let changes: Vec<_> = diff.changes.iter().filter(|c| section(c) == heading).collect();
        if changes.is_empty() {
            continue;
        }
        let _ = write!(out, "\n### {heading}\n\n");
        for change in changes {
            let mark = if change.class == Class::Breaking {
                "**Breaking:** "
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "- {mark}`{}`: {} (`{}`)",
                change.subject, change.detail, change.pointer
            );
        }
    }
    out
}

/// The heading every changelog starts with.
const CHANGELOG_HEAD: &str = "# Changelog\n\nAll notable changes to this crate are documented in this file.\n\nThe format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/),\nand this crate adheres to [Semantic Versioning](https://semver.org/spec/v2.0.0.html).\n";

/// `changelog` (or a new one) with `entry` at the top of its `Unreleased` section, which is made
/// if there is none.
pub(super) fn add_to_changelog(changelog: Option<&str>, entry: &str) -> String {
    const UNRELEASED: &str = "## [Unreleased]\n";
    let changelog = changelog.unwrap_or(CHANGELOG_HEAD);
    if let Some(at) = changelog.find(UNRELEASED) {
        let after = at + UNRELEASED.len();
        return format!("{}\n{entry}{}", &changelog[..after], &changelog[after..]);
    }
    // Before the first release, or at the end of a changelog without one.
    match changelog.find("\n## ") {
        Some(at) => format!("{}\n{UNRELEASED}\n{entry}{}", &changelog[..at], &changelog[at..]),
        None => format!(
            "{}\n{UNRELEASED}\n{entry}",
            changelog.trim_end_matches('\n').to_owned() + "\n"
        ),
    }
}
