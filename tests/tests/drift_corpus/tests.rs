//! The corpus of small specs, case by case.

use super::*;

fn spec(schemas: Value) -> Value {
    json!({
        "paths": {"/things": {"get": {"operationId": "GetThing", "responses": {
            "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}
        }}}},
        "components": {"schemas": schemas}
    })
}

#[test]
fn each_field_gets_the_mutations_its_schema_allows() {
    let (samples, skipped) = corpus(&spec(json!({
        "Thing": {"type": "object", "required": ["id", "tags", "parent"], "properties": {
            "id": {"type": "string"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "parent": {"$ref": "#/components/schemas/Parent", "nullable": true},
            "count": {"type": "integer"}
        }},
        "Parent": {"type": "object", "properties": {"kind": {"type": "string", "enum": ["a", "b"]}}}
    })));
    assert_eq!(skipped, 0);
    let [sample] = samples.as_slice() else {
        panic!("one sample")
    };
    assert_eq!(
        sample.body,
        json!({"id": "text", "tags": ["text"], "parent": {"kind": "a"}, "count": 1})
    );
    let expected: Vec<(&str, [&str; 3])> = sample
        .mutations
        .iter()
        .map(|m| {
            (
                m.about.as_str(),
                [m.expected[0].as_str(), &m.expected[1], &m.expected[2]],
            )
        })
        .collect();
    // Properties in name order: serde_json's objects keep keys sorted.
    assert_eq!(
        expected,
        [
            ("/count null", ["/count", "Null", "None"]),
            ("/count of another type", ["/count", "WrongType", "None"]),
            ("/id dropped", ["/id", "Missing", "Empty"]),
            ("/id null", ["/id", "Null", "Empty"]),
            ("/id of another type", ["/id", "WrongType", "Empty"]),
            ("/parent dropped", ["/parent", "Missing", "None"]),
            ("/parent/kind null", ["/parent/kind", "Null", "None"]),
            ("/parent/kind of another type", ["/parent/kind", "WrongType", "None"]),
            ("/tags dropped", ["/tags", "Missing", "Empty"]),
            ("/tags null", ["/tags", "Null", "Empty"]),
            ("/tags/0 null", ["/tags/0", "Null", "Dropped"]),
            ("/tags/0 of another type", ["/tags/0", "WrongType", "Dropped"]),
        ]
    );
    let dropped = &sample.mutations[2];
    let mut body = sample.body.clone();
    apply(&mut body, dropped);
    assert_eq!(body, json!({"tags": ["text"], "parent": {"kind": "a"}, "count": 1}));
}

#[test]
fn operations_that_share_a_response_schema_share_a_sample() {
    let mut document = spec(json!({"Thing": {"type": "object", "properties": {"id": {"type": "string"}}}}));
    document["paths"]["/other"] = document["paths"]["/things"].clone();
    document["paths"]["/other"]["get"]["operationId"] = json!("GetOther");
    let (samples, _) = corpus(&document);
    assert_eq!(samples.len(), 1);
    assert_eq!(samples[0].operation, "GetOther", "the first, in path order");
}

#[test]
fn a_component_met_again_is_not_mutated_again() {
    let (samples, _) = corpus(&spec(json!({
        "Thing": {"type": "object", "required": ["a", "b"], "properties": {
            "a": {"$ref": "#/components/schemas/Leaf"},
            "b": {"$ref": "#/components/schemas/Leaf"}
        }},
        "Leaf": {"type": "object", "properties": {"x": {"type": "boolean"}}}
    })));
    let abouts: Vec<&str> = samples[0].mutations.iter().map(|m| m.about.as_str()).collect();
    assert_eq!(
        abouts,
        [
            "/a dropped",
            "/a null",
            "/a/x null",
            "/a/x of another type",
            "/b dropped",
            "/b null"
        ]
    );
}

#[test]
fn a_schema_that_requires_itself_has_no_sample_and_unions_are_not_entered() {
    let (samples, skipped) = corpus(&spec(json!({
        "Thing": {"type": "object", "required": ["next"], "properties": {"next": {"$ref": "#/components/schemas/Thing"}}}
    })));
    assert_eq!((samples.len(), skipped), (0, 1));
    let (samples, _) = corpus(&spec(json!({
        "Thing": {"type": "object", "properties": {"member": {"oneOf": [
            {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}},
            {"type": "integer"}
        ]}}}
    })));
    assert_eq!(samples[0].body, json!({"member": {"a": "text"}}));
    let abouts: Vec<&str> = samples[0].mutations.iter().map(|m| m.about.as_str()).collect();
    assert_eq!(abouts, ["/member null"]);
}

#[test]
fn an_all_of_member_that_only_says_nullable_makes_the_field_nullable() {
    let (samples, _) = corpus(&spec(json!({
        "Thing": {"type": "object", "required": ["error"], "properties": {
            "error": {"allOf": [{"$ref": "#/components/schemas/Error"}, {"type": "object", "nullable": true}]}
        }},
        "Error": {"type": "object", "properties": {"code": {"type": "string"}}}
    })));
    assert_eq!(samples[0].body, json!({"error": {"code": "text"}}));
    let abouts: Vec<(&str, &str)> = samples[0]
        .mutations
        .iter()
        .map(|m| (m.about.as_str(), m.expected[2].as_str()))
        .collect();
    assert_eq!(
        abouts,
        [
            ("/error dropped", "None"),
            ("/error/code null", "None"),
            ("/error/code of another type", "None")
        ]
    );
}
