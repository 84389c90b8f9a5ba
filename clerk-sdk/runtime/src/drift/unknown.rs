//! Where a body holds members its models do not list: Clerk's forward compatibility, kept in
//! each model's [`UnknownFields`](crate::UnknownFields) and listed apart from deviations.

use serde_json::Value;

use super::schema::{Schema, Struct};

/// The JSON pointers of the members of `value` that its schema does not list, in document
/// order. `value` is a model serialized, so each model's unknown members are in it.
pub(crate) fn unknown_members(value: &Value, schema: &'static Schema) -> Vec<String> {
    let mut found = Vec::new();
    walk(value, schema, &mut String::new(), &mut found);
    found
}

fn walk(value: &Value, schema: &'static Schema, pointer: &mut String, found: &mut Vec<String>) {
    match (schema, value) {
        (Schema::Struct(def), Value::Object(object)) => walk_struct(object, def, pointer, found),
        (Schema::Array(items), Value::Array(values)) => {
            for (index, item) in values.iter().enumerate() {
                at(pointer, &index.to_string(), |pointer| {
                    walk(item, items(), pointer, found)
                });
            }
        }
        (Schema::Map(values), Value::Object(object)) => {
            for (key, item) in object {
                at(pointer, key, |pointer| walk(item, values(), pointer, found));
            }
        }
        (Schema::Nullable(inner), value) if !value.is_null() => walk(value, inner(), pointer, found),
        (Schema::Tagged(def), Value::Object(object)) => {
            let tag = object.get(def.tag).and_then(Value::as_str);
            if let Some((_, variant)) = def.variants.iter().find(|(known, _)| Some(*known) == tag) {
                walk(value, variant(), pointer, found);
            }
        }
        (Schema::Untagged(def), value) => {
            if let Some(alternative) = def.variants.iter().find(|alternative| alternative.shape.fits(value)) {
                walk(value, (alternative.schema)(), pointer, found);
            }
        }
        _ => {}
    }
}

fn walk_struct(
    object: &serde_json::Map<String, Value>,
    def: &'static Struct,
    pointer: &mut String,
    found: &mut Vec<String>,
) {
    for (key, value) in object {
        match def.fields.iter().find(|field| field.name == key) {
            Some(field) => at(pointer, key, |pointer| walk(value, (field.schema)(), pointer, found)),
            None => at(pointer, key, |pointer| found.push(pointer.clone())),
        }
    }
}

/// Runs `walk` with `token` appended to `pointer` (RFC 6901 escaped).
fn at(pointer: &mut String, token: &str, walk: impl FnOnce(&mut String)) {
    let length = pointer.len();
    pointer.push('/');
    pointer.push_str(&token.replace('~', "~0").replace('/', "~1"));
    walk(pointer);
    pointer.truncate(length);
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::drift::schema::{Field, Modeled};

    fn item() -> &'static Schema {
        static SCHEMA: Schema = Schema::Struct(&Struct {
            name: "Item",
            fields: &[
                Field::required("id", <String as Modeled>::schema),
                Field::optional("children", children),
            ],
        });
        &SCHEMA
    }

    fn children() -> &'static Schema {
        static SCHEMA: Schema = Schema::Array(item);
        &SCHEMA
    }

    #[test]
    fn members_no_schema_lists_are_found_at_every_level() {
        let value = json!({"id": "a", "new": 1, "children": [{"id": "b"}, {"id": "c", "also/new": {"x": 1}}]});
        assert_eq!(unknown_members(&value, item()), ["/children/1/also~1new", "/new"]);
        assert!(unknown_members(&json!({"id": "a"}), item()).is_empty());
    }
}
