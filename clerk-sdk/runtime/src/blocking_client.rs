//! The blocking client, for programs without an async runtime (the `blocking` feature),
//! generic over the [`Api`] it calls like the async [`Client`](crate::Client). The
//! public face of it, with an example, is the crate's `blocking` module.

use std::fmt;
use std::sync::Arc;

use crate::api::Api;
use crate::error::SdkError;

/// A blocking client. Build one with
/// [`ClientBuilder::build_blocking`](crate::ClientBuilder::build_blocking), or wrap an
/// async client with [`Client::new`]. Cheap to clone: clones share the connection pool and the
/// runtime.
pub struct Client<A> {
    client: crate::Client<A>,
    runtime: Arc<OwnedRuntime>,
}

impl<A> Clone for Client<A> {
    fn clone(&self) -> Self {
        Client {
            client: self.client.clone(),
            runtime: self.runtime.clone(),
        }
    }
}

impl<A> fmt::Debug for Client<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("blocking::Client")
            .field("client", &self.client)
            .finish_non_exhaustive()
    }
}

impl<A: Api> Client<A> {
    /// Wraps an async client, starting the runtime the blocking calls run on.
    ///
    /// # Errors
    ///
    /// [`SdkError::Config`] if the runtime cannot be started.
    pub fn new(client: crate::Client<A>) -> Result<Self, SdkError<A::ErrorBody>> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("clerk-sdk-blocking")
            .enable_all()
            .build()
            .map_err(|e| SdkError::Config(format!("cannot start the blocking client's runtime: {e}")))?;
        Ok(Client {
            client,
            runtime: Arc::new(OwnedRuntime(Some(runtime))),
        })
    }

    /// A blocking client whose credential for scheme `scheme` is the `CLERK_SECRET_KEY`
    /// environment variable. Used by the generated `from_env`.
    ///
    /// # Errors
    ///
    /// [`SdkError::Config`] if the variable is missing or empty, or the runtime cannot start.
    #[doc(hidden)]
    pub fn from_env_credential(scheme: usize) -> Result<Self, SdkError<A::ErrorBody>> {
        Client::new(crate::Client::from_env_credential(scheme)?)
    }
}

impl<A> Client<A> {
    /// The async client this one wraps.
    pub fn as_async(&self) -> &crate::Client<A> {
        &self.client
    }

    /// Turns an async call into a blocking one on this client's runtime. Used by generated
    /// operations.
    #[doc(hidden)]
    pub fn wrap<T, P>(&self, call: crate::Call<A, T, P>) -> Call<A, T, P> {
        Call {
            call,
            runtime: self.runtime.clone(),
        }
    }
}

/// The runtime blocking calls run on. Shut down without waiting when the last client is
/// dropped, so dropping a client inside an async context does not panic.
pub(crate) struct OwnedRuntime(Option<tokio::runtime::Runtime>);

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
pub struct Call<A, T, P = ()> {
    pub(crate) call: crate::Call<A, T, P>,
    pub(crate) runtime: Arc<OwnedRuntime>,
}

impl<A, T, P> fmt::Debug for Call<A, T, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("blocking::Call").field(&self.call).finish()
    }
}

// The per-call settings, from their one declaration (`call/settings.rs`), each forwarded to
// the async call.
crate::__call_settings!(crate::__forward_call_settings, [A, T, P] Call<A, T, P>);

impl<A, T, P> Call<A, T, P> {
    fn map(self, change: impl FnOnce(crate::Call<A, T, P>) -> crate::Call<A, T, P>) -> Self {
        Call {
            call: change(self.call),
            runtime: self.runtime,
        }
    }
}

impl<A: Api, T: crate::FromResponse + Send + 'static, P: 'static> Call<A, T, P> {
    /// Sends the request and waits for the decoded response.
    ///
    /// # Errors
    ///
    /// The same as the async call; see [`SdkError`].
    pub fn send(self) -> Result<T, SdkError<A::ErrorBody>> {
        self.run(crate::Call::send)
    }

    /// Sends the request and waits for the decoded response, with its status, headers and
    /// deviations from the spec.
    ///
    /// # Errors
    ///
    /// The same as [`Call::send`].
    pub fn send_with_response(self) -> Result<crate::Response<T>, SdkError<A::ErrorBody>> {
        self.run(crate::Call::send_with_response)
    }

    /// Runs `send` on the client's runtime and waits for its result. A panic in the call (in a
    /// hook, say) is raised again on the calling thread, as the async call would raise it.
    fn run<R, F>(self, send: impl FnOnce(crate::Call<A, T, P>) -> F) -> Result<R, SdkError<A::ErrorBody>>
    where
        R: Send + 'static,
        F: std::future::Future<Output = Result<R, SdkError<A::ErrorBody>>> + Send + 'static,
    {
        let operation = self.call.operation_id();
        self.runtime
            .wait(send(self.call))
            .unwrap_or_else(|| Err(stopped(operation)))
    }
}

impl OwnedRuntime {
    /// Runs `future` on the runtime and waits for its output; `None` if the runtime stopped
    /// first. A panic in `future` is raised again on the calling thread.
    pub(crate) fn wait<R: Send + 'static>(
        &self,
        future: impl std::future::Future<Output = R> + Send + 'static,
    ) -> Option<R> {
        let runtime = self.0.as_ref()?;
        let (sender, receiver) = std::sync::mpsc::sync_channel(1);
        let task = runtime.spawn(future);
        runtime.spawn(async move {
            // The receiver only goes away if the caller's thread did, so a failed send is moot.
            let _ = sender.send(task.await);
        });
        match receiver.recv() {
            Ok(Ok(output)) => Some(output),
            Ok(Err(failed)) if failed.is_panic() => std::panic::resume_unwind(failed.into_panic()),
            Ok(Err(_)) | Err(_) => None,
        }
    }
}

/// The error of a blocking call whose runtime stopped before it finished.
pub(crate) fn stopped<E>(operation: &'static str) -> SdkError<E> {
    SdkError::InvalidRequest {
        operation,
        reason: "the blocking client's runtime stopped before the call finished".to_owned(),
    }
}
