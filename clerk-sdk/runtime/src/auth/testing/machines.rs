//! Machine tokens for tests: M2M and OAuth JWTs signed with the test key, and opaque tokens a
//! test declares valid, revoked or expired, which a generated kit's
//! `MockClerk::serves_machine_tokens` answers for at the API's verify operations.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value, json};

use super::{TEST_ISSUER, TEST_KEY_ID, encoding_key};
use crate::auth::TokenKind;
use crate::auth::machine::jwt::M2M_CATEGORY;

/// Seconds since the Unix epoch, now.
fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}

/// The claims of an M2M token of machine `machine_id` (`mch_…`), valid now and for a minute
/// more, reaching the machines `scopes` (`mch_…` each), as Clerk issues them in JWT form.
pub fn m2m_claims(machine_id: &str, scopes: &[&str]) -> Value {
    let now = now_secs();
    json!({
        "sub": machine_id,
        "jti": format!("mt_{:032x}", fingerprint(machine_id)),
        "iss": TEST_ISSUER,
        "iat": now,
        "nbf": now,
        "exp": now + 60,
        "scopes": scopes.join(" "),
    })
}

/// The claims of an OAuth access token that OAuth application `client_id` holds for `user_id`,
/// valid now and for a minute more, with `scopes`. Add `aud` where the authenticator checks
/// the audience.
pub fn oauth_claims(user_id: &str, client_id: &str, scopes: &[&str]) -> Value {
    let now = now_secs();
    json!({
        "sub": user_id,
        "client_id": client_id,
        "jti": format!("oat_{:032x}", fingerprint(user_id)),
        "iss": TEST_ISSUER,
        "iat": now,
        "nbf": now,
        "exp": now + 60,
        "scope": scopes.join(" "),
    })
}

/// Signs `claims` as Clerk signs an M2M token in JWT form (RS256, the M2M `cat` header), with
/// the test key.
pub fn sign_m2m_token(claims: &Value) -> String {
    sign_with_header(json!({"typ": "JWT", "cat": M2M_CATEGORY}), claims)
}

/// Signs `claims` as an OAuth access token in JWT form (RS256, `typ: at+jwt`), with the test
/// key.
pub fn sign_oauth_token(claims: &Value) -> String {
    sign_with_header(json!({"typ": "at+jwt"}), claims)
}

/// Signs `claims` with the test key under `header`, to which `alg: RS256` and the test key's
/// `kid` are added: for tokens with headers of any kind.
pub fn sign_with_header(header: Value, claims: &Value) -> String {
    let mut header = match header {
        Value::Object(header) => header,
        _ => Map::new(),
    };
    header.insert("alg".to_owned(), json!("RS256"));
    header.insert("kid".to_owned(), json!(TEST_KEY_ID));
    let part = |value: &Value| URL_SAFE_NO_PAD.encode(value.to_string());
    let message = format!("{}.{}", part(&Value::Object(header)), part(claims));
    // The key is a constant that signs with RS256.
    let signature = jsonwebtoken::crypto::sign(message.as_bytes(), &encoding_key(), jsonwebtoken::Algorithm::RS256)
        .expect("the test key signs");
    format!("{message}.{signature}")
}

/// What a declared opaque token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenState {
    /// Valid: the verify operation answers its record.
    Valid,
    /// Revoked: the record says `revoked: true`.
    Revoked,
    /// Expired: the record says `expired: true`, with an expiration a minute ago.
    Expired,
}

/// An opaque machine token a test declares, with the record the mock answers for it.
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct TestMachineToken {
    subject: String,
    state: TokenState,
    scopes: Vec<String>,
    claims: Option<Value>,
    name: String,
    client_id: String,
}

impl TestMachineToken {
    fn new(subject: &str, state: TokenState) -> Self {
        TestMachineToken {
            subject: subject.to_owned(),
            state,
            scopes: Vec::new(),
            claims: None,
            name: "TEST_KEY".to_owned(),
            client_id: "client_test".to_owned(),
        }
    }

    /// A valid token acting for `subject` (`user_…`, `org_…`, `mch_…`).
    pub fn valid(subject: &str) -> Self {
        TestMachineToken::new(subject, TokenState::Valid)
    }

    /// A revoked token acting for `subject`.
    pub fn revoked(subject: &str) -> Self {
        TestMachineToken::new(subject, TokenState::Revoked)
    }

    /// An expired token acting for `subject`.
    pub fn expired(subject: &str) -> Self {
        TestMachineToken::new(subject, TokenState::Expired)
    }

    /// The scopes it grants.
    pub fn scopes<I: IntoIterator<Item = S>, S: Into<String>>(mut self, scopes: I) -> Self {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// Its custom claims.
    pub fn claims(mut self, claims: Value) -> Self {
        self.claims = Some(claims);
        self
    }

    /// An API key's name (`TEST_KEY` by default).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// An OAuth token's client id (`client_test` by default).
    pub fn client_id(mut self, client_id: impl Into<String>) -> Self {
        self.client_id = client_id.into();
        self
    }

    /// The record the Backend API's verify operation answers for `token` of `kind`, as the
    /// spec writes it.
    pub fn record(&self, kind: TokenKind, token: &str) -> Value {
        let now_ms = now_secs() * 1_000;
        let hour = Duration::from_secs(3_600).as_millis() as u64;
        let (revoked, expired, expiration) = match self.state {
            TokenState::Valid => (false, false, now_ms + hour),
            TokenState::Revoked => (true, false, now_ms + hour),
            TokenState::Expired => (false, true, now_ms - 60_000),
        };
        let id = fingerprint(token);
        let mut record = json!({
            "subject": self.subject,
            "scopes": self.scopes,
            "revoked": revoked,
            "revocation_reason": revoked.then_some("Revoked in a test"),
            "expired": expired,
            "expiration": expiration,
            "created_at": now_ms - hour,
            "updated_at": now_ms - hour,
        });
        let extra = match kind {
            TokenKind::ApiKey => json!({
                "object": "api_key", "id": format!("ak_{id:032x}"), "type": "api_key", "name": self.name,
                "description": null, "claims": self.claims, "created_by": null, "last_used_at": null,
            }),
            TokenKind::M2mToken => json!({
                "object": "machine_to_machine_token", "id": format!("mt_{id:032x}"), "claims": self.claims,
                "last_used_at": null,
            }),
            _ => json!({
                "object": "clerk_idp_oauth_access_token", "id": format!("oat_{id:032x}"), "client_id": self.client_id,
            }),
        };
        if let (Some(record), Value::Object(extra)) = (record.as_object_mut(), extra) {
            record.extend(extra);
        }
        record
    }
}

/// The opaque machine tokens a test declares, by kind: a generated kit's
/// `MockClerk::serves_machine_tokens` answers each with its record, and any other token with
/// Clerk's `404`.
#[derive(Debug, Clone, Default, PartialEq)]
#[must_use]
pub struct MachineTokens {
    tokens: Vec<(TokenKind, String, TestMachineToken)>,
}

impl MachineTokens {
    /// No token yet.
    pub fn new() -> Self {
        MachineTokens::default()
    }

    /// Declares the API key `token` (`ak_…`).
    pub fn api_key(self, token: impl Into<String>, declared: TestMachineToken) -> Self {
        self.token(TokenKind::ApiKey, token, declared)
    }

    /// Declares the opaque M2M token `token` (`mt_…`).
    pub fn m2m_token(self, token: impl Into<String>, declared: TestMachineToken) -> Self {
        self.token(TokenKind::M2mToken, token, declared)
    }

    /// Declares the opaque OAuth access token `token` (`oat_…`).
    pub fn oauth_token(self, token: impl Into<String>, declared: TestMachineToken) -> Self {
        self.token(TokenKind::OAuthToken, token, declared)
    }

    fn token(mut self, kind: TokenKind, token: impl Into<String>, declared: TestMachineToken) -> Self {
        self.tokens.push((kind, token.into(), declared));
        self
    }

    /// The tokens declared of `kind`, with their records.
    pub fn of_kind(&self, kind: TokenKind) -> impl Iterator<Item = (&str, Value)> {
        (self.tokens.iter())
            .filter(move |(of, _, _)| *of == kind)
            .map(move |(_, token, declared)| (token.as_str(), declared.record(kind, token)))
    }
}

/// Clerk's answer to a verify request for a token it does not know: `404` with its error body.
pub fn not_found_json() -> Value {
    json!({"errors": [{"message": "not found", "long_message": "The token was not found", "code": "resource_not_found"}]})
}

/// Whether the JSON `body` a verify request sent holds `token` in `field`.
#[doc(hidden)]
pub fn body_holds(body: &impl serde::Serialize, field: &str, token: &str) -> bool {
    serde_json::to_value(body).is_ok_and(|body| body.get(field).and_then(Value::as_str) == Some(token))
}

/// A stable 128-bit fingerprint of `text` for made-up ids (FNV-1a; not a hash to trust).
fn fingerprint(text: &str) -> u128 {
    text.bytes()
        .fold(0x6c62_272e_07bb_0142_62b8_2175_6295_c58d, |hash, byte| {
            (hash ^ u128::from(byte)).wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013b)
        })
}
