//! The signature scheme Clerk's webhooks are sent with (Svix's, also published as Standard
//! Webhooks): HMAC-SHA256, keyed with the secret's bytes, over `"{id}.{timestamp}.{body}"`,
//! sent base64-encoded as `v1,<signature>`, several separated by spaces.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::WebhookError;

/// The prefix of a Clerk (Svix) signing secret.
const SECRET_PREFIX: &str = "whsec_";
/// The version tag of an HMAC-SHA256 signature.
const VERSION: &str = "v1";

/// A signing secret, keyed into HMAC-SHA256 once. Never printed.
#[derive(Clone)]
pub(super) struct Key(Hmac<Sha256>);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(<redacted>)")
    }
}

impl Key {
    /// The key of a secret as the dashboard shows it: `whsec_` and base64. The prefix may be
    /// left out.
    pub(super) fn parse(secret: &str) -> Result<Key, WebhookError> {
        let encoded = secret.trim().strip_prefix(SECRET_PREFIX).unwrap_or(secret.trim());
        let bytes = STANDARD.decode(encoded).map_err(|_| WebhookError::InvalidSecret)?;
        if bytes.is_empty() {
            return Err(WebhookError::InvalidSecret);
        }
        Hmac::<Sha256>::new_from_slice(&bytes)
            .map(Key)
            .map_err(|_| WebhookError::InvalidSecret)
    }

    /// The MAC over a message's signed content, ready to finish or compare.
    fn mac(&self, id: &str, timestamp: &str, body: &[u8]) -> Hmac<Sha256> {
        let mut mac = self.0.clone();
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.as_bytes());
        mac.update(b".");
        mac.update(body);
        mac
    }

    /// The signature header's value for a message: `v1,<base64>`.
    pub(super) fn sign(&self, id: &str, timestamp: &str, body: &[u8]) -> String {
        let tag = self.mac(id, timestamp, body).finalize().into_bytes();
        format!("{VERSION},{}", STANDARD.encode(tag))
    }

    /// Whether one of the space-separated signatures in `header` is this key's for the
    /// message. Each comparison takes the same time whatever the bytes (`Mac::verify_slice`);
    /// signatures of other versions are skipped.
    pub(super) fn verifies(&self, id: &str, timestamp: &str, body: &[u8], header: &str) -> bool {
        let mac = self.mac(id, timestamp, body);
        header
            .split(' ')
            .filter_map(|signature| signature.split_once(','))
            .any(|(version, encoded)| {
                version == VERSION
                    && STANDARD
                        .decode(encoded)
                        .is_ok_and(|bytes| mac.clone().verify_slice(&bytes).is_ok())
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The vectors Svix publishes, computed and checked.
    const VECTORS: [(&str, &str, &str, &str, &str); 2] = [
        (
            "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
            "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk",
            "1649367553",
            r#"{"email":"test@example.com","username":"test_user"}"#,
            "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=",
        ),
        (
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            "1614265330",
            r#"{"test": 2432232314}"#,
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        ),
    ];

    #[test]
    fn the_published_vectors_are_computed_and_verified() {
        for (secret, id, timestamp, body, signature) in VECTORS {
            let key = Key::parse(secret).expect("a secret");
            assert_eq!(key.sign(id, timestamp, body.as_bytes()), signature);
            assert!(key.verifies(id, timestamp, body.as_bytes(), signature));
        }
    }

    #[test]
    fn one_matching_signature_among_several_is_enough_and_nothing_else_is() {
        let (secret, id, timestamp, body, signature) = VECTORS[0];
        let key = Key::parse(secret).expect("a secret");
        let body = body.as_bytes();
        let several = format!("v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,abc {signature}");
        assert!(key.verifies(id, timestamp, body, &several));
        let encoded = &signature[3..];
        for refused in [
            "",
            "v1,",
            &signature[..signature.len() - 4],
            &format!("v2,{encoded}"),
            encoded,
            "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
        ] {
            assert!(!key.verifies(id, timestamp, body, refused), "{refused:?}");
        }
        let mut changed = body.to_vec();
        changed[5] ^= 1;
        assert!(
            !key.verifies(id, timestamp, &changed, signature),
            "one byte of the body changed"
        );
        assert!(!key.verifies(id, "1649367554", body, signature), "another timestamp");
    }

    #[test]
    fn secrets_are_base64_with_or_without_their_prefix() {
        assert!(Key::parse("C2FVsBQIhrscChlQIMV+b5sSYspob7oD").is_ok());
        for bad in ["whsec_", "whsec_not base64!", ""] {
            assert!(matches!(Key::parse(bad), Err(WebhookError::InvalidSecret)), "{bad:?}");
        }
        let key = Key::parse(VECTORS[0].0).expect("a secret");
        assert_eq!(format!("{key:?}"), "Key(<redacted>)");
    }
}
