//! Token verification for a generated crate whose spec has Clerk's JWKS operation:
//! `Clerk::authenticator` and, in its testing kit, `MockClerk::serves_session_keys`; and where
//! it has the machine-token verify operations, `VerifyMachineToken` for `Clerk` and
//! `MockClerk::serves_machine_tokens`. Macros the generated code invokes with those operations.

/// Implements [`FetchJwks`](crate::auth::FetchJwks) for the crate's client, `crate::Clerk`, with
/// its JWKS operation `clerk.$resource().$operation()`, and adds `Clerk::authenticator`. The
/// generated code puts it behind the crate's `auth` feature.
#[doc(hidden)]
#[macro_export]
// `crate::` is the invoking crate on purpose: the generated crate whose types these are.
#[allow(clippy::crate_in_macro_def)]
macro_rules! __session_authenticator {
    ($resource:ident, $operation:ident) => {
        $crate::__session_authenticator!(@with $resource, $operation, |clerk, auth| {
            let _ = clerk;
            auth
        });
    };
    ($resource:ident, $operation:ident, machine_tokens) => {
        $crate::__session_authenticator!(
            @with $resource, $operation, |clerk, auth| auth.with_machine_verifier(::core::clone::Clone::clone(clerk))?
        );
    };
    (@with $resource:ident, $operation:ident, |$clerk:ident, $auth:ident| $finish:expr) => {
        /// The instance's keys, fetched with the API's JWKS operation through this client.
        impl $crate::auth::FetchJwks for crate::Clerk {
            fn fetch_jwks(&self) -> $crate::auth::JwksFuture<'_> {
                $crate::auth::fetch_jwks(self.$resource().$operation())
            }
        }

        impl crate::Clerk {
            /// An [`Authenticator`](crate::auth::Authenticator) that verifies session tokens,
            /// and M2M and OAuth tokens in JWT form, with this instance's keys, fetched through
            /// this client (its retries, timeouts, TLS settings and hooks apply) and cached in
            /// the authenticator; and, where the API has their verify operations, opaque API
            /// keys, M2M and OAuth tokens through this client, remembered in the authenticator.
            /// Make one at startup and share it: each authenticator has caches of its own. With
            /// [`AuthOptions::jwt_key`](crate::auth::AuthOptions::jwt_key) no key is ever
            /// fetched.
            ///
            /// # Errors
            ///
            /// [`AuthError::InvalidKey`](crate::auth::AuthError::InvalidKey) for a `jwt_key` that
            /// is not an RSA public key in PEM.
            pub fn authenticator(
                &self,
                options: $crate::auth::AuthOptions,
            ) -> ::core::result::Result<$crate::auth::Authenticator, $crate::auth::AuthError> {
                let $clerk = self;
                let $auth = $crate::auth::Authenticator::new(::core::clone::Clone::clone($clerk), options)?;
                ::core::result::Result::Ok($finish)
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

/// Implements [`VerifyMachineToken`](crate::auth::VerifyMachineToken) for the crate's client,
/// `crate::Clerk`, with one verify call per kind of token: `Kind => |clerk, token| call`, the
/// call a generated verify operation's, its body holding `token`. The generated code puts it
/// behind the crate's `auth` feature.
#[doc(hidden)]
#[macro_export]
// `crate::` is the invoking crate on purpose: the generated crate whose types these are.
#[allow(clippy::crate_in_macro_def)]
macro_rules! __machine_verifier {
    ($($kind:ident => |$clerk:ident, $token:ident| $call:expr),+ $(,)?) => {
        /// Opaque machine tokens, verified with the API's verify operations through this client.
        impl $crate::auth::VerifyMachineToken for crate::Clerk {
            fn supports(&self, kind: $crate::auth::TokenKind) -> bool {
                ::core::matches!(kind, $($crate::auth::TokenKind::$kind)|+)
            }

            fn verify_machine_token(
                &self,
                kind: $crate::auth::TokenKind,
                token: ::std::string::String,
            ) -> $crate::auth::MachineFuture<'_> {
                match kind {
                    $($crate::auth::TokenKind::$kind => {
                        let ($clerk, $token) = (self, token);
                        $crate::auth::verify_machine(($call).into_runtime())
                    })+
                    _ => $crate::auth::unsupported_machine_token(kind),
                }
            }
        }
    };
}

/// Adds `serves_machine_tokens` to the testing kit's `MockClerk`, in the invoking module (the
/// crate's `testing` module), with each kind's verify operation and the body field its token
/// goes in: `Kind => (resource, operation, "field")`. The generated code puts it behind the
/// crate's `auth` feature.
#[doc(hidden)]
#[macro_export]
macro_rules! __serves_machine_tokens {
    ($($kind:ident => ($resource:ident, $operation:ident, $field:literal)),+ $(,)?) => {
        impl MockClerk {
            /// Answers the API's machine-token verify operations for the tokens `tokens`
            /// declares, each with its record (valid, revoked or expired), and every other
            /// token with Clerk's `404`: an authenticator made from this mock's client then
            /// verifies them. [`requests`](Self::requests) shows each verification.
            pub fn serves_machine_tokens(&self, tokens: &$crate::auth::testing::MachineTokens) {
                use $crate::testing::wiremock::ResponseTemplate;
                $({
                    let unknown = ResponseTemplate::new(404).set_body_json($crate::auth::testing::not_found_json());
                    let _ = self.$resource().$operation().respond_with(unknown);
                    for (token, record) in tokens.of_kind($crate::auth::TokenKind::$kind) {
                        let token = ::std::string::ToString::to_string(token);
                        let _ = self
                            .$resource()
                            .$operation()
                            .body_where(
                                ::std::format!("{} holds a declared token", $field),
                                move |body| $crate::auth::testing::body_holds(body, $field, &token),
                            )
                            .respond_with(ResponseTemplate::new(200).set_body_json(record));
                    }
                })+
            }
        }
    };
}
