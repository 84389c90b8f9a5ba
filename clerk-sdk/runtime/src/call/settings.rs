//! The per-call settings, declared once.
//!
//! [`__call_settings!`](crate::__call_settings) lists every method a call has before it is
//! sent: the overrides an application sets (`retries`, `timeout`, ...) and the hidden ones
//! generated operations use (`query`, `json`, ...), each with its docs and with what it does to
//! the runtime's [`Call`](super::Call). Every call type is written from that one list by a macro
//! it passes in:
//!
//! - the runtime's async call runs each body ([`runtime_settings!`] below);
//! - the runtime's blocking call and every generated crate's `Call` and `blocking::Call`
//!   forward each method to the call they wrap (`blocking_client.rs`, `wrappers/`).
//!
//! A new setting is one entry here, and its tests. A body that needs more than a line or two
//! calls a private method of `Call` (in `call/mod.rs`).
//!
//! The docs are every call type's: their links must resolve in this crate and in every generated
//! crate, which re-exports `SdkError`, `RetryConfig`, `drift` and `error`.

/// Calls `$apply!` with `$context` (whatever the caller needs back), a `;`, and every setting
/// as `/// docs fn name(call, argument: Type, ...) { body }`, where `call` names the runtime
/// `Call` (as `&mut`) in the body. Types are written with `$crate` paths, so the list expands
/// anywhere.
#[doc(hidden)]
#[macro_export]
macro_rules! __call_settings {
    ($apply:path, $($context:tt)*) => {
        $apply! {
            $($context)*;

            /// Retries for this call instead of the client's; `RetryConfig::none()` turns them
            /// off.
            fn retries(call, retries: $crate::RetryConfig) {
                call.options.retries = ::core::option::Option::Some(retries);
            }

            /// The time each attempt of this call may take, instead of the client's timeout.
            fn timeout(call, timeout: ::std::time::Duration) {
                call.options.timeout = ::core::option::Option::Some(timeout);
            }

            /// The time this call must have its response by, waits for the rate limiter and
            /// retries included: an attempt that would start after it fails the call with
            /// [`SdkError::DeadlineExceeded`](crate::SdkError::DeadlineExceeded), or with
            /// [`SdkError::RateLimited`](crate::SdkError::RateLimited) when the limiter would
            /// hold it past it; each attempt's timeout is cut to the time left; and no retry
            /// is made whose wait would end after it. A list walk's
            /// [budget](crate::pagination::Paginator::budget) sets it on each page.
            fn deadline(call, deadline: $crate::limits::Instant) {
                call.options.deadline = ::core::option::Option::Some(deadline);
            }

            /// The time this call may take in all, counted from now (when this is set): a
            /// [`deadline`](Self::deadline) `budget` from now.
            fn budget(call, budget: ::std::time::Duration) {
                call.options.deadline = $crate::limits::Instant::now().checked_add(budget);
            }

            /// The server URL for this call, such as `https://api.clerk.com/v1`, instead of the
            /// client's. An invalid URL fails the call with
            /// [`SdkError::InvalidRequest`](crate::SdkError::InvalidRequest).
            fn server_url(call, url: impl ::core::convert::Into<::std::string::String>) {
                call.options.server_url = ::core::option::Option::Some(url.into());
            }

            /// Whether a response that deviates from the spec fails this call with
            /// [`SdkError::Decode`](crate::SdkError::Decode) (`true`) or is decoded leniently
            /// with its deviations reported (`false`), instead of the client's
            /// `strict_responses`. See [`drift`](crate::drift).
            fn strict_responses(call, strict: bool) {
                call.options.strict_responses = ::core::option::Option::Some(strict);
            }

            /// Adds a header to this call's requests, replacing a same-named header the SDK
            /// would send (such as `User-Agent`).
            ///
            /// `Authorization`, `Clerk-API-Version`, `Content-Type`, `Content-Length`, `Host`,
            /// `Cookie` and the headers of the API's key schemes are the SDK's own: setting one
            /// of them, or giving a name or value that is not a valid header, fails the call
            /// with [`SdkError::InvalidRequest`](crate::SdkError::InvalidRequest) before
            /// anything is sent.
            fn header(
                call,
                name: impl ::core::convert::TryInto<$crate::__private::reqwest::header::HeaderName>,
                value: impl ::core::convert::TryInto<$crate::__private::reqwest::header::HeaderValue>
            ) {
                call.add_header_pair(name.try_into().ok(), value.try_into().ok());
            }

            /// Adds several headers, as `header` does for one.
            fn headers(call, headers: $crate::__private::reqwest::header::HeaderMap) {
                call.add_headers(headers);
            }

            /// Sends the operation's header parameter `name` with `value`. A value that is not
            /// a valid header value fails the call with `SdkError::InvalidRequest` naming the
            /// parameter, before anything is sent. Used by generated operations.
            #[doc(hidden)]
            fn header_param(call, name: &'static str, value: &str) {
                call.add_header_param(name, value);
            }

            /// Sends the operation's cookie parameter `name` with `value`, in the `Cookie`
            /// header. A value a cookie cannot carry (RFC 6265: no spaces, `"`, `,`, `;` or
            /// `\`) fails the call with `SdkError::InvalidRequest` naming the parameter. Used by
            /// generated operations.
            #[doc(hidden)]
            fn cookie_param(call, name: &'static str, value: &str) {
                call.add_cookie_param(name, value);
            }

            /// Attaches query parameters: a struct whose fields become `name=value` pairs, left
            /// out when unset, with arrays sent as repeated names (`?id=a&id=b`). A failure is
            /// reported when the call is sent. Used by generated operations.
            #[doc(hidden)]
            fn query(call, query: &(impl $crate::__private::serde::Serialize + $crate::__private::Modeled)) {
                call.set_query(query, &[]);
            }

            /// `query`, with the parameters sent in another style than one pair per array item
            /// listed by name. Used by generated operations.
            #[doc(hidden)]
            fn query_styled(
                call,
                query: &(impl $crate::__private::serde::Serialize + $crate::__private::Modeled),
                styles: &[(&str, $crate::__private::Style)]
            ) {
                call.set_query(query, styles);
            }

            /// Attaches an `application/x-www-form-urlencoded` body: the struct's fields as
            /// `name=value` pairs, arrays and objects sent in their field's style (listed by
            /// name) or OpenAPI's default. Unset fields are left out; a three-state field set
            /// to null is sent empty. A failure is reported when the call is sent. Used by
            /// generated operations.
            #[doc(hidden)]
            fn form(
                call,
                body: &(impl $crate::__private::serde::Serialize + $crate::__private::Modeled),
                styles: &[(&str, $crate::__private::Style)]
            ) {
                call.set_form(body, styles);
            }

            /// Attaches a body of raw bytes, sent as `content_type` (such as
            /// `application/octet-stream`). Used by generated operations.
            #[doc(hidden)]
            fn bytes(
                call,
                body: impl ::core::convert::Into<$crate::__private::Bytes>,
                content_type: &'static str
            ) {
                call.set_bytes(body.into(), content_type);
            }

            /// Attaches a JSON body. A serialization failure is reported when the call is
            /// sent. Used by generated operations.
            #[doc(hidden)]
            fn json(call, body: &(impl $crate::__private::serde::Serialize + $crate::__private::Modeled)) {
                call.set_json(body);
            }

            /// Attaches a `multipart/form-data` body. Used by generated operations that upload
            /// files.
            #[doc(hidden)]
            fn multipart(call, body: &impl $crate::__private::MultipartBody) {
                call.set_multipart(body);
            }
        }
    };
}

/// Writes the settings as methods of the runtime's `Call` or `ClientBuilder` (`[generics]
/// Type`, each generic with its bound if it has one), each running its body on the value it is
/// called on.
macro_rules! runtime_settings {
    ([$($generic:ident $(: $bound:path)?),*] $call:ty;
        $($(#[$attr:meta])* fn $name:ident($receiver:ident $(, $arg:ident: $ty:ty)* $(,)?) $body:block)*
    ) => {
        impl<$($generic $(: $bound)?),*> $call {
            $(
                $(#[$attr])*
                pub fn $name(mut self $(, $arg: $ty)*) -> Self {
                    let $receiver = &mut self;
                    $body
                    self
                }
            )*
        }
    };
}

pub(crate) use runtime_settings;

/// Writes the settings as methods of a call type (`[generics] Type`) that wraps the runtime's
/// and has a `map` method that changes the wrapped call: each forwards to the wrapped call's
/// method of the same name. For the runtime's blocking call and every generated crate's calls.
#[doc(hidden)]
#[macro_export]
macro_rules! __forward_call_settings {
    ([$($generic:ident),*] $call:ty;
        $($(#[$attr:meta])* fn $name:ident($receiver:ident $(, $arg:ident: $ty:ty)* $(,)?) $body:block)*
    ) => {
        impl<$($generic),*> $call {
            $(
                $(#[$attr])*
                pub fn $name(self $(, $arg: $ty)*) -> Self {
                    self.map(|call| call.$name($($arg),*))
                }
            )*
        }
    };
}
