//! Shared set-up for the mock-server tests: a loopback wiremock server, a client pointed at it,
//! realistic response bodies, and a way to read back exactly what the SDK sent.

#![allow(dead_code)] // Each test file uses a different part of this module.

use clerk_sdk::limits::RateLimiting;
use clerk_sdk::{Clerk, ClerkBuilder, RetryConfig};
use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The key every test client uses; tests assert it never leaks.
pub const SECRET_KEY: &str = "sk_test_d0ntL3akM3pl3ase";

/// A mock server on loopback and a client whose server URL is `<mock>/v1/` (trailing slash
/// included, to show it is tolerated). Retries are off, so each call is one request; the
/// retry tests build their own clients.
pub async fn setup() -> (MockServer, Clerk) {
    let server = MockServer::start().await;
    let clerk = builder(&server)
        .retries(RetryConfig::none())
        .build()
        .expect("client builds");
    (server, clerk)
}

/// A builder with the test key and the mock server's `/v1` URL, everything else default but
/// the rate limiter, which is off: these servers have no limit, and a development key's limiter
/// would pace a test's bursts at 9 per second (`limits.rs` tests the limiter).
pub fn builder(server: &MockServer) -> ClerkBuilder {
    Clerk::builder()
        .bearer_auth(SECRET_KEY)
        .server_url(format!("{}/v1/", server.uri()))
        .rate_limit(RateLimiting::off())
}

/// A builder with the test key and `http://{address}/v1` as its server, for the raw loopback
/// servers that tests run without wiremock.
pub fn builder_at(address: std::net::SocketAddr) -> ClerkBuilder {
    Clerk::builder()
        .bearer_auth(SECRET_KEY)
        .server_url(format!("http://{address}/v1"))
        .rate_limit(RateLimiting::off())
}

/// A server whose every response takes 10 s, for timeout tests.
pub async fn stalled_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(phone_number_json())
                .set_delay(std::time::Duration::from_secs(10)),
        )
        .mount(&server)
        .await;
    server
}

/// Answers every request with `status` and a JSON body.
pub async fn respond_json(server: &MockServer, status: u16, body: Value) {
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(server)
        .await;
}

/// Answers every request with `status`, a raw body and a content type.
pub async fn respond_raw(server: &MockServer, status: u16, body: &str, content_type: &str) {
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), content_type))
        .mount(server)
        .await;
}

/// What the SDK sent, in a form tests can compare exactly.
#[derive(Debug)]
pub struct Sent {
    pub method: String,
    /// The path as it went over the wire, percent-encoding included.
    pub path: String,
    pub query: Option<String>,
    pub headers: wiremock::http::HeaderMap,
    /// The body parsed as JSON, or `None` if there was no body.
    pub body: Option<Value>,
}

impl Sent {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// The one request the server received; fails the test if there were more or fewer.
pub async fn the_request(server: &MockServer) -> Sent {
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "expected exactly one request, got {requests:#?}");
    let request = &requests[0];
    Sent {
        method: request.method.to_string(),
        path: request.url.path().to_owned(),
        query: request.url.query().map(str::to_owned),
        headers: request.headers.clone(),
        body: if request.body.is_empty() {
            None
        } else {
            Some(serde_json::from_slice(&request.body).expect("the SDK sends JSON"))
        },
    }
}

/// How many requests the server received.
pub async fn request_count(server: &MockServer) -> usize {
    server.received_requests().await.expect("recording is on").len()
}

/// A phone number as Clerk returns it, with an OTP verification.
pub fn phone_number_json() -> Value {
    json!({
        "id": "idn_2RJhUXnMYzPyCNMFLNRGuC7fWUL",
        "object": "phone_number",
        "phone_number": "+15555550100",
        "reserved_for_second_factor": false,
        "default_second_factor": false,
        "reserved": false,
        "verification": {
            "object": "verification_otp",
            "status": "verified",
            "strategy": "phone_code",
            "attempts": 1,
            "expire_at": 1_735_000_000_000_i64,
            "channel": "sms",
            "verified_at_client": "client_2RJhUXnMYzPyCNMFLNRGuC7fWUL"
        },
        "linked_to": [{"type": "oauth_google", "id": "idn_2RJhUZkcBlUCDxz5B3Vq7Ir5cTP"}],
        "backup_codes": null,
        "created_at": 1_716_883_200_000_i64,
        "updated_at": 1_716_883_200_000_i64
    })
}

/// Clerk's error body, with a trace id.
pub fn clerk_errors_json(code: &str, trace_id: &str) -> Value {
    json!({
        "errors": [{
            "message": "not found",
            "long_message": format!("Resource not found ({code})"),
            "code": code,
            "meta": {"param_name": "phone_number_id"}
        }],
        "meta": {},
        "clerk_trace_id": trace_id
    })
}

/// A verification as prepare/attempt_verification return it.
pub fn verification_json(status: &str) -> Value {
    json!({
        "object": "verification",
        "id": "ver_2RJhUXnMYzPyCNMFLNRGuC7fWUL",
        "status": status,
        "strategy": "phone_code",
        "attempts": 0,
        "expire_at": 1_735_000_000_000_i64,
        "channel": "sms"
    })
}

/// A loopback address where nothing listens, for connection-refused tests. The port stays
/// reserved for as long as the returned socket lives: a bound socket that does not listen
/// refuses connections, and no other test can be given its port, as one could be after the
/// port was freed. Call `listen` on the socket to bring a server up there later.
pub fn refusing_address() -> (tokio::net::TcpSocket, std::net::SocketAddr) {
    let socket = tokio::net::TcpSocket::new_v4().expect("creates a socket");
    socket
        .bind(std::net::SocketAddr::from(([127, 0, 0, 1], 0)))
        .expect("binds a loopback port");
    let address = socket.local_addr().expect("has an address");
    (socket, address)
}

/// Asserts that the server received exactly one request, and that it was `method path` (the
/// path as sent, such as `/v1/phone_numbers/phone_1`).
pub async fn assert_one_request(server: &MockServer, method: &str, path: &str) -> Sent {
    let sent = the_request(server).await;
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        (method, path),
        "the request sent"
    );
    sent
}

/// A client of a testing-kit mock without the mock's own hook, as an application might build
/// one: it sees the mock's answers as they are (a request nothing expected gets status 421)
/// instead of panicking at the call. Retries are off.
pub fn plain_client_of(mock: &clerk_sdk::testing::MockClerk) -> Clerk {
    let builder = clerk_sdk::runtime::testing::with_test_credentials(Clerk::builder().into());
    clerk_sdk::ClerkBuilder::from(builder)
        .server_url(mock.uri())
        .retries(RetryConfig::none())
        .rate_limit(RateLimiting::off())
        .build()
        .expect("a client of the mock")
}
