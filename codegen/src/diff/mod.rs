//! What a new spec changes for users of the generated Rust crate: two lowered models compared,
//! each change classified by its effect on code written against the old crate.
//!
//! The comparison is of the models, not the YAML, so it sees what the Rust API sees. An enum
//! value or a union variant added is not breaking, since enums and unions are open; a field
//! that turned nullable in a type only ever received keeps its `Option<T>`, so it is no change
//! at all; a required field added changes a constructor, so it breaks.

mod report;
mod rules;

use std::collections::BTreeMap;

use serde::Serialize;

pub use rules::Rule;

use crate::model::{Api, Operation, TypeDef};

/// `changelog` (a Keep a Changelog file, or `None` for a new one) with `entry` at the top of its
/// `## [Unreleased]` section, which is added if it has none.
pub fn add_to_changelog(changelog: Option<&str>, entry: &str) -> String {
    report::add_to_changelog(changelog, entry)
}

/// Whether a change can break code that compiled against the old crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// Code that compiled may stop compiling, or the same call behaves differently.
    Breaking,
    /// Nothing that compiled stops compiling or changes behaviour.
    Additive,
}

/// One change, tied to where the spec makes it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    /// Breaking or additive: the rule's class.
    pub class: Class,
    /// The rule that classified it.
    pub rule: Rule,
    /// The JSON pointer of the construct, in the new spec (in the old one, for a removal).
    pub pointer: String,
    /// What changed, such as `GetUser (GET /users/{user_id})` or `User.email_address`.
    pub subject: String,
    /// How, in a sentence.
    pub detail: String,
}

/// Every change from `old` to `new`, ordered breaking first, then by rule and pointer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diff {
    /// The old spec's label, such as `bapi-2025-11-10.yml`.
    pub from: String,
    /// The new spec's label.
    pub to: String,
    /// The changes.
    pub changes: Vec<Change>,
    /// How many are breaking.
    pub breaking: usize,
    /// How many are additive.
    pub additive: usize,
}

impl Diff {
    /// Compares two lowered models.
    pub fn new(from: impl Into<String>, old: &Api, to: impl Into<String>, new: &Api) -> Self {
        let mut changes = Vec::new();
        rules::schemes(old, new, &mut changes);
        operations(old, new, &mut changes);
        types(old, new, &mut changes);
        changes.sort();
        changes.dedup();
        let breaking = changes.iter().filter(|c| c.class == Class::Breaking).count();
        Diff {
            from: from.into(),
            to: to.into(),
            additive: changes.len() - breaking,
            breaking,
            changes,
        }
    }

    /// `N breaking, M additive`.
    pub fn summary(&self) -> String {
        format!("{} breaking, {} additive", self.breaking, self.additive)
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The report in Markdown, ending with the summary line.
    pub fn markdown(&self) -> String {
        report::markdown(self)
    }

    /// The change as an entry of a Keep a Changelog file's `Unreleased` section.
    pub fn changelog_entry(&self) -> String {
        report::changelog_entry(self)
    }

    /// The report as JSON, pretty-printed; the same for the same specs on every run.
    pub fn json(&self) -> String {
        // A struct of strings and numbers always serializes.
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }
}

fn operations(old: &Api, new: &Api, changes: &mut Vec<Change>) {
    let by_id = |api: &'_ Api| -> BTreeMap<String, (String, Operation)> {
        api.resources
            .iter()
            .flat_map(|r| {
                r.operations
                    .iter()
                    .map(move |op| (op.id.clone(), (r.accessor.clone(), op.clone())))
            })
            .collect()
    };
    let (old_ops, new_ops) = (by_id(old), by_id(new));
    for (id, (_, op)) in &old_ops {
        if !new_ops.contains_key(id) {
            changes.push(rules::operation(
                Rule::OperationRemoved,
                op,
                "is no longer in the spec".to_owned(),
            ));
        }
    }
    for (id, (accessor, op)) in &new_ops {
        match old_ops.get(id) {
            None => changes.push(rules::operation(
                Rule::OperationAdded,
                op,
                format!("`clerk.{accessor}().{}(..)`", crate::names::unraw(&op.method_name)),
            )),
            Some((old_accessor, old_op)) => {
                rules::operation_changes(old, (old_accessor, old_op), new, (accessor, op), changes)
            }
        }
    }
}

fn types(old: &Api, new: &Api, changes: &mut Vec<Change>) {
    let by_name =
        |api: &'_ Api| -> BTreeMap<String, TypeDef> { api.types.iter().map(|t| (t.name.clone(), t.clone())).collect() };
    let (old_types, new_types) = (by_name(old), by_name(new));
    for (name, def) in &old_types {
        if !new_types.contains_key(name) {
            changes.push(rules::type_change(
                Rule::TypeRemoved,
                def,
                "is no longer generated".to_owned(),
            ));
        }
    }
    for (name, def) in &new_types {
        match old_types.get(name) {
            None => changes.push(rules::type_change(Rule::TypeAdded, def, "is new".to_owned())),
            Some(old_def) => rules::type_changes(old_def, def, changes),
        }
    }
}

#[cfg(test)]
mod tests;
