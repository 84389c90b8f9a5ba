//! What the Backend API said about opaque machine tokens, remembered: each token is asked about
//! once however many requests carry it at the same moment (single flight), a valid answer is
//! kept until the token expires or for [`valid_for`](super::super::MachineCacheOptions::valid_for),
//! whichever comes first, and an invalid one for
//! [`invalid_for`](super::super::MachineCacheOptions::invalid_for).
//!
//! Nothing here is keyed by the token: every key is HMAC-SHA256 of it under a key made at
//! random for this cache, so the token is not kept in memory past its request, and a client
//! cannot choose which keys collide. Every map is bounded.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use ring::hmac;
use tokio::sync::OnceCell;
use tokio::time::Instant;

use super::MachineClaims;
use crate::auth::AuthError;
use crate::auth::options::MachineCacheOptions;

/// HMAC-SHA256 of a token under the cache's key.
pub(crate) type TokenKey = [u8; 32];

/// A map of at most `capacity` entries that forgets its oldest half when full: two
/// generations, the young one taking inserts and replacing the old one when it reaches half
/// the capacity.
///
/// Written here rather than taken from an LRU crate: that would be a crate more in the `auth`
/// build for what is twenty lines, and this cache needs no recency order (an entry expires by
/// time anyway), only a bound that a flood of distinct keys cannot pass.
struct Bounded<V> {
    young: HashMap<TokenKey, V>,
    old: HashMap<TokenKey, V>,
    half: usize,
}

impl<V: Clone> Bounded<V> {
    fn new(capacity: usize) -> Self {
        Bounded {
            young: HashMap::new(),
            old: HashMap::new(),
            half: (capacity / 2).max(1),
        }
    }

    fn get(&self, key: &TokenKey) -> Option<&V> {
        self.young.get(key).or_else(|| self.old.get(key))
    }

    fn insert(&mut self, key: TokenKey, value: V) {
        self.old.remove(&key);
        if self.young.len() >= self.half && !self.young.contains_key(&key) {
            self.old = std::mem::take(&mut self.young);
        }
        self.young.insert(key, value);
    }

    fn remove(&mut self, key: &TokenKey) {
        self.young.remove(key);
        self.old.remove(key);
    }

    fn len(&self) -> usize {
        self.young.len() + self.old.len()
    }
}

/// A remembered answer and when it stops counting.
#[derive(Clone)]
struct Remembered {
    outcome: Result<MachineClaims, AuthError>,
    until: Instant,
}

/// How many entries the caches hold: for monitoring, and to show they stay bounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct MachineCacheStats {
    /// Valid tokens remembered.
    pub valid: usize,
    /// Invalid tokens remembered.
    pub invalid: usize,
    /// Tokens being verified with the Backend API now.
    pub in_flight: usize,
    /// Verifications sent to the Backend API since the authenticator was made.
    pub api_calls: u64,
}

/// The verification shared by the requests that carry one token at the same moment.
type Flight = Arc<OnceCell<Result<MachineClaims, AuthError>>>;

struct State {
    valid: Bounded<Remembered>,
    invalid: Bounded<Remembered>,
    in_flight: HashMap<TokenKey, Flight>,
    api_calls: u64,
}

/// The answers of one authenticator's machine-token verifications.
pub(crate) struct MachineCache {
    key: hmac::Key,
    options: MachineCacheOptions,
    state: Mutex<State>,
}

impl MachineCache {
    /// An empty cache with a key made at random.
    pub(crate) fn new(options: MachineCacheOptions) -> Result<Self, AuthError> {
        let rng = ring::rand::SystemRandom::new();
        let key = hmac::Key::generate(hmac::HMAC_SHA256, &rng).map_err(|_| AuthError::InvalidKey {
            reason: "the system's random number generator failed".to_owned(),
        })?;
        Ok(MachineCache {
            key,
            options,
            state: Mutex::new(State {
                valid: Bounded::new(options.capacity),
                invalid: Bounded::new(options.capacity),
                in_flight: HashMap::new(),
                api_calls: 0,
            }),
        })
    }

    /// The key `token` is remembered by.
    pub(crate) fn key_of(&self, token: &str) -> TokenKey {
        let tag = hmac::sign(&self.key, token.as_bytes());
        let mut key = [0; 32];
        key.copy_from_slice(tag.as_ref());
        key
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The remembered outcome for `key`, if it still counts at `now`.
    fn remembered(state: &State, key: &TokenKey, now: Instant) -> Option<Result<MachineClaims, AuthError>> {
        let found = state.valid.get(key).or_else(|| state.invalid.get(key))?;
        (now < found.until).then(|| found.outcome.clone())
    }

    /// The outcome for the token of `key`: remembered, or shared with the verification
    /// already under way for it, or from `verify`, run once for every request that asks now.
    /// `valid_until` says how long a valid outcome may be kept, from the claims.
    pub(crate) async fn get_or_verify<F>(
        &self,
        key: TokenKey,
        valid_until: impl Fn(&MachineClaims) -> Option<Instant>,
        verify: impl FnOnce() -> F,
    ) -> Result<MachineClaims, AuthError>
    where
        F: Future<Output = Result<MachineClaims, AuthError>>,
    {
        let flight = {
            let mut state = self.lock();
            if let Some(outcome) = Self::remembered(&state, &key, Instant::now()) {
                return outcome;
            }
            match state.in_flight.get(&key) {
                Some(flight) => flight.clone(),
                None if state.in_flight.len() >= self.options.in_flight => {
                    return Err(AuthError::TooManyVerifications {
                        limit: self.options.in_flight,
                    });
                }
                None => {
                    let flight = Flight::default();
                    state.in_flight.insert(key, flight.clone());
                    flight
                }
            }
        };
        let outcome = flight
            .get_or_init(|| async {
                self.lock().api_calls += 1;
                let outcome = verify().await;
                self.remember(key, &outcome, &valid_until);
                outcome
            })
            .await
            .clone();
        let mut state = self.lock();
        if state
            .in_flight
            .get(&key)
            .is_some_and(|current| Arc::ptr_eq(current, &flight))
        {
            state.in_flight.remove(&key);
        }
        outcome
    }

    /// Keeps `outcome` for the time its kind is kept; an answer that said nothing about the
    /// token (the API unavailable, too many verifications) is not kept.
    fn remember(
        &self,
        key: TokenKey,
        outcome: &Result<MachineClaims, AuthError>,
        valid_until: &impl Fn(&MachineClaims) -> Option<Instant>,
    ) {
        let now = Instant::now();
        let mut state = self.lock();
        match outcome {
            Ok(claims) => {
                let until = capped(now, self.options.valid_for, valid_until(claims));
                let remembered = Remembered {
                    outcome: outcome.clone(),
                    until,
                };
                state.invalid.remove(&key);
                state.valid.insert(key, remembered);
            }
            Err(error) if error.is_about_the_token() => {
                let remembered = Remembered {
                    outcome: outcome.clone(),
                    until: now + self.options.invalid_for,
                };
                state.valid.remove(&key);
                state.invalid.insert(key, remembered);
            }
            Err(_) => {}
        }
    }

    /// How many entries each map holds now.
    pub(crate) fn stats(&self) -> MachineCacheStats {
        let state = self.lock();
        MachineCacheStats {
            valid: state.valid.len(),
            invalid: state.invalid.len(),
            in_flight: state.in_flight.len(),
            api_calls: state.api_calls,
        }
    }
}

/// `now + for_at_most`, or `expires` if that is sooner.
fn capped(now: Instant, for_at_most: Duration, expires: Option<Instant>) -> Instant {
    let longest = now + for_at_most;
    expires.map_or(longest, |expires| expires.min(longest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bounded_map_never_holds_more_than_its_capacity() {
        let mut map = Bounded::new(100);
        for n in 0..10_000u32 {
            let mut key = [0; 32];
            key[..4].copy_from_slice(&n.to_le_bytes());
            map.insert(key, n);
            assert!(map.len() <= 100, "{} entries after {n}", map.len());
        }
        // The newest entries are kept, the oldest forgotten.
        let key_of = |n: u32| {
            let mut key = [0; 32];
            key[..4].copy_from_slice(&n.to_le_bytes());
            key
        };
        assert_eq!(map.get(&key_of(9_999)), Some(&9_999));
        assert_eq!(map.get(&key_of(0)), None);
        // Inserting a key again replaces it, without counting twice.
        map.insert(key_of(9_999), 1);
        assert_eq!(map.get(&key_of(9_999)), Some(&1));
        assert!(map.len() <= 100);
    }

    #[test]
    fn keys_are_keyed_hashes_that_differ_between_caches() {
        let one = MachineCache::new(MachineCacheOptions::default()).expect("a cache");
        let two = MachineCache::new(MachineCacheOptions::default()).expect("a cache");
        assert_eq!(one.key_of("ak_1"), one.key_of("ak_1"));
        assert_ne!(one.key_of("ak_1"), one.key_of("ak_2"));
        assert_ne!(one.key_of("ak_1"), two.key_of("ak_1"));
    }

    #[test]
    fn a_valid_answer_is_kept_until_the_token_expires_if_that_is_sooner() {
        let now = Instant::now();
        let minute = Duration::from_secs(60);
        assert_eq!(capped(now, minute, None), now + minute);
        assert_eq!(
            capped(now, minute, Some(now + Duration::from_secs(5))),
            now + Duration::from_secs(5)
        );
        assert_eq!(capped(now, minute, Some(now + 2 * minute)), now + minute);
    }
}
