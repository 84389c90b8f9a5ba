use serde_yaml::Value;

use super::downgrade;

fn yaml(text: &str) -> Value {
    serde_yaml::from_str(text).expect("YAML")
}

/// Downgrades a document of the given components' schemas; returns the schemas as 3.0 and the
/// warnings.
fn schemas(schemas: &str) -> (Value, Vec<String>) {
    let mut document = yaml(&format!("openapi: 3.1.0\ncomponents:\n  schemas:\n{schemas}"));
    let warnings = downgrade(&mut document).expect("downgrades");
    let schemas = document["components"]["schemas"].clone();
    (schemas, warnings.iter().map(ToString::to_string).collect())
}

fn schema(text: &str) -> Value {
    let (schemas, warnings) = schemas(&format!("    S: {text}\n"));
    assert_eq!(warnings, Vec::<String>::new(), "{text}");
    schemas["S"].clone()
}

#[test]
fn a_list_of_a_type_and_null_is_that_type_made_nullable() {
    assert_eq!(
        schema("{type: [string, 'null']}"),
        yaml("{type: string, nullable: true}")
    );
    assert_eq!(
        schema("{type: ['null', integer]}"),
        yaml("{type: integer, nullable: true}")
    );
    assert_eq!(schema("{type: 'null'}"), yaml("{nullable: true}"));
    assert_eq!(schema("{type: [integer, number]}"), yaml("{type: number}"));
}

#[test]
fn a_null_alternative_makes_the_rest_nullable() {
    assert_eq!(
        schema("{anyOf: [{$ref: '#/components/schemas/A'}, {type: 'null'}]}"),
        yaml("{anyOf: [{$ref: '#/components/schemas/A'}], nullable: true}")
    );
    assert_eq!(
        schema("{oneOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}, {const: null}]}"),
        yaml("{oneOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}], nullable: true}")
    );
}

#[test]
fn a_list_of_types_splits_into_alternatives_with_their_keywords() {
    assert_eq!(
        schema("{type: [string, integer, 'null'], description: d, minLength: 1, minimum: 0, format: int64}"),
        yaml(
            "{description: d, nullable: true, anyOf: [{type: string, minLength: 1}, {type: integer, minimum: 0, format: int64}]}"
        )
    );
    assert_eq!(
        schema("{type: [string, boolean], enum: [on, off, true]}"),
        yaml("{anyOf: [{type: string, enum: [on, off]}, {type: boolean, enum: [true]}]}")
    );
    // A listed type that no value of `enum` has is not accepted at all.
    assert_eq!(
        schema("{type: [string, array], enum: [a], items: {type: string}}"),
        yaml("{anyOf: [{type: string, enum: [a]}]}")
    );
}

#[test]
fn a_constant_is_an_enum_of_one_with_its_type() {
    assert_eq!(schema("{const: user}"), yaml("{enum: [user], type: string}"));
    assert_eq!(schema("{type: integer, const: 2}"), yaml("{type: integer, enum: [2]}"));
    assert_eq!(
        schema("{enum: [1, 2.5, null]}"),
        yaml("{enum: [1, 2.5, null], type: number, nullable: true}")
    );
    assert_eq!(schema("{enum: [a, 1]}"), yaml("{enum: [a, 1]}"));
}

#[test]
fn numeric_exclusive_bounds_become_a_bound_and_a_flag() {
    assert_eq!(
        schema("{type: integer, exclusiveMinimum: 0, exclusiveMaximum: 10}"),
        yaml("{type: integer, exclusiveMinimum: true, minimum: 0, exclusiveMaximum: true, maximum: 10}")
    );
    // Beside an inclusive bound, the stricter one is kept.
    assert_eq!(
        schema("{type: number, minimum: 5, exclusiveMinimum: 0, maximum: 10, exclusiveMaximum: 10}"),
        yaml("{type: number, minimum: 5, maximum: 10, exclusiveMaximum: true}")
    );
}

#[test]
fn annotations_and_content_keywords_take_their_3_0_forms() {
    assert_eq!(
        schema("{type: string, examples: [a, b], $comment: c, $schema: s}"),
        yaml("{type: string, example: a}")
    );
    assert_eq!(
        schema("{type: string, contentEncoding: base64}"),
        yaml("{type: string, format: byte}")
    );
    assert_eq!(
        schema("{type: string, contentMediaType: image/png}"),
        yaml("{type: string, format: binary}")
    );
    assert_eq!(schema("true"), yaml("{}"));
    assert_eq!(schema("false"), yaml("{not: {}}"));
}

#[test]
fn subschemas_are_converted_and_properties_named_like_keywords_are_not() {
    let converted = schema(
        "{type: object, properties: {type: {type: [string, 'null']}, const: {const: x}}, example: {type: ['null']}, additionalProperties: false, items: {type: ['null', string]}, allOf: [{examples: [1]}]}",
    );
    assert_eq!(
        converted,
        yaml(
            "{type: object, properties: {type: {type: string, nullable: true}, const: {enum: [x], type: string}}, example: {type: ['null']}, additionalProperties: false, items: {type: string, nullable: true}, allOf: [{example: 1}]}"
        )
    );
}

#[test]
fn keywords_without_a_3_0_form_are_warned_about_and_left_out() {
    let (converted, warnings) = schemas(
        "    T: {type: array, prefixItems: [{type: string}], items: false}\n    P: {type: object, patternProperties: {'^x': {}}, properties: {a: {if: {}, then: {}}}}\n",
    );
    assert_eq!(
        converted,
        yaml("{T: {type: array}, P: {type: object, properties: {a: {}}}}")
    );
    assert_eq!(
        warnings,
        [
            "#/components/schemas/T/prefixItems: `prefixItems` has no OpenAPI 3.0 form and is ignored: the type accepts what the rest of the schema does",
            "#/components/schemas/P/properties/a/if: `if` has no OpenAPI 3.0 form and is ignored: the type accepts what the rest of the schema does",
            "#/components/schemas/P/properties/a/then: `then` has no OpenAPI 3.0 form and is ignored: the type accepts what the rest of the schema does",
            "#/components/schemas/P/patternProperties: `patternProperties` has no OpenAPI 3.0 form and is ignored: the type accepts what the rest of the schema does",
        ]
    );
}

#[test]
fn a_list_of_types_beside_alternatives_is_refused() {
    let mut document =
        yaml("openapi: 3.1.0\ncomponents:\n  schemas:\n    S: {type: [string, integer], oneOf: [{minLength: 1}]}\n");
    let error = downgrade(&mut document).expect_err("refused").to_string();
    assert_eq!(
        error,
        "#/components/schemas/S/type: a list of types beside `oneOf` is not supported"
    );
}

const PATHS: &str = "openapi: 3.1.1
jsonSchemaDialect: https://json-schema.org/draft/2020-12/schema
webhooks:
  ping: {$ref: '#/components/pathItems/Ping', summary: A ping}
paths:
  /things:
    get:
      parameters: [{name: limit, in: query, schema: {type: [integer, 'null'], exclusiveMinimum: 0}}]
      responses:
        '200':
          description: ok
          headers: {X-Total: {schema: {type: [integer, 'null']}}}
          content:
            application/json:
              schema: {type: array, items: {type: [string, 'null']}}
              example: {type: ['null']}
    post:
      requestBody:
        content:
          multipart/form-data:
            schema: {type: object, properties: {file: {type: string, contentMediaType: image/png}}}
components:
  pathItems:
    Ping:
      summary: Ping
      description: Sent to check the endpoint.
      post:
        requestBody:
          content:
            application/json: {schema: {type: object, properties: {at: {type: [integer, 'null']}}}}
";

#[test]
fn the_document_is_rewritten_where_3_1_differs() {
    let mut document = yaml(PATHS);
    let warnings = downgrade(&mut document).expect("downgrades");
    assert_eq!(
        warnings.iter().map(ToString::to_string).collect::<Vec<_>>(),
        ["#/jsonSchemaDialect: the schemas are read as OpenAPI 3.1's own JSON Schema dialect, not this one"]
    );
    assert_eq!(document["openapi"], yaml("3.0.3"));
    assert!(document.get("jsonSchemaDialect").is_none());
    let get = &document["paths"]["/things"]["get"];
    assert_eq!(
        get["parameters"][0]["schema"],
        yaml("{type: integer, nullable: true, minimum: 0, exclusiveMinimum: true}")
    );
    let ok = &get["responses"]["200"];
    assert_eq!(
        ok["headers"]["X-Total"]["schema"],
        yaml("{type: integer, nullable: true}")
    );
    let json = &ok["content"]["application/json"];
    assert_eq!(json["schema"]["items"], yaml("{type: string, nullable: true}"));
    assert_eq!(
        json["example"],
        yaml("{type: ['null']}"),
        "an example is a value, not a schema"
    );
    let post = &document["paths"]["/things"]["post"];
    assert_eq!(
        post["responses"],
        yaml("{}"),
        "an operation without responses gets an empty set"
    );
    let file = &post["requestBody"]["content"]["multipart/form-data"]["schema"]["properties"]["file"];
    assert_eq!(*file, yaml("{type: string, format: binary}"));
    // The webhook's path item is its target, with the reference's summary over the target's.
    let ping = &document["webhooks"]["ping"];
    assert_eq!(ping["summary"], yaml("A ping"));
    assert_eq!(ping["description"], yaml("Sent to check the endpoint."));
    let at = &ping["post"]["requestBody"]["content"]["application/json"]["schema"]["properties"]["at"];
    assert_eq!(*at, yaml("{type: integer, nullable: true}"));
    assert!(document["components"].get("pathItems").is_none());
}

#[test]
fn paths_are_added_and_bad_path_item_references_are_refused() {
    let mut document = yaml("openapi: 3.1.0\ninfo: {title: T, version: '1'}\n");
    downgrade(&mut document).expect("downgrades");
    assert_eq!(document["paths"], yaml("{}"));
    for (text, expected) in [
        (
            "openapi: 3.1.0\nwebhooks: {a: {$ref: '#/components/pathItems/Nope'}}\n",
            "#/webhooks/a: `$ref: #/components/pathItems/Nope` names no path item under `components/pathItems`",
        ),
        (
            "openapi: 3.1.0\npaths: {/a: {$ref: '#/components/pathItems/A'}}\ncomponents: {pathItems: {A: {$ref: '#/components/pathItems/A'}}}\n",
            "#/paths/~1a: the path item's `$ref`s to `components/pathItems` form a cycle",
        ),
        (
            "openapi: 3.1.0\ncomponents: {securitySchemes: {Cert: {type: mutualTLS}}}\n",
            "#/components/securitySchemes/Cert/type: `mutualTLS` security schemes are not supported: the client cannot present a certificate",
        ),
    ] {
        let error = downgrade(&mut yaml(text)).expect_err(text).to_string();
        assert_eq!(error, expected);
    }
}
