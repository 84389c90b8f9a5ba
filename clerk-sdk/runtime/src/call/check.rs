//! Checking what a call sends against the spec's constraints, before anything is sent: the
//! [`Rule`]s on each field (ranges, lengths, item counts) and the values a string enum lists.
//! The request is walked as JSON against the [`Schema`] its type describes, so the check is
//! written once for every generated type.
//!
//! A violation names the parameter or field, where the value is (a JSON pointer into the body)
//! and the constraint, never the value, which may be personal data.

use serde::Serialize;
use serde_json::Value;

use super::Call;
use super::prepare::Stage;
use crate::drift::schema::{Modeled, Rule, Schema};

impl<A, T, P> Call<A, T, P> {
    /// Checks a request part against the spec's constraints, unless the client turned the
    /// checks off.
    pub(super) fn check_part(&self, value: &Value, schema: &Schema, part: Part) -> Result<(), String> {
        if self.client.check_requests {
            check(value, schema, part)
        } else {
            Ok(())
        }
    }

    /// Checks a body against the spec's constraints (see [`Call::check_part`]), recording a
    /// violation to report when the call is sent; `false` when there is one.
    pub(super) fn check_body<B: Serialize + Modeled + ?Sized>(&mut self, body: &B) -> bool {
        if !self.client.check_requests {
            return true;
        }
        let checked = serde_json::to_value(body)
            .map_err(|e| format!("cannot serialize the request body: {e}"))
            .and_then(|value| check(&value, B::schema(), Part::Body));
        match checked {
            Ok(()) => true,
            Err(reason) => {
                self.defer(Stage::Body, reason);
                false
            }
        }
    }
}

/// What is checked: the query parameters or the body. Says how a violation names its place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Part {
    /// The query parameters: a top-level field is a parameter.
    Query,
    /// The request body.
    Body,
}

/// Checks `value`, a serialized request part, against `schema`. `Err` says the first
/// violation met, in field order.
pub(super) fn check(value: &Value, schema: &Schema, part: Part) -> Result<(), String> {
    let mut path = Vec::new();
    walk(value, schema, &mut path).map_err(|violation| describe(part, &path, &violation))
}

/// Walks `value`; on a violation `path` holds where it is.
fn walk(value: &Value, schema: &Schema, path: &mut Vec<String>) -> Result<(), String> {
    match (schema, value) {
        (Schema::Struct(def), Value::Object(object)) => {
            for field in def.fields {
                let Some(item) = object.get(field.name).filter(|item| !item.is_null()) else {
                    continue;
                };
                path.push(field.name.to_owned());
                if let Some(broken) = field.rules.iter().find(|rule| !holds(rule, item)) {
                    return Err(constraint(broken));
                }
                walk(item, (field.schema)(), path)?;
                path.pop();
            }
            Ok(())
        }
        (Schema::Array(items), Value::Array(values)) => {
            each(values.iter().enumerate(), items(), path, |i| i.to_string())
        }
        (Schema::Map(values), Value::Object(object)) => each(object.iter(), values(), path, |key| (*key).clone()),
        (Schema::Nullable(inner), _) => walk(value, inner(), path),
        (Schema::Enum(def), Value::String(text)) if !(def.is_known)(text) => {
            Err("must be one of the values the spec lists".to_owned())
        }
        _ => Ok(()),
    }
}

/// Walks each item of a collection, its key in `path`.
fn each<'v, K>(
    items: impl Iterator<Item = (K, &'v Value)>,
    schema: &Schema,
    path: &mut Vec<String>,
    key: impl Fn(&K) -> String,
) -> Result<(), String> {
    for (k, item) in items {
        path.push(key(&k));
        walk(item, schema, path)?;
        path.pop();
    }
    Ok(())
}

/// Whether `value` keeps `rule`. A rule on a value of another JSON type does not apply.
fn holds(rule: &Rule, value: &Value) -> bool {
    let number = value.as_f64();
    let length = value.as_str().map(|text| text.chars().count() as u64);
    let count = value.as_array().map(|items| items.len() as u64);
    match *rule {
        Rule::Minimum(min) => number.is_none_or(|n| n >= min),
        Rule::Maximum(max) => number.is_none_or(|n| n <= max),
        Rule::Above(min) => number.is_none_or(|n| n > min),
        Rule::Below(max) => number.is_none_or(|n| n < max),
        Rule::MinLength(min) => length.is_none_or(|n| n >= min),
        Rule::MaxLength(max) => length.is_none_or(|n| n <= max),
        Rule::MinItems(min) => count.is_none_or(|n| n >= min),
        Rule::MaxItems(max) => count.is_none_or(|n| n <= max),
    }
}

/// What `rule` asks, as the end of a sentence: "must be at most 500".
fn constraint(rule: &Rule) -> String {
    let plural = |n: u64, what: &str| {
        if n == 1 {
            format!("1 {what}")
        } else {
            format!("{n} {what}s")
        }
    };
    match *rule {
        Rule::Minimum(min) => format!("must be at least {min} (`minimum`)"),
        Rule::Maximum(max) => format!("must be at most {max} (`maximum`)"),
        Rule::Above(min) => format!("must be over {min} (`exclusiveMinimum`)"),
        Rule::Below(max) => format!("must be under {max} (`exclusiveMaximum`)"),
        Rule::MinLength(min) => format!("must be at least {} long (`minLength`)", plural(min, "character")),
        Rule::MaxLength(max) => format!("must be at most {} long (`maxLength`)", plural(max, "character")),
        Rule::MinItems(min) => format!("must have at least {} (`minItems`)", plural(min, "item")),
        Rule::MaxItems(max) => format!("must have at most {} (`maxItems`)", plural(max, "item")),
    }
}

/// The violation as the error says it: "query parameter `limit` must be at most 500", or "body
/// field `/emails/0/address` must be ...".
fn describe(part: Part, path: &[String], violation: &str) -> String {
    let pointer: String = path
        .iter()
        .map(|segment| format!("/{}", segment.replace('~', "~0").replace('/', "~1")))
        .collect();
    match (part, path) {
        (Part::Query, [name]) => format!("query parameter `{name}` {violation}"),
        (Part::Query, [name, ..]) => format!("query parameter `{name}` at `{pointer}` {violation}"),
        (Part::Body, []) => format!("the body {violation}"),
        (Part::Body, _) => format!("body field `{pointer}` {violation}"),
        (Part::Query, []) => format!("the query {violation}"),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::drift::schema::{Enum, Field, Modeled, Struct};

    static STATUS: Schema = Schema::Enum(&Enum {
        name: "Status",
        is_known: |value| matches!(value, "active" | "banned"),
    });
    static ITEM: Schema = Schema::Struct(&Struct {
        name: "Item",
        fields: &[Field::required("code", String::schema).checked(&[Rule::MinLength(1), Rule::MaxLength(4)])],
    });
    static QUERY: Schema = Schema::Struct(&Struct {
        name: "Query",
        fields: &[
            Field::optional("limit", i64::schema).checked(&[Rule::Minimum(1.0), Rule::Maximum(500.0)]),
            Field::optional("status", || &STATUS),
            Field::optional("ratio", f64::schema).checked(&[Rule::Above(0.0), Rule::Below(1.0)]),
            Field::optional("items", || &const { Schema::Array(|| &ITEM) }).checked(&[Rule::MaxItems(2)]),
        ],
    });

    fn query(value: Value) -> Result<(), String> {
        check(&value, &QUERY, Part::Query)
    }

    #[test]
    fn values_within_their_rules_pass_and_unset_ones_are_not_checked() {
        assert_eq!(
            query(json!({"limit": 500, "status": "banned", "ratio": 0.5, "items": [{"code": "ab"}]})),
            Ok(())
        );
        assert_eq!(query(json!({"limit": null})), Ok(()));
        assert_eq!(query(json!({})), Ok(()));
    }

    #[test]
    fn a_violation_names_the_place_and_the_constraint_but_not_the_value() {
        let cases = [
            (
                json!({"limit": 501}),
                "query parameter `limit` must be at most 500 (`maximum`)",
            ),
            (
                json!({"limit": 0}),
                "query parameter `limit` must be at least 1 (`minimum`)",
            ),
            (
                json!({"ratio": 1.0}),
                "query parameter `ratio` must be under 1 (`exclusiveMaximum`)",
            ),
            (
                json!({"status": "gone"}),
                "query parameter `status` must be one of the values the spec lists",
            ),
            (
                json!({"items": [{"code": "a"}, {"code": ""}]}),
                "query parameter `items` at `/items/1/code` must be at least 1 character long (`minLength`)",
            ),
            (
                json!({"items": [{"code": "a"}, {"code": "b"}, {"code": "c"}]}),
                "query parameter `items` must have at most 2 items (`maxItems`)",
            ),
        ];
        for (value, expected) in cases {
            let error = query(value.clone()).expect_err("a violation");
            assert_eq!(error, expected);
            assert!(!error.contains("gone"), "the value is not repeated: {error}");
        }
        let body = check(&json!({"code": "héllo"}), &ITEM, Part::Body).expect_err("five characters");
        assert_eq!(
            body,
            "body field `/code` must be at most 4 characters long (`maxLength`)"
        );
        assert_eq!(
            check(&json!({"code": "héll"}), &ITEM, Part::Body),
            Ok(()),
            "characters, not bytes"
        );
    }
}
