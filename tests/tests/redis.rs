//! The rate limiter's state in Redis, against a real `redis-server` on loopback: two clients on
//! two runtimes, sharing nothing but Redis, keep under one instance's limit together; with
//! Redis stopped mid-run they keep to their fallback share, and use Redis again once it is back.
//!
//! These tests need `redis-server` (`apt-get install redis-server`, `brew install redis`), so
//! the README's test command leaves them out; run them with
//! `cargo test --workspace --test redis -- --ignored`, which fails, saying how to install it, where
//! it is missing.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use clerk_sdk::limits::{RateLimit, RateLimiting, RedisStore};
use clerk_sdk::testing::{MockClerk, fixtures};
use clerk_sdk::{Clerk, Error};

/// A `redis-server` of the test's own, on a free loopback port, with nothing saved to disk.
struct RedisServer {
    port: u16,
    child: Option<Child>,
}

impl RedisServer {
    fn start() -> RedisServer {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let mut server = RedisServer { port, child: None };
        server.restart();
        server
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }

    /// Starts the server (again), and waits until it takes connections.
    fn restart(&mut self) {
        let spawned = Command::new("redis-server")
            .args([
                "--port",
                &self.port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        let child = spawned.unwrap_or_else(|error| {
            panic!(
                "cannot start redis-server ({error}): these tests need it on PATH. Install it with \
                 `apt-get install redis-server` (Debian, Ubuntu) or `brew install redis` (macOS)"
            )
        });
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "redis-server did not start in 10 s");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// The keys the limiter keeps, as `redis-cli` would list them.
    fn limiter_keys(&self) -> Vec<String> {
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", self.port)).expect("connects");
        use std::io::{Read, Write};
        stream.write_all(b"KEYS clerk-sdk:rate-limit:*\r\n").expect("writes");
        stream
            .set_read_timeout(Some(Duration::from_secs(2)))
            .expect("a timeout");
        let mut reply = vec![0; 4096];
        let read = stream.read(&mut reply).expect("reads");
        String::from_utf8_lossy(&reply[..read])
            .lines()
            .filter(|line| line.starts_with("clerk-sdk:"))
            .map(str::to_owned)
            .collect()
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}

const LIMIT: RateLimit = RateLimit::new(50, Duration::from_secs(1));

/// A client of `mock` whose limiter keeps its state in `redis`, isolated from every other
/// client in the process: what it shares with the others, it shares through Redis. 70 % of
/// the limit through Redis and 10 % on each fallback: while one runtime is back on Redis and
/// the other still on its fallback, together they send at most 80 % of the limit, as
/// `RedisStore`'s docs say.
fn client(mock: &MockClerk, redis: &str) -> Clerk {
    let store = RedisStore::open(redis).expect("a Redis URL").fallback_percent(10);
    mock.builder()
        .rate_limit(RateLimiting::limit(LIMIT).percent_of_limit(70).isolated().redis(store))
        .build()
        .expect("builds")
}

/// `count` gets from `tasks` tasks on a runtime of its own, on a thread of its own; each
/// call's result.
fn run_elsewhere(clerk: Clerk, tasks: usize, count: usize) -> std::thread::JoinHandle<Vec<Result<(), Error>>> {
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async move {
            let handles: Vec<_> = (0..tasks)
                .map(|task| {
                    let clerk = clerk.clone();
                    tokio::spawn(async move {
                        let mut results = Vec::new();
                        for _ in 0..count / tasks {
                            results.push(clerk.phone_numbers().get(format!("phone_{task}")).await.map(drop));
                        }
                        results
                    })
                })
                .collect();
            let mut results = Vec::new();
            for handle in handles {
                results.extend(handle.await.expect("joins"));
            }
            results
        })
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs redis-server: cargo test --workspace --test redis -- --ignored"]
async fn two_runtimes_on_one_key_share_its_limit_through_redis_and_survive_it_stopping() {
    let mut redis = RedisServer::start();
    let mock = MockClerk::start().await;
    mock.rate_limit(LIMIT).await;
    mock.phone_numbers().get().returns(fixtures::phone_number());
    let started = Instant::now();
    let first = run_elsewhere(client(&mock, &redis.url()), 8, 200);
    let second = run_elsewhere(client(&mock, &redis.url()), 8, 200);
    // Redis goes away for two seconds in the middle of the run.
    tokio::time::sleep(Duration::from_secs(3)).await;
    redis.stop();
    tokio::time::sleep(Duration::from_secs(2)).await;
    redis.restart();
    let results = tokio::task::spawn_blocking(move || {
        let mut results = first.join().expect("the first runtime did not panic");
        results.extend(second.join().expect("the second runtime did not panic"));
        results
    })
    .await
    .expect("joins");
    let elapsed = started.elapsed();
    let keys = redis.limiter_keys();
    println!(
        "Redis: 400 requests from two runtimes in {elapsed:?}, {} 429s, {} failed; keys after the restart: {keys:?}",
        mock.throttled(),
        results.iter().filter(|result| result.is_err()).count()
    );
    assert_eq!(results.len(), 400);
    assert!(
        results.iter().all(Result::is_ok),
        "{:?}",
        results.iter().find(|r| r.is_err())
    );
    assert_eq!(
        mock.throttled(),
        0,
        "the two runtimes never went over the limit together"
    );
    assert!(
        keys.iter().any(|key| key.ends_with(":tat")),
        "the limiter used Redis again once it was back (the restarted server started empty)"
    );
    assert!(
        keys.iter().all(|key| !key.contains("sk_test")),
        "no key names the secret"
    );
}

/// Seconds per call, `count` calls one after another, with `limiting` at a limit they never
/// reach, so that only the admission's own cost differs.
async fn seconds_per_call(mock: &MockClerk, limiting: RateLimiting, count: u32) -> f64 {
    let clerk = mock.builder().rate_limit(limiting).build().expect("builds");
    clerk
        .phone_numbers()
        .get("phone_warm")
        .await
        .expect("warms the connections");
    let started = Instant::now();
    for _ in 0..count {
        clerk.phone_numbers().get("phone_1").await.expect("answered");
    }
    started.elapsed().as_secs_f64() / f64::from(count)
}

#[tokio::test]
#[ignore = "needs redis-server: cargo test --workspace --test redis -- --ignored"]
async fn the_latency_redis_adds_to_each_admission() {
    let redis = RedisServer::start();
    let mock = MockClerk::start().await;
    mock.phone_numbers().get().returns(fixtures::phone_number());
    let roomy = RateLimiting::limit(RateLimit::new(1_000_000, Duration::from_secs(1)));
    let store = RedisStore::open(&redis.url()).expect("a Redis URL");
    let (mut local, mut shared) = (Vec::new(), Vec::new());
    // Alternated, so that a change in the machine's load hits both.
    for _ in 0..5 {
        local.push(seconds_per_call(&mock, roomy.clone(), 200).await);
        shared.push(seconds_per_call(&mock, roomy.clone().redis(store.clone()), 200).await);
    }
    local.sort_by(f64::total_cmp);
    shared.sort_by(f64::total_cmp);
    let (local, shared) = (local[2], shared[2]);
    println!(
        "per call on loopback: {:.0} µs with the in-process limiter, {:.0} µs with Redis: {:.0} µs more per admission ({:.2}×)",
        local * 1e6,
        shared * 1e6,
        (shared - local) * 1e6,
        shared / local
    );
    assert!(
        redis.limiter_keys().iter().any(|key| key.ends_with(":tat")),
        "the calls went through Redis"
    );
}

#[tokio::test]
#[ignore = "needs redis-server: cargo test --workspace --test redis -- --ignored"]
async fn a_429_that_one_process_meets_pauses_the_others_through_redis() {
    let redis = RedisServer::start();
    let mock = MockClerk::start().await;
    let throttled = wiremock::ResponseTemplate::new(429).insert_header("retry-after", "2");
    mock.phone_numbers()
        .get()
        .respond_with(throttled)
        .returns(fixtures::phone_number());
    let roomy = RateLimiting::limit(RateLimit::new(1_000, Duration::from_secs(1))).isolated();
    let build = |limiting: RateLimiting| {
        mock.builder()
            .rate_limit(limiting)
            .retries(clerk_sdk::RetryConfig::default().jitter(false))
            .build()
            .expect("builds")
    };
    let store = || RedisStore::open(&redis.url()).expect("a Redis URL");
    let (first, second) = (build(roomy.clone().redis(store())), build(roomy.clone().redis(store())));
    // Isolated and without Redis: shares nothing with the other two.
    let alone = build(roomy);
    let throttled_call = tokio::spawn(async move { first.phone_numbers().get("phone_1").await.map(drop) });
    while mock.requests().is_empty() {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = Instant::now();
    alone.phone_numbers().get("phone_2").await.expect("answered");
    let alone_waited = started.elapsed();
    let started = Instant::now();
    second.phone_numbers().get("phone_3").await.expect("answered");
    let second_waited = started.elapsed();
    throttled_call.await.expect("joins").expect("answered after its retry");
    println!(
        "after another process's 429 with Retry-After: 2, through Redis {second_waited:?}, alone {alone_waited:?}"
    );
    assert!(
        second_waited > Duration::from_millis(1_500),
        "{second_waited:?}: the pause reached it through Redis"
    );
    assert!(alone_waited < Duration::from_millis(500), "{alone_waited:?}");
}
