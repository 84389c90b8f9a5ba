//! [`Call`]: one prepared request, and the single place where requests are sent and
//! responses mapped.
//!
//! Generated operation methods only describe the request (an [`Operation`] plus arguments);
//! everything else happens here, so it is written and tested once.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, COOKIE, HOST, HeaderMap, HeaderName, HeaderValue, USER_AGENT,
};
use reqwest::{Method, Url};
use secrecy::ExposeSecret;
use serde::Serialize;
use tracing::Instrument;

mod form;
mod outcome;
mod response;
mod url;

pub use form::Style;
use form::{Target, encode, join, pairs};
pub use outcome::{FromResponse, Outcome, Redirect};
pub use response::decode_response;
use response::{RawResponse, status_error};
use url::expand_path;

use crate::api::{Api, KeyLocation, SchemeKind};
use crate::client::{Client, ClientInner, check_cleartext, normalize_server_url};
use crate::credentials::{Sendable, choose, is_cookie_value};
use crate::error::{BaseError as Error, SdkError, transport_summary};
use crate::hooks::{AttemptFailure, HookContext, HookResponse};
use crate::retry::{RetryClass, RetryConfig};

/// The header that pins the API version, for APIs whose versions are dated.
const API_VERSION_HEADER: HeaderName = HeaderName::from_static("clerk-api-version");

/// Headers the SDK owns: a per-call header with one of these names is refused, so nothing can
/// silently change the credentials, the API version, the cookies or the body's framing. The
/// headers of the API's `apiKey` schemes are the SDK's too.
const PROTECTED_HEADERS: [HeaderName; 6] = [
    AUTHORIZATION,
    API_VERSION_HEADER,
    CONTENT_TYPE,
    CONTENT_LENGTH,
    HOST,
    COOKIE,
];

/// `clerk-sdk/<version>`.
const SDK_USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// The static description of an operation, emitted by the generator.
#[derive(Debug)]
pub struct Operation {
    /// The spec's `operationId`.
    pub id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path template, such as `/phone_numbers/{phone_number_id}`.
    pub path: &'static str,
    /// Statuses that map to [`Error::Api`].
    pub error_statuses: &'static [u16],
    /// Whether the operation may be repeated safely, which decides what is retried.
    pub retry: RetryClass,
    /// The security requirements: alternatives, each a set of schemes (indexes into the API's
    /// schemes) sent together. Empty for `security: []`; an empty alternative makes
    /// authentication optional.
    pub security: &'static [&'static [usize]],
    /// Whether every error status not in `error_statuses` maps to [`SdkError::Api`] too, as
    /// the operation's `default` response says.
    pub default_errors: bool,
}

/// A prepared request to one operation. Nothing is sent until it is awaited.
///
/// Before awaiting, the client's settings can be overridden for this call alone, like the
/// Python SDK's `retries=`, `timeout_ms=`, `server_url=` and `http_headers=`:
///
/// ```no_run
/// use std::time::Duration;
/// use clerk_sdk::RetryConfig;
///
/// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
/// let call = clerk.phone_numbers().get("phone_12345"); // nothing sent yet
/// let phone = call
///     .retries(RetryConfig::none())
///     .timeout(Duration::from_secs(2))
///     .header("x-request-id", "req-42")
///     .await?;                                        // sent here
/// # Ok(()) }
/// ```
///
/// `A` is the API and `T` the decoded response; each generated crate names its own, such as
/// `clerk_sdk::Call<T>`. `P` marks an operation with optional header or cookie parameters,
/// whose setters are methods of its calls only; it is `()` for every other operation.
#[must_use = "a Call does nothing until it is awaited"]
pub struct Call<A, T, P = ()> {
    client: Arc<ClientInner>,
    operation: &'static Operation,
    /// The client's server URL followed by the expanded path, or why the path arguments were
    /// refused. Built when the call is made, so it is done once, not once per attempt.
    url: Result<UrlText, Error>,
    query: Result<Vec<(String, String)>, String>,
    body: Option<Result<EncodedBody, String>>,
    options: CallOptions,
    response: Types<A, T, P>,
}

/// What a [`Call`] is for, at the type level only: the API, the response and the marker.
type Types<A, T, P> = PhantomData<fn() -> (A, T, P)>;

/// A URL being assembled: a server URL followed by a path.
#[derive(Debug)]
struct UrlText {
    text: String,
    /// Where the path starts, so a per-call server URL can replace what comes before.
    path_start: usize,
}

/// A request body ready to send (and to send again on a retry).
#[derive(Debug, Clone)]
struct EncodedBody {
    content_type: HeaderValue,
    bytes: Bytes,
}

/// Per-call overrides of the client's settings.
#[derive(Debug, Default, Clone)]
struct CallOptions {
    retries: Option<RetryConfig>,
    timeout: Option<Duration>,
    server_url: Option<String>,
    headers: HeaderMap,
    /// Cookie parameters, in the order they were given.
    cookies: Vec<(&'static str, String)>,
    /// The first invalid header given, reported when the call is awaited.
    header_error: Option<String>,
}

impl<A, T, P> fmt::Debug for Call<A, T, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("operation", &self.operation.id)
            .field("method", &self.operation.method)
            .field("path", &self.operation.path)
            .field("url", &self.url.as_ref().map(|url| url.text.as_str()))
            .finish_non_exhaustive()
    }
}

impl<A, T, P> Call<A, T, P> {
    /// A call to `operation` with its path arguments in template order. Used by generated
    /// operations.
    #[doc(hidden)]
    pub fn new(client: &Client<A>, operation: &'static Operation, path_args: &[&str]) -> Self {
        let server_url = &client.inner.server_url;
        let mut text = String::with_capacity(server_url.len() + operation.path.len() + 32);
        text.push_str(server_url);
        let url = expand_path(operation, path_args, &mut text).map(|()| UrlText {
            text,
            path_start: server_url.len(),
        });
        Call {
            client: client.inner.clone(),
            operation,
            url,
            query: Ok(Vec::new()),
            body: None,
            options: CallOptions::default(),
            response: PhantomData,
        }
    }

    /// The operation's `operationId`.
    #[cfg(feature = "blocking")]
    pub(crate) fn operation_id(&self) -> &'static str {
        self.operation.id
    }

    /// Retries for this call instead of the client's; `RetryConfig::none()` turns them off.
    pub fn retries(mut self, retries: RetryConfig) -> Self {
        self.options.retries = Some(retries);
        self
    }

    /// The time each attempt of this call may take, instead of the client's timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// The server URL for this call, such as `https://api.clerk.com/v1`, instead of the
    /// client's. An invalid URL fails the call with [`Error::InvalidRequest`].
    pub fn server_url(mut self, url: impl Into<String>) -> Self {
        self.options.server_url = Some(url.into());
        self
    }

    /// Adds a header to this call's requests, replacing a same-named header the SDK would send
    /// (such as `User-Agent`).
    ///
    /// `Authorization`, `Clerk-API-Version`, `Content-Type`, `Content-Length`, `Host`,
    /// `Cookie` and the headers of the API's key schemes are the SDK's own: setting one of
    /// them, or giving a name or value that is not a valid header, fails the call with
    /// [`SdkError::InvalidRequest`] before anything is sent.
    pub fn header<K, V>(mut self, name: K, value: V) -> Self
    where
        K: TryInto<HeaderName>,
        V: TryInto<HeaderValue>,
    {
        match (name.try_into(), value.try_into()) {
            (Ok(name), Ok(value)) => self.add_header(name, value),
            (Err(_), _) => self.record_header_error("a header name is not valid".to_owned()),
            (Ok(name), Err(_)) => self.record_header_error(format!("the value of header `{name}` is not valid")),
        }
        self
    }

    /// Adds several headers, as [`Call::header`] does for one.
    pub fn headers(mut self, headers: HeaderMap) -> Self {
        let mut current = None;
        for (name, value) in headers {
            // `HeaderMap` yields the name only for the first of several values.
            if let Some(name) = name {
                current = Some(name);
            }
            if let Some(name) = &current {
                self.add_header(name.clone(), value);
            }
        }
        self
    }

    fn add_header(&mut self, name: HeaderName, value: HeaderValue) {
        if self.is_protected(&name) {
            self.record_header_error(format!(
                "header `{name}` is set by the SDK and cannot be overridden per call"
            ));
        } else {
            self.options.headers.append(name, value);
        }
    }

    /// Whether the SDK owns header `name`: one of [`PROTECTED_HEADERS`], or the header of one
    /// of the API's key schemes.
    fn is_protected(&self, name: &HeaderName) -> bool {
        PROTECTED_HEADERS.contains(name)
            || self.client.api.schemes.iter().any(|scheme| {
                matches!(scheme.kind, SchemeKind::ApiKey { location: KeyLocation::Header, name: key }
                    if name.as_str().eq_ignore_ascii_case(key))
            })
    }

    fn record_header_error(&mut self, reason: String) {
        self.options.header_error.get_or_insert(reason);
    }

    /// Sends the operation's header parameter `name` with `value`. A value that is not a valid
    /// header value fails the call with [`SdkError::InvalidRequest`] naming the parameter,
    /// before anything is sent. Used by generated operations.
    #[doc(hidden)]
    pub fn header_param(mut self, name: &'static str, value: &str) -> Self {
        match (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            (Ok(header), Ok(value)) if !self.is_protected(&header) => {
                self.options.headers.insert(header, value);
            }
            (Ok(_), Ok(_)) => {
                self.record_header_error(format!("header parameter `{name}` is a header the SDK sets"));
            }
            (Err(_), _) => self.record_header_error(format!("`{name}` is not a valid header name")),
            (Ok(_), Err(_)) => {
                self.record_header_error(format!(
                    "the value of header parameter `{name}` is not a valid header value"
                ));
            }
        }
        self
    }

    /// Sends the operation's cookie parameter `name` with `value`, in the `Cookie` header. A
    /// value a cookie cannot carry (RFC 6265: no spaces, `"`, `,`, `;` or `\\`) fails the call
    /// with [`SdkError::InvalidRequest`] naming the parameter. Used by generated operations.
    #[doc(hidden)]
    pub fn cookie_param(mut self, name: &'static str, value: &str) -> Self {
        if is_cookie_value(value) {
            self.options.cookies.retain(|(cookie, _)| *cookie != name);
            self.options.cookies.push((name, value.to_owned()));
        } else {
            self.record_header_error(format!(
                "the value of cookie parameter `{name}` contains characters a cookie cannot carry"
            ));
        }
        self
    }

    /// Attaches query parameters: a struct whose fields become `name=value` pairs, left out when
    /// unset, with arrays sent as repeated names (`?id=a&id=b`). A failure is reported when the
    /// call is awaited. Used by generated operations.
    #[doc(hidden)]
    pub fn query<Q: Serialize>(self, query: &Q) -> Self {
        self.query_styled(query, &[])
    }

    /// [`Call::query`], with the parameters sent in another style than one pair per array item
    /// listed by name. Used by generated operations.
    #[doc(hidden)]
    pub fn query_styled<Q: Serialize>(mut self, query: &Q, styles: &[(&str, Style)]) -> Self {
        self.query = serde_json::to_value(query)
            .map_err(|e| e.to_string())
            .and_then(|value| pairs(value, styles, Target::Query));
        self
    }

    /// Attaches an `application/x-www-form-urlencoded` body: the struct's fields as
    /// `name=value` pairs, arrays and objects sent in their field's style (listed by name) or
    /// OpenAPI's default. Unset fields are left out; a three-state field set to null is sent
    /// empty. A failure is reported when the call is awaited. Used by generated operations.
    #[doc(hidden)]
    pub fn form<B: Serialize>(mut self, body: &B, styles: &[(&str, Style)]) -> Self {
        self.body = Some(
            serde_json::to_value(body)
                .map_err(|e| e.to_string())
                .and_then(|value| pairs(value, styles, Target::Body))
                .map(|pairs| {
                    let mut text = String::new();
                    join(pairs, &mut text);
                    EncodedBody {
                        content_type: HeaderValue::from_static("application/x-www-form-urlencoded"),
                        bytes: text.into(),
                    }
                }),
        );
        self
    }

    /// Attaches a body of raw bytes, sent as `content_type` (such as
    /// `application/octet-stream`). Used by generated operations.
    #[doc(hidden)]
    pub fn bytes(mut self, body: impl Into<Bytes>, content_type: &'static str) -> Self {
        self.body = Some(Ok(EncodedBody {
            content_type: HeaderValue::from_static(content_type),
            bytes: body.into(),
        }));
        self
    }

    /// Attaches a JSON body. A serialization failure is reported when the call is awaited. Used
    /// by generated operations.
    #[doc(hidden)]
    pub fn json<B: Serialize>(mut self, body: &B) -> Self {
        self.body = Some(
            serde_json::to_vec(body)
                .map(|bytes| EncodedBody {
                    content_type: HeaderValue::from_static("application/json"),
                    bytes: bytes.into(),
                })
                .map_err(|e| e.to_string()),
        );
        self
    }

    /// Attaches a `multipart/form-data` body. Used by generated operations that upload files.
    #[doc(hidden)]
    pub fn multipart<B: crate::multipart::MultipartBody>(mut self, body: &B) -> Self {
        let (content_type, bytes) = crate::multipart::encode(&body.parts());
        self.body = Some(
            HeaderValue::from_str(&content_type)
                .map(|content_type| EncodedBody {
                    content_type,
                    bytes: bytes.into(),
                })
                .map_err(|e| e.to_string()),
        );
        self
    }
}

impl<A: Api, T: FromResponse, P> Call<A, T, P> {
    /// Sends the request and decodes the response. Awaiting the `Call` does the same.
    pub async fn send(self) -> Result<T, SdkError<A::ErrorBody>> {
        let operation = self.operation;
        let span = tracing::info_span!(
            "clerk_sdk.call",
            operation = operation.id,
            method = %operation.method,
            path = operation.path,
        );
        let request = RequestParts {
            url: self.url,
            query: self.query,
            body: self.body,
        };
        match execute(&self.client, operation, request, &self.options)
            .instrument(span)
            .await
        {
            Ok(response) => T::decode(operation, response).map_err(Error::widen),
            Err(Stop::Status(response)) => Err(status_error(operation, response)),
            Err(Stop::Error(error)) => Err(error.widen()),
        }
    }
}

impl<A: Api, T: FromResponse + Send + 'static, P: 'static> IntoFuture for Call<A, T, P> {
    type Output = Result<T, SdkError<A::ErrorBody>>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// What the operation's arguments contributed to the request.
struct RequestParts {
    url: Result<UrlText, Error>,
    query: Result<Vec<(String, String)>, String>,
    body: Option<Result<EncodedBody, String>>,
}

/// Everything one attempt needs that does not change between attempts.
struct Prepared<'a> {
    inner: &'a ClientInner,
    operation: &'static Operation,
    /// The complete URL, parsed again for each attempt after the first.
    url: String,
    body: Option<EncodedBody>,
    headers: &'a HeaderMap,
    /// The `Cookie` header: cookie parameters and cookie credentials, if there are any.
    cookie: Option<HeaderValue>,
    /// The schemes whose credentials this call sends.
    schemes: &'static [usize],
    timeout: Duration,
}

/// Why a call stopped without a 2xx response: a response with another status, to be mapped to
/// the API's error type by the caller, or an error that holds no body.
enum Stop {
    Status(RawResponse),
    Error(Error),
}

impl From<Error> for Stop {
    fn from(error: Error) -> Self {
        Stop::Error(error)
    }
}

/// Checks the call, then makes attempts until one succeeds, one fails in a way that is not
/// retried, or the retry budget runs out. Not generic, so it is compiled once, not once per
/// response type.
async fn execute(
    inner: &ClientInner,
    operation: &'static Operation,
    request: RequestParts,
    options: &CallOptions,
) -> Result<RawResponse, Stop> {
    let RequestParts { url, query, body } = request;
    let invalid = |reason: String| Error::InvalidRequest {
        operation: operation.id,
        reason,
    };
    if let Some(reason) = &options.header_error {
        return Err(invalid(reason.clone()).into());
    }
    // The generator only writes versions that are valid header values; checked here too, so
    // `HeaderValue::from_static` in `build_request` can never panic.
    if let Some(version) = inner
        .api
        .version_header
        .filter(|version| !is_static_header_value(version))
    {
        return Err(invalid(format!("the API version {version:?} is not a valid header value")).into());
    }
    let schemes = choose(operation.security, |index| inner.has_credential(index)).ok_or_else(|| {
        invalid(format!(
            "no credential is configured for this operation, which needs {}",
            inner.api.describe_requirements(operation.security)
        ))
    })?;
    let UrlText { mut text, path_start } = url?;
    if let Some(server_url) = &options.server_url {
        let server_url = normalize_server_url(server_url).map_err(invalid)?;
        if !schemes.is_empty() {
            check_cleartext(&server_url, inner.allow_insecure_http).map_err(invalid)?;
        }
        text.replace_range(..path_start, &server_url);
    }
    let query = query.map_err(|reason| invalid(format!("cannot encode the query parameters: {reason}")))?;
    let credentials = || {
        schemes
            .iter()
            .filter_map(|&index| inner.credentials.get(index)?.as_ref())
    };
    let key_pairs: Vec<(String, String)> = credentials()
        .filter_map(|credential| match credential {
            Sendable::Query(name, value) => Some((encode(name), encode(value.expose_secret()))),
            _ => None,
        })
        .collect();
    if !query.is_empty() || !key_pairs.is_empty() {
        text.push('?');
        join(query.into_iter().chain(key_pairs), &mut text);
    }
    let cookie = cookie_header(&options.cookies, credentials()).map_err(invalid)?;
    let url = Url::parse(&text).map_err(|e| invalid(format!("invalid URL: {e}")))?;
    let body = body
        .transpose()
        .map_err(|reason| invalid(format!("cannot serialize the request body: {reason}")))?;
    let prepared = Prepared {
        inner,
        operation,
        url: text,
        body,
        headers: &options.headers,
        cookie,
        schemes,
        timeout: options.timeout.unwrap_or(inner.timeout),
    };
    let retries = options.retries.as_ref().unwrap_or(&inner.retries);

    let started = Instant::now();
    let mut context = HookContext {
        operation_id: operation.id,
        method: operation.method.clone(),
        path_template: operation.path,
        attempt: 1,
        retry_delay: None,
    };
    // The first attempt takes the URL parsed above; a retry parses the same text again, which
    // is cheaper than keeping a copy for every call that is never retried.
    let mut first_url = Some(url);
    loop {
        let url = match first_url.take() {
            Some(url) => url,
            None => Url::parse(&prepared.url).map_err(|e| invalid(format!("invalid URL: {e}")))?,
        };
        let failure = match attempt(&prepared, url, &context).await? {
            Ok(response) => return Ok(response),
            Err(failure) => failure,
        };
        let retryable = match &failure {
            Failure::Status(response) => retries.retries_status(operation.retry, response.status),
            Failure::Transport(error) => retries.retries_transport(error),
        };
        let delay = if retryable {
            let headers = match &failure {
                Failure::Status(response) => Some(&response.headers),
                Failure::Transport(_) => None,
            };
            retries.delay(context.attempt, headers, started.elapsed())
        } else {
            None
        };
        let Some(delay) = delay else {
            return Err(failure.into_stop(operation));
        };
        tracing::info!(
            attempt = context.attempt,
            delay_ms = delay.as_millis() as u64,
            reason = %failure.summary(),
            "retrying"
        );
        tokio::time::sleep(delay).await;
        context.attempt += 1;
        context.retry_delay = Some(delay);
    }
}

/// A failed attempt, before it is known whether it will be retried.
enum Failure {
    Status(RawResponse),
    Transport(reqwest::Error),
}

impl Failure {
    /// A short description for logs: the status, or the kind of transport failure.
    fn summary(&self) -> String {
        match self {
            Failure::Status(response) => response.status.to_string(),
            Failure::Transport(error) => transport_summary(error),
        }
    }

    fn into_stop(self, operation: &Operation) -> Stop {
        match self {
            Failure::Status(response) => Stop::Status(response),
            Failure::Transport(source) => Stop::Error(Error::Transport {
                operation: operation.id,
                source,
            }),
        }
    }
}

/// Makes one attempt and runs the hooks around it. The outer error stops the call at once
/// (a hook refused); the inner result is the attempt's outcome.
async fn attempt(
    prepared: &Prepared<'_>,
    url: Url,
    context: &HookContext,
) -> Result<Result<RawResponse, Failure>, Error> {
    let Prepared { inner, operation, .. } = *prepared;
    let mut request = build_request(prepared, url);
    for hook in &inner.hooks {
        hook.before_request(context, &mut request)
            .map_err(|source| Error::Hook {
                operation: operation.id,
                source,
            })?;
    }

    tracing::debug!(attempt = context.attempt, "sending");
    let sent_at = Instant::now();
    let outcome = send(inner, request).await;
    let elapsed_ms = sent_at.elapsed().as_millis() as u64;
    match outcome {
        Ok(response) => {
            tracing::debug!(
                attempt = context.attempt,
                status = response.status.as_u16(),
                elapsed_ms,
                "response"
            );
            let view = HookResponse {
                status: response.status,
                headers: &response.headers,
                body: &response.body,
            };
            // A 3xx is a response too: the SDK does not follow redirects, and an operation that
            // documents one returns it.
            if response.status.is_success() || response.status.is_redirection() {
                inner.hooks.iter().for_each(|hook| hook.after_success(context, &view));
                Ok(Ok(response))
            } else {
                let failure = AttemptFailure::Status(view);
                inner.hooks.iter().for_each(|hook| hook.after_error(context, &failure));
                Ok(Err(Failure::Status(response)))
            }
        }
        Err(error) => {
            tracing::debug!(attempt = context.attempt, elapsed_ms, error = %transport_summary(&error), "no response");
            let failure = AttemptFailure::Transport(&error);
            inner.hooks.iter().for_each(|hook| hook.after_error(context, &failure));
            Ok(Err(Failure::Transport(error)))
        }
    }
}

/// Whether `HeaderValue::from_static` accepts `value`: visible ASCII, spaces and tabs.
fn is_static_header_value(value: &str) -> bool {
    value.bytes().all(|byte| byte == b'\t' || (b' '..=b'~').contains(&byte))
}

/// The request for one attempt: the SDK's headers first, then the call's own headers, which
/// replace same-named SDK defaults (protected headers never reach this point).
fn build_request(prepared: &Prepared<'_>, url: Url) -> reqwest::Request {
    let inner = prepared.inner;
    let mut headers = HeaderMap::with_capacity(7 + prepared.headers.len());
    for &index in prepared.schemes {
        if let Some(Sendable::Header(name, value)) = inner.credentials.get(index).and_then(Option::as_ref) {
            headers.insert(name.clone(), value.clone());
        }
    }
    if let Some(version) = inner.api.version_header {
        headers.insert(API_VERSION_HEADER, HeaderValue::from_static(version));
    }
    if let Some(cookie) = &prepared.cookie {
        headers.insert(COOKIE, cookie.clone());
    }
    headers.insert(USER_AGENT, HeaderValue::from_static(SDK_USER_AGENT));
    headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
    if let Some(body) = &prepared.body {
        headers.insert(CONTENT_TYPE, body.content_type.clone());
    }
    for name in prepared.headers.keys() {
        headers.remove(name);
    }
    headers.extend(
        prepared
            .headers
            .iter()
            .map(|(name, value)| (name.clone(), value.clone())),
    );

    // Built directly rather than through `RequestBuilder`, which would copy the headers again.
    // The client's own default headers are still added when it executes the request.
    let mut request = reqwest::Request::new(prepared.operation.method.clone(), url);
    *request.headers_mut() = headers;
    *request.timeout_mut() = Some(prepared.timeout);
    if let Some(body) = &prepared.body {
        *request.body_mut() = Some(body.bytes.clone().into());
    }
    request
}

/// Sends the request and reads the whole response. A transport error loses its URL, which may
/// carry an API key sent as a query parameter.
async fn send(inner: &ClientInner, request: reqwest::Request) -> Result<RawResponse, reqwest::Error> {
    let mut response = inner.http.execute(request).await.map_err(reqwest::Error::without_url)?;
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let body = response.bytes().await.map_err(reqwest::Error::without_url)?;
    Ok(RawResponse { status, headers, body })
}

/// The `Cookie` header for the call's cookie parameters and the cookie credentials it sends, or
/// `None` when there are none. Marked sensitive when it carries a credential.
fn cookie_header<'a>(
    parameters: &[(&'static str, String)],
    credentials: impl Iterator<Item = &'a Sendable>,
) -> Result<Option<HeaderValue>, String> {
    let mut sensitive = false;
    let mut pairs: Vec<String> = parameters
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect();
    for credential in credentials {
        if let Sendable::Cookie(name, value) = credential {
            pairs.push(format!("{name}={}", value.expose_secret()));
            sensitive = true;
        }
    }
    if pairs.is_empty() {
        return Ok(None);
    }
    let mut value = HeaderValue::try_from(pairs.join("; ")).map_err(|_| "a cookie name is not valid".to_owned())?;
    value.set_sensitive(sensitive);
    Ok(Some(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_visible_ascii_is_a_static_header_value() {
        assert!(is_static_header_value("2025-11-10"));
        assert!(is_static_header_value("v1 beta\t2"));
        assert!(!is_static_header_value("2025-11-10\n"));
        assert!(!is_static_header_value("v1 β"));
        assert!(!is_static_header_value("\u{7f}"));
    }

    pub(super) const GET: Operation = Operation {
        id: "GetThing",
        method: Method::GET,
        path: "/things/{thing_id}/parts/{part_id}",
        error_statuses: &[404],
        retry: RetryClass::Idempotent,
        security: &[&[0]],
        default_errors: false,
    };

    use crate::api::tests::TestApi;
    use crate::credentials::Credential;

    fn client() -> Client<TestApi> {
        let token = |value: &str| Credential::Token(secrecy::SecretString::from(value.to_owned()));
        Client::<TestApi>::builder()
            .credential(0, token("sk_test_key"))
            .credential(3, token("client_1"))
            .build()
            .expect("builds")
    }

    /// The request a call's first attempt would send.
    fn request_for(call: Call<TestApi, ()>) -> Result<reqwest::Request, String> {
        let client = call.client.clone();
        let headers = call.options.headers.clone();
        let operation = call.operation;
        let schemes = choose(operation.security, |index| client.has_credential(index)).ok_or("no alternative")?;
        let credentials = schemes
            .iter()
            .filter_map(|&index| client.credentials.get(index)?.as_ref());
        let cookie = cookie_header(&call.options.cookies, credentials)?;
        if let Some(error) = &call.options.header_error {
            return Err(error.clone());
        }
        let url = call.url.map_err(|e| e.to_string())?.text;
        let prepared = Prepared {
            inner: &client,
            operation,
            url: url.clone(),
            body: None,
            headers: &headers,
            cookie,
            schemes,
            timeout: Duration::from_secs(1),
        };
        Ok(build_request(&prepared, Url::parse(&url).map_err(|e| e.to_string())?))
    }

    #[test]
    fn public_operations_do_not_carry_credentials() {
        const PUBLIC: Operation = Operation { security: &[], ..GET };
        let client = client();
        let private = request_for(Call::new(&client, &GET, &["a", "b"])).expect("builds");
        assert_eq!(private.headers()[AUTHORIZATION], "Bearer sk_test_key");
        assert!(private.headers()[AUTHORIZATION].is_sensitive());
        let public = request_for(Call::new(&client, &PUBLIC, &["a", "b"])).expect("builds");
        assert!(!public.headers().contains_key(AUTHORIZATION));
        assert!(!public.headers().contains_key(COOKIE));
        assert_eq!(public.headers()[API_VERSION_HEADER], "2026-05-12");
    }

    #[test]
    fn header_and_cookie_parameters_join_the_request() {
        const COOKIE_AUTH: Operation = Operation {
            security: &[&[3]],
            ..GET
        };
        let call = Call::<TestApi, ()>::new(&client(), &COOKIE_AUTH, &["a", "b"])
            .header_param("Origin", "https://app.example.com")
            .cookie_param("theme", "dark")
            .cookie_param("theme", "light");
        let request = request_for(call).expect("builds");
        assert_eq!(request.headers()["origin"], "https://app.example.com");
        assert_eq!(request.headers()[COOKIE], "theme=light; __client=client_1");
        assert!(request.headers()[COOKIE].is_sensitive());
        assert!(!request.headers().contains_key(AUTHORIZATION));
    }

    #[test]
    fn bad_parameter_values_name_the_parameter() {
        let client = client();
        let cases = [
            (
                Call::<TestApi, ()>::new(&client, &GET, &["a", "b"]).header_param("Origin", "a\nb"),
                "the value of header parameter `Origin` is not a valid header value",
            ),
            (
                Call::new(&client, &GET, &["a", "b"]).cookie_param("theme", "a;b"),
                "the value of cookie parameter `theme` contains characters a cookie cannot carry",
            ),
            (
                Call::new(&client, &GET, &["a", "b"]).header_param("Authorization", "Bearer x"),
                "header parameter `Authorization` is a header the SDK sets",
            ),
            (
                Call::new(&client, &GET, &["a", "b"]).header_param("x-api-key", "k"),
                "header parameter `x-api-key` is a header the SDK sets",
            ),
            (
                Call::new(&client, &GET, &["a", "b"]).header("Cookie", "a=b"),
                "header `cookie` is set by the SDK and cannot be overridden per call",
            ),
        ];
        for (call, expected) in cases {
            assert_eq!(request_for(call).err().as_deref(), Some(expected));
        }
    }
}
