//! Session tokens verified through a real `Clerk` client, against the testing kit's loopback
//! mock, which counts every `GET /jwks`: the keys are fetched through the client (its retries
//! apply), once for a thousand concurrent verifications, never again for made-up `kid`s within
//! the refresh window, never in networkless mode, and never shared between two clients.
//! Machine tokens in `machines`, against the same mock counting its verify requests.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use clerk_sdk::auth::testing::{TEST_PUBLIC_KEY_PEM, session_claims, sign_session_token};
use clerk_sdk::auth::{AuthError, AuthOptions, Carrier, MissingAzp};
use clerk_sdk::testing::MockClerk;
use futures_util::future::join_all;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::traits::PublicKeyParts;
use serde_json::json;
use wiremock::ResponseTemplate;

/// How many times the mock was asked for the keys.
fn fetches(mock: &MockClerk) -> usize {
    mock.requests()
        .iter()
        .filter(|request| request.path.ends_with("/jwks"))
        .count()
}

#[tokio::test]
async fn a_thousand_concurrent_verifications_on_a_cold_cache_fetch_the_keys_once() {
    let mock = MockClerk::start().await;
    mock.serves_session_keys();
    let auth = mock.clerk().authenticator(AuthOptions::new()).expect("builds");
    let token = sign_session_token(&session_claims("user_1"));
    let outcomes = join_all((0..1000).map(|_| auth.verify_token(&token))).await;
    assert!(
        outcomes
            .iter()
            .all(|outcome| outcome.as_ref().is_ok_and(|claims| claims.sub == "user_1"))
    );
    assert_eq!(fetches(&mock), 1);
}

#[tokio::test]
async fn made_up_kids_fetch_nothing_within_the_refresh_window() {
    let mock = MockClerk::start().await;
    mock.serves_session_keys();
    let auth = mock.clerk().authenticator(AuthOptions::new()).expect("builds");
    auth.verify_token(&sign_session_token(&session_claims("user_1")))
        .await
        .expect("warms the cache");
    // Tokens whose header names random keys: the same payload, a `kid` nobody has.
    let genuine = sign_session_token(&session_claims("user_1"));
    let (_, rest) = genuine.split_once('.').expect("a JWT");
    let tokens: Vec<String> = (0..1000)
        .map(|i| {
            let header =
                json!({"alg": "RS256", "typ": "JWT", "kid": format!("kid_{:016x}", rand::random::<u64>() ^ i)});
            format!("{}.{rest}", URL_SAFE_NO_PAD.encode(header.to_string()))
        })
        .collect();
    let outcomes = join_all(tokens.iter().map(|token| auth.verify_token(token))).await;
    assert!(
        outcomes
            .iter()
            .all(|outcome| matches!(outcome, Err(AuthError::UnknownKeyId { .. })))
    );
    assert_eq!(
        fetches(&mock),
        1,
        "the default window is 30 s; this test takes far less"
    );
}

#[tokio::test]
async fn the_keys_are_fetched_through_the_client_and_its_retries() {
    let mock = MockClerk::start().await;
    let keys = ResponseTemplate::new(200).set_body_json(clerk_sdk::auth::testing::jwks_json());
    mock.jwks().get_jwks().status(503).times(1).respond_with(keys);
    let auth = mock.clerk().authenticator(AuthOptions::new()).expect("builds");
    let claims = auth
        .verify_token(&sign_session_token(&session_claims("user_1")))
        .await
        .expect("verifies");
    assert_eq!(claims.sub, "user_1");
    assert_eq!(fetches(&mock), 2, "a 503, retried by the client");
    let sent = &mock.requests()[0];
    assert_eq!(sent.method, "GET");
}

#[tokio::test]
async fn networkless_mode_makes_no_request() {
    let mock = MockClerk::start().await;
    let auth = mock
        .clerk()
        .authenticator(AuthOptions::new().jwt_key(TEST_PUBLIC_KEY_PEM))
        .expect("builds");
    for _ in 0..100 {
        auth.verify_token(&sign_session_token(&session_claims("user_1")))
            .await
            .expect("verifies");
    }
    let forged = sign_session_token(&session_claims("user_1")).replace('.', ".x");
    assert!(auth.verify_token(&forged).await.is_err());
    assert_eq!(mock.requests().len(), 0);
}

#[tokio::test]
async fn two_clients_with_different_keys_never_share_a_cache_entry() {
    // The second instance has a key of its own, under the same `kid` as the kit's.
    let other = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 2048).expect("a key");
    let public = other.to_public_key();
    let jwks = json!({"keys": [{
        "kid": clerk_sdk::auth::testing::TEST_KEY_ID, "kty": "RSA", "alg": "RS256", "use": "sig",
        "n": URL_SAFE_NO_PAD.encode(public.n().to_bytes_be()), "e": URL_SAFE_NO_PAD.encode(public.e().to_bytes_be()),
    }]});
    let (first, second) = (MockClerk::start().await, MockClerk::start().await);
    first.serves_session_keys();
    second
        .jwks()
        .get_jwks()
        .respond_with(ResponseTemplate::new(200).set_body_json(jwks));
    let a = first.clerk().authenticator(AuthOptions::new()).expect("builds");
    let b = second.clerk().authenticator(AuthOptions::new()).expect("builds");

    let kit_token = sign_session_token(&session_claims("user_a"));
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(clerk_sdk::auth::testing::TEST_KEY_ID.to_owned());
    let signing = EncodingKey::from_rsa_der(other.to_pkcs1_der().expect("DER").as_bytes());
    let other_token = jsonwebtoken::encode(&header, &session_claims("user_b"), &signing).expect("signs");

    assert!(a.verify_token(&kit_token).await.is_ok());
    assert!(b.verify_token(&other_token).await.is_ok());
    assert_eq!(a.verify_token(&other_token).await, Err(AuthError::InvalidSignature));
    assert_eq!(b.verify_token(&kit_token).await, Err(AuthError::InvalidSignature));
    assert_eq!((fetches(&first), fetches(&second)), (1, 1));
}

#[tokio::test]
async fn a_request_is_authenticated_from_its_header_or_its_cookie() {
    let mock = MockClerk::start().await;
    mock.serves_session_keys();
    let auth = mock
        .clerk()
        .authenticator(AuthOptions::new().authorized_parties(["https://app.example.com"]))
        .expect("builds");
    let mut claims = session_claims("user_1");
    claims["azp"] = json!("https://app.example.com");
    let token = sign_session_token(&claims);
    let bearer = http::Request::builder()
        .header("authorization", format!("Bearer {token}"))
        .body(())
        .expect("a request");
    assert_eq!(auth.authenticate(&bearer).await.map(|c| c.sub), Ok("user_1".to_owned()));
    let cookie = http::Request::builder()
        .header("cookie", format!("__session={token}"))
        .body(())
        .expect("a request");
    assert_eq!(auth.authenticate(&cookie).await.map(|c| c.sub), Ok("user_1".to_owned()));
    let minted = sign_session_token(&session_claims("user_1"));
    let no_azp = http::Request::builder()
        .header("authorization", format!("Bearer {minted}"))
        .body(())
        .expect("a request");
    // A token without `azp` (as the Backend API mints them) passes by default, and is refused
    // where the application says so for its carrier.
    assert!(auth.authenticate(&no_azp).await.is_ok());
    let strict = mock
        .clerk()
        .authenticator(
            AuthOptions::new()
                .authorized_parties(["https://app.example.com"])
                .missing_azp(Carrier::Header, MissingAzp::Refuse),
        )
        .expect("builds");
    assert_eq!(
        strict.authenticate(&no_azp).await,
        Err(AuthError::InvalidAuthorizedParty { azp: None })
    );
    let mut other_origin = session_claims("user_1");
    other_origin["azp"] = json!("https://evil.example.com");
    let other_origin = http::Request::builder()
        .header("cookie", format!("__session={}", sign_session_token(&other_origin)))
        .body(())
        .expect("a request");
    assert_eq!(
        auth.authenticate(&other_origin).await,
        Err(AuthError::InvalidAuthorizedParty {
            azp: Some("https://evil.example.com".to_owned())
        })
    );
}

#[path = "auth/machines.rs"]
mod machines;
