//! The walk, case by case: every row of the outcome table in the module docs.

use serde_json::{Value, json};

use super::*;
use crate::drift::schema::{Enum, Field, Modeled, Schema, Struct, TaggedUnion};

/// `Phone`: each kind of field.
fn phone() -> &'static Schema {
    static SCHEMA: Schema = Schema::Struct(&Struct {
        name: "Phone",
        fields: &[
            Field::required("id", <String as Modeled>::schema),
            Field::required("attempts", <i32 as Modeled>::schema),
            Field::required_nullable("expire_at", <i64 as Modeled>::schema),
            Field::optional("reserved", <bool as Modeled>::schema),
            Field::optional_nullable("note", <String as Modeled>::schema),
            Field::optional("tags", <Vec<String> as Modeled>::schema),
            Field::optional("status", status),
            Field::optional("verification", verification),
            Field::optional("extra", <Value as Modeled>::schema),
        ],
    });
    &SCHEMA
}

fn status() -> &'static Schema {
    static SCHEMA: Schema = Schema::Enum(&Enum {
        name: "Status",
        is_known: |value| matches!(value, "verified" | "unverified"),
    });
    &SCHEMA
}

fn otp() -> &'static Schema {
    static SCHEMA: Schema = Schema::Struct(&Struct {
        name: "Otp",
        fields: &[
            Field::required("object", <String as Modeled>::schema),
            Field::required("status", status),
            Field::required("attempts", <i64 as Modeled>::schema),
        ],
    });
    &SCHEMA
}

fn verification() -> &'static Schema {
    static SCHEMA: Schema = Schema::Tagged(&TaggedUnion {
        name: "Verification",
        tag: "object",
        variants: &[("verification_otp", otp)],
    });
    &SCHEMA
}

fn phones() -> &'static Schema {
    static SCHEMA: Schema = Schema::Array(phone);
    &SCHEMA
}

/// The repaired value, without the markers of filled fields, and each deviation's `Display`.
fn walk(mut value: Value, schema: &'static Schema) -> (Value, Vec<String>) {
    let mut walker = Walker::new();
    assert!(walker.repair(&mut value, schema), "the top level fits");
    unmark(&mut value);
    (value, walker.deviations.iter().map(ToString::to_string).collect())
}

fn unmark(value: &mut Value) {
    match value {
        Value::Object(object) => {
            object.remove(FILLED_MARKER);
            object.values_mut().for_each(unmark);
        }
        Value::Array(items) => items.iter_mut().for_each(unmark),
        _ => {}
    }
}

#[test]
fn each_object_names_the_fields_it_filled_in() {
    let mut value = json!({"attempts": "x", "reserved": null, "note": null, "status": "verified"});
    let mut walker = Walker::new();
    assert!(walker.repair(&mut value, phone()));
    assert_eq!(value[FILLED_MARKER], json!(["id", "attempts", "expire_at", "reserved"]));
    let mut conforming = json!({"id": "p", "attempts": 1, "expire_at": null});
    assert!(Walker::new().repair(&mut conforming, phone()));
    assert_eq!(conforming.get(FILLED_MARKER), None, "nothing filled, no marker");
}

#[test]
fn a_conforming_value_is_left_alone() {
    let value = json!({"id": "p", "attempts": 1, "expire_at": null, "note": null, "tags": ["a"],
        "status": "verified", "verification": {"object": "verification_otp", "status": "verified", "attempts": 0},
        "extra": null, "unknown_field": 1});
    assert_eq!(walk(value.clone(), phone()), (value, vec![]));
}

#[test]
fn missing_and_null_fields_become_none_or_the_empty_value() {
    let (value, deviations) = walk(json!({"attempts": null, "reserved": null}), phone());
    assert_eq!(value, json!({"id": "", "attempts": 0, "expire_at": null}));
    assert_eq!(
        deviations,
        [
            "/id: missing where the spec requires a string; decoded as the empty value",
            "/attempts: null where the spec requires an integer; decoded as the empty value",
            "/expire_at: missing where the spec requires an integer; decoded as None",
            "/reserved: null where the spec requires a boolean; decoded as None",
        ]
    );
}

#[test]
fn scalars_convert_when_their_text_is_a_value_of_the_right_type() {
    let (value, deviations) = walk(
        json!({"id": 42, "attempts": "3", "expire_at": 1.7e9, "reserved": "true", "status": true}),
        phone(),
    );
    assert_eq!(
        value,
        json!({"id": "42", "attempts": 3, "expire_at": 1_700_000_000, "reserved": true, "status": "true"})
    );
    assert_eq!(
        deviations,
        [
            "/id: a number where the spec requires a string; converted",
            "/attempts: a string where the spec requires an integer; converted",
            "/expire_at: a number where the spec requires an integer; converted",
            "/reserved: a string where the spec requires a boolean; converted",
            "/status: a boolean where the spec requires `Status`; converted",
            "/status: a value `Status` does not list; kept as Unknown",
        ]
    );
}

#[test]
fn values_that_do_not_convert_are_taken_as_absent() {
    let (value, deviations) = walk(
        json!({"id": ["x"], "attempts": 3.5, "expire_at": "soon", "reserved": 1, "tags": "a,b"}),
        phone(),
    );
    assert_eq!(value, json!({"id": "", "attempts": 0, "expire_at": null}));
    assert_eq!(
        deviations,
        [
            "/id: an array where the spec requires a string; decoded as the empty value",
            "/attempts: a number where the spec requires an integer; decoded as the empty value",
            "/expire_at: a string where the spec requires an integer; decoded as None",
            "/reserved: a number where the spec requires a boolean; decoded as None",
            "/tags: a string where the spec requires an array; decoded as None",
        ]
    );
}

#[test]
fn a_conversion_that_would_change_the_value_is_no_conversion() {
    // 2^53 + 1 as a float reads as 2^53; a float as text would gain a `.0`.
    let body = r#"{"id": 1.5555550147e10, "attempts": 1, "expire_at": 9007199254740993.0}"#;
    let (value, deviations) = walk(serde_json::from_str(body).expect("JSON"), phone());
    assert_eq!(value, json!({"id": "", "attempts": 1, "expire_at": null}));
    assert_eq!(
        deviations,
        [
            "/id: a number where the spec requires a string; decoded as the empty value",
            "/expire_at: a number where the spec requires an integer; decoded as None",
        ]
    );
    assert!(matches!(to_number(&json!("9007199254740993")), Conversion::Impossible));
    assert!(matches!(
        to_number(&json!("123456789012345678901234")),
        Conversion::Impossible
    ));
    assert!(
        matches!(to_number(&json!("9007199254740992")), Conversion::To(n) if n == json!(9_007_199_254_740_992_i64))
    );
    assert!(matches!(to_number(&json!("0.25")), Conversion::To(n) if n == json!(0.25)));
    assert!(matches!(
        to_integer(&json!(9_007_199_254_740_991.0), i64::MIN, i64::MAX),
        Conversion::To(_)
    ));
}

#[test]
fn integers_out_of_the_rust_type_range_do_not_fit() {
    let (value, deviations) = walk(
        json!({"id": "p", "attempts": 3_000_000_000i64, "expire_at": 1}),
        phone(),
    );
    assert_eq!(value["attempts"], json!(0));
    assert_eq!(
        deviations,
        ["/attempts: a number where the spec requires an integer; decoded as the empty value"]
    );
}

#[test]
fn bad_items_are_dropped_and_the_others_kept_and_repaired() {
    let body = json!([
        {"id": "a", "attempts": 1, "expire_at": 2},
        null,
        "b",
        {"id": "c", "expire_at": 2, "tags": ["x", null, 7]},
    ]);
    let (value, deviations) = walk(body, phones());
    assert_eq!(
        value,
        json!([
            {"id": "a", "attempts": 1, "expire_at": 2},
            {"id": "c", "expire_at": 2, "attempts": 0, "tags": ["x", "7"]},
        ])
    );
    assert_eq!(
        deviations,
        [
            "/1: null where the spec requires a `Phone` object; left out",
            "/2: a string where the spec requires a `Phone` object; left out",
            "/3/attempts: missing where the spec requires an integer; decoded as the empty value",
            "/3/tags/1: null where the spec requires a string; left out",
            "/3/tags/2: a number where the spec requires a string; converted",
        ]
    );
}

#[test]
fn union_members_are_repaired_by_their_tag_or_kept_unknown() {
    let member = |verification: Value| json!({"id": "p", "attempts": 1, "expire_at": 1, "verification": verification});
    let (value, deviations) = walk(
        member(json!({"object": "verification_otp", "status": "expired"})),
        phone(),
    );
    assert_eq!(
        value["verification"],
        json!({"object": "verification_otp", "status": "expired", "attempts": 0})
    );
    assert_eq!(
        deviations,
        [
            "/verification/status: a value `Status` does not list; kept as Unknown",
            "/verification/attempts: missing where the spec requires an integer; decoded as the empty value",
        ]
    );
    let (_, deviations) = walk(member(json!({"object": "verification_saml"})), phone());
    assert_eq!(
        deviations,
        ["/verification/object: a tag `Verification` does not list; kept as Unknown"]
    );
    let (_, deviations) = walk(member(json!({"status": "verified"})), phone());
    assert_eq!(
        deviations,
        ["/verification/object: no tag, which `Verification` requires; kept as Unknown"]
    );
}

#[test]
fn a_missing_struct_is_filled_with_empty_values_and_reported_once() {
    fn holder() -> &'static Schema {
        static SCHEMA: Schema = Schema::Struct(&Struct {
            name: "Holder",
            fields: &[Field::required("phone", phone)],
        });
        &SCHEMA
    }
    let (value, deviations) = walk(json!({}), holder());
    assert_eq!(value, json!({"phone": {"id": "", "attempts": 0, "expire_at": null}}));
    assert_eq!(
        deviations,
        ["/phone: missing where the spec requires a `Phone` object; decoded as the empty value"]
    );
}

#[test]
fn a_struct_that_requires_itself_has_a_finite_empty_value() {
    fn node() -> &'static Schema {
        static SCHEMA: Schema = Schema::Struct(&Struct {
            name: "Node",
            fields: &[Field::required("next", node)],
        });
        &SCHEMA
    }
    let mut depth = 0;
    let mut value = &empty(node(), 0);
    while let Some(next) = value.get("next") {
        depth += 1;
        value = next;
    }
    assert_eq!((depth, value), (MAX_EMPTY_DEPTH, &Value::Null));
}

#[test]
fn map_values_are_repaired_like_items() {
    fn counts() -> &'static Schema {
        static SCHEMA: Schema = Schema::Map(<i64 as Modeled>::schema);
        &SCHEMA
    }
    let (value, deviations) = walk(json!({"a": 1, "b/c": "2", "d": "x"}), counts());
    assert_eq!(value, json!({"a": 1, "b/c": 2}));
    assert_eq!(
        deviations,
        [
            "/b~1c: a string where the spec requires an integer; converted",
            "/d: a string where the spec requires an integer; left out",
        ]
    );
}

#[test]
fn a_body_where_none_is_documented_is_ignored() {
    let (value, deviations) = walk(json!({"ok": true}), <() as Modeled>::schema());
    assert_eq!(value, Value::Null);
    assert_eq!(
        deviations,
        ["(body): an object where the spec documents no body; ignored"]
    );
}

#[test]
fn the_wrong_top_level_type_does_not_fit() {
    let mut walker = Walker::new();
    assert!(!walker.repair(&mut json!([1]), phone()));
    assert!(!walker.repair(&mut json!({"a": 1}), phones()));
    assert!(walker.deviations.is_empty());
}
