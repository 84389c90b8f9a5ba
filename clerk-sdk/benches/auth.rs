//! The hot path of authentication: a session token verified on a warm key cache, against
//! `jsonwebtoken` verifying the same token with the same key in the same run; and a thousand
//! verifications at once across the multi-threaded runtime's workers, against the same thousand
//! one after another, so that contention on the caches would show. Prints the ratios.

mod support;

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clerk_sdk::auth::testing::{session_claims, sign_session_token, test_jwk};
use clerk_sdk::auth::{AuthOptions, Authenticator, FetchJwks, Jwk, JwksFuture, SessionClaims};
use criterion::Criterion;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{Map, Value};
use support::{interleaved_ratio_with, print_ratio};

/// The test key set, answered at once: the cache is warmed before anything is measured.
struct TestKeys;

impl FetchJwks for TestKeys {
    fn fetch_jwks(&self) -> JwksFuture<'_> {
        Box::pin(async { Ok::<Vec<Jwk>, String>(vec![test_jwk()]) })
    }
}

/// A token valid for an hour, so that no run outlives it.
fn token() -> String {
    let mut claims = session_claims("user_bench");
    claims["exp"] = claims["iat"].as_u64().map(|iat| iat + 3_600).into();
    sign_session_token(&claims)
}

/// The SDK's verification, on `auth`'s warm cache.
async fn sdk(auth: &Authenticator, token: &str) -> SessionClaims {
    auth.verify_token(black_box(token)).await.expect("verifies")
}

/// `jsonwebtoken` alone: the same token, the same key, RS256, `exp` checked.
fn bare(key: &DecodingKey, validation: &Validation, token: &str) -> Map<String, Value> {
    jsonwebtoken::decode::<Map<String, Value>>(black_box(token), key, validation)
        .expect("verifies")
        .claims
}

fn baseline_key() -> (DecodingKey, Validation) {
    // The key the authenticator's cache holds: the test JWKS entry's modulus and exponent.
    let jwk = test_jwk();
    let key = DecodingKey::from_rsa_components(&jwk.n, &jwk.e).expect("the test key");
    let mut validation = Validation::new(Algorithm::RS256);
    validation.required_spec_claims.clear();
    (key, validation)
}

/// Criterion's medians of each, and their interleaved ratio.
fn warm_cache(c: &mut Criterion) -> f64 {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    let auth = Authenticator::new(TestKeys, AuthOptions::new()).expect("an authenticator");
    let token = token();
    runtime.block_on(sdk(&auth, &token));
    let (key, validation) = baseline_key();
    let mut group = c.benchmark_group("verify_session");
    group.bench_function("sdk", |b| b.iter(|| runtime.block_on(sdk(&auth, &token))));
    group.bench_function("jsonwebtoken", |b| {
        b.iter(|| runtime.block_on(async { bare(&key, &validation, &token) }))
    });
    group.finish();
    interleaved_ratio_with(
        101,
        50,
        || {
            black_box(runtime.block_on(sdk(&auth, &token)));
        },
        || {
            black_box(runtime.block_on(async { bare(&key, &validation, &token) }));
        },
    )
}

/// What verifies in the concurrency bench: the SDK, or `jsonwebtoken` alone.
#[derive(Clone)]
enum Verifier {
    Sdk(Authenticator),
    Bare(Arc<(DecodingKey, Validation)>),
}

impl Verifier {
    async fn verify(&self, token: &str) {
        match self {
            Verifier::Sdk(auth) => drop(black_box(sdk(auth, token).await)),
            Verifier::Bare(key) => drop(black_box(bare(&key.0, &key.1, token))),
        }
    }
}

/// Seconds per verification: `count` at once across `runtime`'s `workers` (wall time times the
/// workers, so that a perfectly parallel run counts as one after another), and `count` one
/// after another on one task. Medians of `rounds`.
fn schedules(
    runtime: &tokio::runtime::Runtime,
    workers: usize,
    verifier: &Verifier,
    count: usize,
    rounds: usize,
) -> (f64, f64) {
    let token: Arc<str> = token().into();
    runtime.block_on(verifier.verify(&token));
    let at_once = || {
        let (verifier, token) = (verifier.clone(), token.clone());
        let started = Instant::now();
        // Spawned and awaited from a worker, so that the thread blocked in `block_on` takes no
        // turn on the machine's cores while the workers verify.
        runtime.block_on(async {
            tokio::spawn(async move {
                let tasks: Vec<_> = (0..count)
                    .map(|_| {
                        let (verifier, token) = (verifier.clone(), token.clone());
                        tokio::spawn(async move { verifier.verify(&token).await })
                    })
                    .collect();
                for task in tasks {
                    task.await.expect("joins");
                }
            })
            .await
            .expect("joins");
        });
        started.elapsed().as_secs_f64() * workers as f64 / count as f64
    };
    let in_turn = || {
        let (verifier, token) = (verifier.clone(), token.clone());
        let started = Instant::now();
        runtime.block_on(async {
            tokio::spawn(async move {
                for _ in 0..count {
                    verifier.verify(&token).await;
                }
            })
            .await
            .expect("joins");
        });
        started.elapsed().as_secs_f64() / count as f64
    };
    let (mut concurrent, mut sequential) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        concurrent.push(at_once());
        sequential.push(in_turn());
    }
    concurrent.sort_by(f64::total_cmp);
    sequential.sort_by(f64::total_cmp);
    (concurrent[rounds / 2], sequential[rounds / 2])
}

/// The concurrency bench: the SDK and `jsonwebtoken` alone, each at once and in turn, printed.
fn concurrency(count: usize, rounds: usize) {
    let workers = std::thread::available_parallelism().map_or(2, usize::from);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .build()
        .expect("a runtime");
    let auth = Authenticator::new(TestKeys, AuthOptions::new()).expect("an authenticator");
    let sdk = Verifier::Sdk(auth);
    let bare = Verifier::Bare(Arc::new(baseline_key()));
    let mut results = Vec::new();
    // Alternated, so that a change in the machine's load hits both.
    for _ in 0..3 {
        results.push((
            schedules(&runtime, workers, &sdk, count, rounds),
            schedules(&runtime, workers, &bare, count, rounds),
        ));
    }
    for ((sdk_at_once, sdk_in_turn), (bare_at_once, bare_in_turn)) in results {
        println!(
            "{count} at once on {workers} workers, µs of worker time per verification: sdk {:.1} (in turn {:.1}, ratio {:.3}); jsonwebtoken alone {:.1} (in turn {:.1}, ratio {:.3}); the SDK's share of the ratio {:.3}",
            sdk_at_once * 1e6,
            sdk_in_turn * 1e6,
            sdk_at_once / sdk_in_turn,
            bare_at_once * 1e6,
            bare_in_turn * 1e6,
            bare_at_once / bare_in_turn,
            (sdk_at_once / sdk_in_turn) / (bare_at_once / bare_in_turn),
        );
    }
}

fn main() {
    let mut criterion = Criterion::default()
        .output_directory(&support::criterion_dir())
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    let interleaved = warm_cache(&mut criterion);
    criterion.final_summary();
    print_ratio(
        "warm-cache session token (sdk / jsonwebtoken)",
        "verify_session/sdk",
        "verify_session/jsonwebtoken",
    );
    println!("interleaved ratio, warm-cache session token (sdk / jsonwebtoken): {interleaved:.3}");
    concurrency(1_000, 9);
}
