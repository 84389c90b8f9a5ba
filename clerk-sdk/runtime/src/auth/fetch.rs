//! A key set fetched through a generated client's JWKS operation: whatever the generated
//! response type is, its JSON is the key set of RFC 7517, which this reads. So the glue each
//! generated crate has (`Clerk::authenticator`, from `__session_authenticator!`) is one line, the
//! same for every spec that has the operation.

use std::fmt::Display;
use std::future::{Future, IntoFuture};
use std::pin::Pin;

use serde::Serialize;
use serde_json::Value;

use super::Jwk;

/// The future [`FetchJwks::fetch_jwks`](super::FetchJwks::fetch_jwks) returns.
pub type JwksFuture<'a> = Pin<Box<dyn Future<Output = Result<Vec<Jwk>, String>> + Send + 'a>>;

/// Sends `call` (a generated JWKS operation's call) and reads the keys from its response.
/// Used by generated code.
#[doc(hidden)]
pub fn fetch_jwks<'a, C, T, E>(call: C) -> JwksFuture<'a>
where
    C: IntoFuture<Output = Result<T, E>>,
    C::IntoFuture: Send + 'a,
    T: Serialize,
    E: Display,
{
    let sent = call.into_future();
    Box::pin(async move {
        let response = sent.await.map_err(|error| error.to_string())?;
        let json =
            serde_json::to_value(&response).map_err(|error| format!("the key set does not serialize: {error}"))?;
        keys_of(&json)
    })
}

/// The keys of a JSON Web Key Set (`{"keys": [..]}`) that can verify a session token: those
/// with `kty`, `kid`, `n` and `e` as text (an RSA key; [`Jwk`]'s checks come later). Keys of
/// other shapes (an EC or OKP key, which has no `n`) are skipped, as the cache skips keys that
/// are not RSA.
///
/// # Errors
///
/// A message when the document has no `keys` array.
pub(crate) fn keys_of(jwks: &Value) -> Result<Vec<Jwk>, String> {
    let keys = jwks
        .get("keys")
        .and_then(Value::as_array)
        .ok_or_else(|| "the key set has no `keys` array".to_owned())?;
    Ok(keys.iter().filter_map(key_of).collect())
}

/// One RSA key of a set, if it has every part as text.
fn key_of(key: &Value) -> Option<Jwk> {
    let text = |name: &str| key.get(name).and_then(Value::as_str);
    let jwk = Jwk::rsa(text("kid")?, text("n")?, text("e")?).kty(text("kty")?);
    Some(match text("alg") {
        Some(alg) => jwk.alg(alg),
        None => jwk,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn rsa_keys_are_read_and_other_kinds_skipped() {
        let jwks = json!({"keys": [
            {"kty": "RSA", "kid": "ins_1", "n": "abc", "e": "AQAB", "alg": "RS256", "use": "sig"},
            {"kty": "EC", "kid": "ins_2", "crv": "P-256", "x": "x", "y": "y"},
            {"kty": "RSA", "kid": "ins_3", "n": "def", "e": "AQAB"},
            {"kty": "RSA", "n": "no kid", "e": "AQAB"},
            "not a key",
        ]});
        let keys = keys_of(&jwks).expect("a key set");
        assert_eq!(
            keys,
            vec![
                Jwk::rsa("ins_1", "abc", "AQAB").alg("RS256"),
                Jwk::rsa("ins_3", "def", "AQAB")
            ]
        );
    }

    #[test]
    fn a_document_without_keys_is_refused() {
        for document in [json!({}), json!({"keys": "none"}), json!([1, 2])] {
            assert_eq!(
                keys_of(&document),
                Err("the key set has no `keys` array".to_owned()),
                "{document}"
            );
        }
    }

    #[tokio::test]
    async fn a_call_is_sent_and_its_failure_becomes_the_message() {
        let ok = async { Ok::<_, String>(json!({"keys": [{"kty": "RSA", "kid": "k", "n": "n", "e": "e"}]})) };
        assert_eq!(fetch_jwks(ok).await, Ok(vec![Jwk::rsa("k", "n", "e")]));
        let failed = async { Err::<Value, _>("503 Service Unavailable") };
        assert_eq!(fetch_jwks(failed).await, Err("503 Service Unavailable".to_owned()));
    }
}
