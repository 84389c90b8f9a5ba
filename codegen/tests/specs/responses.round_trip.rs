//! Round trip for `responses.yaml`: text and byte bodies, redirects returned rather than
//! followed, an optional body, a 299, and `default` responses, against a loopback mock server.
//! Run inside the generated crate by the `generated_crates` test.

use responses::{Clerk, Error, Outcome};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn respond(server: &MockServer, verb: &str, at: &str, response: ResponseTemplate) {
    Mock::given(method(verb)).and(path(at)).respond_with(response).mount(server).await;
}

async fn server_and_client() -> (MockServer, Clerk) {
    let server = MockServer::start().await;
    let clerk = Clerk::builder()
        .server_url(server.uri())
        .retries(responses::RetryConfig::none())
        .build()
        .expect("builds");
    (server, clerk)
}

#[tokio::test]
async fn text_and_bytes_bodies_decode_as_they_are() {
    let (server, clerk) = server_and_client().await;
    let html = "<html><body>\"Done\" &amp; more</body></html>";
    respond(&server, "GET", "/page", ResponseTemplate::new(200).set_body_raw(html, "text/html; charset=utf-8")).await;
    respond(&server, "GET", "/file", ResponseTemplate::new(200).set_body_raw(vec![0u8, 255, 7], "application/octet-stream")).await;
    assert_eq!(clerk.pages().get_page().await.expect("html"), html);
    assert_eq!(clerk.pages().get_file().await.expect("bytes"), [0, 255, 7]);
}

#[tokio::test]
async fn documented_redirects_are_returned_with_their_location_and_not_followed() {
    let (server, clerk) = server_and_client().await;
    let to = format!("{}/elsewhere", server.uri());
    respond(&server, "POST", "/client", ResponseTemplate::new(307).insert_header("location", to.as_str())).await;
    respond(&server, "GET", "/authorize", ResponseTemplate::new(303).insert_header("location", "/sign-in?x=1")).await;
    respond(&server, "GET", "/elsewhere", ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "no"}))).await;

    let Outcome::Redirect(redirect) = clerk.clients().create_client().await.expect("redirect") else {
        panic!("expected a redirect");
    };
    assert_eq!(redirect.status(), 307);
    assert_eq!(redirect.location(), Some(to.as_str()));
    let outcome = clerk.clients().authorize().await.expect("redirect");
    assert_eq!(outcome.redirect().and_then(|r| r.location()), Some("/sign-in?x=1"));
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 2, "the redirects were not followed");

    server.reset().await;
    respond(&server, "POST", "/client", ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "cl_1"}))).await;
    let client = clerk.clients().create_client().await.expect("done").done().expect("not redirected");
    assert_eq!(client.id, "cl_1");
}

#[tokio::test]
async fn an_undocumented_redirect_is_an_unexpected_status() {
    let (server, clerk) = server_and_client().await;
    respond(&server, "GET", "/fallback", ResponseTemplate::new(302).insert_header("location", "/x")).await;
    let error = clerk.items().fallback().await.expect_err("not documented");
    assert!(matches!(&error, Error::UnexpectedStatus(e) if e.status() == 302), "{error:?}");
}

#[tokio::test]
async fn an_optional_body_a_299_and_default_responses() {
    let (server, clerk) = server_and_client().await;
    respond(&server, "DELETE", "/items/a", ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "a"}))).await;
    respond(&server, "DELETE", "/items/b", ResponseTemplate::new(204)).await;
    let errors = serde_json::json!({"errors": [{"code": "gone", "message": "Gone."}], "clerk_trace_id": "tr_1"});
    respond(&server, "DELETE", "/items/c", ResponseTemplate::new(418).set_body_json(errors)).await;
    respond(&server, "GET", "/callback", ResponseTemplate::new(299)).await;
    respond(&server, "GET", "/fallback", ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "f"}))).await;

    assert_eq!(clerk.items().delete_item("a").await.expect("200").map(|c| c.id).as_deref(), Some("a"));
    assert!(clerk.items().delete_item("b").await.expect("204").is_none());
    // `default` has the error body: an unlisted 418 is the typed error.
    let error = clerk.items().delete_item("c").await.expect_err("418");
    let Error::Api(api) = &error else { panic!("typed error expected: {error:?}") };
    assert_eq!((api.status().as_u16(), api.code()), (418, Some("gone")));
    let problems: &responses::models::Problems = api.errors();
    assert_eq!(problems.errors.len(), 1);
    assert_eq!(error.clerk_trace_id(), Some("tr_1"));
    clerk.items().callback().await.expect("299 is a success");
    assert_eq!(clerk.items().fallback().await.expect("default success").id, "f");
}
