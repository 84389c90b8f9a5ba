//! An application that builds its own `reqwest::Client` before any Clerk client, to hand it to
//! `http_client`, having called `tls::install_default_provider()` first as the `tls` module
//! asks. One test in its own binary, so that it starts from a fresh process where nothing
//! installed a rustls crypto provider.
#![cfg(any(feature = "rustls", feature = "rustls-aws-lc", feature = "native-tls"))]

mod support;

use clerk_sdk::tls;
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
    let own = support::application_client(&pki);
    let clerk = support::builder(&server)
        .http_client(own)
        .build()
        .expect("a client on it");

    support::delete_over_https(&clerk, &server).await;
}
