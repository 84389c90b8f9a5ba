//! A typed async client for [Clerk](https://clerk.com)'s Backend API: the phone numbers and
//! the instance's keys, Clerk's webhook events, and session-token verification.
//!
//! The models, operations, events and testing kit are generated from Clerk's OpenAPI specs (see
//! the repository's `spec/` folder) over `clerk-sdk-runtime`, the hand-written runtime that
//! every generated crate shares, re-exported here as [`runtime`]. A crate generated from the
//! whole Backend API has the same surface with every resource.
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
//! [`Response::deviations`], in a `warn` log event and to
//! [`Hooks::on_deviations`](hooks::Hooks::on_deviations). `strict_responses(true)` on the
//! builder or a call makes a deviation an [`Error::Decode`] instead, as the testing kit's
//! clients do. The [`drift`] module has the outcome of each kind of deviation.
//!
//! # Lists and request checks
//!
//! A list operation's call has `.paginate()`, which pages through the list as a stream of items
//! or pages, resumable after a failure: see [`pagination`] (the phone numbers have no list; a
//! crate generated from the whole Backend API has 37). Before a call is sent, its parameters
//! and body are checked against the spec's constraints (ranges, lengths, item counts, an
//! enum's values); a violation is [`Error::InvalidRequest`] and nothing is sent.
//! [`ClerkBuilder::check_requests`] turns the checks off.
//!
//! # Feature flags
//!
//! - `rustls` (default): TLS through rustls with the *ring* crypto provider.
//! - `rustls-aws-lc`: TLS through rustls with the aws-lc-rs provider instead.
//! - `native-tls`: TLS through the platform's library instead. The [`tls`] module says which
//!   one wins when several are on, and what the default means for `reqwest::Client`s an
//!   application builds itself.
//! - `http2`: allow HTTP/2.
//! - `blocking`: a blocking client, `clerk_sdk::blocking::Clerk`, for programs without an
//!   async runtime.
//! - `testing`: typed mocks of every operation and fixtures, `clerk_sdk::testing`, for the
//!   tests of applications (a dev-dependency feature).
//! - `webhooks`: Clerk's webhooks verified and their events typed: `clerk_sdk::webhooks` and
//!   `clerk_sdk::events`.
//! - `auth`: session tokens verified, with the instance's keys cached: `clerk_sdk::auth` and
//!   `Clerk::authenticator`.
//! - `tower`: `auth` and its tower layer, `clerk_sdk::auth::AuthLayer`, for axum, tonic and
//!   hyper servers.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// Written by the generator (`cargo xtask codegen`), as every generated crate's are, and
// re-exported whole. Formatted by the generator (prettyplease), not by rustfmt, and allowed
// what spec names and prose need: setters named after fields, every required argument.
#[rustfmt::skip]
#[allow(clippy::too_many_arguments, clippy::should_implement_trait, clippy::doc_lazy_continuation)]
mod generated;

pub use generated::*;
