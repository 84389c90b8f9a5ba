//! `Clerk`, `ClerkBuilder` and `Call` of a generated crate, as one macro its generated root
//! invokes.

/// Defines `Clerk`, `ClerkBuilder` and `Call` for the API `$api` (a type implementing
/// [`Api`](crate::Api)) called `$title`, in the invoking module, whose error type is `$error`
/// (`SdkError` of the API's error body). Each type wraps the runtime's and forwards to it; the
/// builder's settings and the call's come from their one declaration (`__builder_settings!`,
/// `__call_settings!`).
///
/// The crate's layout is every generated crate's: with its `blocking` feature, its blocking
/// client is `crate::blocking::Clerk`, which `build_blocking` returns.
#[doc(hidden)]
#[macro_export]
// `crate::` is the invoking crate on purpose: the generated crate whose types these are.
#[allow(clippy::crate_in_macro_def)]
macro_rules! __client_types {
    ($api:ident, $error:ty, $title:literal) => {
        #[doc = ::core::concat!(" A client for ", $title, ". Cheap to clone: clones share one connection pool.")]
        ///
        /// Build one with [`Clerk::builder`] (or `Clerk::from_env()`, where the API's only
        /// credential is a secret key). Each resource has a method that returns its handle,
        /// such as `clerk.users()`, whose methods return a [`Call`]: await it to send the
        /// request.
        #[derive(Debug, Clone)]
        pub struct Clerk {
            inner: $crate::Client<$api>,
        }

        impl Clerk {
            /// Starts configuring a client: credentials, server, timeouts, retries, hooks.
            pub fn builder() -> ClerkBuilder {
                ClerkBuilder {
                    inner: $crate::Client::builder(),
                }
            }

            /// A client whose credential for scheme `scheme` is read from `CLERK_SECRET_KEY`.
            /// Used by the generated `from_env`.
            #[doc(hidden)]
            pub fn from_env_credential(scheme: usize) -> ::core::result::Result<Self, $error> {
                $crate::Client::from_env_credential(scheme).map(Clerk::from)
            }

            /// The runtime's client this one wraps, for code generic over the API (see the
            /// `runtime` module).
            pub fn as_runtime(&self) -> &$crate::Client<$api> {
                &self.inner
            }
        }

        impl ::core::convert::From<$crate::Client<$api>> for Clerk {
            fn from(inner: $crate::Client<$api>) -> Self {
                Clerk { inner }
            }
        }

        impl ::core::convert::From<Clerk> for $crate::Client<$api> {
            fn from(clerk: Clerk) -> Self {
                clerk.inner
            }
        }

        /// The runtime client's methods, such as
        /// [`server_url`](crate::runtime::Client::server_url), are this one's.
        impl ::core::ops::Deref for Clerk {
            type Target = $crate::Client<$api>;

            fn deref(&self) -> &Self::Target {
                &self.inner
            }
        }

        /// Configures and builds a [`Clerk`]: from [`Clerk::builder`], then [`build`](Self::build)
        /// (or `build_blocking`, with the `blocking` feature).
        #[derive(Debug)]
        #[must_use = "a builder does nothing until build() is called"]
        pub struct ClerkBuilder {
            inner: $crate::ClientBuilder<$api>,
        }

        impl ::core::convert::From<$crate::ClientBuilder<$api>> for ClerkBuilder {
            fn from(inner: $crate::ClientBuilder<$api>) -> Self {
                ClerkBuilder { inner }
            }
        }

        impl ::core::convert::From<ClerkBuilder> for $crate::ClientBuilder<$api> {
            fn from(builder: ClerkBuilder) -> Self {
                builder.inner
            }
        }

        // The builder's settings, from their one declaration (`client/settings.rs` in the
        // runtime).
        $crate::__builder_settings!($crate::__forward_builder_settings, ClerkBuilder);

        impl ClerkBuilder {
            /// Builds the client.
            ///
            /// # Errors
            ///
            /// [`SdkError::Config`](crate::SdkError::Config) if a credential the API always needs
            /// was not given, a credential is empty or cannot be sent, no server URL was given
            /// for an API without a default, the server URL is not an `http` or `https` URL, or
            /// the HTTP client cannot be built. The message never contains a credential.
            pub fn build(self) -> ::core::result::Result<Clerk, $error> {
                self.inner.build().map(Clerk::from)
            }

            /// Builds a blocking client with these settings (the `blocking` feature).
            ///
            /// # Errors
            ///
            /// As [`build`](Self::build), and [`SdkError::Config`](crate::SdkError::Config) if
            /// the client's runtime cannot start.
            #[cfg(feature = "blocking")]
            #[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
            pub fn build_blocking(self) -> ::core::result::Result<crate::blocking::Clerk, $error> {
                self.inner.build_blocking().map(crate::blocking::Clerk::from)
            }
        }

        /// A prepared request to one operation; nothing is sent until it is awaited (or
        /// [`send`](Self::send) is). Its methods override the client's settings for this call
        /// alone. `P` marks an operation with optional header or cookie parameters.
        #[must_use = "a Call does nothing until it is awaited"]
        pub struct Call<T, P = ()> {
            inner: $crate::Call<$api, T, P>,
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
                client: &Clerk,
                operation: &'static $crate::__private::Operation,
                path_args: &[&str],
            ) -> Self {
                Call {
                    inner: $crate::Call::new(&client.inner, operation, path_args),
                }
            }

            /// The runtime's call this one wraps. Used by the blocking client.
            #[doc(hidden)]
            pub fn into_runtime(self) -> $crate::Call<$api, T, P> {
                self.inner
            }

            fn map(self, change: impl ::core::ops::FnOnce($crate::Call<$api, T, P>) -> $crate::Call<$api, T, P>) -> Self {
                Call {
                    inner: change(self.inner),
                }
            }

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

        // The per-call settings, from their one declaration (`call/settings.rs` in the runtime).
        $crate::__call_settings!($crate::__forward_call_settings, [T, P] Call<T, P>);

        impl<T: $crate::__private::IntoPage, P> Call<T, P> {
            /// Pages through the list this call asks for: its items or pages as a stream,
            /// resumable after a failure. See [`pagination`](crate::pagination).
            pub fn paginate(self) -> Paginator<T, P> {
                self.inner.paginate()
            }
        }

        /// What a list operation's [`Call::paginate`] returns, for this API: its items or pages
        /// as streams. See [`pagination`](crate::pagination).
        pub type Paginator<T, P = ()> = $crate::pagination::Paginator<$api, T, P>;

        /// A page of a list of this API, or why it could not be read.
        pub type PageResult<T> = $crate::pagination::PageResult<T, <$api as $crate::Api>::ErrorBody>;

        /// Why a page of a list of this API could not be read, with where to resume.
        pub type PageError = $crate::pagination::PageError<<$api as $crate::Api>::ErrorBody>;

        impl<T, P> Call<T, P>
        where
            T: $crate::FromResponse + ::core::marker::Send + 'static,
            P: 'static,
        {
            /// Sends the request and decodes the response. Awaiting the `Call` does the same.
            ///
            /// # Errors
            ///
            /// Any [`SdkError`](crate::SdkError): see [`error`](crate::error).
            pub async fn send(self) -> ::core::result::Result<T, $error> {
                self.inner.send().await
            }

            /// Sends the request and decodes the response, with its status, headers and
            /// deviations from the spec ([`Response`](crate::Response)).
            ///
            /// # Errors
            ///
            /// As [`send`](Self::send).
            pub async fn send_with_response(self) -> ::core::result::Result<$crate::Response<T>, $error> {
                self.inner.send_with_response().await
            }
        }

        impl<T, P> ::core::future::IntoFuture for Call<T, P>
        where
            T: $crate::FromResponse + ::core::marker::Send + 'static,
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
