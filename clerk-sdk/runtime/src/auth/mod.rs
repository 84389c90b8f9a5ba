//! Clerk session tokens, verified (the `auth` feature).
//!
//! Each request an application serves says who sent it with a session token: a JWT that
//! Clerk's frontend SDKs send as `Authorization: Bearer <token>`, or in the `__session`
//! cookie for same-origin requests. An [`Authenticator`] checks it and gives its typed
//! [`SessionClaims`], or the [`AuthError`] that says why not:
//!
//! ```no_run
//! use clerk_sdk::auth::AuthOptions;
//!
//! # async fn run(clerk: clerk_sdk::Clerk, request: http::Request<()>) -> Result<(), Box<dyn std::error::Error>> {
//! // Once, at startup: the authenticator keeps the instance's keys, so share it (it is `Clone`).
//! let auth = clerk.authenticator(AuthOptions::new().authorized_parties(["https://app.example.com"]))?;
//! // For each request:
//! let claims = auth.authenticate(&request).await?;
//! println!("user {} in session {:?}", claims.sub, claims.sid);
//! # Ok(()) }
//! ```
//!
//! # The checks, in order
//!
//! As `@clerk/backend` orders them, so that which check fails says nothing of the
//! configuration to a caller whose token is not genuine:
//!
//! 1. **The header.** A `typ` other than `JWT`, and any algorithm but RS256, RS384 and RS512,
//!    are refused before a key is looked at: `none` and every HMAC algorithm among them, so a
//!    token "signed" with the public key as an HMAC secret never reaches a key.
//! 2. **The signature**, with the key the header's `kid` names ([`jsonwebtoken`], on *ring*).
//! 3. **The claims:** `sub` is required; `iss` must be a Clerk Frontend API URL
//!    (`https://clerk.<domain>`, `https://<slug>.clerk.accounts.dev`) or, when configured, the
//!    issuer given; `azp` must be one of the [authorized
//!    parties](AuthOptions::authorized_parties) when there are any, and a token without `azp`
//!    is then refused; `exp`, `nbf` and `iat` hold with [5 s](DEFAULT_CLOCK_SKEW) of clock skew
//!    either way ([`AuthOptions::clock_skew`]), compared at the clock's full precision: a token
//!    is good from `nbf` − skew (and `iat` − skew) up to, not at, `exp` + skew, as RFC 7519
//!    §4.1.4 and `@clerk/backend` have it.
//!
//! No error and no log line holds the token or a key.
//!
//! A browser sends the `__session` cookie with every request to the application's domain,
//! whichever site made it: configure the authorized parties, so that `azp`, the origin the
//! token was issued to, ties the token to the application's own pages.
//!
//! # Keys
//!
//! - **Fetched** from the Backend API's `GET /jwks` through the client the authenticator was
//!   made from (a generated crate's `Clerk::authenticator`), so its retries,
//!   timeouts, TLS settings and hooks apply. They are kept for a fixed
//!   [time to live](AuthOptions::jwks_ttl) that use never extends; a token with a `kid` the
//!   set lacks refreshes it at most once per [window](AuthOptions::refresh_window); concurrent
//!   verifications that need keys share one fetch. The cache belongs to the authenticator: two
//!   authenticators, of two clients, never share a key.
//! - **Networkless:** with [`AuthOptions::jwt_key`] (the PEM public key of the instance, from
//!   Clerk's dashboard), every token is verified with that key and nothing is ever fetched.

mod cache;
mod claims;
mod error;
mod fetch;
mod keys;
#[cfg(feature = "tower")]
#[cfg_attr(docsrs, doc(cfg(feature = "tower")))]
mod layer;
#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing;
mod token;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use http::HeaderMap;
use serde_json::{Map, Value};

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
#[cfg(feature = "tower")]
pub use layer::{AuthLayer, AuthService, unauthorized};
pub use token::SESSION_COOKIE;

/// How far `exp`, `nbf` and `iat` may be off, either way: 5 seconds, as `@clerk/backend`.
pub const DEFAULT_CLOCK_SKEW: Duration = Duration::from_secs(5);
/// How long fetched keys are used before they are fetched again: 5 minutes.
pub const DEFAULT_JWKS_TTL: Duration = Duration::from_secs(5 * 60);
/// How old fetched keys must be before a token with an unknown `kid` refreshes them: 30
/// seconds.
pub const DEFAULT_REFRESH_WINDOW: Duration = Duration::from_secs(30);

/// How an [`Authenticator`] checks tokens.
#[derive(Clone)]
#[must_use]
pub struct AuthOptions {
    authorized_parties: Vec<String>,
    issuer: Option<String>,
    clock_skew: Duration,
    jwks_ttl: Duration,
    refresh_window: Duration,
    jwt_key: Option<String>,
}

impl std::fmt::Debug for AuthOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthOptions")
            .field("authorized_parties", &self.authorized_parties)
            .field("issuer", &self.issuer)
            .field("clock_skew", &self.clock_skew)
            .field("jwks_ttl", &self.jwks_ttl)
            .field("refresh_window", &self.refresh_window)
            .field("jwt_key", &self.jwt_key.as_ref().map(|_| "(a PEM key)"))
            .finish()
    }
}

impl Default for AuthOptions {
    fn default() -> Self {
        AuthOptions {
            authorized_parties: Vec::new(),
            issuer: None,
            clock_skew: DEFAULT_CLOCK_SKEW,
            jwks_ttl: DEFAULT_JWKS_TTL,
            refresh_window: DEFAULT_REFRESH_WINDOW,
            jwt_key: None,
        }
    }
}

impl AuthOptions {
    /// The defaults: no authorized parties, Clerk issuers, 5 s of clock skew, keys fetched and
    /// kept for 5 minutes.
    pub fn new() -> Self {
        AuthOptions::default()
    }

    /// The origins a token's `azp` must be one of, such as `https://app.example.com`. Once any
    /// are given, a token without `azp` is refused too. Set them: without them, a token Clerk
    /// issued for another of the instance's origins is accepted.
    pub fn authorized_parties<I, S>(mut self, parties: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.authorized_parties = parties.into_iter().map(Into::into).collect();
        self
    }

    /// The one issuer (`iss`) to accept, such as a custom Frontend API domain, instead of any
    /// Clerk Frontend API URL.
    pub fn issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuer = Some(issuer.into());
        self
    }

    /// How far `exp`, `nbf` and `iat` may be off, either way ([`DEFAULT_CLOCK_SKEW`]).
    pub fn clock_skew(mut self, skew: Duration) -> Self {
        self.clock_skew = skew;
        self
    }

    /// How long fetched keys are used before they are fetched again ([`DEFAULT_JWKS_TTL`]): a
    /// key removed from the instance stops verifying within this time.
    pub fn jwks_ttl(mut self, ttl: Duration) -> Self {
        self.jwks_ttl = ttl;
        self
    }

    /// How old fetched keys must be before a token with a `kid` they lack refreshes them
    /// ([`DEFAULT_REFRESH_WINDOW`]): at most one such refresh per window.
    pub fn refresh_window(mut self, window: Duration) -> Self {
        self.refresh_window = window;
        self
    }

    /// Verifies every token with this PEM public key (`-----BEGIN PUBLIC KEY-----`: the "JWT
    /// public key" of Clerk's dashboard, which Clerk's other SDKs read from `CLERK_JWT_KEY`),
    /// and never fetches keys: no network call, ever.
    pub fn jwt_key(mut self, pem: impl Into<String>) -> Self {
        self.jwt_key = Some(pem.into());
        self
    }
}

/// Where an authenticator's keys come from.
enum Keys {
    Pem(Arc<PublicKey>),
    Jwks(JwksCache),
}

/// Verifies session tokens. Cheap to clone: clones share the options and the key cache.
#[derive(Clone)]
pub struct Authenticator {
    inner: Arc<Inner>,
    /// A fixed time to check the claims at, for tests; the system clock when `None`.
    now: Option<SystemTime>,
}

struct Inner {
    options: AuthOptions,
    keys: Keys,
}

impl std::fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let keys = match self.inner.keys {
            Keys::Pem(_) => "a PEM key (networkless)",
            Keys::Jwks(_) => "the instance's JWKS",
        };
        f.debug_struct("Authenticator")
            .field("options", &self.inner.options)
            .field("keys", &keys)
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

/// The header of a JWT, as far as the checks before the signature read it.
#[derive(serde::Deserialize)]
struct JwtHeader {
    alg: String,
    kid: Option<String>,
    typ: Option<String>,
}

impl Authenticator {
    /// An authenticator that fetches the instance's keys with `fetcher`, or, with
    /// [`AuthOptions::jwt_key`], uses that key and never calls `fetcher`.
    /// A generated crate's `Clerk::authenticator` makes one that fetches through the
    /// client.
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

    /// A networkless authenticator: every token is verified with the PEM key of
    /// [`AuthOptions::jwt_key`], which must be set.
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
            now: None,
        }
    }

    /// The same authenticator (sharing its keys and their cache) checking the claims at `now`
    /// instead of the system clock: for tests.
    #[must_use]
    pub fn at(&self, now: SystemTime) -> Self {
        Authenticator {
            inner: self.inner.clone(),
            now: Some(now),
        }
    }

    /// Finds the request's session token (`Authorization: Bearer`, else the `__session`
    /// cookie) and verifies it.
    ///
    /// # Errors
    ///
    /// [`AuthError::MissingToken`] without a token; otherwise as [`Self::verify_token`].
    pub async fn authenticate(&self, request: &impl RequestHeaders) -> Result<SessionClaims, AuthError> {
        let token = token::find(request.headers()).ok_or(AuthError::MissingToken)?;
        self.verify_token(token).await
    }

    /// Verifies a session token: its header, its signature, then its claims (see the
    /// [module docs](self)).
    ///
    /// # Errors
    ///
    /// The [`AuthError`] of the first check that fails.
    pub async fn verify_token(&self, token: &str) -> Result<SessionClaims, AuthError> {
        let header = header(token)?;
        let algorithm = keys::allowed_algorithm(&header.alg).ok_or_else(|| AuthError::InvalidAlgorithm {
            alg: header.alg.clone(),
        })?;
        let key = match &self.inner.keys {
            Keys::Pem(key) => key.clone(),
            Keys::Jwks(cache) => {
                let kid = header.kid.as_deref().ok_or(AuthError::MissingKeyId)?;
                cache.key(kid).await?
            }
        };
        if let Some(key_alg) = &key.alg
            && *key_alg != header.alg
        {
            return Err(AuthError::AlgorithmMismatch {
                kid: header.kid.clone().unwrap_or_default(),
                key_alg: key_alg.clone(),
                alg: header.alg,
            });
        }
        let raw = signed_claims(token, &key.key, algorithm)?;
        let options = &self.inner.options;
        let rules = ClaimRules {
            now: self.now.unwrap_or_else(SystemTime::now),
            skew: options.clock_skew,
            issuer: options.issuer.as_deref(),
            authorized_parties: &options.authorized_parties,
        };
        SessionClaims::check(raw, &rules)
    }
}

/// The token's header, read before anything else, with its `typ` checked.
fn header(token: &str) -> Result<JwtHeader, AuthError> {
    let mut parts = token.split('.');
    let (Some(header), Some(_), Some(_), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(AuthError::Malformed("not three dot-separated parts"));
    };
    let bytes = URL_SAFE_NO_PAD
        .decode(header)
        .map_err(|_| AuthError::Malformed("the header is not base64url"))?;
    let header: JwtHeader = serde_json::from_slice(&bytes)
        .map_err(|_| AuthError::Malformed("the header is not a JSON object with `alg`"))?;
    match &header.typ {
        Some(typ) if !typ.eq_ignore_ascii_case("JWT") => Err(AuthError::InvalidType { typ: typ.clone() }),
        _ => Ok(header),
    }
}

/// The claims of a token whose signature verifies with `key`; no claim is checked yet.
fn signed_claims(
    token: &str,
    key: &jsonwebtoken::DecodingKey,
    algorithm: jsonwebtoken::Algorithm,
) -> Result<Map<String, Value>, AuthError> {
    let mut validation = jsonwebtoken::Validation::new(algorithm);
    validation.required_spec_claims.clear();
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    validation.leeway = 0;
    match jsonwebtoken::decode::<Map<String, Value>>(token, key, &validation) {
        Ok(data) => Ok(data.claims),
        Err(error) => Err(match error.kind() {
            jsonwebtoken::errors::ErrorKind::InvalidSignature
            | jsonwebtoken::errors::ErrorKind::InvalidRsaKey(_)
            | jsonwebtoken::errors::ErrorKind::InvalidKeyFormat
            | jsonwebtoken::errors::ErrorKind::Crypto(_) => AuthError::InvalidSignature,
            _ => AuthError::Malformed("the signature or the payload does not decode"),
        }),
    }
}

#[cfg(test)]
mod tests;
