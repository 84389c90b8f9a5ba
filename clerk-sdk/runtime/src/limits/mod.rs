//! Staying under Clerk's rate limits: a limiter per instance, a retry quota, and deadlines.
//!
//! Clerk limits the Backend API per instance, that is per secret key: 100 requests per 10 s for
//! a development instance (`sk_test_…`) and 1,000 per 10 s for a production one (`sk_live_…`),
//! answering 429 with `Retry-After` past them. A concurrent server reaches 100 requests in well
//! under a second, so every client has, by default:
//!
//! - **A limiter per instance.** Every client of the same instance in the process (clones, and
//!   clients built separately with the same key and server) shares one limiter, which admits
//!   at most 90 % of the instance's limit in any window, 10 % of that at once: 90 per 10 s and
//!   bursts of 9 for a development key, 900 per 10 s and bursts of 90 for a production key.
//!   A request waits for its turn instead of failing, in the order requests asked; one whose
//!   deadline would pass while it waits fails at once with
//!   [`SdkError::RateLimited`](crate::SdkError::RateLimited). A 429 pauses every request of
//!   the instance for its `Retry-After` (capped as retries are), not only the one that got it.
//! - **A retry quota per instance** ([`RetryQuota`]): retries draw from a bucket that
//!   successes refill, so when most calls fail, retries stop instead of multiplying the load
//!   on a struggling API.
//!
//! ```
//! use std::time::Duration;
//! use clerk_sdk::limits::{RateLimit, RateLimiting, RetryQuota};
//!
//! # fn run() -> Result<(), clerk_sdk::Error> {
//! let clerk = clerk_sdk::Clerk::builder()
//!     .bearer_auth("sk_live_...")
//!     // A limit Clerk raised for this instance, 80 % of it used.
//!     .rate_limit(RateLimiting::limit(RateLimit::new(5_000, Duration::from_secs(10))).percent_of_limit(80))
//!     .retry_quota(RetryQuota::default().capacity(200))
//!     .build()?;
//! # let _ = clerk; Ok(()) }
//! ```
//!
//! **Across processes** (the `redis` feature): an application deployed as several replicas
//! shares one instance's limit, which limiters in each process would each use in full.
//! `RateLimiting::redis` keeps the limiter's state in Redis instead, shared by them all; see
//! `RedisStore` for the fallback while Redis cannot be reached.
//!
//! An API whose credential is not a Clerk secret key (the Frontend API's, say) has no limiter
//! unless one is [given](RateLimiting::limit); `/jwks`, which Clerk does not limit, goes
//! through the limiter like any call, as its keys are fetched once per few minutes.

mod gcra;
pub(crate) mod partition;
mod quota;
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
mod redis;

use std::time::Duration;

pub(crate) use gcra::Gcra;
pub(crate) use quota::RetryCause;
pub use quota::RetryQuota;
#[cfg(feature = "redis")]
pub(crate) use redis::RedisLimiter;
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use redis::RedisStore;

/// The instant a call's [deadline](crate::Call::deadline) is given in: tokio's, which follows
/// tokio's paused clock in tests (`#[tokio::test(start_paused = true)]`), as the limiter and
/// the retries do.
pub use tokio::time::Instant;

/// An instance's rate limit, as Clerk states it: `requests` per `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RateLimit {
    requests: u32,
    window: Duration,
}

impl RateLimit {
    /// A development instance's limit (secret keys `sk_test_…`): 100 requests per 10 s.
    pub const DEVELOPMENT: RateLimit = RateLimit::new(100, Duration::from_secs(10));
    /// A production instance's limit (secret keys `sk_live_…`): 1,000 requests per 10 s.
    pub const PRODUCTION: RateLimit = RateLimit::new(1_000, Duration::from_secs(10));

    /// `requests` per `window`. Both must be more than zero, which building the client checks.
    pub const fn new(requests: u32, window: Duration) -> RateLimit {
        RateLimit { requests, window }
    }

    /// The requests allowed per window.
    pub fn requests(&self) -> u32 {
        self.requests
    }

    /// The window.
    pub fn window(&self) -> Duration {
        self.window
    }
}

/// Which limit a client keeps under, set with
/// [`ClientBuilder::rate_limit`](crate::ClientBuilder::rate_limit) (a generated crate's
/// `ClerkBuilder::rate_limit`). See the [module docs](self).
#[derive(Debug, Clone)]
#[must_use]
pub struct RateLimiting {
    limit: Limit,
    percent: u8,
    isolated: bool,
    #[cfg(feature = "redis")]
    store: Option<RedisStore>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Limit {
    /// The limit of the instance the secret key is of, or none for another credential.
    ForKey,
    Fixed(RateLimit),
    Off,
}

impl Default for RateLimiting {
    /// [`RateLimiting::for_key`].
    fn default() -> Self {
        RateLimiting::for_key()
    }
}

impl RateLimiting {
    /// The limit of the instance the client's secret key belongs to: [`RateLimit::DEVELOPMENT`]
    /// for `sk_test_…`, [`RateLimit::PRODUCTION`] for `sk_live_…`, and no limiter for any other
    /// credential. The default.
    pub fn for_key() -> Self {
        RateLimiting {
            limit: Limit::ForKey,
            percent: 90,
            isolated: false,
            #[cfg(feature = "redis")]
            store: None,
        }
    }

    /// Keep under `limit`, whatever the key.
    pub fn limit(limit: RateLimit) -> Self {
        RateLimiting {
            limit: Limit::Fixed(limit),
            ..RateLimiting::for_key()
        }
    }

    /// No limiter: every request goes at once, and a 429 delays only the call that got it
    /// (its own retry honours `Retry-After`). The retry quota still applies.
    pub fn off() -> Self {
        RateLimiting {
            limit: Limit::Off,
            ..RateLimiting::for_key()
        }
    }

    /// How much of the limit to use, from 1 to 100 %: 90 by default, which leaves room for a
    /// clock that runs apart from Clerk's and for other programs on the same key. Building the
    /// client refuses 0 and anything over 100.
    pub fn percent_of_limit(mut self, percent: u8) -> Self {
        self.percent = percent;
        self
    }

    /// A limiter of this client's own (its clones share it), not the one other clients of the
    /// same instance in the process share. Each isolated client then keeps under the whole
    /// limit alone: use it when the clients' traffic is split some other way.
    pub fn isolated(mut self) -> Self {
        self.isolated = true;
        self
    }

    /// Keeps the limiter's state in `store`, a Redis server every process of the application
    /// shares, so that together they keep under the instance's one limit (the `redis`
    /// feature). See [`RedisStore`] for what happens when it cannot be reached.
    #[cfg(feature = "redis")]
    #[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
    pub fn redis(mut self, store: RedisStore) -> Self {
        self.store = Some(store);
        self
    }

    /// The limit a client whose secret key is `secret_key` (if it has one) keeps under: `None`
    /// when off, or an error that says why the settings are wrong.
    fn limit_for(&self, secret_key: Option<&str>) -> Result<Option<RateLimit>, String> {
        let limit = match self.limit {
            Limit::Off => return Ok(None),
            Limit::Fixed(limit) => limit,
            Limit::ForKey => match secret_key {
                Some(key) if key.starts_with("sk_test_") => RateLimit::DEVELOPMENT,
                Some(key) if key.starts_with("sk_live_") => RateLimit::PRODUCTION,
                _ => return Ok(None),
            },
        };
        if limit.requests == 0 || limit.window.is_zero() {
            return Err(format!(
                "a rate limit needs requests and a window above zero (got {} per {:?})",
                limit.requests, limit.window
            ));
        }
        Ok(Some(limit))
    }

    /// The limiter for a client whose secret key is `secret_key` (if it has one): `None` when
    /// off, or an error that says why the settings are wrong.
    pub(crate) fn resolve(&self, secret_key: Option<&str>) -> Result<Option<Gcra>, String> {
        let Some(limit) = self.limit_for(secret_key)? else {
            return Ok(None);
        };
        share(limit, self.percent, "percent_of_limit").map(Some)
    }

    /// With a Redis store: the store, and the limiter each process falls back to while Redis
    /// cannot be reached.
    #[cfg(feature = "redis")]
    pub(crate) fn fallback(&self, secret_key: Option<&str>) -> Result<Option<(RedisStore, Gcra)>, String> {
        let (Some(store), Some(limit)) = (&self.store, self.limit_for(secret_key)?) else {
            return Ok(None);
        };
        let gcra = share(limit, store.fallback(), "fallback_percent")?;
        Ok(Some((store.clone(), gcra)))
    }

    /// Whether the client keeps a limiter of its own.
    pub(crate) fn is_isolated(&self) -> bool {
        self.isolated
    }
}

/// The GCRA that admits `percent` of `limit` in any window, a tenth of that at once.
fn share(limit: RateLimit, percent: u8, setting: &str) -> Result<Gcra, String> {
    if !(1..=100).contains(&percent) {
        return Err(format!("{setting} must be 1 to 100 (got {percent})"));
    }
    let allowed = (u64::from(limit.requests) * u64::from(percent) / 100).max(1);
    let allowed = u32::try_from(allowed).unwrap_or(u32::MAX);
    Ok(Gcra::new(allowed, (allowed / 10).max(1), limit.window))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_chooses_the_limit_with_ten_percent_of_headroom_and_bursts_of_a_tenth() {
        let settings = RateLimiting::default();
        let development = settings.resolve(Some("sk_test_abc")).expect("valid").expect("on");
        assert_eq!(development, Gcra::new(90, 9, Duration::from_secs(10)));
        let production = settings.resolve(Some("sk_live_abc")).expect("valid").expect("on");
        assert_eq!(production, Gcra::new(900, 90, Duration::from_secs(10)));
        assert_eq!(settings.resolve(Some("dvb_frontend_token")), Ok(None));
        assert_eq!(settings.resolve(None), Ok(None));
    }

    #[test]
    fn a_fixed_limit_applies_whatever_the_key_and_off_is_off() {
        let fixed = RateLimiting::limit(RateLimit::new(20, Duration::from_secs(1))).percent_of_limit(100);
        assert_eq!(fixed.resolve(None), Ok(Some(Gcra::new(20, 2, Duration::from_secs(1)))));
        assert_eq!(RateLimiting::off().resolve(Some("sk_live_abc")), Ok(None));
    }

    #[test]
    fn settings_that_cannot_work_are_refused_with_the_reason() {
        let zero = RateLimiting::limit(RateLimit::new(0, Duration::from_secs(1)));
        assert!(zero.resolve(None).expect_err("refused").contains("above zero"));
        let empty_window = RateLimiting::limit(RateLimit::new(5, Duration::ZERO));
        assert!(empty_window.resolve(None).is_err());
        for percent in [0, 101, 255] {
            let settings = RateLimiting::for_key().percent_of_limit(percent);
            assert!(
                settings
                    .resolve(Some("sk_test_x"))
                    .expect_err("refused")
                    .contains("1 to 100")
            );
        }
    }

    #[test]
    fn a_limit_of_one_still_admits_one_per_window() {
        let one = RateLimiting::limit(RateLimit::new(1, Duration::from_secs(1)));
        assert_eq!(one.resolve(None), Ok(Some(Gcra::new(1, 1, Duration::from_secs(1)))));
    }
}
