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
use crate::limits::partition::{Partition, Plan};
use crate::limits::{RateLimiting, RetryQuota};
use crate::retry::RetryConfig;
use crate::tls::Certificate;

mod settings;

/// The environment variable `from_env` reads the secret key from, for APIs whose only
/// credential is a bearer secret key (the Backend API).
pub const SECRET_KEY_ENV: &str = "CLERK_SECRET_KEY";

/// How long one attempt of a call may take unless configured otherwise: from connecting to
/// reading the whole body. A retried call may take longer in all.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The longest response body read unless configured otherwise: 16 MiB, far above anything
/// Clerk sends (its largest list pages are well under 1 MiB), and a bound on the memory a
/// broken or hostile server can make a call take.
pub const DEFAULT_MAX_RESPONSE_BODY: usize = 16 * 1024 * 1024;

/// A client for one API, generic over the [`Api`] it calls. Each generated crate's `Clerk`
/// wraps one (`clerk_sdk::Clerk` wraps `Client<ClerkBackendApi>`), adding the resource handles,
/// such as `clerk.phone_numbers()`, and converts to and from it with `From`.
///
/// Cheap to clone: clones share one connection pool.
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
    /// `<crate>/<version> clerk-sdk-runtime/<version>`.
    pub(crate) user_agent: reqwest::header::HeaderValue,
    /// The instance's limiter and retry quota, shared with the other clients of the instance.
    pub(crate) partition: Arc<Partition>,
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
            .field("rate_limited", &self.inner.partition.is_limited())
            .field("retry_quota", &self.inner.partition.quota.available())
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
            rate_limiting: RateLimiting::default(),
            retry_quota: RetryQuota::default(),
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

/// Configures and builds a [`Client`]. Each generated crate's `ClerkBuilder` wraps one, with
/// the same settings (declared once, in `client/settings.rs`) and a method per security scheme
/// of its API, such as `bearer_auth`.
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
    rate_limiting: RateLimiting,
    retry_quota: RetryQuota,
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
            .field("rate_limiting", &self.rate_limiting)
            .field("retry_quota", &self.retry_quota)
            .finish()
    }
}

// The builder's settings, from their one declaration (`settings.rs`), each running its body on
// the builder.
crate::__builder_settings!(crate::call::runtime_settings, [A: Api] ClientBuilder<A>);

impl<A: Api> ClientBuilder<A> {
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
        let plan = Plan::new(&self.rate_limiting, secret_key(&self.credentials), self.retry_quota)
            .map_err(SdkError::Config)?;
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
        let secrets = credentials.iter().flatten().map(Sendable::secret_bytes);
        let partition = plan.partition(&server_url, secrets);
        Ok(Client {
            inner: Arc::new(ClientInner {
                http,
                api,
                credentials,
                timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
                retries: self.retries.unwrap_or_default(),
                hooks: self.hooks,
                max_response_body: self.max_response_body.unwrap_or(DEFAULT_MAX_RESPONSE_BODY),
                allow_insecure_http: self.allow_insecure_http,
                own_http,
                strict_responses: self.strict_responses,
                check_requests: !self.unchecked_requests,
                user_agent: user_agent(api),
                partition,
                server_url,
            }),
            api: PhantomData,
        })
    }
}

#[cfg(feature = "blocking")]
#[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
impl<A: Api> ClientBuilder<A> {
    /// Builds a [blocking client](crate::blocking::Client) with these settings.
    ///
    /// # Errors
    ///
    /// As [`ClientBuilder::build`], and [`SdkError::Config`] if the client's runtime cannot
    /// start.
    pub fn build_blocking(self) -> Result<crate::blocking::Client<A>, SdkError<A::ErrorBody>> {
        crate::blocking::Client::new(self.build()?)
    }
}

/// The `User-Agent` of every request: the generated crate with its version, then the runtime
/// with its own (the runtime's alone if the crate's name could not be sent).
fn user_agent(api: &ApiDescription) -> reqwest::header::HeaderValue {
    let runtime = crate::call::SDK_USER_AGENT;
    reqwest::header::HeaderValue::from_str(&format!("{} {runtime}", api.package))
        .unwrap_or_else(|_| reqwest::header::HeaderValue::from_static(runtime))
}

/// The first token credential that is a Clerk secret key (`sk_…`), which says which instance,
/// and so which rate limit, the client is of.
fn secret_key(credentials: &[(usize, Credential)]) -> Option<&str> {
    use secrecy::ExposeSecret as _;
    credentials.iter().find_map(|(_, credential)| match credential {
        Credential::Token(token) if token.expose_secret().starts_with("sk_") => Some(token.expose_secret()),
        _ => None,
    })
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
mod tests;
