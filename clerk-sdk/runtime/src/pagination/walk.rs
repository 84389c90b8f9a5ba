//! The walk through a list, without any I/O: which page to ask for next, which of a page's
//! items are new, and, from what a page held, where the list goes on or that it ended. The
//! [`Paginator`](super::Paginator) sends the requests; every rule about pages lives here, so it
//! is tested without a server.

use std::collections::HashSet;

use super::rules::{self, Mode};
use super::{PageCursor, Paging, Position};

/// Who an item is, so that one given before is not given again: its `id`, or, for items
/// without one, its whole body (only compared with the previous page's).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum ItemKey {
    /// The item's `id`, as text.
    Id(String),
    /// The item's JSON, for an item without an `id`.
    Body(String),
}

/// What a page held, as far as the walk cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Seen {
    /// The number of items the API returned on the page, new or not.
    pub(super) count: u64,
    /// The list's total, where the API reports it and its value can be trusted.
    pub(super) total: Option<u64>,
    /// The cursor of the next page, from the response or the last item (cursor lists only).
    pub(super) next_cursor: Option<String>,
    /// Why the page's next cursor cannot be trusted (it deviated from the spec), if it cannot.
    pub(super) untrusted_cursor: Option<String>,
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
    /// How this walk pages: the list's own way, or by offset for a call a cursor does not
    /// allow.
    mode: Mode,
    position: Position,
    /// The items given to the application, counting those before a resumed cursor.
    given: u64,
    page_size: Option<u64>,
    max_items: Option<u64>,
    /// Every position asked for, so a repeated one is caught.
    asked: HashSet<Position>,
    /// The ids of the items given, so none is given twice.
    ids: HashSet<String>,
    /// The previous page's items that have no id, to catch the same page again.
    previous_bodies: Vec<String>,
    done: bool,
}

impl Walk {
    /// A walk from the start, with the operation's largest page.
    pub(super) fn new(operation: &'static str, paging: &'static Paging) -> Self {
        Walk {
            operation,
            paging,
            mode: Mode::of(&paging.by),
            position: Position::Start,
            given: 0,
            page_size: paging.max_page_size,
            max_items: None,
            asked: HashSet::new(),
            ids: HashSet::new(),
            previous_bodies: Vec::new(),
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
    /// is of a kind this walk does not take.
    pub(super) fn resume(&mut self, cursor: PageCursor) -> Result<(), String> {
        if cursor.operation != self.operation {
            return Err(format!(
                "the cursor belongs to `{}`, not `{}`",
                cursor.operation, self.operation
            ));
        }
        let fits = matches!(
            (&cursor.position, &self.mode),
            (Position::Start, _) | (Position::Offset(_), Mode::Offset(_)) | (Position::After(_), Mode::Cursor(_))
        );
        if !fits {
            return Err(format!(
                "the cursor's position ({}) does not fit this list",
                cursor.position
            ));
        }
        self.position = cursor.position;
        self.given = cursor.items_seen;
        Ok(())
    }

    /// Starts at what the call's own query asks for: its page size, offset or cursor. A call
    /// that a cursor list's rules do not allow with its cursor pages by offset instead, or,
    /// where the list has none, fails with the reason.
    pub(super) fn start_from_query(&mut self, value_of: impl Fn(&str) -> Option<String>) -> Result<(), String> {
        if let Some(size) = self.paging.limit.and_then(&value_of).and_then(|size| size.parse().ok()) {
            self.page_size = Some(size);
        }
        self.mode = rules::mode_for(&self.paging.by, &value_of)?;
        match self.mode {
            Mode::Offset(param) => {
                if let Some(offset) = value_of(param).and_then(|offset| offset.parse().ok()) {
                    self.position = Position::Offset(offset);
                }
            }
            Mode::Cursor(param) => {
                if let Some(cursor) = value_of(param).filter(|cursor| !cursor.is_empty()) {
                    self.position = Position::After(cursor);
                }
            }
            Mode::Once => {}
        }
        Ok(())
    }

    /// Whether the walk follows a cursor (and so needs each page's next cursor).
    pub(super) fn follows_cursor(&self) -> bool {
        matches!(self.mode, Mode::Cursor(_))
    }

    /// Where the walk stands.
    pub(super) fn cursor(&self) -> PageCursor {
        PageCursor {
            operation: self.operation.to_owned(),
            position: self.position.clone(),
            items_seen: self.given,
        }
    }

    /// Whether the list has ended.
    pub(super) fn is_done(&self) -> bool {
        self.done || self.remaining() == Some(0)
    }

    /// Ends the walk: after an error no further page is asked for.
    pub(super) fn end(&mut self) {
        self.done = true;
    }

    /// How many items `max_items` still lets through.
    pub(super) fn remaining(&self) -> Option<u64> {
        self.max_items.map(|max| max.saturating_sub(self.given))
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
        match (&self.mode, &self.position) {
            (Mode::Offset(param), Position::Offset(offset)) => params.push((*param, offset.to_string())),
            (Mode::Cursor(param), Position::After(cursor)) => params.push((*param, cursor.clone())),
            _ => {}
        }
        if let (Some(param), Some(limit)) = (self.paging.limit, limit) {
            params.push((param, limit.to_string()));
        }
        Some(Request { params, limit })
    }

    /// Which of a page's items are new, in order: an item whose id was given before is not.
    /// Fails, ending the walk, when a page with items brings nothing new: each of its items
    /// was given before, or, for items without ids, the page is the previous page again. The
    /// API then repeats itself (it ignores the offset, or answers one cursor forever), and
    /// reading on would never end.
    pub(super) fn sift(&mut self, keys: &[ItemKey]) -> Result<Vec<bool>, String> {
        let bodies: Vec<String> = keys
            .iter()
            .filter_map(|key| match key {
                ItemKey::Body(body) => Some(body.clone()),
                ItemKey::Id(_) => None,
            })
            .collect();
        let mut fresh_ids = HashSet::new();
        let new: Vec<bool> = keys
            .iter()
            .map(|key| match key {
                ItemKey::Id(id) => !self.ids.contains(id) && fresh_ids.insert(id.clone()),
                ItemKey::Body(_) => true,
            })
            .collect();
        let same_bodies = !bodies.is_empty() && bodies == self.previous_bodies;
        let nothing_new = !keys.is_empty() && (same_bodies || (bodies.is_empty() && !new.contains(&true)));
        if nothing_new {
            self.done = true;
            return Err(format!(
                "the page {} brought only items given before, so the API repeats itself; the list was left there so it is not read forever",
                self.position
            ));
        }
        self.ids.extend(fresh_ids);
        self.previous_bodies = bodies;
        Ok(new)
    }

    /// Takes in what the page asked for with `request` held, of which `given` items went to the
    /// application: the walk moves past it, or ends. Fails, ending the walk, when the API
    /// points back to a page it gave before, or the page is full but its next cursor cannot be
    /// trusted.
    pub(super) fn advance(&mut self, request: &Request, page: &Seen, given: u64) -> Result<(), String> {
        self.asked.insert(self.position.clone());
        self.given += given;
        let next = match &self.mode {
            Mode::Offset(_) => {
                let offset = match &self.position {
                    Position::Offset(offset) => *offset,
                    _ => 0,
                };
                Some(Position::Offset(offset + page.count))
            }
            Mode::Cursor(_) => page.next_cursor.clone().map(Position::After),
            Mode::Once => None,
        };
        let reached = match &next {
            Some(Position::Offset(offset)) => *offset,
            _ => self.given,
        };
        let ended = page.count == 0
            || request.limit.is_some_and(|limit| page.count < limit)
            || page.total.is_some_and(|total| reached >= total);
        if ended {
            self.done = true;
            return Ok(());
        }
        if let (Mode::Cursor(_), Some(reason)) = (&self.mode, &page.untrusted_cursor) {
            self.done = true;
            return Err(format!(
                "the page {} is full but its next cursor cannot be trusted ({reason}); the list was left there",
                self.position
            ));
        }
        match next {
            Some(next) if self.asked.contains(&next) => {
                self.done = true;
                Err(format!(
                    "the API pointed to the page {next} a second time; the list was left there so it is not read forever"
                ))
            }
            Some(next) => {
                self.position = next;
                Ok(())
            }
            None => {
                self.done = true;
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pagination::{CursorFrom, CursorRules, PageBy};

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
            rules: CursorRules::NONE,
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
            untrusted_cursor: None,
        }
    }

    /// Walks with pages of the given counts, returning each request's parameters.
    fn walk(walk: &mut Walk, pages: &[Seen]) -> Vec<Vec<(&'static str, String)>> {
        let mut asked = Vec::new();
        for page in pages {
            let Some(request) = walk.request() else { break };
            asked.push(request.params.clone());
            walk.advance(&request, page, page.count).expect("no repeat");
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
            .advance(&request, &seen(500, None, Some("a")), 500)
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
        })
        .expect("an offset list takes any query");
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

    fn ids(range: std::ops::Range<u32>) -> Vec<ItemKey> {
        range.map(|i| ItemKey::Id(format!("t{i}"))).collect()
    }

    #[test]
    fn an_item_given_before_is_not_given_again_and_a_page_of_them_ends_the_walk() {
        let mut walk = Walk::new("ListThings", &OFFSET);
        assert_eq!(walk.sift(&ids(0..3)), Ok(vec![true; 3]));
        // An item created at the head shifts the list by one: t2 comes again.
        assert_eq!(walk.sift(&ids(2..5)), Ok(vec![false, true, true]));
        let error = walk.sift(&ids(1..4)).expect_err("nothing new");
        assert!(error.contains("brought only items given before"), "{error}");
        assert!(walk.is_done());
        // The same id twice on one page is given once.
        let mut twice = Walk::new("ListThings", &OFFSET);
        let keys = [
            ItemKey::Id("a".into()),
            ItemKey::Id("a".into()),
            ItemKey::Id("b".into()),
        ];
        assert_eq!(twice.sift(&keys), Ok(vec![true, false, true]));
        assert_eq!(
            twice.sift(&[]),
            Ok(vec![]),
            "an empty page is no repeat: it ends the list"
        );
    }

    #[test]
    fn items_without_ids_repeat_only_as_the_whole_previous_page() {
        let body = |text: &str| ItemKey::Body(text.to_owned());
        let mut walk = Walk::new("ListThings", &OFFSET);
        assert_eq!(
            walk.sift(&[body("1"), body("1")]),
            Ok(vec![true, true]),
            "equal items are items"
        );
        assert_eq!(walk.sift(&[body("1"), body("2")]), Ok(vec![true, true]));
        assert!(walk.sift(&[body("1"), body("2")]).is_err(), "the previous page again");
    }

    #[test]
    fn an_offset_walk_ends_at_the_total_from_where_it_started() {
        let mut walk = Walk::new("ListThings", &OFFSET);
        walk.start_from_query(|name| (name == "offset").then(|| "100".to_owned()))
            .expect("starts");
        let asked = super::tests::walk(&mut walk, &[seen(500, Some(1100), None), seen(500, Some(1100), None)]);
        assert_eq!(asked.len(), 2);
        assert!(walk.is_done(), "offset 1100 is the total");
    }

    #[test]
    fn a_walk_without_a_trusted_total_goes_on_by_page_size() {
        let mut walk = Walk::new("ListThings", &OFFSET);
        let request = walk.request().expect("goes on");
        walk.advance(&request, &seen(500, None, None), 500).expect("goes on");
        assert!(!walk.is_done(), "a full page with no total: the next page decides");
    }

    #[test]
    fn a_full_page_whose_cursor_deviated_ends_the_walk_with_the_reason() {
        let mut walk = Walk::new("ListThings", &CURSOR);
        let request = walk.request().expect("goes on");
        let page = Seen {
            untrusted_cursor: Some("/499/id: missing".to_owned()),
            ..seen(500, None, None)
        };
        let error = walk.advance(&request, &page, 500).expect_err("cannot go on");
        assert!(error.contains("cannot be trusted (/499/id: missing)"), "{error}");
        let mut short = Walk::new("ListThings", &CURSOR);
        let request = short.request().expect("goes on");
        let last = Seen {
            untrusted_cursor: Some("/9/id: missing".to_owned()),
            ..seen(10, None, None)
        };
        assert_eq!(
            short.advance(&request, &last, 10),
            Ok(()),
            "a short page is the last anyway"
        );
    }

    #[test]
    fn a_call_outside_the_cursor_rules_walks_by_the_fallback_offset() {
        static RULED: Paging = Paging {
            by: PageBy::Cursor {
                param: "starting_after",
                from: CursorFrom::LastItem("id"),
                rules: CursorRules {
                    allows: &[("order_by", &["created_at"])],
                    excludes: &[("offset", Some("0"))],
                    fallback: Some("offset"),
                },
            },
            limit: Some("limit"),
            max_page_size: Some(500),
            items: None,
            total: None,
        };
        let mut walk = Walk::new("ListThings", &RULED);
        walk.start_from_query(|name| (name == "offset").then(|| "100".to_owned()))
            .expect("pages by offset");
        assert!(!walk.follows_cursor());
        let asked = super::tests::walk(&mut walk, &[seen(500, None, Some("t599")), seen(500, None, None)]);
        assert_eq!(
            asked,
            [
                params(&[("offset", "100"), ("limit", "500")]),
                params(&[("offset", "600"), ("limit", "500")])
            ]
        );
    }
}
