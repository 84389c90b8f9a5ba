//! Round trip for `auth.yaml`: header and cookie parameters and every kind of credential on the
//! wire, against a loopback mock server. Run inside the generated crate by the
//! `generated_crates` test.

use auth::models::GetMeTheme;
use auth::{Clerk, ClerkBuilder, Error};
use wiremock::matchers::{any, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn mock() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path("/me"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "me_1"})))
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    server
}

fn builder(server: &MockServer) -> ClerkBuilder {
    Clerk::builder().server_url(server.uri()).retries(auth::RetryConfig::none())
}

async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 1, "one request");
    requests.remove(0)
}

fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request.headers.get(name).and_then(|value| value.to_str().ok())
}

#[tokio::test]
async fn header_and_cookie_parameters_are_sent_with_the_cookie_credential() {
    let server = mock().await;
    let clerk = builder(&server).browser("client_tok").build().expect("builds");
    let me = clerk
        .me()
        .get_me("req_1", 7)
        .origin("https://app.example.com")
        .theme(GetMeTheme::Dark)
        .timeout_param(30)
        .await
        .expect("succeeds");
    assert_eq!(me.id.as_deref(), Some("me_1"));
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/me");
    assert_eq!(request.url.query(), None);
    assert_eq!(header(&request, "x-request-id"), Some("req_1"));
    assert_eq!(header(&request, "origin"), Some("https://app.example.com"));
    assert_eq!(header(&request, "timeout"), Some("30"));
    assert_eq!(header(&request, "cookie"), Some("session_hint=7; theme=dark; __client=client_tok"));
    assert_eq!(header(&request, "authorization"), None);
    assert_eq!(header(&request, "clerk-api-version"), None, "a `v1` API takes no version header");
}

#[tokio::test]
async fn a_header_value_that_cannot_be_sent_fails_before_sending() {
    let server = mock().await;
    let clerk = builder(&server).build().expect("builds");
    let error = clerk.me().get_me("req\n1", 7).await.expect_err("refused");
    assert_eq!(
        error.to_string(),
        "GetMe: invalid request: the value of header parameter `X-Request-Id` is not a valid header value"
    );
    assert!(server.received_requests().await.expect("recorded").is_empty());
}

#[tokio::test]
async fn a_query_key_is_sent_and_the_first_alternative_that_can_be_met_wins() {
    let server = mock().await;
    // DevBrowser comes before Browser in the spec's alternatives.
    let clerk = builder(&server).browser("client_tok").dev_browser("dvb_1").build().expect("builds");
    clerk.me().get_me("r", 1).await.expect("succeeds");
    let request = only_request(&server).await;
    assert_eq!(request.url.query(), Some("__dev_session=dvb_1"));
    assert_eq!(header(&request, "cookie"), Some("session_hint=1"));
}

#[tokio::test]
async fn an_and_pair_is_sent_together_or_not_at_all() {
    let server = mock().await;
    let clerk = builder(&server).native_app("sess_tok").native_flag("true").build().expect("builds");
    clerk.me().get_me("r", 1).await.expect("succeeds");
    let request = only_request(&server).await;
    assert_eq!(header(&request, "authorization"), Some("Bearer sess_tok"));
    assert_eq!(request.url.query(), Some("_is_native=true"));

    // Half of the pair cannot be met, and `{}` makes credentials optional: nothing is sent.
    let server = mock().await;
    let clerk = builder(&server).native_app("sess_tok").build().expect("builds");
    clerk.me().get_me("r", 1).await.expect("succeeds");
    let request = only_request(&server).await;
    assert_eq!(header(&request, "authorization"), None);
    assert_eq!(request.url.query(), None);
}

#[tokio::test]
async fn basic_credentials_and_a_header_key() {
    let server = mock().await;
    let clerk = builder(&server)
        .client_credentials("client_id", "s3cret")
        .header_key("key_1")
        .build()
        .expect("builds");
    clerk.o_auth().get_token().await.expect("succeeds");
    clerk.me().get_keyed().await.expect("succeeds");
    let requests = server.received_requests().await.expect("recorded");
    // base64("client_id:s3cret")
    assert_eq!(header(&requests[0], "authorization"), Some("Basic Y2xpZW50X2lkOnMzY3JldA=="));
    assert_eq!(header(&requests[0], "x-api-key"), None);
    assert_eq!(header(&requests[1], "x-api-key"), Some("key_1"));
    assert_eq!(header(&requests[1], "authorization"), None);
}

#[tokio::test]
async fn a_missing_credential_fails_before_sending_and_names_the_scheme() {
    let server = mock().await;
    let clerk = builder(&server).dev_browser("dvb_1").build().expect("builds");
    let error: Error = clerk.o_auth().get_token().await.expect_err("refused");
    assert_eq!(
        error.to_string(),
        "GetToken: invalid request: no credential is configured for this operation, which needs \
         `ClientCredentials` (client_credentials(..))"
    );
    assert!(!error.to_string().contains("dvb_1"));
    assert!(server.received_requests().await.expect("recorded").is_empty());
}

#[tokio::test]
async fn public_operations_send_no_credentials() {
    let server = mock().await;
    let clerk = builder(&server)
        .native_app("sess_tok")
        .native_flag("true")
        .browser("client_tok")
        .build()
        .expect("builds");
    clerk.me().get_public().await.expect("succeeds");
    let request = only_request(&server).await;
    assert_eq!(header(&request, "authorization"), None);
    assert_eq!(header(&request, "cookie"), None);
    assert_eq!(request.url.query(), None);
}

#[test]
fn credentials_are_secret_and_the_server_has_no_default() {
    let builder = Clerk::builder()
        .server_url("https://acme.example.com")
        .client_credentials("client_id", "hunter2")
        .dev_browser("dvb_secret");
    let debug = format!("{builder:?}");
    assert!(!debug.contains("hunter2") && !debug.contains("dvb_secret"), "{debug}");
    let clerk = builder.build().expect("builds");
    let debug = format!("{clerk:?}");
    assert!(!debug.contains("hunter2") && !debug.contains("dvb_secret"), "{debug}");

    let error = Clerk::builder().build().expect_err("no server");
    assert_eq!(
        error.to_string(),
        "invalid client configuration: no server URL: Auth has no fixed server (its spec gives \
         `https://{domain}.example.com`); call server_url(..)"
    );
    let error = Clerk::builder()
        .server_url("http://acme.example.com")
        .dev_browser("dvb_secret")
        .build()
        .expect_err("cleartext");
    assert!(error.to_string().contains("refusing to send credentials in cleartext"), "{error}");
    assert!(!error.to_string().contains("dvb_secret"));
}
