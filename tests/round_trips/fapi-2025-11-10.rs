//! Round trips for Clerk's Frontend API (`spec/upstream/fapi-2025-11-10.yml`), run inside the
//! crate generated from it by the `generated_crates` test, against a loopback mock server: a
//! form body with an array and three-state fields, a header parameter, every kind of credential
//! the spec declares (a query key, a cookie, a bearer token with a query flag as an AND pair,
//! HTTP Basic), a missing credential, `security: []`, a documented redirect and a `text/html`
//! response.

use fapi_2025_11_10::models::{
    CreateMeEnterpriseConnectionQuery, CreateMeEnterpriseConnectionRequest,
    CreateMeEnterpriseConnectionRequestProvider, CreateSignInRequest, GetEnterpriseConnectionTestRunResultQuery,
    RevokeOAuthTokenRequest, SyncClientQuery,
};
use fapi_2025_11_10::{Clerk, ClerkBuilder, Error, Nullable, Outcome};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn mock(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(response).mount(&server).await;
    server
}

fn builder(server: &MockServer) -> ClerkBuilder {
    Clerk::builder()
        .server_url(server.uri())
        .retries(fapi_2025_11_10::RetryConfig::none())
}

async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 1, "one request");
    requests.remove(0)
}

fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request.headers.get(name).and_then(|value| value.to_str().ok())
}

// `createMeEnterpriseConnection` is deprecated in this version of the spec; its body is the one
// with an array field whose operation needs credentials.
#[allow(deprecated)]
#[tokio::test]
async fn a_form_body_with_an_array_and_three_state_fields() {
    let errors = serde_json::json!({"errors": [{"code": "form_param_invalid", "message": "Invalid.", "long_message": "Invalid domain."}]});
    let server = mock(ResponseTemplate::new(422).set_body_json(errors)).await;
    let clerk = builder(&server).dev_browser("dvb_1").build().expect("builds");
    let body = CreateMeEnterpriseConnectionRequest::new(
        CreateMeEnterpriseConnectionRequestProvider::SamlOkta,
        vec!["example.com".to_owned(), "example.org".to_owned()],
    )
    .name("Okta SSO")
    .organization_id(Nullable::Null);
    let error = clerk
        .enterprise_connections()
        .create_me_enterprise_connection(CreateMeEnterpriseConnectionQuery::new(), body)
        .await
        .expect_err("422");
    assert!(
        matches!(&error, Error::Api(api) if api.code() == Some("form_param_invalid")),
        "{error:?}"
    );
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/v1/me/enterprise_connections");
    assert_eq!(request.url.query(), Some("__dev_session=dvb_1"));
    assert_eq!(
        header(&request, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        "domains=example.com&domains=example.org&name=Okta+SSO&organization_id=&provider=saml_okta"
    );
    assert_eq!(
        header(&request, "clerk-api-version"),
        None,
        "the Frontend API takes no version header"
    );
}

#[tokio::test]
async fn a_header_parameter_and_a_cookie_credential() {
    let server = mock(ResponseTemplate::new(307).insert_header("location", "https://accounts.example.com/sync")).await;
    let clerk = builder(&server)
        .production_browser("client_cookie")
        .build()
        .expect("builds");
    let outcome = clerk
        .sign_ins()
        .create_sign_in(
            CreateSignInRequest::default()
                .identifier("ann@example.com")
                .strategy("email_code"),
        )
        .origin("https://app.example.com")
        .await
        .expect("a documented redirect");
    assert_eq!(
        outcome.redirect().and_then(|redirect| redirect.location()),
        Some("https://accounts.example.com/sync")
    );
    let request = only_request(&server).await;
    assert_eq!(header(&request, "origin"), Some("https://app.example.com"));
    // `createSignIn` makes credentials optional (`security: [{}]`): none is sent.
    assert_eq!(header(&request, "cookie"), None);
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        "identifier=ann%40example.com&strategy=email_code"
    );
}

#[tokio::test]
async fn the_spec_level_alternatives_pick_the_first_configured() {
    // A cookie alone.
    let server = mock(ResponseTemplate::new(307).insert_header("location", "/next")).await;
    let clerk = builder(&server)
        .production_browser("client_cookie")
        .build()
        .expect("builds");
    let outcome = clerk
        .client()
        .sync_client(SyncClientQuery::new())
        .await
        .expect("redirect");
    assert!(matches!(outcome, Outcome::Redirect(ref r) if r.status() == 307 && r.location() == Some("/next")));
    let request = only_request(&server).await;
    assert_eq!(header(&request, "cookie"), Some("__client=client_cookie"));
    assert_eq!(header(&request, "authorization"), None);

    // A bearer token and its query flag, sent together (an AND pair).
    let server = mock(ResponseTemplate::new(307).insert_header("location", "/next")).await;
    let clerk = builder(&server)
        .production_native_app("sess_token")
        .production_native_flag("true")
        .build()
        .expect("builds");
    clerk
        .client()
        .sync_client(SyncClientQuery::new())
        .await
        .expect("redirect");
    let request = only_request(&server).await;
    assert_eq!(header(&request, "authorization"), Some("Bearer sess_token"));
    assert_eq!(request.url.query(), Some("_is_native=true"));
    assert_eq!(header(&request, "cookie"), None);
}

#[tokio::test]
async fn basic_credentials_a_missing_one_and_public_operations() {
    let server = mock(ResponseTemplate::new(200)).await;
    let clerk = builder(&server)
        .client_credentials("client_id", "client_secret")
        .dev_browser("dvb_1")
        .build()
        .expect("builds");
    clerk
        .o_auth2_identity_provider()
        .revoke_o_auth_token(RevokeOAuthTokenRequest::new().token("tok_1"))
        .await
        .expect("revoked");
    let request = only_request(&server).await;
    // base64("client_id:client_secret")
    assert_eq!(
        header(&request, "authorization"),
        Some("Basic Y2xpZW50X2lkOmNsaWVudF9zZWNyZXQ=")
    );
    assert_eq!(request.url.query(), None);

    // `revokeOAuthToken` needs Basic credentials: without them nothing is sent.
    let server = mock(ResponseTemplate::new(200)).await;
    let clerk = builder(&server).dev_browser("dvb_1").build().expect("builds");
    let error = clerk
        .o_auth2_identity_provider()
        .revoke_o_auth_token(RevokeOAuthTokenRequest::new())
        .await
        .expect_err("refused");
    assert_eq!(
        error.to_string(),
        "revokeOAuthToken: invalid request: no credential is configured for this operation, which needs \
         `ClientCredentials` (client_credentials(..))"
    );
    assert!(server.received_requests().await.expect("recorded").is_empty());

    // `createDevBrowser` has `security: []`: the configured key is not sent.
    clerk.dev_browser().create_dev_browser().await.expect("public");
    let request = only_request(&server).await;
    assert_eq!(request.url.query(), None);
    assert_eq!(header(&request, "authorization"), None);
}

#[tokio::test]
async fn a_text_html_response_is_a_string() {
    let page = "<!doctype html><p>Test run passed</p>";
    let server = mock(ResponseTemplate::new(200).set_body_raw(page, "text/html")).await;
    let clerk = builder(&server).build().expect("builds");
    let html = clerk
        .enterprise_connections()
        .get_enterprise_connection_test_run_result(
            "ec_1",
            "tr_1",
            GetEnterpriseConnectionTestRunResultQuery::new("token_1"),
        )
        .await
        .expect("html");
    assert_eq!(html, page);
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/v1/enterprise_connections/ec_1/test_runs/tr_1");
    assert_eq!(request.url.query(), Some("token=token_1"));
}

/// The drift corpus's conforming email address decodes and serializes back to its JSON: every
/// member kept, and only `null`s of optional fields absent (as each model's docs say).
#[test]
fn the_conforming_email_address_serializes_back_to_its_json() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/drift/email-address.json"))
        .expect("the drift corpus's email address is copied beside this test");
    let body: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let wrapped: fapi_2025_11_10::models::ClientClientWrappedEmailAddress =
        serde_json::from_value(body.clone()).expect("decodes");
    let back = serde_json::to_value(&wrapped).expect("serializes");
    use fapi_2025_11_10::runtime::testing::without_nulls;
    assert_eq!(without_nulls(&back), without_nulls(&body));
}
