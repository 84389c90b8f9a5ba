//! Round trip for `forms.yaml`: form bodies and a raw-bytes body on the wire, against a loopback
//! mock server. Run inside the generated crate by the `generated_crates` test.

use std::collections::BTreeMap;

use forms::models::{CreateSignUpRequest, CreateSignUpRequestUnsafeMetadata, UpdateEitherRequest};
use forms::{Clerk, Nullable};
use wiremock::matchers::{any, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn server_and_client() -> (MockServer, Clerk) {
    let server = MockServer::start().await;
    Mock::given(path("/sign_ups"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "sua_1"})))
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let clerk = Clerk::builder().server_url(server.uri()).build().expect("builds");
    (server, clerk)
}

fn content_type(request: &Request) -> &str {
    request.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default()
}

#[tokio::test]
async fn a_form_body_follows_each_fields_style_and_three_states() {
    let (server, clerk) = server_and_client().await;
    let body = CreateSignUpRequest::new("ann+1@example.com")
        .first_name("Ann Lee")
        .last_name(Nullable::Null)
        .legal_accepted(true)
        .strategies(vec!["email_code".to_owned(), "password".to_owned()])
        .scopes(vec!["x".to_owned(), "y,z".to_owned()])
        .unsafe_metadata(CreateSignUpRequestUnsafeMetadata::default().plan("pro").seats(3))
        .locale(BTreeMap::from([("lang".to_owned(), "en".to_owned())]));
    let created = clerk.sign_ups().create_sign_up(body).await.expect("succeeds");
    assert_eq!(created.id.as_deref(), Some("sua_1"));

    // Unset fields are left out; a field set to null is sent empty.
    clerk
        .sign_ups()
        .create_sign_up(CreateSignUpRequest::new("b@example.com"))
        .await
        .expect("succeeds");

    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(content_type(&requests[0]), "application/x-www-form-urlencoded");
    assert_eq!(
        String::from_utf8_lossy(&requests[0].body),
        "email_address=ann%2B1%40example.com&first_name=Ann+Lee&last_name=&legal_accepted=true&lang=en\
         &scopes=x,y%2Cz&strategies=email_code&strategies=password&unsafe_metadata[plan]=pro\
         &unsafe_metadata[seats]=3"
    );
    assert_eq!(String::from_utf8_lossy(&requests[1].body), "email_address=b%40example.com");
}

#[tokio::test]
async fn json_is_chosen_over_a_form_and_bytes_are_sent_as_they_are() {
    let (server, clerk) = server_and_client().await;
    clerk
        .sign_ups()
        .update_either(UpdateEitherRequest::default().name("n"))
        .await
        .expect("succeeds");
    clerk.files().upload_file(vec![0, 159, 146, 150]).await.expect("succeeds");
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(content_type(&requests[0]), "application/json");
    assert_eq!(requests[0].body, br#"{"name":"n"}"#);
    assert_eq!(content_type(&requests[1]), "application/octet-stream");
    assert_eq!(requests[1].body, [0, 159, 146, 150]);
}
