//! Session-token verification for a generated crate whose spec has Clerk's JWKS operation:
//! `Clerk::authenticator` and, in its testing kit, `MockClerk::serves_session_keys`, as two
//! macros the generated code invokes with that operation.

/// Implements [`FetchJwks`](crate::auth::FetchJwks) for the crate's client, `crate::Clerk`, with
/// its JWKS operation `clerk.$resource().$operation()`, and adds `Clerk::authenticator`. The
/// generated code puts it behind the crate's `auth` feature.
#[doc(hidden)]
#[macro_export]
// `crate::` is the invoking crate on purpose: the generated crate whose types these are.
#[allow(clippy::crate_in_macro_def)]
macro_rules! __session_authenticator {
    ($resource:ident, $operation:ident) => {
        /// The instance's keys, fetched with the API's JWKS operation through this client.
        impl $crate::auth::FetchJwks for crate::Clerk {
            fn fetch_jwks(&self) -> $crate::auth::JwksFuture<'_> {
                $crate::auth::fetch_jwks(self.$resource().$operation())
            }
        }

        impl crate::Clerk {
            /// An [`Authenticator`](crate::auth::Authenticator) that verifies session tokens
            /// with this instance's keys, fetched through this client (its retries, timeouts,
            /// TLS settings and hooks apply) and cached in the authenticator. Make one at
            /// startup and share it: each authenticator has a cache of its own. With
            /// [`AuthOptions::jwt_key`](crate::auth::AuthOptions::jwt_key) it is networkless and
            /// never fetches.
            ///
            /// # Errors
            ///
            /// [`AuthError::InvalidKey`](crate::auth::AuthError::InvalidKey) for a `jwt_key` that
            /// is not an RSA public key in PEM.
            pub fn authenticator(
                &self,
                options: $crate::auth::AuthOptions,
            ) -> ::core::result::Result<$crate::auth::Authenticator, $crate::auth::AuthError> {
                $crate::auth::Authenticator::new(::core::clone::Clone::clone(self), options)
            }
        }
    };
}

/// Adds `serves_session_keys` to the testing kit's `MockClerk`, in the invoking module (the
/// crate's `testing` module), with its expectation of the JWKS operation,
/// `mock.$resource().$operation()`. The generated code puts it behind the crate's `auth`
/// feature.
#[doc(hidden)]
#[macro_export]
// `crate::` is the invoking crate on purpose: the generated crate whose types these are.
#[allow(clippy::crate_in_macro_def)]
macro_rules! __serves_session_keys {
    ($resource:ident, $operation:ident) => {
        impl MockClerk {
            /// Answers the API's JWKS operation with the testing kit's key
            /// ([`auth::testing`](crate::auth::testing)), every time it is asked: an
            /// authenticator made from this mock's client then verifies the tokens
            /// [`sign_session_token`](crate::auth::testing::sign_session_token) signs.
            /// [`requests`](Self::requests) shows each fetch.
            pub fn serves_session_keys(&self) {
                let keys = $crate::auth::testing::jwks_json();
                let answer = $crate::testing::wiremock::ResponseTemplate::new(200).set_body_json(keys);
                let _ = self.$resource().$operation().respond_with(answer);
            }
        }
    };
}
