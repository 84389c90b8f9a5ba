//! Lists that page themselves.
//!
//! A list operation's call has `.paginate()`, which gives a [`Paginator`]: it asks for one
//! page after another, as large as the operation allows, until the list ends, and hands out
//! the items (or whole [`Page`]s) as a stream:
//!
//! ```ignore
//! // With a crate generated from the whole Backend API (see the README), whose `users().list`
//! // is a list operation.
//! use clerk_sdk::pagination::StreamExt; // `futures-util`'s, re-exported
//!
//! let mut users = clerk.users().list(GetUserListQuery::default()).paginate().items();
//! while let Some(user) = users.next().await {
//!     let user = user?;
//!     println!("{}", user.id);
//! }
//! ```
//!
//! - **Page size.** Each request asks for the operation's largest page (its `limit`
//!   parameter's `maximum`), so 1,234 users take 3 requests, not 124; a `limit` the call sets
//!   itself, or [`Paginator::page_size`], takes its place.
//! - **Where a list ends.** After an empty page, a page shorter than the one asked for, the
//!   `total_count` the API reports, a page without a next cursor, or
//!   [`Paginator::max_items`] items.
//! - **Shapes.** A bare array, an envelope such as `{data, total_count}`, or any other envelope
//!   the spec (or an overlay) names: the items come out the same.
//! - **Offsets and cursors.** An offset list asks for `offset` = the items the API returned so
//!   far; a cursor list (such as `starting_after`) passes on the last item's id or the cursor
//!   the response gives.
//! - **Cursor rules.** Where the spec declares what a cursor cannot be combined with (for
//!   `GET /users`: an `order_by` other than `created_at`, or a non-zero `offset`), a call
//!   outside those rules pages by the list's offset instead, so no page is a request the API
//!   refuses. A call that sets the cursor itself outside the rules, or on a list with no
//!   offset, fails before anything is sent ([`SdkError::InvalidRequest`]), with the rule it
//!   breaks.
//! - **Nothing twice, nothing forever.** An item whose `id` came before is not given again (an
//!   item created while an offset walk runs shifts the list by one). A page that brings
//!   nothing new (each of its items came before, or, for items without an `id`, the previous
//!   page again), or a cursor the API points to a second time, ends the walk with
//!   [`SdkError::Pagination`], and none of that page's items reaches the application: an API
//!   that ignores `offset`, or answers one cursor forever, is not read forever.
//! - **Nothing made up.** A paging field that deviated from the spec is not trusted: a
//!   `total_count` the lenient decoding filled in is not used (the walk goes on by page size,
//!   and [`Page::total_count`] is `None`); a full page whose next cursor deviated, or whose
//!   items field did, ends the walk with [`SdkError::Pagination`]. In strict mode such a page
//!   fails, as any deviation does.
//! - **Failures.** Each page is an ordinary call, retried by the client's retry policy. When
//!   it still fails, the stream yields a [`PageError`] holding the error and a [`PageCursor`]
//!   of the failed page, and ends. The cursor is `serde`-serializable:
//!   [`Paginator::resume`] continues from it, in this process or another.
//!
//! An operation that returns a list without paging it gives one page with the whole list.

#[cfg(feature = "blocking")]
#[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
pub mod blocking;
mod paginator;
mod rules;
mod trust;
mod walk;

use std::fmt;

use serde::{Deserialize, Serialize};

pub use paginator::{Items, Pages, Paginator};

/// `futures-util`'s extension trait for streams, so that `.next().await` reads
/// [`Paginator::items`] and [`Paginator::pages`] with no dependency of the application's own.
pub use futures_util::StreamExt;

use crate::drift::Deviation;
use crate::error::SdkError;

/// How an operation pages, as the generator describes each list operation.
#[derive(Debug)]
pub struct Paging {
    /// How the next page is asked for.
    pub by: PageBy,
    /// The query parameter that sets the page size, if the operation has one.
    pub limit: Option<&'static str>,
    /// The largest page size the operation allows (its `limit` parameter's `maximum`): the
    /// page size asked for unless the call sets another.
    pub max_page_size: Option<u64>,
    /// The envelope field (JSON name) the response keeps the items in; `None` for a bare
    /// array. The testing kit serves a list in this shape.
    pub items: Option<&'static str>,
    /// The envelope field (JSON name) with the list's total, if the response has one.
    pub total: Option<&'static str>,
}

/// How a list's next page is asked for.
#[derive(Debug)]
pub enum PageBy {
    /// By a query parameter that skips that many items, such as `offset`.
    Offset(&'static str),
    /// By a query parameter holding a cursor, such as `starting_after`.
    Cursor {
        /// The query parameter.
        param: &'static str,
        /// Where the cursor of the next page comes from.
        from: CursorFrom,
        /// What the API accepts with the cursor.
        rules: CursorRules,
    },
    /// Not at all: the operation returns its whole list at once.
    Once,
}

/// What a cursor list's API accepts with its cursor, as the spec declares it (the generator
/// reads `x-cursor-rules`); a call outside these rules pages by [`fallback`](Self::fallback).
#[derive(Debug)]
pub struct CursorRules {
    /// Query parameters that a cursor allows only some values of, when the call sets them:
    /// each parameter with the values allowed.
    pub allows: &'static [(&'static str, &'static [&'static str])],
    /// Query parameters that a cursor cannot be combined with, when the call sets them to
    /// anything but the value given (their default, such as `offset`'s `0`).
    pub excludes: &'static [(&'static str, Option<&'static str>)],
    /// The offset parameter that pages a call outside these rules; `None` refuses such a call
    /// before anything is sent.
    pub fallback: Option<&'static str>,
}

impl CursorRules {
    /// No rules: the cursor goes with any call.
    pub const NONE: CursorRules = CursorRules {
        allows: &[],
        excludes: &[],
        fallback: None,
    };
}

/// Where a cursor list finds the cursor of its next page.
#[derive(Debug)]
pub enum CursorFrom {
    /// A field of the page's last item, such as its `id`.
    LastItem(&'static str),
    /// This field (JSON name) of the response's envelope, as its [`IntoPage`] conversion gives
    /// it.
    Field(&'static str),
}

/// A list response taken apart into its items, its total and its next cursor. Implemented for
/// `Vec<T>` (a bare array) and, by the generator, for each envelope a list operation returns.
pub trait IntoPage {
    /// The type of the list's items.
    type Item;

    /// The items, the total and the next cursor, as far as the response has them.
    fn into_page(self) -> PageParts<Self::Item>;
}

impl<T> IntoPage for Vec<T> {
    type Item = T;

    fn into_page(self) -> PageParts<T> {
        PageParts::new(self)
    }
}

/// What a list response holds, from [`IntoPage::into_page`].
#[derive(Debug, Clone, PartialEq)]
pub struct PageParts<T> {
    items: Vec<T>,
    total_count: Option<u64>,
    next_cursor: Option<String>,
}

impl<T> PageParts<T> {
    /// A page of `items` (a `Vec`, or an `Option` of one when the field is optional), with no
    /// total and no cursor.
    pub fn new(items: impl IntoItems<T>) -> Self {
        PageParts {
            items: items.into_items(),
            total_count: None,
            next_cursor: None,
        }
    }

    /// With the total number of items the API reports, if any. A negative total is ignored.
    #[must_use]
    pub fn total_count(mut self, total: impl IntoCount) -> Self {
        self.total_count = total.into_count();
        self
    }

    /// With the cursor of the next page the response gives, if any; an empty one is none.
    #[must_use]
    pub fn next_cursor(mut self, cursor: impl IntoCursor) -> Self {
        self.next_cursor = cursor.into_cursor().filter(|cursor| !cursor.is_empty());
        self
    }
}

/// The items field of a list envelope: `Vec<T>` or `Option<Vec<T>>`.
pub trait IntoItems<T> {
    /// The items; none for `None`.
    fn into_items(self) -> Vec<T>;
}

impl<T> IntoItems<T> for Vec<T> {
    fn into_items(self) -> Vec<T> {
        self
    }
}

impl<T> IntoItems<T> for Option<Vec<T>> {
    fn into_items(self) -> Vec<T> {
        self.unwrap_or_default()
    }
}

/// A total field: an integer, a whole `f64`, or an `Option` of one.
pub trait IntoCount {
    /// The count, if it is one (not negative, not fractional).
    fn into_count(self) -> Option<u64>;
}

impl IntoCount for i64 {
    fn into_count(self) -> Option<u64> {
        u64::try_from(self).ok()
    }
}

impl IntoCount for i32 {
    fn into_count(self) -> Option<u64> {
        u64::try_from(self).ok()
    }
}

impl IntoCount for u64 {
    fn into_count(self) -> Option<u64> {
        Some(self)
    }
}

impl IntoCount for f64 {
    fn into_count(self) -> Option<u64> {
        // A count written as a float (`number` in the spec) counts only when whole; `as` is
        // exact for every whole float in range.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        (self.fract() == 0.0 && (0.0..=9_007_199_254_740_992.0).contains(&self)).then_some(self as u64)
    }
}

impl<C: IntoCount> IntoCount for Option<C> {
    fn into_count(self) -> Option<u64> {
        self.and_then(IntoCount::into_count)
    }
}

/// A cursor field: a string, an integer, or an `Option` of one (what the generator lets a
/// response-field cursor be).
pub trait IntoCursor {
    /// The cursor as the next request sends it.
    fn into_cursor(self) -> Option<String>;
}

impl IntoCursor for String {
    fn into_cursor(self) -> Option<String> {
        Some(self)
    }
}

impl IntoCursor for i64 {
    fn into_cursor(self) -> Option<String> {
        Some(self.to_string())
    }
}

impl IntoCursor for i32 {
    fn into_cursor(self) -> Option<String> {
        Some(self.to_string())
    }
}

impl<C: IntoCursor> IntoCursor for Option<C> {
    fn into_cursor(self) -> Option<String> {
        self.and_then(IntoCursor::into_cursor)
    }
}

/// A page, or the error that ended the walk at it.
pub type PageResult<T, E> = Result<Page<T>, PageError<E>>;

/// One page of a list.
#[derive(Debug, Clone)]
pub struct Page<T> {
    items: Vec<T>,
    total_count: Option<u64>,
    next: Option<PageCursor>,
    deviations: Vec<Deviation>,
}

impl<T> Page<T> {
    /// The page's items, in the API's order.
    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// Takes the page's items.
    pub fn into_items(self) -> Vec<T> {
        self.items
    }

    /// The number of items in the whole list, where the API reports it (`total_count`).
    pub fn total_count(&self) -> Option<u64> {
        self.total_count
    }

    /// Where the next page starts; `None` on the last page.
    pub fn next_cursor(&self) -> Option<&PageCursor> {
        self.next.as_ref()
    }

    /// Whether this is the list's last page.
    pub fn is_last(&self) -> bool {
        self.next.is_none()
    }

    /// Where this page's body deviated from the spec (see
    /// [`Response::deviations`](crate::Response::deviations)).
    pub fn deviations(&self) -> &[Deviation] {
        &self.deviations
    }
}

/// Where a list walk stands: the page to ask for next, and how many items came before it.
/// Serialize it (with `serde`) to continue a long walk later, in this process or another, with
/// [`Paginator::resume`].
///
/// ```
/// # use clerk_sdk::pagination::PageCursor;
/// let saved = r#"{"operation":"GetUserList","position":{"after":"user_500"},"items_seen":500}"#;
/// let cursor: PageCursor = serde_json::from_str(saved).unwrap();
/// assert_eq!(cursor.items_seen(), 500);
/// assert_eq!(serde_json::to_string(&cursor).unwrap(), saved);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PageCursor {
    operation: String,
    position: Position,
    items_seen: u64,
}

impl PageCursor {
    /// The `operationId` of the list the cursor walks.
    pub fn operation(&self) -> &str {
        &self.operation
    }

    /// Where the next page starts.
    pub fn position(&self) -> &Position {
        &self.position
    }

    /// How many items the walk gave before this point.
    pub fn items_seen(&self) -> u64 {
        self.items_seen
    }
}

impl fmt::Display for PageCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} ({} items before it)",
            self.operation, self.position, self.items_seen
        )
    }
}

/// Where a page starts.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Position {
    /// At the start of the list.
    Start,
    /// After skipping this many items.
    Offset(u64),
    /// After the item this cursor names.
    After(String),
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Position::Start => f.write_str("at the start"),
            Position::Offset(offset) => write!(f, "at offset {offset}"),
            Position::After(cursor) => write!(f, "after cursor `{cursor}`"),
        }
    }
}

/// A page that could not be read, after the client's retries: the error, and the cursor to
/// resume from, which asks for the failed page again.
///
/// `?` turns it into the plain error when the cursor is not needed.
#[derive(Debug)]
pub struct PageError<E> {
    error: SdkError<E>,
    resume: PageCursor,
}

impl<E> PageError<E> {
    /// The error that ended the walk.
    pub fn error(&self) -> &SdkError<E> {
        &self.error
    }

    /// The cursor of the page that failed: [`Paginator::resume`] from it to continue.
    pub fn resume_cursor(&self) -> &PageCursor {
        &self.resume
    }

    /// The error and the cursor.
    pub fn into_parts(self) -> (SdkError<E>, PageCursor) {
        (self.error, self.resume)
    }
}

impl<E: fmt::Debug> fmt::Display for PageError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (the page {} can be asked for again)",
            self.error, self.resume.position
        )
    }
}

impl<E: fmt::Debug + 'static> std::error::Error for PageError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

impl<E> From<PageError<E>> for SdkError<E> {
    fn from(error: PageError<E>) -> Self {
        error.error
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_parts_read_every_field_type_the_generator_allows() {
        let parts = PageParts::new(Some(vec![1, 2]))
            .total_count(Some(7.0_f64))
            .next_cursor(Some(9_i32));
        assert_eq!(parts.items, [1, 2]);
        assert_eq!(parts.total_count, Some(7));
        assert_eq!(parts.next_cursor.as_deref(), Some("9"));
        let none = PageParts::<u8>::new(None::<Vec<u8>>)
            .total_count(-1_i64)
            .next_cursor(String::new());
        assert_eq!((none.items.len(), none.total_count, none.next_cursor), (0, None, None));
        assert_eq!(2.5_f64.into_count(), None, "a fractional total is no count");
    }

    #[test]
    fn a_page_error_says_where_to_resume_and_gives_the_plain_error() {
        let resume = PageCursor {
            operation: "ListThings".to_owned(),
            position: Position::Offset(500),
            items_seen: 500,
        };
        let error = PageError::<()> {
            error: SdkError::Config("down".to_owned()),
            resume,
        };
        assert_eq!(
            error.to_string(),
            "invalid client configuration: down (the page at offset 500 can be asked for again)"
        );
        let plain: SdkError<()> = error.into();
        assert!(matches!(plain, SdkError::Config(_)));
    }
}
