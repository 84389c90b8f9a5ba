//! Clerk's webhooks, verified (the `webhooks` feature).
//!
//! Clerk signs each webhook with Svix: the headers `svix-id`, `svix-timestamp` and
//! `svix-signature` (or the Standard Webhooks names `webhook-id`, `webhook-timestamp` and
//! `webhook-signature`) carry a message id, the time it was sent and one or more HMAC-SHA256
//! signatures over `"{id}.{timestamp}.{body}"`, keyed with the endpoint's signing secret
//! (`whsec_...` in Clerk's dashboard). [`Webhook::verify`] checks them on the body's raw
//! bytes, then decodes the event:
//!
//! ```
//! # fn handle(headers: &clerk_sdk::reqwest::header::HeaderMap, body: &[u8]) -> Result<(), clerk_sdk::webhooks::WebhookError> {
//! use clerk_sdk::webhooks::Webhook;
//!
//! let webhook = Webhook::new("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD")?;
//! let verified = webhook.verify::<serde_json::Value>(headers, body)?;
//! println!("{} ({})", verified.event()["type"], verified.id());
//! # Ok(()) }
//! ```
//!
//! - **Raw bytes.** Verify the body exactly as it arrived: a body parsed and written again is
//!   not the body that was signed.
//! - **Rotation.** [`Webhook::with_secrets`] takes the old and the new secret while an endpoint's
//!   secret rotates; a signature by either verifies.
//! - **Replays.** A timestamp more than [`DEFAULT_TOLERANCE`] (5 minutes) away from now, either
//!   way, is refused; [`Webhook::tolerance`] changes it and [`Webhook::at`] fixes the clock, for
//!   tests. [`Verified::id`] is the message id: Svix sends it again with each redelivery, so
//!   an application can tell a repeat.
//! - **Errors** say which check failed ([`WebhookError`]) and never echo the secret, a
//!   signature or the body.

mod events;
mod signature;

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::HeaderMap;

pub use events::Event;
#[doc(hidden)]
pub use events::{event_fixture, event_type};
use signature::Key;

use crate::drift::Deviation;

/// How far a message's timestamp may be from now, either way: 5 minutes, as Svix's libraries
/// allow.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// The header names of each scheme: Svix's, then Standard Webhooks'.
const HEADERS: [[&str; 3]; 2] = [
    ["svix-id", "svix-timestamp", "svix-signature"],
    ["webhook-id", "webhook-timestamp", "webhook-signature"],
];

/// Why a webhook was refused. None of the variants holds the secret, a signature or the body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// A signing secret is not `whsec_` followed by base64.
    #[error("the webhook signing secret is not `whsec_` followed by base64")]
    InvalidSecret,
    /// A header the signature needs is missing (or not text).
    #[error("the webhook has no `{0}` header")]
    MissingHeader(&'static str),
    /// A value given to [`signed_headers`] (the message id) cannot be sent as a header.
    #[error("the `{0}` value cannot be sent as a header")]
    InvalidHeader(&'static str),
    /// The timestamp header is not a number of seconds.
    #[error("the webhook's timestamp is not a number of seconds")]
    InvalidTimestamp,
    /// The timestamp is further in the past than the tolerance allows: a replay, or a delivery
    /// held up for too long.
    #[error("the webhook's timestamp is {seconds} s old, over the {tolerance} s allowed")]
    TooOld {
        /// How old it is.
        seconds: u64,
        /// The tolerance.
        tolerance: u64,
    },
    /// The timestamp is further in the future than the tolerance allows.
    #[error("the webhook's timestamp is {seconds} s ahead, over the {tolerance} s allowed")]
    TooNew {
        /// How far ahead it is.
        seconds: u64,
        /// The tolerance.
        tolerance: u64,
    },
    /// No signature in the header is the secret's for this message.
    #[error("no signature of the webhook matches its signing secret")]
    NoMatchingSignature,
    /// The verified body is not the JSON event expected.
    #[error("the verified webhook is not a JSON event: {0}")]
    NotJson(String),
}

/// Verifies webhooks with one or more signing secrets.
#[derive(Clone)]
pub struct Webhook {
    keys: Vec<Key>,
    tolerance: Duration,
    /// The time to check timestamps against; `None` is the system clock.
    now: Option<SystemTime>,
}

impl fmt::Debug for Webhook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Webhook")
            .field("secrets", &self.keys.len())
            .field("tolerance", &self.tolerance)
            .field("now", &self.now)
            .finish()
    }
}

/// A verified webhook: its message id and timestamp, and the event.
#[derive(Debug, Clone, PartialEq)]
pub struct Verified<E> {
    id: String,
    timestamp: i64,
    event: E,
    deviations: Vec<Deviation>,
}

impl<E> Verified<E> {
    /// The message id (`svix-id`): the same for every redelivery of one message, so an
    /// application can skip one it already handled.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// When the message was sent, in seconds since the Unix epoch.
    pub fn timestamp(&self) -> i64 {
        self.timestamp
    }

    /// The event.
    pub fn event(&self) -> &E {
        &self.event
    }

    /// Takes the event.
    pub fn into_event(self) -> E {
        self.event
    }

    /// Where the payload deviated from the spec (see [`crate::drift`]); the event holds what
    /// could be read.
    pub fn deviations(&self) -> &[Deviation] {
        &self.deviations
    }
}

impl Webhook {
    /// A verifier for one signing secret, `whsec_` followed by base64 as Clerk's dashboard
    /// shows it.
    ///
    /// # Errors
    ///
    /// [`WebhookError::InvalidSecret`] if it is not one.
    pub fn new(secret: &str) -> Result<Webhook, WebhookError> {
        Webhook::with_secrets([secret])
    }

    /// A verifier for several secrets, such as the old and the new one while an endpoint's
    /// secret rotates: a signature by any of them verifies.
    ///
    /// # Errors
    ///
    /// [`WebhookError::InvalidSecret`] if one is not a secret, or there is none.
    pub fn with_secrets<S: AsRef<str>>(secrets: impl IntoIterator<Item = S>) -> Result<Webhook, WebhookError> {
        let keys = secrets
            .into_iter()
            .map(|secret| Key::parse(secret.as_ref()))
            .collect::<Result<Vec<Key>, WebhookError>>()?;
        if keys.is_empty() {
            return Err(WebhookError::InvalidSecret);
        }
        Ok(Webhook {
            keys,
            tolerance: DEFAULT_TOLERANCE,
            now: None,
        })
    }

    /// How far a timestamp may be from now, either way ([`DEFAULT_TOLERANCE`] unless set).
    #[must_use]
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Checks timestamps against `now` instead of the system clock, for tests.
    #[must_use]
    pub fn at(mut self, now: SystemTime) -> Self {
        self.now = Some(now);
        self
    }

    /// Verifies a webhook from its headers (`svix-*` or `webhook-*`) and raw body, then
    /// decodes the body as `E`: the generated `WebhookEvent` (leniently, with its deviations
    /// from the spec), or `serde_json::Value`.
    ///
    /// # Errors
    ///
    /// A [`WebhookError`] saying which check failed, the first in this order: the headers, the
    /// timestamp, the signatures, then the JSON.
    pub fn verify<E: Event>(&self, headers: &HeaderMap, body: &[u8]) -> Result<Verified<E>, WebhookError> {
        let [id, timestamp, signatures] = signature_headers(headers)?;
        self.verify_parts(id, timestamp, signatures, body)
    }

    /// [`verify`](Self::verify), from the three header values as text, for a framework whose
    /// headers are not `http` types.
    ///
    /// # Errors
    ///
    /// As [`verify`](Self::verify).
    pub fn verify_parts<E: Event>(
        &self,
        id: &str,
        timestamp: &str,
        signatures: &str,
        body: &[u8],
    ) -> Result<Verified<E>, WebhookError> {
        let seconds = self.check_timestamp(timestamp)?;
        if !self
            .keys
            .iter()
            .any(|key| key.verifies(id, timestamp, body, signatures))
        {
            return Err(WebhookError::NoMatchingSignature);
        }
        let (event, deviations) = E::decode(body).map_err(WebhookError::NotJson)?;
        if !deviations.is_empty() {
            // As a response's are: logged where deviations are, beside `Verified::deviations`.
            let pointers: Vec<String> = deviations.iter().take(5).map(|d| d.pointer().to_string()).collect();
            tracing::warn!(
                target: "clerk_sdk::drift",
                webhook = id,
                count = deviations.len(),
                pointers = %pointers.join(", "),
                "the webhook payload deviates from the spec"
            );
        }
        Ok(Verified {
            id: id.to_owned(),
            timestamp: seconds,
            event,
            deviations,
        })
    }

    /// The timestamp as seconds, if it is within the tolerance of now.
    fn check_timestamp(&self, timestamp: &str) -> Result<i64, WebhookError> {
        let seconds: i64 = timestamp.trim().parse().map_err(|_| WebhookError::InvalidTimestamp)?;
        let now = self.now.unwrap_or_else(SystemTime::now);
        let now = match now.duration_since(UNIX_EPOCH) {
            Ok(since) => i128::from(since.as_secs()),
            Err(before) => -i128::from(before.duration().as_secs()),
        };
        let tolerance = self.tolerance.as_secs();
        let age = now - i128::from(seconds);
        let beyond = |by: i128| u64::try_from(by.unsigned_abs()).unwrap_or(u64::MAX);
        if age > i128::from(tolerance) {
            return Err(WebhookError::TooOld {
                seconds: beyond(age),
                tolerance,
            });
        }
        if -age > i128::from(tolerance) {
            return Err(WebhookError::TooNew {
                seconds: beyond(age),
                tolerance,
            });
        }
        Ok(seconds)
    }
}

/// The id, timestamp and signature headers, of whichever scheme the webhook was sent with.
fn signature_headers(headers: &HeaderMap) -> Result<[&str; 3], WebhookError> {
    let scheme = HEADERS
        .iter()
        .find(|names| headers.contains_key(names[0]))
        .unwrap_or(&HEADERS[0]);
    let mut values = [""; 3];
    for (value, name) in values.iter_mut().zip(scheme) {
        *value = headers
            .get(*name)
            .and_then(|value| value.to_str().ok())
            .ok_or(WebhookError::MissingHeader(name))?;
    }
    Ok(values)
}

/// The headers Clerk would send `body` with, as message id `id` at `timestamp` (seconds since
/// the epoch): `svix-id`, `svix-timestamp` and `svix-signature`. For tests of an application's
/// webhook handler that need a given id or time; [`sign_event`] signs an event as it would be
/// delivered now.
///
/// # Errors
///
/// [`WebhookError::InvalidSecret`] if `secret` is not one, [`WebhookError::InvalidHeader`] if
/// `id` cannot be sent as a header.
pub fn signed_headers(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> Result<HeaderMap, WebhookError> {
    let key = Key::parse(secret)?;
    let timestamp = timestamp.to_string();
    let signature = key.sign(id, &timestamp, body);
    let mut headers = HeaderMap::new();
    for (name, value) in HEADERS[0].iter().zip([id, timestamp.as_str(), signature.as_str()]) {
        let value = reqwest::header::HeaderValue::from_str(value).map_err(|_| WebhookError::InvalidHeader(name))?;
        headers.insert(*name, value);
    }
    Ok(headers)
}

/// A webhook signed as Clerk would deliver it: the headers and the body.
#[derive(Debug, Clone)]
pub struct Signed {
    /// `svix-id`, `svix-timestamp` and `svix-signature`.
    pub headers: HeaderMap,
    /// The event as JSON.
    pub body: Vec<u8>,
}

/// Signs `event` (a generated `WebhookEvent`, one of `events::fixtures`, or any JSON) as Clerk
/// would deliver it now, with a fresh message id: to test an application's webhook handler end
/// to end, without Svix.
///
/// ```
/// use clerk_sdk::webhooks::{Webhook, sign_event};
///
/// let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
/// let event = serde_json::json!({"type": "user.deleted", "object": "event", "data": {"id": "user_1"}});
/// let delivery = sign_event(secret, &event).unwrap();
/// let verified = Webhook::new(secret).unwrap().verify::<serde_json::Value>(&delivery.headers, &delivery.body).unwrap();
/// assert_eq!(verified.event()["data"]["id"], "user_1");
/// ```
///
/// # Errors
///
/// [`WebhookError::InvalidSecret`] if `secret` is not one, [`WebhookError::NotJson`] if the
/// event does not serialize.
pub fn sign_event<E: serde::Serialize + ?Sized>(secret: &str, event: &E) -> Result<Signed, WebhookError> {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    let body = serde_json::to_vec(event).map_err(|error| WebhookError::NotJson(error.to_string()))?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    let timestamp = i64::try_from(now).unwrap_or(i64::MAX);
    let id = format!(
        "msg_test_{now}_{}",
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let headers = signed_headers(secret, &id, timestamp, &body)?;
    Ok(Signed { headers, body })
}

#[cfg(test)]
mod tests;
