//! Machine tokens verified through a real `Clerk` client against the testing kit's loopback
//! mock, which counts the requests to each verify operation and to `/jwks`.

use std::time::{Duration, Instant};

use clerk_sdk::auth::testing::{
    MachineTokens, TEST_PUBLIC_KEY_PEM, TestMachineToken, m2m_claims, oauth_claims, session_claims, sign_m2m_token,
    sign_oauth_token, sign_session_token,
};
use clerk_sdk::auth::{Accepts, AuthError, AuthOptions, MachineCacheOptions, TokenFormat, TokenKind, Verified};
use clerk_sdk::testing::MockClerk;
use futures_util::future::join_all;

/// How many requests the mock received at paths ending in `suffix`.
fn requests_to(mock: &MockClerk, suffix: &str) -> usize {
    mock.requests()
        .iter()
        .filter(|request| request.path.ends_with(suffix))
        .count()
}

/// The requests to each verify operation, and to `/jwks`.
fn counts(mock: &MockClerk) -> [usize; 4] {
    [
        requests_to(mock, "/api_keys/verify"),
        requests_to(mock, "/m2m_tokens/verify"),
        requests_to(mock, "/access_tokens/verify"),
        requests_to(mock, "/jwks"),
    ]
}

async fn mock_with(tokens: &MachineTokens) -> MockClerk {
    let mock = MockClerk::start().await;
    mock.serves_session_keys();
    mock.serves_machine_tokens(tokens);
    mock
}

#[tokio::test]
async fn every_kind_verifies_and_each_refusal_has_its_own_variant() {
    let tokens = MachineTokens::new()
        .api_key("ak_good", TestMachineToken::valid("user_1").name("CI").scopes(["read"]))
        .api_key("ak_revoked", TestMachineToken::revoked("user_1"))
        .m2m_token("mt_good", TestMachineToken::valid("mch_1").scopes(["mch_2"]))
        .m2m_token("mt_expired", TestMachineToken::expired("mch_1"))
        .oauth_token("oat_good", TestMachineToken::valid("user_1").client_id("client_1"));
    let mock = mock_with(&tokens).await;
    let auth = mock.clerk().authenticator(AuthOptions::new()).expect("builds");
    let any = Accepts::any();
    let kind_of = |verified: Result<Verified, AuthError>| {
        verified.map(|verified| (verified.kind(), verified.subject().to_owned()))
    };
    let session = sign_session_token(&session_claims("user_1"));
    assert_eq!(
        kind_of(auth.verify(&session, any).await),
        Ok((TokenKind::Session, "user_1".to_owned()))
    );
    let key = auth.verify("ak_good", any).await.expect("valid");
    let key = key.machine().expect("a machine token");
    assert_eq!(
        (key.kind, key.format, key.name.as_deref()),
        (TokenKind::ApiKey, TokenFormat::Opaque, Some("CI"))
    );
    assert_eq!(key.scopes, ["read"]);
    assert_eq!(
        kind_of(auth.verify("mt_good", any).await),
        Ok((TokenKind::M2mToken, "mch_1".to_owned()))
    );
    let oauth = auth.verify("oat_good", any).await.expect("valid");
    assert_eq!(
        oauth.machine().and_then(|token| token.client_id.as_deref()),
        Some("client_1")
    );
    let m2m_jwt = sign_m2m_token(&m2m_claims("mch_9", &[]));
    assert_eq!(
        kind_of(auth.verify(&m2m_jwt, any).await),
        Ok((TokenKind::M2mToken, "mch_9".to_owned()))
    );
    let oauth_jwt = sign_oauth_token(&oauth_claims("user_9", "client_9", &["email"]));
    assert_eq!(
        kind_of(auth.verify(&oauth_jwt, any).await),
        Ok((TokenKind::OAuthToken, "user_9".to_owned()))
    );
    assert_eq!(
        counts(&mock),
        [1, 1, 1, 1],
        "each opaque token asked about once, the keys fetched once"
    );

    assert!(matches!(
        auth.verify("ak_revoked", any).await,
        Err(AuthError::MachineTokenRevoked {
            kind: TokenKind::ApiKey,
            reason: Some(_)
        })
    ));
    assert_eq!(
        auth.verify("mt_expired", any).await,
        Err(AuthError::MachineTokenExpired {
            kind: TokenKind::M2mToken
        })
    );
    assert_eq!(
        auth.verify("oat_unknown", any).await,
        Err(AuthError::MachineTokenInvalid {
            kind: TokenKind::OAuthToken,
            status: 404
        })
    );
    assert_eq!(
        auth.verify("ak_good", TokenKind::M2mToken).await,
        Err(AuthError::TokenKindNotAccepted {
            kind: TokenKind::ApiKey,
            accepted: Accepts::only(TokenKind::M2mToken)
        })
    );
    let audience = mock
        .clerk()
        .authenticator(AuthOptions::new().audience(["https://api.example.com"]))
        .expect("builds");
    assert_eq!(
        audience.verify(&oauth_jwt, any).await,
        Err(AuthError::InvalidAudience { aud: Vec::new() })
    );
    assert_eq!(counts(&mock), [2, 2, 2, 2]);
}

#[tokio::test]
async fn a_thousand_concurrent_requests_with_one_opaque_token_make_one_call() {
    let tokens = MachineTokens::new().m2m_token("mt_shared", TestMachineToken::valid("mch_1"));
    let mock = mock_with(&tokens).await;
    let auth = mock.clerk().authenticator(AuthOptions::new()).expect("builds");
    let outcomes = join_all((0..1_000).map(|_| auth.verify("mt_shared", TokenKind::M2mToken))).await;
    assert!(
        outcomes
            .iter()
            .all(|outcome| outcome.as_ref().is_ok_and(|v| v.subject() == "mch_1"))
    );
    assert_eq!(requests_to(&mock, "/m2m_tokens/verify"), 1);
    // Warm: no call at all.
    for _ in 0..100 {
        assert!(auth.verify("mt_shared", TokenKind::M2mToken).await.is_ok());
    }
    assert_eq!(requests_to(&mock, "/m2m_tokens/verify"), 1);
}

#[tokio::test]
async fn an_invalid_token_repeated_through_the_window_makes_one_call() {
    let mock = mock_with(&MachineTokens::new()).await;
    let window = Duration::from_millis(400);
    let options = AuthOptions::new().machine_cache(MachineCacheOptions::default().invalid_for(window));
    let auth = mock.clerk().authenticator(options).expect("builds");
    let started = Instant::now();
    let mut tries = 0;
    while started.elapsed() < window / 2 {
        assert!(matches!(
            auth.verify("ak_replayed", TokenKind::ApiKey).await,
            Err(AuthError::MachineTokenInvalid { status: 404, .. })
        ));
        tries += 1;
    }
    assert!(tries > 10, "{tries} tries");
    assert_eq!(
        requests_to(&mock, "/api_keys/verify"),
        1,
        "{tries} tries in the window, one call"
    );
    tokio::time::sleep(window).await;
    assert!(auth.verify("ak_replayed", TokenKind::ApiKey).await.is_err());
    assert_eq!(
        requests_to(&mock, "/api_keys/verify"),
        2,
        "past the window, asked again"
    );
}

#[tokio::test]
async fn ten_thousand_distinct_invalid_tokens_leave_the_caches_bounded() {
    let mock = mock_with(&MachineTokens::new()).await;
    let capacity = 1_000;
    let options = AuthOptions::new().machine_cache(MachineCacheOptions::default().capacity(capacity));
    let auth = mock.clerk().authenticator(options).expect("builds");
    for batch in 0..50 {
        let tokens: Vec<String> = (0..200).map(|n| format!("ak_made_up_{batch}_{n}")).collect();
        let outcomes = join_all(tokens.iter().map(|token| auth.verify(token, TokenKind::ApiKey))).await;
        assert!(
            outcomes
                .iter()
                .all(|outcome| matches!(outcome, Err(AuthError::MachineTokenInvalid { .. })))
        );
        let stats = auth.machine_cache_stats().expect("a cache");
        assert!(stats.invalid <= capacity && stats.valid == 0, "{stats:?}");
    }
    let stats = auth.machine_cache_stats().expect("a cache");
    assert_eq!((stats.api_calls, stats.in_flight), (10_000, 0));
    assert!(stats.invalid <= capacity, "{stats:?}");
    println!("after 10,000 distinct invalid tokens: {stats:?} (capacity {capacity})");
}

#[tokio::test]
async fn networkless_mode_makes_no_request_for_jwt_tokens() {
    let mock = MockClerk::start().await;
    let auth = mock
        .clerk()
        .authenticator(AuthOptions::new().jwt_key(TEST_PUBLIC_KEY_PEM))
        .expect("builds");
    for _ in 0..100 {
        let session = sign_session_token(&session_claims("user_1"));
        let m2m = sign_m2m_token(&m2m_claims("mch_1", &["mch_2"]));
        let oauth = sign_oauth_token(&oauth_claims("user_1", "client_1", &["read"]));
        for token in [session, m2m, oauth] {
            assert!(auth.verify(&token, Accepts::any()).await.is_ok());
        }
    }
    assert_eq!(mock.requests().len(), 0);
}
