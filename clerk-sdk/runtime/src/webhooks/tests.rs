use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, HeaderValue};

use super::*;

const SECRET: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
const ID: &str = "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk";
const TIMESTAMP: i64 = 1_649_367_553;
const BODY: &str = r#"{"email":"test@example.com","username":"test_user"}"#;
const SIGNATURE: &str = "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=";

fn at(seconds: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(u64::try_from(seconds).expect("after the epoch"))
}

fn headers(prefix: &str, signature: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for (name, value) in [
        ("id", ID.to_owned()),
        ("timestamp", TIMESTAMP.to_string()),
        ("signature", signature.to_owned()),
    ] {
        let name: reqwest::header::HeaderName = format!("{prefix}-{name}").parse().expect("a name");
        headers.insert(name, HeaderValue::from_str(&value).expect("a value"));
    }
    headers
}

fn webhook() -> Webhook {
    Webhook::new(SECRET).expect("a secret").at(at(TIMESTAMP))
}

#[test]
fn the_published_vector_verifies_with_either_header_scheme() {
    for prefix in ["svix", "webhook"] {
        let verified = webhook()
            .verify::<serde_json::Value>(&headers(prefix, SIGNATURE), BODY.as_bytes())
            .expect("verifies");
        assert_eq!(verified.id(), ID);
        assert_eq!(verified.timestamp(), TIMESTAMP);
        assert_eq!(verified.event()["username"], "test_user");
    }
}

#[test]
fn timestamps_within_five_minutes_either_way_are_accepted_and_beyond_refused() {
    let headers = headers("svix", SIGNATURE);
    let verify = |now: i64| {
        webhook()
            .at(at(now))
            .verify::<serde_json::Value>(&headers, BODY.as_bytes())
    };
    assert!(verify(TIMESTAMP + 299).is_ok(), "299 s old");
    assert!(verify(TIMESTAMP - 299).is_ok(), "299 s ahead");
    assert_eq!(
        verify(TIMESTAMP + 301).err(),
        Some(WebhookError::TooOld {
            seconds: 301,
            tolerance: 300
        })
    );
    assert_eq!(
        verify(TIMESTAMP - 301).err(),
        Some(WebhookError::TooNew {
            seconds: 301,
            tolerance: 300
        })
    );
    let lenient = webhook().tolerance(Duration::from_secs(600)).at(at(TIMESTAMP + 301));
    assert!(lenient.verify::<serde_json::Value>(&headers, BODY.as_bytes()).is_ok());
}

#[test]
fn each_failure_says_which_check_failed_and_echoes_nothing_secret() {
    let webhook = webhook();
    let mut missing = headers("svix", SIGNATURE);
    missing.remove("svix-signature");
    let mut bad_time = headers("svix", SIGNATURE);
    bad_time.insert("svix-timestamp", HeaderValue::from_static("yesterday"));
    let mut changed = BODY.as_bytes().to_vec();
    changed[2] = b'E';
    let cases: [(HeaderMap, &[u8], WebhookError); 5] = [
        (missing, BODY.as_bytes(), WebhookError::MissingHeader("svix-signature")),
        (bad_time, BODY.as_bytes(), WebhookError::InvalidTimestamp),
        (
            headers("svix", &SIGNATURE[..20]),
            BODY.as_bytes(),
            WebhookError::NoMatchingSignature,
        ),
        (headers("svix", SIGNATURE), &changed, WebhookError::NoMatchingSignature),
        (
            headers("svix", "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc="),
            BODY.as_bytes(),
            WebhookError::NoMatchingSignature,
        ),
    ];
    for (headers, body, expected) in cases {
        let error = webhook
            .verify::<serde_json::Value>(&headers, body)
            .expect_err("refused");
        assert_eq!(error, expected);
        let text = format!("{error} {error:?} {webhook:?}");
        for secret in [SECRET, &SECRET[6..], &SIGNATURE[3..], "test_user"] {
            assert!(!text.contains(secret), "{text}");
        }
    }
}

#[test]
fn rotation_accepts_either_secret_and_a_signed_body_must_be_json() {
    let rotating = Webhook::with_secrets(["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", SECRET])
        .expect("secrets")
        .at(at(TIMESTAMP));
    let several = format!("v1,bm90IGl0 {SIGNATURE}");
    assert!(
        rotating
            .verify::<serde_json::Value>(&headers("svix", &several), BODY.as_bytes())
            .is_ok()
    );
    assert_eq!(
        Webhook::with_secrets(Vec::<&str>::new()).err(),
        Some(WebhookError::InvalidSecret)
    );

    let signed = signed_headers(SECRET, ID, TIMESTAMP, b"not json").expect("signs");
    let error = webhook()
        .verify::<serde_json::Value>(&signed, b"not json")
        .expect_err("not JSON");
    assert!(matches!(error, WebhookError::NotJson(_)), "{error:?}");
}

#[test]
fn sign_gives_the_headers_clerk_sends() {
    let headers = signed_headers(SECRET, ID, TIMESTAMP, BODY.as_bytes()).expect("signs");
    assert_eq!(headers["svix-id"], ID);
    assert_eq!(headers["svix-timestamp"], TIMESTAMP.to_string().as_str());
    assert_eq!(headers["svix-signature"], SIGNATURE);
    assert_eq!(
        signed_headers(SECRET, "msg\n1", TIMESTAMP, b"{}").err(),
        Some(WebhookError::InvalidHeader("svix-id"))
    );
}

mod events {
    crate::__webhook_events! {
        /// Two events, for the tests.
        TestEvent {
            /// `user.created`
            "user.created" => UserCreated(serde_json::Value),
            /// `session.ended`
            "session.ended" => SessionEnded(serde_json::Value),
        }
    }
}

#[test]
fn the_events_macro_dispatches_on_type_and_keeps_unknown_events_whole() {
    use events::TestEvent;
    let known = TestEvent::from_json(br#"{"type": "session.ended", "data": {"id": "sess_1"}}"#).expect("an event");
    assert!(matches!(&known, TestEvent::SessionEnded(payload) if payload["data"]["id"] == "sess_1"));
    assert_eq!(known.event_type(), "session.ended");
    let unknown = TestEvent::from_json(br#"{"type": "user.teleported", "data": {}}"#).expect("an event");
    assert_eq!(unknown.event_type(), "user.teleported");
    assert!(matches!(&unknown, TestEvent::Unknown { raw, .. } if raw["data"] == serde_json::json!({})));
    assert_eq!(
        serde_json::to_value(&unknown).expect("serializes")["type"],
        "user.teleported"
    );
    assert_eq!(TestEvent::EVENT_TYPES, ["user.created", "session.ended"]);
    let error = TestEvent::from_json(br#"{"data": {}}"#).expect_err("no type");
    assert!(error.contains("not an event with a `type`"), "{error}");

    let body = br#"{"type": "user.created", "data": {"id": "user_1"}}"#;
    let headers = signed_headers(SECRET, ID, TIMESTAMP, body).expect("signs");
    let verified = webhook().verify::<TestEvent>(&headers, body).expect("verifies");
    assert!(matches!(verified.event(), TestEvent::UserCreated(_)));
    assert!(verified.deviations().is_empty());
}
