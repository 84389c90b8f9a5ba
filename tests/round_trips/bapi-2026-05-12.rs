//! Round trips for Clerk's Backend API (`spec/upstream/bapi-2026-05-12.yml`), run inside the
//! crate generated from it by the `generated_crates` test, against its testing kit's loopback
//! mock: a list of 500 users with drifted items, through a real call; and lists paged through
//! in each of the shapes the spec (with `spec/overlays/bapi-2026-05-12.yaml`) gives them.

use std::collections::HashSet;

use bapi_2026_05_12::Error;
use bapi_2026_05_12::models::{
    GetM2mTokensQuery, GetM2mTokensResponse, GetSessionListQuery, GetUserListQuery, ListOrganizationsQuery,
    SessionPage, User,
};
use bapi_2026_05_12::testing::{LoggedRequest, MockClerk, fixtures};
use futures_util::StreamExt;
use wiremock::ResponseTemplate;

/// Each request's query, decoded: `name=value&..`.
fn queries(mock: &MockClerk) -> Vec<String> {
    let query = |request: &LoggedRequest| -> String {
        let pairs: Vec<String> = request
            .query
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        pairs.join("&")
    };
    mock.requests().iter().map(query).collect()
}

/// `count` users from the fixture, `user_0000` on, newest first.
fn numbered_users(count: usize) -> Vec<User> {
    (0..count)
        .map(|i| {
            let mut user = fixtures::user();
            user.id = format!("user_{i:04}");
            user
        })
        .collect()
}

/// A request's offset and page size, as a list answers them (0 and 10 when not sent).
fn offset_and_limit(query: &[(String, String)]) -> (usize, usize) {
    let value = |name: &str| {
        query
            .iter()
            .find(|(sent, _)| sent == name)
            .map(|(_, value)| value.parse().expect("a count"))
    };
    (value("offset").unwrap_or(0), value("limit").unwrap_or(10))
}

#[tokio::test]
async fn users_1234_come_through_in_3_requests_with_no_duplicate_and_no_gap() {
    let mock = MockClerk::start().await;
    let all = numbered_users(1234);
    let served = all.clone();
    mock.users().list().returns_with(move |request| {
        let start = request.query_value("starting_after").map_or(0, |after| {
            served
                .iter()
                .position(|user| user.id == after)
                .map_or(served.len(), |i| i + 1)
        });
        let (_, limit) = offset_and_limit(&request.query);
        served.iter().skip(start).take(limit).cloned().collect()
    });
    let clerk = mock.clerk();

    let mut users = clerk.users().list(GetUserListQuery::default()).paginate().items();
    let mut ids = Vec::new();
    while let Some(user) = users.next().await {
        ids.push(user.expect("every page succeeds").id);
    }

    let expected: Vec<String> = all.into_iter().map(|user| user.id).collect();
    assert_eq!(ids, expected);
    assert_eq!(
        queries(&mock),
        [
            "limit=500",
            "starting_after=user_0499&limit=500",
            "starting_after=user_0999&limit=500"
        ]
    );
}

#[tokio::test]
async fn a_data_and_total_count_list_pages_by_offset_to_its_total() {
    let mock = MockClerk::start().await;
    let organizations: Vec<_> = (0..1100)
        .map(|i| {
            let mut organization = fixtures::organization();
            organization.id = format!("org_{i}");
            organization
        })
        .collect();
    // The kit serves the whole list, each request its page, as `{data, total_count}`.
    mock.organizations().list().serves_list(organizations);
    let clerk = mock.clerk();

    let organizations = clerk
        .organizations()
        .list(ListOrganizationsQuery::default())
        .paginate()
        .collect_items()
        .await
        .expect("succeeds");

    let unique: HashSet<&str> = organizations
        .iter()
        .map(|organization| organization.id.as_str())
        .collect();
    assert_eq!((organizations.len(), unique.len()), (1100, 1100));
    assert_eq!(
        queries(&mock),
        ["limit=500", "offset=500&limit=500", "offset=1000&limit=500"]
    );
}

#[tokio::test]
async fn a_paginated_list_sends_the_flag_and_decodes_its_page() {
    let mock = MockClerk::start().await;
    // Two sessions of their own: a walk gives an id once.
    let (mut first, mut second) = (fixtures::session(), fixtures::session());
    (first.id, second.id) = ("sess_1".to_owned(), "sess_2".to_owned());
    mock.sessions()
        .list()
        .query(GetSessionListQuery::default().user_id("user_1"))
        .returns(SessionPage::new(vec![first, second], 2));
    let clerk = mock.clerk();

    let mut pages = clerk
        .sessions()
        .list(GetSessionListQuery::default().user_id("user_1"))
        .paginate()
        .pages();
    let page = pages.next().await.expect("a page").expect("succeeds");
    assert_eq!((page.items().len(), page.total_count()), (2, Some(2)));
    assert!(page.is_last());
    assert!(pages.next().await.is_none());
    assert_eq!(queries(&mock), ["user_id=user_1&paginated=true&limit=500"]);

    let one = clerk
        .sessions()
        .list(GetSessionListQuery::default().user_id("user_1"))
        .await
        .expect("one call");
    assert_eq!(one.total_count, 2, "a plain call decodes the page too");
}

#[tokio::test]
async fn m2m_tokens_decode_their_own_envelope_and_send_integer_counts() {
    let mock = MockClerk::start().await;
    let token = |i: usize| {
        let mut token = fixtures::get_m2m_tokens_response_m2m_tokens_item();
        token.id = format!("mt_{i}");
        token
    };
    mock.m2m().list_tokens().returns_with(move |request| {
        let (offset, limit) = offset_and_limit(&request.query);
        let page: Vec<_> = (offset..(offset + limit).min(150)).map(token).collect();
        GetM2mTokensResponse::new(page, 150.0)
    });
    let clerk = mock.clerk();

    let tokens = clerk
        .m2m()
        .list_tokens(GetM2mTokensQuery::new("mch_1"))
        .paginate()
        .collect_items()
        .await
        .expect("succeeds");

    assert_eq!(tokens.len(), 150);
    assert_eq!(tokens[149].id, "mt_149");
    assert_eq!(
        queries(&mock),
        ["subject=mch_1&limit=100", "subject=mch_1&offset=100&limit=100"]
    );
}

/// 500 users, from the drift corpus's user, each with its own id.
fn users() -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/drift/user.json"))
        .expect("the drift corpus's user is copied beside this test");
    let user: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    (0..500)
        .map(|i| {
            let mut user = user.clone();
            user["id"] = serde_json::json!(format!("user_{i}"));
            user
        })
        .collect()
}

#[tokio::test]
async fn one_bad_user_in_a_list_of_500_neither_fails_the_others_nor_loses_them() {
    let mut users = users();
    users[100] = serde_json::Value::Null;
    users[300]["email_addresses"][0]
        .as_object_mut()
        .expect("object")
        .remove("email_address");
    let mock = MockClerk::start().await;
    mock.users()
        .list()
        .respond_with(ResponseTemplate::new(200).set_body_json(&users));
    let clerk = mock.builder().strict_responses(false).build().expect("builds");
    let response = clerk
        .users()
        .list(GetUserListQuery::default())
        .send_with_response()
        .await
        .expect("the list decodes");
    let pointers: Vec<&str> = response.deviations().iter().map(|d| d.pointer()).collect();
    assert_eq!(pointers, ["/100", "/300/email_addresses/0/email_address"]);
    let users = response.into_inner();
    assert_eq!(users.len(), 499, "only the null item is left out");
    assert_eq!(users[100].id, "user_101");
    assert_eq!(
        users[299].email_addresses[0].email_address, "",
        "the user that lacks a field is kept"
    );
    assert_eq!(users[498].id, "user_499");

    // The testing kit's own client is strict: the same list fails at its first deviation.
    let error = mock
        .clerk()
        .users()
        .list(GetUserListQuery::default())
        .await
        .expect_err("strict");
    assert!(matches!(&error, Error::Decode(d) if d.pointer() == "/100"), "{error:?}");
}

#[tokio::test]
async fn requests_that_break_the_specs_constraints_fail_before_anything_is_sent() {
    use bapi_2026_05_12::models::{CreateMachineRequest, GetApiKeysQuery, GetApiKeysQueryIncludeInvalid};

    let mock = MockClerk::start().await;
    let clerk = mock.clerk();
    let invalid = |error: Error| match error {
        Error::InvalidRequest { reason, .. } => reason,
        other => panic!("not refused before sending: {other}"),
    };

    let too_many = clerk
        .users()
        .list(GetUserListQuery::default().limit(501))
        .await
        .expect_err("over 500");
    assert_eq!(
        invalid(too_many),
        "query parameter `limit` must be at most 500 (`maximum`)"
    );

    let nameless = clerk
        .machines()
        .create(CreateMachineRequest::new(""))
        .await
        .expect_err("an empty name");
    assert_eq!(
        invalid(nameless),
        "body field `/name` must be at least 1 character long (`minLength`)"
    );

    let unknown = GetApiKeysQueryIncludeInvalid::Unknown("maybe".to_owned());
    let query = GetApiKeysQuery::new("user_1").include_invalid(unknown);
    let outside = clerk
        .api_keys()
        .get_api_keys(query)
        .await
        .expect_err("not a listed value");
    assert_eq!(
        invalid(outside),
        "query parameter `include_invalid` must be one of the values the spec lists"
    );

    assert_eq!(mock.requests().len(), 0, "nothing was sent");

    // With the checks off, the request goes out as it is, for when Clerk's limits change first.
    mock.users().list().returns(Vec::new());
    let unchecked = mock.builder().check_requests(false).build().expect("builds");
    let users = unchecked
        .users()
        .list(GetUserListQuery::default().limit(501))
        .await
        .expect("sent");
    assert!(users.is_empty());
    assert_eq!(queries(&mock), ["limit=501"]);
}

/// The page of `list` a `/users` request asks for: after `starting_after`, `limit` users.
fn users_after(list: &[User], query: &[(String, String)]) -> Vec<User> {
    let after = query
        .iter()
        .find(|(name, _)| name == "starting_after")
        .map(|(_, value)| value.as_str());
    let start = after.map_or(0, |after| {
        list.iter()
            .position(|user| user.id == after)
            .map_or(list.len(), |i| i + 1)
    });
    let (_, limit) = offset_and_limit(query);
    list.iter().skip(start).take(limit).cloned().collect()
}

#[tokio::test]
async fn a_page_that_fails_after_its_retries_gives_a_cursor_that_finishes_the_crawl() {
    let mock = MockClerk::start().await;
    let all = numbered_users(1234);
    let served = all.clone();
    mock.users()
        .list()
        .returns_with(move |request| users_after(&served, &request.query));
    // The second page fails every attempt the mock's client makes (4), then answers again.
    mock.users()
        .list()
        .query(GetUserListQuery::default().starting_after("user_0499"))
        .status(503)
        .times(4);
    let clerk = mock.clerk();

    let mut users = clerk.users().list(GetUserListQuery::default()).paginate().items();
    let mut ids = Vec::new();
    let failed = loop {
        match users.next().await {
            Some(Ok(user)) => ids.push(user.id),
            Some(Err(failed)) => break failed,
            None => panic!("the second page fails"),
        }
    };
    assert_eq!(ids.len(), 500);
    assert_eq!(failed.error().status().map(|status| status.as_u16()), Some(503));
    let saved = serde_json::to_string(failed.resume_cursor()).expect("serializes");

    // Another process would read the cursor back the same way.
    let cursor = serde_json::from_str(&saved).expect("deserializes");
    let rest = clerk
        .users()
        .list(GetUserListQuery::default())
        .paginate()
        .resume(cursor)
        .collect_items()
        .await
        .expect("the rest succeeds");
    ids.extend(rest.into_iter().map(|user| user.id));

    let expected: Vec<String> = all.into_iter().map(|user| user.id).collect();
    assert_eq!(ids, expected, "every user exactly once");
}

#[tokio::test]
async fn users_created_between_pages_bring_no_duplicate_on_the_cursor_path() {
    let mock = MockClerk::start().await;
    // Newest first, as `/users` lists them: each request finds a new user at the head.
    let list = std::sync::Arc::new(std::sync::Mutex::new(numbered_users(1234)));
    let shared = list.clone();
    mock.users().list().returns_with(move |request| {
        let mut list = shared.lock().expect("not poisoned");
        let page = users_after(&list, &request.query);
        let mut newcomer = fixtures::user();
        newcomer.id = format!("user_new_{}", list.len());
        list.insert(0, newcomer);
        page
    });
    let clerk = mock.clerk();

    let users = clerk
        .users()
        .list(GetUserListQuery::default())
        .paginate()
        .collect_items()
        .await
        .expect("succeeds");

    let ids: HashSet<&str> = users.iter().map(|user| user.id.as_str()).collect();
    assert_eq!(ids.len(), users.len(), "no user twice");
    assert_eq!(users.len(), 1234, "every user there at the start");
}

/// This crate's own client verifies a session token with the keys its own mock serves: the
/// authenticator fetches them through the crate's `jwks().get_jwks()`, once.
#[tokio::test]
async fn a_session_token_verifies_through_the_crates_own_authenticator_and_mock() {
    use bapi_2026_05_12::auth::AuthOptions;
    use bapi_2026_05_12::auth::testing::{session_claims, sign_session_token};

    let mock = MockClerk::start().await;
    mock.serves_session_keys();
    let auth = mock
        .clerk()
        .authenticator(AuthOptions::new())
        .expect("an authenticator");
    let token = sign_session_token(&session_claims("user_2g7np7Hrk0SN6kj5EDMLDaKNL0S"));
    for _ in 0..3 {
        let claims = auth.verify_token(&token).await.expect("verifies");
        assert_eq!(claims.sub, "user_2g7np7Hrk0SN6kj5EDMLDaKNL0S");
    }
    let fetches: Vec<String> = mock.requests().iter().map(|request| request.path.clone()).collect();
    assert_eq!(
        fetches,
        ["/jwks"],
        "the keys are fetched once, through the crate's own operation"
    );
    let forged = sign_session_token(&session_claims("user_1")).replace('.', ".x");
    assert!(auth.verify_token(&forged).await.is_err());
}

/// A `user.created` delivery, signed as Clerk signs it, verifies into this crate's own events
/// enum (generated from Clerk's webhooks spec into the same crate).
#[test]
fn a_signed_user_created_verifies_into_the_crates_own_events() {
    use bapi_2026_05_12::events::WebhookEvent;
    use bapi_2026_05_12::testing::webhooks::{fixtures, sign_event};
    use bapi_2026_05_12::webhooks::Webhook;

    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let delivery = sign_event(secret, &fixtures::user_created()).expect("signs");
    let verified = Webhook::new(secret)
        .expect("a secret")
        .verify::<WebhookEvent>(&delivery.headers, &delivery.body)
        .expect("verifies");
    let WebhookEvent::UserCreated(event) = verified.event() else {
        panic!("a user.created event, not {}", verified.event().event_type());
    };
    assert_eq!(event.r#type, "user.created");
    assert!(verified.deviations().is_empty(), "{:?}", verified.deviations());
    let mut tampered = delivery.body.clone();
    tampered.push(b' ');
    assert!(
        Webhook::new(secret)
            .expect("a secret")
            .verify::<WebhookEvent>(&delivery.headers, &tampered)
            .is_err()
    );
}

/// The blocking client and its kit: a mock started without `.await`, a list walked as an
/// iterator.
#[test]
fn the_blocking_client_pages_through_a_list_of_its_mock() {
    let mock = MockClerk::start_blocking();
    let served = numbered_users(25);
    mock.users().list().serves_list(served.clone());
    let clerk = mock.blocking_clerk();
    let ids: Vec<String> = clerk
        .users()
        .list(GetUserListQuery::default().limit(10))
        .paginate()
        .items()
        .map(|user| user.expect("every page succeeds").id)
        .collect();
    let expected: Vec<String> = served.iter().map(|user| user.id.clone()).collect();
    assert_eq!(ids, expected);
}

/// The drift corpus's conforming users decode and serialize back to their JSON: every member
/// kept, and only `null`s of optional fields absent (as each model's docs say). A member
/// added at three levels comes back too.
#[test]
fn conforming_users_serialize_back_to_their_json_with_members_the_spec_does_not_list() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/drift/user-list.json"))
        .expect("the drift corpus's users are copied beside this test");
    let mut body: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    body[0]["new_field"] = serde_json::json!({"since": 2027});
    body[0]["email_addresses"][0]["new_field"] = serde_json::json!([1]);
    body[0]["email_addresses"][0]["verification"]["new_field"] = serde_json::json!("x");
    let users: Vec<User> = serde_json::from_value(body.clone()).expect("decodes");
    assert_eq!(
        users[0].unknown_fields.get("new_field"),
        Some(&serde_json::json!({"since": 2027}))
    );
    let back = serde_json::to_value(&users).expect("serializes");
    use bapi_2026_05_12::runtime::testing::without_nulls;
    assert_eq!(without_nulls(&back), without_nulls(&body));
}
