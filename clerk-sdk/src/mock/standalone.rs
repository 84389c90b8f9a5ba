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

            /// Fails the test if a request matched no expectation or a counted one was not met.
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

        impl<'a, O: $crate::runtime::testing::MockOperation<Api = $api>> MockExpectation<'a, O> {
            fn wrap(inner: $crate::runtime::testing::Expectation<'a, O>) -> Self {
                MockExpectation { inner }
            }

            /// Matches requests whose path parameter `name` is `value`.
            #[doc(hidden)]
            pub fn path_param(self, name: &'static str, value: impl ::core::fmt::Display) -> Self {
                Self::wrap(self.inner.path_param(name, value))
            }

            /// Matches requests whose query is what the SDK sends for `query`.
            #[doc(hidden)]
            pub fn query_styled<Q: $crate::__private::serde::Serialize>(
                self,
                query: &Q,
                styles: &[(&str, $crate::__private::Style)],
            ) -> Self {
                Self::wrap(self.inner.query_styled(query, styles))
            }

            /// Matches requests whose body is `body`.
            pub fn body(self, body: O::Body) -> Self {
                Self::wrap(self.inner.body(body))
            }

            /// Matches requests whose body satisfies `predicate`, which `description` names.
            pub fn body_where(
                self,
                description: impl ::core::convert::Into<::std::string::String>,
                predicate: impl Fn(&O::Body) -> bool + Send + Sync + 'static,
            ) -> Self {
                Self::wrap(self.inner.body_where(description, predicate))
            }

            /// Answers with `value` and the operation's success status.
            pub fn returns(self, value: O::Response) -> Self {
                Self::wrap(self.inner.returns(value))
            }

            /// Answers with `status` and the API's error body.
            pub fn fails(self, status: u16, errors: <$api as $crate::__private::Api>::ErrorBody) -> Self {
                Self::wrap(self.inner.fails(status, errors))
            }

            /// Answers with `status` and no body.
            pub fn status(self, status: u16) -> Self {
                Self::wrap(self.inner.status(status))
            }

            /// Answers with a response built with wiremock.
            pub fn respond_with(self, template: $crate::__private::testing::wiremock::ResponseTemplate) -> Self {
                Self::wrap(self.inner.respond_with(template))
            }

            /// Gives the last response exactly `n` times, then moves to the next one.
            ///
            /// # Panics
            ///
            /// If no response was given yet.
            pub fn times(self, n: usize) -> Self {
                Self::wrap(self.inner.times(n))
            }

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
