//! Round trip for `query.yaml`: query parameters on the wire, against a loopback mock server.
//! Compiled and run inside the generated crate by the `generated_crates` test.

use query::Clerk;
use query::models::{ListUsersQuery, ListUsersQueryFilter, ListUsersQueryOrderBy};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn arrays_repeat_or_join_by_style_and_unset_fields_are_left_out() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(["user_a"]))
        .mount(&server)
        .await;
    let clerk = Clerk::builder().server_url(server.uri()).build().expect("builds");

    let query = ListUsersQuery::new("jo & ann")
        .user_id(vec!["user_a".to_owned(), "user/b".to_owned()])
        .banned(false)
        .order_by(ListUsersQueryOrderBy::MinusCreatedAt);
    let users = clerk.users().list_users(query).await.expect("succeeds");
    assert_eq!(users, ["user_a"]);

    clerk.users().list_users(ListUsersQuery::new("x").limit(10)).await.expect("succeeds");

    let styled = ListUsersQuery::new("s")
        .ids(vec!["a".to_owned(), "b,c".to_owned()])
        .scope(vec!["openid".to_owned(), "email".to_owned()])
        .tags(vec!["x".to_owned(), "y z".to_owned()])
        .filter(ListUsersQueryFilter::default().role("admin").age(30));
    clerk.users().list_users(styled).await.expect("succeeds");

    let requests = server.received_requests().await.expect("recorded");
    let queries: Vec<&str> = requests.iter().map(|r| r.url.query().unwrap_or_default()).collect();
    assert_eq!(
        queries,
        [
            "banned=false&order_by=-created_at&query=jo+%26+ann&user_id=user_a&user_id=user%2Fb",
            "limit=10&query=x",
            "filter[age]=30&filter[role]=admin&ids=a,b%2Cc&query=s&scope=openid%20email&tags=x|y+z",
        ]
    );
}

#[tokio::test]
async fn the_mock_matches_the_query_the_sdk_sends_in_each_style() {
    let mock = query::testing::MockClerk::start().await;
    let styled = ListUsersQuery::new("s")
        .ids(vec!["a".to_owned(), "b,c".to_owned()])
        .scope(vec!["openid".to_owned(), "email".to_owned()])
        .tags(vec!["x".to_owned(), "y z".to_owned()])
        .filter(ListUsersQueryFilter::default().role("admin").age(30));
    mock.users()
        .list_users()
        .query(styled.clone())
        .returns(vec!["user_a".to_owned()]);
    let clerk = mock.clerk();

    let users = clerk.users().list_users(styled).await.expect("the styled query matches");
    assert_eq!(users, ["user_a"]);
    // Another query matches nothing: the mock's client panics at the call, with the report.
    let other = tokio::spawn({
        let clerk = clerk.clone();
        async move { clerk.users().list_users(ListUsersQuery::new("other")).await }
    });
    let panic = other.await.expect_err("another query matches nothing").into_panic();
    let message = panic.downcast::<String>().map(|m| *m).unwrap_or_default();
    assert!(message.contains("the mock has no expectation for GET /users?query=other"), "{message}");

    let received = mock.users().list_users().received();
    assert_eq!(received.len(), 2);
    assert!(received[0].query.contains(&("filter[role]".to_owned(), "admin".to_owned())));
    let report = mock.check().expect_err("one request matched nothing");
    assert!(report.contains("GET /users?query=other without a body"), "{report}");
    mock.reset();
}
