//! The methods that script an expectation, declared once.
//!
//! [`__expectation_methods!`](crate::__expectation_methods) lists every method that narrows or
//! answers an [`Expectation`](super::Expectation), each with its docs and what it does. Both
//! expectation types are written from that one list:
//!
//! - the runtime's `Expectation` runs each body (`expectation.rs`);
//! - every generated crate's `MockExpectation` forwards each method to the
//!   expectation it wraps ([`__forward_expectation_methods!`](crate::__forward_expectation_methods),
//!   invoked by `wrappers/testing.rs`).
//!
//! A new way to script a mock is one entry here, and its tests. A body calls a private method
//! of `Expectation` (in `expectation.rs`), so that it reads the same wherever the list expands.

/// Calls `$apply!` with `$context` (whatever the caller needs back), a `;`, and every method as
/// `/// docs fn name(expectation, argument: Type, ...) { body }`: each takes the expectation by
/// value, named `expectation` in the body, and returns it. `O` is the expectation's operation.
/// Types are written with `$crate` paths, so the list expands anywhere.
#[doc(hidden)]
#[macro_export]
macro_rules! __expectation_methods {
    ($apply:path, $($context:tt)*) => {
        $apply! {
            $($context)*;

            /// Matches requests whose path parameter `name` is `value`. Generated code offers
            /// it as a method named after the parameter, such as `.phone_number_id("phone_1")`.
            #[doc(hidden)]
            fn path_param(expectation, name: &'static str, value: impl ::core::fmt::Display) {
                expectation.match_path_param(name, value.to_string())
            }

            /// Matches requests whose query is what the SDK sends for `query` (credentials
            /// aside). Generated code offers it as `.query(..)` with the operation's query type.
            #[doc(hidden)]
            fn query_styled(
                expectation,
                query: &impl $crate::__private::serde::Serialize,
                styles: &[(&str, $crate::__private::Style)]
            ) {
                expectation.match_query(query, styles)
            }

            /// Matches requests whose body is `body`, read back as `Received::body` is.
            fn body(expectation, body: O::Body) {
                expectation.match_body(body)
            }

            /// Matches requests whose body satisfies `predicate`; `description` says what it
            /// checks, for the report of a request that matched nothing.
            fn body_where(
                expectation,
                description: impl ::core::convert::Into<::std::string::String>,
                predicate: impl ::core::ops::Fn(&O::Body) -> bool + ::core::marker::Send + ::core::marker::Sync + 'static
            ) {
                expectation.match_body_where(description.into(), predicate)
            }

            /// Answers with `value` and the operation's success status.
            fn returns(expectation, value: O::Response) {
                expectation.answer_value(&value)
            }

            /// Answers with the value `compute` makes from the request, as
            /// [`received`](Self::received) reads it back, and the operation's success status:
            /// for a response that echoes what was sent, or numbers what it creates, such as
            /// `mock.phone_numbers().create().returns_with(|request| { let mut phone =
            /// fixtures::phone_number(); phone.phone_number = request.body.phone_number.clone();
            /// phone })`.
            ///
            /// If the request's body does not decode, the mock answers as it does a request
            /// nothing expected, and fails the test.
            fn returns_with(
                expectation,
                compute: impl ::core::ops::Fn(&$crate::testing::Received<O::Body>) -> O::Response
                    + ::core::marker::Send + ::core::marker::Sync + 'static
            ) {
                expectation.answer_computed(compute)
            }

            /// Answers the pages of a list, one request each, in order, with the success
            /// status: script a paginated list for `.paginate()`. A request after the last page
            /// meets no response, so the test fails if the code asks for more pages than there
            /// are. To serve a list of any length from the request's own offset and page
            /// size, compute each page with [`returns_with`](Self::returns_with) and
            /// [`Received::query_value`]($crate::testing::Received::query_value).
            ///
            /// # Panics
            ///
            /// If `pages` is empty.
            fn pages(expectation, pages: ::std::vec::Vec<O::Response>) {
                expectation.answer_pages(pages)
            }

            /// Serves `items` as a list operation's whole list: each request gets the page its
            /// own offset (or cursor) and page size ask for, in the operation's response shape
            /// (a bare array, or its envelope with the total, and the next cursor where the
            /// responses carry one). For testing code that pages through a list of any length:
            ///
            /// ```ignore
            /// // With a crate generated from the whole Backend API.
            /// let users: Vec<User> = (0..1234)
            ///     .map(|i| {
            ///         let mut user = fixtures::user();
            ///         user.id = format!("user_{i}");
            ///         user
            ///     })
            ///     .collect();
            /// mock.users().list().serves_list(users); // 3 requests of 500 read them all
            /// ```
            ///
            /// An envelope with required fields beside its items, total and cursor needs
            /// [`returns_with`](Self::returns_with) instead.
            ///
            /// # Panics
            ///
            /// If the operation is not a list, or an item does not serialize.
            fn serves_list(expectation, items: ::std::vec::Vec<impl $crate::__private::serde::Serialize>) {
                expectation.answer_list(&items)
            }

            /// Answers with `status` and the API's error body `errors`, as the server does for
            /// a failed call: the call returns the SDK's typed error.
            fn fails(expectation, status: u16, errors: <O::Api as $crate::__private::Api>::ErrorBody) {
                expectation.answer_error(status, &errors)
            }

            /// Answers with `status` and no body, such as a 503 to script a retry.
            fn status(expectation, status: u16) {
                expectation.answer_status(status)
            }

            /// Answers with a response built with wiremock, for what the typed responses do
            /// not cover (headers, delays, a malformed body).
            fn respond_with(expectation, template: $crate::__private::testing::wiremock::ResponseTemplate) {
                expectation.answer_template(template)
            }

            /// Gives the last response exactly `n` times, then moves to the next one; the mock
            /// fails the test if fewer than `n` requests came for it. Without `times`, a
            /// response followed by another is given once, and the last one for good.
            ///
            /// # Panics
            ///
            /// If no response was given yet (`times` counts the response before it), or if `n`
            /// is 0: write [`never`](Self::never) to say a request must not come.
            fn times(expectation, n: usize) {
                expectation.count_last(n)
            }

            /// Says that no request meeting this expectation's conditions may come: one that
            /// does gets the mock's failure answer, fails the call at once when it comes from
            /// one of the mock's clients, and fails the test when the mock is checked: such as
            /// `mock.phone_numbers().delete().phone_number_id("phone_keep").never()`.
            ///
            /// # Panics
            ///
            /// If the expectation was given a response: `never` is an expectation of its own.
            fn never(expectation) {
                expectation.forbid()
            }
        }
    };
}

/// Writes the methods as methods of a crate's own `MockExpectation<'a, O>` for the API `$api`, a
/// wrapper with an `inner` expectation: each forwards to the wrapped expectation's method of the
/// same name.
#[doc(hidden)]
#[macro_export]
macro_rules! __forward_expectation_methods {
    ([$api:ty];
        $($(#[$attr:meta])* fn $name:ident($receiver:ident $(, $arg:ident: $ty:ty)* $(,)?) $body:block)*
    ) => {
        impl<'a, O: $crate::testing::MockOperation<Api = $api>> MockExpectation<'a, O> {
            $(
                $(#[$attr])*
                pub fn $name(self $(, $arg: $ty)*) -> Self {
                    MockExpectation {
                        inner: self.inner.$name($($arg),*),
                    }
                }
            )*
        }
    };
}
