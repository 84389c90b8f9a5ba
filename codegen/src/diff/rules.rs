//! The classification rules, each with the reason it is breaking or additive for a user of the
//! generated crate, and the comparisons that apply them.

use serde::Serialize;

use super::{Change, Class};
use crate::model::{Api, Operation, SchemeKind, StructDef, TypeDef, TypeKind};

/// A kind of change, and how it is classified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// An operation was removed.
    OperationRemoved,
    /// An operation's method or path changed.
    OperationMoved,
    /// An operation's resource or method name changed.
    OperationRenamed,
    /// An operation's path parameters changed.
    PathParametersChanged,
    /// An operation's query type changed, appeared or went.
    QueryChanged,
    /// A required header or cookie parameter was added, or a parameter removed.
    HeaderParametersChanged,
    /// An operation's request body type changed, appeared or went.
    RequestBodyChanged,
    /// An operation's request body is sent in another content type.
    ContentTypeChanged,
    /// An operation's success type changed.
    ResponseChanged,
    /// A status no longer maps to the typed error.
    ErrorStatusRemoved,
    /// An operation's security requirements changed.
    SecurityChanged,
    /// A security scheme was removed, or its kind changed.
    SchemeRemoved,
    /// A type was removed.
    TypeRemoved,
    /// A type became another kind of type (a struct an enum, say).
    TypeKindChanged,
    /// A field was removed.
    FieldRemoved,
    /// A required field was added.
    RequiredFieldAdded,
    /// A field's Rust type changed: its schema, or its requiredness or nullability as Rust
    /// represents them.
    FieldTypeChanged,
    /// An enum value was removed.
    EnumValueRemoved,
    /// A union variant was removed.
    UnionVariantRemoved,
    /// An operation was added.
    OperationAdded,
    /// An optional header or cookie parameter was added.
    HeaderParameterAdded,
    /// A status now maps to the typed error.
    ErrorStatusAdded,
    /// A security scheme was added.
    SchemeAdded,
    /// A type was added.
    TypeAdded,
    /// An optional field was added.
    OptionalFieldAdded,
    /// An enum value was added.
    EnumValueAdded,
    /// A union variant was added.
    UnionVariantAdded,
}

impl Rule {
    /// Every rule, breaking ones first.
    pub const ALL: [Rule; 27] = [
        Rule::OperationRemoved,
        Rule::OperationMoved,
        Rule::OperationRenamed,
        Rule::PathParametersChanged,
        Rule::QueryChanged,
        Rule::HeaderParametersChanged,
        Rule::RequestBodyChanged,
        Rule::ContentTypeChanged,
        Rule::ResponseChanged,
        Rule::ErrorStatusRemoved,
        Rule::SecurityChanged,
        Rule::SchemeRemoved,
        Rule::TypeRemoved,
        Rule::TypeKindChanged,
        Rule::FieldRemoved,
        Rule::RequiredFieldAdded,
        Rule::FieldTypeChanged,
        Rule::EnumValueRemoved,
        Rule::UnionVariantRemoved,
        Rule::OperationAdded,
        Rule::HeaderParameterAdded,
        Rule::ErrorStatusAdded,
        Rule::SchemeAdded,
        Rule::TypeAdded,
        Rule::OptionalFieldAdded,
        Rule::EnumValueAdded,
        Rule::UnionVariantAdded,
    ];

    /// Breaking or additive.
    pub fn class(self) -> Class {
        if self >= Rule::OperationAdded {
            Class::Additive
        } else {
            Class::Breaking
        }
    }

    /// Why, for the table of MAINTAINING.md.
    pub fn reason(self) -> &'static str {
        match self {
            Rule::OperationRemoved => "its method is gone: calls to it stop compiling",
            Rule::OperationMoved => "the same call goes to another method or path",
            Rule::OperationRenamed => "calls by the old resource or method name stop compiling",
            Rule::PathParametersChanged => "the method's arguments change",
            Rule::QueryChanged => "the method's query argument changes type, appears or goes",
            Rule::HeaderParametersChanged => "a required one is a new argument; a removed setter stops compiling",
            Rule::RequestBodyChanged => "the method's body argument changes type, appears or goes",
            Rule::ContentTypeChanged => "the same body goes on the wire in another format",
            Rule::ResponseChanged => "the call returns another type",
            Rule::ErrorStatusRemoved => "that status gives `Error::UnexpectedStatus`, without the typed body",
            Rule::SecurityChanged => "a call may need a credential it did not, or send another",
            Rule::SchemeRemoved => "its builder method is gone or takes another credential",
            Rule::TypeRemoved => "code that names it stops compiling",
            Rule::TypeKindChanged => "its fields, variants and methods are different",
            Rule::FieldRemoved => "code that reads or sets it stops compiling",
            Rule::RequiredFieldAdded => "the type's `new` takes one more argument",
            Rule::FieldTypeChanged => "code that reads or sets it sees another type",
            Rule::EnumValueRemoved => "its variant is gone; the value decodes into `Unknown`",
            Rule::UnionVariantRemoved => "its variant is gone; the value decodes into `Unknown`",
            Rule::OperationAdded => "a new method",
            Rule::HeaderParameterAdded => "a new setter on the call",
            Rule::ErrorStatusAdded => {
                "that status gives `Error::Api` with the typed body; `status()` and the message are as before"
            }
            Rule::SchemeAdded => "a new builder method",
            Rule::TypeAdded => "a new type",
            Rule::OptionalFieldAdded => "models are `#[non_exhaustive]` with setters: no struct literal breaks",
            Rule::EnumValueAdded => "enums are open: the value decoded into `Unknown` before",
            Rule::UnionVariantAdded => "unions are open: the value decoded into `Unknown` before",
        }
    }
}

fn change(rule: Rule, pointer: &str, subject: String, detail: String) -> Change {
    Change {
        class: rule.class(),
        rule,
        pointer: pointer.to_owned(),
        subject,
        detail,
    }
}

fn operation_subject(op: &Operation) -> String {
    format!("{} ({} {})", op.id, op.http_method, op.path)
}

/// A change to a whole operation.
pub(super) fn operation(rule: Rule, op: &Operation, detail: String) -> Change {
    change(rule, op.pointer.as_str(), operation_subject(op), detail)
}

/// A change to a whole type.
pub(super) fn type_change(rule: Rule, def: &TypeDef, detail: String) -> Change {
    change(rule, def.pointer.as_str(), def.name.clone(), detail)
}

fn text(ty: Option<&crate::model::TypeRef>) -> String {
    ty.map_or_else(|| "nothing".to_owned(), |ty| format!("`{}`", ty.rust()))
}

/// The changes to one operation found in both specs.
pub(super) fn operation_changes(
    old_api: &Api,
    (old_resource, old): (&str, &Operation),
    new_api: &Api,
    (new_resource, new): (&str, &Operation),
    changes: &mut Vec<Change>,
) {
    let mut push = |rule: Rule, detail: String| changes.push(operation(rule, new, detail));
    if (old.http_method, &old.path) != (new.http_method, &new.path) {
        push(Rule::OperationMoved, format!("was `{} {}`", old.http_method, old.path));
    }
    if (old_resource, &old.method_name) != (new_resource, &new.method_name) {
        push(
            Rule::OperationRenamed,
            format!(
                "`{old_resource}().{}` is now `{new_resource}().{}`",
                old.method_name, new.method_name
            ),
        );
    }
    request_changes(old, new, &mut push);
    response_changes(old, new, &mut push);
    let security = |api: &Api, op: &Operation| -> Vec<Vec<String>> {
        let name = |index: &usize| api.schemes.get(*index).map_or_else(String::new, |s| s.name.clone());
        op.security
            .iter()
            .map(|alternative| alternative.iter().map(name).collect())
            .collect()
    };
    if security(old_api, old) != security(new_api, new) {
        push(
            Rule::SecurityChanged,
            format!("{:?} is now {:?}", security(old_api, old), security(new_api, new)),
        );
    }
}

/// Changes to what an operation sends: its path parameters, query, headers and body.
fn request_changes(old: &Operation, new: &Operation, push: &mut impl FnMut(Rule, String)) {
    let params = |op: &Operation| -> Vec<String> {
        op.path_params
            .iter()
            .map(|p| format!("{}: {}", p.rust_name, p.ty.rust()))
            .collect()
    };
    if params(old) != params(new) {
        push(
            Rule::PathParametersChanged,
            format!("({}) is now ({})", params(old).join(", "), params(new).join(", ")),
        );
    }
    if old.query != new.query {
        push(Rule::QueryChanged, format!("{:?} is now {:?}", old.query, new.query));
    }
    header_params(old, new, push);
    let body = |op: &Operation| op.body.as_ref().map(|b| b.ty.clone());
    if body(old) != body(new) {
        push(
            Rule::RequestBodyChanged,
            format!("{} is now {}", text(body(old).as_ref()), text(body(new).as_ref())),
        );
    } else if let (Some(was), Some(is)) = (&old.body, &new.body)
        && was.media_type != is.media_type
    {
        push(
            Rule::ContentTypeChanged,
            format!("`{}` is now `{}`", was.media_type, is.media_type),
        );
    }
}

/// Changes to what an operation returns: its success and its listed errors.
fn response_changes(old: &Operation, new: &Operation, push: &mut impl FnMut(Rule, String)) {
    if (&old.response, old.response_optional, old.redirect_statuses.is_empty())
        != (&new.response, new.response_optional, new.redirect_statuses.is_empty())
    {
        push(
            Rule::ResponseChanged,
            format!("{} is now {}", text(old.response.as_ref()), text(new.response.as_ref())),
        );
    }
    for status in old.error_statuses.iter().filter(|s| !new.error_statuses.contains(s)) {
        push(
            Rule::ErrorStatusRemoved,
            format!("{status} is no longer a listed error"),
        );
    }
    for status in new.error_statuses.iter().filter(|s| !old.error_statuses.contains(s)) {
        push(Rule::ErrorStatusAdded, format!("{status} is a listed error"));
    }
}

fn header_params(old: &Operation, new: &Operation, push: &mut impl FnMut(Rule, String)) {
    for param in &new.header_params {
        match old.header_params.iter().find(|p| p.wire_name == param.wire_name) {
            None if param.required => push(
                Rule::HeaderParametersChanged,
                format!("`{}` is a new required argument", param.wire_name),
            ),
            None => push(
                Rule::HeaderParameterAdded,
                format!("`.{}(..)` sets `{}`", param.rust_name, param.wire_name),
            ),
            Some(was) if (was.required, &was.ty) != (param.required, &param.ty) => {
                push(Rule::HeaderParametersChanged, format!("`{}` changed", param.wire_name));
            }
            Some(_) => {}
        }
    }
    for param in old
        .header_params
        .iter()
        .filter(|p| !new.header_params.iter().any(|n| n.wire_name == p.wire_name))
    {
        push(
            Rule::HeaderParametersChanged,
            format!("`{}` was removed", param.wire_name),
        );
    }
}

/// The changes to the security schemes.
pub(super) fn schemes(old: &Api, new: &Api, changes: &mut Vec<Change>) {
    let pointer = |name: &str| format!("#/components/securitySchemes/{name}");
    for scheme in &old.schemes {
        match new.schemes.iter().find(|s| s.name == scheme.name) {
            None => changes.push(change(
                Rule::SchemeRemoved,
                &pointer(&scheme.name),
                scheme.name.clone(),
                format!("`{}(..)` is gone", scheme.setter),
            )),
            Some(now) if now.kind != scheme.kind || now.setter != scheme.setter => changes.push(change(
                Rule::SchemeRemoved,
                &pointer(&scheme.name),
                scheme.name.clone(),
                format!("is now sent {}", describe_kind(&now.kind)),
            )),
            Some(_) => {}
        }
    }
    for scheme in new
        .schemes
        .iter()
        .filter(|s| !old.schemes.iter().any(|o| o.name == s.name))
    {
        changes.push(change(
            Rule::SchemeAdded,
            &pointer(&scheme.name),
            scheme.name.clone(),
            format!("`{}(..)` on the builder", scheme.setter),
        ));
    }
}

fn describe_kind(kind: &SchemeKind) -> String {
    match kind {
        SchemeKind::Bearer => "as a bearer token".to_owned(),
        SchemeKind::Basic => "with HTTP Basic".to_owned(),
        SchemeKind::ApiKey { location, name } => format!("as the key `{name}` in the {location:?}").to_lowercase(),
    }
}

/// The changes to one type found in both specs.
pub(super) fn type_changes(old: &TypeDef, new: &TypeDef, changes: &mut Vec<Change>) {
    if let (TypeKind::Struct(was), TypeKind::Struct(is)) = (&old.kind, &new.kind) {
        return fields(new, was, is, changes);
    }
    match (member_names(&old.kind), member_names(&new.kind)) {
        (Some((was, rules)), Some((is, same))) if rules == same => members(new, &was, &is, rules, changes),
        _ => changes.push(type_change(
            Rule::TypeKindChanged,
            new,
            format!("was {}, is {}", kind(&old.kind), kind(&new.kind)),
        )),
    }
}

/// The values of an enum or the variants of a union, by what the spec calls them, and the
/// rules for removing and adding one; `None` for a struct.
fn member_names(kind: &TypeKind) -> Option<(Vec<String>, (Rule, Rule))> {
    const VARIANTS: (Rule, Rule) = (Rule::UnionVariantRemoved, Rule::UnionVariantAdded);
    match kind {
        TypeKind::Struct(_) => None,
        TypeKind::Enum(def) => Some((
            def.variants.iter().map(|v| v.wire.clone()).collect(),
            (Rule::EnumValueRemoved, Rule::EnumValueAdded),
        )),
        TypeKind::Union(def) => Some((def.variants.iter().map(|v| v.tag.clone()).collect(), VARIANTS)),
        // An untagged variant has no tag: its payload type names it.
        TypeKind::Untagged(def) => Some((def.variants.iter().map(|v| v.ty.rust().to_string()).collect(), VARIANTS)),
    }
}

fn kind(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "a struct",
        TypeKind::Enum(_) => "an enum",
        TypeKind::Union(_) => "a tagged union",
        TypeKind::Untagged(_) => "an untagged union",
    }
}

fn members(def: &TypeDef, was: &[String], is: &[String], (removed, added): (Rule, Rule), changes: &mut Vec<Change>) {
    let mut push = |rule: Rule, value: &str, how: &str| {
        let (subject, detail) = (format!("{}::{value}", def.name), format!("`{value}` was {how}"));
        changes.push(change(rule, def.pointer.as_str(), subject, detail));
    };
    for value in was.iter().filter(|v| !is.contains(v)) {
        push(removed, value, "removed");
    }
    for value in is.iter().filter(|v| !was.contains(v)) {
        push(added, value, "added");
    }
}

fn fields(def: &TypeDef, was: &StructDef, is: &StructDef, changes: &mut Vec<Change>) {
    let pointer = |name: &str| def.pointer.join("properties").join(name).as_str().to_owned();
    let subject = |name: &str| format!("{}.{name}", def.name);
    for field in &was.fields {
        let Some(now) = is.fields.iter().find(|f| f.wire_name == field.wire_name) else {
            changes.push(change(
                Rule::FieldRemoved,
                &pointer(&field.wire_name),
                subject(&field.wire_name),
                "was removed".to_owned(),
            ));
            continue;
        };
        let (before, after) = (field.rust_type().to_string(), now.rust_type().to_string());
        if before != after {
            changes.push(change(
                Rule::FieldTypeChanged,
                &pointer(&now.wire_name),
                subject(&now.wire_name),
                format!("`{before}` is now `{after}`"),
            ));
        }
    }
    for field in is
        .fields
        .iter()
        .filter(|f| !was.fields.iter().any(|o| o.wire_name == f.wire_name))
    {
        let rule = if field.presence.is_required() {
            Rule::RequiredFieldAdded
        } else {
            Rule::OptionalFieldAdded
        };
        changes.push(change(
            rule,
            &pointer(&field.wire_name),
            subject(&field.wire_name),
            format!("`{}`", field.rust_type()),
        ));
    }
}
