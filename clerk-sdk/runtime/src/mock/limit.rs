//! The mock's rate limit: past a set number of requests in a sliding window, a 429 with
//! `Retry-After` and Clerk's error body, as Clerk answers over an instance's limit.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::runtime::Handle;
use tokio::time::Instant;
use wiremock::{Request, ResponseTemplate};

use super::Mock;
use crate::api::Api;
use crate::limits::RateLimit;

/// The limit, the requests it admitted in the current window, and the 429s it gave.
#[derive(Debug)]
struct Window {
    limit: RateLimit,
    admitted: VecDeque<Instant>,
    throttled: u64,
    /// The runtime whose clock the window keeps time on: the test's, when the limit was set
    /// inside one, so that a test on tokio's paused clock sees its windows pass with it.
    clock: Option<Handle>,
}

impl Window {
    fn new(limit: RateLimit) -> Window {
        Window {
            limit,
            admitted: VecDeque::new(),
            throttled: 0,
            clock: Handle::try_current().ok(),
        }
    }
}

/// The gate: a wiremock matcher that matches the requests over the limit (and admits the
/// others, counting them), and the responder that answers those with a 429.
#[derive(Clone)]
pub(super) struct Gate {
    window: Arc<Mutex<Window>>,
}

impl Gate {
    pub(super) fn new(limit: RateLimit) -> Gate {
        Gate {
            window: Arc::new(Mutex::new(Window::new(limit))),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Window> {
        self.window.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Replaces the limit, with a fresh window, keeping time on the clock of the runtime this
    /// is called in.
    pub(super) fn replace(&self, limit: RateLimit) {
        *self.lock() = Window::new(limit);
    }

    fn now(&self) -> Instant {
        let clock = self.lock().clock.clone();
        match &clock {
            Some(handle) => {
                let _entered = handle.enter();
                Instant::now()
            }
            None => Instant::now(),
        }
    }

    /// Whether a request arriving at `now` is over the limit; if not, it is counted.
    fn over(&self, now: Instant) -> bool {
        let mut window = self.lock();
        let length = window.limit.window();
        while window.admitted.front().is_some_and(|&first| first + length <= now) {
            window.admitted.pop_front();
        }
        if window.admitted.len() >= window.limit.requests() as usize {
            window.throttled += 1;
            return true;
        }
        window.admitted.push_back(now);
        false
    }

    /// The whole seconds until the oldest admitted request leaves the window, at least 1.
    fn retry_after(&self, now: Instant) -> u64 {
        let window = self.lock();
        let free_at = window
            .admitted
            .front()
            .map_or(now, |&first| first + window.limit.window());
        let wait = free_at.saturating_duration_since(now);
        wait.as_secs() + u64::from(wait.subsec_nanos() > 0 || wait.is_zero())
    }

    /// How many requests the limit answered with 429.
    pub(super) fn throttled(&self) -> u64 {
        self.lock().throttled
    }

    pub(super) fn limit(&self) -> RateLimit {
        self.lock().limit
    }
}

impl wiremock::Match for Gate {
    fn matches(&self, _: &Request) -> bool {
        self.over(self.now())
    }
}

impl wiremock::Respond for Gate {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let retry_after = self.retry_after(self.now());
        let limit = self.limit();
        ResponseTemplate::new(429)
            .insert_header("retry-after", retry_after.to_string().as_str())
            .set_body_json(serde_json::json!({
                "errors": [{
                    "code": "too_many_requests",
                    "message": "Too many requests",
                    "long_message": format!(
                        "Too many requests: the mock admits {} per {:?}; retry after {retry_after} s",
                        limit.requests(),
                        limit.window()
                    ),
                }]
            }))
    }
}

impl<A: Api> Mock<A> {
    /// Limits the mock to `limit`, as Clerk limits an instance: past `limit.requests()` in any
    /// sliding `limit.window()`, a request is answered 429 with `Retry-After` (the whole
    /// seconds until the oldest request leaves the window) and an error body of code
    /// `too_many_requests`, before any expectation sees it. The window keeps time on the clock
    /// of the runtime this is called in, so on tokio's paused clock too. Clients the mock
    /// builds from then on keep under the same limit with their rate limiter (clients built
    /// before have none): change theirs with `.rate_limit(..)` to test how an application
    /// fares without one. Setting it again replaces it, with a fresh window.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// use std::time::Duration;
    /// use clerk_sdk::limits::{RateLimit, RateLimiting};
    /// use clerk_sdk::testing::{MockClerk, fixtures};
    ///
    /// let mock = MockClerk::start().await;
    /// mock.rate_limit(RateLimit::new(10, Duration::from_secs(1))).await;
    /// mock.phone_numbers().get().returns(fixtures::phone_number());
    ///
    /// // The mock's clients keep under its limit: each request waits its turn.
    /// let clerk = mock.clerk();
    /// let calls = (0..12).map(|_| clerk.phone_numbers().get("phone_1").send());
    /// let results = futures_util::future::join_all(calls).await;
    /// assert!(results.iter().all(Result::is_ok));
    /// assert_eq!(mock.throttled(), 0);
    ///
    /// // Without a limiter, the same burst meets 429s (retried here, as Retry-After says).
    /// let unlimited = mock.builder().rate_limit(RateLimiting::off()).build().unwrap();
    /// let calls = (0..12).map(|_| unlimited.phone_numbers().get("phone_1").send());
    /// futures_util::future::join_all(calls).await;
    /// assert!(mock.throttled() > 0);
    /// # }
    /// ```
    pub async fn rate_limit(&self, limit: crate::limits::RateLimit) {
        if let Some(gate) = self.gate() {
            gate.replace(limit);
            return;
        }
        let gate = Gate::new(limit);
        // After the recorder, which has the same priority and was mounted first, and before
        // every other mock.
        wiremock::Mock::given(gate.clone())
            .respond_with(gate.clone())
            .with_priority(1)
            .mount(&self.server)
            .await;
        *self.gate.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(gate);
    }

    /// How many requests the mock's [rate limit](Self::rate_limit) answered with 429.
    pub fn throttled(&self) -> u64 {
        self.gate().map_or(0, |gate| gate.throttled())
    }

    /// The rate limit, if one is set.
    pub(super) fn gate(&self) -> Option<Gate> {
        self.gate
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test(start_paused = true)]
    async fn past_the_limit_requests_are_over_until_the_oldest_leaves_the_window() {
        let gate = Gate::new(RateLimit::new(3, Duration::from_secs(10)));
        let start = gate.now();
        assert!(!(0..3).any(|_| gate.over(start)));
        assert!(gate.over(start));
        assert_eq!(gate.retry_after(start), 10);
        let later = start + Duration::from_millis(9_500);
        assert!(gate.over(later));
        assert_eq!(gate.retry_after(later), 1);
        assert!(!gate.over(start + Duration::from_secs(10)));
        assert_eq!(gate.throttled(), 2);
    }
}
