//! A list served in pages by the testing kit (`Expectation::serves_list`): each request gets
//! the page its own offset or cursor and page size ask for, in the shape the operation's
//! responses have (a bare array, or an envelope with its total and next cursor).

use serde_json::{Map, Value};

use crate::pagination::{CursorFrom, PageBy, Paging};

/// The page size when a request sets none and the operation has no maximum.
const DEFAULT_PAGE_SIZE: usize = 10;

/// The body answering a request with `query` for a page of `items`.
pub(super) fn page_body(paging: &Paging, items: &[Value], query: &[(String, String)]) -> Value {
    let value = |name: &str| {
        query
            .iter()
            .find(|(sent, _)| sent == name)
            .map(|(_, value)| value.as_str())
    };
    let start = match &paging.by {
        PageBy::Offset(param) => value(param).and_then(|offset| offset.parse().ok()).unwrap_or(0),
        PageBy::Cursor {
            param,
            from: CursorFrom::LastItem(field),
            rules,
        } => match value(param) {
            Some(after) => items
                .iter()
                .position(|item| cursor_text(item, field).as_deref() == Some(after))
                .map_or(items.len(), |index| index + 1),
            // A call the cursor's rules do not allow pages by their fallback offset.
            None => rules
                .fallback
                .and_then(value)
                .and_then(|offset| offset.parse().ok())
                .unwrap_or(0),
        },
        // The kit's own cursor for a list whose responses carry one: the next item's index.
        PageBy::Cursor { param, .. } => value(param).and_then(|next| next.parse().ok()).unwrap_or(0),
        PageBy::Once => 0,
    };
    let size = paging
        .limit
        .and_then(value)
        .and_then(|limit| limit.parse().ok())
        .or_else(|| paging.max_page_size.and_then(|max| usize::try_from(max).ok()))
        .unwrap_or(DEFAULT_PAGE_SIZE);
    let start = start.min(items.len());
    let end = start.saturating_add(size).min(items.len());
    let page = Value::Array(items[start..end].to_vec());
    let Some(items_field) = paging.items else {
        return page;
    };
    let mut envelope = Map::new();
    envelope.insert(items_field.to_owned(), page);
    if let Some(total) = paging.total {
        envelope.insert(total.to_owned(), Value::from(items.len()));
    }
    if let PageBy::Cursor {
        from: CursorFrom::Field(field),
        ..
    } = &paging.by
    {
        let next = (end < items.len()).then(|| Value::String(end.to_string()));
        envelope.insert((*field).to_owned(), next.unwrap_or(Value::Null));
    }
    Value::Object(envelope)
}

/// An item's cursor field as text.
fn cursor_text(item: &Value, field: &str) -> Option<String> {
    match item.get(field)? {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::pagination::CursorRules;

    fn things(count: usize) -> Vec<Value> {
        (0..count).map(|i| json!({"id": format!("t{i}")})).collect()
    }

    fn query(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect()
    }

    #[test]
    fn an_offset_envelope_gives_the_page_asked_for_with_the_total() {
        static PAGING: Paging = Paging {
            by: PageBy::Offset("offset"),
            limit: Some("limit"),
            max_page_size: Some(500),
            items: Some("data"),
            total: Some("total_count"),
        };
        let body = page_body(&PAGING, &things(25), &query(&[("offset", "20"), ("limit", "10")]));
        assert_eq!(body["total_count"], 25);
        assert_eq!(body["data"].as_array().map(Vec::len), Some(5));
        assert_eq!(body["data"][0]["id"], "t20");
        let first = page_body(&PAGING, &things(25), &[]);
        assert_eq!(
            first["data"].as_array().map(Vec::len),
            Some(25),
            "the maximum when no limit is sent"
        );
    }

    #[test]
    fn cursor_lists_start_after_their_cursor() {
        static BY_ITEM: Paging = Paging {
            by: PageBy::Cursor {
                param: "after",
                from: CursorFrom::LastItem("id"),
                rules: CursorRules::NONE,
            },
            limit: Some("limit"),
            max_page_size: None,
            items: None,
            total: None,
        };
        let body = page_body(&BY_ITEM, &things(25), &query(&[("after", "t9"), ("limit", "3")]));
        assert_eq!(body, json!([{"id": "t10"}, {"id": "t11"}, {"id": "t12"}]));
        static WITH_FALLBACK: Paging = Paging {
            by: PageBy::Cursor {
                param: "after",
                from: CursorFrom::LastItem("id"),
                rules: CursorRules {
                    allows: &[],
                    excludes: &[("offset", Some("0"))],
                    fallback: Some("offset"),
                },
            },
            limit: Some("limit"),
            max_page_size: None,
            items: None,
            total: None,
        };
        let by_offset = page_body(&WITH_FALLBACK, &things(25), &query(&[("offset", "20"), ("limit", "2")]));
        assert_eq!(
            by_offset,
            json!([{"id": "t20"}, {"id": "t21"}]),
            "a walk outside the rules pages by offset"
        );
        static BY_FIELD: Paging = Paging {
            by: PageBy::Cursor {
                param: "after",
                from: CursorFrom::Field("next"),
                rules: CursorRules::NONE,
            },
            limit: None,
            max_page_size: None,
            items: Some("events"),
            total: None,
        };
        let first = page_body(&BY_FIELD, &things(15), &[]);
        assert_eq!(first["next"], "10");
        let last = page_body(&BY_FIELD, &things(15), &query(&[("after", "10")]));
        assert_eq!(
            (last["events"].as_array().map(Vec::len), &last["next"]),
            (Some(5), &Value::Null)
        );
    }
}
