//! Security properties: hostile ids never leave their path segment, the key is never sent in
//! cleartext to another host, and it never shows in `Debug` output or errors.

mod common;

use clerk_sdk::models::UpdatePhoneNumberRequest;
use clerk_sdk::{Clerk, Error};
use common::{SECRET_KEY, phone_number_json, request_count, respond_json, setup};

/// Ids an attacker (or a bug upstream) might pass, each of which must arrive as exactly one
/// path segment that decodes back to itself.
fn hostile_ids() -> Vec<String> {
    let mut ids: Vec<String> = [
        "../users",
        "../../v1/users/user_1",
        "a/b",
        "%2F",
        "%2e%2e",
        "..%2Fusers",
        "?x=1",
        "#f",
        "a b",
        "a+b",
        "a;b=c",
        "a,b",
        "@evil.com",
        "\\..\\users",
        "ümlaut-ñ-漢字",
        "emoji-🙂",
        "line\r\nX-Injected: 1",
        "tab\there",
        "nul\0byte",
        "&admin=true",
        "phone_1/../user_2",
        "./.",
        "...",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    ids.push("x".repeat(8 * 1024));
    ids
}

/// Decodes `%XX` escapes (the inverse of what the SDK does), to compare with the original id.
fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("ascii");
            out.push(u8::from_str_radix(hex, 16).expect("hex escape"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

#[tokio::test]
async fn hostile_ids_stay_inside_one_path_segment() {
    let ids = hostile_ids();
    assert!(ids.len() >= 20);
    for id in ids {
        let (server, clerk) = setup().await;
        respond_json(&server, 200, phone_number_json()).await;
        clerk
            .phone_numbers()
            .update(&id, UpdatePhoneNumberRequest::default())
            .await
            .unwrap_or_else(|e| panic!("{id:?}: {e}"));
        let requests = server.received_requests().await.expect("recorded");
        assert_eq!(requests.len(), 1, "{id:?}");
        let path = requests[0].url.path();
        let segment = path
            .strip_prefix("/v1/phone_numbers/")
            .unwrap_or_else(|| panic!("{id:?} left the endpoint: {path}"));
        assert!(!segment.is_empty() && !segment.contains('/'), "{id:?} became {path}");
        assert_eq!(requests[0].url.query(), None, "{id:?} created a query");
        assert_eq!(
            percent_decode(segment),
            id.as_bytes(),
            "{id:?} did not survive the trip"
        );
        assert!(
            !requests[0].headers.contains_key("x-injected"),
            "{id:?} injected a header"
        );
    }
}

#[tokio::test]
async fn empty_and_dot_ids_are_refused_before_sending() {
    let (server, clerk) = setup().await;
    respond_json(&server, 200, phone_number_json()).await;
    for id in ["", ".", ".."] {
        let error = clerk.phone_numbers().get(id).await.expect_err("refused");
        assert!(matches!(error, Error::InvalidRequest { .. }), "{id:?}: {error:?}");
    }
    assert_eq!(request_count(&server).await, 0);
}

#[tokio::test]
async fn a_per_call_server_url_cannot_send_the_key_in_cleartext() {
    let (server, clerk) = setup().await;
    respond_json(&server, 200, phone_number_json()).await;
    // Refused before any connection is attempted: nothing is sent anywhere.
    let error = clerk
        .phone_numbers()
        .get("phone_1")
        .server_url("http://api.clerk.com/v1")
        .await
        .expect_err("refused");
    assert_eq!(
        error.to_string(),
        "GetPhoneNumber: invalid request: refusing to send credentials in cleartext to \
         `http://api.clerk.com/v1`: use https, or allow_insecure_http(true)"
    );
    assert!(!format!("{error:?}").contains(SECRET_KEY));
    assert_eq!(request_count(&server).await, 0);
}

#[test]
fn the_key_is_not_in_debug_output() {
    let builder = Clerk::builder()
        .bearer_auth(SECRET_KEY)
        .server_url("http://127.0.0.1:9/v1");
    let builder_debug = format!("{builder:?}");
    let client = builder.build().expect("builds");
    let client_debug = format!("{client:?} {:?}", client.phone_numbers().get("phone_1"));
    for debug in [builder_debug, client_debug] {
        assert!(!debug.contains(SECRET_KEY) && !debug.contains("d0ntL3ak"), "{debug}");
    }
}
