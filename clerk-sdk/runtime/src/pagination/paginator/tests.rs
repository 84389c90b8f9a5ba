//! The paginator against a loopback server: what it makes of pages whose paging fields
//! deviate, and of a server that repeats a page.

use reqwest::Method;
use serde_json::{Value, json};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate, matchers::any};

use crate::api::tests::TestApi;
use crate::call::Operation;
use crate::pagination::{IntoPage, PageBy, PageParts, Paging};
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
    by: PageBy::Offset("offset"),
    limit: Some("limit"),
    max_page_size: Some(5),
    items: Some("data"),
    total: Some("total_count"),
};

/// A page of things, as a generated envelope is.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct Things {
    data: Vec<Value>,
    total_count: i64,
}

crate::__modeled_struct!(Things { required "data": Vec<Value>, required "total_count": i64, });

impl IntoPage for Things {
    type Item = Value;

    fn into_page(self) -> PageParts<Value> {
        PageParts::new(self.data).total_count(self.total_count)
    }
}

/// Twelve things, `limit` from `offset` on; without `total_count`, or, when `repeats`, the
/// first page whatever the offset.
struct Server {
    with_total: bool,
    repeats: bool,
}

impl Respond for Server {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let number = |name: &str| {
            request
                .url
                .query_pairs()
                .find(|(key, _)| key == name)
                .and_then(|(_, value)| value.parse::<usize>().ok())
        };
        let offset = if self.repeats { 0 } else { number("offset").unwrap_or(0) };
        let data: Vec<Value> = (offset..12)
            .take(number("limit").unwrap_or(5))
            .map(|i| json!({"id": format!("t{i}")}))
            .collect();
        let mut body = json!({ "data": data });
        if self.with_total {
            body["total_count"] = json!(if self.repeats { 1_000 } else { 12 });
        }
        ResponseTemplate::new(200).set_body_json(body)
    }
}

async fn client(server: Server) -> (MockServer, crate::Client<TestApi>) {
    let mock = MockServer::start().await;
    Mock::given(any()).respond_with(server).mount(&mock).await;
    let client = crate::Client::<TestApi>::builder()
        .server_url(mock.uri())
        .strict_responses(false)
        .build()
        .expect("builds");
    (mock, client)
}

fn call(client: &crate::Client<TestApi>) -> crate::Call<TestApi, Things> {
    crate::Call::<TestApi, Things>::new(client, &LIST, &[]).paged(&PAGING)
}

#[tokio::test]
async fn a_total_the_lenient_decoding_filled_in_is_not_trusted() {
    let (mock, client) = client(Server {
        with_total: false,
        repeats: false,
    })
    .await;
    let mut paginator = call(&client).paginate();
    let first = paginator.next_page().await.expect("a page").expect("decodes");
    assert_eq!(first.total_count(), None, "a total of 0 made up is no total");
    assert_eq!(first.deviations()[0].pointer(), "/total_count");
    let mut ids: Vec<Value> = first.into_items();
    while let Some(page) = paginator.next_page().await {
        ids.extend(page.expect("decodes").into_items());
    }
    assert_eq!(ids.len(), 12, "the walk goes on by page size");
    assert_eq!(mock.received_requests().await.map(|requests| requests.len()), Some(3));
}

#[tokio::test]
async fn a_repeated_page_ends_the_walk_before_any_of_it_is_given() {
    let (mock, client) = client(Server {
        with_total: true,
        repeats: true,
    })
    .await;
    let mut paginator = call(&client).paginate();
    let first = paginator.next_page().await.expect("a page").expect("decodes");
    assert_eq!(first.items().len(), 5);
    let error = paginator.next_page().await.expect("an outcome").expect_err("a repeat");
    assert!(matches!(error.error(), crate::SdkError::Pagination { .. }), "{error}");
    assert!(paginator.next_page().await.is_none(), "the walk has ended");
    assert_eq!(mock.received_requests().await.map(|requests| requests.len()), Some(2));
}

/// Twelve things, five a page, each page taking `delay` to answer: served on the test's own
/// runtime, so it keeps time on tokio's paused clock with the client.
async fn slow_server(delay: std::time::Duration) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    let page = move |uri: axum::http::Uri| async move {
        tokio::time::sleep(delay).await;
        let offset = (uri.query().unwrap_or_default().split('&'))
            .find_map(|pair| pair.strip_prefix("offset=")?.parse::<usize>().ok())
            .unwrap_or(0);
        let data: Vec<Value> = (offset..12).take(5).map(|i| json!({"id": format!("t{i}")})).collect();
        axum::Json(json!({"data": data, "total_count": 12}))
    };
    let router = axum::Router::new().route("/things", axum::routing::get(page));
    tokio::spawn(async move { axum::serve(listener, router).await.expect("serves") });
    url
}

#[tokio::test(start_paused = true)]
async fn a_walk_with_a_budget_ends_by_it_with_the_cursor_to_resume_from() {
    use std::time::Duration;
    use tokio::time::Instant;

    let url = slow_server(Duration::from_secs(12)).await;
    let client = crate::Client::<TestApi>::builder()
        .server_url(&url)
        .build()
        .expect("builds");
    let started = Instant::now();
    let mut paginator = call(&client).paginate().budget(Duration::from_secs(30));
    let mut items = Vec::new();
    let error = loop {
        match paginator.next_page().await.expect("ends with an error") {
            Ok(page) => items.extend(page.into_items()),
            Err(error) => break error,
        }
    };
    // Pages at 12 s and 24 s; the third has 6 s left, and is cut off when the budget is spent.
    assert_eq!(started.elapsed(), Duration::from_secs(30));
    assert!(
        matches!(error.error(), crate::SdkError::DeadlineExceeded { .. }),
        "{error}"
    );
    assert_eq!(items.len(), 10);
    assert_eq!(
        error.resume_cursor().position(),
        &crate::pagination::Position::Offset(10)
    );
    // Resumed without a budget, the walk gives the rest, and nothing twice.
    let mut rest = call(&client).paginate().resume(error.resume_cursor().clone());
    while let Some(page) = rest.next_page().await {
        items.extend(page.expect("a page").into_items());
    }
    let ids: Vec<&str> = items.iter().filter_map(|item| item["id"].as_str()).collect();
    assert_eq!(ids, (0..12).map(|i| format!("t{i}")).collect::<Vec<_>>());
}
