//! Round trips for Clerk's Backend API (`spec/upstream/bapi-2026-05-12.yml`), run inside the
//! crate generated from it by the `generated_crates` test, against its testing kit's loopback
//! mock: a list of 500 users with drifted items, through a real call.

use bapi_2026_05_12::Error;
use bapi_2026_05_12::models::GetUserListQuery;
use bapi_2026_05_12::testing::MockClerk;
use wiremock::ResponseTemplate;

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
    mock.users().list().respond_with(ResponseTemplate::new(200).set_body_json(&users));
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
    assert_eq!(users[299].email_addresses[0].email_address, "", "the user that lacks a field is kept");
    assert_eq!(users[498].id, "user_499");

    // The testing kit's own client is strict: the same list fails at its first deviation.
    let error = mock.clerk().users().list(GetUserListQuery::default()).await.expect_err("strict");
    assert!(matches!(&error, Error::Decode(d) if d.pointer() == "/100"), "{error:?}");
}
