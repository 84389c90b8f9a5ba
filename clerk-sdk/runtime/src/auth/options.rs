//! How an [`Authenticator`](super::Authenticator) checks tokens: [`AuthOptions`].

use std::time::Duration;

use super::token::Carrier;

/// How far `exp`, `nbf` and `iat` may be off, either way: 5 seconds, as `@clerk/backend`.
pub const DEFAULT_CLOCK_SKEW: Duration = Duration::from_secs(5);
/// How long fetched keys are used before they are fetched again: 5 minutes.
pub const DEFAULT_JWKS_TTL: Duration = Duration::from_secs(5 * 60);
/// How old fetched keys must be before a token with an unknown `kid` refreshes them: 30
/// seconds.
pub const DEFAULT_REFRESH_WINDOW: Duration = Duration::from_secs(30);

/// What to do with a session token that has no `azp` claim while
/// [authorized parties](AuthOptions::authorized_parties) are configured. A token that has an
/// `azp` must always name one of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MissingAzp {
    /// Accept the token: nothing ties it to an origin, and its signature still ties it to the
    /// instance.
    Accept,
    /// Refuse it with [`AuthError::InvalidAuthorizedParty`](super::AuthError::InvalidAuthorizedParty).
    Refuse,
}

/// How verified opaque machine tokens (API keys, `mt_…`, `oat_…`) are remembered, so that a
/// token is checked with the Backend API once and not on every request.
///
/// Both caches are bounded by [`capacity`](Self::capacity) entries each, keyed by a keyed hash
/// of the token (HMAC-SHA256 under a key made at random for each authenticator), never by the
/// token: a client sending made-up tokens fills them to their bound, and no further.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct MachineCacheOptions {
    /// How long a valid token is trusted without asking again: 60 s by default, and never past
    /// the token's own expiration. A token revoked in Clerk's dashboard is refused within this
    /// time.
    pub valid_for: Duration,
    /// How long a token Clerk answered as invalid is refused without asking again: 30 s by
    /// default, as `@clerk/backend` remembers an invalid OAuth token.
    pub invalid_for: Duration,
    /// How many tokens each cache (valid, invalid) holds at most: 10,000 by default. Past it,
    /// the oldest half is forgotten.
    pub capacity: usize,
    /// How many distinct tokens may be checked with the Backend API at the same moment: 256 by
    /// default. A token past it is refused with
    /// [`AuthError::TooManyVerifications`](super::AuthError::TooManyVerifications) rather than
    /// queued, so a flood of made-up tokens cannot hold memory or the API's rate limit.
    pub in_flight: usize,
}

impl Default for MachineCacheOptions {
    fn default() -> Self {
        MachineCacheOptions {
            valid_for: Duration::from_secs(60),
            invalid_for: Duration::from_secs(30),
            capacity: 10_000,
            in_flight: 256,
        }
    }
}

impl MachineCacheOptions {
    /// Sets [`valid_for`](Self::valid_for).
    #[must_use]
    pub fn valid_for(mut self, valid_for: Duration) -> Self {
        self.valid_for = valid_for;
        self
    }

    /// Sets [`invalid_for`](Self::invalid_for).
    #[must_use]
    pub fn invalid_for(mut self, invalid_for: Duration) -> Self {
        self.invalid_for = invalid_for;
        self
    }

    /// Sets [`capacity`](Self::capacity).
    #[must_use]
    pub fn capacity(mut self, capacity: usize) -> Self {
        self.capacity = capacity;
        self
    }

    /// Sets [`in_flight`](Self::in_flight).
    #[must_use]
    pub fn in_flight(mut self, in_flight: usize) -> Self {
        self.in_flight = in_flight;
        self
    }
}

/// How an [`Authenticator`](super::Authenticator) checks tokens.
#[derive(Clone)]
#[must_use]
pub struct AuthOptions {
    pub(crate) authorized_parties: Vec<String>,
    pub(crate) issuer: Option<String>,
    pub(crate) audience: Vec<String>,
    pub(crate) clock_skew: Duration,
    pub(crate) jwks_ttl: Duration,
    pub(crate) refresh_window: Duration,
    pub(crate) jwt_key: Option<String>,
    pub(crate) missing_azp_header: MissingAzp,
    pub(crate) missing_azp_cookie: MissingAzp,
    pub(crate) accept_pending: bool,
    pub(crate) machine_cache: MachineCacheOptions,
}

impl std::fmt::Debug for AuthOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthOptions")
            .field("authorized_parties", &self.authorized_parties)
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .field("clock_skew", &self.clock_skew)
            .field("jwks_ttl", &self.jwks_ttl)
            .field("refresh_window", &self.refresh_window)
            .field("jwt_key", &self.jwt_key.as_ref().map(|_| "(a PEM key)"))
            .field("missing_azp_header", &self.missing_azp_header)
            .field("missing_azp_cookie", &self.missing_azp_cookie)
            .field("accept_pending", &self.accept_pending)
            .field("machine_cache", &self.machine_cache)
            .finish()
    }
}

impl Default for AuthOptions {
    fn default() -> Self {
        AuthOptions {
            authorized_parties: Vec::new(),
            issuer: None,
            audience: Vec::new(),
            clock_skew: DEFAULT_CLOCK_SKEW,
            jwks_ttl: DEFAULT_JWKS_TTL,
            refresh_window: DEFAULT_REFRESH_WINDOW,
            jwt_key: None,
            missing_azp_header: MissingAzp::Accept,
            missing_azp_cookie: MissingAzp::Accept,
            accept_pending: false,
            machine_cache: MachineCacheOptions::default(),
        }
    }
}

impl AuthOptions {
    /// The defaults: no authorized parties, Clerk issuers, no audience, 5 s of clock skew, keys
    /// fetched and kept for 5 minutes, pending sessions refused, a missing `azp` accepted on
    /// either carrier, and [`MachineCacheOptions::default`].
    pub fn new() -> Self {
        AuthOptions::default()
    }

    /// The origins a session token's `azp` must be one of, such as `https://app.example.com`.
    /// A token whose `azp` is not among them is refused; one without `azp` is judged by
    /// [`missing_azp`](Self::missing_azp). Set them: without them, a token Clerk issued for
    /// another of the instance's origins is accepted.
    pub fn authorized_parties<I, S>(mut self, parties: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.authorized_parties = parties.into_iter().map(Into::into).collect();
        self
    }

    /// What to do with a session token without `azp`, by where the request carried it, while
    /// authorized parties are set. Both carriers [accept](MissingAzp::Accept) it by default:
    ///
    /// - **`Authorization` header.** Tokens the Backend API mints (`sessions.create_token`) and
    ///   tokens of native apps have no `azp`, and no browser attaches this header on its own,
    ///   so `azp` guards nothing there.
    /// - **`__session` cookie.** Clerk's Frontend API mints cookie tokens without `azp` on a
    ///   top-level navigation (clerk/javascript #9249); refusing them signed out thousands of
    ///   sessions a day at one company once `@clerk/backend` did (#8877). The token is still
    ///   signed by the instance and the cookie still scoped to the application's domain by the
    ///   browser. Choose [`MissingAzp::Refuse`] here for a stricter application whose pages
    ///   never navigate to it directly.
    pub fn missing_azp(mut self, carrier: Carrier, rule: MissingAzp) -> Self {
        match carrier {
            Carrier::Header => self.missing_azp_header = rule,
            Carrier::Cookie => self.missing_azp_cookie = rule,
        }
        self
    }

    /// Accepts pending sessions (`sts: "pending"`: signed in, with a task such as choosing an
    /// organization still to do). By default they are refused with
    /// [`AuthError::PendingSession`](super::AuthError::PendingSession), as `@clerk/backend`
    /// treats them as signed out (`treatPendingAsSignedOut`).
    pub fn accept_pending_sessions(mut self, accept: bool) -> Self {
        self.accept_pending = accept;
        self
    }

    /// The one issuer (`iss`) to accept, such as a custom Frontend API domain, instead of any
    /// Clerk Frontend API URL.
    pub fn issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuer = Some(issuer.into());
        self
    }

    /// The audiences an OAuth access token in JWT form must name one of in `aud`, such as the
    /// resource server's URL. Once any are given, a JWT access token without `aud` is refused
    /// too (`@clerk/backend` accepts it; this SDK fails closed).
    pub fn audience<I, S>(mut self, audience: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.audience = audience.into_iter().map(Into::into).collect();
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

    /// Verifies every JWT (session tokens, and M2M and OAuth tokens in JWT form) with this PEM
    /// public key (`-----BEGIN PUBLIC KEY-----`: the "JWT public key" of Clerk's dashboard,
    /// which Clerk's other SDKs read from `CLERK_JWT_KEY`), and never fetches keys. Opaque
    /// machine tokens still need the Backend API.
    pub fn jwt_key(mut self, pem: impl Into<String>) -> Self {
        self.jwt_key = Some(pem.into());
        self
    }

    /// How verified opaque machine tokens are remembered ([`MachineCacheOptions::default`]).
    pub fn machine_cache(mut self, cache: MachineCacheOptions) -> Self {
        self.machine_cache = cache;
        self
    }

    /// The rule for a missing `azp` on `carrier`.
    pub(crate) fn missing_azp_on(&self, carrier: Carrier) -> MissingAzp {
        match carrier {
            Carrier::Header => self.missing_azp_header,
            Carrier::Cookie => self.missing_azp_cookie,
        }
    }
}
