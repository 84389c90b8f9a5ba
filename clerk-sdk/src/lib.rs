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
//! # Feature flags
//!
//! - `rustls` (default): TLS through rustls.
//! - `native-tls`: TLS through the platform's library instead.
//! - `http2`: allow HTTP/2.
//! - `blocking`: a blocking client, `clerk_sdk::blocking::Clerk`, for programs without an
//!   async runtime.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "blocking")]
#[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
pub mod blocking;
mod call;
mod client;
pub mod error;
pub mod hooks;
// Formatted by the generator (prettyplease), not by rustfmt, so `cargo fmt` leaves it alone.
#[rustfmt::skip]
#[allow(clippy::too_many_arguments)]
mod generated;
mod multipart;
mod nullable;
mod open_enum;
mod retry;
mod union;

pub use call::Call;
pub use client::{Clerk, ClerkBuilder, DEFAULT_TIMEOUT, SECRET_KEY_ENV};
pub use error::Error;
pub use generated::models;
pub use generated::operations::*;
pub use generated::{API_VERSION, DEFAULT_SERVER_URL};
pub use multipart::FilePart;
pub use nullable::Nullable;
pub use retry::{BackoffStrategy, RetryConfig};

/// What generated code needs from the runtime. Not part of the public API: it may change in
/// any release.
#[doc(hidden)]
pub mod __private {
    pub use crate::call::{Operation, decode_response};
    pub use crate::impl_open_enum;
    pub use crate::multipart::{MultipartBody, Part, ToParts};
    pub use crate::retry::RetryClass;
    pub use crate::union::{Tagged, fits_object, serialize_tagged, try_decode};
    pub use reqwest::Method;
    pub use serde;
    pub use serde_json;
}
