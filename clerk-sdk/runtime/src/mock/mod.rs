//! The runtime of the typed mocks every generated crate offers under its `testing` feature: a
//! real HTTP server on loopback, in process (wiremock's), that answers the SDK's requests with
//! typed values the test scripts, records what it was sent, and fails the test on a request it
//! was not told to expect.
//!
//! Generated code adds what is typed: a marker type per operation ([`MockOperation`]), a
//! matcher method per path parameter, a handle per resource, and fixtures built from the
//! spec's examples. Everything else is here, once.

mod bodies;
mod expectation;
mod failures;
mod limit;
mod lists;
mod log;
mod methods;
mod report;
mod state;

use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub use bodies::{
    bytes_response, empty_response, fixture, form_body, json_body, json_response, no_body, raw_body, round_trip,
    text_response,
};
pub use expectation::{Expectation, Received};
pub use log::LoggedRequest;
pub use state::AnsweredBy;
use state::State;

use crate::api::{Api, SchemeKind};
use crate::call::Operation;
use crate::client::{Client, ClientBuilder};
use crate::credentials::Credential;
use crate::retry::{BackoffStrategy, RetryConfig};

/// The credential the mock's clients send for every security scheme. A test that asserts it is
/// never printed looks for this text.
pub const TEST_CREDENTIAL: &str = "sk_test_clerk_sdk_mock_credential";

/// The most attempts a call of the mock's clients makes (the first and 3 retries): enough to
/// exercise an application's retries, few enough that a test of "Clerk is down" (an
/// expectation that always answers 500) ends in milliseconds.
pub const MOCK_MAX_ATTEMPTS: u32 = 4;

/// What generated code tells the mock about one operation, through
/// the runtime's `mock_operation!` macro. Implemented by a marker type per
/// operation, such as `testing::GetPhoneNumber`.
pub trait MockOperation: 'static {
    /// The API the operation belongs to.
    type Api: Api;
    /// The request body as the mock reads it back: the model, for a JSON body; the decoded
    /// `(name, value)` pairs, for a form; the bytes, for any other; `()` without a body.
    type Body: Clone + fmt::Debug + PartialEq + Send + Sync + 'static;
    /// The value a successful call returns, which [`Expectation::returns`] answers with.
    type Response;
    /// What a call of the operation gives: `Response`, or `Option` or
    /// [`Outcome`](crate::Outcome) of it for operations whose 2xx may have no body or that
    /// document redirects.
    type Output: crate::FromResponse + Send + 'static;
    /// The operation's descriptor.
    const OPERATION: &'static Operation;
    /// The status [`Expectation::returns`] answers with: the spec's first 2xx.
    const SUCCESS_STATUS: u16;
    /// The query parameters the SDK sets itself: those the spec allows one value for, and a
    /// list's position and page size, which its paginator sets. A query matcher leaves them
    /// aside unless its query sets them.
    const SDK_QUERY: &'static [&'static str] = &[];
    /// How the operation pages, for a list operation: what
    /// [`Expectation::serves_list`] serves by.
    const PAGING: Option<&'static crate::pagination::Paging> = None;

    /// Reads a request body back.
    ///
    /// # Errors
    ///
    /// If the body does not decode.
    fn decode_body(bytes: &[u8]) -> Result<Self::Body, String>;

    /// Writes a success value as a response body.
    fn encode_response(value: &Self::Response) -> ResponseBody;
}

/// Something that goes over every operation of an API, one marker type at a time: what each
/// generated `testing::for_each_operation` calls. A contract test can call every operation
/// with it, for example.
pub trait OperationVisitor {
    /// The API whose operations it visits.
    type Api: Api;

    /// Visits the operation `O`.
    fn visit<O: MockOperation<Api = Self::Api>>(&mut self);
}

/// A response body and its content type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseBody {
    /// The `Content-Type`, if the body is not empty.
    pub content_type: Option<&'static str>,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// A mock of the API `A` on loopback: hands out clients that point at it, and answers them as
/// its [`Expectation`]s say. When it is dropped (or [`verify`](Self::verify) is called), it
/// fails the test if a request matched no expectation or one that said
/// [`never`](Expectation::never), or a counted response was not asked for as often as
/// written.
///
/// A request the mock cannot answer for an expectation gets an answer no API gives, so an
/// application cannot take it for one of the API's: status 421 (Misdirected Request), with the
/// reason in the API's error shape (code `mock_failure`). A call through one of the mock's own
/// clients panics there and then, with the report, so the test fails at the call that went
/// wrong.
pub struct Mock<A> {
    server: wiremock::MockServer,
    state: Arc<Mutex<State>>,
    /// The rate limit, once one is set.
    gate: Mutex<Option<limit::Gate>>,
    api: PhantomData<fn() -> A>,
}

impl<A> fmt::Debug for Mock<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mock")
            .field("uri", &self.server.uri())
            .finish_non_exhaustive()
    }
}

impl<A: Api> Mock<A> {
    /// Starts a mock server on loopback.
    pub async fn start() -> Self {
        let server = wiremock::MockServer::start().await;
        let state = Arc::new(Mutex::new(State::new(A::DESCRIPTION)));
        // Checked before every other mock (priority 1 is wiremock's first, and among equals the
        // first mounted comes first), the recorder logs each request and never answers.
        wiremock::Mock::given(state::Recorder(state.clone()))
            .respond_with(wiremock::ResponseTemplate::new(500))
            .with_priority(1)
            .mount(&server)
            .await;
        // One responder answers every request the raw server has no mock of its own for: it
        // goes through the typed expectations. Mocks mounted on `server()` come first.
        wiremock::Mock::given(wiremock::matchers::any())
            .respond_with(state::Responder(state.clone()))
            .with_priority(u8::MAX)
            .mount(&server)
            .await;
        Mock {
            server,
            state,
            gate: Mutex::new(None),
            api: PhantomData,
        }
    }

    /// Starts a mock server without `.await`, for a test of code that uses the blocking
    /// client (with [`blocking_clerk`](Self::blocking_clerk)). It works with or without an
    /// async runtime around it. Needs the `blocking` feature as well as `testing`.
    ///
    /// # Panics
    ///
    /// If a small runtime to start the server on cannot be made.
    #[cfg(feature = "blocking")]
    #[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
    pub fn start_blocking() -> Self {
        // The server runs on a thread of its own; a runtime is only needed to start it. It is
        // made on a thread of its own too, since a thread already inside a runtime cannot
        // block on another.
        let started = std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .unwrap_or_else(|e| panic!("cannot start a runtime for the mock server: {e}"));
                    runtime.block_on(Self::start())
                })
                .join()
        });
        started.unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    }

    /// The server's URL, such as `http://127.0.0.1:41234`.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// A builder for a client of this mock, set up for tests:
    ///
    /// - its URL, and a test credential for every security scheme;
    /// - the default retry policy, with waits of 1 to 5 ms and at most [`MOCK_MAX_ATTEMPTS`]
    ///   attempts, so a scripted retry does not slow the test, and an expectation that always
    ///   fails ends in milliseconds, after real retries;
    /// - strict responses, so a response your test scripts that breaks the spec (a fixture
    ///   that lacks a required field, say) fails the call with `Error::Decode` instead of
    ///   decoding leniently;
    /// - a hook that panics, with the mock's report, at a call the mock could not answer for
    ///   an expectation (see [`Mock`]).
    ///
    /// Change anything before building: to test how your application takes drifted
    /// responses, build with `.strict_responses(false)`, or set it on one call (see
    /// [`crate::drift`]).
    pub fn builder(&self) -> ClientBuilder<A> {
        let limiting = match self.gate().map(|gate| gate.limit()) {
            Some(limit) => crate::limits::RateLimiting::limit(limit),
            None => crate::limits::RateLimiting::off(),
        };
        with_test_credentials(Client::<A>::builder())
            .server_url(self.uri())
            .retries(mock_retries())
            .strict_responses(true)
            .rate_limit(limiting)
            .hook(failures::PanicOnMockFailure)
    }

    /// A client of this mock, as [`builder`](Self::builder) makes it: strict responses on.
    ///
    /// # Panics
    ///
    /// If the client cannot be built, which a mock's settings rule out.
    pub fn clerk(&self) -> Client<A> {
        self.builder()
            .build()
            .unwrap_or_else(|e| panic!("cannot build a client of the mock: {e}"))
    }

    /// A blocking client of this mock, as [`builder`](Self::builder) makes it: strict
    /// responses on.
    ///
    /// # Panics
    ///
    /// If the client cannot be built.
    #[cfg(feature = "blocking")]
    #[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
    pub fn blocking_clerk(&self) -> crate::blocking::Client<A> {
        self.builder()
            .build_blocking()
            .unwrap_or_else(|e| panic!("cannot build a blocking client of the mock: {e}"))
    }

    /// A new expectation of the operation `O`. It answers nothing until given a response.
    pub fn expect<O: MockOperation<Api = A>>(&self) -> Expectation<'_, O> {
        Expectation::new(&self.state)
    }

    /// The raw wiremock server, for what the typed expectations do not cover. Mocks mounted
    /// on it answer before the typed expectations do.
    pub fn server(&self) -> &wiremock::MockServer {
        &self.server
    }

    /// Fails the test now if a request matched no expectation, came although an expectation
    /// said [`never`](Expectation::never), or could not be answered by
    /// [`returns_with`](Expectation::returns_with), or if a counted response was not asked for
    /// as often as written, with a message that lists them. The mock checks the same when
    /// dropped.
    ///
    /// # Panics
    ///
    /// In those cases.
    pub fn verify(&self) {
        if let Err(report) = self.check() {
            panic!("{report}");
        }
    }

    /// Every request the mock received, in the order they came, whatever answered it (an
    /// expectation, a raw mock of [`server`](Self::server), or nothing): a test asserts the
    /// order of calls across operations with it.
    ///
    /// ```
    /// # #[cfg(feature = "testing")]
    /// # async fn run() {
    /// use clerk_sdk::testing::{MockClerk, UpdatePhoneNumber, fixtures};
    ///
    /// let mock = MockClerk::start().await;
    /// mock.phone_numbers().update().returns(fixtures::phone_number());
    /// mock.phone_numbers().delete().returns(fixtures::deleted_object());
    /// // ... the application updates a number, then deletes one ...
    /// let order: Vec<_> = mock.requests().iter().map(|request| request.operation).collect();
    /// # let _ = order;
    /// for request in mock.requests() {
    ///     if let Some(update) = request.as_request_of::<UpdatePhoneNumber>() {
    ///         let update = update.expect("the body decodes");
    ///         # let _ = update;
    ///     }
    /// }
    /// # mock.reset();
    /// # }
    /// ```
    pub fn requests(&self) -> Vec<LoggedRequest> {
        let state = state::lock(&self.state);
        let hidden = Arc::new(state.hidden());
        (state.log.iter())
            .map(|request| {
                let operation = request
                    .answered_by
                    .expectation()
                    .map(|index| state.entries[index].operation.id);
                LoggedRequest::new(request, operation, &hidden)
            })
            .collect()
    }

    /// Forgets every expectation and every request received, as a new mock would start: for
    /// a test that checked a failure on purpose, or moves on to another phase.
    pub fn reset(&self) {
        let mut state = state::lock(&self.state);
        state.entries.clear();
        state.log.clear();
    }

    /// What [`verify`](Self::verify) checks, as a `Result`.
    ///
    /// # Errors
    ///
    /// A report of the unmatched requests and unmet expectations. It never contains the
    /// credentials the requests carried.
    pub fn check(&self) -> Result<(), String> {
        state::lock(&self.state).report()
    }
}

/// The mock's clients' retry policy: the default, with waits of a few milliseconds and at most
/// [`MOCK_MAX_ATTEMPTS`] attempts.
fn mock_retries() -> RetryConfig {
    RetryConfig::default()
        .max_attempts(MOCK_MAX_ATTEMPTS)
        .backoff(BackoffStrategy {
            initial_interval: Duration::from_millis(1),
            max_interval: Duration::from_millis(5),
            exponent: 1.5,
            max_elapsed_time: Duration::from_secs(10),
        })
}

/// Decodes `body`, answered with `status` as JSON, as operation `O`'s response, exactly as a
/// call decodes it (leniently, or with `strict` as strict responses do), without a server:
/// for tests that feed an operation many bodies, such as a corpus of drifted responses.
///
/// ```
/// # #[cfg(feature = "testing")] {
/// use clerk_sdk::runtime::testing::decode_as;
/// use clerk_sdk::testing::GetPhoneNumber;
///
/// let body = br#"{"object": "phone_number", "phone_number": "+15555550100", "reserved": false,
///     "verification": null, "linked_to": [], "created_at": "1716883200000", "updated_at": 0}"#;
/// let response = decode_as::<GetPhoneNumber>(200, body, false).expect("decodes");
/// assert_eq!(response.value().created_at, 1_716_883_200_000);
/// assert_eq!(response.deviations()[0].pointer(), "/created_at");
/// assert!(decode_as::<GetPhoneNumber>(200, body, true).is_err(), "strictly, it deviates");
/// # }
/// ```
///
/// # Errors
///
/// The error the call would give: the typed error for a status the operation lists, and so
/// on.
pub fn decode_as<O: MockOperation>(
    status: u16,
    body: &[u8],
    strict: bool,
) -> Result<crate::Response<O::Output>, crate::SdkError<<O::Api as Api>::ErrorBody>> {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::CONTENT_TYPE,
        reqwest::header::HeaderValue::from_static("application/json"),
    );
    crate::call::decode_bytes(O::OPERATION, status, headers, body, strict)
}

/// `value` without its `null` members, at every level: what a model serializes a body back
/// as, since `null` in an optional field is `None`, which serializes as absent. Compare a
/// body with its round trip through the models as `without_nulls(&back) == without_nulls(&body)`.
pub fn without_nulls(value: &serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(object) => object
            .iter()
            .filter(|(_, value)| !value.is_null())
            .map(|(key, value)| (key.clone(), without_nulls(value)))
            .collect(),
        serde_json::Value::Array(items) => items.iter().map(without_nulls).collect(),
        other => other.clone(),
    }
}

/// `builder` with [`TEST_CREDENTIAL`] as the credential of every security scheme of the API
/// (for HTTP Basic, as the password of user `clerk_sdk_mock`), as the mock's clients have.
pub fn with_test_credentials<A: Api>(builder: ClientBuilder<A>) -> ClientBuilder<A> {
    let schemes = A::DESCRIPTION.schemes.iter().enumerate();
    schemes.fold(builder, |builder, (index, scheme)| {
        let credential = match scheme.kind {
            SchemeKind::Basic => Credential::Basic {
                user: "clerk_sdk_mock".to_owned(),
                password: TEST_CREDENTIAL.to_owned().into(),
            },
            SchemeKind::Bearer | SchemeKind::ApiKey { .. } => Credential::Token(TEST_CREDENTIAL.to_owned().into()),
        };
        builder.credential(index, credential)
    })
}

impl<A> Drop for Mock<A> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        let report = state::lock(&self.state).report();
        if let Err(report) = report {
            panic!("{report}");
        }
    }
}

/// Defines a marker type for one operation and implements [`MockOperation`] for it. Used by
/// generated code, one invocation per operation.
#[doc(hidden)]
#[macro_export]
macro_rules! __mock_operation {
    (
        $(#[$doc:meta])*
        $marker:ident, $api:ty, $operation:path, $status:literal,
        body: $body:ty = $decode:path,
        response: $response:ty = $encode:path,
        output: $output:ty
        $(, sdk_query: [$($sdk_query:literal),* $(,)?])?
        $(, paging: $paging:path)? $(,)?
    ) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub enum $marker {}

        impl $crate::__private::testing::MockOperation for $marker {
            type Api = $api;
            type Body = $body;
            type Response = $response;
            type Output = $output;
            const OPERATION: &'static $crate::__private::Operation = &$operation;
            const SUCCESS_STATUS: u16 = $status;
            $(const SDK_QUERY: &'static [&'static str] = &[$($sdk_query),*];)?
            $(const PAGING: ::core::option::Option<&'static $crate::__private::Paging> = ::core::option::Option::Some(&$paging);)?

            fn decode_body(bytes: &[u8]) -> ::core::result::Result<$body, ::std::string::String> {
                $decode(bytes)
            }

            fn encode_response(value: &$response) -> $crate::__private::testing::ResponseBody {
                $encode(value)
            }
        }
    };
}
