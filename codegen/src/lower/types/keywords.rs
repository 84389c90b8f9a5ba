//! Schema keywords that do not apply to a schema's declared `type`, such as
//! `additionalProperties` on an array. openapiv3 reads such a schema as an untyped "any"
//! schema; lowering follows the declared type and reports each keyword it ignores as a warning
//! with the keyword's pointer, so nothing is dropped silently.

use openapiv3::AnySchema;

/// The keywords of `schema` that are set and do not apply to a value of type `typ`, in the
/// order OpenAPI lists them. Keywords that apply to any type (`enum`, `format`, the
/// combinators) are never reported.
pub(super) fn foreign_keywords(schema: &AnySchema, typ: &str) -> Vec<&'static str> {
    let set: [(&'static str, bool, &[&str]); 16] = [
        ("multipleOf", schema.multiple_of.is_some(), NUMERIC),
        ("maximum", schema.maximum.is_some(), NUMERIC),
        ("exclusiveMaximum", schema.exclusive_maximum.is_some(), NUMERIC),
        ("minimum", schema.minimum.is_some(), NUMERIC),
        ("exclusiveMinimum", schema.exclusive_minimum.is_some(), NUMERIC),
        ("maxLength", schema.max_length.is_some(), STRING),
        ("minLength", schema.min_length.is_some(), STRING),
        ("pattern", schema.pattern.is_some(), STRING),
        ("items", schema.items.is_some(), ARRAY),
        ("maxItems", schema.max_items.is_some(), ARRAY),
        ("minItems", schema.min_items.is_some(), ARRAY),
        ("uniqueItems", schema.unique_items.is_some(), ARRAY),
        ("maxProperties", schema.max_properties.is_some(), OBJECT),
        ("minProperties", schema.min_properties.is_some(), OBJECT),
        ("required", !schema.required.is_empty(), OBJECT),
        ("additionalProperties", schema.additional_properties.is_some(), OBJECT),
    ];
    let mut foreign: Vec<&'static str> = set
        .into_iter()
        .filter(|(_, present, types)| *present && !types.contains(&typ))
        .map(|(keyword, _, _)| keyword)
        .collect();
    if !schema.properties.is_empty() && !OBJECT.contains(&typ) {
        foreign.push("properties");
    }
    foreign
}

/// The types numeric keywords apply to.
const NUMERIC: &[&str] = &["integer", "number"];
/// The types string keywords apply to.
const STRING: &[&str] = &["string"];
/// The types array keywords apply to.
const ARRAY: &[&str] = &["array"];
/// The types object keywords apply to.
const OBJECT: &[&str] = &["object"];

#[cfg(test)]
mod tests {
    use super::*;

    fn any(yaml: &str) -> AnySchema {
        serde_yaml::from_str(yaml).expect("an any schema")
    }

    #[test]
    fn keywords_of_other_types_are_foreign() {
        let schema = any("{type: array, additionalProperties: false, items: {type: string}, minItems: 1}");
        assert_eq!(foreign_keywords(&schema, "array"), ["additionalProperties"]);
        let schema = any("{type: object, properties: {a: {type: string}}, items: {type: string}, pattern: x}");
        assert_eq!(foreign_keywords(&schema, "object"), ["pattern", "items"]);
        let schema = any("{type: string, properties: {a: {type: string}}, maximum: 3}");
        assert_eq!(foreign_keywords(&schema, "string"), ["maximum", "properties"]);
    }

    #[test]
    fn keywords_of_the_type_itself_are_not() {
        let schema = any("{type: integer, minimum: 0, maximum: 9, enum: [1, 2], format: int32}");
        assert!(foreign_keywords(&schema, "integer").is_empty());
    }
}
