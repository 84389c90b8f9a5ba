//! An application that installed a rustls crypto provider of its own before building a Clerk
//! client: the SDK's rustls stacks use that provider, and leave it installed. One test in its
//! own binary, so that it starts from a fresh process.
#![cfg(any(feature = "rustls", feature = "rustls-aws-lc", feature = "native-tls"))]

mod support;

use std::sync::Arc;

use clerk_sdk::tls::{self, Backend, Certificate};
use tokio_rustls::rustls::CipherSuite;
use tokio_rustls::rustls::crypto::{CryptoProvider, ring};

#[tokio::test]
async fn the_sdk_uses_a_provider_the_application_installed() {
    // A provider the SDK would not pick itself: *ring* with ChaCha20-Poly1305 only.
    let mut chacha_only = ring::default_provider();
    chacha_only
        .cipher_suites
        .retain(|suite| suite.suite() == CipherSuite::TLS13_CHACHA20_POLY1305_SHA256);
    chacha_only
        .install_default()
        .expect("the test must start with no provider");
    let installed = CryptoProvider::get_default().map(Arc::as_ptr);
    let pki = support::pki();
    let server = support::serve(&pki).await;

    let clerk = support::builder(&server)
        .add_root_certificate(Certificate::from_pem(&pki.ca_pem).expect("PEM"))
        .build()
        .expect("a client");
    tls::install_default_provider();
    support::delete_over_https(&clerk, &server).await;

    assert_eq!(
        CryptoProvider::get_default().map(Arc::as_ptr),
        installed,
        "the provider stays"
    );
    if matches!(tls::backend(), Backend::RustlsRing | Backend::RustlsAwsLc) {
        assert_eq!(server.cipher_suites(), ["Some(TLS13_CHACHA20_POLY1305_SHA256)"]);
    }
}
