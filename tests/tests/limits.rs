//! Clerk's rate limits, on tokio's paused clock, against a Clerk-like instance on loopback that
//! enforces 100 requests per 10 s for each key with 429s: the limiter per instance, its sharing,
//! the retry quota against an instance that fails everything, and bulk creates.
//!
//! Each test prints what it measured (`cargo test -p tests --test limits -- --nocapture`).

#[path = "limits/instance.rs"]
mod instance;

use std::sync::Arc;
use std::time::Duration;

use clerk_sdk::limits::{RateLimiting, RetryQuota};
use clerk_sdk::models::CreatePhoneNumberRequest;
use clerk_sdk::pagination::StreamExt;
use clerk_sdk::{Clerk, Error};
use instance::{Health, Instance, lock};
use tokio::time::Instant;

const WINDOW: Duration = Duration::from_secs(10);
const LIMIT: usize = 100;

/// An instance with Clerk's development limit, served on this runtime.
async fn development_instance() -> (Arc<Instance>, String) {
    let instance = Arc::new(Instance::new(LIMIT, WINDOW));
    let url = instance.serve().await;
    (instance, url)
}

fn client(url: &str, key: &str, limiting: RateLimiting) -> Clerk {
    Clerk::builder()
        .bearer_auth(key)
        .server_url(url)
        .rate_limit(limiting)
        .build()
        .expect("builds")
}

/// `count` gets spread over `tasks` tasks, each its own clone of one of `clients` in turn;
/// the results, in no order.
async fn get_many(clients: &[Clerk], tasks: usize, count: usize) -> Vec<Result<(), Error>> {
    let handles: Vec<_> = (0..tasks)
        .map(|task| {
            let clerk = clients[task % clients.len()].clone();
            let share = count / tasks + usize::from(task < count % tasks);
            tokio::spawn(async move {
                let mut results = Vec::with_capacity(share);
                for n in 0..share {
                    let outcome = clerk.phone_numbers().get(format!("phone_{task}_{n}")).await;
                    results.push(outcome.map(drop));
                }
                results
            })
        })
        .collect();
    let mut results = Vec::with_capacity(count);
    for handle in handles {
        results.extend(handle.await.expect("joins"));
    }
    results
}

#[tokio::test(start_paused = true)]
async fn two_thousand_requests_from_64_tasks_on_one_development_key_never_see_a_429() {
    let (instance, url) = development_instance().await;
    let clerk = client(&url, "sk_test_one", RateLimiting::default());
    let started = Instant::now();
    let results = get_many(&[clerk], 64, 2_000).await;
    let elapsed = started.elapsed();
    let seen = lock(&instance.seen);
    let busiest = seen.busiest_window("sk_test_one", WINDOW);
    println!(
        "limiter on: 2,000 requests, {} attempts, {} 429s, at most {busiest} in a 10 s window, {elapsed:?} on the paused clock",
        seen.attempts(),
        seen.throttled
    );
    assert!(
        results.iter().all(Result::is_ok),
        "{:?}",
        results.iter().find(|r| r.is_err())
    );
    assert_eq!((seen.throttled, seen.attempts()), (0, 2_000));
    assert!(busiest <= LIMIT, "{busiest} requests in one window");
    // A burst of 9, then 81 per 10 s: the 1,991 after the burst take 245.8 s.
    assert!(
        elapsed > Duration::from_secs(240) && elapsed < Duration::from_secs(250),
        "{elapsed:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn without_the_limiter_the_same_requests_meet_429s() {
    let (instance, url) = development_instance().await;
    let clerk = client(&url, "sk_test_one", RateLimiting::off());
    let results = get_many(&[clerk], 64, 2_000).await;
    let seen = lock(&instance.seen);
    let failed = results.iter().filter(|result| result.is_err()).count();
    println!(
        "limiter off: 2,000 requests, {} attempts, {} 429s, {failed} calls failed",
        seen.attempts(),
        seen.throttled
    );
    assert!(seen.throttled > 0);
    assert!(seen.attempts() > 2_000);
}

#[tokio::test(start_paused = true)]
async fn clients_built_separately_with_one_key_share_its_limit_and_two_keys_get_two() {
    let (instance, url) = development_instance().await;
    // Two clients of key one, built apart from each other; one of key two.
    let one = [
        client(&url, "sk_test_one", RateLimiting::default()),
        client(&url, "sk_test_one", RateLimiting::default()),
    ];
    let two = [client(&url, "sk_test_two", RateLimiting::default())];
    let started = Instant::now();
    let (first, second) = tokio::join!(get_many(&one, 32, 300), get_many(&two, 32, 300));
    let elapsed = started.elapsed();
    let seen = lock(&instance.seen);
    let (busiest_one, busiest_two) = (
        seen.busiest_window("sk_test_one", WINDOW),
        seen.busiest_window("sk_test_two", WINDOW),
    );
    println!(
        "two keys, 300 requests each: at most {busiest_one} and {busiest_two} in a window, {} 429s, {elapsed:?}",
        seen.throttled
    );
    assert!(first.iter().chain(&second).all(Result::is_ok));
    assert_eq!(
        seen.throttled, 0,
        "the two clients of key one kept under one limit together"
    );
    assert!(busiest_one <= LIMIT && busiest_two <= LIMIT);
    // Each key ran at its own pace, at once: 300 requests of one key take about 33 s, and
    // 600 on one budget would take twice that.
    assert!(elapsed < Duration::from_secs(40), "{elapsed:?}");
}

/// Attempts in all when 64 tasks each make one call to an instance that answers 503.
async fn attempts_against_an_outage(limiting: RateLimiting, quota: RetryQuota) -> (usize, Vec<Result<(), Error>>) {
    let (instance, url) = development_instance().await;
    instance.set_health(Health::Unavailable);
    let clerk = Clerk::builder()
        .bearer_auth("sk_test_outage")
        .server_url(&url)
        .rate_limit(limiting)
        .retry_quota(quota)
        .build()
        .expect("builds");
    let results = get_many(&[clerk], 64, 64).await;
    let attempts = lock(&instance.seen).attempts();
    (attempts, results)
}

#[tokio::test(start_paused = true)]
async fn the_retry_quota_bounds_the_attempts_of_all_calls_against_an_outage() {
    let (with_quota, results) = attempts_against_an_outage(RateLimiting::default(), RetryQuota::default()).await;
    let (without_quota, _) = attempts_against_an_outage(RateLimiting::default(), RetryQuota::off()).await;
    let (neither, _) = attempts_against_an_outage(RateLimiting::off(), RetryQuota::off()).await;
    println!(
        "64 calls against 503s: {with_quota} attempts with the quota, {without_quota} without it, {neither} with neither limiter nor quota"
    );
    // 64 first attempts, and 500 / 5 = 100 retries.
    assert!(with_quota <= 64 + 100, "{with_quota}");
    let exhausted = results
        .iter()
        .filter(|result| matches!(result, Err(Error::RetryQuotaExhausted { status: Some(status), .. }) if status.as_u16() == 503))
        .count();
    assert!(exhausted > 0, "calls past the quota say so");
    assert!(without_quota > 2 * with_quota, "{without_quota} against {with_quota}");
}

#[tokio::test(start_paused = true)]
async fn a_bulk_create_of_5000_creates_each_valid_input_once_and_reports_each_invalid_one() {
    let (instance, url) = development_instance().await;
    let clerk = client(&url, "sk_test_bulk", RateLimiting::default());
    // Every hundredth number is invalid.
    let numbers: Vec<String> = (0..5_000)
        .map(|n| {
            if n % 100 == 42 {
                format!("not-a-number-{n}")
            } else {
                format!("+1555{n:07}")
            }
        })
        .collect();
    let requests = numbers
        .iter()
        .map(|number| CreatePhoneNumberRequest::new("user_bulk", number.clone()));
    let mut results = clerk_sdk::bulk::run(requests, 16, |request| clerk.phone_numbers().create(request.clone()));
    let (mut created, mut refused) = (Vec::new(), Vec::new());
    while let Some(done) = results.next().await {
        match done.result {
            Ok(phone) => created.push((done.index, phone.phone_number)),
            Err(error) => refused.push((done.index, done.input.phone_number, error)),
        }
    }
    let seen = lock(&instance.seen);
    let busiest = seen.busiest_window("sk_test_bulk", WINDOW);
    println!(
        "bulk create: {} created, {} refused, {} attempts, {} 429s, at most {busiest} in a window",
        created.len(),
        refused.len(),
        seen.attempts(),
        seen.throttled
    );
    assert_eq!((created.len(), refused.len()), (4_950, 50));
    assert!(created.iter().all(|(index, number)| &numbers[*index] == number));
    for (index, number, error) in &refused {
        assert_eq!(index % 100, 42);
        assert_eq!(&numbers[*index], number);
        assert_eq!(error.status().map(|status| status.as_u16()), Some(422), "{error}");
    }
    assert!(
        seen.created.values().all(|&count| count == 1),
        "no number created twice"
    );
    assert_eq!(seen.created.len(), 4_950);
    assert_eq!((seen.throttled, seen.attempts()), (0, 5_000));
    assert!(busiest <= LIMIT);
}

#[tokio::test(start_paused = true)]
async fn a_call_with_a_budget_ends_by_its_deadline_against_a_slow_instance() {
    let instance = Arc::new(Instance::new(LIMIT, WINDOW).slow(Duration::from_secs(20)));
    let url = instance.serve().await;
    let clerk = client(&url, "sk_test_slow", RateLimiting::default());
    let started = Instant::now();
    let outcome = clerk
        .phone_numbers()
        .get("phone_1")
        .budget(Duration::from_secs(5))
        .await;
    assert!(matches!(outcome, Err(Error::DeadlineExceeded { .. })), "{outcome:?}");
    assert_eq!(started.elapsed(), Duration::from_secs(5));
    // Waiting for the limiter counts too: past the burst, a call whose turn comes after its
    // deadline is refused at once.
    let burst: Vec<_> = (0..9)
        .map(|n| {
            clerk
                .phone_numbers()
                .get(format!("phone_{n}"))
                .budget(Duration::from_millis(1))
                .send()
        })
        .collect();
    drop(futures_util::future::join_all(burst).await);
    let started = Instant::now();
    let outcome = clerk
        .phone_numbers()
        .get("phone_late")
        .budget(Duration::from_millis(50))
        .await;
    assert!(
        matches!(outcome, Err(Error::RateLimited { wait, .. }) if wait > Duration::from_millis(50)),
        "{outcome:?}"
    );
    assert_eq!(started.elapsed(), Duration::ZERO);
}
