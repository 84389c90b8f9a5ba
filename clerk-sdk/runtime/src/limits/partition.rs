//! A partition: what the clients of one instance share. Its limiter admits each request, its
//! pause holds them all after a 429, and its retry bucket bounds the retries of all of them.
//! Clients find their partition in a process-wide registry, by the instance's identity.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError, Weak};
use std::time::Duration;

use tokio::time::Instant;
use zeroize::Zeroize;

use super::RateLimiting;
use super::gcra::Gcra;
use super::quota::{Bucket, RetryQuota};

/// What the clients of one instance share.
#[derive(Debug)]
pub(crate) struct Partition {
    /// The in-process limiter; with Redis, the one this process falls back to.
    limiter: Option<Limiter>,
    /// The limiter's state in Redis, shared by every process.
    #[cfg(feature = "redis")]
    redis: Option<super::RedisLimiter>,
    pub(crate) quota: Bucket,
}

/// The in-process limiter: GCRA over offsets from `origin`.
#[derive(Debug)]
struct Limiter {
    gcra: Gcra,
    origin: Instant,
    state: Mutex<LimiterState>,
}

#[derive(Debug, Default)]
struct LimiterState {
    /// The theoretical arrival time of the next request, from `origin`.
    tat: Duration,
    /// Until when a 429 paused every request, from `origin`.
    paused_until: Duration,
}

/// Why a request was not admitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct WouldWait(pub(crate) Duration);

impl Partition {
    /// A partition of its own, not in the registry: for a limiter `gcra` (none when off) and
    /// `quota`.
    pub(crate) fn new(gcra: Option<Gcra>, quota: RetryQuota) -> Partition {
        Partition {
            limiter: gcra.map(Limiter::new),
            #[cfg(feature = "redis")]
            redis: None,
            quota: Bucket::new(quota),
        }
    }

    /// A partition whose limiter keeps its state in Redis, falling back to `fallback` in this
    /// process while Redis cannot be reached.
    #[cfg(feature = "redis")]
    pub(crate) fn with_redis(redis: super::RedisLimiter, fallback: Gcra, quota: RetryQuota) -> Partition {
        Partition {
            limiter: Some(Limiter::new(fallback)),
            redis: Some(redis),
            quota: Bucket::new(quota),
        }
    }

    /// The partition of `identity` in this process: the one a live client of the same
    /// identity holds, or a new one.
    pub(crate) fn shared(identity: Identity, make: impl FnOnce(&Identity) -> Partition) -> Arc<Partition> {
        static REGISTRY: OnceLock<Mutex<HashMap<Identity, Weak<Partition>>>> = OnceLock::new();
        let mut registry = REGISTRY
            .get_or_init(Mutex::default)
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(partition) = registry.get(&identity).and_then(Weak::upgrade) {
            return partition;
        }
        // Forget the partitions no client holds any more, so the registry stays as small as
        // the set of live instances.
        registry.retain(|_, partition| partition.strong_count() > 0);
        let partition = Arc::new(make(&identity));
        registry.insert(identity, Arc::downgrade(&partition));
        partition
    }

    /// Waits until the limiter admits a request, and says how long that took. A request that
    /// would have to wait past `deadline` is refused at once, with the wait, and takes no
    /// place.
    pub(crate) async fn admit(&self, deadline: Option<Instant>) -> Result<Duration, WouldWait> {
        #[cfg(feature = "redis")]
        if let Some(redis) = self.redis.as_ref().filter(|redis| redis.is_up()) {
            // A Redis that fails is logged, and this request goes by the fallback.
            if let Ok(reserved) = redis.reserve(deadline).await {
                let wait = reserved?;
                if !wait.is_zero() {
                    tokio::time::sleep(wait).await;
                }
                return Ok(wait);
            }
        }
        let Some(limiter) = &self.limiter else {
            return Ok(Duration::ZERO);
        };
        let asked = Instant::now();
        let go = limiter.reserve(asked, deadline)?;
        // A 429 may pause the partition while this request waits for its place: it then waits
        // for the pause too.
        let mut until = go;
        while until > Instant::now() {
            tokio::time::sleep_until(until).await;
            until = limiter.paused_until();
        }
        Ok(Instant::now().saturating_duration_since(asked))
    }

    /// Holds every request of the partition until `until`: the instance answered 429. With
    /// Redis, every process's requests.
    pub(crate) async fn pause(&self, until: Instant) {
        #[cfg(feature = "redis")]
        if let Some(redis) = self.redis.as_ref().filter(|redis| redis.is_up()) {
            // A Redis that fails is logged; the pause still holds this process.
            let _ = redis.pause(until.saturating_duration_since(Instant::now())).await;
        }
        if let Some(limiter) = &self.limiter {
            let offset = until.saturating_duration_since(limiter.origin);
            let mut state = limiter.lock();
            state.paused_until = state.paused_until.max(offset);
        }
    }

    /// Whether requests go through a limiter.
    pub(crate) fn is_limited(&self) -> bool {
        self.limiter.is_some()
    }
}

impl Limiter {
    fn new(gcra: Gcra) -> Limiter {
        Limiter {
            gcra,
            origin: Instant::now(),
            state: Mutex::default(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, LimiterState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Reserves the next place for a request that asks at `now`: when it may go.
    fn reserve(&self, now: Instant, deadline: Option<Instant>) -> Result<Instant, WouldWait> {
        let offset = now.saturating_duration_since(self.origin);
        let mut state = self.lock();
        let reservation = self.gcra.reserve(state.tat, offset, state.paused_until);
        let go = self.origin + reservation.go;
        if deadline.is_some_and(|deadline| go > deadline) {
            return Err(WouldWait(go.saturating_duration_since(now)));
        }
        state.tat = reservation.tat;
        Ok(go)
    }

    /// Until when the partition is paused (a time past, when it is not).
    fn paused_until(&self) -> Instant {
        self.origin + self.lock().paused_until
    }
}

/// What a client's settings make of its partition, before it knows its identity.
pub(crate) struct Plan {
    gcra: Option<Gcra>,
    isolated: bool,
    quota: RetryQuota,
    /// The Redis store and the limiter to fall back to without it.
    #[cfg(feature = "redis")]
    redis: Option<(super::RedisStore, Gcra)>,
}

impl Plan {
    /// The plan of a client with `limiting` and `quota` whose secret key is `secret_key`, or
    /// why those settings cannot work.
    pub(crate) fn new(limiting: &RateLimiting, secret_key: Option<&str>, quota: RetryQuota) -> Result<Plan, String> {
        Ok(Plan {
            gcra: limiting.resolve(secret_key)?,
            isolated: limiting.is_isolated(),
            quota,
            #[cfg(feature = "redis")]
            redis: limiting.fallback(secret_key)?,
        })
    }

    /// The partition of the instance at `server_url` reached with `secrets`: the one other
    /// clients of the same server, credentials and settings in the process share, or one of
    /// its own when isolated. With Redis, processes share its state there either way.
    pub(crate) fn partition<'a>(self, server_url: &str, secrets: impl Iterator<Item = &'a [u8]>) -> Arc<Partition> {
        #[cfg(feature = "redis")]
        let store = self.redis.as_ref().map(|(store, _)| store.describe());
        #[cfg(not(feature = "redis"))]
        let store: Option<String> = None;
        let settings = format!("{:?} {:?} {store:?}", self.gcra, self.quota);
        let mut parts: Vec<&[u8]> = vec![server_url.as_bytes(), settings.as_bytes()];
        for secret in secrets {
            parts.push(secret);
        }
        let identity = Identity::of(parts);
        if self.isolated {
            return Arc::new(self.make(&identity));
        }
        Partition::shared(identity, |identity| self.make(identity))
    }

    /// The partition itself: with a Redis store, its limiter keeps its state there, under
    /// keys named after `identity`'s digest.
    fn make(self, identity: &Identity) -> Partition {
        #[cfg(feature = "redis")]
        if let (Some(gcra), Some((store, fallback))) = (self.gcra, self.redis) {
            let redis = super::RedisLimiter::new(store, gcra, &identity.digest());
            return Partition::with_redis(redis, fallback, self.quota);
        }
        let _ = identity;
        Partition::new(self.gcra, self.quota)
    }
}

/// Who an instance is, for finding its partition: the server URL, every credential sent, and
/// the limiter's and quota's settings, so that clients share a partition exactly when they
/// talk to the same instance the same way. It holds the credentials, so it is never printed,
/// and is wiped when dropped.
#[derive(PartialEq, Eq, Hash)]
pub(crate) struct Identity(Vec<u8>);

impl Identity {
    /// A keyed hash of the identity, in hex: HMAC-SHA256 keyed by the identity (server URL,
    /// settings and credentials) over a fixed label, cut to 128 bits. It names the partition's
    /// keys in Redis, which never see a credential, and is the same in every process.
    #[cfg(feature = "redis")]
    pub(crate) fn digest(&self) -> String {
        use hmac::Mac as _;
        // HMAC takes a key of any length, so this never fails.
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(b"clerk-sdk rate-limit partition");
        let tag = mac.finalize().into_bytes();
        tag.iter().take(16).map(|byte| format!("{byte:02x}")).collect()
    }

    /// The identity of `parts`, in order; each part is ended by a NUL so that no two lists of
    /// parts run together into one.
    pub(crate) fn of<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> Identity {
        let mut bytes = Vec::new();
        for part in parts {
            bytes.extend_from_slice(part);
            bytes.push(0);
        }
        Identity(bytes)
    }
}

impl Drop for Identity {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Identity([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limited(allowed: u32, burst: u32) -> Partition {
        Partition::new(
            Some(Gcra::new(allowed, burst, Duration::from_secs(10))),
            RetryQuota::default(),
        )
    }

    #[tokio::test(start_paused = true)]
    async fn a_burst_goes_at_once_and_the_rest_wait_their_turn() {
        let partition = limited(10, 2);
        let started = Instant::now();
        assert_eq!(partition.admit(None).await, Ok(Duration::ZERO));
        assert_eq!(partition.admit(None).await, Ok(Duration::ZERO));
        let waited = partition.admit(None).await.expect("admitted");
        assert_eq!(waited, Duration::from_millis(1_250));

        assert_eq!(started.elapsed(), waited);
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_that_would_wait_past_its_deadline_is_refused_at_once_and_takes_no_place() {
        let partition = limited(10, 1);
        partition.admit(None).await.expect("admitted");
        let deadline = Instant::now() + Duration::from_millis(500);
        let started = Instant::now();
        let refused = partition.admit(Some(deadline)).await;
        let interval = Duration::from_nanos(10_000_000_000u64.div_ceil(9));
        assert_eq!(refused, Err(WouldWait(interval)));
        assert_eq!(started.elapsed(), Duration::ZERO);
        // The refused request took no place: the next one waits as long as it would have.
        let next = partition.admit(None).await.expect("admitted");
        // tokio's timers have millisecond resolution.
        assert!(
            next >= interval && next < interval + Duration::from_millis(1),
            "{next:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_pause_holds_requests_already_waiting_for_their_place() {
        let partition = Arc::new(limited(10, 1));
        partition.admit(None).await.expect("admitted");
        let waiting = tokio::spawn({
            let partition = partition.clone();
            async move { partition.admit(None).await }
        });
        tokio::task::yield_now().await;
        partition.pause(Instant::now() + Duration::from_secs(30)).await;
        assert_eq!(waiting.await.expect("joins"), Ok(Duration::from_secs(30)));
    }

    #[tokio::test]
    async fn without_a_limiter_nothing_waits() {
        let partition = Partition::new(None, RetryQuota::default());
        partition.pause(Instant::now() + Duration::from_secs(3_600)).await;
        for _ in 0..1_000 {
            assert_eq!(partition.admit(None).await, Ok(Duration::ZERO));
        }
        assert!(!partition.is_limited());
    }

    #[test]
    fn clients_of_one_identity_share_a_partition_while_one_lives() {
        let identity = || Identity::of([b"https://api.example.com".as_slice(), b"sk_test_partition_one"]);
        let first = Partition::shared(identity(), |_| limited(10, 1));
        let second = Partition::shared(identity(), |_| limited(10, 1));
        assert!(Arc::ptr_eq(&first, &second));
        let other = Partition::shared(
            Identity::of([b"https://api.example.com".as_slice(), b"sk_test_partition_two"]),
            |_| limited(10, 1),
        );
        assert!(!Arc::ptr_eq(&first, &other));
        let weak = Arc::downgrade(&first);
        drop((first, second));
        assert!(weak.upgrade().is_none(), "the registry holds no partition alive");
    }

    #[test]
    fn identities_of_different_parts_differ_and_never_print_their_credentials() {
        assert!(Identity::of([b"ab".as_slice(), b"c"]) != Identity::of([b"a".as_slice(), b"bc"]));
        let identity = Identity::of([b"sk_live_secret".as_slice()]);
        assert_eq!(format!("{identity:?}"), "Identity([redacted])");
    }
}
