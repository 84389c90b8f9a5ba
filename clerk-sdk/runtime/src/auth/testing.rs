//! Session tokens for tests (the `auth` and `testing` features): an application tests its
//! protected routes with no Clerk instance.
//!
//! The kit has one RSA key pair, made for tests and published here, so it must never be trusted
//! outside them: [`sign_session_token`] signs with its private half, and the mock Clerk serves
//! its public half at `GET /jwks` (a generated kit's `MockClerk::serves_session_keys`),
//! so an authenticator made from the mock's client verifies the tokens:
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! use clerk_sdk::auth::AuthOptions;
//! use clerk_sdk::auth::testing::{session_claims, sign_session_token};
//! use clerk_sdk::testing::MockClerk;
//!
//! let mock = MockClerk::start().await;
//! mock.serves_session_keys();
//! let auth = mock.clerk().authenticator(AuthOptions::new()).expect("an authenticator");
//! let token = sign_session_token(&session_claims("user_123"));
//! let claims = auth.verify_token(&token).await.expect("verifies");
//! assert_eq!(claims.sub, "user_123");
//! # }
//! ```
//!
//! [`TEST_PUBLIC_KEY_PEM`] verifies them networkless, with [`AuthOptions::jwt_key`](super::AuthOptions::jwt_key).
//!
//! Machine tokens too: [`sign_m2m_token`] and [`sign_oauth_token`] sign JWTs with the same key,
//! and [`MachineTokens`] declares opaque tokens valid, revoked or expired, which a generated
//! kit's `MockClerk::serves_machine_tokens` answers for at the verify operations:
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! use clerk_sdk::auth::testing::{MachineTokens, TestMachineToken};
//! use clerk_sdk::auth::{Accepts, AuthError, AuthOptions};
//! use clerk_sdk::testing::MockClerk;
//!
//! let mock = MockClerk::start().await;
//! mock.serves_machine_tokens(
//!     &MachineTokens::new()
//!         .api_key("ak_test_ci", TestMachineToken::valid("user_123").scopes(["deploy"]))
//!         .api_key("ak_test_old", TestMachineToken::revoked("user_123")),
//! );
//! let auth = mock.clerk().authenticator(AuthOptions::new()).expect("an authenticator");
//! let key = auth.verify("ak_test_ci", Accepts::any()).await.expect("valid");
//! assert!(key.machine().is_some_and(|key| key.has_scope("deploy")));
//! let revoked = auth.verify("ak_test_old", Accepts::any()).await;
//! assert!(matches!(revoked, Err(AuthError::MachineTokenRevoked { .. })));
//! # }
//! ```

mod machines;

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

use super::Jwk;

#[doc(hidden)]
pub use machines::body_holds;
pub use machines::{
    MachineTokens, TestMachineToken, TokenState, m2m_claims, not_found_json, oauth_claims, sign_m2m_token,
    sign_oauth_token, sign_with_header,
};

/// The `kid` of the test key.
pub const TEST_KEY_ID: &str = "ins_test_session_key";

/// The issuer of [`session_claims`]: a development instance's Frontend API URL.
pub const TEST_ISSUER: &str = "https://test-instance.clerk.accounts.dev";

/// The test key's public half, as Clerk's dashboard shows an instance's (`-----BEGIN PUBLIC
/// KEY-----`).
pub const TEST_PUBLIC_KEY_PEM: &str = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAo+2xUzLs58zzou30cUYR\nMUItTTHKOzWAq0FzEz29PxqsA03JAct8WnaZnVM0CzwVEZj9w+mEbvIal+ps2nzY\nuHbU9CmHYE/FCA12WIFCmDnt2A6PVWIq9/sK/rgQuF9E016A8n4Je9ZWI7jD52zm\nkQ9GOScZHg/f2qEf2sDThjKTP78ASwVHmdKYphN9snjZAAyZ5I1E/y7s6ljhlBzo\nmne1d77WsQzBmMRmTpAzQplPuBFaasQMuO3OypCwFLj6g/cK0exHgtbQiZkzdylH\nc0aQTSXUS1USK3pc1YDhy+xiKar7Nq1hOPsvuBmBPmKIiNxxtPui36wgam0coqin\nPQIDAQAB\n-----END PUBLIC KEY-----\n";

/// The test key's modulus and exponent, base64url.
const TEST_N: &str = "o-2xUzLs58zzou30cUYRMUItTTHKOzWAq0FzEz29PxqsA03JAct8WnaZnVM0CzwVEZj9w-mEbvIal-ps2nzYuHbU9CmHYE_FCA12WIFCmDnt2A6PVWIq9_sK_rgQuF9E016A8n4Je9ZWI7jD52zmkQ9GOScZHg_f2qEf2sDThjKTP78ASwVHmdKYphN9snjZAAyZ5I1E_y7s6ljhlBzomne1d77WsQzBmMRmTpAzQplPuBFaasQMuO3OypCwFLj6g_cK0exHgtbQiZkzdylHc0aQTSXUS1USK3pc1YDhy-xiKar7Nq1hOPsvuBmBPmKIiNxxtPui36wgam0coqinPQ";
const TEST_E: &str = "AQAB";

/// The test key's private half: PKCS #1, DER, base64. For tests only: it is published here.
const TEST_PRIVATE_KEY: &str = concat!(
    "MIIEogIBAAKCAQEAo+2xUzLs58zzou30cUYRMUItTTHKOzWAq0FzEz29PxqsA03JAct8WnaZnVM0CzwVEZj9w+mEbvIal+ps",
    "2nzYuHbU9CmHYE/FCA12WIFCmDnt2A6PVWIq9/sK/rgQuF9E016A8n4Je9ZWI7jD52zmkQ9GOScZHg/f2qEf2sDThjKTP78A",
    "SwVHmdKYphN9snjZAAyZ5I1E/y7s6ljhlBzomne1d77WsQzBmMRmTpAzQplPuBFaasQMuO3OypCwFLj6g/cK0exHgtbQiZkz",
    "dylHc0aQTSXUS1USK3pc1YDhy+xiKar7Nq1hOPsvuBmBPmKIiNxxtPui36wgam0coqinPQIDAQABAoIBAAbFa9bvylHYor96",
    "Fg5mWMTz9eEtQcXe09afFwTP/ss5vvbjxZfPPJVHA1lFUjSP/rj+nKYB26bMImjGgq8NGG2Y+PrJ5I3hom+bkL+FcIdo3/TV",
    "9+0zGoSQodEu/LME7ZfQHKiHjlahBJqOofojKSxYpdISb54duHJax/EcmGm/uzMU9PTNCGgBFP73lO+J3rHczW9GRgJuCMvM",
    "IqmPRQcA1z2NZ6h/vKHtJ7MRC/RxTdS7hKxha42JE60H2iFyy/astEaxudtJ5stXB8Lz6FLg3Vj0TLfEvTUpX8ZrW8nlsc1N",
    "ja3cfjYA+QwyXYh34CwThfMY4zdlJPLO5KuNYykCgYEA2Z0IzlZ46wzsum6rbODH6q4weE4LXQfncEeOo3yR5p2YwNYaRGxV",
    "M9oJcpI0FzoOt9kSW+We0SmwU16sI7h58gEYrSx6kWqVgQ1sFep2C2hb2EJwF0bZ4BLFrSs8XLcCkNO+VDddXP8FpNcO5WbS",
    "TakspiO3Crbq9JcjUMvXANUCgYEAwNhcBWOwstSjYwSopCAmG1rKxgZVTMoHcqCrMLTTReZIGzEu49x5rMkjfpQLvmJAmxem",
    "2gbGZZXAyd6Z2RjvWC/2yH09CqkjF8pEn/cN2gneRqwMN/VxvIZgvogjwFZevwquVD1T/bErEVpN+xelgQFQwu+qtR4WGADx",
    "Ex/1AMkCgYB9VZam0OMf7ffCgM83DFfYcK71+21MDatc3bnnq22U95vtJONIGWURUjkyxcY+wm+Lr/iE+UF5kps9yT83655A",
    "piUCSKXnbw3goExqavnGJDsR2WIZ5fLCvc0gqdBATh+qLmpmsuSRFUi44ixwL8JcfF186wEXqLa2XP44IM8aaQKBgCF/c7yb",
    "7H2j4h25GXIpA3WM99weDYMhNNn8fsAfKPPjZHMUwAhkq94PslKydLfFaWOHYDxPIPdUZACs4hyL8EdpTXzWBFxttOLVB8ah",
    "q45MWIf+KsEtqWwOC5ANJeirGBonSNDpNkXDGLAS96i+Gsml6NlzuDtt1nik8TtZOb3BAoGAEljQtS76GwfIoulAhqUSHqfa",
    "hzptZL8niFOOHQ0mAhXEoyxzY16tTl/Cxz6P1xfSrb4SFeLTro80NOlvFEb/iKpKThDySaYX4Z27yh5D7rv3nnAaunICNnQ3",
    "hoXhHrWbbMzUd7rlGkCAQTF8moziwkz2xhzb3x6Snvj7R5J6vaA=",
);

/// The test key as a JWKS entry.
pub fn test_jwk() -> Jwk {
    Jwk::rsa(TEST_KEY_ID, TEST_N, TEST_E).alg("RS256")
}

/// The JSON Web Key Set of the test key alone, as `GET /jwks` answers.
pub fn jwks_json() -> Value {
    json!({"keys": [{"kid": TEST_KEY_ID, "kty": "RSA", "alg": "RS256", "use": "sig", "n": TEST_N, "e": TEST_E}]})
}

/// The claims of a session of `user_id` that is valid now and for a minute more, as Clerk
/// issues them: `sub`, `sid`, `iss` ([`TEST_ISSUER`]), `iat`, `nbf` and `exp`, and `v: 2`.
/// Add or change claims before signing (`azp`, `o`, custom claims).
pub fn session_claims(user_id: &str) -> Value {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    json!({
        "sub": user_id,
        "sid": format!("sess_test_{user_id}"),
        "iss": TEST_ISSUER,
        "iat": now,
        "nbf": now,
        "exp": now + 60,
        "v": 2,
    })
}

/// Signs `claims` as Clerk signs a session token (RS256, `kid` [`TEST_KEY_ID`]), with the
/// test key.
pub fn sign_session_token(claims: &Value) -> String {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(TEST_KEY_ID.to_owned());
    // The key is a constant that signs; `Value` always serializes.
    jsonwebtoken::encode(&header, claims, &encoding_key()).expect("the test key signs")
}

/// The test key's private half, ready to sign with.
fn encoding_key() -> EncodingKey {
    // The key is a constant that decodes.
    let der = STANDARD.decode(TEST_PRIVATE_KEY).expect("the test key is base64");
    EncodingKey::from_rsa_der(&der)
}
