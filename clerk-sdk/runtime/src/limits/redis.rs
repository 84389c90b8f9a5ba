//! The limiter's state in Redis (the `redis` feature), so that every process of an application
//! keeps under its instance's one limit together.
//!
//! Each admission is one Lua script, run atomically by Redis: the same reservation GCRA as
//! the in-process limiter (`gcra.rs`), on Redis's own clock (`TIME`), so the replicas' clocks
//! need not agree. A 429's pause is a second key the script honours. Keys are named after a
//! keyed hash (HMAC-SHA256) of the instance's identity, never the secret key, and expire by
//! themselves once the limiter is idle.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use tokio::time::Instant;

use super::gcra::Gcra;
use super::partition::WouldWait;

/// Reserves the next place: `KEYS` the theoretical arrival time and the pause, `ARGV` the
/// interval, the tolerance and the longest wait allowed (negative for none), in microseconds.
/// Answers `{admitted, wait}`: a request that would wait too long takes no place.
const RESERVE: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local max_wait = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
local go = math.max(now, tat - tolerance, paused)
local wait = go - now
if max_wait >= 0 and wait > max_wait then
  return {0, wait}
end
local next_tat = math.max(tat, go) + interval
redis.call('SET', KEYS[1], string.format('%d', next_tat), 'PX', math.floor((next_tat - now) / 1000) + 1000)
return {1, wait}
";

/// Pauses the partition for `ARGV[1]` microseconds from Redis's now, unless it is paused
/// longer already.
const PAUSE: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local pause = tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if now + pause > current then
  redis.call('SET', KEYS[1], string.format('%d', now + pause), 'PX', math.floor(pause / 1000) + 1000)
end
return 1
";

/// How long Redis is left alone after it failed, before the limiter asks it again.
const RETRY_REDIS_AFTER: Duration = Duration::from_secs(1);

/// How long connecting to Redis, and each answer, may take before the limiter falls back.
const REDIS_TIMEOUT: Duration = Duration::from_millis(250);

/// A Redis server that the rate limiters of every process using it keep their state in, set
/// with [`RateLimiting::redis`](super::RateLimiting::redis).
///
/// When Redis cannot be reached (or does not answer within 250 ms), each process falls back to
/// a limiter of its own at [`fallback_percent`](Self::fallback_percent) of the instance's limit
/// (10 % by default), logs a `warn` once, and asks Redis again a second later; once Redis
/// answers, admissions are decided there again (and an `info` says so). It never panics, and
/// the client is never unlimited.
///
/// What the processes send together, as a share of the limit: `percent_of_limit` while all use
/// Redis; N × `fallback_percent` while N are on their fallbacks; and while some are back on
/// Redis and others not yet (up to a second after Redis returns), `percent_of_limit` plus the
/// fallbacks' shares. Choose the two so that this stays at 100 or under for the number of
/// replicas: with the defaults (90 and 10), ten replicas on their fallbacks, or one on its
/// fallback beside the others on Redis. A Redis that restarts empty forgets the last window,
/// so leave some room there too.
///
/// ```no_run
/// use clerk_sdk::limits::{RateLimiting, RedisStore};
///
/// # fn run() -> Result<(), Box<dyn std::error::Error>> {
/// // Four replicas: 80 % through Redis, 5 % each on its own.
/// let store = RedisStore::open("redis://redis.internal:6379/0")?.fallback_percent(5);
/// let clerk = clerk_sdk::Clerk::builder()
///     .bearer_auth("sk_live_...")
///     .rate_limit(RateLimiting::for_key().percent_of_limit(80).redis(store))
///     .build()?;
/// # let _ = clerk; Ok(()) }
/// ```
#[derive(Clone)]
pub struct RedisStore {
    client: redis::Client,
    fallback_percent: u8,
}

impl std::fmt::Debug for RedisStore {
    /// The server's address and database, never its password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let info = self.client.get_connection_info();
        f.debug_struct("RedisStore")
            .field("server", &info.addr.to_string())
            .field("db", &info.redis.db)
            .field("fallback_percent", &self.fallback_percent)
            .finish()
    }
}

impl RedisStore {
    /// The Redis server at `url` (`redis://host:port/db`, `rediss://` for TLS where the
    /// `redis` crate's TLS is on, or `redis+unix:///path`). Nothing is connected until the
    /// first request.
    ///
    /// # Errors
    ///
    /// The reason `url` is not a Redis URL (it never contains the password).
    pub fn open(url: &str) -> Result<RedisStore, String> {
        let client = redis::Client::open(url).map_err(|error| format!("not a Redis URL: {}", kind_text(&error)))?;
        Ok(RedisStore {
            client,
            fallback_percent: 10,
        })
    }

    /// How much of the instance's limit each process uses on its own while Redis cannot be
    /// reached: 1 to 100 (building the client refuses anything else). Set it to about
    /// 100 ÷ the number of replicas, less some headroom.
    #[must_use]
    pub fn fallback_percent(mut self, percent: u8) -> Self {
        self.fallback_percent = percent;
        self
    }

    pub(crate) fn fallback(&self) -> u8 {
        self.fallback_percent
    }

    /// What tells stores apart in a partition's identity: the address and database.
    pub(crate) fn describe(&self) -> String {
        format!("{self:?}")
    }
}

/// A Redis error's category, which never holds the URL or its password.
fn kind_text(error: &redis::RedisError) -> String {
    format!("{:?}", error.kind())
}

/// A partition's limiter state in Redis.
pub(crate) struct RedisLimiter {
    store: RedisStore,
    gcra: Gcra,
    /// The theoretical arrival time's key and the pause's.
    keys: [String; 2],
    connection: tokio::sync::Mutex<Option<ConnectionManager>>,
    /// Until when Redis is not asked, after it failed.
    down_until: Mutex<Option<Instant>>,
}

impl std::fmt::Debug for RedisLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisLimiter")
            .field("store", &self.store)
            .field("gcra", &self.gcra)
            .finish_non_exhaustive()
    }
}

impl RedisLimiter {
    /// The limiter of the partition whose identity hashes to `digest`.
    pub(crate) fn new(store: RedisStore, gcra: Gcra, digest: &str) -> RedisLimiter {
        let base = format!("clerk-sdk:rate-limit:{{{digest}}}");
        RedisLimiter {
            store,
            gcra,
            keys: [format!("{base}:tat"), format!("{base}:pause")],
            connection: tokio::sync::Mutex::new(None),
            down_until: Mutex::new(None),
        }
    }

    /// Whether Redis is worth asking: it has not failed in the last second.
    pub(crate) fn is_up(&self) -> bool {
        let down_until = *self.down_until.lock().unwrap_or_else(PoisonError::into_inner);
        down_until.is_none_or(|until| Instant::now() >= until)
    }

    /// Reserves a place in Redis: the wait before the request may go, or the wait that would
    /// pass `deadline` (no place taken). The outer error is Redis failing.
    pub(crate) async fn reserve(&self, deadline: Option<Instant>) -> Result<Result<Duration, WouldWait>, String> {
        let max_wait = deadline.map_or(-1, |deadline| {
            micros(deadline.saturating_duration_since(Instant::now()))
        });
        let script = redis::Script::new(RESERVE);
        let mut invocation = script.key(&self.keys[0]);
        invocation
            .key(&self.keys[1])
            // Rounded up, as the in-process interval is to the nanosecond, so Redis never admits
            // more than the limit; the tolerance rounded down.
            .arg(micros(self.gcra.interval + Duration::from_nanos(999)))
            .arg(micros(self.gcra.tolerance))
            .arg(max_wait);
        let answer: (i64, i64) = self
            .run(|mut connection| async move { invocation.invoke_async(&mut connection).await })
            .await?;
        let wait = Duration::from_micros(u64::try_from(answer.1).unwrap_or(0));
        Ok(if answer.0 == 1 { Ok(wait) } else { Err(WouldWait(wait)) })
    }

    /// Pauses the partition in Redis for `pause`.
    pub(crate) async fn pause(&self, pause: Duration) -> Result<(), String> {
        let script = redis::Script::new(PAUSE);
        let mut invocation = script.key(&self.keys[1]);
        invocation.arg(micros(pause));
        let _: i64 = self
            .run(|mut connection| async move { invocation.invoke_async(&mut connection).await })
            .await?;
        Ok(())
    }

    /// Runs `command` on the connection (made on first use), within [`REDIS_TIMEOUT`]; marks
    /// Redis down for a second when it fails, and says it is back when it answers again.
    async fn run<T, F>(&self, command: impl FnOnce(ConnectionManager) -> F) -> Result<T, String>
    where
        F: Future<Output = redis::RedisResult<T>>,
    {
        let outcome = tokio::time::timeout(REDIS_TIMEOUT, async {
            let connection = self.connection().await?;
            command(connection).await.map_err(|error| kind_text(&error))
        })
        .await
        .unwrap_or_else(|_| Err("no answer in time".to_owned()));
        let mut down_until = self.down_until.lock().unwrap_or_else(PoisonError::into_inner);
        match &outcome {
            Ok(_) if down_until.take().is_some() => {
                tracing::info!(target: "clerk_sdk::limits", store = ?self.store, "Redis answers again: the rate limit is shared through it");
            }
            Ok(_) => {}
            Err(reason) => {
                if down_until.is_none() {
                    tracing::warn!(
                        target: "clerk_sdk::limits",
                        store = ?self.store,
                        %reason,
                        fallback_percent = self.store.fallback_percent,
                        "Redis cannot be reached: each process keeps to its fallback share of the rate limit"
                    );
                }
                *down_until = Some(Instant::now() + RETRY_REDIS_AFTER);
            }
        }
        outcome
    }

    /// The connection, made on first use (and again after a failure to make it).
    async fn connection(&self) -> Result<ConnectionManager, String> {
        let mut slot = self.connection.lock().await;
        if let Some(connection) = slot.as_ref() {
            return Ok(connection.clone());
        }
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(REDIS_TIMEOUT)
            .set_response_timeout(REDIS_TIMEOUT)
            .set_number_of_retries(1);
        let connection = ConnectionManager::new_with_config(self.store.client.clone(), config)
            .await
            .map_err(|error| kind_text(&error))?;
        *slot = Some(connection.clone());
        Ok(connection)
    }
}

/// A duration in whole microseconds, as the scripts take it.
fn micros(duration: Duration) -> i64 {
    i64::try_from(duration.as_micros()).unwrap_or(i64::MAX)
}
