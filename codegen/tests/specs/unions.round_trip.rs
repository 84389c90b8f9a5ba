//! Round trip for `unions.yaml`: untagged unions pick the variant by shape (including the only
//! value of a one-value enum), keep what fits none, and re-encode unchanged. Run inside the
//! generated crate by the `generated_crates` test.

use serde_json::json;
use unions::Clerk;
use unions::models::{Event, GetKeyResponse, GetKeyResponseIdOrCount, GetKeyResponseKey};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn untagged_and_tagged_unions_decode_through_the_client() {
    let body = json!({
        "key": {"kty": "EC", "x": "1", "y": "2"},
        "id_or_count": 7,
        "event": {"type": "created", "at": 5},
        "filter": {"domains": ["a.com"]}
    });
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(&body))
        .mount(&server)
        .await;
    let clerk = Clerk::builder().server_url(server.uri()).build().expect("builds");
    let response: GetKeyResponse = clerk.keys().get_key().await.expect("decodes");
    assert!(matches!(response.key, Some(GetKeyResponseKey::EcKey(_))), "{:?}", response.key);
    assert_eq!(response.id_or_count, Some(GetKeyResponseIdOrCount::Integer(7)));
    assert!(matches!(response.event, Some(Event::Created(_))), "{:?}", response.event);
    assert_eq!(serde_json::to_value(&response).expect("encodes"), body);
}

#[test]
fn variants_are_chosen_by_shape_and_unknown_values_are_kept() {
    let key = |value: serde_json::Value| serde_json::from_value::<GetKeyResponseKey>(value).expect("decodes");
    assert!(matches!(key(json!({"kty": "RSA", "n": "1", "e": "2"})), GetKeyResponseKey::RsaKey(_)));
    assert!(matches!(key(json!({"kty": "EC", "x": "1", "y": "2"})), GetKeyResponseKey::EcKey(_)));
    // Has every RSA property, but its `kty` says otherwise: kept, not mis-decoded.
    let odd = json!({"kty": "OKP", "n": "1", "e": "2"});
    assert_eq!(key(odd.clone()), GetKeyResponseKey::Unknown(odd.clone()));
    assert_eq!(serde_json::to_value(key(odd.clone())).expect("encodes"), odd);

    let id = |value| serde_json::from_value::<GetKeyResponseIdOrCount>(value).expect("decodes");
    assert_eq!(id(json!("usr_1")), GetKeyResponseIdOrCount::String("usr_1".to_owned()));
    assert_eq!(id(json!(true)), GetKeyResponseIdOrCount::Unknown(json!(true)));
}
