//! An application that builds its own `reqwest::Client` before any Clerk client, to hand it to
//! `http_client`, having called `tls::install_default_provider()` first as the `tls` module
//! asks. One test in its own binary, so that it starts from a fresh process where nothing
//! installed a rustls crypto provider.
#![cfg(any(feature = "rustls", feature = "rustls-aws-lc", feature = "native-tls"))]

mod support;

use clerk_sdk::{Clerk, RetryConfig, reqwest, tls};
use tokio_rustls::rustls::crypto::CryptoProvider;

#[tokio::test]
async fn a_reqwest_client_built_before_the_sdk_s_does_not_panic_and_works() {
    assert!(
        CryptoProvider::get_default().is_none(),
        "the test must start with no provider"
    );
    let pki = support::pki();
    let server = support::serve(&pki).await;

    tls::install_default_provider();
    let ca = reqwest::Certificate::from_pem(pki.ca_pem.as_bytes()).expect("PEM");
    let own = reqwest::Client::builder()
        .tls_certs_only([ca])
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("the application's own client");
    let clerk = Clerk::builder()
        .bearer_auth("sk_test_tls")
        .server_url(server.url())
        .retries(RetryConfig::none())
        .http_client(own)
        .build()
        .expect("a client on the application's reqwest client");

    assert!(
        clerk
            .phone_numbers()
            .delete("phone_1")
            .await
            .expect("the call over HTTPS")
            .deleted
    );
    assert_eq!(server.requests(), ["DELETE /v1/phone_numbers/phone_1"]);
}
