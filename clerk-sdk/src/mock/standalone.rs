//! The mock types of a crate generated on its own: local wrappers of the runtime's
//! [`Mock`](super::Mock) and [`Expectation`](super::Expectation), so that generated code can add
//! resource handles and per-operation matchers to them (Rust lets a crate add methods only to
//! its own types). Written once, here, as a macro the generated `testing` module invokes.

/// Defines `MockClerk` and `MockExpectation` for the API `$api` in the invoking module; `$clerk`
/// and `$builder` are the crate's `Clerk` and `ClerkBuilder` (from `standalone_client!`). Each
/// forwards to the runtime's type.
#[doc(hidden)]
#[macro_export]
macro_rules! __standalone_testing {
    ($api:ty, $clerk:ty, $builder:ty) => {
        /// A mock of the API on loopback: hands out clients that point at it and answers them
        /// as its expectations say; see `clerk_sdk::runtime::testing::Mock`.
        #[derive(Debug)]
        pub struct MockClerk {
            inner: $crate::runtime::testing::Mock<$api>,
        }

        impl MockClerk {
            /// Starts a mock server on loopback.
            pub async fn start() -> Self {
                MockClerk {
                    inner: $crate::runtime::testing::Mock::start().await,
                }
            }

            /// The server's URL.
            pub fn uri(&self) -> ::std::string::String {
                self.inner.uri()
            }

            /// A builder for a client of this mock, with test credentials, fast retries and
            /// strict responses (`.strict_responses(false)` to decode drifted ones leniently).
            pub fn builder(&self) -> $builder {
                <$builder>::from(self.inner.builder())
            }

            /// A client of this mock, with strict responses.
            ///
            /// # Panics
            ///
            /// If the client cannot be built.
            pub fn clerk(&self) -> $clerk {
                <$clerk>::from(self.inner.clerk())
            }

            /// A new expectation of the operation `O`.
            pub fn expect<O: $crate::runtime::testing::MockOperation<Api = $api>>(&self) -> MockExpectation<'_, O> {
                MockExpectation {
                    inner: self.inner.expect(),
                }
            }

            /// The raw wiremock server; its mocks answer before the typed expectations.
            pub fn server(&self) -> &$crate::__private::testing::wiremock::MockServer {
                self.inner.server()
            }

            /// Every request the mock received, in order, whatever answered it.
            pub fn requests(&self) -> ::std::vec::Vec<$crate::runtime::testing::LoggedRequest> {
                self.inner.requests()
            }

            /// Fails the test if a request matched no expectation or one that said `never`, or a
            /// counted response was not asked for as often as written.
            ///
            /// # Panics
            ///
            /// In those cases.
            pub fn verify(&self) {
                self.inner.verify()
            }

            /// Forgets every expectation and every request received.
            pub fn reset(&self) {
                self.inner.reset()
            }

            /// What `verify` checks, as a `Result`.
            ///
            /// # Errors
            ///
            /// The report of unmatched requests and unmet expectations.
            pub fn check(&self) -> ::core::result::Result<(), ::std::string::String> {
                self.inner.check()
            }
        }

        /// An expectation of the operation `O`; see `clerk_sdk::runtime::testing::Expectation`.
        pub struct MockExpectation<'a, O> {
            inner: $crate::runtime::testing::Expectation<'a, O>,
        }

        impl<O: $crate::runtime::testing::MockOperation> ::core::fmt::Debug for MockExpectation<'_, O> {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Debug::fmt(&self.inner, f)
            }
        }

        $crate::__expectation_methods!($crate::__forward_expectation_methods, [$api]);

        impl<'a, O: $crate::runtime::testing::MockOperation<Api = $api>> MockExpectation<'a, O> {
            /// The requests to this operation that meet this expectation's conditions.
            ///
            /// # Panics
            ///
            /// If a request's body does not decode.
            pub fn received(&self) -> ::std::vec::Vec<$crate::runtime::testing::Received<O::Body>> {
                self.inner.received()
            }
        }
    };
}
