//! Machine credentials: API keys, M2M tokens and OAuth access tokens.
//!
//! - **Opaque** tokens (`ak_…`, `mt_…`, `oat_…`) are verified by the Backend API, through the
//!   client the authenticator was made from ([`VerifyMachineToken`], which a generated crate's
//!   `Clerk` implements with the API's verify operations), and remembered
//!   ([`cache`], bounded, keyed by a keyed hash).
//! - **JWTs** (an M2M token whose `sub` is a machine, an OAuth access token of type `at+jwt`)
//!   are verified locally, with the keys that verify session tokens ([`jwt`]).

pub(crate) mod cache;
mod call;
pub(crate) mod jwt;

use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};

pub use call::{unsupported_machine_token, verify_machine};

use super::error::AuthError;
use super::kind::{MACHINE_SUBJECT_PREFIX, TokenFormat, TokenKind};

/// What the Backend API answered about an opaque machine token.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum MachineAnswer {
    /// The verify operation's body (`200 OK`): the token's record, as JSON.
    Verified(Value),
    /// The API refused the token itself (`400`, `404` or `422`): no such token.
    Invalid {
        /// The status it answered.
        status: u16,
    },
    /// No answer about the token: the API could not be reached, answered another status
    /// (a `401` for a wrong secret key, a `5xx`), or answered a body that deviated where it
    /// matters. Never remembered.
    Unavailable {
        /// What failed, without the token or a credential.
        reason: String,
    },
}

/// The future [`VerifyMachineToken::verify_machine_token`] returns.
pub type MachineFuture<'a> = Pin<Box<dyn Future<Output = MachineAnswer> + Send + 'a>>;

/// Asks the Backend API about an opaque machine token. A generated crate's `Clerk` implements
/// it with the API's verify operations (`POST /api_keys/verify` with `{secret}`,
/// `POST /m2m_tokens/verify` with `{token}`, `POST /oauth_applications/access_tokens/verify`
/// with `{access_token}`, as `@clerk/backend` sends them), so the client's retries, timeouts,
/// TLS settings and hooks apply; implement it to verify elsewhere.
pub trait VerifyMachineToken: Send + Sync + 'static {
    /// Whether this verifier has an operation for tokens of `kind`.
    fn supports(&self, kind: TokenKind) -> bool;

    /// Asks about `token`, of `kind`. The answer's reason must not hold the token.
    fn verify_machine_token(&self, kind: TokenKind, token: String) -> MachineFuture<'_>;
}

/// The claims of a verified machine token: an API key, an M2M token or an OAuth access token.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct MachineClaims {
    /// Which kind of token it was.
    pub kind: TokenKind,
    /// Whether it was opaque (verified by the Backend API) or a JWT (verified locally).
    pub format: TokenFormat,
    /// The token's id (`ak_…`, `mt_…`, `oat_…`; a JWT's `jti`), if it has one.
    pub id: Option<String>,
    /// Who the token acts for: a user (`user_…`), an organization (`org_…`) or a machine
    /// (`mch_…`).
    pub subject: String,
    /// The OAuth application's client id, for an OAuth access token.
    pub client_id: Option<String>,
    /// The API key's name, for an API key.
    pub name: Option<String>,
    /// The scopes the token grants: an OAuth token's scopes, an API key's, or the machines an
    /// M2M token may reach.
    pub scopes: Vec<String>,
    /// The custom claims the token carries (an opaque token's `claims`; a JWT's claims that
    /// this type does not name).
    pub claims: Map<String, Value>,
    /// When the token expires, if it does.
    pub expires_at: Option<SystemTime>,
}

impl MachineClaims {
    /// The machine's id (`mch_…`) when the token acts for a machine, as an M2M token does.
    pub fn machine_id(&self) -> Option<&str> {
        self.subject
            .starts_with(MACHINE_SUBJECT_PREFIX)
            .then_some(self.subject.as_str())
    }

    /// Whether the token grants `scope`.
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|granted| granted == scope)
    }
}

/// The fields of a verify operation's body that this module reads: a deviation at any of them
/// makes the answer untrusted.
pub(crate) const READ_FIELDS: [&str; 10] = [
    "active",
    "id",
    "subject",
    "client_id",
    "name",
    "scopes",
    "claims",
    "revoked",
    "expired",
    "expiration",
];

/// The claims of the record the Backend API answered for a token of `kind`, checked: a record
/// marked revoked or expired, or past its `expiration`, is refused, as one without a subject.
pub(crate) fn from_record(
    kind: TokenKind,
    record: &Value,
    now: SystemTime,
    skew: Duration,
) -> Result<MachineClaims, AuthError> {
    let text = |name: &str| record.get(name).and_then(Value::as_str).map(str::to_owned);
    // An OAuth access token that is no longer active is answered `{"active": false}` alone.
    if record.get("active") == Some(&Value::Bool(false)) {
        return Err(AuthError::MachineTokenExpired { kind });
    }
    if record.get("revoked").and_then(Value::as_bool) != Some(false) {
        return Err(match record.get("revoked").and_then(Value::as_bool) {
            Some(true) => AuthError::MachineTokenRevoked {
                kind,
                reason: text("revocation_reason"),
            },
            _ => AuthError::MalformedAnswer { kind, field: "revoked" },
        });
    }
    if record.get("expired").and_then(Value::as_bool) == Some(true) {
        return Err(AuthError::MachineTokenExpired { kind });
    }
    let expires_at = match record.get("expiration") {
        None | Some(Value::Null) => None,
        Some(value) => Some(millis_to_time(value).ok_or(AuthError::MalformedAnswer {
            kind,
            field: "expiration",
        })?),
    };
    if expires_at.is_some_and(|at| at + skew <= now) {
        return Err(AuthError::MachineTokenExpired { kind });
    }
    let subject = text("subject")
        .filter(|subject| !subject.is_empty())
        .ok_or(AuthError::MalformedAnswer { kind, field: "subject" })?;
    let scopes = match record.get("scopes") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => strings(items).ok_or(AuthError::MalformedAnswer { kind, field: "scopes" })?,
        Some(_) => return Err(AuthError::MalformedAnswer { kind, field: "scopes" }),
    };
    let claims = match record.get("claims") {
        Some(Value::Object(claims)) => claims.clone(),
        _ => Map::new(),
    };
    Ok(MachineClaims {
        kind,
        format: TokenFormat::Opaque,
        id: text("id"),
        subject,
        client_id: text("client_id"),
        name: text("name"),
        scopes,
        claims,
        expires_at,
    })
}

/// Every item as text, or `None` if one is not.
fn strings(items: &[Value]) -> Option<Vec<String>> {
    items.iter().map(|item| item.as_str().map(str::to_owned)).collect()
}

/// A timestamp in milliseconds since the Unix epoch (a whole, non-negative number).
fn millis_to_time(value: &Value) -> Option<SystemTime> {
    let millis = value.as_u64().or_else(|| {
        let float = value.as_f64()?;
        // Whole, non-negative and below 2^53: the cast is exact.
        (float.fract() == 0.0 && (0.0..9.0e15).contains(&float)).then_some(float as u64)
    })?;
    UNIX_EPOCH.checked_add(Duration::from_millis(millis))
}

#[cfg(test)]
mod tests;
