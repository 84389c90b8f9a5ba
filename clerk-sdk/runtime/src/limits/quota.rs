//! The retry quota: a bucket of tokens per partition that retries draw from and successes
//! refill, so that when most calls fail, retries stop instead of multiplying the load.

use std::sync::atomic::{AtomicU32, Ordering};

/// The retry quota's numbers: those of aws-smithy's standard retry strategy (and every AWS
/// SDK's), set with [`ClientBuilder::retry_quota`](crate::ClientBuilder::retry_quota).
///
/// | | default |
/// |---|---|
/// | tokens in a full bucket, and at the start | 500 |
/// | a retry after a response (429, 5xx) takes | 5 |
/// | a retry after a timeout or a lost connection takes | 10 |
/// | a call that succeeds at its first attempt gives back | 1 |
/// | a call that succeeds after retrying gives back | what its last retry took |
///
/// A call that ends in failure gives nothing back. So, from a full bucket, an instance that
/// fails everything gets at most 100 retries in all, whatever the number of tasks, before
/// each failure is returned at once with
/// [`SdkError::RetryQuotaExhausted`](crate::SdkError::RetryQuotaExhausted); and each success
/// afterwards earns a retry back every five calls. First attempts never need a token.
///
/// ```
/// use clerk_sdk::limits::RetryQuota;
///
/// let tighter = RetryQuota::default().capacity(100);
/// let none = RetryQuota::off(); // retries bounded only by each call's own policy
/// # let _ = (tighter, none);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[must_use]
pub struct RetryQuota {
    pub(crate) capacity: u32,
    pub(crate) retry_cost: u32,
    pub(crate) timeout_cost: u32,
    pub(crate) success_refill: u32,
    pub(crate) enabled: bool,
}

impl Default for RetryQuota {
    fn default() -> Self {
        RetryQuota {
            capacity: 500,
            retry_cost: 5,
            timeout_cost: 10,
            success_refill: 1,
            enabled: true,
        }
    }
}

impl RetryQuota {
    /// No quota: each call retries as its [`RetryConfig`](crate::RetryConfig) allows, whatever
    /// the others do.
    pub fn off() -> Self {
        RetryQuota {
            enabled: false,
            ..RetryQuota::default()
        }
    }

    /// The tokens of a full bucket, which it starts with. Default 500.
    pub fn capacity(mut self, tokens: u32) -> Self {
        self.capacity = tokens;
        self
    }

    /// What a retry after a response (429, 5xx) takes. Default 5.
    pub fn retry_cost(mut self, tokens: u32) -> Self {
        self.retry_cost = tokens;
        self
    }

    /// What a retry after a timeout or a lost connection takes. Default 10.
    pub fn timeout_cost(mut self, tokens: u32) -> Self {
        self.timeout_cost = tokens;
        self
    }

    /// What a call that succeeds at its first attempt gives back. Default 1.
    pub fn success_refill(mut self, tokens: u32) -> Self {
        self.success_refill = tokens;
        self
    }

    /// Whether the quota applies.
    pub fn is_enabled(&self) -> bool {
        self.enabled
    }
}

/// Why a retry is wanted, which sets its cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RetryCause {
    /// A response with a retried status.
    Status,
    /// A timeout or a connection error.
    Transport,
}

/// A partition's bucket.
#[derive(Debug)]
pub(crate) struct Bucket {
    quota: RetryQuota,
    tokens: AtomicU32,
}

impl Bucket {
    pub(crate) fn new(quota: RetryQuota) -> Bucket {
        Bucket {
            quota,
            tokens: AtomicU32::new(quota.capacity),
        }
    }

    /// Takes the cost of a retry for `cause`: `Some(cost)` (0 with the quota off), or `None`
    /// when the bucket has too few tokens, taking nothing.
    pub(crate) fn take(&self, cause: RetryCause) -> Option<u32> {
        if !self.quota.enabled {
            return Some(0);
        }
        let cost = match cause {
            RetryCause::Status => self.quota.retry_cost,
            RetryCause::Transport => self.quota.timeout_cost,
        };
        self.tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |tokens| tokens.checked_sub(cost))
            .ok()
            .map(|_| cost)
    }

    /// A call succeeded: it gives back `last_retry_cost` (what its last retry took), or the
    /// success refill if it made no retry, up to the capacity.
    pub(crate) fn succeeded(&self, last_retry_cost: Option<u32>) {
        if !self.quota.enabled {
            return;
        }
        let back = last_retry_cost.unwrap_or(self.quota.success_refill);
        let capacity = self.quota.capacity;
        // Never fails: the closure always returns `Some`.
        let _ = self.tokens.fetch_update(Ordering::AcqRel, Ordering::Acquire, |tokens| {
            Some(tokens.saturating_add(back).min(capacity))
        });
    }

    /// The tokens left, or `None` with the quota off.
    pub(crate) fn available(&self) -> Option<u32> {
        self.quota.enabled.then(|| self.tokens.load(Ordering::Acquire))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_bucket_allows_a_hundred_retries_after_responses_then_none() {
        let bucket = Bucket::new(RetryQuota::default());
        let granted = std::iter::from_fn(|| bucket.take(RetryCause::Status))
            .take(1_000)
            .count();
        assert_eq!(granted, 100);
        assert_eq!(bucket.available(), Some(0));
        assert_eq!(bucket.take(RetryCause::Transport), None);
    }

    #[test]
    fn timeouts_cost_twice_as_much() {
        let bucket = Bucket::new(RetryQuota::default());
        let granted = std::iter::from_fn(|| bucket.take(RetryCause::Transport))
            .take(1_000)
            .count();
        assert_eq!(granted, 50);
    }

    #[test]
    fn successes_refill_up_to_the_capacity() {
        let bucket = Bucket::new(RetryQuota::default().capacity(20));
        assert_eq!(bucket.take(RetryCause::Status), Some(5));
        assert_eq!(bucket.take(RetryCause::Transport), Some(10));
        assert_eq!(bucket.available(), Some(5));
        bucket.succeeded(Some(10));
        assert_eq!(bucket.available(), Some(15));
        bucket.succeeded(None);
        assert_eq!(bucket.available(), Some(16));
        for _ in 0..100 {
            bucket.succeeded(Some(5));
        }
        assert_eq!(bucket.available(), Some(20));
    }

    #[test]
    fn a_bucket_that_is_off_grants_everything_and_reports_nothing() {
        let bucket = Bucket::new(RetryQuota::off());
        assert!((0..10_000).all(|_| bucket.take(RetryCause::Transport) == Some(0)));
        assert_eq!(bucket.available(), None);
    }
}
