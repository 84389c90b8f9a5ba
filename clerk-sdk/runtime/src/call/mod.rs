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
use std::time::Duration;

use bytes::Bytes;
use reqwest::Method;
use reqwest::header::{AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, COOKIE, HOST, HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;
use tracing::Instrument;

mod check;
mod execute;
mod form;
mod list;
mod outcome;
mod prepare;
mod response;
mod settings;
mod url;

use execute::{Stop, execute};
pub use form::Style;
use form::{Target, join, pairs};
pub use outcome::{FromResponse, Outcome, Redirect, Response};
use prepare::{Deferred, Parts, Stage, prepare};
#[cfg(feature = "testing")]
pub(crate) use response::decode_bytes;
pub use response::decode_response;
#[cfg(feature = "testing")]
pub(crate) use response::parse_json;
pub(crate) use settings::runtime_settings;

/// The encoded `name=value` pairs the SDK sends for a serialized query struct, for the mock to
/// compare with what it received.
#[cfg(feature = "testing")]
pub(crate) fn query_pairs(value: serde_json::Value, styles: &[(&str, Style)]) -> Result<Vec<(String, String)>, String> {
    pairs(value, styles, Target::Query)
}
use response::{Attempt, RawResponse, answer, report_deviations};
use url::expand_path;

use crate::api::{Api, KeyLocation, SchemeKind};
use crate::client::{Client, ClientInner};
use crate::credentials::is_cookie_value;
use crate::drift::Mode;
use crate::drift::schema::Modeled;
use crate::error::SdkError;
use crate::retry::{RetryClass, RetryConfig};
use check::Part;

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

/// `clerk-sdk-runtime/<version>`, the end of every request's `User-Agent`.
pub(crate) const SDK_USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// The static description of an operation, emitted by the generator.
#[derive(Debug)]
pub struct Operation {
    /// The spec's `operationId`.
    pub id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path template, such as `/phone_numbers/{phone_number_id}`.
    pub path: &'static str,
    /// Statuses that map to [`SdkError::Api`].
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
    /// The `Accept` header: the media types the operation's responses document, such as
    /// `application/json` or `text/html, application/json`.
    pub accept: &'static str,
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
    /// What the call sends: its URL (the client's server URL and the expanded path, built when
    /// the call is made, so once, not once per attempt), query and body, and the first problem
    /// the builder methods met, reported when the call is sent.
    parts: Parts,
    options: CallOptions,
    /// How the operation pages, for a list operation.
    paging: Option<&'static crate::pagination::Paging>,
    response: Types<A, T, P>,
}

/// What a [`Call`] is for, at the type level only: the API, the response and the marker.
type Types<A, T, P> = PhantomData<fn() -> (A, T, P)>;

/// A URL being assembled: a server URL followed by a path.
#[derive(Debug, Clone)]
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
    /// When the call must have its response by.
    deadline: Option<tokio::time::Instant>,
    server_url: Option<String>,
    headers: HeaderMap,
    /// Cookie parameters, in the order they were given.
    cookies: Vec<(&'static str, String)>,
    /// Whether a response that deviates from the spec fails the call, instead of the client's
    /// setting.
    strict_responses: Option<bool>,
}

impl<A, T, P> fmt::Debug for Call<A, T, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("operation", &self.operation.id)
            .field("method", &self.operation.method)
            .field("path", &self.operation.path)
            .field("url", &self.parts.url.text)
            .field("problem", &self.parts.problem.as_ref().map(|problem| &problem.reason))
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
        let problem = expand_path(operation, path_args, &mut text)
            .err()
            .map(|reason| Deferred {
                stage: Stage::Path,
                reason,
            });
        Call {
            client: client.inner.clone(),
            operation,
            parts: Parts {
                url: UrlText {
                    text,
                    path_start: server_url.len(),
                },
                query: Vec::new(),
                body: None,
                problem,
            },
            options: CallOptions::default(),
            paging: None,
            response: PhantomData,
        }
    }

    /// The operation's `operationId`.
    pub(crate) fn operation_id(&self) -> &'static str {
        self.operation.id
    }

    /// Records a problem to report when the call is sent (the earliest check's wins).
    fn defer(&mut self, stage: Stage, reason: String) {
        Deferred::keep(&mut self.parts.problem, Deferred { stage, reason });
    }

    /// `header`, once the name and value are converted (`None` when they do not).
    fn add_header_pair(&mut self, name: Option<HeaderName>, value: Option<HeaderValue>) {
        match (name, value) {
            (Some(name), Some(value)) => self.add_header(name, value),
            (None, _) => self.defer(Stage::Headers, "a header name is not valid".to_owned()),
            (Some(name), None) => self.defer(Stage::Headers, format!("the value of header `{name}` is not valid")),
        }
    }

    /// `headers`: each as `header` adds one.
    fn add_headers(&mut self, headers: HeaderMap) {
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
    }

    fn add_header(&mut self, name: HeaderName, value: HeaderValue) {
        if self.is_protected(&name) {
            self.defer(
                Stage::Headers,
                format!("header `{name}` is set by the SDK and cannot be overridden per call"),
            );
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

    /// `header_param`.
    fn add_header_param(&mut self, name: &'static str, value: &str) {
        let reason = match (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            (Ok(header), Ok(value)) if !self.is_protected(&header) => {
                self.options.headers.insert(header, value);
                return;
            }
            (Ok(_), Ok(_)) => format!("header parameter `{name}` is a header the SDK sets"),
            (Err(_), _) => format!("`{name}` is not a valid header name"),
            (Ok(_), Err(_)) => format!("the value of header parameter `{name}` is not a valid header value"),
        };
        self.defer(Stage::Headers, reason);
    }

    /// `cookie_param`.
    fn add_cookie_param(&mut self, name: &'static str, value: &str) {
        if is_cookie_value(value) {
            self.options.cookies.retain(|(cookie, _)| *cookie != name);
            self.options.cookies.push((name, value.to_owned()));
        } else {
            self.defer(
                Stage::Headers,
                format!("the value of cookie parameter `{name}` contains characters a cookie cannot carry"),
            );
        }
    }

    /// `query` and `query_styled`.
    fn set_query<Q: Serialize + Modeled + ?Sized>(&mut self, query: &Q, styles: &[(&str, Style)]) {
        let value = match serde_json::to_value(query) {
            Ok(value) => value,
            Err(error) => return self.defer(Stage::Query, format!("cannot encode the query parameters: {error}")),
        };
        if let Err(reason) = self.check_part(&value, Q::schema(), Part::Query) {
            return self.defer(Stage::Query, reason);
        }
        match pairs(value, styles, Target::Query) {
            Ok(pairs) => self.parts.query = pairs,
            Err(reason) => self.defer(Stage::Query, format!("cannot encode the query parameters: {reason}")),
        }
    }

    /// Attaches a body, or records why it could not be made.
    fn set_body(&mut self, body: Result<EncodedBody, String>) {
        match body {
            Ok(body) => self.parts.body = Some(body),
            Err(reason) => self.defer(Stage::Body, format!("cannot serialize the request body: {reason}")),
        }
    }

    /// `form`.
    fn set_form<B: Serialize + Modeled + ?Sized>(&mut self, body: &B, styles: &[(&str, Style)]) {
        if !self.check_body(body) {
            return;
        }
        let body = serde_json::to_value(body)
            .map_err(|e| e.to_string())
            .and_then(|value| pairs(value, styles, Target::Body))
            .map(|pairs| {
                let mut text = String::new();
                join(pairs, &mut text);
                EncodedBody {
                    content_type: HeaderValue::from_static("application/x-www-form-urlencoded"),
                    bytes: text.into(),
                }
            });
        self.set_body(body);
    }

    /// `bytes`.
    fn set_bytes(&mut self, body: Bytes, content_type: &'static str) {
        self.set_body(Ok(EncodedBody {
            content_type: HeaderValue::from_static(content_type),
            bytes: body,
        }));
    }

    /// `json`.
    fn set_json<B: Serialize + Modeled + ?Sized>(&mut self, body: &B) {
        if !self.check_body(body) {
            return;
        }
        let body = serde_json::to_vec(body)
            .map(|bytes| EncodedBody {
                content_type: HeaderValue::from_static("application/json"),
                bytes: bytes.into(),
            })
            .map_err(|e| e.to_string());
        self.set_body(body);
    }

    /// `multipart`.
    fn set_multipart<B: crate::multipart::MultipartBody + ?Sized>(&mut self, body: &B) {
        let (content_type, bytes) = crate::multipart::encode(&body.parts());
        let body = HeaderValue::from_str(&content_type)
            .map(|content_type| EncodedBody {
                content_type,
                bytes: bytes.into(),
            })
            .map_err(|e| e.to_string());
        self.set_body(body);
    }
}

// The per-call settings, from their one declaration (see `settings.rs`).
crate::__call_settings!(settings::runtime_settings, [A, T, P] Call<A, T, P>);

impl<A: Api, T: FromResponse, P> Call<A, T, P> {
    /// Sends the request and decodes the response. Awaiting the `Call` does the same.
    pub async fn send(self) -> Result<T, SdkError<A::ErrorBody>> {
        self.send_with_response().await.map(Response::into_inner)
    }

    /// Sends the request and decodes the response, keeping its status, headers (rate-limit
    /// headers, say) and the places where its body deviated from the spec with the value.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let response = clerk.phone_numbers().get("phone_12345").send_with_response().await?;
    /// let remaining = response.headers().get("x-ratelimit-remaining");
    /// println!("{} {remaining:?}", response.status());
    /// for deviation in response.deviations() {
    ///     eprintln!("Clerk's response differs from the spec: {deviation}");
    /// }
    /// let phone = response.into_inner();
    /// # let _ = phone;
    /// # Ok(()) }
    /// ```
    pub async fn send_with_response(self) -> Result<Response<T>, SdkError<A::ErrorBody>> {
        let operation = self.operation;
        let client = Arc::clone(&self.client);
        let mode = Mode::strict(self.options.strict_responses.unwrap_or(client.strict_responses));
        let response = match self.respond().await {
            Ok(response) | Err(Stop::Status(response)) => response,
            Err(Stop::Error(error)) => return Err(error.widen()),
        };
        let attempt = Attempt {
            number: response.attempt,
            retry_delay: response.retry_delay,
            rate_limit_wait: response.rate_limit_wait,
            status: response.status,
        };
        let answer = answer(operation, response, mode);
        let deviations = match &answer {
            Ok(response) => response.deviations(),
            Err(error) => error.deviations(),
        };
        report_deviations(&client, operation, &attempt, deviations);
        answer
    }

    /// Sends the request: the 2xx or 3xx response, or why the call stopped without one.
    async fn respond(self) -> Result<RawResponse, Stop> {
        let Call {
            client,
            operation,
            parts,
            options,
            ..
        } = self;
        let span = tracing::info_span!(
            "clerk_sdk.call",
            operation = operation.id,
            method = %operation.method,
            path = operation.path,
        );
        let (prepared, first_url) = prepare(&client, operation, parts, &options)?;
        let retries = options.retries.as_ref().unwrap_or(&client.retries);
        execute(&prepared, first_url, retries).instrument(span).await
    }
}

impl<A: Api, T: FromResponse + Send + 'static, P: 'static> IntoFuture for Call<A, T, P> {
    type Output = Result<T, SdkError<A::ErrorBody>>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

#[cfg(test)]
mod tests {
    use reqwest::header::{AUTHORIZATION, COOKIE};

    use super::prepare::{build_request, is_static_header_value};
    use super::*;
    use crate::error::BaseError as Error;

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
        accept: "application/json",
    };

    use crate::api::tests::TestApi;
    use crate::credentials::Credential;

    /// A client with a bearer key and a cookie credential, of a loopback `http` server, so the
    /// requests it would send can be built without a TLS stack too.
    fn client() -> Client<TestApi> {
        let token = |value: &str| Credential::Token(secrecy::SecretString::from(value.to_owned()));
        Client::<TestApi>::builder()
            .server_url("http://127.0.0.1:9")
            .credential(0, token("sk_test_key"))
            .credential(3, token("client_1"))
            .build()
            .expect("builds")
    }

    /// The request a call's first attempt would send, or why it would send none.
    fn request_for(call: Call<TestApi, ()>) -> Result<reqwest::Request, String> {
        let Call {
            client,
            operation,
            parts,
            options,
            ..
        } = call;
        let (prepared, url) = prepare(&client, operation, parts, &options).map_err(|error| match error {
            Error::InvalidRequest { reason, .. } => reason,
            other => other.to_string(),
        })?;
        Ok(build_request(&prepared, url))
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
