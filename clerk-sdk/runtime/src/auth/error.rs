//! Why a token was refused.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::kind::{Accepts, TokenKind};

/// Why a request or a token was not authenticated: one reason per check, in the
/// vocabulary of Clerk's JavaScript SDK (`@clerk/backend`).
///
/// No variant holds the token, a signature or a key: an error can be logged as it is. The
/// claims it names (`kid`, `alg`, `iss`, `azp`) and the timestamps are not secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// The request has neither an `Authorization: Bearer` header nor a `__session` cookie.
    #[error("the request has no token (no `Authorization: Bearer` header, no `__session` cookie)")]
    MissingToken,
    /// The token is of a kind the endpoint does not accept (`@clerk/backend`:
    /// `acceptsToken`), or a machine token came in the `__session` cookie, which carries
    /// session tokens only. Nothing verified it.
    #[error("a token of kind `{kind}` is not accepted here (accepted: {accepted})")]
    TokenKindNotAccepted {
        /// The kind the token is.
        kind: TokenKind,
        /// The kinds accepted.
        accepted: Accepts,
    },
    /// The JWT's `cat` header marks another class of token than the kind it was verified as:
    /// an M2M token's category on a session token, say.
    #[error("the token's category `{cat}` is not that of a {kind}")]
    InvalidCategory {
        /// The kind it was verified as.
        kind: TokenKind,
        /// The `cat` the header gives.
        cat: String,
    },
    /// Audiences are configured and an OAuth access token in JWT form names none of them in
    /// `aud` (or has no `aud`).
    #[error("the token's audience {aud:?} names none of the configured ones")]
    InvalidAudience {
        /// The audiences the token names.
        aud: Vec<String>,
    },
    /// The session is pending (`sts: "pending"`), which counts as signed out unless
    /// [`AuthOptions::accept_pending_sessions`](super::AuthOptions::accept_pending_sessions).
    #[error("the session is pending a task, and pending sessions are treated as signed out")]
    PendingSession,
    /// The Backend API does not know the opaque machine token, or refused it (`404`, `400`
    /// or `422`). `@clerk/backend`: `TokenInvalid`.
    #[error("the {kind} is not valid (the Backend API answered {status})")]
    MachineTokenInvalid {
        /// The token's kind.
        kind: TokenKind,
        /// The status the Backend API answered.
        status: u16,
    },
    /// The machine token was revoked.
    #[error("the {kind} was revoked{}", reason.as_deref().map(|reason| format!(": {reason}")).unwrap_or_default())]
    MachineTokenRevoked {
        /// The token's kind.
        kind: TokenKind,
        /// The revocation reason Clerk gives, if any.
        reason: Option<String>,
    },
    /// The opaque machine token has expired (the Backend API says so, or its `expiration` has
    /// passed beyond the clock skew).
    #[error("the {kind} has expired")]
    MachineTokenExpired {
        /// The token's kind.
        kind: TokenKind,
    },
    /// The Backend API's record of a machine token lacks a field the decision needs, or has it
    /// of another type: the token is refused, and the answer not remembered.
    #[error("the Backend API's answer about the {kind} has no usable `{field}`")]
    MalformedAnswer {
        /// The token's kind.
        kind: TokenKind,
        /// The field.
        field: &'static str,
    },
    /// The Backend API could not say whether the opaque machine token is valid: it could not
    /// be reached, timed out, or answered a status that is not about the token (a `401` for a
    /// wrong secret key, a `5xx`). Not remembered: the next request asks again.
    #[error("the {kind} could not be verified: {reason}")]
    MachineVerificationUnavailable {
        /// The token's kind.
        kind: TokenKind,
        /// What failed, without the token or a credential.
        reason: String,
    },
    /// The authenticator has no way to verify opaque tokens of this kind: the client it was
    /// made from has no verify operation for it.
    #[error("this authenticator cannot verify an opaque {kind}")]
    MachineTokensUnsupported {
        /// The token's kind.
        kind: TokenKind,
    },
    /// Too many distinct opaque tokens are being verified with the Backend API at this moment
    /// ([`MachineCacheOptions::in_flight`](super::MachineCacheOptions::in_flight)).
    #[error("{limit} machine tokens are being verified already; try again")]
    TooManyVerifications {
        /// The limit.
        limit: usize,
    },
    /// The token is not a JWT: not three base64url parts, or a header or payload that is not
    /// a JSON object of the expected claims.
    #[error("the token is malformed: {0}")]
    Malformed(&'static str),
    /// The header's `typ` is not `JWT`.
    #[error("the token's type is `{typ}`, not `JWT`")]
    InvalidType {
        /// The `typ` the header gives.
        typ: String,
    },
    /// The algorithm is not one of RS256, RS384 and RS512 (`none` and every HMAC algorithm are
    /// refused before any key is looked at). `@clerk/backend`: `TokenInvalidAlgorithm`.
    #[error("the token's algorithm `{alg}` is not allowed (RS256, RS384 or RS512)")]
    InvalidAlgorithm {
        /// The `alg` the header gives.
        alg: String,
    },
    /// The header has no `kid` to find the key by.
    #[error("the token's header has no `kid`")]
    MissingKeyId,
    /// No key of the instance has the token's `kid`, even after refreshing the keys.
    /// `@clerk/backend`: `JWKKidMismatch`.
    #[error("no key of the instance has the token's `kid` `{kid}`")]
    UnknownKeyId {
        /// The `kid` the header gives.
        kid: String,
    },
    /// The key has the token's `kid` but is for another algorithm (its `alg`).
    #[error("the key `{kid}` is for `{key_alg}`, not the token's `{alg}`")]
    AlgorithmMismatch {
        /// The key's id.
        kid: String,
        /// The algorithm the key declares.
        key_alg: String,
        /// The algorithm the token declares.
        alg: String,
    },
    /// The signature does not verify with the key. `@clerk/backend`: `TokenInvalidSignature`.
    #[error("the token's signature is invalid")]
    InvalidSignature,
    /// `exp` has passed, beyond the allowed clock skew: the token is refused from `exp` + skew
    /// exactly. `@clerk/backend`: `TokenExpired`.
    #[error(
        "the token expired at {exp} (now {}, with {skew:?} of clock skew allowed)",
        unix_time(now)
    )]
    Expired {
        /// The token's `exp`, in seconds since the Unix epoch.
        exp: i64,
        /// The time it was checked at.
        now: SystemTime,
        /// The clock skew allowed.
        skew: Duration,
    },
    /// `nbf` is still ahead, beyond the allowed clock skew: the token is refused before
    /// `nbf` − skew. `@clerk/backend`: `TokenNotActiveYet`.
    #[error(
        "the token is not valid before {nbf} (now {}, with {skew:?} of clock skew allowed)",
        unix_time(now)
    )]
    NotActiveYet {
        /// The token's `nbf`, in seconds since the Unix epoch.
        nbf: i64,
        /// The time it was checked at.
        now: SystemTime,
        /// The clock skew allowed.
        skew: Duration,
    },
    /// `iat` is in the future, beyond the allowed clock skew: the token is refused before
    /// `iat` − skew. `@clerk/backend`: `TokenIatInTheFuture`.
    #[error(
        "the token was issued at {iat}, in the future (now {}, with {skew:?} of clock skew allowed)",
        unix_time(now)
    )]
    IssuedInTheFuture {
        /// The token's `iat`, in seconds since the Unix epoch.
        iat: i64,
        /// The time it was checked at.
        now: SystemTime,
        /// The clock skew allowed.
        skew: Duration,
    },
    /// A claim every session token has is missing or not of its type (`sub`, `exp`, `iss`).
    #[error("the token's `{claim}` claim is missing or not of its type")]
    MissingClaim {
        /// The claim's name.
        claim: &'static str,
    },
    /// `iss` is neither a Clerk Frontend API URL nor the configured issuer.
    /// `@clerk/backend`: `TokenInvalidIssuer`.
    #[error("the token's issuer `{iss}` is not a Clerk issuer or the configured one")]
    InvalidIssuer {
        /// The token's `iss`.
        iss: String,
    },
    /// Authorized parties are configured and the token has no `azp`, or one not among them.
    /// `@clerk/backend`: `TokenInvalidAuthorizedParties`.
    #[error("the token's authorized party {} is not among the configured ones", azp.as_deref().map_or("(none)".to_owned(), |azp| format!("`{azp}`")))]
    InvalidAuthorizedParty {
        /// The token's `azp`, if it has one.
        azp: Option<String>,
    },
    /// The instance's keys could not be fetched. `@clerk/backend`: `RemoteJWKFailedToLoad`.
    #[error("the instance's keys could not be fetched: {reason}")]
    KeysUnavailable {
        /// What failed, without credentials.
        reason: String,
    },
    /// The configured PEM key cannot be used.
    #[error("the configured public key cannot be used: {reason}")]
    InvalidKey {
        /// What is wrong with it.
        reason: String,
    },
}

impl AuthError {
    /// Whether the error is a verdict about the token itself, which stays true for a while
    /// (unknown, revoked, expired), rather than about this attempt (the API unavailable, too
    /// many verifications at once): the former is remembered for a machine token.
    pub(crate) fn is_about_the_token(&self) -> bool {
        matches!(
            self,
            AuthError::MachineTokenInvalid { .. }
                | AuthError::MachineTokenRevoked { .. }
                | AuthError::MachineTokenExpired { .. }
        )
    }
}

/// A time as seconds since the Unix epoch, to the millisecond: `1700000005.000`.
fn unix_time(time: &SystemTime) -> String {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => format!("{}.{:03}", after.as_secs(), after.subsec_millis()),
        Err(before) => {
            let before = before.duration();
            format!("-{}.{:03}", before.as_secs(), before.subsec_millis())
        }
    }
}
