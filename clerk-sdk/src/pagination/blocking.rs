//! The blocking [`Paginator`], for the blocking client: the async paginator, each page read on
//! the client's runtime.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use super::{IntoPage, PageCursor, PageError, PageResult};
use crate::api::Api;
use crate::blocking_client::{Call, OwnedRuntime, stopped};
use crate::call::FromResponse;

/// Pages through a list on the blocking client: from a list operation's blocking call, with
/// `.paginate()`. It asks for pages and stops as the async
/// [`Paginator`](super::Paginator) does; [`pages`](Self::pages) and [`items`](Self::items) are
/// iterators.
///
/// ```ignore
/// // With a crate generated from the whole Backend API, built with the `blocking` feature.
/// for user in clerk.users().list(GetUserListQuery::default()).paginate().items() {
///     println!("{}", user?.id);
/// }
/// ```
#[must_use = "a Paginator does nothing until its pages or items are read"]
pub struct Paginator<A, T, P = ()> {
    /// `None` only while a page is read, or after the runtime stopped during one.
    inner: Option<super::Paginator<A, T, P>>,
    /// Where the walk stood before the page being read, for when the runtime stops.
    cursor: PageCursor,
    operation: &'static str,
    runtime: Arc<OwnedRuntime>,
}

impl<A, T, P> fmt::Debug for Paginator<A, T, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("blocking::Paginator").field(&self.inner).finish()
    }
}

impl<A, T: IntoPage, P> Call<A, T, P> {
    /// Pages through the list this call asks for; see [`Paginator`].
    pub fn paginate(self) -> Paginator<A, T, P> {
        let operation = self.call.operation_name();
        let inner = self.call.paginate();
        Paginator {
            cursor: inner.cursor(),
            inner: Some(inner),
            operation,
            runtime: self.runtime,
        }
    }
}

impl<A, T, P> Paginator<A, T, P> {
    fn map(mut self, change: impl FnOnce(super::Paginator<A, T, P>) -> super::Paginator<A, T, P>) -> Self {
        self.inner = self.inner.map(change);
        if let Some(inner) = &self.inner {
            self.cursor = inner.cursor();
        }
        self
    }

    /// As the async [`Paginator::page_size`](super::Paginator::page_size).
    pub fn page_size(self, size: u64) -> Self {
        self.map(|inner| inner.page_size(size))
    }

    /// As the async [`Paginator::max_items`](super::Paginator::max_items).
    pub fn max_items(self, max: u64) -> Self {
        self.map(|inner| inner.max_items(max))
    }

    /// As the async [`Paginator::resume`](super::Paginator::resume).
    pub fn resume(self, cursor: PageCursor) -> Self {
        self.map(|inner| inner.resume(cursor))
    }

    /// Where the walk stands: the cursor of the next page.
    pub fn cursor(&self) -> PageCursor {
        self.inner
            .as_ref()
            .map_or_else(|| self.cursor.clone(), super::Paginator::cursor)
    }
}

impl<A, T, P> Paginator<A, T, P>
where
    A: Api,
    T: FromResponse + IntoPage + Send + 'static,
    T::Item: Serialize + Send + 'static,
    P: Send + 'static,
{
    /// Reads the next page; `None` after the last. After an error, calling it again asks for
    /// the failed page again.
    pub fn next_page(&mut self) -> Option<PageResult<T::Item, A::ErrorBody>> {
        let mut inner = self.inner.take()?;
        self.cursor = inner.cursor();
        let read = self.runtime.wait(async move {
            let page = inner.next_page().await;
            (inner, page)
        });
        match read {
            Some((inner, page)) => {
                self.inner = Some(inner);
                page
            }
            None => Some(Err(PageError {
                error: stopped(self.operation),
                resume: self.cursor.clone(),
            })),
        }
    }

    /// The list's pages. The iterator ends after the last page, or after the first error.
    pub fn pages(mut self) -> impl Iterator<Item = PageResult<T::Item, A::ErrorBody>> {
        let mut failed = false;
        std::iter::from_fn(move || {
            if failed {
                return None;
            }
            let page = self.next_page()?;
            failed = page.is_err();
            Some(page)
        })
    }

    /// The list's items. The iterator ends after the last item, or after the first error.
    pub fn items(self) -> impl Iterator<Item = Result<T::Item, PageError<A::ErrorBody>>> {
        self.pages().flat_map(|page| -> Box<dyn Iterator<Item = _>> {
            match page {
                Ok(page) => Box::new(page.into_items().into_iter().map(Ok)),
                Err(error) => Box::new(std::iter::once(Err(error))),
            }
        })
    }

    /// Every item of the list (up to [`max_items`](Self::max_items)), read page by page.
    ///
    /// # Errors
    ///
    /// The first page that failed after its retries, with the cursor to resume from.
    pub fn collect_items(self) -> Result<Vec<T::Item>, PageError<A::ErrorBody>> {
        self.items().collect()
    }
}
