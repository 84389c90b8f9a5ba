//! Round trip for `tolerant.yaml`: the array schema that carried `additionalProperties`
//! decodes as an array, against a loopback mock server. Compiled and run inside the generated
//! crate by the `generated_crates` test.

use serde_json::json;
use tolerant::Clerk;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn an_array_with_object_keywords_decodes_as_an_array() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/links"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"relation": ["delegate_permission/common.handle_all_urls"], "target": "app"},
            {"target": "web"}
        ])))
        .expect(1)
        .mount(&server)
        .await;
    let clerk = Clerk::builder().server_url(server.uri()).build().expect("builds");
    let links = clerk.links().list_links().await.expect("decodes");
    assert_eq!(links.len(), 2);
    assert_eq!(links[0].relation.as_deref(), Some(&["delegate_permission/common.handle_all_urls".to_owned()][..]));
    assert_eq!(links[0].target, "app");
    assert_eq!((links[1].relation.as_deref(), links[1].target.as_str()), (None, "web"));
}
