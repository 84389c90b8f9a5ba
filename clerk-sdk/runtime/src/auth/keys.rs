//! The public keys session tokens are verified with: the instance's JSON Web Key Set, or one
//! PEM key given in the configuration.

use std::collections::BTreeMap;
use std::str::FromStr;
use std::sync::Arc;

use jsonwebtoken::{Algorithm, DecodingKey};
use rustls_pki_types::SubjectPublicKeyInfoDer;
use rustls_pki_types::pem::PemObject;
use spki::der::asn1::UintRef;
use spki::der::{Decode, Reader, SliceReader};
use spki::{ObjectIdentifier, SubjectPublicKeyInfoRef};

use super::error::AuthError;

/// `rsaEncryption`, the algorithm of an RSA key's SubjectPublicKeyInfo.
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");

/// One key of an instance's JSON Web Key Set, as [`FetchJwks`](super::FetchJwks) gives it.
/// Only RSA keys (`kty: RSA`) verify session tokens; the others are skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Jwk {
    /// The key's id, which a token's `kid` names.
    pub kid: String,
    /// The key type: `RSA` for the keys that sign session tokens.
    pub kty: String,
    /// The algorithm the key is for (`RS256`), if the set says.
    pub alg: Option<String>,
    /// The modulus, base64url.
    pub n: String,
    /// The public exponent, base64url.
    pub e: String,
}

impl Jwk {
    /// An RSA key from its id, modulus and exponent (both base64url, as a JWKS writes them).
    pub fn rsa(kid: impl Into<String>, n: impl Into<String>, e: impl Into<String>) -> Self {
        Jwk {
            kid: kid.into(),
            kty: "RSA".to_owned(),
            alg: None,
            n: n.into(),
            e: e.into(),
        }
    }

    /// Sets the algorithm the key is for.
    #[must_use]
    pub fn alg(mut self, alg: impl Into<String>) -> Self {
        self.alg = Some(alg.into());
        self
    }

    /// Sets the key type, as the set writes it (`RSA` by default).
    #[must_use]
    pub fn kty(mut self, kty: impl Into<String>) -> Self {
        self.kty = kty.into();
        self
    }
}

/// A key ready to verify with, and the algorithm it is for, if it says.
pub(crate) struct PublicKey {
    pub(crate) key: DecodingKey,
    pub(crate) alg: Option<String>,
}

/// The usable keys of a JWKS, by `kid`.
#[derive(Default)]
pub(crate) struct KeySet {
    keys: BTreeMap<String, Arc<PublicKey>>,
}

impl KeySet {
    /// The RSA keys of a JWKS. A key that is not RSA, or whose numbers do not decode, is
    /// skipped (and logged): one bad key must not stop the others from verifying.
    pub(crate) fn from_jwks(jwks: &[Jwk]) -> KeySet {
        let mut keys = BTreeMap::new();
        for jwk in jwks {
            if jwk.kty != "RSA" {
                continue;
            }
            match DecodingKey::from_rsa_components(&jwk.n, &jwk.e) {
                Ok(key) => {
                    let key = PublicKey {
                        key,
                        alg: jwk.alg.clone(),
                    };
                    keys.insert(jwk.kid.clone(), Arc::new(key));
                }
                Err(_) => {
                    tracing::warn!(target: "clerk_sdk::auth", kid = %jwk.kid, "a key of the JWKS does not decode; skipped")
                }
            }
        }
        KeySet { keys }
    }

    pub(crate) fn get(&self, kid: &str) -> Option<Arc<PublicKey>> {
        self.keys.get(kid).cloned()
    }

    pub(crate) fn len(&self) -> usize {
        self.keys.len()
    }
}

/// A PEM public key (`-----BEGIN PUBLIC KEY-----`, an RSA SubjectPublicKeyInfo), as Clerk's
/// dashboard shows it under "JWT public key".
pub(crate) fn from_pem(pem: &str) -> Result<PublicKey, AuthError> {
    let invalid = |reason: &str| AuthError::InvalidKey {
        reason: reason.to_owned(),
    };
    let der = SubjectPublicKeyInfoDer::from_pem_slice(pem.trim().as_bytes())
        .map_err(|_| invalid("not a PEM `PUBLIC KEY` block"))?;
    let info = SubjectPublicKeyInfoRef::from_der(der.as_ref()).map_err(|_| invalid("not a SubjectPublicKeyInfo"))?;
    if info.algorithm.oid != RSA_ENCRYPTION {
        return Err(invalid("not an RSA key"));
    }
    let pkcs1 = info
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| invalid("the key's bit string is not whole bytes"))?;
    // `from_rsa_der` keeps the bytes as they are, and a malformed key would only fail each
    // verification as a bad signature; it is read here, so a bad key fails now, once.
    check_rsa_key(pkcs1)?;
    Ok(PublicKey {
        key: DecodingKey::from_rsa_der(pkcs1),
        alg: None,
    })
}

/// Whether `pkcs1` is an RSA public key *ring* accepts: a PKCS #1 `RSAPublicKey` (two
/// integers) whose modulus has 2048 to 8192 bits.
fn check_rsa_key(pkcs1: &[u8]) -> Result<(), AuthError> {
    let invalid = || AuthError::InvalidKey {
        reason: "not an RSA public key (PKCS #1)".to_owned(),
    };
    let modulus_len = SliceReader::new(pkcs1)
        .and_then(|mut reader| {
            let len = reader.sequence(|fields| {
                let modulus = UintRef::decode(fields)?;
                UintRef::decode(fields)?;
                Ok(modulus.as_bytes().len())
            })?;
            reader.finish(len)
        })
        .map_err(|_| invalid())?;
    let bits = modulus_len * 8;
    if !(2048..=8192).contains(&bits) {
        return Err(AuthError::InvalidKey {
            reason: format!("an RSA key of {bits} bits; 2048 to 8192 are accepted"),
        });
    }
    Ok(())
}

/// Whether `alg` is one of the algorithms session tokens may use, as jsonwebtoken names it.
pub(crate) fn allowed_algorithm(alg: &str) -> Option<Algorithm> {
    match alg {
        "RS256" | "RS384" | "RS512" => Algorithm::from_str(alg).ok(),
        _ => None,
    }
}
