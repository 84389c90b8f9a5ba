//! A webhook endpoint for Clerk: it verifies each delivery's signature and acts on its event.
//!
//! ```sh
//! CLERK_WEBHOOK_SECRET=whsec_... cargo run -p clerk-sdk --example webhook_handler --features webhooks,testing
//! ```
//!
//! It listens on `127.0.0.1:3000` (or `PORT`); point Clerk's dashboard (through a tunnel) at
//! `/webhooks/clerk`. `handle` is what a route of any framework would call, with the request's
//! headers and its raw body; `cargo test` runs the tests below, which sign the spec's own events
//! with the secret, as Clerk would, and send them through `handle`.

use std::convert::Infallible;

use bytes::Bytes;
use clerk_sdk::events::WebhookEvent;
use clerk_sdk::reqwest::header::HeaderMap;
use clerk_sdk::webhooks::Webhook;
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;

/// What the endpoint answers a delivery: the status and a short text. Anything but a 2xx makes
/// Clerk deliver it again later.
fn handle(webhook: &Webhook, headers: &HeaderMap, body: &[u8]) -> (u16, String) {
    let verified = match webhook.verify::<WebhookEvent>(headers, body) {
        Ok(verified) => verified,
        // Not from Clerk, or tampered with, or too old: refused, and not retried as is.
        Err(error) => return (400, format!("refused: {error}")),
    };
    // `verified.id()` is the same for every redelivery: store it to skip repeats.
    let done = match verified.event() {
        WebhookEvent::UserCreated(event) => format!("created user {}", event.data.id),
        WebhookEvent::UserDeleted(event) => format!("deleted user {}", event.data.id.as_deref().unwrap_or("?")),
        WebhookEvent::SessionEnded(event) => format!("ended session {}", event.data.id),
        // Every other event, and those Clerk adds after this version (`Unknown`).
        other => format!("ignored {}", other.event_type()),
    };
    (200, done)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let secret = std::env::var("CLERK_WEBHOOK_SECRET")
        .map_err(|_| "set CLERK_WEBHOOK_SECRET to the endpoint's signing secret")?;
    let webhook = Webhook::new(&secret)?;
    let port = std::env::var("PORT").unwrap_or_else(|_| "3000".to_owned());
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    println!("listening on http://{}/webhooks/clerk", listener.local_addr()?);
    loop {
        let (stream, _) = listener.accept().await?;
        let webhook = webhook.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                let webhook = webhook.clone();
                async move {
                    let (parts, body) = request.into_parts();
                    // The raw bytes, exactly as they arrived: that is what was signed.
                    let body = body.collect().await.map(|body| body.to_bytes()).unwrap_or_default();
                    let (status, text) = if parts.uri.path() == "/webhooks/clerk" {
                        handle(&webhook, &parts.headers, &body)
                    } else {
                        (404, "not found".to_owned())
                    };
                    println!("{status} {text}");
                    let response = hyper::Response::builder()
                        .status(status)
                        .body(Full::new(Bytes::from(text)))
                        .unwrap_or_default();
                    Ok::<_, Infallible>(response)
                }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

#[cfg(test)]
mod tests {
    use clerk_sdk::events::fixtures;
    use clerk_sdk::webhooks::sign_event;

    use super::*;

    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    fn webhook() -> Webhook {
        Webhook::new(SECRET).expect("a secret")
    }

    #[test]
    fn a_signed_user_created_is_handled() {
        let event = fixtures::user_created();
        let WebhookEvent::UserCreated(user) = &event else {
            panic!("the fixture is user.created");
        };
        let expected = format!("created user {}", user.data.id);
        let delivery = sign_event(SECRET, &event).expect("signs");
        assert_eq!(handle(&webhook(), &delivery.headers, &delivery.body), (200, expected));
    }

    #[test]
    fn a_delivery_changed_on_the_way_is_refused() {
        let mut delivery = sign_event(SECRET, &fixtures::session_ended()).expect("signs");
        let at = delivery.body.len() / 2;
        delivery.body[at] ^= 1;
        let (status, text) = handle(&webhook(), &delivery.headers, &delivery.body);
        assert_eq!(
            (status, text.as_str()),
            (400, "refused: no signature of the webhook matches its signing secret")
        );
    }

    #[test]
    fn other_events_and_new_ones_are_acknowledged() {
        let new = serde_json::json!({"object": "event", "type": "user.teleported", "timestamp": 1, "instance_id": "ins_1", "data": {}});
        for (event, expected) in [
            (
                serde_json::to_value(fixtures::role_created()).expect("JSON"),
                "ignored role.created",
            ),
            (new, "ignored user.teleported"),
        ] {
            let delivery = sign_event(SECRET, &event).expect("signs");
            assert_eq!(
                handle(&webhook(), &delivery.headers, &delivery.body),
                (200, expected.to_owned())
            );
        }
    }
}
