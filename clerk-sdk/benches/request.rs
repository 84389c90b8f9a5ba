//! Request overhead: `get` and `update` through clerk-sdk (default retry config in place)
//! against a hand-written `reqwest::Client` doing the same request (same headers, same JSON
//! decoding into plain serde structs), at 1 and at 32 concurrent requests, against a minimal
//! hyper server on loopback. Prints time ratios from this run's medians, and allocations per
//! request counted by a global allocator.

// The counting allocator needs `unsafe impl GlobalAlloc`; it only forwards to `System`.
#![allow(unsafe_code)]

mod support;

use std::alloc::{GlobalAlloc, Layout, System};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use clerk_sdk::Clerk;
use clerk_sdk::models::UpdatePhoneNumberRequest;
use criterion::{BenchmarkId, Criterion};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response};
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use support::{OTP, PlainPhoneNumber, phone_number_json, print_ratio};

/// Counts allocations made outside the server's thread, forwarding everything to the system
/// allocator.
struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// Set on the server's thread, whose allocations are not the client's.
    static IS_SERVER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn count() {
    if !IS_SERVER.try_with(std::cell::Cell::get).unwrap_or(true) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    }
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: forwarded as is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded as is.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        // SAFETY: forwarded as is.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const KEY: &str = "sk_test_bench";

/// Starts a minimal HTTP/1.1 server on its own thread that answers every request with the
/// same phone number.
fn start_server() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
    listener.set_nonblocking(true).expect("non-blocking");
    let address = listener.local_addr().expect("address");
    let body = Bytes::from(phone_number_json(OTP, 1));
    std::thread::spawn(move || {
        IS_SERVER.with(|flag| flag.set(true));
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let body = body.clone();
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |request: Request<Incoming>| {
                        let body = body.clone();
                        async move {
                            let _ = request.into_body().collect().await;
                            Ok::<_, Infallible>(
                                Response::builder()
                                    .header("content-type", "application/json")
                                    .body(Full::new(body))
                                    .expect("response"),
                            )
                        }
                    });
                    let io = hyper_util::rt::TokioIo::new(stream);
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(io, service)
                        .await;
                });
            }
        });
    });
    address
}

/// The hand-written baseline: the same request and decoding, no SDK.
#[derive(Clone)]
struct Baseline {
    http: reqwest::Client,
    base: String,
}

impl Baseline {
    fn request(&self, builder: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        builder
            .header(AUTHORIZATION, format!("Bearer {KEY}"))
            .header("clerk-api-version", clerk_sdk::API_VERSION)
            .header(USER_AGENT, "baseline/1.0")
            .header(ACCEPT, "application/json")
    }

    async fn get(&self, id: &str) -> PlainPhoneNumber {
        let response = self
            .request(self.http.get(format!("{}/phone_numbers/{id}", self.base)))
            .send()
            .await;
        let bytes = response
            .expect("sent")
            .error_for_status()
            .expect("2xx")
            .bytes()
            .await
            .expect("body");
        serde_json::from_slice(&bytes).expect("decodes")
    }

    async fn update(&self, id: &str) -> PlainPhoneNumber {
        let body = serde_json::to_vec(&serde_json::json!({"verified": false, "primary": true})).expect("encodes");
        let request = self.request(self.http.patch(format!("{}/phone_numbers/{id}", self.base)));
        let response = request.header(CONTENT_TYPE, "application/json").body(body).send().await;
        let bytes = response
            .expect("sent")
            .error_for_status()
            .expect("2xx")
            .bytes()
            .await
            .expect("body");
        serde_json::from_slice(&bytes).expect("decodes")
    }
}

async fn sdk_get(clerk: &Clerk) {
    clerk.phone_numbers().get("phone_1").await.expect("get");
}

async fn sdk_update(clerk: &Clerk) {
    let body = UpdatePhoneNumberRequest::default().verified(false).primary(true);
    clerk.phone_numbers().update("phone_1", body).await.expect("update");
}

/// Runs `n` copies of a request at once on the runtime and waits for all.
async fn concurrently<F, Fut>(n: usize, make: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..n {
        tasks.spawn(make());
    }
    while tasks.join_next().await.is_some() {}
}

/// `n` concurrent `operation` requests (`get` or `update`) through the SDK.
fn sdk_batch(clerk: &Clerk, operation: &'static str, n: usize) -> impl Future<Output = ()> + use<> {
    let clerk = clerk.clone();
    concurrently(n, move || {
        let clerk = clerk.clone();
        async move {
            if operation == "get" {
                sdk_get(&clerk).await
            } else {
                sdk_update(&clerk).await
            }
        }
    })
}

/// `n` concurrent `operation` requests (`get` or `update`) through the hand-written baseline.
fn baseline_batch(baseline: &Baseline, operation: &'static str, n: usize) -> impl Future<Output = ()> + use<> {
    let baseline = baseline.clone();
    concurrently(n, move || {
        let baseline = baseline.clone();
        async move {
            if operation == "get" {
                baseline.get("phone_1").await;
            } else {
                baseline.update("phone_1").await;
            }
        }
    })
}

fn requests(c: &mut Criterion, runtime: &tokio::runtime::Runtime, clerk: &Clerk, baseline: &Baseline) {
    for operation in ["get", "update"] {
        let mut group = c.benchmark_group(operation);
        for concurrency in [1usize, 32] {
            group.bench_with_input(BenchmarkId::new("sdk", concurrency), &concurrency, |b, &n| {
                b.to_async(runtime).iter(|| sdk_batch(clerk, operation, n))
            });
            group.bench_with_input(BenchmarkId::new("baseline", concurrency), &concurrency, |b, &n| {
                b.to_async(runtime).iter(|| baseline_batch(baseline, operation, n))
            });
        }
        group.finish();
    }
}

/// Allocations per request, averaged over many sequential requests after a warm-up.
fn allocations_per_request<F, Fut>(runtime: &tokio::runtime::Runtime, request: F) -> f64
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    const ROUNDS: u64 = 2_000;
    runtime.block_on(async {
        for _ in 0..100 {
            request().await;
        }
        let before = ALLOCATIONS.load(Ordering::Relaxed);
        for _ in 0..ROUNDS {
            request().await;
        }
        (ALLOCATIONS.load(Ordering::Relaxed) - before) as f64 / ROUNDS as f64
    })
}

fn main() {
    let address = start_server();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let clerk = Clerk::builder()
        .bearer_auth(KEY)
        .server_url(format!("http://{address}"))
        .build()
        .expect("client");
    let baseline = Baseline {
        http: reqwest::Client::new(),
        base: format!("http://{address}"),
    };

    let mut criterion = Criterion::default()
        .output_directory(&support::criterion_dir())
        .configure_from_args();
    requests(&mut criterion, &runtime, &clerk, &baseline);
    criterion.final_summary();

    for operation in ["get", "update"] {
        for concurrency in [1, 32] {
            print_ratio(
                &format!("{operation} x{concurrency} (sdk / baseline)"),
                &format!("{operation}/sdk/{concurrency}"),
                &format!("{operation}/baseline/{concurrency}"),
            );
        }
    }
    // The same comparison, robust to the machine's drift: alternating batches of each.
    for operation in ["get", "update"] {
        for concurrency in [1, 32] {
            // About 64 requests per batch either way.
            let repeats = if concurrency == 1 { 64 } else { 2 };
            let sdk = || runtime.block_on(sdk_batch(&clerk, operation, concurrency));
            let plain = || runtime.block_on(baseline_batch(&baseline, operation, concurrency));
            let ratio = support::interleaved_ratio_with(301, repeats, sdk, plain);
            println!("interleaved ratio {operation} x{concurrency} (sdk / baseline): {ratio:.3}");
        }
    }

    let sdk = allocations_per_request(&runtime, || sdk_get(&clerk));
    let plain = allocations_per_request(&runtime, || async {
        baseline.get("phone_1").await;
    });
    println!("allocations per get: sdk {sdk:.1}, baseline {plain:.1}");
    let sdk = allocations_per_request(&runtime, || sdk_update(&clerk));
    let plain = allocations_per_request(&runtime, || async {
        baseline.update("phone_1").await;
    });
    println!("allocations per update: sdk {sdk:.1}, baseline {plain:.1}");
}
