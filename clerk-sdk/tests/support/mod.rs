//! An HTTPS server on loopback for the TLS tests, with a certificate authority made in the test:
//! nothing is trusted unless a test trusts it.

#![allow(dead_code)] // Each test binary uses part of this.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use clerk_sdk::{Clerk, ClerkBuilder, RetryConfig, reqwest};
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use rcgen::{BasicConstraints, CertificateParams, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::{ServerConfig, crypto::ring};

/// What a call to the server answers: a deleted phone number, which `DeletePhoneNumber` decodes.
pub const DELETED: &str = r#"{"id":"phone_1","object":"phone_number","deleted":true}"#;

/// A certificate authority and the server certificate it signed, for `127.0.0.1`.
pub struct Pki {
    /// The authority's certificate, in PEM: what a client must trust.
    pub ca_pem: String,
    server_chain: Vec<Vec<u8>>,
    server_key: Vec<u8>,
}

/// A new authority and server certificate, different on every call.
pub fn pki() -> Pki {
    let ca_key = KeyPair::generate().expect("a CA key");
    let mut ca = CertificateParams::new(Vec::<String>::new()).expect("CA parameters");
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    ca.distinguished_name
        .push(rcgen::DnType::CommonName, "clerk-sdk test CA");
    let ca_certificate = ca.self_signed(&ca_key).expect("the CA certificate");

    let server_key = KeyPair::generate().expect("a server key");
    let mut server = CertificateParams::new(vec!["127.0.0.1".to_owned()]).expect("server parameters");
    server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    server.distinguished_name.push(rcgen::DnType::CommonName, "127.0.0.1");
    let issuer = Issuer::new(ca, ca_key);
    let server_certificate = server.signed_by(&server_key, &issuer).expect("the server certificate");

    Pki {
        ca_pem: ca_certificate.pem(),
        server_chain: vec![server_certificate.der().to_vec(), ca_certificate.der().to_vec()],
        server_key: server_key.serialize_der(),
    }
}

/// A builder for a client of `server`, without retries.
pub fn builder(server: &Server) -> ClerkBuilder {
    Clerk::builder()
        .bearer_auth("sk_test_tls")
        .server_url(server.url())
        .retries(RetryConfig::none())
}

/// A `reqwest::Client` as an application builds one for `http_client`: trusting `pki`'s
/// authority, and following no redirects.
pub fn application_client(pki: &Pki) -> reqwest::Client {
    let ca = reqwest::Certificate::from_pem(pki.ca_pem.as_bytes()).expect("PEM");
    reqwest::Client::builder()
        .tls_certs_only([ca])
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("the application's own client")
}

/// Deletes a phone number through `clerk`, over HTTPS, and checks that `server` got exactly
/// that request.
pub async fn delete_over_https(clerk: &Clerk, server: &Server) {
    let deleted = clerk
        .phone_numbers()
        .delete("phone_1")
        .await
        .expect("the call over HTTPS");
    assert!(deleted.deleted);
    assert_eq!(server.requests(), ["DELETE /v1/phone_numbers/phone_1"]);
}

/// A running HTTPS server.
pub struct Server {
    /// Where it listens, on loopback.
    pub address: SocketAddr,
    /// Each request's method and path, in order.
    pub requests: Arc<Mutex<Vec<String>>>,
    /// Each connection's negotiated cipher suite, in order.
    pub cipher_suites: Arc<Mutex<Vec<String>>>,
    /// How many connections were accepted, handshake or not.
    pub connections: Arc<AtomicUsize>,
}

impl Server {
    /// The server URL to give the SDK.
    pub fn url(&self) -> String {
        format!("https://{}/v1", self.address)
    }

    /// The requests received so far.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().expect("not poisoned").clone()
    }

    /// How many connections were accepted so far, handshake or not.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// The cipher suites of the connections so far.
    pub fn cipher_suites(&self) -> Vec<String> {
        self.cipher_suites.lock().expect("not poisoned").clone()
    }
}

/// Serves HTTPS with `pki`'s server certificate until the runtime ends; every request gets
/// [`DELETED`]. The server's TLS uses *ring* explicitly, so it installs nothing process-wide.
pub async fn serve(pki: &Pki) -> Server {
    let chain = pki.server_chain.iter().map(|der| der.clone().into()).collect();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(pki.server_key.clone()));
    let mut config = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .expect("the server certificate");
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let address = listener.local_addr().expect("address");
    let (requests, cipher_suites) = (Arc::new(Mutex::new(Vec::new())), Arc::new(Mutex::new(Vec::new())));
    let (seen, suites) = (requests.clone(), cipher_suites.clone());
    let connections = Arc::new(AtomicUsize::new(0));
    let accepted = connections.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            accepted.fetch_add(1, Ordering::SeqCst);
            let acceptor = acceptor.clone();
            let (seen, suites) = (seen.clone(), suites.clone());
            tokio::spawn(async move {
                // A client that rejects the certificate ends the handshake: nothing to serve.
                let Ok(stream) = acceptor.accept(stream).await else {
                    return;
                };
                let suite = stream.get_ref().1.negotiated_cipher_suite();
                suites
                    .lock()
                    .expect("not poisoned")
                    .push(format!("{:?}", suite.map(|s| s.suite())));
                let service = service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                    seen.lock()
                        .expect("not poisoned")
                        .push(format!("{} {}", request.method(), request.uri().path()));
                    async {
                        let response = hyper::Response::builder()
                            .header("content-type", "application/json")
                            .body(Full::new(Bytes::from_static(DELETED.as_bytes())))
                            .expect("a response");
                        Ok::<_, Infallible>(response)
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    Server {
        address,
        requests,
        cipher_suites,
        connections,
    }
}
