//! Machine tokens: JWTs verified locally, opaque ones through a verifier that counts its calls,
//! once per token however many requests carry it, and remembered within bounds.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use http::HeaderValue;
use serde_json::{Value, json};

use super::{ISSUER, NOW, authenticator, claims_with, keys};
use crate::auth::machine::jwt::{M2M_CATEGORY, SESSION_CATEGORY};
use crate::auth::*;

/// A JWT signed with the first test key, its header written as given (with `alg` and `kid`).
fn sign(header: Value, claims: &Value) -> String {
    let mut header = header;
    header["alg"] = json!("RS256");
    header["kid"] = json!("kid_a");
    let part = |value: &Value| URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).expect("JSON"));
    let message = format!("{}.{}", part(&header), part(claims));
    let signature = jsonwebtoken::crypto::sign(message.as_bytes(), &keys()[0].signing, jsonwebtoken::Algorithm::RS256)
        .expect("signs");
    format!("{message}.{signature}")
}

fn m2m_claims() -> Value {
    let now = NOW as i64;
    json!({"sub": "mch_1", "jti": "mt_jwt", "iss": ISSUER, "exp": now + 60, "iat": now - 10, "scopes": "mch_2 mch_3", "tier": "gold"})
}

fn oauth_claims() -> Value {
    let now = NOW as i64;
    json!({"sub": "user_1", "jti": "oat_jwt", "client_id": "client_1", "aud": "https://api.example.com", "scope": "read write", "iss": ISSUER, "exp": now + 60, "iat": now - 10})
}

#[tokio::test]
async fn m2m_and_oauth_jwts_verify_locally_with_the_instances_keys() {
    let (auth, fetcher) = authenticator(AuthOptions::new().audience(["https://api.example.com"]));
    let m2m = sign(json!({"typ": "JWT", "cat": M2M_CATEGORY}), &m2m_claims());
    let Ok(Verified::Machine(claims)) = auth.verify(&m2m, Accepts::any()).await else {
        panic!("an M2M JWT verifies");
    };
    assert_eq!((claims.kind, claims.format), (TokenKind::M2mToken, TokenFormat::Jwt));
    assert_eq!((claims.subject.as_str(), claims.machine_id()), ("mch_1", Some("mch_1")));
    assert_eq!(
        (claims.id.as_deref(), claims.scopes.clone()),
        (Some("mt_jwt"), vec!["mch_2".to_owned(), "mch_3".to_owned()])
    );
    assert_eq!(claims.claims.get("tier"), Some(&json!("gold")));
    assert_eq!(claims.expires_at, Some(UNIX_EPOCH + Duration::from_secs(NOW + 60)));
    let oauth = sign(json!({"typ": "at+jwt"}), &oauth_claims());
    let Ok(Verified::Machine(claims)) = auth.verify(&oauth, TokenKind::OAuthToken).await else {
        panic!("an OAuth JWT verifies");
    };
    assert_eq!(
        (claims.kind, claims.client_id.as_deref()),
        (TokenKind::OAuthToken, Some("client_1"))
    );
    assert_eq!(claims.scopes, ["read", "write"]);
    assert_eq!(fetcher.fetches(), 1, "one key fetch for both, then the cache");
}

#[tokio::test]
async fn machine_jwts_are_refused_for_each_reason() {
    let (auth, _) = authenticator(AuthOptions::new().audience(["https://api.example.com"]));
    let now = NOW as i64;
    let verify = |token: String| {
        let auth = auth.clone();
        async move { auth.verify(&token, Accepts::any()).await }
    };
    let session_cat = sign(json!({"cat": SESSION_CATEGORY}), &m2m_claims());
    assert_eq!(
        verify(session_cat).await,
        Err(AuthError::InvalidCategory {
            kind: TokenKind::M2mToken,
            cat: SESSION_CATEGORY.to_owned()
        })
    );
    let mut other_aud = oauth_claims();
    other_aud["aud"] = json!(["https://other.example.com"]);
    assert_eq!(
        verify(sign(json!({"typ": "at+jwt"}), &other_aud)).await,
        Err(AuthError::InvalidAudience {
            aud: vec!["https://other.example.com".to_owned()]
        })
    );
    let mut expired = oauth_claims();
    expired["exp"] = json!(now - 5);
    assert!(matches!(
        verify(sign(json!({"typ": "at+jwt"}), &expired)).await,
        Err(AuthError::Expired { .. })
    ));
    let mut no_sub = oauth_claims();
    no_sub.as_object_mut().expect("an object").remove("sub");
    assert_eq!(
        verify(sign(json!({"typ": "at+jwt"}), &no_sub)).await,
        Err(AuthError::MissingClaim { claim: "sub" })
    );
    // A session token with an M2M token's category is not a session token.
    let m2m_cat = sign(json!({"typ": "JWT", "cat": M2M_CATEGORY}), &claims_with(json!({})));
    assert_eq!(
        verify(m2m_cat).await,
        Err(AuthError::InvalidCategory {
            kind: TokenKind::Session,
            cat: M2M_CATEGORY.to_owned()
        })
    );
    // A machine JWT where only sessions are accepted is refused before its signature is read.
    let m2m = sign(json!({"cat": M2M_CATEGORY}), &m2m_claims());
    assert_eq!(
        auth.verify_token(&m2m).await,
        Err(AuthError::TokenKindNotAccepted {
            kind: TokenKind::M2mToken,
            accepted: Accepts::SESSION
        })
    );
}

#[tokio::test]
async fn networkless_mode_verifies_machine_jwts_with_no_request() {
    let fetcher = super::Counting::with(vec![keys()[0].jwk("kid_a")]);
    let auth = Authenticator::new(fetcher.clone(), AuthOptions::new().jwt_key(&keys()[0].pem))
        .expect("builds")
        .at(UNIX_EPOCH + Duration::from_secs(NOW));
    let m2m = sign(json!({"cat": M2M_CATEGORY}), &m2m_claims());
    let oauth = sign(json!({"typ": "at+jwt"}), &oauth_claims());
    for token in [m2m, oauth] {
        assert!(auth.verify(&token, Accepts::any()).await.is_ok());
    }
    assert_eq!(fetcher.fetches(), 0);
}

#[tokio::test]
async fn pending_sessions_are_signed_out_unless_accepted() {
    let pending = sign(json!({"typ": "JWT"}), &claims_with(json!({"sts": "pending"})));
    let (auth, _) = authenticator(AuthOptions::new());
    assert_eq!(auth.verify_token(&pending).await, Err(AuthError::PendingSession));
    let (accepting, _) = authenticator(AuthOptions::new().accept_pending_sessions(true));
    let claims = accepting.verify_token(&pending).await.expect("accepted");
    assert!(claims.is_pending());
    let active = sign(json!({}), &claims_with(json!({"sts": "active"})));
    assert!(!auth.verify_token(&active).await.expect("active").is_pending());
}

#[tokio::test]
async fn a_missing_azp_is_judged_by_the_carrier_it_came_by() {
    let mut no_azp = claims_with(json!({}));
    no_azp.as_object_mut().expect("an object").remove("azp");
    let token = sign(json!({}), &no_azp);
    let (auth, _) = authenticator(
        AuthOptions::new()
            .authorized_parties(["https://app.example.com"])
            .missing_azp(Carrier::Cookie, MissingAzp::Refuse),
    );
    let mut cookie = HeaderMap::new();
    let value = HeaderValue::from_str(&format!("__session={token}")).expect("a value");
    cookie.insert(http::header::COOKIE, value);
    assert_eq!(
        auth.authenticate(&cookie).await,
        Err(AuthError::InvalidAuthorizedParty { azp: None })
    );
    let mut header = HeaderMap::new();
    let value = HeaderValue::from_str(&format!("Bearer {token}")).expect("a value");
    header.insert(http::header::AUTHORIZATION, value);
    assert!(auth.authenticate(&header).await.is_ok());
}

/// A verifier that answers from a table, after a while, and counts its calls.
#[derive(Clone, Default)]
struct FakeApi {
    answers: Arc<Mutex<HashMap<String, MachineAnswer>>>,
    calls: Arc<AtomicUsize>,
}

impl FakeApi {
    fn answer(&self, token: &str, answer: MachineAnswer) {
        self.answers.lock().expect("lock").insert(token.to_owned(), answer);
    }

    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

impl VerifyMachineToken for FakeApi {
    fn supports(&self, kind: TokenKind) -> bool {
        kind != TokenKind::OAuthToken
    }

    fn verify_machine_token(&self, _kind: TokenKind, token: String) -> MachineFuture<'_> {
        Box::pin(async move {
            self.calls.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(20)).await;
            let answers = self.answers.lock().expect("lock");
            answers
                .get(&token)
                .cloned()
                .unwrap_or(MachineAnswer::Invalid { status: 404 })
        })
    }
}

fn valid_key(subject: &str) -> MachineAnswer {
    MachineAnswer::Verified(
        json!({"id": "ak_1", "subject": subject, "scopes": ["read"], "revoked": false, "expired": false, "expiration": null}),
    )
}

fn machine_authenticator(options: AuthOptions) -> (Authenticator, FakeApi) {
    let api = FakeApi::default();
    let (auth, _) = authenticator(options);
    (auth.with_machine_verifier(api.clone()).expect("a verifier"), api)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_concurrent_requests_with_one_token_make_one_call() {
    let (auth, api) = machine_authenticator(AuthOptions::new());
    api.answer("ak_shared", valid_key("user_1"));
    let tasks: Vec<_> = (0..1_000)
        .map(|_| {
            let auth = auth.clone();
            tokio::spawn(async move { auth.verify("ak_shared", TokenKind::ApiKey).await })
        })
        .collect();
    for task in tasks {
        let verified = task.await.expect("joins").expect("verifies");
        assert_eq!(verified.subject(), "user_1");
    }
    assert_eq!(api.calls(), 1);
    assert!(auth.verify("ak_shared", Accepts::any()).await.is_ok());
    let stats = auth.machine_cache_stats().expect("a cache");
    assert_eq!(
        (api.calls(), stats.api_calls, stats.valid, stats.in_flight),
        (1, 1, 1, 0)
    );
}

#[tokio::test(start_paused = true)]
async fn an_invalid_token_is_remembered_for_the_window_then_asked_about_again() {
    let (auth, api) = machine_authenticator(AuthOptions::new());
    let invalid = Err(AuthError::MachineTokenInvalid {
        kind: TokenKind::ApiKey,
        status: 404,
    });
    for _ in 0..100 {
        assert_eq!(auth.verify("ak_unknown", TokenKind::ApiKey).await.map(|_| ()), invalid);
        tokio::time::advance(Duration::from_millis(250)).await;
    }
    assert_eq!(api.calls(), 1, "25 s of one bad token, one call");
    tokio::time::advance(Duration::from_secs(6)).await;
    assert_eq!(auth.verify("ak_unknown", TokenKind::ApiKey).await.map(|_| ()), invalid);
    assert_eq!(api.calls(), 2, "past the 30 s window, asked again");
}

#[tokio::test(start_paused = true)]
async fn a_valid_token_is_remembered_until_it_expires_or_the_window_ends() {
    let options = AuthOptions::new().machine_cache(MachineCacheOptions::default().valid_for(Duration::from_secs(10)));
    let (auth, api) = machine_authenticator(options);
    api.answer("ak_good", valid_key("user_1"));
    assert!(auth.verify("ak_good", TokenKind::ApiKey).await.is_ok());
    tokio::time::advance(Duration::from_secs(9)).await;
    assert!(auth.verify("ak_good", TokenKind::ApiKey).await.is_ok());
    assert_eq!(api.calls(), 1);
    // Revoked meanwhile: refused once the window has passed.
    api.answer(
        "ak_good",
        MachineAnswer::Verified(json!({"subject": "user_1", "revoked": true, "expired": false})),
    );
    tokio::time::advance(Duration::from_secs(2)).await;
    assert!(matches!(
        auth.verify("ak_good", TokenKind::ApiKey).await,
        Err(AuthError::MachineTokenRevoked { .. })
    ));
    assert_eq!(api.calls(), 2);
}

#[tokio::test]
async fn an_unavailable_api_is_never_remembered() {
    let (auth, api) = machine_authenticator(AuthOptions::new());
    let down = MachineAnswer::Unavailable {
        reason: "the Backend API answered 503".to_owned(),
    };
    api.answer("mt_1", down);
    for _ in 0..3 {
        assert!(matches!(
            auth.verify("mt_1", TokenKind::M2mToken).await,
            Err(AuthError::MachineVerificationUnavailable { .. })
        ));
    }
    assert_eq!(api.calls(), 3);
}

#[tokio::test]
async fn ten_thousand_distinct_invalid_tokens_leave_the_caches_bounded() {
    let cache = MachineCacheOptions::default().capacity(1_000).in_flight(10_000);
    let (auth, api) = machine_authenticator(AuthOptions::new().machine_cache(cache));
    let tasks: Vec<_> = (0..10_000)
        .map(|n| {
            let auth = auth.clone();
            tokio::spawn(async move { auth.verify(&format!("ak_made_up_{n}"), TokenKind::ApiKey).await })
        })
        .collect();
    for task in tasks {
        assert!(task.await.expect("joins").is_err());
    }
    let stats = auth.machine_cache_stats().expect("a cache");
    assert_eq!(api.calls(), 10_000);
    assert!(stats.invalid <= 1_000, "{stats:?}");
    assert_eq!((stats.valid, stats.in_flight), (0, 0));
}

#[tokio::test]
async fn verifications_past_the_in_flight_limit_are_refused_not_queued() {
    let cache = MachineCacheOptions::default().in_flight(2);
    let (auth, api) = machine_authenticator(AuthOptions::new().machine_cache(cache));
    let tasks: Vec<_> = (0..3)
        .map(|n| {
            let auth = auth.clone();
            tokio::spawn(async move { auth.verify(&format!("ak_{n}"), TokenKind::ApiKey).await })
        })
        .collect();
    let mut refused = 0;
    for task in tasks {
        if task.await.expect("joins") == Err(AuthError::TooManyVerifications { limit: 2 }) {
            refused += 1;
        }
    }
    assert_eq!((refused, api.calls()), (1, 2));
}

#[tokio::test]
async fn kinds_not_accepted_or_not_verifiable_cost_no_call() {
    let (auth, api) = machine_authenticator(AuthOptions::new());
    assert_eq!(
        auth.verify("ak_1", Accepts::SESSION.and(TokenKind::M2mToken)).await,
        Err(AuthError::TokenKindNotAccepted {
            kind: TokenKind::ApiKey,
            accepted: Accepts::SESSION.and(TokenKind::M2mToken)
        })
    );
    assert_eq!(
        auth.verify("oat_1", Accepts::any()).await,
        Err(AuthError::MachineTokensUnsupported {
            kind: TokenKind::OAuthToken
        })
    );
    // A machine token in the session cookie is refused: Clerk puts only session tokens there.
    let mut cookie = HeaderMap::new();
    cookie.insert(http::header::COOKIE, HeaderValue::from_static("__session=ak_1"));
    assert!(matches!(
        auth.authenticate_accepting(&cookie, Accepts::any()).await,
        Err(AuthError::TokenKindNotAccepted {
            kind: TokenKind::ApiKey,
            ..
        })
    ));
    let (plain, _) = authenticator(AuthOptions::new());
    assert_eq!(
        plain.verify("ak_1", Accepts::any()).await,
        Err(AuthError::MachineTokensUnsupported {
            kind: TokenKind::ApiKey
        })
    );
    assert_eq!(api.calls(), 0);
}

#[tokio::test]
async fn no_error_or_debug_output_holds_a_machine_token() {
    let (auth, api) = machine_authenticator(AuthOptions::new());
    let secret = "ak_0123456789abcdef0123456789abcdef";
    api.answer(
        secret,
        MachineAnswer::Verified(json!({"subject": "user_1", "revoked": true, "expired": false})),
    );
    let revoked = auth.verify(secret, Accepts::any()).await.expect_err("revoked");
    let unknown = auth
        .verify("ak_fedcba9876543210", Accepts::any())
        .await
        .expect_err("unknown");
    for text in [
        revoked.to_string(),
        format!("{revoked:?}"),
        unknown.to_string(),
        format!("{unknown:?}"),
        format!("{auth:?}"),
    ] {
        assert!(
            !text.contains("0123456789abcdef") && !text.contains("fedcba9876543210"),
            "{text}"
        );
    }
}
