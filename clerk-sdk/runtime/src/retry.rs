//! [`RetryConfig`]: when a failed attempt is tried again, and how long to wait first.

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};

/// How an operation may be retried, decided by the generator from the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryClass {
    /// Sending it twice has the same effect as once (GET, PUT, PATCH, DELETE, ...).
    Idempotent,
    /// Sending it twice may act twice (POST): Clerk has no idempotency keys.
    NonIdempotent,
}

/// Exponential backoff: the knobs of the Python SDK's `BackoffStrategy`.
///
/// The wait before retry *n* (counting from 1) is
/// `min(initial_interval × exponentⁿ⁻¹, max_interval)`, reduced by up to half at random when
/// jitter is on, so that many clients failing together do not retry in lockstep.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BackoffStrategy {
    /// The wait before the first retry. Default 500 ms.
    pub initial_interval: Duration,
    /// The longest wait between two attempts, also the cap on `Retry-After`. Default 60 s.
    pub max_interval: Duration,
    /// How much the wait grows after each attempt. Default 1.5.
    pub exponent: f64,
    /// No retry starts after this much time has passed since the first attempt, and no wait
    /// would end after it. Default 60 s (the Python SDK's hour is far too long for a request).
    pub max_elapsed_time: Duration,
}

impl Default for BackoffStrategy {
    fn default() -> Self {
        BackoffStrategy {
            initial_interval: Duration::from_millis(500),
            max_interval: Duration::from_secs(60),
            exponent: 1.5,
            max_elapsed_time: Duration::from_secs(60),
        }
    }
}

/// When failed attempts are retried, set on the client with
/// [`ClientBuilder::retries`](crate::ClientBuilder::retries) (a generated crate's
/// `ClerkBuilder::retries`) and per call with [`Call::retries`](crate::Call::retries).
///
/// # What is retried by default
///
/// | failure | GET, PUT, PATCH, DELETE | POST (create, prepare and attempt verification) |
/// |---|---|---|
/// | connection failed before the request was sent | retried | retried |
/// | server certificate not trusted (rustls stacks) | **not** retried | **not** retried |
/// | connection lost after the request was sent | retried | **not** retried |
/// | the attempt timed out | retried | **not** retried |
/// | 429 Too Many Requests | retried | retried |
/// | 503 Service Unavailable | retried | retried |
/// | any other 5xx | retried | **not** retried |
/// | any other status | not retried | not retried |
///
/// POST is treated carefully because Clerk has no idempotency keys: a `create` that failed
/// with a 500, lost its connection or timed out may still have created the phone number, and
/// sending it again could create a second one. 429 and 503 mean the request was turned away,
/// so they are safe to resend. An idempotent operation (a read, an update that sets fields, a
/// delete) is safe to send again whatever happened to the first attempt, as a dropped
/// keep-alive connection often makes it.
///
/// A `Retry-After` header on a retried response (in seconds or as an HTTP date) sets the wait
/// instead of the backoff, capped at [`BackoffStrategy::max_interval`] so a hostile or broken
/// header cannot stall a call. When no retry is left, the last response goes through the
/// normal error mapping, so a call that kept getting 503 returns that 503's error.
///
/// # Changing it
///
/// ```
/// use std::time::Duration;
/// use clerk_sdk::{BackoffStrategy, RetryConfig};
///
/// // Retry POST on every 5xx as well (only if you know the operation is safe to repeat).
/// let wider = RetryConfig::default().statuses_for_post([429, 500, 502, 503, 504]);
///
/// // Only ever retry 429, at most for 10 seconds.
/// let narrower = RetryConfig::default()
///     .statuses_for_idempotent([429])
///     .statuses_for_post([429])
///     .backoff(BackoffStrategy { max_elapsed_time: Duration::from_secs(10), ..Default::default() });
///
/// // Resend a POST whose connection was lost or timed out (only if it is safe to repeat).
/// let resend = RetryConfig::default().retry_post_after_sending(true);
///
/// // At most three attempts in all, however quickly they fail.
/// let bounded = RetryConfig::default().max_attempts(3);
///
/// // No retries at all.
/// let none = RetryConfig::none();
/// # let _ = (wider, narrower, resend, bounded, none);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RetryConfig {
    backoff: Option<BackoffStrategy>,
    retry_connection_errors: bool,
    retry_post_after_sending: bool,
    jitter: bool,
    max_attempts: Option<u32>,
    idempotent_statuses: Vec<u16>,
    post_statuses: Vec<u16>,
}

impl Default for RetryConfig {
    /// The policy in the table above, with the default [`BackoffStrategy`] and jitter on.
    fn default() -> Self {
        RetryConfig {
            backoff: Some(BackoffStrategy::default()),
            retry_connection_errors: true,
            retry_post_after_sending: false,
            jitter: true,
            max_attempts: None,
            idempotent_statuses: std::iter::once(429).chain(500..=599).collect(),
            post_statuses: vec![429, 503],
        }
    }
}

impl RetryConfig {
    /// Never retry: every call makes exactly one attempt.
    pub fn none() -> Self {
        RetryConfig {
            backoff: None,
            ..RetryConfig::default()
        }
    }

    /// Sets the backoff, turning retries on if they were off.
    pub fn backoff(mut self, backoff: BackoffStrategy) -> Self {
        self.backoff = Some(backoff);
        self
    }

    /// Whether failures without a response are retried: a connection that failed before the
    /// request was sent (every operation), and one lost after sending or an attempt that timed
    /// out (idempotent operations; POST only with
    /// [`retry_post_after_sending`](Self::retry_post_after_sending)). Default true.
    pub fn retry_connection_errors(mut self, retry: bool) -> Self {
        self.retry_connection_errors = retry;
        self
    }

    /// Whether a POST whose connection was lost after sending, or whose attempt timed out, is
    /// sent again. Default false: the server may have acted on it already. Turn it on only for
    /// operations you know are safe to repeat.
    pub fn retry_post_after_sending(mut self, retry: bool) -> Self {
        self.retry_post_after_sending = retry;
        self
    }

    /// Whether waits are randomized (by up to half). Default true; turn off for predictable
    /// waits in tests.
    pub fn jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    /// The most attempts a call makes, the first included, however quickly they fail; the
    /// elapsed-time budget ([`BackoffStrategy::max_elapsed_time`]) still applies. Default: no
    /// count, only the time budget. `0` is read as `1`: the first attempt is always made, and
    /// `1` means no retry.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = Some(attempts.max(1));
        self
    }

    /// The most attempts a call makes, if [`max_attempts`](Self::max_attempts) set a count.
    pub fn attempt_limit(&self) -> Option<u32> {
        self.max_attempts
    }

    /// The statuses retried for idempotent operations (GET, PUT, PATCH, DELETE).
    /// Default: 429 and 500–599.
    pub fn statuses_for_idempotent(mut self, statuses: impl IntoIterator<Item = u16>) -> Self {
        self.idempotent_statuses = sorted(statuses);
        self
    }

    /// The statuses retried for POST operations. Default: 429 and 503.
    pub fn statuses_for_post(mut self, statuses: impl IntoIterator<Item = u16>) -> Self {
        self.post_statuses = sorted(statuses);
        self
    }

    /// Whether retries are on.
    pub fn is_enabled(&self) -> bool {
        self.backoff.is_some()
    }

    /// The backoff, if retries are on.
    pub fn backoff_strategy(&self) -> Option<&BackoffStrategy> {
        self.backoff.as_ref()
    }

    /// Whether a response with `status` may be retried for an operation of `class`.
    pub(crate) fn retries_status(&self, class: RetryClass, status: StatusCode) -> bool {
        let statuses = match class {
            RetryClass::Idempotent => &self.idempotent_statuses,
            RetryClass::NonIdempotent => &self.post_statuses,
        };
        self.is_enabled() && statuses.binary_search(&status.as_u16()).is_ok()
    }

    /// Whether a failure without a response may be retried for an operation of `class`: a
    /// failed connection always (the request cannot have reached the server); a connection
    /// lost after sending, or a timeout, only for idempotent operations, or for POST when
    /// [`retry_post_after_sending`](Self::retry_post_after_sending) allows it. A request that
    /// could not be built, and a server certificate the client does not trust, are never
    /// retried.
    pub(crate) fn retries_transport(&self, class: RetryClass, error: &reqwest::Error) -> bool {
        if !self.is_enabled()
            || !self.retry_connection_errors
            || error.is_builder()
            || crate::tls::is_untrusted_certificate(error)
        {
            return false;
        }
        if error.is_connect() && !error.is_timeout() {
            return true;
        }
        match class {
            RetryClass::Idempotent => true,
            RetryClass::NonIdempotent => self.retry_post_after_sending,
        }
    }

    /// The wait before retry number `retry` (1 for the first retry, made after one attempt),
    /// honouring `Retry-After`, or `None` if the attempts are used up or the retry would start
    /// after the maximum elapsed time.
    pub(crate) fn delay(&self, retry: u32, headers: Option<&HeaderMap>, elapsed: Duration) -> Option<Duration> {
        let backoff = self.backoff.as_ref()?;
        if self.max_attempts.is_some_and(|attempts| retry >= attempts) {
            return None;
        }
        let delay = match headers.and_then(|h| retry_after(h, SystemTime::now())) {
            Some(requested) => requested.min(backoff.max_interval),
            None => {
                let base = exponential(backoff, retry);
                if self.jitter { jittered(base) } else { base }
            }
        };
        // Saturating: a user's huge `max_interval` and a server's huge `Retry-After` must not
        // overflow the sum.
        (elapsed.saturating_add(delay) <= backoff.max_elapsed_time).then_some(delay)
    }
}

fn sorted(statuses: impl IntoIterator<Item = u16>) -> Vec<u16> {
    let mut statuses: Vec<u16> = statuses.into_iter().collect();
    statuses.sort_unstable();
    statuses.dedup();
    statuses
}

/// `min(initial × exponent^(retry-1), max)`, safe against overflow and odd exponents.
fn exponential(backoff: &BackoffStrategy, retry: u32) -> Duration {
    let power = i32::try_from(retry.saturating_sub(1)).unwrap_or(i32::MAX);
    let factor = backoff.exponent.max(1.0).powi(power);
    let seconds = backoff.initial_interval.as_secs_f64() * factor;
    if !seconds.is_finite() || seconds >= backoff.max_interval.as_secs_f64() {
        backoff.max_interval
    } else {
        Duration::from_secs_f64(seconds)
    }
}

/// A wait chosen at random in `[base / 2, base]` ("equal jitter").
fn jittered(base: Duration) -> Duration {
    let half = base / 2;
    half + half.mul_f64(random_fraction())
}

/// A number in `[0, 1)` that differs between calls and processes.
fn random_fraction() -> f64 {
    (random_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// A number that differs between calls and processes.
///
/// Jitter and multipart boundaries only need values that are unlikely to repeat, not ones that
/// resist prediction, so the randomly keyed SipHash behind `RandomState` is enough; a `rand`
/// dependency is not worth it for this.
pub(crate) fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.finish()
}

/// The wait a `Retry-After` header asks for: delay-seconds or an HTTP date (RFC 9110 §10.2.3).
/// A date in the past means no wait; an unparsable header is ignored.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(retry_after: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, retry_after.parse().expect("valid header"));
        headers
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = httpdate::parse_http_date("Wed, 25 Nov 2026 18:00:00 GMT").expect("date");
        assert_eq!(retry_after(&headers("1"), now), Some(Duration::from_secs(1)));
        assert_eq!(retry_after(&headers(" 120 "), now), Some(Duration::from_secs(120)));
        assert_eq!(
            retry_after(&headers("Wed, 25 Nov 2026 18:00:30 GMT"), now),
            Some(Duration::from_secs(30))
        );
        // The obsolete forms recipients must accept.
        assert_eq!(
            retry_after(&headers("Wednesday, 25-Nov-26 18:01:00 GMT"), now),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            retry_after(&headers("Wed Nov 25 18:00:05 2026"), now),
            Some(Duration::from_secs(5))
        );
        assert_eq!(
            retry_after(&headers("Wed, 25 Nov 2026 17:00:00 GMT"), now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(&headers("soon"), now), None);
        assert_eq!(retry_after(&headers("-5"), now), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn default_policy_matches_the_documented_table() {
        let config = RetryConfig::default();
        let status = |code| StatusCode::from_u16(code).expect("valid status");
        for code in [429, 500, 502, 503, 504, 599] {
            assert!(config.retries_status(RetryClass::Idempotent, status(code)), "{code}");
        }
        for code in [429, 503] {
            assert!(config.retries_status(RetryClass::NonIdempotent, status(code)), "{code}");
        }
        for code in [500, 502, 504] {
            assert!(
                !config.retries_status(RetryClass::NonIdempotent, status(code)),
                "{code}"
            );
        }
        for code in [400, 401, 404, 408, 409, 422] {
            assert!(!config.retries_status(RetryClass::Idempotent, status(code)), "{code}");
        }
        assert!(!RetryConfig::none().retries_status(RetryClass::Idempotent, status(503)));
    }

    #[test]
    fn defaults_follow_python_but_bound_the_elapsed_time() {
        let backoff = BackoffStrategy::default();
        assert_eq!(backoff.initial_interval, Duration::from_millis(500));
        assert_eq!(backoff.max_interval, Duration::from_secs(60));
        assert_eq!(backoff.exponent, 1.5);
        assert_eq!(backoff.max_elapsed_time, Duration::from_secs(60));
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let config = RetryConfig::default().jitter(false);
        let delay = |retry| config.delay(retry, None, Duration::ZERO);
        assert_eq!(delay(1), Some(Duration::from_millis(500)));
        assert_eq!(delay(2), Some(Duration::from_millis(750)));
        assert_eq!(delay(3), Some(Duration::from_micros(1_125_000)));
        assert_eq!(delay(30), Some(Duration::from_secs(60)));
        assert_eq!(delay(u32::MAX), Some(Duration::from_secs(60)));
    }

    #[test]
    fn jitter_stays_within_half_to_full() {
        let config = RetryConfig::default();
        for _ in 0..200 {
            let delay = config.delay(2, None, Duration::ZERO).expect("within budget");
            assert!(
                delay >= Duration::from_millis(375) && delay <= Duration::from_millis(750),
                "{delay:?}"
            );
        }
    }

    #[test]
    fn retry_after_overrides_backoff_and_is_capped() {
        let config = RetryConfig::default().backoff(BackoffStrategy {
            max_interval: Duration::from_secs(5),
            ..Default::default()
        });
        assert_eq!(
            config.delay(1, Some(&headers("2")), Duration::ZERO),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            config.delay(1, Some(&headers("86400")), Duration::ZERO),
            Some(Duration::from_secs(5))
        );
    }

    #[test]
    fn no_retry_past_the_maximum_elapsed_time() {
        let config = RetryConfig::default().jitter(false).backoff(BackoffStrategy {
            max_elapsed_time: Duration::from_secs(2),
            ..Default::default()
        });
        assert_eq!(
            config.delay(1, None, Duration::from_millis(1400)),
            Some(Duration::from_millis(500))
        );
        assert_eq!(config.delay(1, None, Duration::from_millis(1600)), None);
        assert_eq!(RetryConfig::none().delay(1, None, Duration::ZERO), None);
    }

    #[test]
    fn no_retry_past_the_maximum_number_of_attempts() {
        let config = RetryConfig::default().max_attempts(3);
        assert_eq!(config.attempt_limit(), Some(3));
        assert!(
            config.delay(1, None, Duration::ZERO).is_some(),
            "after the first attempt"
        );
        assert!(config.delay(2, None, Duration::ZERO).is_some(), "after the second");
        assert_eq!(config.delay(3, None, Duration::ZERO), None, "three attempts made");
        assert_eq!(
            RetryConfig::default().max_attempts(1).delay(1, None, Duration::ZERO),
            None
        );
        assert_eq!(RetryConfig::default().max_attempts(0).attempt_limit(), Some(1));
        assert_eq!(RetryConfig::default().attempt_limit(), None);
        assert!(
            RetryConfig::default().delay(1000, None, Duration::ZERO).is_some(),
            "no count by default"
        );
    }

    #[test]
    fn huge_waits_do_not_overflow_the_budget_check() {
        let config = RetryConfig::default().backoff(BackoffStrategy {
            max_interval: Duration::MAX,
            max_elapsed_time: Duration::from_secs(60),
            ..Default::default()
        });
        let huge = headers(&u64::MAX.to_string());
        assert_eq!(config.delay(1, Some(&huge), Duration::from_secs(1)), None);
        let unbounded = RetryConfig::default().backoff(BackoffStrategy {
            max_interval: Duration::MAX,
            max_elapsed_time: Duration::MAX,
            ..Default::default()
        });
        assert_eq!(
            unbounded.delay(1, Some(&huge), Duration::from_secs(1)),
            Some(Duration::from_secs(u64::MAX))
        );
    }
}
