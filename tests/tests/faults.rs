//! Misbehaving servers, through the runtime's real timeout and retry code. Each fault gives a
//! typed error (or a correct result), never a panic or a hang. The server is a few lines of
//! raw TCP on loopback, because these faults cannot be expressed with a well-behaved mock.

mod common;

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use clerk_sdk::{Clerk, Error, RetryConfig};
use common::SECRET_KEY;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Reads one request's head (the phone_numbers calls used here send no body).
async fn read_head(stream: &mut TcpStream) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte).await {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
}

/// A server that reads one request and then does `fault` with the connection.
async fn serve_once<F, Fut>(fault: F) -> SocketAddr
where
    F: FnOnce(TcpStream) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        if let Ok((mut stream, _)) = listener.accept().await {
            read_head(&mut stream).await;
            fault(stream).await;
        }
    });
    address
}

/// A server that answers one request with these raw bytes and closes.
async fn respond_raw(response: Vec<u8>) -> SocketAddr {
    serve_once(|mut stream| async move {
        let _ = stream.write_all(&response).await;
        let _ = stream.shutdown().await;
    })
    .await
}

/// The client timeout for most faults: short, so a stall fails fast.
const SHORT_TIMEOUT: Duration = Duration::from_millis(500);

fn client(address: SocketAddr, timeout: Duration) -> Clerk {
    common::builder_at(address)
        .retries(RetryConfig::none())
        .timeout(timeout)
        .build()
        .expect("builds")
}

/// Runs a `get` with the short timeout, bounded so a hang fails the test instead of stalling it.
async fn get(address: SocketAddr) -> Error {
    get_within(address, SHORT_TIMEOUT).await
}

/// Runs a `get` whose attempt may take `timeout`; the whole call is bounded by twice that.
async fn get_within(address: SocketAddr, timeout: Duration) -> Error {
    let call = client(address, timeout).phone_numbers().get("phone_1");
    let bound = (timeout * 2).max(Duration::from_secs(5));
    let outcome = tokio::time::timeout(bound, std::future::IntoFuture::into_future(call)).await;
    let error = outcome
        .expect("the call must not hang")
        .expect_err("the fault must fail the call");
    assert!(!format!("{error:?}").contains(SECRET_KEY));
    assert!(!error.to_string().contains('\n'), "one line: {error}");
    error
}

fn head(status: &str, content_type: &str, length: usize) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {length}\r\nconnection: close\r\n\r\n"
    )
    .into_bytes()
}

fn with_body(status: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut response = head(status, content_type, body.len());
    response.extend_from_slice(body);
    response
}

#[tokio::test]
async fn connection_reset_before_the_response() {
    let address = serve_once(|stream| async move {
        let _ = stream.set_zero_linger();
        drop(stream);
    })
    .await;
    let error = get(address).await;
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
}

#[tokio::test]
async fn body_cut_short() {
    let address = serve_once(|mut stream| async move {
        let _ = stream.write_all(&head("200 OK", "application/json", 500)).await;
        let _ = stream.write_all(br#"{"id": "idn_1", "obj"#).await;
        let _ = stream.set_zero_linger();
    })
    .await;
    let error = get(address).await;
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
}

#[tokio::test]
async fn headers_then_a_stall_times_out() {
    let address = serve_once(|mut stream| async move {
        let _ = stream.write_all(&head("200 OK", "application/json", 500)).await;
        tokio::time::sleep(Duration::from_secs(10)).await;
    })
    .await;
    let error = get(address).await;
    assert!(error.is_timeout(), "{error:?}");
}

#[tokio::test]
async fn an_html_502_from_a_proxy() {
    let page = b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>";
    let error = get(respond_raw(with_body("502 Bad Gateway", "text/html", page)).await).await;
    let Error::UnexpectedStatus(unexpected) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(unexpected.status(), 502);
    assert!(unexpected.body().starts_with("<html>"));
    assert_eq!(unexpected.errors(), None);
}

#[tokio::test]
async fn an_empty_200() {
    let error = get(respond_raw(head("200 OK", "application/json", 0)).await).await;
    let Error::Decode(decode) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(decode.status(), 200);
    assert_eq!(decode.message(), "expected a `PhoneNumber` object, found null");
    assert_eq!(decode.pointer(), "");
}

#[tokio::test]
async fn a_200_that_is_plain_text() {
    let error = get(respond_raw(with_body("200 OK", "text/plain", b"OK")).await).await;
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
}

#[tokio::test]
async fn a_10_mb_error_body_is_read_whole_and_the_error_keeps_64_kib() {
    let huge = format!("{{\"errors\": [], \"padding\": \"{}\"}}", "x".repeat(10 * 1024 * 1024));
    let address = respond_raw(with_body(
        "500 Internal Server Error",
        "application/json",
        huge.as_bytes(),
    ))
    .await;
    // The SDK reads the whole body into memory; a debug build on a loaded machine needs time
    // for 10 MB, so this call gets a generous timeout.
    let error = get_within(address, Duration::from_secs(30)).await;
    let Error::UnexpectedStatus(unexpected) = &error else {
        panic!("{error:?}")
    };
    assert!(unexpected.body_truncated());
    assert_eq!(unexpected.body().len(), clerk_sdk::error::MAX_KEPT_BODY_BYTES);
    assert!(error.to_string().len() < 400, "the message stays short");
}

#[tokio::test]
async fn invalid_utf8() {
    let error = get(respond_raw(with_body("200 OK", "application/json", b"{\"id\": \"\xff\xfe\"}")).await).await;
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
    let error = get(respond_raw(with_body("503 Service Unavailable", "text/plain", b"busy \xff")).await).await;
    let Error::UnexpectedStatus(unexpected) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(unexpected.body(), "busy \u{FFFD}");
}

#[tokio::test]
async fn a_json_nesting_bomb() {
    let depth = 100_000;
    let bomb = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let error = get(respond_raw(with_body("200 OK", "application/json", bomb.as_bytes())).await).await;
    let Error::Decode(decode) = &error else {
        panic!("{error:?}")
    };
    assert!(decode.body().len() <= clerk_sdk::error::MAX_KEPT_BODY_BYTES);
    // The same bomb as an error body, and inside a union the SDK buffers.
    let error = get(respond_raw(with_body("404 Not Found", "application/json", bomb.as_bytes())).await).await;
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
    let object_bomb = format!(
        "{{\"object\": \"phone_number\", \"verification\": {}{}}}",
        "{\"a\":".repeat(depth),
        "}".repeat(depth)
    );
    let error = get(respond_raw(with_body("200 OK", "application/json", object_bomb.as_bytes())).await).await;
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
}

/// A client with a response body limit of `limit` bytes.
fn limited(address: SocketAddr, limit: usize) -> Clerk {
    common::builder_at(address)
        .retries(RetryConfig::none())
        .max_response_body(limit)
        .build()
        .expect("builds")
}

/// A call bounded in time, so a client that kept reading would fail the test instead of hanging.
async fn bounded_get(clerk: &Clerk) -> Error {
    let call = clerk.phone_numbers().get("phone_1");
    let outcome = tokio::time::timeout(Duration::from_secs(10), std::future::IntoFuture::into_future(call)).await;
    outcome.expect("the call must not hang").expect_err("over the limit")
}

#[tokio::test]
async fn a_body_one_byte_over_the_limit_is_refused_and_one_at_it_is_read() {
    const LIMIT: usize = 4096;
    for announced in [true, false] {
        let body = vec![b' '; LIMIT + 1];
        let response = if announced {
            with_body("200 OK", "application/json", &body)
        } else {
            // No Content-Length: the limit is found while reading.
            let mut response =
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n".to_vec();
            response.extend_from_slice(&body);
            response
        };
        let error = bounded_get(&limited(respond_raw(response).await, LIMIT)).await;
        assert!(
            matches!(error, Error::ResponseTooLarge { limit: LIMIT, .. }),
            "{error:?}"
        );
        assert_eq!(error.status().map(|status| status.as_u16()), Some(200));
        assert_eq!(
            error.to_string(),
            "GetPhoneNumber: the 200 OK response's body is over the 4096-byte limit"
        );
    }
    // At the limit exactly, the body is read (and fails to decode as the blank it is).
    let at_limit = with_body("200 OK", "application/json", &vec![b' '; LIMIT]);
    let error = bounded_get(&limited(respond_raw(at_limit).await, LIMIT)).await;
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
}

#[tokio::test]
async fn an_endless_chunked_body_stops_at_the_limit() {
    const LIMIT: usize = 64 * 1024;
    let written = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = written.clone();
    let address = serve_once(move |mut stream| async move {
        let head = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
        if stream.write_all(head).await.is_err() {
            return;
        }
        let chunk = format!("{:x}\r\n{}\r\n", 1024, " ".repeat(1024));
        // Endless, but bounded for the test's sake: 64 MiB, far past the limit.
        for _ in 0..64 * 1024 {
            if stream.write_all(chunk.as_bytes()).await.is_err() {
                return;
            }
            counter.fetch_add(1024, std::sync::atomic::Ordering::SeqCst);
        }
    })
    .await;
    let error = bounded_get(&limited(address, LIMIT)).await;
    assert!(
        matches!(error, Error::ResponseTooLarge { limit: LIMIT, .. }),
        "{error:?}"
    );
    // The client stopped reading: the server could write only what the socket buffers hold
    // past the limit, nowhere near its 64 MiB.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let sent = written.load(std::sync::atomic::Ordering::SeqCst);
    assert!(sent < 16 * 1024 * 1024, "the server wrote {sent} bytes");
}
