//! The client and builder: server URLs, credentials, cleartext, `from_env` and `Debug`.

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
        package: "strict-api/1.0.0",
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
