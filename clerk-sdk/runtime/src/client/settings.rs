//! The client builder's settings, declared once.
//!
//! [`__builder_settings!`](crate::__builder_settings) lists every setting of a client builder,
//! each with its docs and with what it does to the runtime's
//! [`ClientBuilder`](super::ClientBuilder). Every builder type is written from that one list by
//! a macro it passes in:
//!
//! - the runtime's builder runs each body (as the runtime's call runs its settings', through
//!   `call/settings.rs`'s `runtime_settings!`);
//! - each generated crate's `ClerkBuilder` forwards each method to the builder it wraps
//!   ([`__forward_builder_settings!`](crate::__forward_builder_settings), expanded by
//!   `__client_types!`).
//!
//! So a new setting is one entry here, with its tests, and every generated crate has it with
//! the same docs. The docs' links must resolve in this crate and in every generated crate,
//! which re-exports `SdkError`, `RetryConfig`, `DEFAULT_TIMEOUT`, `DEFAULT_MAX_RESPONSE_BODY`,
//! `tls`, `hooks`, `drift` and `limits` at its root, and names its own call `Call`.

/// Calls `$apply!` with `$context` (whatever the caller needs back), a `;`, and every setting
/// as `/// docs fn name(builder, argument: Type, ...) { body }`, where `builder` names the
/// runtime's `ClientBuilder` (as `&mut`) in the body. Types are written with `$crate` paths, so
/// the list expands anywhere.
#[doc(hidden)]
#[macro_export]
macro_rules! __builder_settings {
    ($apply:path, $($context:tt)*) => {
        $apply! {
            $($context)*;

            /// Sets the credential of security scheme number `scheme` (in the API's order),
            /// replacing any set before. Used by the generated method of each scheme, such as
            /// `bearer_auth`.
            #[doc(hidden)]
            fn credential(builder, scheme: usize, credential: $crate::Credential) {
                builder.credentials.retain(|(index, _)| *index != scheme);
                builder.credentials.push((scheme, credential));
            }

            /// The server URL, such as `https://api.clerk.com/v1`. A trailing `/` is ignored.
            /// Defaults to the spec's first server, when its URL has no variables to fill in.
            fn server_url(builder, url: impl ::core::convert::Into<::std::string::String>) {
                builder.server_url = ::core::option::Option::Some(url.into());
            }

            /// A `reqwest::Client` to send requests with, for custom proxies or connection
            /// pools. The SDK still sets its own headers and timeout on every request. Build it
            /// with `.redirect(reqwest::redirect::Policy::none())`, as the SDK's own client is:
            /// a client that follows redirects hides the documented ones from the caller. With
            /// the default `rustls` feature, call
            /// [`tls::install_default_provider`](crate::tls::install_default_provider) before
            /// building it (the [`tls`](crate::tls) module says why).
            fn http_client(builder, client: $crate::reqwest::Client) {
                builder.http_client = ::core::option::Option::Some(client);
            }

            /// Trusts `certificate` as a root, besides the platform's, for the SDK's own HTTP
            /// client: a proxy's or a test server's certificate authority. It cannot reach a
            /// client given to [`http_client`](Self::http_client), so giving both is a
            /// configuration error.
            fn add_root_certificate(builder, certificate: $crate::tls::Certificate) {
                builder.root_certificates.push(certificate);
            }

            /// How long one attempt may take, from connecting to reading the whole body. A call
            /// that is retried may take longer in all: each attempt has this long, and the
            /// waits between them come on top (see [`RetryConfig`](crate::RetryConfig)).
            /// Defaults to [`DEFAULT_TIMEOUT`](crate::DEFAULT_TIMEOUT); override it per call
            /// with [`Call::timeout`](crate::Call::timeout).
            fn timeout(builder, timeout: ::std::time::Duration) {
                builder.timeout = ::core::option::Option::Some(timeout);
            }

            /// When failed attempts are retried. Defaults to
            /// [`RetryConfig::default`](crate::RetryConfig::default); override it per call with
            /// [`Call::retries`](crate::Call::retries).
            fn retries(builder, retries: $crate::RetryConfig) {
                builder.retries = ::core::option::Option::Some(retries);
            }

            /// The longest response body to read, in bytes; defaults to
            /// [`DEFAULT_MAX_RESPONSE_BODY`](crate::DEFAULT_MAX_RESPONSE_BODY). A longer body
            /// fails the call with
            /// [`SdkError::ResponseTooLarge`](crate::SdkError::ResponseTooLarge) once the
            /// `Content-Length` announces it, or as soon as reading passes the limit, so it is
            /// never buffered whole.
            fn max_response_body(builder, bytes: usize) {
                builder.max_response_body = ::core::option::Option::Some(bytes);
            }

            /// Lets credentials go over plain `http://` to hosts other than this machine. Off
            /// by default: such a server URL is refused (when building, or for a per-call
            /// override, when the call is made), because anyone on the path could read them.
            /// `http://localhost`, `127.0.0.0/8` and `[::1]` are always allowed, for local mock
            /// servers.
            fn allow_insecure_http(builder, allow: bool) {
                builder.allow_insecure_http = allow;
            }

            /// Whether a response that deviates from the spec fails the call with
            /// [`SdkError::Decode`](crate::SdkError::Decode) (`true`), naming the first
            /// deviation and listing them all, instead of being decoded leniently with each
            /// deviation reported (`false`, the default). Turn it on in tests, to catch fixtures
            /// that break the spec (the testing kit's clients have it on); override it per call
            /// with [`Call::strict_responses`](crate::Call::strict_responses). See
            /// [`drift`](crate::drift).
            fn strict_responses(builder, strict: bool) {
                builder.strict_responses = strict;
            }

            /// Whether each call's query parameters and body (JSON or form; a multipart body is
            /// not checked) are checked against the spec's constraints before anything is sent
            /// (`true`, the default): a number out of its range, a string or list of the wrong
            /// length, or a value a string enum does not list fails the call with
            /// [`SdkError::InvalidRequest`](crate::SdkError::InvalidRequest), which names the
            /// parameter or field and the constraint (not the value). Turn it off when Clerk's
            /// limits change before its spec does.
            fn check_requests(builder, check: bool) {
                builder.unchecked_requests = !check;
            }

            /// How the client keeps under its instance's rate limit: by default the limit of the
            /// instance its secret key is of, shared with every client of that instance in the
            /// process (see [`limits`](crate::limits)).
            fn rate_limit(builder, limiting: $crate::limits::RateLimiting) {
                builder.rate_limiting = limiting;
            }

            /// The retry quota of the client's instance: by default
            /// [`RetryQuota::default`](crate::limits::RetryQuota::default), shared with every
            /// client of that instance in the process (see [`limits`](crate::limits)).
            fn retry_quota(builder, quota: $crate::limits::RetryQuota) {
                builder.retry_quota = quota;
            }

            /// Registers hooks that run around every attempt (see [`hooks`](crate::hooks)).
            /// Hooks run in the order they were added.
            fn hook(builder, hooks: impl $crate::hooks::Hooks) {
                builder.hooks.push(::std::sync::Arc::new(hooks));
            }
        }
    };
}

/// Writes the settings as methods of a builder type (`Type`) that wraps the runtime's in a
/// field `inner`: each forwards to the wrapped builder's method of the same name. For each
/// generated crate's `ClerkBuilder`.
#[doc(hidden)]
#[macro_export]
macro_rules! __forward_builder_settings {
    ($builder:ident;
        $($(#[$attr:meta])* fn $name:ident($receiver:ident $(, $arg:ident: $ty:ty)* $(,)?) $body:block)*
    ) => {
        impl $builder {
            $(
                $(#[$attr])*
                pub fn $name(self $(, $arg: $ty)*) -> Self {
                    $builder {
                        inner: self.inner.$name($($arg),*),
                    }
                }
            )*
        }
    };
}
