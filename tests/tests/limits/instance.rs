//! A Clerk-like instance on loopback, served on the test's own runtime so that it keeps time
//! on tokio's paused clock with the client: it limits each secret key to `limit` requests per
//! `window` as Clerk documents (a 429 with `Retry-After` past it), answers the phone-number
//! operations, and records every request it sees.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use clerk_sdk::testing::fixtures;
use serde_json::{Value, json};
use tokio::time::Instant;

/// How the instance answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Health {
    /// As Clerk does.
    Up,
    /// 503 to everything.
    Unavailable,
}

/// What the instance saw.
#[derive(Debug, Default)]
pub struct Seen {
    /// Every request's arrival, by `Authorization` header.
    pub arrivals: HashMap<String, Vec<Instant>>,
    /// How many requests were answered 429.
    pub throttled: u64,
    /// How many times each phone number was created.
    pub created: HashMap<String, u32>,
}

impl Seen {
    /// Every request, of every key.
    pub fn attempts(&self) -> usize {
        self.arrivals.values().map(Vec::len).sum()
    }

    /// The most requests of one key that arrived within any closed window of `window`.
    pub fn busiest_window(&self, key: &str, window: Duration) -> usize {
        let Some(times) = self.arrivals.get(&format!("Bearer {key}")) else {
            return 0;
        };
        let (mut busiest, mut first) = (0, 0);
        for (last, &time) in times.iter().enumerate() {
            while times[first] + window < time {
                first += 1;
            }
            busiest = busiest.max(last + 1 - first);
        }
        busiest
    }
}

/// The instance: its limit, its health, and what it saw.
pub struct Instance {
    limit: usize,
    window: Duration,
    health: Mutex<Health>,
    /// How long each answer takes.
    delay: Duration,
    /// The requests each key made that the limit admitted, in the current window.
    admitted: Mutex<HashMap<String, VecDeque<Instant>>>,
    pub seen: Mutex<Seen>,
}

impl Instance {
    /// An instance that admits `limit` requests per `window` for each key.
    pub fn new(limit: usize, window: Duration) -> Instance {
        Instance {
            limit,
            window,
            health: Mutex::new(Health::Up),
            delay: Duration::ZERO,
            admitted: Mutex::default(),
            seen: Mutex::default(),
        }
    }

    /// The same, taking `delay` to answer each request.
    pub fn slow(mut self, delay: Duration) -> Instance {
        self.delay = delay;
        self
    }

    pub fn set_health(&self, health: Health) {
        *lock(&self.health) = health;
    }

    /// Serves the instance on loopback, on the current runtime; its URL.
    pub async fn serve(self: &Arc<Self>) -> String {
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .expect("binds");
        let url = format!("http://{}", listener.local_addr().expect("an address"));
        let router = axum::Router::new().fallback(answer).with_state(self.clone());
        tokio::spawn(async move { axum::serve(listener, router).await.expect("serves") });
        url
    }

    /// Whether the limit admits a request of `key` at `now`, or the `Retry-After` seconds.
    fn admit(&self, key: &str, now: Instant) -> Result<(), u64> {
        let mut admitted = lock(&self.admitted);
        let times = admitted.entry(key.to_owned()).or_default();
        while times.front().is_some_and(|&first| first + self.window <= now) {
            times.pop_front();
        }
        if times.len() >= self.limit {
            let free_at = times[0] + self.window;
            return Err(free_at.saturating_duration_since(now).as_secs_f64().ceil().max(1.0) as u64);
        }
        times.push_back(now);
        Ok(())
    }
}

fn clerk_error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = json!({"errors": [{"message": message, "long_message": message, "code": code}]});
    (status, [("content-type", "application/json")], body.to_string()).into_response()
}

async fn answer(
    State(instance): State<Arc<Instance>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let now = Instant::now();
    let key = headers
        .get("authorization")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    lock(&instance.seen).arrivals.entry(key.clone()).or_default().push(now);
    if *lock(&instance.health) == Health::Unavailable {
        return clerk_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "service_unavailable",
            "Service unavailable",
        );
    }
    if let Err(retry_after) = instance.admit(&key, now) {
        lock(&instance.seen).throttled += 1;
        let mut response = clerk_error(StatusCode::TOO_MANY_REQUESTS, "too_many_requests", "Too many requests");
        response.headers_mut().insert("retry-after", retry_after.into());
        return response;
    }
    if !instance.delay.is_zero() {
        tokio::time::sleep(instance.delay).await;
    }
    match (method, uri.path()) {
        (Method::POST, "/phone_numbers") => create(&instance, &body),
        (Method::GET, path) if path.starts_with("/phone_numbers/") => json_response(&fixtures::phone_number()),
        (Method::DELETE, path) if path.starts_with("/phone_numbers/") => json_response(&fixtures::deleted_object()),
        _ => clerk_error(StatusCode::NOT_FOUND, "resource_not_found", "Not found"),
    }
}

/// `POST /phone_numbers`: a number that is not `+` and digits is refused with 422, as one
/// already created is.
fn create(instance: &Instance, body: &[u8]) -> Response {
    let request: Value = serde_json::from_slice(body).unwrap_or_default();
    let number = request["phone_number"].as_str().unwrap_or_default().to_owned();
    let valid = number
        .strip_prefix('+')
        .is_some_and(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()));
    if !valid {
        return clerk_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "form_param_format_invalid",
            "phone_number is invalid",
        );
    }
    let mut seen = lock(&instance.seen);
    let count = seen.created.entry(number.clone()).or_default();
    if *count > 0 {
        return clerk_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "form_identifier_exists",
            "That phone number is taken",
        );
    }
    *count += 1;
    let mut phone = serde_json::to_value(fixtures::phone_number()).expect("serializes");
    phone["phone_number"] = json!(number);
    (
        StatusCode::OK,
        [("content-type", "application/json")],
        phone.to_string(),
    )
        .into_response()
}

fn json_response(value: &impl serde::Serialize) -> Response {
    let body = serde_json::to_string(value).expect("serializes");
    (StatusCode::OK, [("content-type", "application/json")], body).into_response()
}

/// The guard of `mutex`, poisoned or not: a panicking test has failed already.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
