//! HTTPS on loopback, with whichever TLS stack the SDK is built with: run it once per TLS
//! feature (`.ci/run` does). A certificate authority made in the test is trusted through the
//! builder; a server the client does not trust fails with a typed transport error.
#![cfg(any(feature = "rustls", feature = "rustls-aws-lc", feature = "native-tls"))]

mod support;

use clerk_sdk::tls::{self, Backend, Certificate};
use clerk_sdk::{Error, RetryConfig};

#[tokio::test]
async fn a_server_signed_by_a_root_added_on_the_builder_is_trusted() {
    assert_ne!(tls::backend(), Backend::None, "these tests need a TLS feature");
    let pki = support::pki();
    let server = support::serve(&pki).await;
    let clerk = support::builder(&server)
        .add_root_certificate(Certificate::from_pem(&pki.ca_pem).expect("the CA's PEM"))
        .build()
        .expect("a client");

    support::delete_over_https(&clerk, &server).await;
}

#[tokio::test]
async fn a_server_the_client_does_not_trust_is_a_transport_error() {
    let server = support::serve(&support::pki()).await;
    // The rustls stacks know a certificate error when they see one, and do not retry it: the
    // default policy would otherwise retry a connection failure for up to a minute.
    let rustls = matches!(tls::backend(), Backend::RustlsRing | Backend::RustlsAwsLc);
    let retries = if rustls {
        RetryConfig::default()
    } else {
        RetryConfig::none()
    };
    // Trusts an authority, but not the one that signed the server's certificate.
    let other = Certificate::from_pem(support::pki().ca_pem).expect("PEM");
    let builders = [
        support::builder(&server).retries(retries.clone()),
        support::builder(&server).retries(retries).add_root_certificate(other),
    ];
    for (calls, builder) in builders.into_iter().enumerate() {
        let clerk = builder.build().expect("a client");
        let error = clerk
            .phone_numbers()
            .delete("phone_1")
            .await
            .expect_err("an untrusted server");
        assert_eq!(server.connections(), calls + 1, "one attempt per call");

        let Error::Transport { operation, source } = &error else {
            panic!("expected a transport error, got {error:?}");
        };
        assert_eq!(*operation, "DeletePhoneNumber");
        assert!(source.is_connect(), "{source:?}");
        assert!(error.to_string().to_lowercase().contains("certificate"), "{error}");
    }
    assert_eq!(
        server.requests(),
        Vec::<String>::new(),
        "no request crossed an untrusted connection"
    );
}

#[tokio::test]
async fn a_root_cannot_be_added_to_a_client_the_sdk_does_not_build() {
    let pki = support::pki();
    let server = support::serve(&pki).await;
    // As the tls module asks of an application that builds a client before the SDK does.
    tls::install_default_provider();
    let error = support::builder(&server)
        .http_client(clerk_sdk::reqwest::Client::builder().build().expect("a reqwest client"))
        .add_root_certificate(Certificate::from_pem(&pki.ca_pem).expect("PEM"))
        .build()
        .expect_err("the root would be lost");

    assert!(error.to_string().contains("add them to that client instead"), "{error}");
}
