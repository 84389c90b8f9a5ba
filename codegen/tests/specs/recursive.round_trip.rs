//! Round trip for `recursive.yaml`: recursive schemas, boxed where they hold themselves, decoded
//! and sent against a loopback mock server. Run inside the generated crate by the
//! `generated_crates` test.

use recursive::Clerk;
use recursive::models::{File, Folder};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn recursive_values_decode_and_encode() {
    let server = MockServer::start().await;
    let node = serde_json::json!({
        "id": "n1",
        "next": {"id": "n2", "next": {"id": "n3"}},
        "children": [{"id": "c1", "children": [{"id": "c2"}]}]
    });
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(&node))
        .mount(&server)
        .await;
    let clerk = Clerk::builder().server_url(server.uri()).build().expect("builds");

    let inner = Folder::new("inner");
    let folder = Folder::new("outer").parent(File::new(inner));
    let decoded = clerk.nodes().create_node(folder).await.expect("succeeds");
    let third = decoded.next.as_ref().and_then(|next| next.next.as_ref()).map(|node| node.id.as_str());
    assert_eq!(third, Some("n3"));
    assert_eq!(decoded.children.as_ref().map(|c| c[0].children.as_ref().map(Vec::len)), Some(Some(1)));
    assert_eq!(serde_json::to_value(&decoded).expect("encodes"), node);

    let requests = server.received_requests().await.expect("recorded");
    let sent: serde_json::Value = serde_json::from_slice(&requests[0].body).expect("json");
    assert_eq!(sent, serde_json::json!({"name": "outer", "parent": {"folder": {"name": "inner"}}}));
}
