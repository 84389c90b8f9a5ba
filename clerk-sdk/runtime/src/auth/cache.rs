//! The instance's keys, fetched once and kept for a fixed time.
//!
//! Three rules, each the fix of a bug one of Clerk's SDKs has had:
//!
//! - **A fixed time to live.** Keys fetched at `t` are used until `t + ttl`, however often they
//!   are used: a hit never extends them (clerk-sdk-go's sliding expiry kept a removed key
//!   alive for as long as traffic came). Past it, the keys are fetched again before the next
//!   verification, and if that fails, nothing verifies: stale keys are never used.
//! - **At most one refresh per window for an unknown `kid`.** A token whose key is not in a
//!   fresh set refreshes it only when the set is older than the window, so tokens with made-up
//!   `kid`s cannot make the SDK fetch on each request.
//! - **Single flight.** Concurrent verifications that need keys wait for one fetch and share its
//!   outcome, success or failure.
//!
//! A cache belongs to one [`Authenticator`](super::Authenticator), and so to the client it was
//! made from: never to the process.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

use super::error::AuthError;
use super::keys::{Jwk, KeySet, PublicKey};

/// Where an [`Authenticator`](super::Authenticator) gets the instance's JSON Web Key Set. `Clerk`
/// fetches it from the Backend API's `GET /jwks` through its own client, so the client's
/// retries, timeouts, TLS settings and hooks apply; implement it to fetch from elsewhere.
pub trait FetchJwks: Send + Sync + 'static {
    /// Fetches the key set. The error is a message for [`AuthError::KeysUnavailable`]; it must
    /// not hold a credential.
    fn fetch_jwks(&self) -> Pin<Box<dyn Future<Output = Result<Vec<Jwk>, String>> + Send + '_>>;
}

/// What the cache holds.
#[derive(Default)]
struct State {
    keys: Arc<KeySet>,
    /// When the keys were fetched; `None` before the first fetch that succeeded.
    fetched_at: Option<Instant>,
    /// How many fetches have been tried, to tell a waiter that one finished while it waited.
    attempts: u64,
    /// Why the last fetch failed, if it did.
    last_error: Option<String>,
}

/// What a lookup in the cache found.
enum Lookup {
    Hit(Arc<PublicKey>),
    /// The keys are fresh, and too young to be refreshed for an unknown `kid`.
    Unknown,
    Fetch,
}

impl State {
    fn lookup(&self, kid: &str, now: Instant, ttl: Duration, refresh_after: Duration) -> Lookup {
        let Some(age) = self.fetched_at.map(|at| now.saturating_duration_since(at)) else {
            return Lookup::Fetch;
        };
        match self.keys.get(kid) {
            _ if age >= ttl => Lookup::Fetch,
            Some(key) => Lookup::Hit(key),
            None if age < refresh_after => Lookup::Unknown,
            None => Lookup::Fetch,
        }
    }
}

/// The keys of one instance, for one authenticator.
pub(crate) struct JwksCache {
    fetcher: Box<dyn FetchJwks>,
    ttl: Duration,
    refresh_after: Duration,
    state: RwLock<State>,
    /// Held by the one verification that fetches; the others wait on it.
    fetching: Mutex<()>,
}

impl JwksCache {
    pub(crate) fn new(fetcher: Box<dyn FetchJwks>, ttl: Duration, refresh_after: Duration) -> Self {
        JwksCache {
            fetcher,
            ttl,
            refresh_after,
            state: RwLock::default(),
            fetching: Mutex::new(()),
        }
    }

    fn lookup(&self, kid: &str) -> (Lookup, u64) {
        let state = self.state.read().unwrap_or_else(PoisonError::into_inner);
        let found = state.lookup(kid, Instant::now(), self.ttl, self.refresh_after);
        (found, state.attempts)
    }

    /// The key with id `kid`, fetching the set first when the rules above say so.
    pub(crate) async fn key(&self, kid: &str) -> Result<Arc<PublicKey>, AuthError> {
        let unknown = || AuthError::UnknownKeyId { kid: kid.to_owned() };
        let attempts = match self.lookup(kid) {
            (Lookup::Hit(key), _) => return Ok(key),
            (Lookup::Unknown, _) => return Err(unknown()),
            (Lookup::Fetch, attempts) => attempts,
        };
        let _turn = self.fetching.lock().await;
        {
            let state = self.state.read().unwrap_or_else(PoisonError::into_inner);
            if state.attempts != attempts {
                // A fetch finished while this verification waited: its outcome is this one's.
                if let Some(reason) = &state.last_error {
                    return Err(AuthError::KeysUnavailable { reason: reason.clone() });
                }
                // The keys were fetched after this verification found them lacking: fresh.
                return state.keys.get(kid).ok_or_else(unknown);
            }
        }
        let fetched = self.fetcher.fetch_jwks().await;
        let mut state = self.state.write().unwrap_or_else(PoisonError::into_inner);
        state.attempts += 1;
        match fetched {
            Ok(jwks) => {
                state.keys = Arc::new(KeySet::from_jwks(&jwks));
                state.fetched_at = Some(Instant::now());
                state.last_error = None;
                tracing::debug!(target: "clerk_sdk::auth", keys = state.keys.len(), "fetched the instance's keys");
                state.keys.get(kid).ok_or_else(unknown)
            }
            Err(reason) => {
                tracing::warn!(target: "clerk_sdk::auth", %reason, "the instance's keys could not be fetched");
                state.last_error = Some(reason.clone());
                Err(AuthError::KeysUnavailable { reason })
            }
        }
    }
}
