//! A build without any TLS feature: an `https` server is refused before anything is sent, with
//! the features to turn on in the message. `.ci/run` runs it with `--no-default-features`.
#![cfg(not(any(feature = "rustls", feature = "rustls-aws-lc", feature = "native-tls")))]

use clerk_sdk::tls::{self, Backend};
use clerk_sdk::{Clerk, Error};

#[tokio::test]
async fn an_https_server_is_refused_with_the_fix_named() {
    assert_eq!(tls::backend(), Backend::None);
    let clerk = Clerk::builder()
        .bearer_auth("sk_test_no_tls")
        .build()
        .expect("a client");

    for call in [
        clerk.phone_numbers().get("phone_1"),
        clerk
            .phone_numbers()
            .get("phone_1")
            .server_url("https://example.com/v1"),
    ] {
        let error = call.await.expect_err("no TLS");
        let Error::InvalidRequest { operation, reason } = &error else {
            panic!("expected an invalid request, got {error:?}");
        };
        assert_eq!(*operation, "GetPhoneNumber");
        assert!(
            reason.contains("built without TLS") && reason.contains("`rustls`"),
            "{reason}"
        );
    }
}

#[tokio::test]
async fn a_root_certificate_without_tls_is_a_configuration_error() {
    let error = Clerk::builder()
        .bearer_auth("sk_test_no_tls")
        .add_root_certificate(clerk_sdk::tls::Certificate::from_der(vec![1]))
        .build()
        .expect_err("no TLS to add it to");
    assert!(error.to_string().contains("built without TLS"), "{error}");
}
