//! The walk through a list, without any I/O: which page to ask for next, and, from what a page
//! held, where the list goes on or that it ended. The [`Paginator`](super::Paginator) sends
//! the requests; every rule about pages lives here, so it is tested without a server.

use std::collections::HashSet;

use super::{PageBy, PageCursor, Paging, Position};

/// What a page held, as far as the walk cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Seen {
    /// The number of items on the page.
    pub(super) count: u64,
    /// The list's total, where the API reports it.
    pub(super) total: Option<u64>,
    /// The cursor of the next page, from the response or the last item (cursor lists only).
    pub(super) next_cursor: Option<String>,
}

/// The query parameters of the next request: the position and the page size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Request {
    /// Name and value of each parameter the walk sets, position first.
    pub(super) params: Vec<(&'static str, String)>,
    /// The page size asked for, if the operation takes one.
    pub(super) limit: Option<u64>,
}

/// A walk through one list.
#[derive(Debug)]
pub(super) struct Walk {
    operation: &'static str,
    paging: &'static Paging,
    position: Position,
    seen: u64,
    page_size: Option<u64>,
    max_items: Option<u64>,
    /// Every position asked for, so a repeated one is caught.
    asked: HashSet<Position>,
    done: bool,
}

impl Walk {
    /// A walk from the start, with the operation's largest page.
    pub(super) fn new(operation: &'static str, paging: &'static Paging) -> Self {
        Walk {
            operation,
            paging,
            position: Position::Start,
            seen: 0,
            page_size: paging.max_page_size,
            max_items: None,
            asked: HashSet::new(),
            done: false,
        }
    }

    /// Asks for pages of `size` items. Fails when the operation's maximum is lower, or `size`
    /// is 0.
    pub(super) fn set_page_size(&mut self, size: u64) -> Result<(), String> {
        if size == 0 {
            return Err("the page size must be at least 1".to_owned());
        }
        if let Some(max) = self.paging.max_page_size.filter(|max| size > *max) {
            return Err(format!("the page size {size} is over the operation's maximum of {max}"));
        }
        self.page_size = Some(size);
        Ok(())
    }

    /// Ends the walk after `max` items in all (counting those before a resumed cursor).
    pub(super) fn set_max_items(&mut self, max: u64) {
        self.max_items = Some(max);
    }

    /// Starts where `cursor` says. Fails when it belongs to another operation, or its position
    /// is of a kind this list does not take.
    pub(super) fn resume(&mut self, cursor: PageCursor) -> Result<(), String> {
        if cursor.operation != self.operation {
            return Err(format!(
                "the cursor belongs to `{}`, not `{}`",
                cursor.operation, self.operation
            ));
        }
        let fits = matches!(
            (&cursor.position, &self.paging.by),
            (Position::Start, _)
                | (Position::Offset(_), PageBy::Offset(_))
                | (Position::After(_), PageBy::Cursor { .. })
        );
        if !fits {
            return Err(format!(
                "the cursor's position ({}) does not fit this list",
                cursor.position
            ));
        }
        self.position = cursor.position;
        self.seen = cursor.items_seen;
        Ok(())
    }

    /// Starts at what the call's own query asks for: its page size, offset or cursor.
    pub(super) fn start_from_query(&mut self, value_of: impl Fn(&str) -> Option<String>) {
        if let Some(size) = self.paging.limit.and_then(&value_of).and_then(|size| size.parse().ok()) {
            self.page_size = Some(size);
        }
        match &self.paging.by {
            PageBy::Offset(param) => {
                if let Some(offset) = value_of(param).and_then(|offset| offset.parse().ok()) {
                    self.position = Position::Offset(offset);
                }
            }
            PageBy::Cursor { param, .. } => {
                if let Some(cursor) = value_of(param).filter(|cursor| !cursor.is_empty()) {
                    self.position = Position::After(cursor);
                }
            }
            PageBy::Once => {}
        }
    }

    /// Where the walk stands.
    pub(super) fn cursor(&self) -> PageCursor {
        PageCursor {
            operation: self.operation.to_owned(),
            position: self.position.clone(),
            items_seen: self.seen,
        }
    }

    /// Whether the list has ended.
    pub(super) fn is_done(&self) -> bool {
        self.done || self.remaining() == Some(0)
    }

    /// How many items `max_items` still lets through.
    pub(super) fn remaining(&self) -> Option<u64> {
        self.max_items.map(|max| max.saturating_sub(self.seen))
    }

    /// The parameters of the next page's request; `None` when the list has ended.
    pub(super) fn request(&self) -> Option<Request> {
        if self.is_done() {
            return None;
        }
        let limit = match (self.page_size, self.remaining()) {
            (Some(size), Some(remaining)) => Some(size.min(remaining)),
            (size, _) => size,
        };
        let limit = limit.filter(|_| self.paging.limit.is_some());
        let mut params = Vec::with_capacity(2);
        match (&self.paging.by, &self.position) {
            (PageBy::Offset(param), Position::Offset(offset)) => params.push((*param, offset.to_string())),
            (PageBy::Cursor { param, .. }, Position::After(cursor)) => params.push((*param, cursor.clone())),
            _ => {}
        }
        if let (Some(param), Some(limit)) = (self.paging.limit, limit) {
            params.push((param, limit.to_string()));
        }
        Some(Request { params, limit })
    }

    /// Takes in what the page asked for with `request` held: the walk moves past it, or ends.
    /// Fails, ending the walk, when the API points back to a page it gave before.
    pub(super) fn advance(&mut self, request: &Request, page: &Seen) -> Result<(), String> {
        self.asked.insert(self.position.clone());
        self.seen += page.count;
        let next = match &self.paging.by {
            PageBy::Offset(_) => {
                let offset = match &self.position {
                    Position::Offset(offset) => *offset,
                    _ => 0,
                };
                Some(Position::Offset(offset + page.count))
            }
            PageBy::Cursor { .. } => page.next_cursor.clone().map(Position::After),
            PageBy::Once => None,
        };
        let ended = page.count == 0
            || request.limit.is_some_and(|limit| page.count < limit)
            || page.total.is_some_and(|total| self.seen >= total);
        match next {
            Some(next) if !ended => {
                if self.asked.contains(&next) {
                    self.done = true;
                    return Err(format!(
                        "the API pointed to the page {next} a second time; the list was left there so it is not read forever"
                    ));
                }
                self.position = next;
            }
            _ => self.done = true,
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pagination::CursorFrom;

    static OFFSET: Paging = Paging {
        by: PageBy::Offset("offset"),
        limit: Some("limit"),
        max_page_size: Some(500),
        items: None,
        total: None,
    };
    static CURSOR: Paging = Paging {
        by: PageBy::Cursor {
            param: "starting_after",
            from: CursorFrom::LastItem("id"),
        },
        limit: Some("limit"),
        max_page_size: Some(500),
        items: None,
        total: None,
    };
    static UNSIZED: Paging = Paging {
        by: PageBy::Offset("offset"),
        limit: None,
        max_page_size: None,
        items: None,
        total: None,
    };

    fn seen(count: u64, total: Option<u64>, next_cursor: Option<&str>) -> Seen {
        Seen {
            count,
            total,
            next_cursor: next_cursor.map(str::to_owned),
        }
    }

    /// Walks with pages of the given counts, returning each request's parameters.
    fn walk(walk: &mut Walk, pages: &[Seen]) -> Vec<Vec<(&'static str, String)>> {
        let mut asked = Vec::new();
        for page in pages {
            let Some(request) = walk.request() else { break };
            asked.push(request.params.clone());
            walk.advance(&request, page).expect("no repeat");
        }
        asked
    }

    fn params(list: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
        list.iter().map(|(name, value)| (*name, (*value).to_owned())).collect()
    }

    #[test]
    fn an_offset_list_of_1234_takes_three_pages_of_the_largest_size() {
        let mut offsets = Walk::new("ListThings", &OFFSET);
        let pages = [
            seen(500, None, None),
            seen(500, None, None),
            seen(234, None, None),
            seen(0, None, None),
        ];
        assert_eq!(
            walk(&mut offsets, &pages),
            [
                params(&[("limit", "500")]),
                params(&[("offset", "500"), ("limit", "500")]),
                params(&[("offset", "1000"), ("limit", "500")]),
            ]
        );
        assert!(offsets.is_done());
        assert_eq!(offsets.cursor().items_seen, 1234);
    }

    #[test]
    fn a_list_ends_at_its_total_or_an_empty_page() {
        let mut total = Walk::new("ListThings", &OFFSET);
        assert_eq!(
            walk(&mut total, &[seen(500, Some(1000), None), seen(500, Some(1000), None)]).len(),
            2
        );
        assert!(total.is_done(), "the total is reached with a full page");
        let mut unsized_list = Walk::new("ListThings", &UNSIZED);
        let asked = walk(
            &mut unsized_list,
            &[seen(10, None, None), seen(10, None, None), seen(0, None, None)],
        );
        assert_eq!(
            asked,
            [params(&[]), params(&[("offset", "10")]), params(&[("offset", "20")])]
        );
        assert!(
            unsized_list.is_done(),
            "without a page size, only an empty page ends it"
        );
    }

    #[test]
    fn max_items_shrinks_the_last_page_and_ends_the_walk() {
        let mut capped = Walk::new("ListThings", &OFFSET);
        capped.set_max_items(700);
        let asked = walk(&mut capped, &[seen(500, None, None), seen(200, None, None)]);
        assert_eq!(asked[1], params(&[("offset", "500"), ("limit", "200")]));
        assert!(capped.is_done());
        assert_eq!(capped.request(), None);
    }

    #[test]
    fn a_cursor_list_follows_its_cursor_and_refuses_a_repeated_one() {
        let mut cursors = Walk::new("ListThings", &CURSOR);
        let asked = walk(&mut cursors, &[seen(500, None, Some("a")), seen(500, None, Some("b"))]);
        assert_eq!(asked[1], params(&[("starting_after", "a"), ("limit", "500")]));
        let request = cursors.request().expect("goes on");
        assert_eq!(request.params[0], ("starting_after", "b".to_owned()));
        let error = cursors
            .advance(&request, &seen(500, None, Some("a")))
            .expect_err("a repeat");
        assert!(error.contains("after cursor `a` a second time"), "{error}");
        assert!(cursors.is_done());
        let mut no_cursor = Walk::new("ListThings", &CURSOR);
        walk(&mut no_cursor, &[seen(500, None, None)]);
        assert!(no_cursor.is_done(), "a full page without a next cursor is the last");
    }

    #[test]
    fn a_resumed_walk_starts_at_its_cursor_and_counts_on() {
        let mut first = Walk::new("ListThings", &CURSOR);
        walk(&mut first, &[seen(500, None, Some("user_500"))]);
        let saved = serde_json::to_string(&first.cursor()).expect("serializes");
        let mut second = Walk::new("ListThings", &CURSOR);
        second.set_max_items(600);
        second
            .resume(serde_json::from_str(&saved).expect("deserializes"))
            .expect("fits");
        let request = second.request().expect("goes on");
        assert_eq!(
            request.params,
            params(&[("starting_after", "user_500"), ("limit", "100")])
        );
        let other = Walk::new("ListOthers", &CURSOR).cursor();
        assert_eq!(
            Walk::new("ListThings", &CURSOR).resume(other),
            Err("the cursor belongs to `ListOthers`, not `ListThings`".to_owned())
        );
        let offset = Walk::new("ListThings", &OFFSET);
        let mut moved = offset;
        walk(&mut moved, &[seen(500, None, None)]);
        assert!(Walk::new("ListThings", &CURSOR).resume(moved.cursor()).is_err());
    }

    #[test]
    fn the_calls_own_query_sets_the_start_and_the_page_size() {
        let mut walk = Walk::new("ListThings", &OFFSET);
        walk.start_from_query(|name| match name {
            "limit" => Some("20".to_owned()),
            "offset" => Some("40".to_owned()),
            _ => None,
        });
        assert_eq!(
            walk.request().expect("goes on").params,
            params(&[("offset", "40"), ("limit", "20")])
        );
        assert_eq!(
            walk.set_page_size(501),
            Err("the page size 501 is over the operation's maximum of 500".to_owned())
        );
        assert_eq!(
            walk.set_page_size(0),
            Err("the page size must be at least 1".to_owned())
        );
    }
}
