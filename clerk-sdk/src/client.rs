//! [`Clerk`], the client, and [`ClerkBuilder`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;
use reqwest::header::HeaderValue;
use secrecy::{ExposeSecret, SecretString};

use crate::Error;
use crate::generated::DEFAULT_SERVER_URL;
use crate::hooks::Hooks;
use crate::retry::RetryConfig;

/// The environment variable [`Clerk::from_env`] reads the secret key from.
pub const SECRET_KEY_ENV: &str = "CLERK_SECRET_KEY";

/// How long a request may take, end to end, unless configured otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// A client for Clerk's Backend API.
///
/// Cheap to clone: clones share one connection pool. Build one with [`Clerk::builder`] or
/// [`Clerk::from_env`], then call operations through the resource handles, such as
/// [`Clerk::phone_numbers`].
///
/// ```no_run
/// # async fn run() -> Result<(), clerk_sdk::Error> {
/// let clerk = clerk_sdk::Clerk::from_env()?;
/// let phone = clerk.phone_numbers().get("phone_12345").await?;
/// println!("{}", phone.phone_number);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Clerk {
    pub(crate) inner: Arc<ClientInner>,
}

/// What every call needs; shared by all clones of a [`Clerk`].
pub(crate) struct ClientInner {
    pub(crate) http: reqwest::Client,
    /// The server URL without a trailing `/`.
    pub(crate) server_url: String,
    /// `Bearer <key>`, marked sensitive so that HTTP libraries do not print it.
    pub(crate) authorization: HeaderValue,
    pub(crate) timeout: Duration,
    pub(crate) retries: RetryConfig,
    pub(crate) hooks: Vec<Arc<dyn Hooks>>,
    /// Whether the key may go over plain `http://` to a host that is not this machine.
    pub(crate) allow_insecure_http: bool,
}

impl fmt::Debug for Clerk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Clerk")
            .field("server_url", &self.inner.server_url)
            .field("secret_key", &"[redacted]")
            .field("timeout", &self.inner.timeout)
            .field("retries", &self.inner.retries)
            .field("hooks", &self.inner.hooks.len())
            .finish_non_exhaustive()
    }
}

impl Clerk {
    /// Starts building a client.
    pub fn builder() -> ClerkBuilder {
        ClerkBuilder::default()
    }

    /// Builds a client with the secret key from the `CLERK_SECRET_KEY` environment variable
    /// and everything else at its default.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] if the variable is not set, not Unicode, or empty.
    pub fn from_env() -> Result<Self, Error> {
        Self::from_lookup(|name| std::env::var(name))
    }

    /// [`Clerk::from_env`] with the environment lookup passed in, so it can be tested without
    /// touching the process environment.
    fn from_lookup(lookup: impl Fn(&str) -> Result<String, std::env::VarError>) -> Result<Self, Error> {
        let key = lookup(SECRET_KEY_ENV).map_err(|e| Error::Config(format!("cannot read {SECRET_KEY_ENV}: {e}")))?;
        Clerk::builder().bearer_auth(key).build()
    }

    /// The server URL requests go to, without a trailing `/`.
    pub fn server_url(&self) -> &str {
        &self.inner.server_url
    }
}

/// Configures and builds a [`Clerk`].
///
/// ```no_run
/// # fn run() -> Result<(), clerk_sdk::Error> {
/// let clerk = clerk_sdk::Clerk::builder()
///     .bearer_auth("sk_test_...")
///     .server_url("https://api.clerk.com/v1")
///     .build()?;
/// # Ok(()) }
/// ```
#[derive(Default)]
#[must_use = "a builder does nothing until build() is called"]
pub struct ClerkBuilder {
    secret_key: Option<SecretString>,
    server_url: Option<String>,
    http_client: Option<reqwest::Client>,
    timeout: Option<Duration>,
    retries: Option<RetryConfig>,
    allow_insecure_http: bool,
    hooks: Vec<Arc<dyn Hooks>>,
}

impl fmt::Debug for ClerkBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClerkBuilder")
            .field("secret_key", &self.secret_key.as_ref().map(|_| "[redacted]"))
            .field("server_url", &self.server_url)
            .field("http_client", &self.http_client.as_ref().map(|_| "custom"))
            .field("timeout", &self.timeout)
            .field("retries", &self.retries)
            .field("hooks", &self.hooks.len())
            .field("allow_insecure_http", &self.allow_insecure_http)
            .finish()
    }
}

impl ClerkBuilder {
    /// The secret key (`sk_live_...` or `sk_test_...`), sent as `Authorization: Bearer <key>`.
    /// Required.
    pub fn bearer_auth(mut self, secret_key: impl Into<String>) -> Self {
        self.secret_key = Some(SecretString::from(secret_key.into()));
        self
    }

    /// The server URL, such as `https://api.clerk.com/v1` (the default). A trailing `/` is
    /// ignored.
    pub fn server_url(mut self, url: impl Into<String>) -> Self {
        self.server_url = Some(url.into());
        self
    }

    /// A `reqwest::Client` to send requests with, for custom proxies, TLS roots or connection
    /// pools. The SDK still sets its own headers and timeout on every request.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// How long one attempt may take, from connecting to reading the whole body. A call that
    /// is retried may take longer in all; see [`RetryConfig`]. Defaults to [`DEFAULT_TIMEOUT`];
    /// override it per call with [`Call::timeout`](crate::Call::timeout).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// When failed attempts are retried. Defaults to [`RetryConfig::default`]; override it per
    /// call with [`Call::retries`](crate::Call::retries).
    pub fn retries(mut self, retries: RetryConfig) -> Self {
        self.retries = Some(retries);
        self
    }

    /// Lets the secret key go over plain `http://` to hosts other than this machine. Off by
    /// default: such a server URL is refused (when building, or for a per-call override, when
    /// the call is made), because anyone on the path could read the key. `http://localhost`,
    /// `127.0.0.0/8` and `[::1]` are always allowed, for local mock servers.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
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
    /// [`Error::Config`] if no key was given, the key is empty or cannot be sent in a header,
    /// the server URL is not an `http` or `https` URL, or the HTTP client cannot be built. The
    /// message never contains the key.
    pub fn build(self) -> Result<Clerk, Error> {
        let secret_key = self
            .secret_key
            .ok_or_else(|| Error::Config("no secret key: call bearer_auth(..) or set CLERK_SECRET_KEY".to_owned()))?;
        let authorization = authorization_header(&secret_key)?;
        let server_url =
            normalize_server_url(self.server_url.as_deref().unwrap_or(DEFAULT_SERVER_URL)).map_err(Error::Config)?;
        check_cleartext(&server_url, self.allow_insecure_http).map_err(Error::Config)?;
        let http = match self.http_client {
            Some(client) => client,
            None => reqwest::Client::builder()
                .build()
                .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?,
        };
        Ok(Clerk {
            inner: Arc::new(ClientInner {
                http,
                server_url,
                authorization,
                timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
                retries: self.retries.unwrap_or_default(),
                hooks: self.hooks,
                allow_insecure_http: self.allow_insecure_http,
            }),
        })
    }
}

#[cfg(feature = "blocking")]
impl ClerkBuilder {
    /// Builds a [blocking client](crate::blocking::Clerk) with these settings.
    ///
    /// # Errors
    ///
    /// As [`ClerkBuilder::build`], and [`Error::Config`] if the client's runtime cannot start.
    pub fn build_blocking(self) -> Result<crate::blocking::Clerk, Error> {
        crate::blocking::Clerk::new(self.build()?)
    }
}

/// `Bearer <key>` as a sensitive header value; errors never echo the key.
fn authorization_header(secret_key: &SecretString) -> Result<HeaderValue, Error> {
    let key = secret_key.expose_secret().trim();
    if key.is_empty() {
        return Err(Error::Config("the secret key is empty".to_owned()));
    }
    let mut value = HeaderValue::from_str(&format!("Bearer {key}")).map_err(|_| {
        Error::Config("the secret key contains characters that cannot be sent in an HTTP header".to_owned())
    })?;
    value.set_sensitive(true);
    Ok(value)
}

/// Refuses a plain `http://` URL to a host other than this machine unless `allow` is set, so
/// the secret key is not sent where anyone on the path can read it.
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
            "refusing to send the secret key in cleartext to `{url}`: use https, or allow_insecure_http(true)"
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
    fn the_key_never_goes_in_cleartext_to_another_host() {
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
                error.starts_with("refusing to send the secret key in cleartext"),
                "{error}"
            );
            assert_eq!(check_cleartext(url, true), Ok(()), "{url} with the opt-in");
        }
        let error = Clerk::builder()
            .bearer_auth("sk_test_x")
            .server_url("http://api.clerk.com/v1")
            .build()
            .expect_err("refused");
        assert!(
            error
                .to_string()
                .contains("refusing to send the secret key in cleartext"),
            "{error}"
        );
        let allowed = Clerk::builder()
            .bearer_auth("sk_test_x")
            .server_url("http://api.clerk.com/v1")
            .allow_insecure_http(true)
            .build()
            .expect("allowed with the opt-in");
        assert_eq!(allowed.server_url(), "http://api.clerk.com/v1");
    }

    #[test]
    fn key_is_required_non_empty_and_header_safe() {
        let message = |builder: ClerkBuilder| builder.build().expect_err("must fail").to_string();
        assert!(message(Clerk::builder()).contains("no secret key"));
        assert!(message(Clerk::builder().bearer_auth("  ")).contains("empty"));
        let bad = message(Clerk::builder().bearer_auth("sk_test_abc\ndef"));
        assert!(bad.contains("cannot be sent"), "{bad}");
        assert!(!bad.contains("sk_test_abc"), "{bad}");
    }

    #[test]
    fn from_env_reads_the_secret_key_variable() {
        let client = Clerk::from_lookup(|name| match name {
            SECRET_KEY_ENV => Ok("sk_test_from_env".to_owned()),
            _ => Err(std::env::VarError::NotPresent),
        })
        .expect("builds");
        assert_eq!(client.server_url(), "https://api.clerk.com/v1");
        assert_eq!(client.inner.authorization, "Bearer sk_test_from_env");
        assert!(client.inner.authorization.is_sensitive());

        let error = Clerk::from_lookup(|_| Err(std::env::VarError::NotPresent)).expect_err("no key");
        assert_eq!(
            error.to_string(),
            "invalid client configuration: cannot read CLERK_SECRET_KEY: environment variable not found"
        );
    }

    #[test]
    fn debug_redacts_the_key() {
        let builder = Clerk::builder().bearer_auth("sk_test_supersecret");
        assert!(!format!("{builder:?}").contains("supersecret"));
        let client = builder.build().expect("builds");
        let debug = format!("{client:?}");
        assert!(!debug.contains("supersecret"), "{debug}");
        assert!(debug.contains("[redacted]"), "{debug}");
    }
}
