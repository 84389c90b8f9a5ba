//! Why a session token was refused.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Why a request or a session token was not authenticated: one reason per check, in the
/// vocabulary of Clerk's JavaScript SDK (`@clerk/backend`).
///
/// No variant holds the token, a signature or a key: an error can be logged as it is. The
/// claims it names (`kid`, `alg`, `iss`, `azp`) and the timestamps are not secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// The request has neither an `Authorization: Bearer` header nor a `__session` cookie.
    #[error("the request has no session token (no `Authorization: Bearer` header, no `__session` cookie)")]
    MissingToken,
    /// The token is not a JWT: not three base64url parts, or a header or payload that is not
    /// a JSON object of the expected claims.
    #[error("the session token is malformed: {0}")]
    Malformed(&'static str),
    /// The header's `typ` is not `JWT`.
    #[error("the session token's type is `{typ}`, not `JWT`")]
    InvalidType {
        /// The `typ` the header gives.
        typ: String,
    },
    /// The algorithm is not one of RS256, RS384 and RS512 (`none` and every HMAC algorithm are
    /// refused before any key is looked at). `@clerk/backend`: `TokenInvalidAlgorithm`.
    #[error("the session token's algorithm `{alg}` is not allowed (RS256, RS384 or RS512)")]
    InvalidAlgorithm {
        /// The `alg` the header gives.
        alg: String,
    },
    /// The header has no `kid` to find the key by.
    #[error("the session token's header has no `kid`")]
    MissingKeyId,
    /// No key of the instance has the token's `kid`, even after refreshing the keys.
    /// `@clerk/backend`: `JWKKidMismatch`.
    #[error("no key of the instance has the session token's `kid` `{kid}`")]
    UnknownKeyId {
        /// The `kid` the header gives.
        kid: String,
    },
    /// The key has the token's `kid` but is for another algorithm (its `alg`).
    #[error("the key `{kid}` is for `{key_alg}`, not the session token's `{alg}`")]
    AlgorithmMismatch {
        /// The key's id.
        kid: String,
        /// The algorithm the key declares.
        key_alg: String,
        /// The algorithm the token declares.
        alg: String,
    },
    /// The signature does not verify with the key. `@clerk/backend`: `TokenInvalidSignature`.
    #[error("the session token's signature is invalid")]
    InvalidSignature,
    /// `exp` has passed, beyond the allowed clock skew: the token is refused from `exp` + skew
    /// exactly. `@clerk/backend`: `TokenExpired`.
    #[error(
        "the session token expired at {exp} (now {}, with {skew:?} of clock skew allowed)",
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
        "the session token is not valid before {nbf} (now {}, with {skew:?} of clock skew allowed)",
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
        "the session token was issued at {iat}, in the future (now {}, with {skew:?} of clock skew allowed)",
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
    #[error("the session token's `{claim}` claim is missing or not of its type")]
    MissingClaim {
        /// The claim's name.
        claim: &'static str,
    },
    /// `iss` is neither a Clerk Frontend API URL nor the configured issuer.
    /// `@clerk/backend`: `TokenInvalidIssuer`.
    #[error("the session token's issuer `{iss}` is not a Clerk issuer or the configured one")]
    InvalidIssuer {
        /// The token's `iss`.
        iss: String,
    },
    /// Authorized parties are configured and the token has no `azp`, or one not among them.
    /// `@clerk/backend`: `TokenInvalidAuthorizedParties`.
    #[error("the session token's authorized party {} is not among the configured ones", azp.as_deref().map_or("(none)".to_owned(), |azp| format!("`{azp}`")))]
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
