//! Round trip for `all_of.yaml`: a merged `allOf` struct decodes from and encodes to the same
//! JSON, through a loopback mock server. Run inside the generated crate by the
//! `generated_crates` test.

use all_of::Clerk;
use all_of::models::{Machine, Owner};
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn merged_members_decode_and_re_encode() {
    let body = json!({"id": "mch_1", "created_at": 1700000000000_i64, "scopes": ["a", "b"], "owner": {"name": "ops"}});
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(&body))
        .mount(&server)
        .await;
    let clerk = Clerk::builder().server_url(server.uri()).build().expect("builds");

    let machine: Machine = clerk.machines().get_machine().await.expect("decodes");
    assert_eq!(machine.id, "mch_1");
    assert_eq!(machine.created_at, Some(1_700_000_000_000));
    assert_eq!(machine.scopes, ["a", "b"]);
    assert_eq!(machine.owner, Some(Owner::new().name("ops")));
    assert_eq!(serde_json::to_value(&machine).expect("encodes"), body);

    // An optional field that is `null` reads as unset, and is left out when encoded again.
    let null_owner = json!({"id": "mch_2", "scopes": [], "owner": null});
    let machine: Machine = serde_json::from_value(null_owner).expect("decodes");
    assert_eq!(machine.owner, None);
    assert_eq!(serde_json::to_value(&machine).expect("encodes"), json!({"id": "mch_2", "scopes": []}));
}
