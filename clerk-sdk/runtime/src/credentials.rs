//! Credentials: what the builder is given for each security scheme, how each is sent, and which
//! of an operation's alternatives a call sends.
//!
//! Every credential is a secret: it is kept in a [`SecretString`] or a sensitive header value,
//! printed as `[redacted]`, and never put in an error or a log line.

use base64::Engine as _;
use reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};

use crate::api::{KeyLocation, SchemeKind, SecurityScheme};

/// A credential for one security scheme, as the builder is given it.
pub enum Credential {
    /// A bearer token or an API key.
    Token(SecretString),
    /// A user name and password for HTTP Basic authentication.
    Basic {
        /// The user name (for OAuth client credentials, the client id).
        user: String,
        /// The password (for OAuth client credentials, the client secret).
        password: SecretString,
    },
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credential::Token(_) => f.write_str("Token([redacted])"),
            Credential::Basic { .. } => f.write_str("Basic([redacted])"),
        }
    }
}

/// A credential ready to be sent.
#[derive(Clone)]
pub(crate) enum Sendable {
    /// A header, marked sensitive.
    Header(HeaderName, HeaderValue),
    /// A query parameter.
    Query(&'static str, SecretString),
    /// A cookie.
    Cookie(&'static str, SecretString),
}

impl Sendable {
    /// What is sent, as bytes: for telling instances apart, never for printing.
    pub(crate) fn secret_bytes(&self) -> &[u8] {
        match self {
            Sendable::Header(_, value) => value.as_bytes(),
            Sendable::Query(_, secret) | Sendable::Cookie(_, secret) => secret.expose_secret().as_bytes(),
        }
    }
}

/// Checks a credential against its scheme and puts it in the form it is sent in. The error
/// names the scheme and never contains the credential.
pub(crate) fn prepare(scheme: &SecurityScheme, credential: Credential) -> Result<Sendable, String> {
    let name = scheme.name;
    match (scheme.kind, credential) {
        (SchemeKind::Bearer, Credential::Token(token)) => {
            let token = non_empty(name, token.expose_secret())?;
            header(name, AUTHORIZATION, &format!("Bearer {token}"))
        }
        (SchemeKind::Basic, Credential::Basic { user, password }) => {
            if user.contains(':') {
                return Err(format!(
                    "the user name for `{name}` contains `:`, which Basic authentication cannot carry"
                ));
            }
            let pair = format!("{user}:{}", password.expose_secret());
            let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
            header(name, AUTHORIZATION, &format!("Basic {encoded}"))
        }
        (
            SchemeKind::ApiKey {
                location,
                name: key_name,
            },
            Credential::Token(key),
        ) => {
            let value = non_empty(name, key.expose_secret())?;
            match location {
                KeyLocation::Header => {
                    let header_name = HeaderName::try_from(key_name)
                        .map_err(|_| format!("`{key_name}`, the header of `{name}`, is not a valid header name"))?;
                    header(name, header_name, value)
                }
                KeyLocation::Query => Ok(Sendable::Query(key_name, SecretString::from(value))),
                KeyLocation::Cookie => {
                    if !is_cookie_value(value) {
                        return Err(format!(
                            "the credential for `{name}` contains characters a cookie cannot carry"
                        ));
                    }
                    Ok(Sendable::Cookie(key_name, SecretString::from(value)))
                }
            }
        }
        (SchemeKind::Basic, Credential::Token(_)) => Err(format!("`{name}` takes a user name and a password")),
        (_, Credential::Basic { .. }) => Err(format!("`{name}` takes a single token, not a user name and password")),
    }
}

fn non_empty<'a>(scheme: &str, value: &'a str) -> Result<&'a str, String> {
    let value = value.trim();
    if value.is_empty() {
        Err(format!("the credential for `{scheme}` is empty"))
    } else {
        Ok(value)
    }
}

fn header(scheme: &str, name: HeaderName, value: &str) -> Result<Sendable, String> {
    let mut value = HeaderValue::from_str(value).map_err(|_| {
        format!("the credential for `{scheme}` contains characters that cannot be sent in an HTTP header")
    })?;
    value.set_sensitive(true);
    Ok(Sendable::Header(name, value))
}

/// Whether `value` may be a cookie's value as it is: RFC 6265's `cookie-octet`s, that is
/// visible ASCII except `"`, `,`, `;` and `\`.
pub(crate) fn is_cookie_value(value: &str) -> bool {
    value
        .bytes()
        .all(|byte| matches!(byte, 0x21 | 0x23..=0x2B | 0x2D..=0x3A | 0x3C..=0x5B | 0x5D..=0x7E))
}

/// Which alternative of an operation's security requirements a call sends, given which schemes
/// have a credential: the first alternative, in spec order, that needs at least one scheme and
/// has all of them configured. An empty alternative (`{}`, authentication optional) is used only
/// when no other can be met, and an operation with no alternatives (`security: []`) sends none.
/// `None` means no alternative can be met.
pub(crate) fn choose<'a>(alternatives: &[&'a [usize]], configured: impl Fn(usize) -> bool) -> Option<&'a [usize]> {
    if alternatives.is_empty() {
        return Some(&[]);
    }
    alternatives
        .iter()
        .find(|schemes| !schemes.is_empty() && schemes.iter().all(|&index| configured(index)))
        .or_else(|| alternatives.iter().find(|schemes| schemes.is_empty()))
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::tests::SCHEMES;

    fn token(value: &str) -> Credential {
        Credential::Token(SecretString::from(value.to_owned()))
    }

    fn header_of(sendable: Sendable) -> (HeaderName, HeaderValue) {
        match sendable {
            Sendable::Header(name, value) => (name, value),
            _ => panic!("not a header"),
        }
    }

    #[test]
    fn each_kind_is_sent_its_own_way() {
        let (name, value) = header_of(prepare(&SCHEMES[0], token(" sk_test_1 ")).expect("bearer"));
        assert_eq!(
            (name.as_str(), value.to_str().expect("ascii")),
            ("authorization", "Bearer sk_test_1")
        );
        assert!(value.is_sensitive());

        let basic = Credential::Basic {
            user: "client_id".to_owned(),
            password: SecretString::from("s3cret".to_owned()),
        };
        let (_, value) = header_of(prepare(&SCHEMES[1], basic).expect("basic"));
        // base64("client_id:s3cret")
        assert_eq!(value, "Basic Y2xpZW50X2lkOnMzY3JldA==");

        match prepare(&SCHEMES[2], token("dvb_1")).expect("query") {
            Sendable::Query(name, value) => assert_eq!((name, value.expose_secret()), ("__dev_session", "dvb_1")),
            _ => panic!("not a query parameter"),
        }
        match prepare(&SCHEMES[3], token("client_1")).expect("cookie") {
            Sendable::Cookie(name, value) => assert_eq!((name, value.expose_secret()), ("__client", "client_1")),
            _ => panic!("not a cookie"),
        }
        let (name, value) = header_of(prepare(&SCHEMES[4], token("key_1")).expect("header key"));
        assert_eq!((name.as_str(), value.to_str().expect("ascii")), ("x-api-key", "key_1"));
    }

    #[test]
    fn bad_credentials_are_refused_without_echoing_them() {
        let cases = [
            (
                prepare(&SCHEMES[0], token("  ")),
                "the credential for `bearerAuth` is empty",
            ),
            (
                prepare(&SCHEMES[0], token("sk_secret\nx")),
                "the credential for `bearerAuth` contains characters that cannot be sent in an HTTP header",
            ),
            (
                prepare(&SCHEMES[3], token("sk_secret;x")),
                "the credential for `Browser` contains characters a cookie cannot carry",
            ),
            (
                prepare(&SCHEMES[1], token("sk_secret")),
                "`ClientCredentials` takes a user name and a password",
            ),
            (
                prepare(
                    &SCHEMES[1],
                    Credential::Basic {
                        user: "a:b".to_owned(),
                        password: SecretString::from("sk_secret".to_owned()),
                    },
                ),
                "the user name for `ClientCredentials` contains `:`, which Basic authentication cannot carry",
            ),
        ];
        for (result, expected) in cases {
            let Err(message) = result else {
                panic!("accepted: {expected}")
            };
            assert_eq!(message, expected);
            assert!(!message.contains("sk_secret"));
        }
        assert_eq!(format!("{:?}", token("sk_secret")), "Token([redacted])");
    }

    #[test]
    fn the_first_alternative_that_can_be_met_is_chosen() {
        let configured = |set: &'static [usize]| move |index: usize| set.contains(&index);
        // `security: []` and no requirement at all send nothing.
        assert_eq!(choose(&[], configured(&[0])), Some(&[][..]));
        // Spec order decides between two that can be met.
        assert_eq!(choose(&[&[2], &[0]], configured(&[0, 2])), Some(&[2][..]));
        // An AND pair needs both.
        assert_eq!(choose(&[&[0, 2], &[3]], configured(&[0, 3])), Some(&[3][..]));
        assert_eq!(choose(&[&[0, 2], &[3]], configured(&[0, 2])), Some(&[0, 2][..]));
        // `{}` makes authentication optional: used only when nothing else can be met.
        assert_eq!(choose(&[&[], &[2]], configured(&[2])), Some(&[2][..]));
        assert_eq!(choose(&[&[], &[2]], configured(&[])), Some(&[][..]));
        // Nothing can be met.
        assert_eq!(choose(&[&[0, 2], &[3]], configured(&[0])), None);
    }

    #[test]
    fn cookie_values_are_cookie_octets() {
        assert!(is_cookie_value("abc-123_=./+"));
        for bad in ["a b", "a;b", "a,b", "a\"b", "a\\b", "é", "a\u{7f}"] {
            assert!(!is_cookie_value(bad), "{bad}");
        }
    }
}
