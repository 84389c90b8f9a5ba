//! A blocking client, for programs without an async runtime (the `blocking` feature).
//!
//! It offers the same operations as the async [`Clerk`](crate::Clerk), with the same retries,
//! timeouts, per-call overrides and hooks: each call is run on a small runtime the client owns,
//! and the calling thread waits for the result.
//!
//! ```no_run
//! # fn run() -> Result<(), clerk_sdk::Error> {
//! let clerk = clerk_sdk::Clerk::builder().bearer_auth("sk_test_...").build_blocking()?;
//! let phone = clerk.phone_numbers().get("phone_12345").send()?;
//! println!("{}", phone.phone_number);
//! # Ok(()) }
//! ```
//!
//! It may be called from anywhere, including from inside another tokio runtime (it does not
//! panic there), but it blocks the calling thread: in async code, use the async client.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;

use crate::{Error, RetryConfig};

pub use crate::generated::blocking::*;

/// A blocking client for Clerk's Backend API. Build one with
/// [`ClerkBuilder::build_blocking`](crate::ClerkBuilder::build_blocking) or
/// [`Clerk::from_env`]. Cheap to clone: clones share the connection pool and the runtime.
#[derive(Clone)]
pub struct Clerk {
    client: crate::Clerk,
    runtime: Arc<OwnedRuntime>,
}

impl fmt::Debug for Clerk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("blocking::Clerk")
            .field("client", &self.client)
            .finish_non_exhaustive()
    }
}

impl Clerk {
    /// Wraps an async client, starting the runtime the blocking calls run on.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] if the runtime cannot be started.
    pub fn new(client: crate::Clerk) -> Result<Self, Error> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("clerk-sdk-blocking")
            .enable_all()
            .build()
            .map_err(|e| Error::Config(format!("cannot start the blocking client's runtime: {e}")))?;
        Ok(Clerk {
            client,
            runtime: Arc::new(OwnedRuntime(Some(runtime))),
        })
    }

    /// Like [`crate::Clerk::from_env`]: the key from `CLERK_SECRET_KEY`, everything else
    /// default.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] if the variable is missing or empty, or the runtime cannot start.
    pub fn from_env() -> Result<Self, Error> {
        Clerk::new(crate::Clerk::from_env()?)
    }

    /// The async client this one wraps.
    pub fn as_async(&self) -> &crate::Clerk {
        &self.client
    }

    /// Turns an async call into a blocking one on this client's runtime.
    pub(crate) fn wrap<T>(&self, call: crate::Call<T>) -> Call<T> {
        Call {
            call,
            runtime: self.runtime.clone(),
        }
    }
}

/// The runtime blocking calls run on. Shut down without waiting when the last client is
/// dropped, so dropping a client inside an async context does not panic.
struct OwnedRuntime(Option<tokio::runtime::Runtime>);

impl Drop for OwnedRuntime {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}

/// A prepared blocking request; [`Call::send`] sends it and waits for the result. The
/// overrides are those of the async [`Call`](crate::Call).
#[must_use = "a Call does nothing until send() is called"]
pub struct Call<T> {
    call: crate::Call<T>,
    runtime: Arc<OwnedRuntime>,
}

impl<T> fmt::Debug for Call<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("blocking::Call").field(&self.call).finish()
    }
}

impl<T> Call<T> {
    /// See [`crate::Call::retries`].
    pub fn retries(self, retries: RetryConfig) -> Self {
        self.map(|call| call.retries(retries))
    }

    /// See [`crate::Call::timeout`].
    pub fn timeout(self, timeout: Duration) -> Self {
        self.map(|call| call.timeout(timeout))
    }

    /// See [`crate::Call::server_url`].
    pub fn server_url(self, url: impl Into<String>) -> Self {
        self.map(|call| call.server_url(url))
    }

    /// See [`crate::Call::header`].
    pub fn header<K, V>(self, name: K, value: V) -> Self
    where
        K: TryInto<HeaderName>,
        V: TryInto<HeaderValue>,
    {
        self.map(|call| call.header(name, value))
    }

    /// See [`crate::Call::headers`].
    pub fn headers(self, headers: HeaderMap) -> Self {
        self.map(|call| call.headers(headers))
    }

    fn map(self, change: impl FnOnce(crate::Call<T>) -> crate::Call<T>) -> Self {
        Call {
            call: change(self.call),
            runtime: self.runtime,
        }
    }
}

impl<T: DeserializeOwned + Send + 'static> Call<T> {
    /// Sends the request and waits for the decoded response.
    ///
    /// # Errors
    ///
    /// The same as the async call; see [`Error`].
    pub fn send(self) -> Result<T, Error> {
        let operation = self.call.operation_id();
        let Some(runtime) = &self.runtime.0 else {
            return Err(stopped(operation));
        };
        let (sender, receiver) = std::sync::mpsc::sync_channel(1);
        let call = self.call;
        runtime.spawn(async move {
            // The receiver only goes away if the caller's thread did, so a failed send is moot.
            let _ = sender.send(call.await);
        });
        receiver.recv().unwrap_or_else(|_| Err(stopped(operation)))
    }
}

fn stopped(operation: &'static str) -> Error {
    Error::InvalidRequest {
        operation,
        reason: "the blocking client's runtime stopped before the call finished".to_owned(),
    }
}
