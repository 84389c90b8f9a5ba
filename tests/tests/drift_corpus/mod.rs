//! A corpus of drifted responses, made from a spec's text independently of the generator: for
//! each distinct schema of an operation's 2xx JSON response, a body that matches it, and from
//! it one body per deviation, each with the one deviation it must report:
//!
//! - every required field dropped: `Missing`, decoded as `None` when the field is nullable (or
//!   of any type), as its empty value otherwise;
//! - every field the spec does not let be `null` set to `null`: `Null`, `None` for an optional
//!   field, the empty value for a required one; an array item set to `null` is `Dropped`;
//! - every scalar (string, integer, number, boolean, enum) given a value of another JSON type
//!   that does not convert (an empty array): `WrongType`, as absent for a field, `Dropped` for
//!   an array item.
//!
//! Members of unions (`oneOf`, `anyOf`) are left as they are: which member a drifted value is
//! taken for is the subject of the hand-written cases. A component schema met again (a `User`
//! inside many responses) has its fields mutated only where it is first met. Because this reads the spec on its own,
//! a place where the generator reads it otherwise (a field it takes for optional, say) fails
//! the cases there.

use std::cell::RefCell;
use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

// The corpus's format, `tests/drift/format.rs`, which the including test loads (once: the runner
// loads it too) as `drift_format`.
#[cfg(test)]
use super::drift_format::apply;
pub use super::drift_format::{Mutation, Sample};

/// How deep sample bodies go; a schema that needs more (it requires itself) has no sample.
const MAX_DEPTH: usize = 8;

/// The samples of a whole spec (YAML or JSON), one per distinct response schema, and how many
/// schemas had no sample.
pub fn corpus(spec: &Value) -> (Vec<Sample>, usize) {
    let reader = Reader {
        spec,
        entered: RefCell::new(BTreeSet::new()),
    };
    let mut samples = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let mut skipped = 0;
    for (operation, status, schema) in reader.success_schemas() {
        if !seen.insert(schema.to_string()) {
            continue;
        }
        let view = reader.view(schema);
        let Some(body) = reader.sample(&view, 0) else {
            skipped += 1;
            continue;
        };
        let mut mutations = Vec::new();
        if reader.enter(schema) {
            reader.mutations(&view, &body, "", &mut mutations);
        }
        samples.push(Sample {
            operation,
            status,
            body,
            mutations,
        });
    }
    (samples, skipped)
}

/// A schema as this reader takes it.
#[derive(Debug, Clone)]
struct View<'a> {
    kind: Kind<'a>,
    nullable: bool,
}

#[derive(Debug, Clone)]
enum Kind<'a> {
    /// Properties in order, with whether each is required.
    Object(Vec<(&'a str, &'a Value, bool)>),
    Array(Option<&'a Value>),
    Map(&'a Value),
    FreeObject,
    String(Option<&'a Value>),
    Integer(Option<&'a Value>),
    Number,
    Boolean,
    /// `oneOf` or `anyOf`: the first member stands for it.
    Union(&'a Value),
    Any,
}

impl Kind<'_> {
    fn is_scalar(&self) -> bool {
        matches!(self, Kind::String(_) | Kind::Integer(_) | Kind::Number | Kind::Boolean)
    }
}

struct Reader<'a> {
    spec: &'a Value,
    /// The `$ref`s whose fields have had their mutations: a component met again (a `User`
    /// inside many responses) is not mutated again.
    entered: RefCell<BTreeSet<String>>,
}

impl<'a> Reader<'a> {
    /// Every operation's `operationId`, its first 2xx status and that response's JSON schema.
    fn success_schemas(&self) -> Vec<(String, u16, &'a Value)> {
        let mut found = Vec::new();
        let Some(paths) = self.spec.get("paths").and_then(Value::as_object) else {
            return found;
        };
        for item in paths.values().filter_map(Value::as_object) {
            for (method, operation) in item {
                let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
                let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
                    continue;
                };
                if !methods.contains(&method.as_str()) {
                    continue;
                }
                let Some(responses) = operation.get("responses").and_then(Value::as_object) else {
                    continue;
                };
                let success = responses
                    .iter()
                    .filter_map(|(status, response)| Some((status.parse::<u16>().ok()?, response)))
                    .find(|(status, _)| (200..300).contains(status));
                let Some((status, response)) = success else { continue };
                let response = self.resolve(response);
                let schema = response
                    .get("content")
                    .and_then(|content| content.get("application/json"))
                    .and_then(|media| media.get("schema"));
                if let Some(schema) = schema {
                    found.push((id.to_owned(), status, schema));
                }
            }
        }
        found
    }

    /// Follows `$ref`s to what they name.
    fn resolve(&self, mut value: &'a Value) -> &'a Value {
        for _ in 0..32 {
            let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
                break;
            };
            match reference
                .strip_prefix('#')
                .and_then(|pointer| self.spec.pointer(pointer))
            {
                Some(target) => value = target,
                None => break,
            }
        }
        value
    }

    /// How a schema (a `$ref` or inline) is read. `nullable` beside a `$ref` counts, and so
    /// does an `allOf` member that says nothing but `nullable: true`: specs mean both.
    fn view(&self, schema: &'a Value) -> View<'a> {
        let beside_ref = schema.get("$ref").is_some() && schema.get("nullable") == Some(&Value::Bool(true));
        let schema = self.resolve(schema);
        let marked = schema
            .get("allOf")
            .and_then(Value::as_array)
            .is_some_and(|members| members.iter().any(is_nullable_marker));
        let nullable = beside_ref || marked || schema.get("nullable") == Some(&Value::Bool(true));
        View {
            kind: self.kind(schema),
            nullable,
        }
    }

    fn kind(&self, schema: &'a Value) -> Kind<'a> {
        let typ = schema.get("type").and_then(Value::as_str);
        let alternatives = ["oneOf", "anyOf"]
            .iter()
            .find_map(|key| schema.get(*key).and_then(Value::as_array))
            .filter(|members| !members.iter().all(is_constraint));
        if let Some(members) = alternatives {
            // One member and no discriminator: that member. A discriminator makes a union
            // even of one member, whose tag matters.
            if let [only] = members.as_slice()
                && schema.get("properties").is_none()
                && schema.get("discriminator").is_none()
            {
                return self.view(only).kind;
            }
            return members.first().map_or(Kind::Any, Kind::Union);
        }
        if let Some(members) = schema.get("allOf").and_then(Value::as_array) {
            // A member that only says `nullable: true` makes the whole nullable (see `view`).
            let members: Vec<&Value> = members.iter().filter(|member| !is_nullable_marker(member)).collect();
            if let ([only], None) = (members.as_slice(), schema.get("properties")) {
                return self.view(only).kind;
            }
            let mut properties = Vec::new();
            let mut required = Vec::new();
            for member in members.into_iter().chain(std::iter::once(schema)) {
                self.collect(member, &mut properties, &mut required, 0);
            }
            return object(properties, &required);
        }
        match typ {
            Some("string") => Kind::String(schema.get("enum")),
            Some("integer") => Kind::Integer(schema.get("enum")),
            Some("number") => Kind::Number,
            Some("boolean") => Kind::Boolean,
            Some("array") => Kind::Array(schema.get("items")),
            _ if schema
                .get("properties")
                .is_some_and(|p| p.as_object().is_some_and(|p| !p.is_empty())) =>
            {
                let mut properties = Vec::new();
                let mut required = Vec::new();
                self.collect(schema, &mut properties, &mut required, 0);
                object(properties, &required)
            }
            Some("object") => match schema.get("additionalProperties") {
                Some(values) if values.is_object() && values.as_object().is_some_and(|v| !v.is_empty()) => {
                    Kind::Map(values)
                }
                _ => Kind::FreeObject,
            },
            _ => Kind::Any,
        }
    }

    /// Adds an object schema's properties (and its `allOf` members', first) to `properties`,
    /// later ones replacing earlier ones of the same name, as the generator merges them.
    fn collect(
        &self,
        schema: &'a Value,
        properties: &mut Vec<(&'a str, &'a Value)>,
        required: &mut Vec<&'a str>,
        depth: usize,
    ) {
        let schema = self.resolve(schema);
        if depth > 16 {
            return;
        }
        for member in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
            self.collect(member, properties, required, depth + 1);
        }
        for (name, property) in schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            properties.retain(|(existing, _)| existing != name);
            properties.push((name.as_str(), property));
        }
        required.extend(
            schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str),
        );
    }

    /// A value that matches `view`, or `None` if none can be made within [`MAX_DEPTH`].
    fn sample(&self, view: &View<'a>, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        Some(match &view.kind {
            Kind::Object(properties) => {
                let mut object = Map::new();
                for (name, schema, required) in properties {
                    match self.sample(&self.view(schema), depth + 1) {
                        Some(value) => {
                            object.insert((*name).to_owned(), value);
                        }
                        None if *required => return None,
                        None => {}
                    }
                }
                Value::Object(object)
            }
            Kind::Array(items) => match items.and_then(|items| self.sample(&self.view(items), depth + 1)) {
                Some(item) => Value::Array(vec![item]),
                None => Value::Array(Vec::new()),
            },
            Kind::Map(values) => match self.sample(&self.view(values), depth + 1) {
                Some(value) => json!({ "key": value }),
                None => json!({}),
            },
            Kind::FreeObject => json!({}),
            Kind::String(values) | Kind::Integer(values) => match values.and_then(|v| v.as_array()?.first()) {
                Some(first) => first.clone(),
                None if matches!(view.kind, Kind::String(_)) => json!("text"),
                None => json!(1),
            },
            Kind::Number => json!(1.5),
            Kind::Boolean => json!(true),
            Kind::Union(first) => return self.sample(&self.view(first), depth + 1),
            Kind::Any => json!("any"),
        })
    }

    /// Whether to make the mutations inside `schema`: an inline schema always, a `$ref` the
    /// first time.
    fn enter(&self, schema: &Value) -> bool {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(reference) => self.entered.borrow_mut().insert(reference.to_owned()),
            None => true,
        }
    }

    /// The mutations of `value` (a sample of `view`) at `pointer` and inside it.
    fn mutations(&self, view: &View<'a>, value: &Value, pointer: &str, found: &mut Vec<Mutation>) {
        match (&view.kind, value) {
            (Kind::Object(properties), Value::Object(object)) => {
                for (name, schema, required) in properties {
                    let Some(inner) = object.get(*name) else { continue };
                    let at = format!("{pointer}/{}", name.replace('~', "~0").replace('/', "~1"));
                    let field = self.view(schema);
                    field_mutations(&field, *required, &at, found);
                    if self.enter(schema) {
                        self.mutations(&field, inner, &at, found);
                    }
                }
            }
            (Kind::Array(Some(items)), Value::Array(values)) if !values.is_empty() => {
                let item = self.view(items);
                let at = format!("{pointer}/0");
                item_mutations(&item, &at, found);
                if self.enter(items) {
                    self.mutations(&item, &values[0], &at, found);
                }
            }
            (Kind::Map(values), Value::Object(object)) if object.contains_key("key") => {
                let item = self.view(values);
                let at = format!("{pointer}/key");
                item_mutations(&item, &at, found);
                if self.enter(values) {
                    self.mutations(&item, &object["key"], &at, found);
                }
            }
            _ => {}
        }
    }
}

/// The mutations of a field itself: dropped, `null`, another type.
fn field_mutations(field: &View<'_>, required: bool, at: &str, found: &mut Vec<Mutation>) {
    let takes_null = field.nullable || matches!(field.kind, Kind::Any);
    let absent = if required && !takes_null { "Empty" } else { "None" };
    let expected = |kind: &str, resolution: &str| [at.to_owned(), kind.to_owned(), resolution.to_owned()];
    if required {
        found.push(Mutation {
            about: format!("{at} dropped"),
            pointer: at.to_owned(),
            remove: true,
            value: Value::Null,
            expected: expected("Missing", if takes_null { "None" } else { "Empty" }),
        });
    }
    if !takes_null {
        found.push(Mutation {
            about: format!("{at} null"),
            pointer: at.to_owned(),
            remove: false,
            value: Value::Null,
            expected: expected("Null", absent),
        });
    }
    if field.kind.is_scalar() {
        found.push(Mutation {
            about: format!("{at} of another type"),
            pointer: at.to_owned(),
            remove: false,
            value: json!([]),
            expected: expected("WrongType", if required && !field.nullable { "Empty" } else { "None" }),
        });
    }
}

/// The mutations of an array item or map value: `null`, another type; either is left out.
fn item_mutations(item: &View<'_>, at: &str, found: &mut Vec<Mutation>) {
    let expected = |kind: &str| [at.to_owned(), kind.to_owned(), "Dropped".to_owned()];
    if !item.nullable && !matches!(item.kind, Kind::Any) {
        found.push(Mutation {
            about: format!("{at} null"),
            pointer: at.to_owned(),
            remove: false,
            value: Value::Null,
            expected: expected("Null"),
        });
    }
    if item.kind.is_scalar() {
        found.push(Mutation {
            about: format!("{at} of another type"),
            pointer: at.to_owned(),
            remove: false,
            value: json!([]),
            expected: expected("WrongType"),
        });
    }
}

/// Whether an `allOf` member says only `nullable: true` (and `type: object` at most).
fn is_nullable_marker(member: &Value) -> bool {
    member.as_object().is_some_and(|member| {
        member.get("nullable") == Some(&Value::Bool(true))
            && member
                .iter()
                .all(|(key, value)| key == "nullable" || key == "description" || (key == "type" && value == "object"))
    })
}

/// An object kind from merged properties and required names.
fn object<'a>(properties: Vec<(&'a str, &'a Value)>, required: &[&str]) -> Kind<'a> {
    Kind::Object(
        properties
            .into_iter()
            .map(|(name, schema)| (name, schema, required.contains(&name)))
            .collect(),
    )
}

/// Whether a `oneOf`/`anyOf` member only lists required properties: a constraint, not an
/// alternative.
fn is_constraint(member: &Value) -> bool {
    member.as_object().is_some_and(|member| {
        member.contains_key("required") && member.keys().all(|key| key == "required" || key == "description")
    })
}

#[cfg(test)]
mod tests;
