use super::*;
use crate::model::CursorRules;

fn query(params: &[(&str, bool, Option<u64>)]) -> Vec<QueryFacts> {
    params
        .iter()
        .map(|(name, numeric, maximum)| QueryFacts {
            name: (*name).to_owned(),
            numeric: *numeric,
            maximum: *maximum,
            default: None,
        })
        .collect()
}

fn declaration(value: serde_json::Value, params: &[QueryFacts]) -> Result<Pagination, String> {
    let extensions: IndexMap<String, serde_json::Value> = [(EXTENSION.to_owned(), value)].into_iter().collect();
    declared(&extensions, params).expect("declared")
}

#[test]
fn offset_and_limit_integers_are_inferred_with_the_limits_maximum() {
    let inferred_list = inferred(&query(&[
        ("offset", true, None),
        ("limit", true, Some(500)),
        ("q", false, None),
    ]))
    .expect("inferred");
    assert_eq!(inferred_list.by, PageBy::Offset("offset".to_owned()));
    assert_eq!(inferred_list.max_page_size, Some(500));
    assert!(!inferred_list.declared);
    assert_eq!(inferred(&query(&[("offset", true, None)])), None);
    assert_eq!(
        inferred(&query(&[("offset", false, None), ("limit", true, None)])),
        None
    );
}

#[test]
fn a_cursor_declaration_names_its_cursor_and_results() {
    let params = query(&[("starting_after", false, None), ("limit", true, Some(500))]);
    let cursor = declaration(
        serde_json::json!({
            "type": "cursor",
            "inputs": [
                {"name": "starting_after", "in": "parameters", "type": "cursor"},
                {"name": "limit", "in": "parameters", "type": "limit"}
            ],
            "outputs": {"results": "$", "nextCursor": "$[-1].id"}
        }),
        &params,
    )
    .expect("valid");
    assert_eq!(
        cursor.by,
        PageBy::Cursor {
            param: "starting_after".to_owned(),
            from: CursorFrom::LastItem("id".to_owned()),
            rules: CursorRules::default(),
        }
    );
    assert_eq!((cursor.results, cursor.max_page_size), (Results::Root, Some(500)));
}

#[test]
fn declarations_that_cannot_be_used_say_why() {
    let params = query(&[("offset", true, None)]);
    let cases = [
        (
            serde_json::json!({"type": "url"}),
            "pagination of type `url` is not supported",
        ),
        (
            serde_json::json!({"type": "offsetLimit", "inputs": [{"name": "page", "in": "parameters", "type": "page"}]}),
            "an `offsetLimit` list needs an `offset` input",
        ),
        (
            serde_json::json!({"type": "offsetLimit", "inputs": [{"name": "skip", "in": "parameters", "type": "offset"}]}),
            "its `offset` input `skip` is not a query parameter",
        ),
        (
            serde_json::json!({"type": "offsetLimit", "inputs": [{"name": "offset", "type": "offset"}], "outputs": {"results": "$.a.b"}}),
            "`results` must be `$` or `$.field`",
        ),
    ];
    for (value, expected) in cases {
        let error = declaration(value, &params).expect_err("refused");
        assert!(error.contains(expected), "{error}");
    }
}

#[test]
fn json_paths_are_read_as_fields() {
    assert_eq!(field_path("$"), Ok(vec![]));
    assert_eq!(field_path("$.m2m_tokens"), Ok(vec!["m2m_tokens".to_owned()]));
    assert_eq!(field_path("$['a b'].c"), Ok(vec!["a b".to_owned(), "c".to_owned()]));
    assert!(field_path("$..a").is_err());
    assert!(field_path("data").is_err());
    assert_eq!(
        cursor_from("$.data[(@.length-1)].id"),
        Ok(CursorFrom::LastItem("id".to_owned()))
    );
    assert_eq!(cursor_from("$.next"), Ok(CursorFrom::Envelope("next".to_owned())));
    assert!(cursor_from("$.data[-1].a.b").is_err());
}
