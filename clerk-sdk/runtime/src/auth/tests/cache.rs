//! The key cache against a fetcher that counts: single flight, a fixed time to live, at most
//! one refresh per window for unknown `kid`s, and no cache shared between authenticators. The
//! clock is tokio's, paused, so minutes pass in no time and exactly.

use futures_util::future::join_all;
use tokio::time::advance;

use super::*;

fn secs(seconds: u64) -> Duration {
    Duration::from_secs(seconds)
}

#[tokio::test(start_paused = true)]
async fn a_thousand_concurrent_verifications_on_a_cold_cache_make_one_fetch() {
    let (auth, fetcher) = authenticator(AuthOptions::new());
    let token = keys()[0].sign("kid_a", &claims());
    let outcomes = join_all((0..1000).map(|_| auth.verify_token(&token))).await;
    assert!(outcomes.iter().all(Result::is_ok));
    assert_eq!(fetcher.fetches(), 1);
}

#[tokio::test(start_paused = true)]
async fn unknown_kids_refresh_the_keys_at_most_once_per_window() {
    let (auth, fetcher) = authenticator(AuthOptions::new());
    auth.verify_token(&keys()[0].sign("kid_a", &claims()))
        .await
        .expect("warms the cache");
    let made_up = |round: usize| -> Vec<String> {
        (0..1000)
            .map(|i| keys()[0].sign(&format!("kid_{round}_{i}"), &claims()))
            .collect()
    };
    // Within the window after the first fetch, made-up `kid`s fetch nothing.
    let tokens = made_up(1);
    let outcomes = join_all(tokens.iter().map(|token| auth.verify_token(token))).await;
    assert!(
        outcomes
            .iter()
            .all(|outcome| matches!(outcome, Err(AuthError::UnknownKeyId { .. })))
    );
    assert_eq!(fetcher.fetches(), 1);
    // Past it, a thousand more share one refresh; then the window starts again.
    advance(DEFAULT_REFRESH_WINDOW).await;
    let tokens = made_up(2);
    join_all(tokens.iter().map(|token| auth.verify_token(token))).await;
    assert_eq!(fetcher.fetches(), 2);
    join_all(made_up(3).iter().map(|token| auth.verify_token(token))).await;
    assert_eq!(fetcher.fetches(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_removed_key_stops_verifying_within_one_ttl_however_busy() {
    let (auth, fetcher) = authenticator(AuthOptions::new().jwks_ttl(secs(300)));
    let token = keys()[0].sign("kid_a", &claims());
    auth.verify_token(&token).await.expect("verifies");
    // The instance drops the key; the token keeps coming, every second.
    *fetcher.keys.lock().expect("lock") = vec![keys()[1].jwk("kid_b")];
    let mut last_verified = 0;
    for second in 1..=600 {
        advance(secs(1)).await;
        if auth.verify_token(&token).await.is_ok() {
            last_verified = second;
        }
    }
    assert!(
        last_verified < 300,
        "verified until {last_verified} s: hits extended the keys' life"
    );
    assert!(
        last_verified >= 290,
        "the keys were dropped early, at {last_verified} s"
    );
    // The first fetch, the refresh at the TTL, then at most one per refresh window for the
    // `kid` the keys no longer have: 300 s / 30 s.
    let window = DEFAULT_REFRESH_WINDOW.as_secs() as usize;
    assert!(fetcher.fetches() <= 2 + 300 / window, "{} fetches", fetcher.fetches());
}

#[tokio::test(start_paused = true)]
async fn a_token_of_a_rotated_key_verifies_once_the_keys_are_refreshed() {
    let (auth, fetcher) = authenticator(AuthOptions::new());
    auth.verify_token(&keys()[0].sign("kid_a", &claims()))
        .await
        .expect("verifies");
    *fetcher.keys.lock().expect("lock") = vec![keys()[0].jwk("kid_a"), keys()[1].jwk("kid_b")];
    let rotated = keys()[1].sign("kid_b", &claims());
    assert!(matches!(
        auth.verify_token(&rotated).await,
        Err(AuthError::UnknownKeyId { .. })
    ));
    advance(DEFAULT_JWKS_TTL).await;
    assert!(
        auth.verify_token(&rotated).await.is_ok(),
        "after the TTL, the new key is fetched"
    );
    assert_eq!(fetcher.fetches(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_failed_fetch_is_shared_and_stale_keys_are_never_used() {
    let (auth, fetcher) = authenticator(AuthOptions::new());
    let token = keys()[0].sign("kid_a", &claims());
    auth.verify_token(&token).await.expect("verifies");
    fetcher.keys.lock().expect("lock").clear();
    advance(DEFAULT_JWKS_TTL).await;
    let outcomes = join_all((0..100).map(|_| auth.verify_token(&token))).await;
    assert!(outcomes.iter().all(|outcome| matches!(
        outcome,
        Err(AuthError::KeysUnavailable { reason }) if reason == "503 Service Unavailable"
    )));
    assert_eq!(fetcher.fetches(), 2, "the hundred shared one failed fetch");
}

#[tokio::test(start_paused = true)]
async fn two_authenticators_never_share_a_key() {
    let first = Counting::with(vec![keys()[0].jwk("kid_a")]);
    let second = Counting::with(vec![keys()[1].jwk("kid_a")]);
    let at = UNIX_EPOCH + Duration::from_secs(NOW);
    let a = Authenticator::new(first.clone(), AuthOptions::new())
        .expect("builds")
        .at(at);
    let b = Authenticator::new(second.clone(), AuthOptions::new())
        .expect("builds")
        .at(at);
    let token = keys()[0].sign("kid_a", &claims());
    assert!(a.verify_token(&token).await.is_ok());
    assert_eq!(b.verify_token(&token).await, Err(AuthError::InvalidSignature));
    assert_eq!((first.fetches(), second.fetches()), (1, 1));
}
