//! Load: 2,000 requests, 64 in flight, through one client, against a loopback server that
//! injects a fault into the first attempt of 15% of them, GETs and POSTs alike: a 503, a 500,
//! or a connection reset after the request was read. Each request's outcome and the number of
//! times the server saw it are checked exactly, following the retry table of `RetryConfig`'s docs:
//!
//! | fault | GET | POST |
//! |---|---|---|
//! | none | 1 attempt, ok | 1 attempt, ok |
//! | 503 | 2 attempts, ok | 2 attempts, ok |
//! | 500 | 2 attempts, ok | 1 attempt, `Error::UnexpectedStatus` 500 |
//! | reset after sending | 2 attempts, ok | 1 attempt, `Error::Transport` |
//!
//! So every GET succeeds, and every POST reached the server exactly once.
//!
//! Bounded: the whole run, requests and checks, has one 60 s deadline.

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clerk_sdk::models::CreatePhoneNumberRequest;
use clerk_sdk::{BackoffStrategy, Error, RetryConfig};
use common::phone_number_json;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

const REQUESTS: usize = 2_000;
const IN_FLIGHT: usize = 64;
const POST_EVERY: usize = 4;

/// How many times the server saw each request id.
type Counts = Arc<Mutex<HashMap<usize, u32>>>;

/// A fault the server injects into a request's first attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    /// `503 Service Unavailable`.
    Unavailable,
    /// `500 Internal Server Error`.
    ServerError,
    /// The connection is reset once the whole request was read.
    Reset,
}

/// The fault for request `id`, if any: 1 in 20 of each kind, on GETs (odd ids) and POSTs (ids
/// divisible by [`POST_EVERY`]) alike.
fn injected_fault(id: usize) -> Option<Fault> {
    match id % 20 {
        3 | 4 => Some(Fault::Unavailable),
        7 | 8 => Some(Fault::ServerError),
        12 | 13 => Some(Fault::Reset),
        _ => None,
    }
}

/// How many attempts the server must see for a request, and whether it must succeed.
fn expected(is_post: bool, fault: Option<Fault>) -> (u32, bool) {
    match (is_post, fault) {
        (_, None) => (1, true),
        (_, Some(Fault::Unavailable)) | (false, Some(Fault::ServerError) | Some(Fault::Reset)) => (2, true),
        (true, Some(Fault::ServerError) | Some(Fault::Reset)) => (1, false),
    }
}

/// Serves HTTP/1.1 with keep-alive on one connection until the client closes it.
async fn serve_connection(stream: TcpStream, counts: Counts) {
    let mut reader = BufReader::new(stream);
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).await.unwrap_or(0) == 0 {
            return;
        }
        let mut id = None;
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
                return;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                match name.to_ascii_lowercase().as_str() {
                    "x-request-id" => id = value.trim().parse::<usize>().ok(),
                    "content-length" => length = value.trim().parse().unwrap_or(0),
                    _ => {}
                }
            }
        }
        let mut body = vec![0u8; length];
        if reader.read_exact(&mut body).await.is_err() {
            return;
        }
        let Some(id) = id else { return };
        let attempt = {
            let mut counts = counts.lock().expect("not poisoned");
            let count = counts.entry(id).or_insert(0);
            *count += 1;
            *count
        };
        let fault = if attempt == 1 { injected_fault(id) } else { None };
        let (status, payload) = match fault {
            Some(Fault::Reset) => {
                let _ = reader.get_ref().set_zero_linger();
                return;
            }
            Some(Fault::Unavailable) => ("503 Service Unavailable", r#"{"errors":[]}"#.to_owned()),
            Some(Fault::ServerError) => ("500 Internal Server Error", r#"{"errors":[]}"#.to_owned()),
            None => ("200 OK", phone_number_json().to_string()),
        };
        let response = format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{payload}",
            payload.len()
        );
        if reader.get_mut().write_all(response.as_bytes()).await.is_err() {
            return;
        }
    }
}

/// The `n`th fraction of sorted durations.
fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * fraction).round() as usize;
    sorted[index]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_requests_with_injected_faults() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let address = listener.local_addr().expect("address");
    let counts: Counts = Arc::default();
    let server_counts = counts.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(serve_connection(stream, server_counts.clone()));
        }
    });

    let retries = RetryConfig::default().backoff(BackoffStrategy {
        initial_interval: Duration::from_millis(5),
        max_interval: Duration::from_millis(50),
        exponent: 2.0,
        max_elapsed_time: Duration::from_secs(5),
    });
    let clerk = common::builder_at(address)
        .retries(retries)
        .timeout(Duration::from_secs(10))
        .build()
        .expect("builds");

    let started = Instant::now();
    let run = async {
        let permits = Arc::new(tokio::sync::Semaphore::new(IN_FLIGHT));
        let mut tasks = tokio::task::JoinSet::new();
        for id in 0..REQUESTS {
            let permit = permits.clone().acquire_owned().await.expect("semaphore open");
            let clerk = clerk.clone();
            tasks.spawn(async move {
                let begun = Instant::now();
                let outcome: Result<(), Error> = if id % POST_EVERY == 0 {
                    clerk
                        .phone_numbers()
                        .create(CreatePhoneNumberRequest::new("usr_1", "+15555550100"))
                        .header("x-request-id", id.to_string())
                        .await
                        .map(drop)
                } else {
                    clerk
                        .phone_numbers()
                        .get(format!("phone_{id}"))
                        .header("x-request-id", id.to_string())
                        .await
                        .map(drop)
                };
                drop(permit);
                (id, outcome, begun.elapsed())
            });
        }
        let mut outcomes = Vec::with_capacity(REQUESTS);
        while let Some(joined) = tasks.join_next().await {
            outcomes.push(joined.expect("task did not panic"));
        }
        outcomes
    };
    let outcomes = tokio::time::timeout(Duration::from_secs(60), run)
        .await
        .expect("the whole run ends within 60 s");
    let wall = started.elapsed();

    assert_eq!(outcomes.len(), REQUESTS, "every request completed");
    let counts = counts.lock().expect("not poisoned").clone();
    let mut failures = Vec::new();
    let mut latencies = Vec::with_capacity(REQUESTS);
    let mut errors = 0;
    for (id, outcome, latency) in &outcomes {
        latencies.push(*latency);
        let is_post = id % POST_EVERY == 0;
        let fault = injected_fault(*id);
        let (attempts, succeeds) = expected(is_post, fault);
        let seen = counts.get(id).copied().unwrap_or(0);
        let method = if is_post { "POST" } else { "GET" };
        if seen != attempts {
            failures.push(format!(
                "{method} {id} ({fault:?}): {seen} attempts, expected {attempts}"
            ));
        }
        let kind_ok = match (outcome, fault) {
            (Ok(()), _) => succeeds,
            (Err(Error::UnexpectedStatus(error)), Some(Fault::ServerError)) => !succeeds && error.status() == 500,
            (Err(error @ Error::Transport { .. }), Some(Fault::Reset)) => !succeeds && !error.is_timeout(),
            (Err(_), _) => false,
        };
        if outcome.is_err() {
            errors += 1;
        }
        if !kind_ok {
            failures.push(format!("{method} {id} ({fault:?}): {outcome:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} requests went wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
    latencies.sort();
    let attempts: u32 = counts.values().sum();
    println!(
        "load: {REQUESTS} requests, {IN_FLIGHT} in flight: {} succeeded, {errors} typed errors, {} retries; \
         latency p50 {:?}, p99 {:?}; {wall:?} in all",
        REQUESTS - errors,
        attempts as usize - REQUESTS,
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
    );
}
