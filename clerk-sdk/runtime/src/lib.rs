//! The runtime of [`clerk-sdk`](https://docs.rs/clerk-sdk) and of every client generated from
//! a Clerk OpenAPI spec: the client and its builder, each call's phases (checks, attempts,
//! retries, decoding), typed errors, drift-tolerant decoding, pagination, webhook
//! verification, session-token verification and the testing kit.
//!
//! Applications do not depend on this crate by hand: they depend on a generated crate
//! (`clerk-sdk` for the phone numbers, or one a maintainer generates from the whole Backend
//! API), which depends on this one and re-exports what its users need: [`drift`], [`error`],
//! [`hooks`], [`pagination`], [`tls`], [`webhooks`], [`auth`] and the types at the root, and
//! this whole crate as its `runtime` module.
//!
//! # How generated code uses it
//!
//! A generated crate describes its API to the runtime and calls it; the runtime names nothing
//! generated.
//!
//! - A marker type implements [`Api`]: the API's servers, security schemes and error body.
//! - Each operation is a static descriptor and a method that starts a [`Call`]; each model
//!   implements [`schema::Modeled`], the table the lenient decoder reads.
//! - The crate's own `Clerk`, `ClerkBuilder`, `Call`, the blocking client and the testing kit's
//!   `MockClerk` are thin wrappers of [`Client`], [`ClientBuilder`], [`Call`],
//!   [`blocking::Client`] and [`testing::Mock`], written by this crate's macros so that every
//!   generated crate has the same methods, with the same docs. (Rust lets a crate add methods
//!   only to its own types, and generated code adds resource handles and parameter setters.)
//!
//! # Versions
//!
//! This crate follows semantic versioning for everything public except [`__private`] and the
//! macros whose names start with `__`: those are what generated code calls, and may change in
//! any release. A generated crate therefore depends on the version of the runtime it was
//! generated against (`^0.1.0` for 0.1.x), and the runtime keeps that surface working within a
//! minor version (within `0.x.*` before 1.0). `codegen`'s tests hold the generator to the
//! surface listed there.
//!
//! # Feature flags
//!
//! - `rustls` (default): TLS through rustls with the *ring* crypto provider.
//! - `rustls-aws-lc`: TLS through rustls with the aws-lc-rs provider instead.
//! - `native-tls`: TLS through the platform's library instead. The [`tls`] module says which
//!   one wins when several are on.
//! - `http2`: allow HTTP/2.
//! - `blocking`: the blocking client ([`blocking`]).
//! - `testing`: the testing kit's mock server ([`testing`]).
//! - `webhooks`: webhook verification ([`webhooks`]).
//! - `auth`: session-token verification ([`auth`]).
//! - `tower`: `auth` and its tower layer, [`auth::AuthLayer`].
//!
//! A generated crate has the same features, each turning on this crate's.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod api;
#[cfg(feature = "auth")]
#[cfg_attr(docsrs, doc(cfg(feature = "auth")))]
pub mod auth;
#[cfg(feature = "blocking")]
mod blocking_client;
pub mod bulk;
mod call;
mod client;
mod credentials;
pub mod drift;
pub mod error;
pub mod hooks;
pub mod limits;
#[cfg(feature = "testing")]
mod mock;
mod multipart;
mod nullable;
mod open_enum;
pub mod pagination;
mod retry;
pub mod tls;
mod union;
mod unknown_fields;
#[cfg(feature = "webhooks")]
#[cfg_attr(docsrs, doc(cfg(feature = "webhooks")))]
pub mod webhooks;
mod wrappers;

pub use api::{Api, ApiDescription, KeyLocation, SchemeKind, SecurityScheme};
pub use call::{Call, FromResponse, Outcome, Redirect, Response};
pub use client::{Client, ClientBuilder, DEFAULT_MAX_RESPONSE_BODY, DEFAULT_TIMEOUT, SECRET_KEY_ENV};
pub use credentials::Credential;
pub use drift::Deviation;
pub use error::SdkError;
pub use multipart::FilePart;
pub use nullable::Nullable;
/// The reqwest the runtime is built with. Its types are in the runtime's API (hooks see a
/// `reqwest::Request`, [`ClientBuilder::http_client`] takes a `reqwest::Client`), so an
/// application uses this one rather than another version of its own.
pub use reqwest;
pub use retry::{BackoffStrategy, RetryConfig};
pub use unknown_fields::UnknownFields;

/// What the spec says each type looks like on the wire, as the lenient decoder reads it (see
/// [`drift`]). Every generated model implements [`Modeled`](schema::Modeled) with a static
/// table; a call's response type and an API's error body must.
pub mod schema {
    pub use crate::drift::schema::{
        Alternative, Enum, Field, Modeled, Rule, Schema, SchemaFn, Shape, Struct, TaggedUnion, UntaggedUnion,
    };
}

/// The typed mocks' runtime, generic over the API (the `testing` feature); each generated
/// crate's `testing` module has the typed expectations of its operations and its `MockClerk`.
#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing {
    pub use crate::mock::{
        AnsweredBy, Expectation, LoggedRequest, MOCK_MAX_ATTEMPTS, Mock, MockOperation, OperationVisitor, Received,
        ResponseBody, TEST_CREDENTIAL, decode_as, with_test_credentials, without_nulls,
    };
    /// The wiremock the kit is built on, for
    /// [`respond_with`](Expectation::respond_with)'s `ResponseTemplate` and the raw
    /// [`Mock::server`]: use it from here, so its version is always the kit's.
    #[doc(no_inline)]
    pub use wiremock;
}

/// The blocking client and call, generic over the API (the `blocking` feature). Each
/// generated crate's `blocking` module wraps them for its API.
#[cfg(feature = "blocking")]
#[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
pub mod blocking {
    pub use crate::blocking_client::{Call, Client};
}

/// What generated code needs from the runtime. Not part of the public API: it may change in
/// any minor release (see the crate docs), and only generated code should name it.
#[doc(hidden)]
pub mod __private {
    #[cfg(feature = "blocking")]
    pub use crate::__blocking_types as blocking_types;
    pub use crate::__client_types as client_types;
    #[cfg(feature = "auth")]
    pub use crate::__machine_verifier as machine_verifier;
    pub use crate::__modeled_struct as modeled_struct;
    #[cfg(feature = "auth")]
    pub use crate::__session_authenticator as session_authenticator;
    #[cfg(feature = "testing")]
    pub use crate::__testing_types as testing_types;
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
    pub use crate::pagination::{CursorFrom, CursorRules, IntoPage, PageBy, PageParts, Paging};
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
        #[cfg(feature = "auth")]
        pub use crate::__serves_machine_tokens as serves_machine_tokens;
        #[cfg(feature = "auth")]
        pub use crate::__serves_session_keys as serves_session_keys;
        pub use crate::mock::{
            AnsweredBy, Expectation, LoggedRequest, Mock, MockOperation, OperationVisitor, Received, ResponseBody,
            bytes_response, empty_response, fixture, form_body, json_body, json_response, no_body, raw_body,
            round_trip, text_response,
        };
        pub use wiremock;
    }
}
