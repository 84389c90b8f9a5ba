//! [`Client`], the client, and [`ClientBuilder`], generic over the [`Api`] they call.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;
use secrecy::SecretString;

use crate::api::{Api, ApiDescription};
use crate::credentials::{Credential, Sendable, prepare};
use crate::error::SdkError;
use crate::hooks::Hooks;
use crate::retry::RetryConfig;
use crate::tls::Certificate;

/// The environment variable `from_env` reads the secret key from, for APIs whose only
/// credential is a bearer secret key (the Backend API).
pub const SECRET_KEY_ENV: &str = "CLERK_SECRET_KEY";

/// How long a request may take, end to end, unless configured otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The longest response body read unless configured otherwise: 16 MiB, far above anything
/// Clerk sends (its largest list pages are well under 1 MiB), and a bound on the memory a
/// broken or hostile server can make a call take.
pub const DEFAULT_MAX_RESPONSE_BODY: usize = 16 * 1024 * 1024;

/// A client for one API. Each generated crate names its own: `clerk_sdk::Clerk` is the
/// client of Clerk's Backend API.
///
/// Cheap to clone: clones share one connection pool. Build one with a builder, then call
/// operations through the resource handles, such as `clerk.phone_numbers()`.
///
/// ```no_run
/// # async fn run() -> Result<(), clerk_sdk::Error> {
/// let clerk = clerk_sdk::Clerk::from_env()?;
/// let phone = clerk.phone_numbers().get("phone_12345").await?;
/// println!("{}", phone.phone_number);
/// # Ok(()) }
/// ```
pub struct Client<A> {
    pub(crate) inner: Arc<ClientInner>,
    api: PhantomData<fn() -> A>,
}

impl<A> Clone for Client<A> {
    fn clone(&self) -> Self {
        Client {
            inner: self.inner.clone(),
            api: PhantomData,
        }
    }
}

/// What every call needs; shared by all clones of a [`Client`].
pub(crate) struct ClientInner {
    pub(crate) http: reqwest::Client,
    /// The API's description.
    pub(crate) api: &'static ApiDescription,
    /// The server URL without a trailing `/`.
    pub(crate) server_url: String,
    /// One entry per security scheme of the API, in its order: the credential, if configured.
    pub(crate) credentials: Vec<Option<Sendable>>,
    pub(crate) timeout: Duration,
    pub(crate) retries: RetryConfig,
    pub(crate) hooks: Vec<Arc<dyn Hooks>>,
    /// The longest response body read, in bytes.
    pub(crate) max_response_body: usize,
    /// Whether credentials may go over plain `http://` to a host that is not this machine.
    pub(crate) allow_insecure_http: bool,
    /// Whether `http` is the SDK's own client, whose TLS stack the features chose (a client
    /// given to `http_client` brings its own).
    pub(crate) own_http: bool,
    /// Whether a response that deviates from the spec fails the call.
    pub(crate) strict_responses: bool,
    /// Whether requests are checked against the spec's constraints before they are sent.
    pub(crate) check_requests: bool,
}

impl ClientInner {
    /// Whether a credential for scheme `index` is configured.
    pub(crate) fn has_credential(&self, index: usize) -> bool {
        self.credentials.get(index).is_some_and(Option::is_some)
    }
}

impl<A> fmt::Debug for Client<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let configured: Vec<&str> = self
            .inner
            .api
            .schemes
            .iter()
            .enumerate()
            .filter(|(index, _)| self.inner.has_credential(*index))
            .map(|(_, scheme)| scheme.name)
            .collect();
        f.debug_struct("Client")
            .field("api", &self.inner.api.title)
            .field("server_url", &self.inner.server_url)
            .field("credentials", &Redacted(&configured))
            .field("timeout", &self.inner.timeout)
            .field("retries", &self.inner.retries)
            .field("hooks", &self.inner.hooks.len())
            .field("strict_responses", &self.inner.strict_responses)
            .field("check_requests", &self.inner.check_requests)
            .finish_non_exhaustive()
    }
}

/// Prints which schemes have a credential, each as `name: [redacted]`.
struct Redacted<'a>(&'a [&'a str]);

impl fmt::Debug for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|name| (name, "[redacted]")))
            .finish()
    }
}

impl<A: Api> Client<A> {
    /// Starts building a client.
    pub fn builder() -> ClientBuilder<A> {
        ClientBuilder {
            credentials: Vec::new(),
            server_url: None,
            http_client: None,
            root_certificates: Vec::new(),
            timeout: None,
            retries: None,
            max_response_body: None,
            allow_insecure_http: false,
            strict_responses: false,
            unchecked_requests: false,
            hooks: Vec::new(),
            api: PhantomData,
        }
    }

    /// A client whose credential for scheme `scheme` is the `CLERK_SECRET_KEY` environment
    /// variable, with everything else at its default. Used by the generated `from_env`.
    ///
    /// # Errors
    ///
    /// [`SdkError::Config`] if the variable is not set, not Unicode, or empty.
    #[doc(hidden)]
    pub fn from_env_credential(scheme: usize) -> Result<Self, SdkError<A::ErrorBody>> {
        Self::from_lookup(scheme, |name| std::env::var(name))
    }

    /// [`Client::from_env_credential`] with the environment lookup passed in, so it can be
    /// tested without touching the process environment.
    fn from_lookup(
        scheme: usize,
        lookup: impl Fn(&str) -> Result<String, std::env::VarError>,
    ) -> Result<Self, SdkError<A::ErrorBody>> {
        let key = lookup(SECRET_KEY_ENV).map_err(|e| SdkError::Config(format!("cannot read {SECRET_KEY_ENV}: {e}")))?;
        Self::builder()
            .credential(scheme, Credential::Token(SecretString::from(key)))
            .build()
    }
}

impl<A> Client<A> {
    /// The server URL requests go to, without a trailing `/`.
    pub fn server_url(&self) -> &str {
        &self.inner.server_url
    }
}

/// Configures and builds a [`Client`]. Generated code adds a method per security scheme, such
/// as `bearer_auth`.
///
/// ```no_run
/// # fn run() -> Result<(), clerk_sdk::Error> {
/// let clerk = clerk_sdk::Clerk::builder()
///     .bearer_auth("sk_test_...")
///     .server_url("https://api.clerk.com/v1")
///     .build()?;
/// # Ok(()) }
/// ```
#[must_use = "a builder does nothing until build() is called"]
pub struct ClientBuilder<A> {
    credentials: Vec<(usize, Credential)>,
    server_url: Option<String>,
    http_client: Option<reqwest::Client>,
    root_certificates: Vec<Certificate>,
    timeout: Option<Duration>,
    retries: Option<RetryConfig>,
    max_response_body: Option<usize>,
    allow_insecure_http: bool,
    strict_responses: bool,
    unchecked_requests: bool,
    hooks: Vec<Arc<dyn Hooks>>,
    api: PhantomData<fn() -> A>,
}

impl<A: Api> fmt::Debug for ClientBuilder<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let schemes = A::DESCRIPTION.schemes;
        let configured: Vec<&str> = self
            .credentials
            .iter()
            .filter_map(|(index, _)| schemes.get(*index).map(|scheme| scheme.name))
            .collect();
        f.debug_struct("ClientBuilder")
            .field("api", &A::DESCRIPTION.title)
            .field("credentials", &Redacted(&configured))
            .field("server_url", &self.server_url)
            .field("http_client", &self.http_client.as_ref().map(|_| "custom"))
            .field("root_certificates", &self.root_certificates.len())
            .field("timeout", &self.timeout)
            .field("retries", &self.retries)
            .field("hooks", &self.hooks.len())
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("strict_responses", &self.strict_responses)
            .field("check_requests", &!self.unchecked_requests)
            .finish()
    }
}

impl<A: Api> ClientBuilder<A> {
    /// Sets the credential of security scheme number `scheme` (in the API's order), replacing
    /// any set before. Used by the generated method of each scheme, such as `bearer_auth`.
    #[doc(hidden)]
    pub fn credential(mut self, scheme: usize, credential: Credential) -> Self {
        self.credentials.retain(|(index, _)| *index != scheme);
        self.credentials.push((scheme, credential));
        self
    }

    /// The server URL, such as `https://api.clerk.com/v1`. A trailing `/` is ignored. Defaults
    /// to the spec's first server, when its URL has no variables to fill in.
    pub fn server_url(mut self, url: impl Into<String>) -> Self {
        self.server_url = Some(url.into());
        self
    }

    /// A `reqwest::Client` to send requests with, for custom proxies or connection pools. The
    /// SDK still sets its own headers and timeout on every request. Build it with
    /// `.redirect(reqwest::redirect::Policy::none())`, as the SDK's own client is: a client that
    /// follows redirects hides the documented ones from the caller. With the default `rustls`
    /// feature, call [`tls::install_default_provider`](crate::tls::install_default_provider)
    /// before building it (the [`tls`](crate::tls) module says why).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Trusts `certificate` as a root, besides the platform's, for the SDK's own HTTP client:
    /// a proxy's or a test server's certificate authority. It cannot reach a client given to
    /// [`http_client`](Self::http_client), so giving both is a configuration error.
    pub fn add_root_certificate(mut self, certificate: Certificate) -> Self {
        self.root_certificates.push(certificate);
        self
    }

    /// How long one attempt may take, from connecting to reading the whole body. A call that
    /// is retried may take longer in all; see [`RetryConfig`]. Defaults to [`DEFAULT_TIMEOUT`];
    /// override it per call with [`Call::timeout`](crate::runtime::Call::timeout).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// When failed attempts are retried. Defaults to [`RetryConfig::default`]; override it per
    /// call with [`Call::retries`](crate::runtime::Call::retries).
    pub fn retries(mut self, retries: RetryConfig) -> Self {
        self.retries = Some(retries);
        self
    }

    /// The longest response body to read, in bytes; defaults to [`DEFAULT_MAX_RESPONSE_BODY`].
    /// A longer body fails the call with [`SdkError::ResponseTooLarge`] once the `Content-Length`
    /// announces it, or as soon as reading passes the limit, so it is never buffered whole.
    pub fn max_response_body(mut self, bytes: usize) -> Self {
        self.max_response_body = Some(bytes);
        self
    }

    /// Lets credentials go over plain `http://` to hosts other than this machine. Off by
    /// default: such a server URL is refused (when building, or for a per-call override, when
    /// the call is made), because anyone on the path could read them. `http://localhost`,
    /// `127.0.0.0/8` and `[::1]` are always allowed, for local mock servers.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Whether a response that deviates from the spec fails the call with
    /// [`SdkError::Decode`] (`true`), naming the first deviation and listing them all, instead
    /// of being decoded leniently with each deviation reported (`false`, the default). Turn it
    /// on in tests, to catch fixtures that break the spec (the testing kit's clients have it
    /// on); override it per call with
    /// [`Call::strict_responses`](crate::runtime::Call::strict_responses). See [`crate::drift`].
    pub fn strict_responses(mut self, strict: bool) -> Self {
        self.strict_responses = strict;
        self
    }

    /// Whether each call's query parameters and body (JSON or form; a multipart body is not
    /// checked) are checked against the spec's constraints before anything is sent (`true`,
    /// the default): a number out of its range, a
    /// string or list of the wrong length, or a value a string enum does not list fails the
    /// call with [`SdkError::InvalidRequest`], which names the parameter or field and the
    /// constraint (not the value). Turn it off when Clerk's limits change before its spec does.
    pub fn check_requests(mut self, check: bool) -> Self {
        self.unchecked_requests = !check;
        self
    }

    /// Registers hooks that run around every attempt. Hooks run in the order they were added.
    pub fn hook(mut self, hooks: impl Hooks) -> Self {
        self.hooks.push(Arc::new(hooks));
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`SdkError::Config`] if a credential the API always needs was not given, a credential is
    /// empty or cannot be sent, no server URL was given for an API without a default, the
    /// server URL is not an `http` or `https` URL, or the HTTP client cannot be built. The
    /// message never contains a credential.
    pub fn build(self) -> Result<Client<A>, SdkError<A::ErrorBody>> {
        let api = A::DESCRIPTION;
        let credentials = prepare_credentials(api, self.credentials).map_err(SdkError::Config)?;
        let server_url = match (&self.server_url, api.default_server_url) {
            (Some(url), _) => url.as_str(),
            (None, Some(url)) => url,
            (None, None) => {
                return Err(SdkError::Config(format!(
                    "no server URL: {} has no fixed server (its spec gives `{}`); call server_url(..)",
                    api.title, api.server_template
                )));
            }
        };
        let server_url = normalize_server_url(server_url).map_err(SdkError::Config)?;
        if credentials.iter().any(Option::is_some) {
            check_cleartext(&server_url, self.allow_insecure_http).map_err(SdkError::Config)?;
        }
        let own_http = self.http_client.is_none();
        let http = match self.http_client {
            Some(_) if !self.root_certificates.is_empty() => {
                return Err(SdkError::Config(
                    "root certificates were added, but a client given to http_client(..) would not use \
                     them: add them to that client instead"
                        .to_owned(),
                ));
            }
            Some(client) => client,
            None => crate::tls::http_client(&self.root_certificates).map_err(SdkError::Config)?,
        };
        Ok(Client {
            inner: Arc::new(ClientInner {
                http,
                api,
                server_url,
                credentials,
                timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
                retries: self.retries.unwrap_or_default(),
                hooks: self.hooks,
                max_response_body: self.max_response_body.unwrap_or(DEFAULT_MAX_RESPONSE_BODY),
                allow_insecure_http: self.allow_insecure_http,
                own_http,
                strict_responses: self.strict_responses,
                check_requests: !self.unchecked_requests,
            }),
            api: PhantomData,
        })
    }
}

#[cfg(feature = "blocking")]
#[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
impl<A: Api> ClientBuilder<A> {
    /// Builds a [blocking client](crate::runtime::blocking::Client) with these settings.
    ///
    /// # Errors
    ///
    /// As [`ClientBuilder::build`], and [`SdkError::Config`] if the client's runtime cannot
    /// start.
    pub fn build_blocking(self) -> Result<crate::runtime::blocking::Client<A>, SdkError<A::ErrorBody>> {
        crate::runtime::blocking::Client::new(self.build()?)
    }
}

/// Checks every given credential against its scheme, and that those the API always needs are
/// there: one slot per scheme, in the API's order.
fn prepare_credentials(api: &ApiDescription, given: Vec<(usize, Credential)>) -> Result<Vec<Option<Sendable>>, String> {
    let mut credentials: Vec<Option<Sendable>> = vec![None; api.schemes.len()];
    for (index, credential) in given {
        let scheme = api
            .schemes
            .get(index)
            .ok_or_else(|| format!("{} has no security scheme number {index}", api.title))?;
        credentials[index] = Some(prepare(scheme, credential)?);
    }
    for &index in api.required {
        if credentials.get(index).is_some_and(Option::is_none) {
            let scheme = &api.schemes[index];
            return Err(format!(
                "no credential for `{}`, which every operation needs: call {}(..)",
                scheme.name, scheme.setter
            ));
        }
    }
    Ok(credentials)
}

/// Refuses a plain `http://` URL to a host other than this machine unless `allow` is set, so
/// credentials are not sent where anyone on the path can read them.
pub(crate) fn check_cleartext(url: &str, allow: bool) -> Result<(), String> {
    let Ok(parsed) = Url::parse(url) else {
        return Err(format!("invalid server URL `{url}`"));
    };
    let host = parsed.host_str().unwrap_or_default();
    let ip = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<std::net::IpAddr>();
    let loopback = host.eq_ignore_ascii_case("localhost") || ip.is_ok_and(|ip| ip.is_loopback());
    if parsed.scheme() == "http" && !loopback && !allow {
        return Err(format!(
            "refusing to send credentials in cleartext to `{url}`: use https, or allow_insecure_http(true)"
        ));
    }
    Ok(())
}

/// Checks a server URL and drops trailing slashes; the error says what is wrong.
pub(crate) fn normalize_server_url(url: &str) -> Result<String, String> {
    let trimmed = url.trim().trim_end_matches('/');
    let parsed = Url::parse(trimmed).map_err(|e| format!("invalid server URL `{url}`: {e}"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(format!("invalid server URL `{url}`: the scheme must be http or https"));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(format!(
            "invalid server URL `{url}`: it must not have a query or fragment"
        ));
    }
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::tests::TestApi;

    type TestClient = Client<TestApi>;

    fn bearer(builder: ClientBuilder<TestApi>, key: &str) -> ClientBuilder<TestApi> {
        builder.credential(0, Credential::Token(SecretString::from(key.to_owned())))
    }

    #[test]
    fn server_url_trailing_slash_is_dropped() {
        assert_eq!(
            normalize_server_url("https://api.clerk.com/v1/").ok().as_deref(),
            Some("https://api.clerk.com/v1")
        );
        assert_eq!(
            normalize_server_url("http://127.0.0.1:9/").ok().as_deref(),
            Some("http://127.0.0.1:9")
        );
    }

    #[test]
    fn bad_server_urls_are_rejected() {
        for url in ["not a url", "ftp://example.com", "https://a.b/v1?x=1"] {
            assert!(
                normalize_server_url(url).is_err_and(|e| e.contains("invalid server URL")),
                "{url}"
            );
        }
    }

    #[test]
    fn credentials_never_go_in_cleartext_to_another_host() {
        for url in [
            "http://127.0.0.1:8080",
            "http://127.9.9.9",
            "http://[::1]:9",
            "http://localhost:4010/v1",
            "https://api.clerk.com/v1",
        ] {
            assert_eq!(check_cleartext(url, false), Ok(()), "{url}");
        }
        for url in [
            "http://api.clerk.com/v1",
            "http://10.0.0.1",
            "http://[2001:db8::1]",
            "http://localhost.evil.com",
        ] {
            let error = check_cleartext(url, false).expect_err(url);
            assert!(
                error.starts_with("refusing to send credentials in cleartext"),
                "{error}"
            );
            assert_eq!(check_cleartext(url, true), Ok(()), "{url} with the opt-in");
        }
        let error = bearer(TestClient::builder(), "sk_test_x")
            .server_url("http://api.clerk.com/v1")
            .build()
            .expect_err("refused");
        assert!(
            error.to_string().contains("refusing to send credentials in cleartext"),
            "{error}"
        );
        let allowed = bearer(TestClient::builder(), "sk_test_x")
            .server_url("http://api.clerk.com/v1")
            .allow_insecure_http(true)
            .build()
            .expect("allowed with the opt-in");
        assert_eq!(allowed.server_url(), "http://api.clerk.com/v1");
        // Without credentials there is nothing to protect.
        let anonymous = TestClient::builder()
            .server_url("http://api.clerk.com/v1")
            .build()
            .expect("nothing secret to send");
        assert_eq!(anonymous.server_url(), "http://api.clerk.com/v1");
    }

    #[test]
    fn credentials_are_checked_when_building() {
        let message = |builder: ClientBuilder<TestApi>| builder.build().expect_err("must fail").to_string();
        assert!(message(bearer(TestClient::builder(), "  ")).contains("empty"));
        let bad = message(bearer(TestClient::builder(), "sk_test_abc\ndef"));
        assert!(bad.contains("cannot be sent"), "{bad}");
        assert!(!bad.contains("sk_test_abc"), "{bad}");
    }

    #[test]
    fn required_credentials_and_servers_come_from_the_description() {
        const SCHEMES: &[crate::api::SecurityScheme] = crate::api::tests::SCHEMES;
        const STRICT: ApiDescription = ApiDescription {
            title: "Strict API",
            default_server_url: None,
            server_template: "https://{domain}.example.com",
            version_header: None,
            schemes: SCHEMES,
            required: &[0],
        };
        let keyless = prepare_credentials(&STRICT, Vec::new()).err();
        assert_eq!(
            keyless.as_deref(),
            Some("no credential for `bearerAuth`, which every operation needs: call bearer_auth(..)")
        );

        enum NoServer {}
        impl Api for NoServer {
            type ErrorBody = ();
            const DESCRIPTION: &'static ApiDescription = &ApiDescription {
                required: &[],
                ..STRICT
            };
        }
        let error = Client::<NoServer>::builder()
            .build()
            .expect_err("no server")
            .to_string();
        assert_eq!(
            error,
            "invalid client configuration: no server URL: Strict API has no fixed server (its spec gives \
             `https://{domain}.example.com`); call server_url(..)"
        );
        let client = Client::<NoServer>::builder()
            .server_url("https://acme.example.com/")
            .build()
            .expect("a server was given");
        assert_eq!(client.server_url(), "https://acme.example.com");
    }

    #[test]
    fn from_env_reads_the_secret_key_variable() {
        let client = TestClient::from_lookup(0, |name| match name {
            SECRET_KEY_ENV => Ok("sk_test_from_env".to_owned()),
            _ => Err(std::env::VarError::NotPresent),
        })
        .expect("builds");
        assert_eq!(client.server_url(), "https://api.clerk.com/v1");
        let Some(Sendable::Header(_, value)) = &client.inner.credentials[0] else {
            panic!("no bearer header");
        };
        assert_eq!(value, "Bearer sk_test_from_env");
        assert!(value.is_sensitive());

        let error = TestClient::from_lookup(0, |_| Err(std::env::VarError::NotPresent)).expect_err("no key");
        assert_eq!(
            error.to_string(),
            "invalid client configuration: cannot read CLERK_SECRET_KEY: environment variable not found"
        );
    }

    #[test]
    fn debug_redacts_every_credential() {
        let builder = bearer(TestClient::builder(), "sk_test_supersecret").credential(
            1,
            Credential::Basic {
                user: "client_id".to_owned(),
                password: SecretString::from("hunter2".to_owned()),
            },
        );
        let debug = format!("{builder:?}");
        assert!(!debug.contains("supersecret") && !debug.contains("hunter2"), "{debug}");
        let client = builder.build().expect("builds");
        let debug = format!("{client:?}");
        assert!(!debug.contains("supersecret") && !debug.contains("hunter2"), "{debug}");
        assert!(
            debug.contains(r#"credentials: {"bearerAuth": "[redacted]", "ClientCredentials": "[redacted]"}"#),
            "{debug}"
        );
    }
}
