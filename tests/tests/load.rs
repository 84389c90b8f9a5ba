//! Load: 2,000 requests, 64 in flight, through one client, against a loopback server that
//! answers 5% of first GET attempts with 503 and resets the connection on another 5%. Every
//! request must end in success or a typed error; the server's counts show none was lost or
//! sent twice, and every POST ran exactly once. Bounded: the whole run has a 60 s deadline.

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clerk_sdk::models::CreatePhoneNumberRequest;
use clerk_sdk::{BackoffStrategy, Clerk, Error, RetryConfig};
use common::{SECRET_KEY, phone_number_json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

const REQUESTS: usize = 2_000;
const IN_FLIGHT: usize = 64;
const POST_EVERY: usize = 4;

/// How many times the server saw each request id.
type Counts = Arc<Mutex<HashMap<usize, u32>>>;

/// What the server does with the first attempt of a GET: 1 in 20 gets a 503, 1 in 20 a reset.
fn injected_fault(id: usize) -> Option<&'static str> {
    match id % 20 {
        3 => Some("503"),
        13 => Some("reset"),
        _ => None,
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
        let is_get = request_line.starts_with("GET ");
        let fault = if is_get && attempt == 1 {
            injected_fault(id)
        } else {
            None
        };
        let (status, payload) = match fault {
            Some("reset") => {
                let _ = reader.get_ref().set_zero_linger();
                return;
            }
            Some(_) => ("503 Service Unavailable", r#"{"errors":[]}"#.to_owned()),
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
    let clerk = Clerk::builder()
        .bearer_auth(SECRET_KEY)
        .server_url(format!("http://{address}/v1"))
        .retries(retries)
        .timeout(Duration::from_secs(10))
        .build()
        .expect("builds");

    let started = Instant::now();
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
    let deadline = Duration::from_secs(60);
    while let Some(joined) = tokio::time::timeout(deadline, tasks.join_next())
        .await
        .expect("bounded in time")
    {
        outcomes.push(joined.expect("task did not panic"));
    }
    let wall = started.elapsed();

    assert_eq!(outcomes.len(), REQUESTS, "every request completed");
    let counts = counts.lock().expect("not poisoned").clone();
    let mut successes = 0;
    let mut typed_errors = 0;
    let mut latencies = Vec::with_capacity(REQUESTS);
    for (id, outcome, latency) in &outcomes {
        latencies.push(*latency);
        let seen = counts.get(id).copied().unwrap_or(0);
        assert!(seen >= 1, "request {id} never reached the server");
        let is_post = id % POST_EVERY == 0;
        match (is_post, injected_fault(*id)) {
            (true, _) => assert_eq!(seen, 1, "POST {id} ran {seen} times"),
            (false, None) => assert_eq!(seen, 1, "GET {id} was duplicated"),
            (false, Some("503")) => {
                assert_eq!(seen, 2, "GET {id}: one 503, one retry");
                assert!(outcome.is_ok(), "GET {id} should succeed after its retry: {outcome:?}");
            }
            (false, Some(_)) => assert!(seen <= 2, "GET {id} after a reset was sent {seen} times"),
        }
        match outcome {
            Ok(()) => successes += 1,
            Err(Error::Transport { .. } | Error::UnexpectedStatus(_) | Error::Api(_) | Error::Decode(_)) => {
                typed_errors += 1;
            }
            Err(other) => panic!("request {id}: unexpected kind of error {other:?}"),
        }
    }
    latencies.sort();
    let attempts: u32 = counts.values().sum();
    println!(
        "load: {REQUESTS} requests, {IN_FLIGHT} in flight: {successes} succeeded, {typed_errors} typed errors, \
         {} retries; latency p50 {:?}, p99 {:?}; {wall:?} in all",
        attempts as usize - REQUESTS,
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
    );
    assert_eq!(successes + typed_errors, REQUESTS);
}
