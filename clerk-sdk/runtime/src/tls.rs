//! TLS: which stack the SDK's HTTP client uses, and the root certificates it trusts.
//!
//! # Stacks
//!
//! The stack is chosen by features. When several are on, an explicit choice wins over the
//! default, as reqwest itself prefers `native-tls`:
//!
//! | feature | stack | [`backend()`] |
//! |---|---|---|
//! | `native-tls` | the platform's library (OpenSSL, Secure Transport, SChannel) | [`Backend::NativeTls`] |
//! | `rustls-aws-lc` | rustls with the aws-lc-rs provider | [`Backend::RustlsAwsLc`] |
//! | `rustls` (default) | rustls with the *ring* provider | [`Backend::RustlsRing`] |
//! | none | no TLS: only `http://` server URLs | [`Backend::None`] |
//!
//! Server certificates are checked against the platform's roots, as reqwest does, plus any
//! added with [`ClientBuilder::add_root_certificate`](crate::ClientBuilder::add_root_certificate).
//!
//! # Reqwest clients of your own, with the default `rustls` feature
//!
//! With the default feature, reqwest is built with rustls but without a crypto provider of its
//! own (that is what keeps the build light: reqwest's default provider, aws-lc-rs, is a large
//! C library). The SDK's client always has one. But Cargo builds one reqwest for the whole
//! application, so a `reqwest::Client` the application builds itself finds a provider only if
//! one is installed for the process; without one, reqwest panics when the client is built.
//! So:
//!
//! - Building a Clerk client installs *ring* as the process's rustls provider, unless one is
//!   installed already. Clients the application builds after it just work.
//! - An application that builds a `reqwest::Client` (or any rustls config) before its first
//!   Clerk client, for example to hand it to
//!   [`http_client`](crate::ClientBuilder::http_client), calls
//!   [`install_default_provider`] first, once, at the start of `main`.
//! - An application that wants another provider (aws-lc-rs for FIPS, say) installs it with
//!   rustls's `CryptoProvider::install_default` before building any client; the SDK then uses
//!   that one too. Or it turns the default feature off and picks `rustls-aws-lc`.

use std::fmt;

use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;

/// A TLS stack this build of the SDK can use; see [`backend()`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Backend {
    /// rustls with the *ring* crypto provider: the `rustls` feature, the default.
    RustlsRing,
    /// rustls with the aws-lc-rs crypto provider: the `rustls-aws-lc` feature.
    RustlsAwsLc,
    /// The platform's TLS library: the `native-tls` feature.
    NativeTls,
    /// No TLS: the SDK was built without a TLS feature, and reaches only `http://` servers.
    None,
}

/// The TLS stack the clients this build of the SDK builds use, chosen by its features.
pub const fn backend() -> Backend {
    if cfg!(feature = "native-tls") {
        Backend::NativeTls
    } else if cfg!(feature = "rustls-aws-lc") {
        Backend::RustlsAwsLc
    } else if cfg!(feature = "rustls") {
        Backend::RustlsRing
    } else {
        Backend::None
    }
}

/// Makes the SDK's rustls crypto provider (*ring*) the process's default, unless one is
/// installed already, so that `reqwest::Client`s the application builds itself do not panic
/// for want of one. Call it at the start of `main` if the application builds such a client
/// before its first Clerk client (building a Clerk client does the same). It does nothing
/// unless the SDK's stack is [`Backend::RustlsRing`]: the other stacks bring their own.
pub fn install_default_provider() {
    #[cfg(all(feature = "rustls", not(feature = "native-tls"), not(feature = "rustls-aws-lc")))]
    ring::install_default_provider();
}

/// A root certificate to trust besides the platform's, such as a company's TLS-inspecting
/// proxy's, or a test server's. Add it with
/// [`ClientBuilder::add_root_certificate`](crate::ClientBuilder::add_root_certificate).
#[derive(Clone, PartialEq, Eq)]
pub struct Certificate {
    der: CertificateDer<'static>,
}

impl fmt::Debug for Certificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Certificate")
            .field("der_bytes", &self.der.len())
            .finish()
    }
}

/// Why PEM text gave no certificate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CertificateError(String);

impl Certificate {
    /// The first certificate (a `-----BEGIN CERTIFICATE-----` block) in PEM text. Other blocks,
    /// such as keys, are skipped.
    ///
    /// # Errors
    ///
    /// If the text holds no certificate, or a block is malformed.
    pub fn from_pem(pem: impl AsRef<[u8]>) -> Result<Self, CertificateError> {
        let mut all = Self::from_pem_bundle(pem)?;
        Ok(all.swap_remove(0))
    }

    /// Every certificate in PEM text, in order, such as a CA bundle.
    ///
    /// # Errors
    ///
    /// If the text holds no certificate, or a block is malformed.
    pub fn from_pem_bundle(pem: impl AsRef<[u8]>) -> Result<Vec<Self>, CertificateError> {
        let certificates = CertificateDer::pem_slice_iter(pem.as_ref())
            .map(|item| item.map(|der| Certificate { der }))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| CertificateError(format!("malformed PEM: {e}")))?;
        if certificates.is_empty() {
            return Err(CertificateError(
                "no `BEGIN CERTIFICATE` block in the PEM text".to_owned(),
            ));
        }
        Ok(certificates)
    }

    /// A certificate in DER. It is checked when the client is built.
    pub fn from_der(der: impl Into<Vec<u8>>) -> Self {
        Certificate {
            der: CertificateDer::from(der.into()),
        }
    }

    /// The certificate in DER.
    pub fn as_der(&self) -> &[u8] {
        &self.der
    }
}

/// The SDK's own HTTP client: redirects are not followed (a documented one is returned to the
/// caller, any other is an unexpected status), and TLS is this build's stack trusting `roots`
/// besides the platform's.
pub(crate) fn http_client(roots: &[Certificate]) -> Result<reqwest::Client, String> {
    let builder = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none());
    with_tls(builder, roots)?
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {e}"))
}

/// Refuses an `https` URL when this build has no TLS, before anything is sent, with the fix
/// in the message rather than reqwest's "scheme is not http".
pub(crate) fn check_scheme(url: &str) -> Result<(), String> {
    if backend() == Backend::None && url.starts_with("https:") {
        let server = url.split('/').take(3).collect::<Vec<_>>().join("/");
        return Err(format!(
            "{server} is an https server, but clerk-sdk was built without TLS: turn on its \
             `rustls`, `rustls-aws-lc` or `native-tls` feature"
        ));
    }
    Ok(())
}

/// Whether `error` is a server certificate the client does not trust. That will not change
/// on the next attempt, so it is not retried. Known for the rustls stacks, whose error is
/// typed; with `native-tls` it reads as any other connection failure.
pub(crate) fn is_untrusted_certificate(error: &reqwest::Error) -> bool {
    #[cfg(all(any(feature = "rustls", feature = "rustls-aws-lc"), not(feature = "native-tls")))]
    {
        // hyper-rustls hands rustls's error up inside `io::Error`s, whose `source()` skips the
        // error they wrap, so the walk goes into each one with `get_ref`.
        let mut next: Option<&(dyn std::error::Error + 'static)> = Some(error);
        while let Some(current) = next {
            if let Some(rustls::Error::InvalidCertificate(_)) = current.downcast_ref() {
                return true;
            }
            next = match current.downcast_ref::<std::io::Error>() {
                Some(io) => io.get_ref().map(|inner| inner as &(dyn std::error::Error + 'static)),
                None => current.source(),
            };
        }
    }
    let _ = error;
    false
}

#[cfg(all(feature = "rustls", not(feature = "native-tls"), not(feature = "rustls-aws-lc")))]
fn with_tls(builder: reqwest::ClientBuilder, roots: &[Certificate]) -> Result<reqwest::ClientBuilder, String> {
    Ok(builder.tls_backend_preconfigured(ring::client_config(roots)?))
}

#[cfg(any(feature = "native-tls", feature = "rustls-aws-lc"))]
fn with_tls(builder: reqwest::ClientBuilder, roots: &[Certificate]) -> Result<reqwest::ClientBuilder, String> {
    #[cfg(feature = "native-tls")]
    let builder = builder.tls_backend_native();
    #[cfg(not(feature = "native-tls"))]
    let builder = builder.tls_backend_rustls();
    let roots = roots
        .iter()
        .enumerate()
        .map(|(index, root)| {
            reqwest::Certificate::from_der(root.as_der())
                .map_err(|e| format!("root certificate {index} is not a valid X.509 certificate: {e}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(builder.tls_certs_merge(roots))
}

#[cfg(not(any(feature = "rustls", feature = "native-tls", feature = "rustls-aws-lc")))]
fn with_tls(builder: reqwest::ClientBuilder, roots: &[Certificate]) -> Result<reqwest::ClientBuilder, String> {
    if roots.is_empty() {
        Ok(builder)
    } else {
        Err("root certificates were added, but clerk-sdk was built without TLS".to_owned())
    }
}

/// rustls with *ring*, configured here because reqwest, built without a provider, cannot.
#[cfg(all(feature = "rustls", not(feature = "native-tls"), not(feature = "rustls-aws-lc")))]
mod ring {
    use std::sync::Arc;

    use rustls::crypto::CryptoProvider;
    use rustls_platform_verifier::Verifier;

    use super::Certificate;

    pub(super) fn install_default_provider() {
        if CryptoProvider::get_default().is_none() {
            // Losing a race to another thread installing one is fine: that one is used.
            let _ = rustls::crypto::ring::default_provider().install_default();
        }
    }

    /// The process's provider: one the application installed (it chose it for all its TLS),
    /// else ring, installed for the clients the application builds later.
    fn provider() -> Arc<CryptoProvider> {
        install_default_provider();
        CryptoProvider::get_default()
            .cloned()
            .unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider()))
    }

    /// The config reqwest would build with a provider of its own: the platform's verifier
    /// (with `roots` added), TLS 1.2 and 1.3, and ALPN for the HTTP versions this build speaks.
    pub(super) fn client_config(roots: &[Certificate]) -> Result<rustls::ClientConfig, String> {
        let provider = provider();
        let verifier = verifier(roots, provider.clone())?;
        let mut config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("cannot set up TLS: {e}"))?
            // `dangerous` is rustls's name for choosing the verifier; this one is the platform's.
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth();
        config.alpn_protocols = if cfg!(feature = "http2") {
            vec![b"h2".to_vec(), b"http/1.1".to_vec()]
        } else {
            vec![b"http/1.1".to_vec()]
        };
        Ok(config)
    }

    fn verifier(roots: &[Certificate], provider: Arc<CryptoProvider>) -> Result<Verifier, String> {
        // Each root is checked alone first, so a bad one is named.
        for (index, root) in roots.iter().enumerate() {
            rustls::RootCertStore::empty()
                .add(root.der.clone())
                .map_err(|e| format!("root certificate {index} is not a valid X.509 certificate: {e}"))?;
        }
        let verifier = if roots.is_empty() {
            Verifier::new(provider)
        } else {
            extra_roots(roots, provider)?
        };
        verifier.map_err(|e| format!("cannot set up TLS certificate verification: {e}"))
    }

    #[cfg(not(target_os = "android"))]
    fn extra_roots(
        roots: &[Certificate],
        provider: Arc<CryptoProvider>,
    ) -> Result<Result<Verifier, rustls::Error>, String> {
        let roots = roots.iter().map(|root| root.der.clone());
        Ok(Verifier::new_with_extra_roots(roots, provider))
    }

    #[cfg(test)]
    #[test]
    fn the_config_offers_the_http_versions_this_build_speaks() {
        let config = client_config(&[]).expect("a config");
        let h2 = config.alpn_protocols.iter().any(|p| p == b"h2");
        assert_eq!(h2, cfg!(feature = "http2"));
        assert!(config.alpn_protocols.iter().any(|p| p == b"http/1.1"));
    }

    #[cfg(target_os = "android")]
    fn extra_roots(_: &[Certificate], _: Arc<CryptoProvider>) -> Result<Result<Verifier, rustls::Error>, String> {
        Err("extra root certificates are not supported on Android; install them in the system store".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A real certificate, so parsing is exercised end to end; made by rcgen in a test, not
    // trusted by anything.
    fn test_pem() -> String {
        let key = rcgen::KeyPair::generate().expect("key");
        let params = rcgen::CertificateParams::new(vec!["localhost".to_owned()]).expect("params");
        params.self_signed(&key).expect("certificate").pem()
    }

    #[test]
    fn pem_gives_its_certificates_in_order_and_skips_other_blocks() {
        let (first, second) = (test_pem(), test_pem());
        let key = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
        let bundle = format!("{key}{first}{second}");
        let all = Certificate::from_pem_bundle(&bundle).expect("bundle");
        assert_eq!(all.len(), 2);
        assert_eq!(all[0], Certificate::from_pem(&first).expect("first"));
        assert_eq!(all[1], Certificate::from_pem(&second).expect("second"));
        assert_eq!(Certificate::from_pem(&bundle).expect("pem"), all[0]);
        assert_eq!(Certificate::from_der(all[0].as_der().to_vec()), all[0]);
    }

    #[test]
    fn text_without_a_certificate_is_an_error() {
        for text in [
            "",
            "hello",
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        ] {
            let error = Certificate::from_pem(text).expect_err(text);
            assert!(error.to_string().contains("no `BEGIN CERTIFICATE`"), "{error}");
        }
        let broken = "-----BEGIN CERTIFICATE-----\nAAAA\n";
        assert!(Certificate::from_pem(broken).is_err());
    }

    #[test]
    fn debug_shows_the_size_only() {
        let certificate = Certificate::from_der(vec![1, 2, 3]);
        assert_eq!(format!("{certificate:?}"), "Certificate { der_bytes: 3 }");
    }

    #[test]
    fn a_bad_root_fails_the_build_and_is_named() {
        if backend() == Backend::None {
            return;
        }
        let roots = [
            Certificate::from_pem(test_pem()).expect("pem"),
            Certificate::from_der(vec![0x30, 0x03, 1, 2, 3]),
        ];
        let error = http_client(&roots).expect_err("a bad root");
        assert!(
            error.contains("root certificate 1 is not a valid X.509 certificate"),
            "{error}"
        );
    }

    #[test]
    fn https_needs_a_tls_feature() {
        let result = check_scheme("https://api.clerk.com/v1");
        assert_eq!(result.is_err(), backend() == Backend::None, "{result:?}");
        assert!(check_scheme("http://127.0.0.1:1/v1").is_ok());
    }
}
