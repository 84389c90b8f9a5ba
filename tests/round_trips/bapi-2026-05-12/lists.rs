//! List walks of the whole Backend API crate against loopback servers that answer as Clerk's
//! spec documents (not the testing kit): `GET /users` with its offset, its `starting_after`
//! cursor and the 422s the spec gives for a cursor with another ordering or a non-zero
//! offset; organizations pages with and without `total_count`; and servers that repeat
//! themselves. Run inside the crate by the `generated_crates` test.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use bapi_2026_05_12::models::{GetUserListQuery, ListOrganizationsQuery, Organization, User};
use bapi_2026_05_12::testing::fixtures;
use bapi_2026_05_12::{Clerk, Error};
use futures_util::StreamExt;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// The users a server holds: `user_0000` on, created in that order, each with an email address
/// whose order differs from the creation order.
fn users(count: usize) -> Vec<Value> {
    (0..count)
        .map(|i| {
            let mut user = fixtures::user();
            user.id = format!("user_{i:04}");
            user.created_at = 1_700_000_000_000 + i as i64;
            let mut user = serde_json::to_value(user).expect("serializes");
            user["email_addresses"][0]["email_address"] = json!(format!("u{:04}@example.com", (i * 7919) % 10_000));
            user
        })
        .collect()
}

/// `GET /users` as the spec documents it: `limit` (default 10, at most 500), `offset`,
/// `order_by` (default `-created_at`) over `created_at` and `email_address`, and the
/// `starting_after` cursor, answered with a 422 when combined with another ordering or a
/// non-zero offset. Counts the 422s.
struct ClerkUsers {
    users: Vec<Value>,
    refused: Arc<AtomicUsize>,
    queries: Arc<Mutex<Vec<String>>>,
}

impl ClerkUsers {
    fn answer(&self, request: &Request) -> Result<Vec<Value>, String> {
        let query = |name: &str| {
            request
                .url
                .query_pairs()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.into_owned())
        };
        let number = |name: &str, default: usize| {
            query(name).map_or(Ok(default), |value| {
                value.parse().map_err(|_| format!("`{name}` is no number"))
            })
        };
        let (limit, offset) = (number("limit", 10)?, number("offset", 0)?);
        if !(1..=500).contains(&limit) {
            return Err("`limit` is out of range".to_owned());
        }
        let order_by = query("order_by").unwrap_or_else(|| "-created_at".to_owned());
        let (descending, field) = match order_by.strip_prefix('-') {
            Some(field) => (true, field.to_owned()),
            None => (false, order_by.trim_start_matches('+').to_owned()),
        };
        let key = |user: &Value| -> String {
            match field.as_str() {
                "created_at" => format!("{:020}", user["created_at"].as_i64().unwrap_or_default()),
                _ => user["email_addresses"][0]["email_address"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            }
        };
        if !["created_at", "email_address"].contains(&field.as_str()) {
            return Err(format!("no ordering by `{field}`"));
        }
        let mut sorted = self.users.clone();
        sorted.sort_by_key(|user| key(user));
        if descending {
            sorted.reverse();
        }
        let start = match query("starting_after") {
            Some(_) if field != "created_at" => {
                return Err("`starting_after` requires ordering by `created_at`".to_owned());
            }
            Some(_) if offset != 0 => {
                return Err("`starting_after` cannot be combined with a non-zero `offset`".to_owned());
            }
            Some(after) => sorted
                .iter()
                .position(|user| user["id"] == after.as_str())
                .map_or(sorted.len(), |i| i + 1),
            None => offset,
        };
        Ok(sorted.into_iter().skip(start).take(limit).collect())
    }
}

impl Respond for ClerkUsers {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.queries
            .lock()
            .expect("not poisoned")
            .push(request.url.query().unwrap_or_default().to_owned());
        match self.answer(request) {
            Ok(page) => ResponseTemplate::new(200).set_body_json(page),
            Err(message) => {
                self.refused.fetch_add(1, Ordering::SeqCst);
                let error = json!({"errors": [{"message": message, "long_message": message, "code": "form_param_value_invalid"}]});
                ResponseTemplate::new(422).set_body_json(error)
            }
        }
    }
}

/// A client of `server`, lenient as an application's is, with its own limiter (this crate has
/// the runtime's `limits`, as every generated crate does).
fn client(server: &MockServer) -> Clerk {
    Clerk::builder()
        .bearer_auth("sk_test_lists")
        .server_url(server.uri())
        .strict_responses(false)
        .rate_limit(bapi_2026_05_12::limits::RateLimiting::for_key().isolated())
        .build()
        .expect("builds")
}

/// Serves 1,100 users as Clerk does; gives the client, the 422 count and the queries sent.
async fn clerk_users() -> (MockServer, Clerk, Arc<AtomicUsize>, Arc<Mutex<Vec<String>>>) {
    let server = MockServer::start().await;
    let (refused, queries) = (Arc::new(AtomicUsize::new(0)), Arc::new(Mutex::new(Vec::new())));
    let responder = ClerkUsers {
        users: users(1100),
        refused: refused.clone(),
        queries: queries.clone(),
    };
    Mock::given(method("GET"))
        .and(path("/users"))
        .respond_with(responder)
        .mount(&server)
        .await;
    let clerk = client(&server);
    (server, clerk, refused, queries)
}

/// Walks every user of a server that answers as Clerk does, with `query`: the users, how many
/// requests it refused (422), and each request's query.
async fn walk_users(query: GetUserListQuery) -> (Vec<User>, usize, Vec<String>) {
    let (_server, clerk, refused, queries) = clerk_users().await;
    let all = clerk
        .users()
        .list(query)
        .paginate()
        .collect_items()
        .await
        .expect("walks");
    let queries = queries.lock().expect("not poisoned").clone();
    (all, refused.load(Ordering::SeqCst), queries)
}

/// How many of `ids` are distinct.
fn distinct<'a>(ids: impl IntoIterator<Item = &'a str>) -> usize {
    ids.into_iter().collect::<HashSet<_>>().len()
}

/// The ids of the items a stream gives, and the error it ends with, if any.
async fn drain<T, E>(
    mut items: impl futures_util::Stream<Item = Result<T, E>> + Unpin,
    id: impl Fn(T) -> String,
) -> (Vec<String>, Option<E>) {
    let (mut ids, mut failure) = (Vec::new(), None);
    while let Some(item) = items.next().await {
        match item {
            Ok(item) => ids.push(id(item)),
            Err(error) => failure = Some(error),
        }
    }
    (ids, failure)
}

fn ids(users: &[User]) -> impl Iterator<Item = &str> {
    users.iter().map(|user| user.id.as_str())
}

#[tokio::test]
async fn the_default_walk_follows_the_cursor_and_reads_every_user_once() {
    let (all, refused, queries) = walk_users(GetUserListQuery::new()).await;
    assert_eq!((all.len(), distinct(ids(&all)), refused), (1100, 1100, 0));
    assert_eq!(
        queries[1], "starting_after=user_0600&limit=500",
        "newest first, after the last of page 1"
    );
}

#[tokio::test]
async fn an_ordering_the_cursor_refuses_walks_every_user_by_offset() {
    let (all, refused, queries) = walk_users(GetUserListQuery::new().order_by("-email_address")).await;
    assert_eq!((all.len(), distinct(ids(&all)), refused), (1100, 1100, 0));
    assert!(
        queries.iter().all(|query| !query.contains("starting_after")),
        "{queries:?}"
    );
    assert_eq!(queries[1], "order_by=-email_address&offset=500&limit=500");
}

#[tokio::test]
async fn an_offset_the_cursor_refuses_walks_the_rest_by_offset() {
    let (all, refused, queries) = walk_users(GetUserListQuery::new().offset(100)).await;
    assert_eq!((all.len(), distinct(ids(&all)), refused), (1000, 1000, 0));
    assert_eq!(queries[1], "offset=600&limit=500");
}

#[tokio::test]
async fn a_cursor_the_call_sets_against_the_rules_is_refused_before_sending() {
    let (_server, clerk, refused, queries) = clerk_users().await;
    let query = GetUserListQuery::new()
        .order_by("-email_address")
        .starting_after("user_0001");
    let error = clerk
        .users()
        .list(query)
        .paginate()
        .collect_items()
        .await
        .expect_err("refused");
    let message = error.to_string();
    assert!(matches!(error.error(), Error::InvalidRequest { .. }), "{message}");
    assert!(message.contains("`order_by` is `-email_address`"), "{message}");
    assert_eq!(
        (
            refused.load(Ordering::SeqCst),
            queries.lock().expect("not poisoned").len()
        ),
        (0, 0)
    );
}

/// Organizations as pages of `{data, total_count}`, `total_count` left out when `with_total`
/// is false, or the first page whatever the offset when `ignores_offset`, with a total of a
/// million.
struct ClerkOrganizations {
    organizations: Vec<Value>,
    with_total: bool,
    ignores_offset: bool,
    requests: Arc<AtomicUsize>,
}

impl Respond for ClerkOrganizations {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.requests.fetch_add(1, Ordering::SeqCst);
        let query = |name: &str, default: usize| {
            request
                .url
                .query_pairs()
                .find(|(key, _)| key == name)
                .and_then(|(_, value)| value.parse().ok())
                .unwrap_or(default)
        };
        let offset = if self.ignores_offset { 0 } else { query("offset", 0) };
        let page: Vec<Value> = self
            .organizations
            .iter()
            .skip(offset)
            .take(query("limit", 10))
            .cloned()
            .collect();
        let mut body = json!({"data": page});
        match (self.with_total, self.ignores_offset) {
            (_, true) => body["total_count"] = json!(1_000_000),
            (true, false) => body["total_count"] = json!(self.organizations.len()),
            (false, false) => {}
        }
        ResponseTemplate::new(200).set_body_json(body)
    }
}

async fn clerk_organizations(with_total: bool, ignores_offset: bool) -> (MockServer, Clerk, Arc<AtomicUsize>) {
    let server = MockServer::start().await;
    let organizations = (0..1100)
        .map(|i| {
            let mut organization: Organization = fixtures::organization();
            organization.id = format!("org_{i:04}");
            serde_json::to_value(organization).expect("serializes")
        })
        .collect();
    let requests = Arc::new(AtomicUsize::new(0));
    let responder = ClerkOrganizations {
        organizations,
        with_total,
        ignores_offset,
        requests: requests.clone(),
    };
    Mock::given(method("GET"))
        .and(path("/organizations"))
        .respond_with(responder)
        .mount(&server)
        .await;
    let clerk = client(&server);
    (server, clerk, requests)
}

#[tokio::test]
async fn a_page_without_its_total_does_not_end_the_walk() {
    let (_server, clerk, requests) = clerk_organizations(false, false).await;
    let mut pages = clerk
        .organizations()
        .list(ListOrganizationsQuery::new())
        .paginate()
        .pages();
    let first = pages.next().await.expect("a page").expect("decodes");
    assert_eq!(
        first.total_count(),
        None,
        "the total the lenient decoding filled in is not trusted"
    );
    assert!(
        first
            .deviations()
            .iter()
            .any(|deviation| deviation.pointer() == "/total_count")
    );
    let mut ids: Vec<String> = first
        .items()
        .iter()
        .map(|organization| organization.id.clone())
        .collect();
    while let Some(page) = pages.next().await {
        ids.extend(
            page.expect("decodes")
                .into_items()
                .into_iter()
                .map(|organization| organization.id),
        );
    }
    assert_eq!((ids.len(), distinct(ids.iter().map(String::as_str))), (1100, 1100));
    assert_eq!(requests.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_page_without_its_total_fails_in_strict_mode() {
    let (server, _, _) = clerk_organizations(false, false).await;
    let strict = Clerk::builder()
        .bearer_auth("sk_test_lists")
        .server_url(server.uri())
        .strict_responses(true)
        .build()
        .expect("builds");
    let error = strict
        .organizations()
        .list(ListOrganizationsQuery::new())
        .paginate()
        .collect_items()
        .await
        .expect_err("strict");
    assert!(
        matches!(error.error(), Error::Decode(decode) if decode.pointer() == "/total_count"),
        "{error}"
    );
}

#[tokio::test]
async fn an_offset_server_that_ignores_offset_ends_after_two_requests_with_no_item_twice() {
    let (_server, clerk, requests) = clerk_organizations(true, true).await;
    let items = clerk
        .organizations()
        .list(ListOrganizationsQuery::new())
        .paginate()
        .items();
    let (ids, failure) = drain(items, |organization| organization.id).await;
    let error = failure.expect("the walk ends with an error");
    assert!(matches!(error.error(), Error::Pagination { .. }), "{error}");
    assert_eq!((ids.len(), distinct(ids.iter().map(String::as_str))), (500, 500));
    assert_eq!(requests.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_cursor_server_that_repeats_its_page_gives_the_error_and_no_item_twice() {
    let server = MockServer::start().await;
    let first: Vec<Value> = users(1100).into_iter().rev().take(500).collect();
    Mock::given(method("GET"))
        .and(path("/users"))
        .respond_with(ResponseTemplate::new(200).set_body_json(first))
        .mount(&server)
        .await;
    let items = client(&server).users().list(GetUserListQuery::new()).paginate().items();
    let (ids, failure) = drain(items, |user| user.id).await;
    assert!(
        matches!(
            failure.as_ref().map(|error| error.error()),
            Some(Error::Pagination { .. })
        ),
        "{failure:?}"
    );
    assert_eq!((ids.len(), distinct(ids.iter().map(String::as_str))), (500, 500));
    assert_eq!(server.received_requests().await.map(|requests| requests.len()), Some(2));
}
