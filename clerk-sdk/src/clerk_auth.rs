//! `Clerk`'s side of session-token verification: its instance's keys come from the Backend
//! API's `GET /jwks`, through the client. This file and `lib.rs` are the hand-written code that
//! names generated items; the `auth` runtime module does not, and takes the keys through
//! [`FetchJwks`].

use std::future::Future;
use std::pin::Pin;

use crate::auth::{AuthError, AuthOptions, Authenticator, FetchJwks, Jwk};
use crate::models::{Jwks, JwksKeysItem};

impl FetchJwks for crate::Clerk {
    fn fetch_jwks(&self) -> Pin<Box<dyn Future<Output = Result<Vec<Jwk>, String>> + Send + '_>> {
        Box::pin(async move {
            let jwks = self.jwks().get_jwks().await.map_err(|error| error.to_string())?;
            Ok(rsa_keys(jwks))
        })
    }
}

/// The RSA public keys of the set; the other kinds do not sign session tokens.
fn rsa_keys(jwks: Jwks) -> Vec<Jwk> {
    let keys = jwks.keys.unwrap_or_default().into_iter();
    keys.filter_map(|key| match key {
        JwksKeysItem::JwksRsaPublicKey(key) => Some(Jwk::rsa(key.kid, key.n, key.e).alg(key.alg).kty(key.kty.as_str())),
        _ => None,
    })
    .collect()
}

impl crate::Clerk {
    /// An [`Authenticator`] that verifies session tokens with this instance's keys, fetched
    /// through this client (its retries, timeouts, TLS settings and hooks apply) and cached in
    /// the authenticator. Make one at startup and share it: each authenticator has a cache of
    /// its own. With [`AuthOptions::jwt_key`] it is networkless and never fetches.
    ///
    /// # Errors
    ///
    /// [`AuthError::InvalidKey`] for a `jwt_key` that is not an RSA public key in PEM.
    pub fn authenticator(&self, options: AuthOptions) -> Result<Authenticator, AuthError> {
        Authenticator::new(self.clone(), options)
    }
}

#[cfg(feature = "testing")]
impl crate::testing::MockClerk {
    /// Answers `GET /jwks` with the testing kit's key ([`crate::auth::testing`]), every time it
    /// is asked: an authenticator made from this mock's client then verifies the tokens
    /// [`sign_session_token`](crate::auth::testing::sign_session_token) signs.
    /// [`requests`](Self::requests) shows each fetch.
    pub fn serves_session_keys(&self) {
        let body = crate::auth::testing::jwks_json();
        let template = crate::__private::testing::wiremock::ResponseTemplate::new(200).set_body_json(body);
        self.jwks().get_jwks().respond_with(template);
    }
}
