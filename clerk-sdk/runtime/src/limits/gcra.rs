//! The generic cell rate algorithm (GCRA), as reservations: each request is told when it may
//! go, and that time is taken for it at once, so waiting requests go in the order they asked
//! and a request knows before it waits whether it would go past its deadline.
//!
//! Written here rather than taken from `governor`: governor decides "now or not yet", never
//! "at this time, reserved", so waiters would poll and race, and a request could not know its
//! wait up front; its `until_ready` sleeps on `futures-timer`, not tokio's clock; and its
//! default-free build adds 15 crates to this crate's default tree (`cargo tree`, measured when
//! this was written). The same twenty lines are the Lua script the Redis store runs, so one
//! algorithm decides admissions in both stores.
//!
//! Times are offsets from an origin the caller chooses, so the arithmetic is plain and tested
//! without a clock.

use std::time::Duration;

/// A limit as GCRA sees it: one request per `interval`, and up to `burst` at once.
///
/// In any closed window of length `window`, at most `allowed` requests go: the first may go
/// with `burst - 1` others, and each later one an `interval` after the one before it counts,
/// so a window holds at most `burst + floor(window / interval)`, which the interval is chosen
/// to keep at `allowed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Gcra {
    pub(crate) interval: Duration,
    /// How far ahead of its theoretical time a request may go: `(burst - 1) × interval`.
    pub(crate) tolerance: Duration,
}

impl Gcra {
    /// At most `allowed` requests in any closed window of `window`, `burst` of them at once.
    /// `allowed` and `burst` are at least 1, and `burst` at most `allowed`.
    pub(crate) fn new(allowed: u32, burst: u32, window: Duration) -> Gcra {
        let allowed = allowed.max(1);
        let burst = burst.clamp(1, allowed);
        let interval = match allowed - burst {
            // Every request is a burst of one: the next may go only after a whole window.
            0 => window + Duration::from_nanos(1),
            spaced => div_ceil(window, spaced),
        };
        Gcra {
            interval,
            tolerance: interval * (burst - 1),
        }
    }

    /// When a request that asks at `now` may go, given the theoretical arrival time `tat` the
    /// requests before it left (zero for none) and a pause until `paused_until` (zero for
    /// none); and the `tat` it leaves once it is admitted.
    pub(crate) fn reserve(&self, tat: Duration, now: Duration, paused_until: Duration) -> Reservation {
        let go = now.max(tat.saturating_sub(self.tolerance)).max(paused_until);
        Reservation {
            go,
            tat: tat.max(go) + self.interval,
        }
    }
}

/// What [`Gcra::reserve`] decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Reservation {
    /// When the request may go.
    pub(crate) go: Duration,
    /// The theoretical arrival time once it has.
    pub(crate) tat: Duration,
}

/// `duration / by`, rounded up to the nanosecond, so an interval is never shorter than the
/// limit allows.
fn div_ceil(duration: Duration, by: u32) -> Duration {
    let nanos = duration.as_nanos().div_ceil(u128::from(by));
    Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    const WINDOW: Duration = Duration::from_secs(10);

    /// The times `count` requests asking at `asks` go, one after another.
    fn schedule(gcra: &Gcra, asks: impl Iterator<Item = Duration>) -> Vec<Duration> {
        let mut tat = Duration::ZERO;
        asks.map(|now| {
            let reservation = gcra.reserve(tat, now, Duration::ZERO);
            tat = reservation.tat;
            reservation.go
        })
        .collect()
    }

    /// The most requests that went in any closed window of `window`.
    fn busiest_window(times: &[Duration], window: Duration) -> usize {
        (0..times.len())
            .map(|first| {
                times[first..]
                    .iter()
                    .take_while(|&&t| t <= times[first] + window)
                    .count()
            })
            .max()
            .unwrap_or(0)
    }

    #[test]
    fn no_closed_window_holds_more_than_allowed() {
        for (allowed, burst) in [(90, 9), (900, 90), (1, 1), (2, 1), (2, 2), (10, 10), (7, 3)] {
            let gcra = Gcra::new(allowed, burst, WINDOW);
            // Everyone at once, then stragglers spread over a minute.
            let asks = std::iter::repeat_n(Duration::ZERO, 500).chain((0..500).map(|n| Duration::from_millis(n * 120)));
            let mut times = schedule(&gcra, asks);
            times.sort();
            let busiest = busiest_window(&times, WINDOW);
            assert!(
                busiest <= allowed as usize,
                "{allowed}/{burst}: {busiest} in one window"
            );
        }
    }

    #[test]
    fn the_limit_is_used_in_full_when_everyone_asks_at_once() {
        let gcra = Gcra::new(90, 9, WINDOW);
        let times = schedule(&gcra, std::iter::repeat_n(Duration::ZERO, 1_000));
        // The interval is rounded up to the nanosecond, which can cost one request a window.
        assert!((89..=90).contains(&busiest_window(&times, WINDOW)));
        // The burst goes at once; then one per interval.
        assert!(times[..9].iter().all(|t| t.is_zero()));
        assert_eq!(times[9], gcra.interval);
        assert_eq!(gcra.interval, Duration::from_nanos(10_000_000_000u64.div_ceil(81)));
    }

    #[test]
    fn requests_go_in_the_order_they_asked() {
        let gcra = Gcra::new(10, 2, WINDOW);
        let times = schedule(&gcra, std::iter::repeat_n(Duration::ZERO, 50));
        assert!(times.windows(2).all(|pair| pair[0] <= pair[1]));
    }

    #[test]
    fn an_idle_limiter_admits_a_request_at_once() {
        let gcra = Gcra::new(10, 2, WINDOW);
        let idle = gcra.reserve(Duration::from_secs(5), Duration::from_secs(60), Duration::ZERO);
        assert_eq!(idle.go, Duration::from_secs(60));
        assert_eq!(idle.tat, Duration::from_secs(60) + gcra.interval);
    }

    #[test]
    fn a_pause_holds_every_request_until_it_ends_and_the_rate_holds_after() {
        let gcra = Gcra::new(90, 9, WINDOW);
        let pause = Duration::from_secs(3);
        let mut tat = Duration::ZERO;
        let mut times = Vec::new();
        for _ in 0..200 {
            let reservation = gcra.reserve(tat, Duration::from_secs(1), pause);
            tat = reservation.tat;
            times.push(reservation.go);
        }
        assert!(times.iter().all(|&t| t >= pause));
        assert!(busiest_window(&times, WINDOW) <= 90);
    }
}
