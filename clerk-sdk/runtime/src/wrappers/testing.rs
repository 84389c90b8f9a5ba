//! `MockClerk` and `MockExpectation` of a generated crate (its `testing` module), as one macro
//! that module invokes: local wrappers of the runtime's [`Mock`](crate::testing::Mock) and
//! [`Expectation`](crate::testing::Expectation), so that generated code can add resource handles
//! and per-operation matchers to them.

/// Defines `MockClerk` and `MockExpectation` for the API `$api` in the invoking module (the
/// crate's `testing` module). Each forwards to the runtime's type; the expectation's methods
/// come from their one declaration (`__expectation_methods!`).
///
/// The crate's layout is every generated crate's: its client and builder (from
/// `__client_types!`) are `crate::Clerk` and `crate::ClerkBuilder`, and with its `blocking`
/// feature its blocking client is `crate::blocking::Clerk`.
#[doc(hidden)]
#[macro_export]
// `crate::` is the invoking crate on purpose: the generated crate whose types these are.
#[allow(clippy::crate_in_macro_def)]
macro_rules! __testing_types {
    ($api:ty) => {
        /// A mock of the API on loopback, in process: it hands out clients that point at it and
        /// answers them as its expectations say. The runtime's
        /// [`Mock`](crate::runtime::testing::Mock) has the details of each method.
        ///
        /// A request no expectation answers gets status 421 with the mock's report, and a call
        /// of the mock's clients panics right there; [`verify`](Self::verify) (also run when the
        /// mock is dropped) fails the test on it.
        #[derive(Debug)]
        pub struct MockClerk {
            inner: $crate::testing::Mock<$api>,
        }

        impl MockClerk {
            /// Starts a mock server on loopback.
            pub async fn start() -> Self {
                MockClerk {
                    inner: $crate::testing::Mock::start().await,
                }
            }

            /// Starts a mock server without `.await`, for a test of code that uses the blocking
            /// client (with [`blocking_clerk`](Self::blocking_clerk)). It works with or without
            /// an async runtime around it. Needs the `blocking` feature as well as `testing`.
            ///
            /// # Panics
            ///
            /// If a small runtime to start the server on cannot be made.
            #[cfg(feature = "blocking")]
            #[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
            pub fn start_blocking() -> Self {
                MockClerk {
                    inner: $crate::testing::Mock::start_blocking(),
                }
            }

            /// The server's URL, such as `http://127.0.0.1:41234`.
            pub fn uri(&self) -> ::std::string::String {
                self.inner.uri()
            }

            /// A builder for a client of this mock: its URL, a test credential for every
            /// security scheme, retries that wait milliseconds and stop after a few attempts,
            /// and strict responses (`.strict_responses(false)` to decode drifted ones
            /// leniently). See [`Mock::builder`](crate::runtime::testing::Mock::builder).
            pub fn builder(&self) -> crate::ClerkBuilder {
                crate::ClerkBuilder::from(self.inner.builder())
            }

            /// A client of this mock, as [`builder`](Self::builder) makes it: strict responses
            /// on.
            ///
            /// # Panics
            ///
            /// If the client cannot be built, which a mock's settings rule out.
            pub fn clerk(&self) -> crate::Clerk {
                crate::Clerk::from(self.inner.clerk())
            }

            /// A blocking client of this mock, as [`builder`](Self::builder) makes it (the
            /// `blocking` feature).
            ///
            /// # Panics
            ///
            /// If the client cannot be built.
            #[cfg(feature = "blocking")]
            #[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
            pub fn blocking_clerk(&self) -> crate::blocking::Clerk {
                crate::blocking::Clerk::from(self.inner.blocking_clerk())
            }

            /// Limits the mock as Clerk limits an instance: past `limit.requests()` in any
            /// sliding `limit.window()`, a 429 with `Retry-After`, and clients the mock builds
            /// from then on keep under it. See
            /// [`Mock::rate_limit`](crate::runtime::testing::Mock::rate_limit).
            pub async fn rate_limit(&self, limit: $crate::limits::RateLimit) {
                self.inner.rate_limit(limit).await
            }

            /// How many requests the mock's [rate limit](Self::rate_limit) answered with 429.
            pub fn throttled(&self) -> u64 {
                self.inner.throttled()
            }

            /// A new expectation of the operation `O`. The resource methods (such as
            /// `mock.users().get()`) give the same, typed.
            pub fn expect<O: $crate::testing::MockOperation<Api = $api>>(&self) -> MockExpectation<'_, O> {
                MockExpectation {
                    inner: self.inner.expect(),
                }
            }

            /// The raw wiremock server; its mocks answer before the typed expectations.
            pub fn server(&self) -> &$crate::testing::wiremock::MockServer {
                self.inner.server()
            }

            /// Every request the mock received, in order, whatever answered it.
            pub fn requests(&self) -> ::std::vec::Vec<$crate::testing::LoggedRequest> {
                self.inner.requests()
            }

            /// Fails the test if a request matched no expectation or one that said `never`, or a
            /// counted response was not asked for as often as written.
            ///
            /// # Panics
            ///
            /// In those cases, with the mock's report.
            pub fn verify(&self) {
                self.inner.verify()
            }

            /// Forgets every expectation and every request received.
            pub fn reset(&self) {
                self.inner.reset()
            }

            /// What [`verify`](Self::verify) checks, as a `Result`.
            ///
            /// # Errors
            ///
            /// The report of unmatched requests and unmet expectations.
            pub fn check(&self) -> ::core::result::Result<(), ::std::string::String> {
                self.inner.check()
            }
        }

        /// An expectation of the operation `O`: narrowed with its matchers, then answered. The
        /// runtime's [`Expectation`](crate::runtime::testing::Expectation) has the details of
        /// each method.
        pub struct MockExpectation<'a, O> {
            inner: $crate::testing::Expectation<'a, O>,
        }

        impl<O: $crate::testing::MockOperation> ::core::fmt::Debug for MockExpectation<'_, O> {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Debug::fmt(&self.inner, f)
            }
        }

        // The expectation's methods, from their one declaration (`mock/methods.rs` in the
        // runtime).
        $crate::__expectation_methods!($crate::__forward_expectation_methods, [$api]);

        impl<'a, O: $crate::testing::MockOperation<Api = $api>> MockExpectation<'a, O> {
            /// The requests to this operation that meet this expectation's conditions, typed.
            ///
            /// # Panics
            ///
            /// If a request's body does not decode.
            pub fn received(&self) -> ::std::vec::Vec<$crate::testing::Received<O::Body>> {
                self.inner.received()
            }
        }
    };
}
