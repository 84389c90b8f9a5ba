//! One pair of small specs per rule: the old one is [`BASE`], the new one is it with a few
//! words replaced, and the diff must find exactly that rule.

use super::*;
use crate::{Config, generate};

/// A small API: a user resource with a path parameter, a query, a body, an enum, a tagged
/// union and a security scheme.
const BASE: &str = r##"
openapi: 3.0.3
info: {title: T, version: '1'}
security: [{bearerAuth: []}]
paths:
  /users/{user_id}:
    get:
      operationId: GetUser
      tags: [users]
      parameters:
        - {name: user_id, in: path, required: true, schema: {type: string}}
        - {name: Origin, in: header, schema: {type: string}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/User'}}}}
        '404': {description: no, content: {application/json: {schema: {$ref: '#/components/schemas/Errors'}}}}
    patch:
      operationId: UpdateUser
      tags: [users]
      parameters: [{name: user_id, in: path, required: true, schema: {type: string}}]
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/UserUpdate'}}}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/User'}}}}
  /users:
    get:
      operationId: ListUsers
      tags: [users]
      parameters: [{name: limit, in: query, schema: {type: integer}}]
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Event'}}}}}
components:
  securitySchemes:
    bearerAuth: {type: http, scheme: bearer}
  schemas:
    Errors: {type: object, properties: {errors: {type: array, items: {type: string}}}}
    User:
      type: object
      required: [id]
      properties:
        id: {type: string}
        name: {type: string}
        status: {$ref: '#/components/schemas/Status'}
    UserUpdate: {type: object, properties: {name: {type: string}}}
    Status: {type: string, enum: [active, banned]}
    Created: {type: object, required: [object], properties: {object: {type: string, enum: [created]}}}
    Deleted: {type: object, required: [object], properties: {object: {type: string, enum: [deleted]}}}
    Event:
      oneOf: [{$ref: '#/components/schemas/Created'}, {$ref: '#/components/schemas/Deleted'}]
      discriminator: {propertyName: object, mapping: {created: '#/components/schemas/Created', deleted: '#/components/schemas/Deleted'}}
"##;

fn api(text: &str) -> Api {
    generate(text, &Config::default())
        .unwrap_or_else(|e| panic!("{e}\n{text}"))
        .api
}

/// BASE with each `(from, to)` replaced, once each, and the replacement checked to happen.
fn edited(edits: &[(&str, &str)]) -> String {
    edits.iter().fold(BASE.to_owned(), |text, (from, to)| {
        assert!(text.contains(from), "BASE has no {from:?}");
        text.replacen(from, to, 1)
    })
}

/// The rules a diff from BASE to the edited spec finds.
fn rules(edits: &[(&str, &str)]) -> Vec<Rule> {
    let diff = Diff::new("old", &api(BASE), "new", &api(&edited(edits)));
    let mut rules: Vec<Rule> = diff.changes.iter().map(|c| c.rule).collect();
    rules.dedup();
    rules
}

#[test]
fn the_same_spec_has_no_changes() {
    let diff = Diff::new("a", &api(BASE), "b", &api(BASE));
    assert!(diff.is_empty());
    assert_eq!(diff.summary(), "0 breaking, 0 additive");
    assert!(diff.markdown().ends_with("0 breaking, 0 additive\n"));
}

#[test]
fn each_rule_has_a_spec_pair() {
    const GET_RESPONSES: &str = "        '404': {description: no";
    let pairs: Vec<(Rule, Vec<(&str, &str)>)> = vec![
        (
            Rule::OperationRemoved,
            vec![(
                "    patch:\n      operationId: UpdateUser",
                "    x-removed:\n      operationId: UpdateUser",
            )],
        ),
        (
            Rule::OperationAdded,
            vec![(
                "  /users:\n",
                "  /users/{user_id}/ban:\n    post:\n      operationId: BanUser\n      tags: [users]\n      parameters: [{name: user_id, in: path, required: true, schema: {type: string}}]\n      responses: {'200': {description: ok}}\n  /users:\n",
            )],
        ),
        (
            Rule::OperationMoved,
            vec![("  /users:\n    get:", "  /people:\n    get:")],
        ),
        (
            Rule::OperationRenamed,
            vec![(
                "      operationId: ListUsers\n      tags: [users]",
                "      operationId: ListUsers\n      tags: [people]",
            )],
        ),
        (
            Rule::PathParametersChanged,
            vec![(
                "        - {name: user_id, in: path, required: true, schema: {type: string}}",
                "        - {name: user_id, in: path, required: true, schema: {type: integer}}",
            )],
        ),
        (
            Rule::QueryChanged,
            vec![(
                "      parameters: [{name: limit, in: query, schema: {type: integer}}]\n",
                "",
            )],
        ),
        (
            Rule::HeaderParametersChanged,
            vec![(
                "{name: Origin, in: header, schema",
                "{name: Origin, in: header, required: true, schema",
            )],
        ),
        (
            Rule::HeaderParameterAdded,
            vec![(
                "        - {name: Origin, in: header, schema: {type: string}}",
                "        - {name: Origin, in: header, schema: {type: string}}\n        - {name: X-Trace, in: header, schema: {type: string}}",
            )],
        ),
        (
            Rule::RequestBodyChanged,
            vec![(
                "schema: {$ref: '#/components/schemas/UserUpdate'}",
                "schema: {$ref: '#/components/schemas/User'}",
            )],
        ),
        (
            Rule::ContentTypeChanged,
            vec![(
                "requestBody: {content: {application/json:",
                "requestBody: {content: {application/x-www-form-urlencoded:",
            )],
        ),
        (
            Rule::ResponseChanged,
            vec![(
                "        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/User'}}}}\n        '404'",
                "        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/UserUpdate'}}}}\n        '404'",
            )],
        ),
        (
            Rule::ErrorStatusRemoved,
            vec![(GET_RESPONSES, "        '400': {description: no")],
        ),
        (
            Rule::ErrorStatusAdded,
            vec![(
                GET_RESPONSES,
                "        '422': {description: no, content: {application/json: {schema: {$ref: '#/components/schemas/Errors'}}}}\n        '404': {description: no",
            )],
        ),
        (
            Rule::SecurityChanged,
            vec![(
                "    patch:\n      operationId: UpdateUser\n",
                "    patch:\n      operationId: UpdateUser\n      security: []\n",
            )],
        ),
        (
            Rule::SchemeAdded,
            vec![(
                "    bearerAuth: {type: http, scheme: bearer}",
                "    bearerAuth: {type: http, scheme: bearer}\n    apiKey: {type: apiKey, in: header, name: X-Key}",
            )],
        ),
        (
            Rule::SchemeRemoved,
            vec![(
                "    bearerAuth: {type: http, scheme: bearer}",
                "    bearerAuth: {type: http, scheme: basic}",
            )],
        ),
        (
            Rule::TypeAdded,
            vec![(
                "        status: {$ref: '#/components/schemas/Status'}",
                "        status: {$ref: '#/components/schemas/Status'}\n        team: {$ref: '#/components/schemas/Team'}\n    Team: {type: object, properties: {slug: {type: string}}}",
            )],
        ),
        (
            Rule::TypeRemoved,
            vec![(
                "        status: {$ref: '#/components/schemas/Status'}",
                "        status: {type: string}",
            )],
        ),
        (
            Rule::TypeKindChanged,
            vec![(
                "    Status: {type: string, enum: [active, banned]}",
                "    Status: {type: object, properties: {code: {type: string}}}",
            )],
        ),
        (Rule::FieldRemoved, vec![("        name: {type: string}\n", "")]),
        (
            Rule::RequiredFieldAdded,
            vec![
                ("      required: [id]", "      required: [id, email]"),
                (
                    "        id: {type: string}\n",
                    "        id: {type: string}\n        email: {type: string}\n",
                ),
            ],
        ),
        (
            Rule::OptionalFieldAdded,
            vec![(
                "        name: {type: string}\n",
                "        name: {type: string}\n        nickname: {type: string}\n",
            )],
        ),
        (
            Rule::FieldTypeChanged,
            vec![(
                "        id: {type: string}",
                "        id: {type: string, nullable: true}",
            )],
        ),
        (
            Rule::EnumValueRemoved,
            vec![("enum: [active, banned]", "enum: [active]")],
        ),
        (
            Rule::EnumValueAdded,
            vec![("enum: [active, banned]", "enum: [active, banned, locked]")],
        ),
        (
            Rule::UnionVariantRemoved,
            vec![(
                "      oneOf: [{$ref: '#/components/schemas/Created'}, {$ref: '#/components/schemas/Deleted'}]\n      discriminator: {propertyName: object, mapping: {created: '#/components/schemas/Created', deleted: '#/components/schemas/Deleted'}}",
                "      oneOf: [{$ref: '#/components/schemas/Created'}]\n      discriminator: {propertyName: object, mapping: {created: '#/components/schemas/Created'}}",
            )],
        ),
        (
            Rule::UnionVariantAdded,
            vec![(
                "      oneOf: [{$ref: '#/components/schemas/Created'}, {$ref: '#/components/schemas/Deleted'}]\n      discriminator: {propertyName: object, mapping: {created: '#/components/schemas/Created', deleted: '#/components/schemas/Deleted'}}",
                "      oneOf: [{$ref: '#/components/schemas/Created'}, {$ref: '#/components/schemas/Deleted'}, {$ref: '#/components/schemas/Errors'}]\n      discriminator: {propertyName: object, mapping: {created: '#/components/schemas/Created', deleted: '#/components/schemas/Deleted', errors: '#/components/schemas/Errors'}}",
            )],
        ),
    ];
    let covered: Vec<Rule> = pairs.iter().map(|(rule, _)| *rule).collect();
    for rule in Rule::ALL {
        assert!(covered.contains(&rule), "{rule:?} has no spec pair");
    }
    for (rule, edits) in &pairs {
        let found = rules(edits);
        assert!(found.contains(rule), "{rule:?}: the diff found {found:?}");
        if rule.class() == Class::Additive {
            assert!(
                found.iter().all(|r| r.class() == Class::Additive),
                "{rule:?}: the diff found {found:?}"
            );
        }
    }
}

#[test]
fn a_field_that_turns_nullable_in_a_type_only_received_is_no_change() {
    // `name` is optional in User, which only responses carry: `Option<String>` either way.
    let found = rules(&[(
        "        name: {type: string}\n",
        "        name: {type: string, nullable: true}\n",
    )]);
    assert_eq!(found, Vec::<Rule>::new());
}

#[test]
fn the_report_puts_breaking_first_and_ends_with_the_summary() {
    let diff = Diff::new(
        "old.yml",
        &api(BASE),
        "new.yml",
        &api(&edited(&[("enum: [active, banned]", "enum: [active, locked]")])),
    );
    assert_eq!(diff.summary(), "1 breaking, 1 additive");
    let markdown = diff.markdown();
    let breaking = markdown.find("### Breaking").expect("a breaking section");
    let additive = markdown.find("### Additive").expect("an additive section");
    assert!(breaking < additive, "{markdown}");
    assert!(
        markdown.contains(
            "- **Status::banned**: `banned` was removed (`enum_value_removed`, `#/components/schemas/Status`)"
        ),
        "{markdown}"
    );
    assert!(markdown.ends_with("\n1 breaking, 1 additive\n"), "{markdown}");
    let json: serde_json::Value = serde_json::from_str(&diff.json()).expect("JSON");
    assert_eq!(json["breaking"], 1);
    assert_eq!(json["changes"][0]["rule"], "enum_value_removed");
    assert_eq!(
        diff.json(),
        Diff::new(
            "old.yml",
            &api(BASE),
            "new.yml",
            &api(&edited(&[("enum: [active, banned]", "enum: [active, locked]")]))
        )
        .json()
    );
}

#[test]
fn every_rule_has_a_reason_and_the_right_class() {
    for rule in Rule::ALL {
        assert!(!rule.reason().is_empty());
        let name = serde_json::to_value(rule).expect("a name");
        let additive = name
            .as_str()
            .is_some_and(|n| n.ends_with("_added") && n != "required_field_added");
        assert_eq!(rule.class() == Class::Additive, additive, "{rule:?}");
    }
}

#[test]
fn a_changelog_gets_the_entry_at_the_top_of_unreleased() {
    let new = add_to_changelog(None, "Regenerated.\n");
    assert!(new.starts_with("# Changelog\n"), "{new}");
    assert!(new.ends_with("## [Unreleased]\n\nRegenerated.\n"), "{new}");
    let newer = add_to_changelog(Some(&new), "Again.\n");
    assert!(
        newer.ends_with("## [Unreleased]\n\nAgain.\n\nRegenerated.\n"),
        "{newer}"
    );
    let released = "# Changelog\n\nIntro.\n\n## [0.1.0] - 2026-01-01\n\n- First.\n";
    let with = add_to_changelog(Some(released), "Next.\n");
    assert!(
        with.contains("Intro.\n\n## [Unreleased]\n\nNext.\n\n## [0.1.0]"),
        "{with}"
    );
}

#[test]
fn a_changelog_entry_sorts_changes_into_added_changed_and_removed() {
    let edits = [
        ("enum: [active, banned]", "enum: [active, locked]"),
        ("      required: [id]", "      required: [id, name]"),
    ];
    let diff = Diff::new("a.yml", &api(BASE), "b.yml", &api(&edited(&edits)));
    let entry = diff.changelog_entry();
    assert!(
        entry.starts_with("Regenerated from `b.yml` (was `a.yml`): 2 breaking, 1 additive.\n"),
        "{entry}"
    );
    let (added, changed, removed) = (
        entry.find("### Added"),
        entry.find("### Changed"),
        entry.find("### Removed"),
    );
    assert!(added < changed && changed < removed && added.is_some(), "{entry}");
    assert!(
        entry.contains("- **Breaking:** `Status::banned`: `banned` was removed"),
        "{entry}"
    );
}
