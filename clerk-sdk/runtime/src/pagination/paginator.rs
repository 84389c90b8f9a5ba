//! [`Paginator`]: sends the requests of a [`Walk`](super::walk::Walk), one page at a time.

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::time::Duration;

use futures_core::Stream;
use serde::Serialize;

use super::trust::Untrusted;
use super::walk::{ItemKey, Request, Seen, Walk};
use super::{CursorFrom, IntoPage, Page, PageBy, PageCursor, PageError, PageResult, Paging};
use crate::api::Api;
use crate::call::{Call, FromResponse};
use crate::error::SdkError;
use crate::limits::Instant;

/// The paging of an operation that returns its whole list at once: one page.
static ONCE: Paging = Paging {
    by: PageBy::Once,
    limit: None,
    max_page_size: None,
    items: None,
    total: None,
};

/// A stream of a list's pages, from [`Paginator::pages`]. It ends after the last page, or after
/// the first [`PageError`].
pub type Pages<T, E> = Pin<Box<dyn Stream<Item = PageResult<T, E>> + Send>>;

/// A stream of a list's items, from [`Paginator::items`]. It ends after the last item, or after
/// the first [`PageError`].
pub type Items<T, E> = Pin<Box<dyn Stream<Item = Result<T, PageError<E>>> + Send>>;

/// Pages through a list: from a list operation's call, with `.paginate()`. See
/// [the module docs](super) for how it asks for pages and where it stops.
///
/// The call's own query parameters go with every page. A page size (`limit`), offset or
/// cursor the call sets is where the walk starts; the paginator sets them for each page after
/// that.
#[must_use = "a Paginator does nothing until its pages or items are read"]
pub struct Paginator<A, T, P = ()> {
    call: Call<A, T, P>,
    paging: &'static Paging,
    walk: Walk,
    /// An error to give before any further page: a setting or a call that cannot be used, or
    /// a repeated cursor found after the page that carried it was given.
    pending: Option<SdkError<std::convert::Infallible>>,
    /// The time the whole walk may take, counted from its first page.
    budget: Option<Duration>,
    /// When the walk must end: set, or its first page's time plus the budget.
    deadline: Option<Instant>,
}

impl<A, T, P> fmt::Debug for Paginator<A, T, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator")
            .field("call", &self.call)
            .field("cursor", &self.walk.cursor())
            .finish_non_exhaustive()
    }
}

impl<A, T: IntoPage, P> Call<A, T, P> {
    /// Pages through the list this call asks for; see [`Paginator`].
    pub fn paginate(self) -> Paginator<A, T, P> {
        let paging = self.paging().unwrap_or(&ONCE);
        let mut walk = Walk::new(self.operation_id(), paging);
        let start = walk.start_from_query(|name| self.query_value(name));
        let mut paginator = Paginator {
            call: self,
            paging,
            walk,
            pending: None,
            budget: None,
            deadline: None,
        };
        if let Err(reason) = start {
            paginator.refuse(reason);
        }
        paginator
    }
}

impl<A, T, P> Paginator<A, T, P> {
    /// Asks for pages of `size` items instead of the operation's largest. `size` is any
    /// integer, such as the type of the query's `limit`. A size under 1, or over the
    /// operation's maximum, fails the first page with [`SdkError::InvalidRequest`] (nothing is
    /// sent).
    pub fn page_size(mut self, size: impl TryInto<u64>) -> Self {
        let set = match size.try_into() {
            Ok(size) => self.walk.set_page_size(size),
            Err(_) => Err("the page size must be at least 1".to_owned()),
        };
        if let Err(reason) = set {
            self.refuse(reason);
        }
        self
    }

    /// Stops after `max` items in all, asking for no more than that (a resumed walk counts the
    /// items before its cursor). `max` is any integer; a negative one fails the first page
    /// with [`SdkError::InvalidRequest`] (nothing is sent).
    pub fn max_items(mut self, max: impl TryInto<u64>) -> Self {
        match max.try_into() {
            Ok(max) => self.walk.set_max_items(max),
            Err(_) => self.refuse("the number of items must not be negative".to_owned()),
        }
        self
    }

    /// Continues from `cursor`, as a [`PageError`] or [`Page::next_cursor`] gave it. A cursor of
    /// another operation fails the first page with [`SdkError::InvalidRequest`] (nothing is
    /// sent).
    pub fn resume(mut self, cursor: PageCursor) -> Self {
        if let Err(reason) = self.walk.resume(cursor) {
            self.refuse(reason);
        }
        self
    }

    /// The time the whole walk may take, counted from when its first page is asked for: every
    /// page, its waits for the rate limiter and its retries draw from what is left (each page
    /// gets the walk's [deadline](crate::Call::deadline)). A page that cannot finish in time
    /// ends the walk with a [`PageError`] holding
    /// [`SdkError::DeadlineExceeded`] or [`SdkError::RateLimited`] (or the failure it could not
    /// retry in time), and the cursor to [`resume`](Self::resume) from. Without it, each page
    /// has only its own call's limits.
    pub fn budget(mut self, budget: Duration) -> Self {
        self.budget = Some(budget);
        self
    }

    /// The time the walk must end by, as [`budget`](Self::budget) but fixed.
    pub fn deadline(mut self, deadline: Instant) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Where the walk stands: the cursor of the next page.
    pub fn cursor(&self) -> PageCursor {
        self.walk.cursor()
    }

    fn refuse(&mut self, reason: String) {
        self.pending.get_or_insert(SdkError::InvalidRequest {
            operation: self.call.operation_id(),
            reason,
        });
    }

    /// The pending error, if there is one, as a page error.
    fn take_pending<E>(&mut self) -> Option<PageError<E>> {
        let error = self.pending.take()?.widen();
        Some(PageError {
            error,
            resume: self.walk.cursor(),
        })
    }
}

impl<A, T, P> Paginator<A, T, P>
where
    A: Api,
    T: FromResponse + IntoPage,
    T::Item: Serialize,
{
    /// Reads the next page; `None` after the last. After an error, calling it again asks for
    /// the failed page again.
    pub async fn next_page(&mut self) -> Option<PageResult<T::Item, A::ErrorBody>> {
        if let Some(error) = self.take_pending() {
            return Some(Err(error));
        }
        let request = self.walk.request()?;
        let mut call = self.call.fork();
        if let Some(budget) = self.budget.take() {
            self.deadline = self.deadline.or_else(|| Instant::now().checked_add(budget));
        }
        if let Some(deadline) = self.deadline {
            call = call.deadline(deadline);
        }
        for (name, value) in &request.params {
            call.replace_query_value(name, value);
        }
        let response = match call.send_with_response().await {
            Ok(response) => response,
            Err(error) => {
                let resume = self.walk.cursor();
                return Some(Err(PageError { error, resume }));
            }
        };
        let deviations = response.deviations().to_vec();
        match self.take_page(&request, response.into_inner(), deviations) {
            Ok(page) => Some(Ok(page)),
            Err(reason) => {
                self.walk.end();
                let error = SdkError::Pagination {
                    operation: self.call.operation_id(),
                    reason,
                };
                let resume = self.walk.cursor();
                Some(Err(PageError { error, resume }))
            }
        }
    }

    /// Moves the walk past a page that came back, and makes it a [`Page`] of the items not
    /// given before. Fails when the page brings nothing new, or its items field deviated from
    /// the spec, so what it held is not known.
    fn take_page(
        &mut self,
        request: &Request,
        value: T,
        deviations: Vec<crate::Deviation>,
    ) -> Result<Page<T::Item>, String> {
        let parts = value.into_page();
        let count = parts.items.len();
        let untrusted = Untrusted::of(self.paging, &deviations, count);
        if let Some(reason) = untrusted.items {
            return Err(format!(
                "the page's items deviated from the spec ({reason}), so what the page held is not known"
            ));
        }
        let values: Vec<Option<serde_json::Value>> =
            parts.items.iter().map(|item| serde_json::to_value(item).ok()).collect();
        let keys: Vec<ItemKey> = values.iter().map(item_key).collect();
        let new = self.walk.sift(&keys)?;
        let next_cursor = match &self.paging.by {
            _ if !self.walk.follows_cursor() => None,
            PageBy::Cursor {
                from: CursorFrom::LastItem(field),
                ..
            } => values.last().and_then(|last| field_text(last.as_ref()?, field)),
            PageBy::Cursor {
                from: CursorFrom::Field(_),
                ..
            } => parts.next_cursor,
            PageBy::Offset(_) | PageBy::Once => None,
        };
        let mut items: Vec<T::Item> = parts
            .items
            .into_iter()
            .zip(new)
            .filter_map(|(item, new)| new.then_some(item))
            .collect();
        if let Some(remaining) = self.walk.remaining() {
            // An API that gives more than was asked for still gives no more than `max_items`.
            items.truncate(usize::try_from(remaining).unwrap_or(usize::MAX));
        }
        let seen = Seen {
            count: count as u64,
            total: parts.total_count.filter(|_| untrusted.total.is_none()),
            next_cursor,
            untrusted_cursor: untrusted.cursor,
        };
        if let Err(reason) = self.walk.advance(request, &seen, items.len() as u64) {
            self.pending = Some(SdkError::Pagination {
                operation: self.call.operation_id(),
                reason,
            });
        }
        Ok(Page {
            items,
            total_count: seen.total,
            next: (!self.walk.is_done()).then(|| self.walk.cursor()),
            deviations,
        })
    }
}

impl<A, T, P> Paginator<A, T, P>
where
    A: Api,
    T: FromResponse + IntoPage + Send + 'static,
    T::Item: Serialize + Send + 'static,
    P: Send + 'static,
{
    /// The list's pages, as a stream. It ends after the last page, or after the first error.
    pub fn pages(self) -> Pages<T::Item, A::ErrorBody> {
        Box::pin(futures_util::stream::unfold(Some(self), |paginator| async move {
            let mut paginator = paginator?;
            let page = paginator.next_page().await?;
            let paginator = page.is_ok().then_some(paginator);
            Some((page, paginator))
        }))
    }

    /// The list's items, as a stream. It ends after the last item, or after the first error.
    pub fn items(self) -> Items<T::Item, A::ErrorBody> {
        let start = (Some(self), VecDeque::new());
        Box::pin(futures_util::stream::unfold(
            start,
            |(mut paginator, mut buffer)| async move {
                loop {
                    if let Some(item) = buffer.pop_front() {
                        return Some((Ok(item), (paginator, buffer)));
                    }
                    match paginator.as_mut()?.next_page().await? {
                        Ok(page) => buffer.extend(page.into_items()),
                        Err(error) => return Some((Err(error), (None, buffer))),
                    }
                }
            },
        ))
    }

    /// Every item of the list (up to [`max_items`](Self::max_items)), read page by page.
    ///
    /// # Errors
    ///
    /// The first page that failed after its retries, with the cursor to resume from.
    pub async fn collect_items(mut self) -> Result<Vec<T::Item>, PageError<A::ErrorBody>> {
        let mut items = Vec::new();
        while let Some(page) = self.next_page().await {
            items.extend(page?.into_items());
        }
        Ok(items)
    }
}

/// Field `field` of `item` as a cursor: a string as it is, a number as written; an empty
/// string is no cursor.
fn field_text(item: &serde_json::Value, field: &str) -> Option<String> {
    match item.get(field)? {
        serde_json::Value::String(text) if !text.is_empty() => Some(text.clone()),
        serde_json::Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

/// Who an item is: its `id`, where it has one, else its whole JSON.
fn item_key(value: &Option<serde_json::Value>) -> ItemKey {
    match value {
        Some(value) => match field_text(value, "id") {
            Some(id) => ItemKey::Id(id),
            None => ItemKey::Body(value.to_string()),
        },
        None => ItemKey::Body(String::new()),
    }
}

#[cfg(test)]
mod tests;
