//! A typed async client for [Clerk](https://clerk.com)'s Backend API.
//!
//! The models and operations are generated from Clerk's OpenAPI spec (see the repository's
//! `spec/` folder); the client runtime around them is written by hand.
//!
//! # Quickstart
//!
//! ```no_run
//! use clerk_sdk::{Clerk, Nullable, models::{CreatePhoneNumberRequest, UpdatePhoneNumberRequest}};
//!
//! # async fn run() -> Result<(), clerk_sdk::Error> {
//! let clerk = Clerk::builder()
//!     .bearer_auth(std::env::var("CLERK_SECRET_KEY").unwrap_or_default())
//!     .build()?;
//!
//! let phone = clerk
//!     .phone_numbers()
//!     .create(CreatePhoneNumberRequest::new("user_123", "+15555550100").verified(true))
//!     .await?;
//! let id = phone.id.clone().unwrap_or_default();
//!
//! let phone = clerk.phone_numbers().get(&id).await?;
//! let phone = clerk
//!     .phone_numbers()
//!     .update(&id, UpdatePhoneNumberRequest::default().primary(true).verified(Nullable::Null))
//!     .await?;
//! let deleted = clerk.phone_numbers().delete(&id).await?;
//! assert!(deleted.deleted);
//! # let _ = phone;
//! # Ok(()) }
//! ```
//!
//! A complete tour of the operations, runnable without an account:
//! `cargo run -p clerk-sdk --example phone_numbers`. The reference for every operation and
//! model is also generated as Markdown in the crate's `docs/` folder.
//!
//! # Errors
//!
//! Every call returns [`Error`]. A status the spec lists for the operation gives
//! [`Error::Api`] with Clerk's parsed error body, including `clerk_trace_id`; any other non-2xx
//! status gives [`Error::UnexpectedStatus`] with the body kept. See [`error`].
//!
//! # Forward compatibility
//!
//! String enums and discriminated unions are open: a value this version does not know decodes
//! into an `Unknown` variant that keeps it. Unknown response fields are ignored.
//!
//! A response that strays from the spec in other ways (a required field missing, `null` where
//! the spec says a value, a value of another type) is still decoded: the call gives its value,
//! and each deviation is reported with its JSON pointer on
//! [`Response::deviations`](crate::Response::deviations), in a `warn` log event and to
//! [`Hooks::on_deviations`](crate::hooks::Hooks::on_deviations). `strict_responses(true)` on
//! the builder or a call makes a deviation an [`Error::Decode`] instead, as the testing kit's
//! clients do. The [`drift`] module has the outcome of each kind of deviation.
//!
//! # Lists and request checks
//!
//! A list operation's call has `.paginate()`, which pages through the list as a stream of items
//! or pages, resumable after a failure: see [`pagination`] (the phone numbers have no list; a
//! crate generated from the whole Backend API has 37). Before a call is sent, its parameters
//! and body are checked against the spec's constraints (ranges, lengths, item counts, an
//! enum's values); a violation is [`Error::InvalidRequest`] and nothing is sent.
//! [`ClerkBuilder::check_requests`](crate::runtime::ClientBuilder::check_requests) turns the
//! checks off.
//!
//! # Other Clerk APIs
//!
//! The client runtime is generic over the API it talks to ([`runtime`]): a crate generated from
//! another Clerk spec (the Frontend API, another Backend API version) uses it with its own
//! models, credentials and error type. The repository's README says how to generate one.
//!
//! # Feature flags
//!
//! - `rustls` (default): TLS through rustls with the *ring* crypto provider.
//! - `rustls-aws-lc`: TLS through rustls with the aws-lc-rs provider instead.
//! - `native-tls`: TLS through the platform's library instead.
//!
//! The [`tls`] module says which one wins when several are on, and what the default means for
//! `reqwest::Client`s an application builds itself.
//! - `http2`: allow HTTP/2.
//! - `blocking`: a blocking client, `clerk_sdk::blocking::Clerk`, for programs without an
//!   async runtime.
//! - `testing`: typed mocks of every operation and fixtures, `clerk_sdk::testing`, for the
//!   tests of applications (a dev-dependency feature).
//! - `webhooks`: Clerk's webhooks verified and their events typed: `clerk_sdk::webhooks` and `clerk_sdk::events`.
//! - `auth`: session tokens verified, with the instance's keys cached: `clerk_sdk::auth`.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod api;
#[cfg(feature = "auth")]
#[cfg_attr(docsrs, doc(cfg(feature = "auth")))]
pub mod auth;
#[cfg(feature = "blocking")]
mod blocking_client;
mod call;
#[cfg(feature = "auth")]
mod clerk_auth;
mod client;
mod credentials;
pub mod drift;
pub mod error;
pub mod hooks;
pub mod pagination;
// Formatted by the generator (prettyplease), not by rustfmt, so `cargo fmt` leaves it alone.
// Its methods take every required argument and are named after the spec's fields (a setter may
// be called `sub`), and its docs quote the spec's prose as written.
#[rustfmt::skip]
#[allow(clippy::too_many_arguments, clippy::should_implement_trait, clippy::doc_lazy_continuation)]
mod generated;
// Clerk's webhook events, generated from its webhooks spec (`spec/webhooks.yaml`) beside the
// operations; formatted and allowed as `generated` is.
#[cfg(feature = "webhooks")]
#[cfg_attr(docsrs, doc(cfg(feature = "webhooks")))]
#[rustfmt::skip]
#[allow(clippy::too_many_arguments, clippy::should_implement_trait, clippy::doc_lazy_continuation)]
#[path = "generated/events/mod.rs"]
pub mod events;
#[cfg(feature = "testing")]
mod mock;
mod multipart;
mod nullable;
mod open_enum;
mod retry;
mod standalone;
pub mod tls;
mod union;
#[cfg(feature = "webhooks")]
#[cfg_attr(docsrs, doc(cfg(feature = "webhooks")))]
pub mod webhooks;

pub use call::{Outcome, Redirect, Response};
pub use client::{DEFAULT_MAX_RESPONSE_BODY, DEFAULT_TIMEOUT, SECRET_KEY_ENV};
pub use drift::Deviation;
pub use error::SdkError;
pub use generated::models;
pub use generated::operations::*;
// The module's own docs say what it is; a doc comment here would be shown before them.
#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub use generated::testing;
pub use generated::{API_VERSION, Call, Clerk, ClerkBackendApi, ClerkBuilder, DEFAULT_SERVER_URL, Error};
pub use multipart::FilePart;
pub use nullable::Nullable;
/// The reqwest the SDK is built with. Its types are in the SDK's API (hooks see a
/// `reqwest::Request`, [`ClerkBuilder::http_client`] takes a `reqwest::Client`), so an
/// application uses this one rather than another version of its own.
pub use reqwest;
pub use retry::{BackoffStrategy, RetryConfig};

/// The client runtime every generated crate builds on: the client, its builder and the call,
/// generic over the [`Api`](runtime::Api) they talk to. `clerk_sdk::Clerk`, `ClerkBuilder`
/// and `Call` are these for Clerk's Backend API.
pub mod runtime {
    pub use crate::api::{Api, ApiDescription, KeyLocation, SchemeKind, SecurityScheme};
    pub use crate::call::{Call, FromResponse};
    pub use crate::client::{Client, ClientBuilder};
    pub use crate::credentials::Credential;

    /// What the spec says each type looks like on the wire, as the lenient decoder reads it
    /// (see [`crate::drift`]). Every generated model implements [`Modeled`](schema::Modeled)
    /// with a static table; a call's response type and an API's error body must.
    pub mod schema {
        pub use crate::drift::schema::{
            Alternative, Enum, Field, Modeled, Rule, Schema, SchemaFn, Shape, Struct, TaggedUnion, UntaggedUnion,
        };
    }

    /// The typed mocks' runtime, generic over the API (the `testing` feature); each generated
    /// crate's `testing` module has the typed expectations of its operations.
    #[cfg(feature = "testing")]
    #[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
    pub mod testing {
        pub use crate::mock::{
            AnsweredBy, Expectation, LoggedRequest, MOCK_MAX_ATTEMPTS, Mock, MockOperation, OperationVisitor, Received,
            ResponseBody, TEST_CREDENTIAL, decode_as, with_test_credentials,
        };
        /// The wiremock the kit is built on, for
        /// [`respond_with`](Expectation::respond_with)'s `ResponseTemplate` and the raw
        /// [`Mock::server`]: use it from here, so its version is always the kit's.
        #[doc(no_inline)]
        pub use wiremock;
    }

    /// The blocking client and call, generic over the API.
    #[cfg(feature = "blocking")]
    #[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
    pub mod blocking {
        pub use crate::blocking_client::{Call, Client};
    }
}

/// A blocking client, for programs without an async runtime (the `blocking` feature).
///
/// It offers the same operations as the async [`Clerk`], with the same retries, timeouts,
/// per-call overrides and hooks: each call is run on a small runtime the client owns, and the
/// calling thread waits for the result.
///
/// ```no_run
/// # fn run() -> Result<(), clerk_sdk::Error> {
/// let clerk = clerk_sdk::Clerk::builder().bearer_auth("sk_test_...").build_blocking()?;
/// let phone = clerk.phone_numbers().get("phone_12345").send()?;
/// println!("{}", phone.phone_number);
/// # Ok(()) }
/// ```
///
/// It may be called from anywhere, including from inside another tokio runtime (it does not
/// panic there), but it blocks the calling thread: in async code, use the async client.
#[cfg(feature = "blocking")]
#[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
pub mod blocking {
    pub use crate::generated::blocking::*;
}

/// What generated code needs from the runtime. Not part of the public API: it may change in
/// any release.
#[doc(hidden)]
pub mod __private {
    pub use crate::__modeled_struct as modeled_struct;
    pub use crate::__standalone_client as standalone_client;
    #[cfg(feature = "testing")]
    pub use crate::__standalone_testing as standalone_testing;
    #[cfg(feature = "webhooks")]
    pub use crate::__webhook_events as webhook_events;
    pub use crate::api::{Api, ApiDescription, KeyLocation, SchemeKind, SecurityScheme};
    pub use crate::call::{Call, Operation, Style, decode_response};
    pub use crate::client::{Client, ClientBuilder};
    pub use crate::credentials::Credential;
    pub use crate::drift::decode_json_body;
    pub use crate::drift::schema::{
        Alternative, Enum, Field, Modeled, Rule, Schema, Shape, Struct, TaggedUnion, UntaggedUnion,
    };
    pub use crate::drift::strict::{is_strict, non_null, required_nullable, unknown_enum_value};
    pub use crate::drift::untagged::decode_untagged;
    pub use crate::impl_open_enum;
    pub use crate::multipart::{MultipartBody, Part, ToParts};
    pub use crate::pagination::{CursorFrom, IntoPage, PageBy, PageParts, Paging};
    pub use crate::retry::RetryClass;
    pub use crate::union::{Tagged, serialize_tagged, try_decode};
    #[cfg(feature = "webhooks")]
    pub use crate::webhooks::{Event, event_fixture, event_type};
    pub use bytes::Bytes;
    pub use reqwest;
    pub use reqwest::Method;
    pub use secrecy::SecretString;
    pub use serde;
    pub use serde_json;

    /// What generated testing modules use.
    #[cfg(feature = "testing")]
    pub mod testing {
        pub use crate::__mock_operation as mock_operation;
        pub use crate::mock::{
            AnsweredBy, Expectation, LoggedRequest, Mock, MockOperation, OperationVisitor, Received, ResponseBody,
            bytes_response, empty_response, fixture, form_body, json_body, json_response, no_body, raw_body,
            round_trip, text_response,
        };
        pub use wiremock;
    }
}
