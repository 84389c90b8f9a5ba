//! The client types of a crate generated on its own (`cargo xtask codegen --out`).
//!
//! Rust lets a crate add methods only to its own types, and a generated crate adds resource
//! accessors, credential setters and per-operation parameter setters. So it cannot use the
//! runtime's [`Client`](crate::runtime::Client), builder and call directly, as `clerk-sdk` does
//! through type aliases: it defines thin local wrappers instead. They are written once, here,
//! as a macro the generated `lib.rs` invokes, so each forwarding method exists in one place.

/// Defines `Clerk`, `ClerkBuilder` and `Call` for the API `$api` (a type implementing
/// [`Api`](crate::runtime::Api)) in the invoking crate, whose error type is `$error` (`SdkError`
/// of the API's error body). Each wraps the runtime's type and forwards to it.
#[doc(hidden)]
#[macro_export]
macro_rules! __standalone_client {
    ($api:ident, $error:ty) => {
        /// A client for the whole API. Cheap to clone: clones share one connection pool.
        #[derive(Debug, Clone)]
        pub struct Clerk {
            inner: $crate::runtime::Client<$api>,
        }

        impl Clerk {
            /// Starts configuring a client.
            pub fn builder() -> ClerkBuilder {
                ClerkBuilder {
                    inner: $crate::runtime::Client::builder(),
                }
            }

            /// A client whose credential for scheme `scheme` is read from `CLERK_SECRET_KEY`.
            #[doc(hidden)]
            pub fn from_env_credential(scheme: usize) -> ::core::result::Result<Self, $error> {
                $crate::runtime::Client::from_env_credential(scheme).map(Clerk::from)
            }
        }

        impl ::core::convert::From<$crate::runtime::Client<$api>> for Clerk {
            fn from(inner: $crate::runtime::Client<$api>) -> Self {
                Clerk { inner }
            }
        }

        /// The wrapped client's methods (such as `server_url`) are this one's; generated
        /// operations pass `&Clerk` where the runtime takes the wrapped client.
        impl ::core::ops::Deref for Clerk {
            type Target = $crate::runtime::Client<$api>;

            fn deref(&self) -> &Self::Target {
                &self.inner
            }
        }

        /// Configures and builds a [`Clerk`]; each setting is that of `clerk_sdk`'s
        /// `runtime::ClientBuilder`.
        #[derive(Debug)]
        #[must_use = "a builder does nothing until build() is called"]
        pub struct ClerkBuilder {
            inner: $crate::runtime::ClientBuilder<$api>,
        }

        impl ::core::convert::From<$crate::runtime::ClientBuilder<$api>> for ClerkBuilder {
            fn from(inner: $crate::runtime::ClientBuilder<$api>) -> Self {
                ClerkBuilder { inner }
            }
        }

        impl ClerkBuilder {
            /// Sets the credential of security scheme number `scheme`.
            #[doc(hidden)]
            pub fn credential(self, scheme: usize, credential: $crate::runtime::Credential) -> Self {
                ClerkBuilder {
                    inner: self.inner.credential(scheme, credential),
                }
            }

            /// The server URL. A trailing `/` is ignored.
            pub fn server_url(self, url: impl ::core::convert::Into<::std::string::String>) -> Self {
                ClerkBuilder {
                    inner: self.inner.server_url(url),
                }
            }

            /// A `reqwest::Client` to send requests with.
            pub fn http_client(self, client: $crate::__private::reqwest::Client) -> Self {
                ClerkBuilder {
                    inner: self.inner.http_client(client),
                }
            }

            /// Trusts `certificate` as a root, besides the platform's, for the SDK's own HTTP
            /// client.
            pub fn add_root_certificate(self, certificate: $crate::tls::Certificate) -> Self {
                ClerkBuilder {
                    inner: self.inner.add_root_certificate(certificate),
                }
            }

            /// How long one attempt may take.
            pub fn timeout(self, timeout: ::std::time::Duration) -> Self {
                ClerkBuilder {
                    inner: self.inner.timeout(timeout),
                }
            }

            /// When failed attempts are retried.
            pub fn retries(self, retries: $crate::RetryConfig) -> Self {
                ClerkBuilder {
                    inner: self.inner.retries(retries),
                }
            }

            /// The longest response body to read, in bytes.
            pub fn max_response_body(self, bytes: usize) -> Self {
                ClerkBuilder {
                    inner: self.inner.max_response_body(bytes),
                }
            }

            /// Lets credentials go over plain `http://` to hosts other than this machine.
            pub fn allow_insecure_http(self, allow: bool) -> Self {
                ClerkBuilder {
                    inner: self.inner.allow_insecure_http(allow),
                }
            }

            /// Whether a response that deviates from the spec fails the call (`true`) or is
            /// decoded leniently with its deviations reported (`false`, the default); see
            /// `clerk_sdk::drift`.
            pub fn strict_responses(self, strict: bool) -> Self {
                ClerkBuilder {
                    inner: self.inner.strict_responses(strict),
                }
            }

            /// Whether each call's parameters and body are checked against the spec's
            /// constraints before anything is sent (`true`, the default); see
            /// `clerk_sdk::runtime::ClientBuilder::check_requests`.
            pub fn check_requests(self, check: bool) -> Self {
                ClerkBuilder {
                    inner: self.inner.check_requests(check),
                }
            }

            /// Registers hooks that run around every attempt.
            pub fn hook(self, hooks: impl $crate::hooks::Hooks) -> Self {
                ClerkBuilder {
                    inner: self.inner.hook(hooks),
                }
            }

            /// Builds the client.
            ///
            /// # Errors
            ///
            /// `SdkError::Config` if the configuration is incomplete or invalid; the message
            /// never contains a credential.
            pub fn build(self) -> ::core::result::Result<Clerk, $error> {
                self.inner.build().map(Clerk::from)
            }
        }

        /// A prepared request to one operation; nothing is sent until it is awaited. The
        /// per-call settings are those of `clerk_sdk`'s `runtime::Call`.
        #[must_use = "a Call does nothing until it is awaited"]
        pub struct Call<T, P = ()> {
            inner: $crate::runtime::Call<$api, T, P>,
        }

        impl<T, P> ::core::fmt::Debug for Call<T, P> {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Debug::fmt(&self.inner, f)
            }
        }

        impl<T, P> Call<T, P> {
            /// A call to `operation`. Used by generated operations.
            #[doc(hidden)]
            pub fn new(
                client: &$crate::runtime::Client<$api>,
                operation: &'static $crate::__private::Operation,
                path_args: &[&str],
            ) -> Self {
                Call {
                    inner: $crate::runtime::Call::new(client, operation, path_args),
                }
            }

            fn map(
                self,
                change: impl ::core::ops::FnOnce($crate::runtime::Call<$api, T, P>) -> $crate::runtime::Call<$api, T, P>,
            ) -> Self {
                Call {
                    inner: change(self.inner),
                }
            }
        }

        // The per-call settings, from their one declaration (`call/settings.rs` in `clerk_sdk`).
        $crate::__call_settings!($crate::__forward_call_settings, [T, P] Call<T, P>);

        impl<T, P> Call<T, P> {
            /// Marks a list operation's call. Used by generated operations.
            #[doc(hidden)]
            pub fn paged(self, paging: &'static $crate::__private::Paging) -> Self {
                self.map(|inner| inner.paged(paging))
            }

            /// Sends a query parameter the spec allows one value for. Used by generated
            /// operations.
            #[doc(hidden)]
            pub fn query_constant(self, name: &'static str, value: &'static str) -> Self {
                self.map(|inner| inner.query_constant(name, value))
            }
        }

        impl<T: $crate::__private::IntoPage, P> Call<T, P> {
            /// Pages through the list this call asks for: its items or pages as a stream. See
            /// the `pagination` module.
            pub fn paginate(self) -> $crate::pagination::Paginator<$api, T, P> {
                self.inner.paginate()
            }
        }

        impl<T, P> Call<T, P>
        where
            T: $crate::runtime::FromResponse + ::core::marker::Send + 'static,
            P: 'static,
        {
            /// Sends the request and decodes the response. Awaiting the `Call` does the same.
            ///
            /// # Errors
            ///
            /// Any `SdkError`: see `clerk_sdk::error`.
            pub async fn send(self) -> ::core::result::Result<T, $error> {
                self.inner.send().await
            }

            /// Sends the request and decodes the response, with its status, headers and
            /// deviations from the spec.
            ///
            /// # Errors
            ///
            /// As `send`.
            pub async fn send_with_response(self) -> ::core::result::Result<$crate::Response<T>, $error> {
                self.inner.send_with_response().await
            }
        }

        impl<T, P> ::core::future::IntoFuture for Call<T, P>
        where
            T: $crate::runtime::FromResponse + ::core::marker::Send + 'static,
            P: 'static,
        {
            type Output = ::core::result::Result<T, $error>;
            type IntoFuture = ::core::pin::Pin<
                ::std::boxed::Box<dyn ::core::future::Future<Output = Self::Output> + ::core::marker::Send>,
            >;

            fn into_future(self) -> Self::IntoFuture {
                ::std::boxed::Box::pin(self.inner.send())
            }
        }
    };
}
