//! The header, signature and claim checks, each with keys made at test time; the key cache's
//! rules are in `cache`.

mod cache;
mod machines;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use http::HeaderValue;
use jsonwebtoken::{EncodingKey, Header};
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::pkcs8::{EncodePublicKey, LineEnding};
use rsa::traits::PublicKeyParts;
use serde_json::{Value, json};

use super::*;

const NOW: u64 = 1_700_000_000;
const ISSUER: &str = "https://happy-hippo-1.clerk.accounts.dev";

/// An RSA key pair made at test time.
struct TestKey {
    signing: EncodingKey,
    jwk_n: String,
    jwk_e: String,
    pem: String,
}

impl TestKey {
    fn generate() -> TestKey {
        let private = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 2048).expect("a key");
        let public = private.to_public_key();
        TestKey {
            signing: EncodingKey::from_rsa_der(private.to_pkcs1_der().expect("DER").as_bytes()),
            jwk_n: URL_SAFE_NO_PAD.encode(public.n().to_bytes_be()),
            jwk_e: URL_SAFE_NO_PAD.encode(public.e().to_bytes_be()),
            pem: public.to_public_key_pem(LineEnding::LF).expect("PEM"),
        }
    }

    fn jwk(&self, kid: &str) -> Jwk {
        Jwk::rsa(kid, &self.jwk_n, &self.jwk_e).alg("RS256")
    }

    fn sign(&self, kid: &str, claims: &Value) -> String {
        let mut header = Header::new(jsonwebtoken::Algorithm::RS256);
        header.kid = Some(kid.to_owned());
        jsonwebtoken::encode(&header, claims, &self.signing).expect("signs")
    }
}

/// Two keys, made once for all the tests of this module.
fn keys() -> &'static [TestKey; 2] {
    static KEYS: OnceLock<[TestKey; 2]> = OnceLock::new();
    KEYS.get_or_init(|| [TestKey::generate(), TestKey::generate()])
}

/// [`claims`] with `changes` over them.
fn claims_with(changes: Value) -> Value {
    let mut claims = claims();
    if let (Some(claims), Value::Object(changes)) = (claims.as_object_mut(), changes) {
        claims.extend(changes);
    }
    claims
}

fn claims() -> Value {
    let now = NOW as i64;
    json!({"sub": "user_1", "sid": "sess_1", "iss": ISSUER, "azp": "https://app.example.com", "exp": now + 60, "nbf": now - 10, "iat": now - 10})
}

/// A fetcher of a fixed key set that counts its fetches.
#[derive(Default, Clone)]
struct Counting {
    keys: Arc<Mutex<Vec<Jwk>>>,
    fetches: Arc<AtomicUsize>,
}

impl Counting {
    fn with(keys: Vec<Jwk>) -> Counting {
        let counting = Counting::default();
        *counting.keys.lock().expect("lock") = keys;
        counting
    }

    fn fetches(&self) -> usize {
        self.fetches.load(Ordering::SeqCst)
    }
}

impl FetchJwks for Counting {
    fn fetch_jwks(&self) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<Vec<Jwk>, String>> + Send + '_>> {
        Box::pin(async move {
            self.fetches.fetch_add(1, Ordering::SeqCst);
            // A fetch takes a while, so that concurrent verifications overlap it.
            tokio::time::sleep(Duration::from_millis(20)).await;
            let keys = self.keys.lock().expect("lock").clone();
            match keys.is_empty() {
                true => Err("503 Service Unavailable".to_owned()),
                false => Ok(keys),
            }
        })
    }
}

fn authenticator(options: AuthOptions) -> (Authenticator, Counting) {
    let fetcher = Counting::with(vec![keys()[0].jwk("kid_a")]);
    let auth = Authenticator::new(fetcher.clone(), options).expect("builds");
    (auth.at(UNIX_EPOCH + Duration::from_secs(NOW)), fetcher)
}

/// A token with its header and payload written as given, and a signature of nothing.
fn unsigned(header: &Value, payload: &Value) -> String {
    let part = |value: &Value| URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).expect("JSON"));
    format!(
        "{}.{}.{}",
        part(header),
        part(payload),
        URL_SAFE_NO_PAD.encode(b"signature")
    )
}

#[tokio::test]
async fn a_genuine_token_verifies_into_its_claims() {
    let (auth, _) = authenticator(AuthOptions::new());
    let token = keys()[0].sign("kid_a", &claims());
    let verified = auth.verify_token(&token).await.expect("verifies");
    assert_eq!(
        (verified.sub.as_str(), verified.sid.as_deref()),
        ("user_1", Some("sess_1"))
    );
    assert_eq!(verified.iss, ISSUER);
}

#[tokio::test]
async fn a_bad_signature_is_refused() {
    let (auth, _) = authenticator(AuthOptions::new());
    // Signed by the other key, under the first key's id.
    let forged = keys()[1].sign("kid_a", &claims());
    assert_eq!(auth.verify_token(&forged).await, Err(AuthError::InvalidSignature));
    // A payload changed after signing.
    let token = keys()[0].sign("kid_a", &claims());
    let mut parts: Vec<&str> = token.split('.').collect();
    let changed = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&json!({"sub": "user_admin"})).expect("JSON"));
    parts[1] = &changed;
    assert_eq!(
        auth.verify_token(&parts.join(".")).await,
        Err(AuthError::InvalidSignature)
    );
}

#[tokio::test]
async fn none_and_hmac_algorithms_are_refused_before_any_key_is_looked_at() {
    let (auth, fetcher) = authenticator(AuthOptions::new());
    let none = unsigned(&json!({"alg": "none", "kid": "kid_a"}), &claims());
    assert_eq!(
        auth.verify_token(&none).await,
        Err(AuthError::InvalidAlgorithm { alg: "none".to_owned() })
    );
    // HS256 "signed" with the public key as the secret: the classic key-confusion attack.
    let mut header = Header::new(jsonwebtoken::Algorithm::HS256);
    header.kid = Some("kid_a".to_owned());
    let secret = EncodingKey::from_secret(keys()[0].pem.as_bytes());
    let confused = jsonwebtoken::encode(&header, &claims(), &secret).expect("signs");
    assert_eq!(
        auth.verify_token(&confused).await,
        Err(AuthError::InvalidAlgorithm {
            alg: "HS256".to_owned()
        })
    );
    assert_eq!(fetcher.fetches(), 0, "no key was fetched for either");
    let typ = unsigned(&json!({"alg": "RS256", "kid": "kid_a", "typ": "JOSE"}), &claims());
    assert_eq!(
        auth.verify_token(&typ).await,
        Err(AuthError::InvalidType { typ: "JOSE".to_owned() })
    );
    // `at+jwt` is an OAuth access token's type: not a session token, so not accepted as one.
    let oauth = unsigned(&json!({"alg": "RS256", "kid": "kid_a", "typ": "at+jwt"}), &claims());
    assert_eq!(
        auth.verify_token(&oauth).await,
        Err(AuthError::TokenKindNotAccepted {
            kind: TokenKind::OAuthToken,
            accepted: Accepts::SESSION
        })
    );
    assert_eq!(fetcher.fetches(), 0, "no key was fetched for any");
}

#[tokio::test]
async fn malformed_tokens_and_unknown_keys_are_refused() {
    let (auth, _) = authenticator(AuthOptions::new());
    for token in ["", "a.b", "a.b.c.d", "!!!.e30.sig"] {
        assert!(
            matches!(auth.verify_token(token).await, Err(AuthError::Malformed(_))),
            "{token:?}"
        );
    }
    let unknown = keys()[0].sign("kid_z", &claims());
    assert_eq!(
        auth.verify_token(&unknown).await,
        Err(AuthError::UnknownKeyId {
            kid: "kid_z".to_owned()
        })
    );
    let no_kid = jsonwebtoken::encode(
        &Header::new(jsonwebtoken::Algorithm::RS256),
        &claims(),
        &keys()[0].signing,
    )
    .expect("signs");
    assert_eq!(auth.verify_token(&no_kid).await, Err(AuthError::MissingKeyId));
}

#[tokio::test]
async fn the_claims_are_checked_after_the_signature() {
    let now = NOW as i64;
    let (auth, _) = authenticator(AuthOptions::new().authorized_parties(["https://app.example.com"]));
    let with = |changes: Value| keys()[0].sign("kid_a", &claims_with(changes));
    let check = |token: String| {
        let auth = auth.clone();
        async move { auth.verify_token(&token).await }
    };
    // The token is good up to, not at, `exp` + skew; from `nbf` - skew and `iat` - skew on
    // (the claims' own tests hold the boundaries to the millisecond).
    assert!(check(with(json!({"exp": now - 4}))).await.is_ok());
    assert!(matches!(
        check(with(json!({"exp": now - 5}))).await,
        Err(AuthError::Expired { .. })
    ));
    assert!(check(with(json!({"nbf": now + 5}))).await.is_ok());
    assert!(matches!(
        check(with(json!({"nbf": now + 6}))).await,
        Err(AuthError::NotActiveYet { .. })
    ));
    assert!(check(with(json!({"iat": now + 5}))).await.is_ok());
    assert!(matches!(
        check(with(json!({"iat": now + 6}))).await,
        Err(AuthError::IssuedInTheFuture { .. })
    ));
    assert_eq!(
        check(with(json!({"iss": "https://evil.example.com"}))).await,
        Err(AuthError::InvalidIssuer {
            iss: "https://evil.example.com".to_owned()
        })
    );
    assert_eq!(
        check(with(json!({"azp": "https://evil.example.com"}))).await,
        Err(AuthError::InvalidAuthorizedParty {
            azp: Some("https://evil.example.com".to_owned())
        })
    );
    let mut no_azp = claims();
    no_azp.as_object_mut().expect("object").remove("azp");
    let no_azp = keys()[0].sign("kid_a", &no_azp);
    // A token without `azp` passes on either carrier by default, and is refused where the
    // application says so.
    assert!(check(no_azp.clone()).await.is_ok());
    let (strict, _) = authenticator(
        AuthOptions::new()
            .authorized_parties(["https://app.example.com"])
            .missing_azp(Carrier::Header, MissingAzp::Refuse),
    );
    assert_eq!(
        strict.verify_token(&no_azp).await,
        Err(AuthError::InvalidAuthorizedParty { azp: None })
    );
    // Without authorized parties, a token without `azp` passes.
    let (open, _) = authenticator(AuthOptions::new());
    assert!(open.verify_token(&no_azp).await.is_ok());
    // A wider clock skew moves the boundary.
    let (lenient, _) = authenticator(AuthOptions::new().clock_skew(Duration::from_secs(30)));
    assert!(lenient.verify_token(&with(json!({"exp": now - 29}))).await.is_ok());
    assert!(lenient.verify_token(&with(json!({"exp": now - 30}))).await.is_err());
}

#[tokio::test]
async fn the_token_comes_from_the_header_or_the_session_cookie() {
    let (auth, _) = authenticator(AuthOptions::new());
    let token = keys()[0].sign("kid_a", &claims());
    let mut headers = HeaderMap::new();
    assert_eq!(auth.authenticate(&headers).await, Err(AuthError::MissingToken));
    let cookie = format!("theme=dark; __session={token}");
    headers.insert(http::header::COOKIE, HeaderValue::from_str(&cookie).expect("a value"));
    assert_eq!(
        auth.authenticate(&headers).await.map(|c| c.sub),
        Ok("user_1".to_owned())
    );
    let request = http::Request::builder()
        .header(http::header::AUTHORIZATION, format!("Bearer {token}"))
        .body(())
        .expect("a request");
    assert_eq!(
        auth.authenticate(&request).await.map(|c| c.sub),
        Ok("user_1".to_owned())
    );
    let (parts, ()) = request.into_parts();
    assert!(auth.authenticate(&parts).await.is_ok());
}

#[tokio::test]
async fn a_version_1_token_gives_its_organization() {
    let (auth, _) = authenticator(AuthOptions::new());
    let claims = claims_with(
        json!({"org_id": "org_1", "org_slug": "acme", "org_role": "org:member", "org_permissions": ["org:teams:read"]}),
    );
    let verified = auth
        .verify_token(&keys()[0].sign("kid_a", &claims))
        .await
        .expect("verifies");
    assert_eq!(verified.version, 1);
    let org = verified.org.expect("an organization");
    assert_eq!(
        (org.id.as_str(), org.slug.as_deref(), org.role.as_deref()),
        ("org_1", Some("acme"), Some("org:member"))
    );
    assert_eq!(org.permissions, ["org:teams:read"]);
}

#[tokio::test]
async fn a_version_2_token_gives_its_organization() {
    let (auth, _) = authenticator(AuthOptions::new());
    let claims = claims_with(
        json!({"v": 2, "fea": "o:dashboard", "o": {"id": "org_1", "rol": "admin", "per": "read,manage", "fpm": "1"}}),
    );
    let verified = auth
        .verify_token(&keys()[0].sign("kid_a", &claims))
        .await
        .expect("verifies");
    let org = verified.org.expect("an organization");
    assert_eq!((org.id.as_str(), org.role.as_deref()), ("org_1", Some("org:admin")));
    assert_eq!(org.permissions, ["org:dashboard:read"]);
}

#[tokio::test]
async fn networkless_mode_verifies_with_the_pem_key_and_never_fetches() {
    let fetcher = Counting::default();
    let options = AuthOptions::new().jwt_key(keys()[0].pem.clone());
    let auth = Authenticator::new(fetcher.clone(), options.clone()).expect("a valid key");
    let auth = auth.at(UNIX_EPOCH + Duration::from_secs(NOW));
    // Any `kid`: the one key verifies every token.
    assert!(
        auth.verify_token(&keys()[0].sign("kid_whatever", &claims()))
            .await
            .is_ok()
    );
    assert_eq!(
        auth.verify_token(&keys()[1].sign("kid_a", &claims())).await,
        Err(AuthError::InvalidSignature)
    );
    assert_eq!(fetcher.fetches(), 0);
    assert!(Authenticator::networkless(options).is_ok());
    for pem in [
        "",
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
        "not a key",
    ] {
        let error = Authenticator::networkless(AuthOptions::new().jwt_key(pem)).expect_err(pem);
        assert!(matches!(error, AuthError::InvalidKey { .. }), "{pem:?}: {error}");
    }
    assert!(matches!(
        Authenticator::networkless(AuthOptions::new()),
        Err(AuthError::InvalidKey { .. })
    ));
}

#[tokio::test]
async fn errors_and_debug_output_hold_no_token_or_key() {
    let (auth, _) = authenticator(AuthOptions::new().jwt_key(keys()[0].pem.clone()));
    let token = keys()[1].sign("kid_a", &claims());
    let error = auth.verify_token(&token).await.expect_err("another key");
    let signature = token.rsplit('.').next().expect("a signature");
    for text in [error.to_string(), format!("{error:?}"), format!("{auth:?}")] {
        assert!(!text.contains(signature) && !text.contains(&token), "{text}");
        assert!(
            !text.contains("BEGIN PUBLIC KEY") && !text.contains(&keys()[0].jwk_n),
            "{text}"
        );
    }
}
