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
        let operation = self.call.operation_id();
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
    pub fn page_size(self, size: impl TryInto<u64>) -> Self {
        self.map(|inner| inner.page_size(size))
    }

    /// As the async [`Paginator::max_items`](super::Paginator::max_items).
    pub fn max_items(self, max: impl TryInto<u64>) -> Self {
        self.map(|inner| inner.max_items(max))
    }

    /// As the async [`Paginator::budget`](super::Paginator::budget).
    pub fn budget(self, budget: std::time::Duration) -> Self {
        self.map(|inner| inner.budget(budget))
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

#[cfg(test)]
mod tests {
    use reqwest::Method;
    use serde_json::{Value, json};
    use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate, matchers::any};

    use crate::api::tests::TestApi;
    use crate::call::Operation;
    use crate::pagination::{CursorFrom, CursorRules, PageBy, Paging};
    use crate::retry::RetryClass;

    const LIST: Operation = Operation {
        id: "ListThings",
        method: Method::GET,
        path: "/things",
        error_statuses: &[],
        retry: RetryClass::Idempotent,
        security: &[],
        default_errors: false,
        accept: "application/json",
    };
    static PAGING: Paging = Paging {
        by: PageBy::Cursor {
            param: "after",
            from: CursorFrom::LastItem("id"),
            rules: CursorRules::NONE,
        },
        limit: Some("limit"),
        max_page_size: Some(5),
        items: None,
        total: None,
    };

    /// Twelve things, served after the `after` cursor, `limit` at a time.
    struct Things;

    impl Respond for Things {
        fn respond(&self, request: &Request) -> ResponseTemplate {
            let query = |name: &str| {
                request
                    .url
                    .query_pairs()
                    .find(|(key, _)| key == name)
                    .map(|(_, v)| v.into_owned())
            };
            let start = query("after").map_or(0, |after| {
                after.trim_start_matches("thing_").parse::<usize>().unwrap_or(0) + 1
            });
            let limit: usize = query("limit").and_then(|limit| limit.parse().ok()).unwrap_or(10);
            let page: Vec<Value> = (start..12)
                .take(limit)
                .map(|i| json!({"id": format!("thing_{i}")}))
                .collect();
            ResponseTemplate::new(200).set_body_json(page)
        }
    }

    #[test]
    fn the_blocking_paginator_walks_the_list_as_an_iterator() {
        let runtime = tokio::runtime::Runtime::new().expect("a runtime");
        let server = runtime.block_on(async {
            let server = MockServer::start().await;
            Mock::given(any()).respond_with(Things).mount(&server).await;
            server
        });
        let client = crate::Client::<TestApi>::builder()
            .server_url(server.uri())
            .build_blocking()
            .expect("builds");

        let call = client.wrap(crate::Call::<TestApi, Vec<Value>>::new(client.as_async(), &LIST, &[]).paged(&PAGING));
        let ids: Vec<String> = call
            .paginate()
            .items()
            .map(|thing| thing.expect("succeeds")["id"].as_str().unwrap_or_default().to_owned())
            .collect();

        let expected: Vec<String> = (0..12).map(|i| format!("thing_{i}")).collect();
        assert_eq!(ids, expected);
        let requests = runtime.block_on(server.received_requests()).expect("recorded");
        let queries: Vec<&str> = requests
            .iter()
            .map(|request| request.url.query().unwrap_or_default())
            .collect();
        assert_eq!(queries, ["limit=5", "after=thing_4&limit=5", "after=thing_9&limit=5"]);
    }
}
