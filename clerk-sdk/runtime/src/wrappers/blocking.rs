//! The blocking `Clerk` and `Call` of a generated crate (its `blocking` module), as one macro
//! that module invokes.

/// Defines the blocking `Clerk` and `Call` for the API `$api` in the invoking module (the
/// crate's `blocking` module). Each wraps the runtime's blocking type and forwards to it; the
/// call's settings come from their one declaration (`__call_settings!`).
///
/// The crate's layout is every generated crate's: its error type is `crate::Error`, and its
/// async client and call (from `__client_types!`) are `crate::Clerk` and `crate::Call`.
#[doc(hidden)]
#[macro_export]
// `crate::` is the invoking crate on purpose: the generated crate whose types these are.
#[allow(clippy::crate_in_macro_def)]
macro_rules! __blocking_types {
    ($api:ty) => {
        /// A blocking client for the API, for programs without an async runtime. Build one with
        /// [`ClerkBuilder::build_blocking`](crate::ClerkBuilder::build_blocking) (or
        /// `Clerk::from_env()`, where the API has a secret key). Cheap to clone: clones share
        /// the connection pool and the small runtime the calls run on.
        ///
        /// It offers the same operations as the async client, with the same retries, timeouts,
        /// per-call overrides and hooks. It may be called from anywhere, including from inside
        /// another tokio runtime (it does not panic there), but it blocks the calling thread:
        /// in async code, use the async client.
        #[derive(Debug, Clone)]
        pub struct Clerk {
            inner: $crate::blocking::Client<$api>,
        }

        impl Clerk {
            /// Wraps an async client, starting the runtime the blocking calls run on.
            ///
            /// # Errors
            ///
            /// [`SdkError::Config`](crate::SdkError::Config) if the runtime cannot be started.
            pub fn new(client: crate::Clerk) -> ::core::result::Result<Self, crate::Error> {
                $crate::blocking::Client::new(client.into()).map(Clerk::from)
            }

            /// A blocking client whose credential for scheme `scheme` is read from
            /// `CLERK_SECRET_KEY`. Used by the generated `from_env`.
            #[doc(hidden)]
            pub fn from_env_credential(scheme: usize) -> ::core::result::Result<Self, crate::Error> {
                $crate::blocking::Client::from_env_credential(scheme).map(Clerk::from)
            }

            /// The async client this one wraps.
            pub fn as_async(&self) -> crate::Clerk {
                crate::Clerk::from(self.inner.as_async().clone())
            }

            /// The server URL requests go to, without a trailing `/`.
            pub fn server_url(&self) -> &str {
                self.inner.as_async().server_url()
            }

            /// Turns an async call into a blocking one on this client's runtime. Used by
            /// generated operations.
            #[doc(hidden)]
            pub fn wrap<T, P>(&self, call: crate::Call<T, P>) -> Call<T, P> {
                Call {
                    inner: self.inner.wrap(call.into_runtime()),
                }
            }
        }

        impl ::core::convert::From<$crate::blocking::Client<$api>> for Clerk {
            fn from(inner: $crate::blocking::Client<$api>) -> Self {
                Clerk { inner }
            }
        }

        /// A prepared blocking request; [`send`](Call::send) sends it and waits for the result.
        /// Its methods override the client's settings for this call alone, as the async call's
        /// do.
        #[must_use = "a Call does nothing until send() is called"]
        pub struct Call<T, P = ()> {
            inner: $crate::blocking::Call<$api, T, P>,
        }

        impl<T, P> ::core::fmt::Debug for Call<T, P> {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Debug::fmt(&self.inner, f)
            }
        }

        impl<T, P> Call<T, P> {
            fn map(
                self,
                change: impl ::core::ops::FnOnce($crate::blocking::Call<$api, T, P>) -> $crate::blocking::Call<$api, T, P>,
            ) -> Self {
                Call {
                    inner: change(self.inner),
                }
            }
        }

        // The per-call settings, from their one declaration (`call/settings.rs` in the runtime).
        $crate::__call_settings!($crate::__forward_call_settings, [T, P] Call<T, P>);

        impl<T: $crate::__private::IntoPage, P> Call<T, P> {
            /// Pages through the list this call asks for, as iterators of items or pages. See
            /// [`pagination`](crate::pagination).
            pub fn paginate(self) -> Paginator<T, P> {
                self.inner.paginate()
            }
        }

        /// What a list operation's blocking [`Call::paginate`] returns, for this API: its items
        /// or pages as iterators.
        pub type Paginator<T, P = ()> = $crate::pagination::blocking::Paginator<$api, T, P>;

        impl<T, P> Call<T, P>
        where
            T: $crate::FromResponse + ::core::marker::Send + 'static,
            P: 'static,
        {
            /// Sends the request and waits for the decoded response.
            ///
            /// # Errors
            ///
            /// The same as the async call's; see [`SdkError`](crate::SdkError).
            pub fn send(self) -> ::core::result::Result<T, crate::Error> {
                self.inner.send()
            }

            /// Sends the request and waits for the decoded response, with its status, headers
            /// and deviations from the spec ([`Response`](crate::Response)).
            ///
            /// # Errors
            ///
            /// As [`send`](Self::send).
            pub fn send_with_response(self) -> ::core::result::Result<$crate::Response<T>, crate::Error> {
                self.inner.send_with_response()
            }
        }
    };
}
