//! Round trip for `pagination.yaml`: lists paged by offset and by cursor, in every envelope,
//! against the testing kit's loopback mock. Compiled and run inside the generated crate by the
//! `generated_crates` test.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use futures_util::StreamExt;
use pagination::models::{
    ListEventsQuery, ListEventsResponse, ListSessionsQuery, ListSessionsResponse, ListTokensQuery, ListTokensResponse,
    ListUsersQuery, Session, Token, User,
};
use pagination::pagination::PageCursor;
use pagination::testing::MockClerk;

/// The query of each request the mock received, decoded: `name=value&..`.
fn queries(mock: &MockClerk) -> Vec<String> {
    let pairs = |request: &pagination::testing::LoggedRequest| -> Vec<String> {
        request
            .query
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect()
    };
    mock.requests().iter().map(|request| pairs(request).join("&")).collect()
}

fn users(count: usize) -> Vec<User> {
    (0..count).map(|i| User::new(format!("user_{i:04}"))).collect()
}

/// The page of `list` a cursor request asks for: after `starting_after`, `limit` items.
fn cursor_page(list: &[User], starting_after: Option<&str>, limit: Option<&str>) -> Vec<User> {
    let start = starting_after.map_or(0, |after| {
        list.iter()
            .position(|user| user.id == after)
            .map_or(list.len(), |i| i + 1)
    });
    let limit: usize = limit.and_then(|limit| limit.parse().ok()).unwrap_or(10);
    list.iter().skip(start).take(limit).cloned().collect()
}

#[tokio::test]
async fn a_cursor_list_of_1234_comes_in_three_requests_of_the_largest_page() {
    let mock = MockClerk::start().await;
    let all = users(1234);
    let served = all.clone();
    mock.users().list_users().returns_with(move |request| {
        cursor_page(
            &served,
            request.query_value("starting_after"),
            request.query_value("limit"),
        )
    });
    let clerk = mock.clerk();

    let mut items = clerk
        .users()
        .list_users(ListUsersQuery::new().email("a@b.c"))
        .paginate()
        .items();
    let mut ids = Vec::new();
    while let Some(user) = items.next().await {
        ids.push(user.expect("every page succeeds").id);
    }

    let expected: Vec<String> = all.iter().map(|user| user.id.clone()).collect();
    assert_eq!(ids, expected, "every user once, in order");
    let queries = queries(&mock);
    assert_eq!(
        queries,
        [
            "email=a@b.c&limit=500",
            "email=a@b.c&starting_after=user_0499&limit=500",
            "email=a@b.c&starting_after=user_0999&limit=500",
        ]
    );
}

#[tokio::test]
async fn records_inserted_between_pages_bring_no_duplicate_on_the_cursor_path() {
    let mock = MockClerk::start().await;
    // Newest first: each request inserts a new user at the head, as sign-ups do.
    let list = Arc::new(Mutex::new(users(25)));
    let shared = list.clone();
    mock.users().list_users().returns_with(move |request| {
        let mut list = shared.lock().expect("not poisoned");
        let page = cursor_page(
            &list,
            request.query_value("starting_after"),
            request.query_value("limit"),
        );
        let newcomer = format!("new_{}", list.len());
        list.insert(0, User::new(newcomer));
        page
    });

    let clerk = mock.clerk();
    let found = clerk
        .users()
        .list_users(ListUsersQuery::new())
        .paginate()
        .page_size(10)
        .collect_items()
        .await
        .expect("succeeds");

    let ids: Vec<&str> = found.iter().map(|user| user.id.as_str()).collect();
    let unique: HashSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "no user twice: {ids:?}");
    assert_eq!(
        ids.len(),
        25,
        "every user there at the start, and none inserted after: {ids:?}"
    );
}

#[tokio::test]
async fn an_envelope_list_pages_by_offset_to_its_total_and_sends_its_constant() {
    let mock = MockClerk::start().await;
    let session = |i: usize| Session::new(format!("sess_{i}"), "active");
    mock.sessions().list_sessions().returns_with(move |request| {
        let offset: usize = request
            .query_value("offset")
            .map_or(0, |offset| offset.parse().expect("a number"));
        let limit: usize = request
            .query_value("limit")
            .map_or(10, |limit| limit.parse().expect("a number"));
        let end = (offset + limit).min(1000);
        ListSessionsResponse::new((offset..end).map(session).collect::<Vec<_>>(), 1000)
    });
    let clerk = mock.clerk();

    let mut pages = clerk
        .sessions()
        .list_sessions(ListSessionsQuery::new())
        .paginate()
        .pages();
    let mut sizes = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.expect("succeeds");
        assert_eq!(page.total_count(), Some(1000));
        sizes.push(page.items().len());
    }

    assert_eq!(
        sizes,
        [500, 500],
        "the total ends the list without asking for an empty page"
    );
    let queries = queries(&mock);
    assert_eq!(
        queries,
        ["paginated=true&limit=500", "paginated=true&offset=500&limit=500"]
    );
}

#[tokio::test]
async fn a_call_outside_the_cursor_rules_pages_by_offset() {
    let mock = MockClerk::start().await;
    mock.users().list_users().serves_list(users(1234));
    let clerk = mock.clerk();

    let query = ListUsersQuery::new().order_by("email");
    let listed = clerk
        .users()
        .list_users(query)
        .paginate()
        .collect_items()
        .await
        .expect("succeeds");

    assert_eq!(listed.len(), 1234);
    assert_eq!(
        queries(&mock),
        [
            "order_by=email&limit=500",
            "order_by=email&offset=500&limit=500",
            "order_by=email&offset=1000&limit=500"
        ]
    );
    let refused = clerk
        .users()
        .list_users(ListUsersQuery::new().offset(3).starting_after("user_0001"))
        .paginate()
        .collect_items()
        .await
        .expect_err("a cursor with an offset");
    assert!(refused.to_string().contains("`offset` is `3`"), "{refused}");
}

#[tokio::test]
async fn page_size_and_max_items_take_the_limits_integer_type_and_refuse_what_cannot_be_sent() {
    let mock = MockClerk::start().await;
    mock.users().list_users().serves_list(users(30));
    let clerk = mock.clerk();
    let limit: i64 = 7;
    let listed = clerk
        .users()
        .list_users(ListUsersQuery::new())
        .paginate()
        .page_size(limit)
        .max_items(20_i64);
    let listed = listed.collect_items().await.expect("succeeds");
    assert_eq!(listed.len(), 20);
    assert_eq!(queries(&mock)[..2], ["limit=7", "starting_after=user_0006&limit=7"]);
    let sent = mock.requests().len();
    for (walk, reason) in [
        (
            clerk
                .users()
                .list_users(ListUsersQuery::new())
                .paginate()
                .page_size(-1_i64),
            "at least 1",
        ),
        (
            clerk
                .users()
                .list_users(ListUsersQuery::new())
                .paginate()
                .page_size(501_u32),
            "maximum of 500",
        ),
        (
            clerk
                .users()
                .list_users(ListUsersQuery::new())
                .paginate()
                .max_items(-1_i32),
            "must not be negative",
        ),
    ] {
        let error = walk.collect_items().await.expect_err("refused");
        assert!(
            matches!(error.error(), pagination::Error::InvalidRequest { .. }),
            "{error}"
        );
        assert!(error.to_string().contains(reason), "{error}");
    }
    assert_eq!(mock.requests().len(), sent, "nothing is sent");
}

#[tokio::test]
async fn the_kit_scripts_pages_and_its_query_matcher_leaves_the_paging_parameters_aside() {
    let mock = MockClerk::start().await;
    let token = |id: &str| Token::new(id);
    mock.tokens().list_tokens().query(ListTokensQuery::new()).pages(vec![
        ListTokensResponse::new()
            .tokens(vec![token("a"), token("b")])
            .total_count(3.0),
        ListTokensResponse::new().tokens(vec![token("c")]).total_count(3.0),
    ]);
    let clerk = mock.clerk();

    let tokens = clerk
        .tokens()
        .list_tokens(ListTokensQuery::new())
        .paginate()
        .page_size(2)
        .collect_items()
        .await
        .expect("succeeds");

    let ids: Vec<&str> = tokens.iter().map(|token| token.id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c"]);
    mock.verify();
}

#[tokio::test]
async fn a_failed_page_gives_its_cursor_and_a_resumed_walk_finishes_with_every_item_once() {
    let mock = MockClerk::start().await;
    let all = users(30);
    let served = all.clone();
    mock.users().list_users().returns_with(move |request| {
        cursor_page(
            &served,
            request.query_value("starting_after"),
            request.query_value("limit"),
        )
    });
    // The second page fails every attempt the client makes (the mock's clients make 4).
    mock.users()
        .list_users()
        .query(ListUsersQuery::new().starting_after("user_0009"))
        .status(503)
        .times(4);
    let clerk = mock.clerk();

    let mut items = clerk
        .users()
        .list_users(ListUsersQuery::new())
        .paginate()
        .page_size(10)
        .items();
    let mut seen = Vec::new();
    let error = loop {
        match items.next().await {
            Some(Ok(user)) => seen.push(user.id),
            Some(Err(error)) => break error,
            None => panic!("the second page fails"),
        }
    };
    assert!(items.next().await.is_none(), "the stream ends after its error");
    assert_eq!(error.error().status().map(|status| status.as_u16()), Some(503));
    assert_eq!(seen.len(), 10);

    // The cursor goes through JSON, as it would to another process.
    let saved = serde_json::to_string(error.resume_cursor()).expect("serializes");
    let cursor: PageCursor = serde_json::from_str(&saved).expect("deserializes");
    assert_eq!(cursor.items_seen(), 10);
    let rest = clerk
        .users()
        .list_users(ListUsersQuery::new())
        .paginate()
        .page_size(10)
        .resume(cursor)
        .collect_items()
        .await
        .expect("the rest succeeds");
    seen.extend(rest.into_iter().map(|user| user.id));

    let expected: Vec<String> = all.iter().map(|user| user.id.clone()).collect();
    assert_eq!(seen, expected, "every user exactly once");
}

#[tokio::test]
async fn a_cursor_from_the_response_is_followed_and_a_repeated_one_stops_the_walk() {
    let mock = MockClerk::start().await;
    let page = |events: &[&str], next: Option<&str>| {
        let events: Vec<String> = events.iter().map(|event| (*event).to_owned()).collect();
        match next {
            Some(next) => ListEventsResponse::new(events).next_cursor(next),
            None => ListEventsResponse::new(events),
        }
    };
    mock.events().list_events().pages(vec![
        page(&["a", "b"], Some("c1")),
        page(&["c"], Some("c2")),
        page(&["d"], Some("c1")),
    ]);
    let clerk = mock.clerk();

    let mut items = clerk.events().list_events(ListEventsQuery::new()).paginate().items();
    let mut events = Vec::new();
    let error = loop {
        match items.next().await {
            Some(Ok(event)) => events.push(event),
            Some(Err(error)) => break error,
            None => panic!("a repeated cursor is an error"),
        }
    };
    assert_eq!(events, ["a", "b", "c", "d"]);
    let message = error.error().to_string();
    assert!(message.contains("after cursor `c1` a second time"), "{message}");
    let queries = queries(&mock);
    assert_eq!(queries, ["", "after=c1", "after=c2"]);
}

#[tokio::test]
async fn a_page_size_over_the_maximum_and_a_foreign_cursor_are_refused_before_sending() {
    let mock = MockClerk::start().await;
    let clerk = mock.clerk();
    let error = clerk
        .users()
        .list_users(ListUsersQuery::new())
        .paginate()
        .page_size(501)
        .collect_items()
        .await
        .expect_err("over the maximum");
    assert!(
        error
            .to_string()
            .contains("the page size 501 is over the operation's maximum of 500"),
        "{error}"
    );

    let foreign: PageCursor =
        serde_json::from_str(r#"{"operation":"ListSessions","position":{"offset":10},"items_seen":10}"#)
            .expect("a cursor");
    let error = clerk
        .users()
        .list_users(ListUsersQuery::new())
        .paginate()
        .resume(foreign)
        .collect_items()
        .await
        .expect_err("another list's cursor");
    assert!(
        error.to_string().contains("the cursor belongs to `ListSessions`"),
        "{error}"
    );
    assert!(mock.requests().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn the_kit_serves_a_whole_list_in_each_shape_a_page_per_request() {
    let mock = MockClerk::start().await;
    mock.users().list_users().serves_list(users(23));
    mock.tokens()
        .list_tokens()
        .serves_list((0..7).map(|i| Token::new(format!("tok_{i}"))).collect());
    mock.events()
        .list_events()
        .serves_list((0..5).map(|i| format!("event_{i}")).collect());
    let clerk = mock.clerk();

    let users = clerk
        .users()
        .list_users(ListUsersQuery::new())
        .paginate()
        .page_size(10)
        .collect_items()
        .await;
    let tokens = clerk
        .tokens()
        .list_tokens(ListTokensQuery::new())
        .paginate()
        .page_size(3)
        .pages();
    let tokens: Vec<_> = tokens.collect().await;
    let events = clerk
        .events()
        .list_events(ListEventsQuery::new())
        .paginate()
        .collect_items()
        .await;

    assert_eq!(users.expect("succeeds").len(), 23);
    let sizes: Vec<(usize, Option<u64>)> = tokens
        .iter()
        .map(|page| {
            let page = page.as_ref().expect("succeeds");
            (page.items().len(), page.total_count())
        })
        .collect();
    assert_eq!(sizes, [(3, Some(7)), (3, Some(7)), (1, Some(7))]);
    assert_eq!(events.expect("succeeds").len(), 5);
    assert_eq!(
        queries(&mock),
        [
            "limit=10",
            "starting_after=user_0009&limit=10",
            "starting_after=user_0019&limit=10",
            "limit=3",
            "offset=3&limit=3",
            "offset=6&limit=3",
            "",
        ]
    );
}
