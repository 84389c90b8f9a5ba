//! Which of a page's paging fields can be trusted: a field that deviated from the spec holds
//! what the lenient decoding filled in (a `total_count` of 0, an empty cursor, no items), not
//! what the API said, so the walk must not steer by it.

use super::{CursorFrom, PageBy, Paging};
use crate::drift::Deviation;

/// The deviations of one page that touch its paging fields, each said as a reason.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Untrusted {
    /// The items field (or, for a bare array, the body).
    pub(super) items: Option<String>,
    /// The total field.
    pub(super) total: Option<String>,
    /// The next cursor: the envelope's cursor field, or the cursor field of the last item.
    pub(super) cursor: Option<String>,
}

impl Untrusted {
    /// Reads `deviations` for a page of `count` items of a list that pages as `paging` says.
    pub(super) fn of(paging: &Paging, deviations: &[Deviation], count: usize) -> Untrusted {
        let items = match paging.items {
            Some(field) => format!("/{}", escape(field)),
            None => String::new(),
        };
        let cursor = match &paging.by {
            PageBy::Cursor {
                from: CursorFrom::Field(field),
                ..
            } => Some(format!("/{}", escape(field))),
            PageBy::Cursor {
                from: CursorFrom::LastItem(field),
                ..
            } => count
                .checked_sub(1)
                .map(|last| format!("{items}/{last}/{}", escape(field))),
            PageBy::Offset(_) | PageBy::Once => None,
        };
        let total = paging.total.map(|field| format!("/{}", escape(field)));
        // The body itself deviating (not the object or array the spec says) taints them all.
        let at = |pointer: Option<&str>| {
            let pointer = pointer?;
            deviations
                .iter()
                .find(|deviation| deviation.pointer() == pointer || deviation.pointer().is_empty())
                .map(ToString::to_string)
        };
        Untrusted {
            items: at(Some(&items)),
            total: at(total.as_deref()),
            cursor: at(cursor.as_deref()),
        }
    }
}

/// A field name as a JSON pointer token (RFC 6901).
fn escape(field: &str) -> String {
    field.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drift::{DeviationKind, Expected, JsonType, Resolution};
    use crate::pagination::CursorRules;

    fn missing(pointer: &str) -> Deviation {
        Deviation {
            pointer: pointer.to_owned(),
            kind: DeviationKind::Missing,
            expected: Expected::Integer,
            found: JsonType::Missing,
            resolution: Resolution::Empty,
            dropped: None,
        }
    }

    static ENVELOPE: Paging = Paging {
        by: PageBy::Cursor {
            param: "after",
            from: CursorFrom::Field("next"),
            rules: CursorRules::NONE,
        },
        limit: None,
        max_page_size: None,
        items: Some("data"),
        total: Some("total_count"),
    };
    static ARRAY: Paging = Paging {
        by: PageBy::Cursor {
            param: "after",
            from: CursorFrom::LastItem("id"),
            rules: CursorRules::NONE,
        },
        limit: None,
        max_page_size: None,
        items: None,
        total: None,
    };

    #[test]
    fn only_a_deviation_at_a_paging_field_taints_it() {
        let page = Untrusted::of(&ENVELOPE, &[missing("/total_count"), missing("/data/0/id")], 3);
        assert!(
            page.total
                .as_deref()
                .is_some_and(|reason| reason.starts_with("/total_count: "))
        );
        assert_eq!(
            (page.items, page.cursor),
            (None, None),
            "an item's own field is no paging field"
        );
        let page = Untrusted::of(&ENVELOPE, &[missing("/next")], 3);
        assert!(page.cursor.is_some() && page.total.is_none());
    }

    #[test]
    fn the_last_items_cursor_field_and_the_body_count() {
        let page = Untrusted::of(&ARRAY, &[missing("/2/id")], 3);
        assert!(page.cursor.is_some());
        assert_eq!(Untrusted::of(&ARRAY, &[missing("/1/id")], 3), Untrusted::default());
        let whole = Untrusted::of(&ENVELOPE, &[missing("")], 3);
        assert!(whole.items.is_some() && whole.total.is_some() && whole.cursor.is_some());
    }
}
