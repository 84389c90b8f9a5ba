use super::*;

const SPEC: &str = "openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /users:
    get:
      operationId: ListUsers
      parameters:
        - {name: limit, in: query, schema: {type: number, minimum: 1}}
        - {name: offset, in: query, schema: {type: integer}}
      responses:
        200: {description: ok}
components:
  schemas:
    Zeta: {type: object, properties: {b: {type: string}, a: {type: string}}}
    Alpha: {type: object}
";

fn overlay(actions: &str) -> Overlay {
    let text = format!(
        "overlay: 1.0.0\ninfo: {{title: Fixes, version: '1'}}\nextends: https://example.com/specs/bapi.yml\nactions:\n{actions}"
    );
    Overlay::parse(&text, "fixes.yaml").expect("a valid overlay")
}

fn applied(actions: &str) -> (Value, Vec<Warning>) {
    let (text, warnings) = apply_all(SPEC, &[overlay(actions)]).expect("applies");
    (serde_yaml::from_str(&text).expect("YAML"), warnings)
}

#[test]
fn an_update_merges_into_every_selected_node_and_keeps_the_order() {
    let (spec, warnings) = applied(
        "  - target: $.paths['/users'].get.parameters[?@.name == 'limit'].schema
    update: {type: integer, maximum: 500}
  - target: $.components.schemas.Zeta.properties
    update: {c: {type: boolean}}
",
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    let limit = &spec["paths"]["/users"]["get"]["parameters"][0]["schema"];
    assert_eq!(limit["type"], Value::from("integer"), "replaced");
    assert_eq!(limit["maximum"], Value::from(500), "added");
    assert_eq!(limit["minimum"], Value::from(1), "kept");
    let names: Vec<&str> = (spec["components"]["schemas"]["Zeta"]["properties"]
        .as_mapping()
        .expect("a mapping"))
    .keys()
    .filter_map(Value::as_str)
    .collect();
    assert_eq!(names, ["b", "a", "c"], "the spec's order, the new key last");
    let schemas: Vec<&str> = (spec["components"]["schemas"].as_mapping().expect("a mapping"))
        .keys()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(schemas, ["Zeta", "Alpha"], "nothing re-sorted");
}

#[test]
fn a_target_may_select_several_nodes_and_numeric_keys() {
    let (spec, _) = applied(
        "  - target: $.paths.*.get.parameters[*].schema
    update: {x-checked: true}
  - target: $.paths['/users'].get.responses['200']
    update: {description: the users}
",
    );
    let parameters = spec["paths"]["/users"]["get"]["parameters"]
        .as_sequence()
        .expect("a list");
    assert!(parameters.iter().all(|p| p["schema"]["x-checked"] == Value::Bool(true)));
    let ok = &spec["paths"]["/users"]["get"]["responses"][200];
    assert_eq!(
        ok["description"],
        Value::from("the users"),
        "`200:` is a number in YAML"
    );
}

#[test]
fn remove_takes_nodes_out_of_mappings_and_lists() {
    let (spec, _) = applied(
        "  - target: $.paths['/users'].get.parameters[?@.name == 'offset']
    remove: true
  - target: $.components.schemas.Alpha
    remove: true
",
    );
    assert_eq!(
        spec["paths"]["/users"]["get"]["parameters"].as_sequence().map(Vec::len),
        Some(1)
    );
    assert!(spec["components"]["schemas"].get("Alpha").is_none());
}

#[test]
fn an_update_of_a_list_appends_to_it() {
    let (spec, _) = applied(
        "  - target: $.paths['/users'].get.parameters
    update: {name: paginated, in: query, schema: {type: boolean}}
",
    );
    let parameters = spec["paths"]["/users"]["get"]["parameters"]
        .as_sequence()
        .expect("a list");
    assert_eq!(parameters.len(), 3);
    assert_eq!(parameters[2]["name"], Value::from("paginated"));
}

#[test]
fn a_target_that_selects_nothing_is_a_warning_with_its_index() {
    let (_, warnings) = applied(
        "  - target: $.info
    update: {x-note: fine}
  - target: $.paths['/nowhere']
    remove: true
",
    );
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].pointer.to_string(), "#/actions/1");
    assert!(warnings[0].message.contains("fixes.yaml"), "{}", warnings[0].message);
    assert!(
        warnings[0].message.contains("$.paths['/nowhere']"),
        "{}",
        warnings[0].message
    );
}

#[test]
fn an_invalid_overlay_is_a_located_error() {
    let cases = [
        (
            "overlay: 2.0.0\ninfo: {title: T}\nactions: [{target: $, remove: true}]",
            "fixes.yaml#/overlay",
        ),
        (
            "overlay: 1.0.0\nactions: [{target: $, remove: true}]",
            "fixes.yaml#/info",
        ),
        ("overlay: 1.0.0\ninfo: {title: T}\nactions: []", "fixes.yaml#/actions"),
        (
            "overlay: 1.0.0\ninfo: {title: T}\nactions: [{remove: true}]",
            "fixes.yaml#/actions/0/target",
        ),
        (
            "overlay: 1.0.0\ninfo: {title: T}\nactions: [{target: 'paths[', remove: true}]",
            "fixes.yaml#/actions/0/target",
        ),
        (
            "overlay: 1.0.0\ninfo: {title: T}\nactions: [{target: $.a, remove: 'yes'}]",
            "fixes.yaml#/actions/0/remove",
        ),
        (
            "overlay: 1.0.0\ninfo: {title: T}\nactions: [{target: $.a}]",
            "fixes.yaml#/actions/0:",
        ),
        (
            "overlay: 1.0.0\ninfo: {title: T}\nactions: [{target: $.a, remove: true, update: {}}]",
            "fixes.yaml#/actions/0:",
        ),
        ("overlay: [", "fixes.yaml#:"),
    ];
    for (text, located) in cases {
        let error = Overlay::parse(text, "fixes.yaml").expect_err(text).to_string();
        assert!(error.starts_with(located), "{text}: {error}");
    }
}

#[test]
fn extends_names_the_spec_file_it_is_for() {
    let overlay = overlay("  - target: $.info\n    update: {}\n");
    assert!(overlay.extends_file("bapi.yml"));
    assert!(!overlay.extends_file("fapi.yml"));
    assert_eq!(overlay.title, "Fixes");
}

#[test]
fn without_overlays_the_text_is_untouched() {
    let (text, warnings) = apply_all(SPEC, &[]).expect("nothing to do");
    assert_eq!(text, SPEC);
    assert!(warnings.is_empty());
}

#[test]
fn the_function_extensions_of_rfc_9535_work() {
    let (spec, warnings) = applied(
        "  - target: $.paths.*.get.parameters[?match(@.name, 'lim.*') && length(@.name) == 5].schema
    update: {maximum: 500}
",
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        spec["paths"]["/users"]["get"]["parameters"][0]["schema"]["maximum"],
        Value::from(500)
    );
    assert!(
        spec["paths"]["/users"]["get"]["parameters"][1]["schema"]
            .get("maximum")
            .is_none()
    );
}

#[test]
fn removing_several_items_of_a_long_list_removes_exactly_those() {
    let items: Vec<String> = (0..12).map(|i| format!("  - {{name: p{i}}}")).collect();
    let spec = format!("list:\n{}\n", items.join("\n"));
    let overlay = Overlay::parse(
        "overlay: 1.0.0\ninfo: {title: T}\nactions: [{target: '$.list[9,10,2]', remove: true}]\n",
        "o.yaml",
    )
    .expect("valid");
    let (text, _) = apply_all(&spec, &[overlay]).expect("applies");
    let spec: Value = serde_yaml::from_str(&text).expect("YAML");
    let names: Vec<&str> = (spec["list"].as_sequence().expect("a list").iter())
        .filter_map(|item| item["name"].as_str())
        .collect();
    assert_eq!(names, ["p0", "p1", "p3", "p4", "p5", "p6", "p7", "p8", "p11"]);
}
