//! Clerk's tokens verified, and what they may do checked (the `auth` feature).
//!
//! Each request an application serves says who sent it with a token. An [`Authenticator`]
//! checks it and gives its typed claims, or the [`AuthError`] that says why not:
//!
//! ```no_run
//! use clerk_sdk::auth::AuthOptions;
//!
//! # async fn run(clerk: clerk_sdk::Clerk, request: http::Request<()>) -> Result<(), Box<dyn std::error::Error>> {
//! // Once, at startup: the authenticator keeps the instance's keys and what Clerk said of
//! // machine tokens, so share it (it is `Clone`).
//! let auth = clerk.authenticator(AuthOptions::new().authorized_parties(["https://app.example.com"]))?;
//! // For each request:
//! let claims = auth.authenticate(&request).await?;
//! println!("user {} in session {:?}", claims.sub, claims.sid);
//! # Ok(()) }
//! ```
//!
//! # The kinds of token
//!
//! | [`TokenKind`] | how it looks | how it is verified |
//! |---|---|---|
//! | [`Session`](TokenKind::Session) | a JWT, in `Authorization: Bearer` or the `__session` cookie | locally, with the instance's keys |
//! | [`ApiKey`](TokenKind::ApiKey) | opaque, `ak_…` | `POST /api_keys/verify` |
//! | [`M2mToken`](TokenKind::M2mToken) | opaque `mt_…`, or a JWT whose `sub` starts `mch_` | opaque: `POST /m2m_tokens/verify`; JWT: locally |
//! | [`OAuthToken`](TokenKind::OAuthToken) | opaque `oat_…`, or a JWT with `typ: at+jwt` | opaque: `POST /oauth_applications/access_tokens/verify`; JWT: locally, with the [audience](AuthOptions::audience) check |
//!
//! Tokens are told apart as `@clerk/backend` tells them apart: by prefix, then, for a JWT, by
//! its `typ` header and its `sub`. [`Authenticator::authenticate`] accepts session tokens only;
//! [`Authenticator::authenticate_accepting`] takes the [`Accepts`] of an endpoint and gives a
//! [`Verified`], which says which kind was verified and carries its [`SessionClaims`] or
//! [`MachineClaims`] (subject, machine or client id, scopes, expiry). A token of a kind the
//! endpoint does not accept is refused with [`AuthError::TokenKindNotAccepted`] before anything
//! verifies it. Machine tokens are taken from the `Authorization` header only, never from the
//! cookie.
//!
//! # The checks of a JWT, in order
//!
//! As `@clerk/backend` orders them, so that which check fails says nothing of the
//! configuration to a caller whose token is not genuine:
//!
//! 1. **The header.** Any algorithm but RS256, RS384 and RS512 is refused before a key is
//!    looked at: `none` and every HMAC algorithm among them, so a token "signed" with the
//!    public key as an HMAC secret never reaches a key. A session token's `typ` must be `JWT`,
//!    and its `cat` (Clerk's token category), when present, a session's.
//! 2. **The signature**, with the key the header's `kid` names ([`jsonwebtoken`], on *ring*).
//! 3. **The claims:** `sub` is required; `exp`, `nbf` and `iat` hold with
//!    [5 s](DEFAULT_CLOCK_SKEW) of clock skew either way ([`AuthOptions::clock_skew`]),
//!    compared at the clock's full precision: a token is good from `nbf` − skew (and `iat` −
//!    skew) up to, not at, `exp` + skew, as RFC 7519 §4.1.4 and `@clerk/backend` have it. A
//!    session's `iss` must be a Clerk Frontend API URL (`https://clerk.<domain>`,
//!    `https://<slug>.clerk.accounts.dev`) or, when configured, the issuer given; its `azp` must
//!    be one of the [authorized parties](AuthOptions::authorized_parties) when there are any.
//!    An M2M JWT's `sub` must be a machine's (`mch_…`); an OAuth JWT's `aud` must hold one of
//!    the [audiences](AuthOptions::audience) when there are any.
//!
//! No error, no log line and no `Debug` output holds the token or a key.
//!
//! # Session rules
//!
//! - **Authorized parties.** A browser sends the `__session` cookie with every request to the
//!   application's domain, whichever site made it: configure the authorized parties, so that
//!   `azp`, the origin the token was issued to, ties the token to the application's own pages.
//! - **A missing `azp`** is accepted by default on either carrier, and can be refused per
//!   carrier with [`AuthOptions::missing_azp`], whose docs say why (Clerk's Frontend API mints
//!   cookie tokens without `azp` on top-level navigations).
//! - **Pending sessions** (`sts: "pending"`: a task such as choosing an organization is still
//!   to do) are refused with [`AuthError::PendingSession`], as signed out, unless
//!   [`AuthOptions::accept_pending_sessions`].
//!
//! # Keys
//!
//! - **Fetched** from the Backend API's `GET /jwks` through the client the authenticator was
//!   made from (a generated crate's `Clerk::authenticator`), so its retries,
//!   timeouts, TLS settings and hooks apply. They are kept for a fixed
//!   [time to live](AuthOptions::jwks_ttl) that use never extends; a token with a `kid` the
//!   set lacks refreshes it at most once per [window](AuthOptions::refresh_window); concurrent
//!   verifications that need keys share one fetch. The cache belongs to the authenticator: two
//!   authenticators, of two clients, never share a key. Session and machine JWTs share it.
//! - **Networkless:** with [`AuthOptions::jwt_key`] (the PEM public key of the instance, from
//!   Clerk's dashboard), every JWT is verified with that key and nothing is ever fetched.
//!
//! # Opaque machine tokens
//!
//! An authenticator made by a generated crate's `Clerk::authenticator` verifies opaque tokens
//! with the verify operations of that crate's spec, through its client (one of
//! [`VerifyMachineToken`] otherwise, with [`Authenticator::with_machine_verifier`]). What Clerk
//! answered is remembered ([`MachineCacheOptions`]):
//!
//! - each token is checked once however many requests carry it at the same moment;
//! - a valid token is trusted for 60 s, never past its expiry; an invalid one is refused for
//!   30 s without asking again;
//! - both caches are bounded, and keyed by an HMAC of the token under a key made at random for
//!   each authenticator, never by the token;
//! - at most 256 distinct tokens are checked at once; past that, a token is refused with
//!   [`AuthError::TooManyVerifications`] rather than queued.
//!
//! [`Authenticator::machine_cache_stats`] reports what the caches hold and how many calls
//! they made.
//!
//! # What a token may do
//!
//! [`Verified::has`] and [`Verified::authorize`] check a [`Check`] of roles, permissions,
//! features, plans and [reverification](Reverification), as Clerk's `has()` does, and fail
//! closed: every part named must pass, a claim a part needs that is missing or malformed
//! denies, and a check that names nothing denies ([`Denied::NothingAsked`]). A machine token
//! passes no check ([`Denied::NotASession`]): check its [scopes](MachineClaims::has_scope).
//!
//! # Tower
//!
//! With the `tower` feature, an [`AuthLayer`] authenticates each request, with the kinds of
//! token a route [accepts](AuthLayer::accepts) and the [check](AuthLayer::require) it needs,
//! and answers 401, 403, or Clerk's reverification 403 ([`reverification_required`]).

mod authorize;
mod cache;
mod claims;
mod error;
mod fetch;
mod keys;
mod kind;
#[cfg(feature = "tower")]
#[cfg_attr(docsrs, doc(cfg(feature = "tower")))]
mod layer;
mod machine;
mod options;
#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing;
mod token;
mod verified;

use std::sync::Arc;
use std::time::SystemTime;

use http::HeaderMap;

pub use authorize::{Check, Denied, Reverification, VerificationLevel};
pub use cache::FetchJwks;
use cache::JwksCache;
use claims::ClaimRules;
pub use claims::{Actor, OrganizationClaims, SessionClaims};
pub use error::AuthError;
pub use fetch::JwksFuture;
#[doc(hidden)]
pub use fetch::fetch_jwks;
pub use keys::Jwk;
use keys::PublicKey;
pub use kind::{
    API_KEY_PREFIX, Accepts, M2M_TOKEN_PREFIX, MACHINE_SUBJECT_PREFIX, OAUTH_JWT_TYPES, OAUTH_TOKEN_PREFIX,
    TokenFormat, TokenKind,
};
#[cfg(feature = "tower")]
pub use layer::{AuthLayer, AuthService, forbidden, reverification_required, unauthorized};
use machine::cache::MachineCache;
pub use machine::cache::MachineCacheStats;
pub use machine::{MachineAnswer, MachineClaims, MachineFuture, VerifyMachineToken};
#[doc(hidden)]
pub use machine::{unsupported_machine_token, verify_machine};
pub use options::{
    AuthOptions, DEFAULT_CLOCK_SKEW, DEFAULT_JWKS_TTL, DEFAULT_REFRESH_WINDOW, MachineCacheOptions, MissingAzp,
};
pub use token::{Carrier, SESSION_COOKIE};
pub use verified::Verified;

/// Where an authenticator's keys come from.
enum Keys {
    Pem(Arc<PublicKey>),
    Jwks(JwksCache),
}

/// Verifies Clerk's tokens: session tokens, and machine tokens where the client it was made
/// from can verify them. Cheap to clone: clones share the options and the caches.
#[derive(Clone)]
pub struct Authenticator {
    inner: Arc<Inner>,
    /// How opaque machine tokens are verified, if they can be.
    machines: Option<Arc<Machines>>,
    /// A fixed time to check the claims at, for tests; the system clock when `None`.
    now: Option<SystemTime>,
}

struct Inner {
    options: AuthOptions,
    keys: Keys,
}

/// The verifier of opaque machine tokens and what it said.
struct Machines {
    verifier: Box<dyn VerifyMachineToken>,
    cache: MachineCache,
}

impl std::fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let keys = match self.inner.keys {
            Keys::Pem(_) => "a PEM key (networkless)",
            Keys::Jwks(_) => "the instance's JWKS",
        };
        let machines: Vec<TokenKind> = match &self.machines {
            Some(machines) => (TokenKind::ALL.into_iter())
                .filter(|kind| *kind != TokenKind::Session && machines.verifier.supports(*kind))
                .collect(),
            None => Vec::new(),
        };
        f.debug_struct("Authenticator")
            .field("options", &self.inner.options)
            .field("keys", &keys)
            .field("opaque_machine_tokens", &machines)
            .field("now", &self.now)
            .finish()
    }
}

/// A request, or its headers: what [`Authenticator::authenticate`] reads the token from.
pub trait RequestHeaders {
    /// The request's headers.
    fn headers(&self) -> &HeaderMap;
}

impl RequestHeaders for HeaderMap {
    fn headers(&self) -> &HeaderMap {
        self
    }
}

impl RequestHeaders for http::request::Parts {
    fn headers(&self) -> &HeaderMap {
        &self.headers
    }
}

impl<B> RequestHeaders for http::Request<B> {
    fn headers(&self) -> &HeaderMap {
        self.headers()
    }
}

impl Authenticator {
    /// An authenticator that fetches the instance's keys with `fetcher`, or, with
    /// [`AuthOptions::jwt_key`], uses that key and never calls `fetcher`.
    /// A generated crate's `Clerk::authenticator` makes one that fetches through the
    /// client, and verifies opaque machine tokens through it too.
    ///
    /// # Errors
    ///
    /// [`AuthError::InvalidKey`] for a `jwt_key` that is not an RSA public key in PEM.
    pub fn new(fetcher: impl FetchJwks, options: AuthOptions) -> Result<Self, AuthError> {
        let keys = match &options.jwt_key {
            Some(pem) => Keys::Pem(Arc::new(keys::from_pem(pem)?)),
            None => Keys::Jwks(JwksCache::new(
                Box::new(fetcher),
                options.jwks_ttl,
                options.refresh_window,
            )),
        };
        Ok(Self::with_keys(keys, options))
    }

    /// A networkless authenticator: every JWT is verified with the PEM key of
    /// [`AuthOptions::jwt_key`], which must be set, and no key is ever fetched.
    ///
    /// # Errors
    ///
    /// [`AuthError::InvalidKey`] when no key is set or it is not an RSA public key in PEM.
    pub fn networkless(options: AuthOptions) -> Result<Self, AuthError> {
        let pem = options.jwt_key.as_deref().ok_or_else(|| AuthError::InvalidKey {
            reason: "a networkless authenticator needs `AuthOptions::jwt_key`".to_owned(),
        })?;
        Ok(Self::with_keys(Keys::Pem(Arc::new(keys::from_pem(pem)?)), options))
    }

    fn with_keys(keys: Keys, options: AuthOptions) -> Self {
        Authenticator {
            inner: Arc::new(Inner { options, keys }),
            machines: None,
            now: None,
        }
    }

    /// The same authenticator, verifying opaque machine tokens (API keys, `mt_…`, `oat_…`)
    /// with `verifier` and remembering its answers as
    /// [`AuthOptions::machine_cache`] says. A generated crate's `Clerk::authenticator` does
    /// this with its client where the API has the verify operations.
    ///
    /// # Errors
    ///
    /// [`AuthError::InvalidKey`] if the system's random number generator cannot make the
    /// cache's key.
    pub fn with_machine_verifier(mut self, verifier: impl VerifyMachineToken) -> Result<Self, AuthError> {
        let cache = MachineCache::new(self.inner.options.machine_cache)?;
        self.machines = Some(Arc::new(Machines {
            verifier: Box::new(verifier),
            cache,
        }));
        Ok(self)
    }

    /// The same authenticator (sharing its keys and their cache) checking the claims at `now`
    /// instead of the system clock: for tests.
    #[must_use]
    pub fn at(&self, now: SystemTime) -> Self {
        Authenticator {
            inner: self.inner.clone(),
            machines: self.machines.clone(),
            now: Some(now),
        }
    }

    /// How many opaque machine tokens are remembered, being verified, and how many Backend
    /// API calls verified them; `None` without a [machine verifier](Self::with_machine_verifier).
    pub fn machine_cache_stats(&self) -> Option<MachineCacheStats> {
        self.machines.as_ref().map(|machines| machines.cache.stats())
    }

    /// Finds the request's session token (`Authorization: Bearer`, else the `__session`
    /// cookie) and verifies it. Any other kind of token is refused: see
    /// [`authenticate_accepting`](Self::authenticate_accepting).
    ///
    /// # Errors
    ///
    /// [`AuthError::MissingToken`] without a token; otherwise as [`Self::verify_token`].
    pub async fn authenticate(&self, request: &impl RequestHeaders) -> Result<SessionClaims, AuthError> {
        match self.authenticate_accepting(request, Accepts::SESSION).await? {
            Verified::Session(claims) => Ok(claims),
            Verified::Machine(claims) => Err(AuthError::TokenKindNotAccepted {
                kind: claims.kind,
                accepted: Accepts::SESSION,
            }),
        }
    }

    /// Finds the request's token and verifies it if it is of a kind `accepts` names: a
    /// session token (`Authorization: Bearer`, else the `__session` cookie), or an API key,
    /// M2M or OAuth token (`Authorization: Bearer` only).
    ///
    /// ```no_run
    /// use clerk_sdk::auth::{Accepts, TokenKind, Verified};
    ///
    /// # async fn run(auth: clerk_sdk::auth::Authenticator, request: http::Request<()>) -> Result<(), clerk_sdk::auth::AuthError> {
    /// match auth.authenticate_accepting(&request, Accepts::SESSION.and(TokenKind::ApiKey)).await? {
    ///     Verified::Session(session) => println!("user {}", session.sub),
    ///     Verified::Machine(key) => println!("API key {:?} of {}", key.name, key.subject),
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`AuthError::MissingToken`] without a token; otherwise as [`Self::verify`].
    pub async fn authenticate_accepting(
        &self,
        request: &impl RequestHeaders,
        accepts: impl Into<Accepts>,
    ) -> Result<Verified, AuthError> {
        let (token, carrier) = token::find(request.headers()).ok_or(AuthError::MissingToken)?;
        self.verify_carried(token, carrier, accepts.into()).await
    }

    /// Verifies a session token: its header, its signature, then its claims (see the
    /// [module docs](self)), as one that came in the `Authorization` header.
    ///
    /// # Errors
    ///
    /// The [`AuthError`] of the first check that fails.
    pub async fn verify_token(&self, token: &str) -> Result<SessionClaims, AuthError> {
        match self.verify_carried(token, Carrier::Header, Accepts::SESSION).await? {
            Verified::Session(claims) => Ok(claims),
            Verified::Machine(claims) => Err(AuthError::TokenKindNotAccepted {
                kind: claims.kind,
                accepted: Accepts::SESSION,
            }),
        }
    }

    /// Verifies a token of any kind `accepts` names, as one that came in the `Authorization`
    /// header.
    ///
    /// # Errors
    ///
    /// [`AuthError::TokenKindNotAccepted`] for a token of another kind, before anything
    /// verifies it; otherwise the [`AuthError`] of the first check that fails.
    pub async fn verify(&self, token: &str, accepts: impl Into<Accepts>) -> Result<Verified, AuthError> {
        self.verify_carried(token, Carrier::Header, accepts.into()).await
    }
}

/// Whether `jwt`'s signature verifies with `key`, for `algorithm`.
fn check_signature(
    jwt: &kind::Jwt<'_>,
    key: &jsonwebtoken::DecodingKey,
    algorithm: jsonwebtoken::Algorithm,
) -> Result<(), AuthError> {
    match jsonwebtoken::crypto::verify(jwt.signature, jwt.message.as_bytes(), key, algorithm) {
        Ok(true) => Ok(()),
        Ok(false) => Err(AuthError::InvalidSignature),
        Err(error) => Err(match error.kind() {
            jsonwebtoken::errors::ErrorKind::Base64(_) => AuthError::Malformed("the signature is not base64url"),
            _ => AuthError::InvalidSignature,
        }),
    }
}

mod verify;

#[cfg(test)]
mod tests;
