//! An application that builds its own `reqwest::Client` after its Clerk client, in a process
//! where nothing installed a rustls crypto provider: with the default `rustls` feature, reqwest
//! has no provider of its own, and building the client would panic had the SDK not installed
//! one. One test in its own binary, so that it starts from a fresh process.
#![cfg(any(feature = "rustls", feature = "rustls-aws-lc", feature = "native-tls"))]

mod support;

use clerk_sdk::Clerk;
use tokio_rustls::rustls::crypto::CryptoProvider;

#[tokio::test]
async fn a_reqwest_client_built_after_the_sdk_s_does_not_panic_and_works() {
    assert!(
        CryptoProvider::get_default().is_none(),
        "the test must start with no provider"
    );
    let pki = support::pki();
    let server = support::serve(&pki).await;
    let _first = Clerk::builder()
        .bearer_auth("sk_test_tls")
        .build()
        .expect("the SDK's client");

    let own = support::application_client(&pki);
    let clerk = support::builder(&server)
        .http_client(own)
        .build()
        .expect("a client on it");

    support::delete_over_https(&clerk, &server).await;
}
