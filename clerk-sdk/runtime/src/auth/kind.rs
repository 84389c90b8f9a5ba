//! The four kinds of Clerk credential, told apart as `@clerk/backend` tells them apart
//! (`tokens/machine.ts`), and the kinds an endpoint accepts.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

use super::AuthError;

/// The prefix of an opaque M2M token.
pub const M2M_TOKEN_PREFIX: &str = "mt_";
/// The prefix of an opaque OAuth access token.
pub const OAUTH_TOKEN_PREFIX: &str = "oat_";
/// The prefix of an API key.
pub const API_KEY_PREFIX: &str = "ak_";
/// The prefix of a machine's id: the `sub` of an M2M token in JWT form.
pub const MACHINE_SUBJECT_PREFIX: &str = "mch_";
/// The `typ` values of an OAuth access token in JWT form (RFC 9068 §2.1).
pub const OAUTH_JWT_TYPES: [&str; 2] = ["at+jwt", "application/at+jwt"];

/// A kind of Clerk credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum TokenKind {
    /// A session token: a JWT a signed-in user's browser or app sends.
    Session,
    /// An API key (`ak_…`), opaque, verified by the Backend API.
    ApiKey,
    /// A machine-to-machine token: opaque (`mt_…`), verified by the Backend API, or a JWT whose
    /// `sub` is a machine (`mch_…`), verified with the instance's keys.
    M2mToken,
    /// An OAuth access token: opaque (`oat_…`), verified by the Backend API, or a JWT of type
    /// `at+jwt`, verified with the instance's keys.
    OAuthToken,
}

impl TokenKind {
    /// Every kind, in this order.
    pub const ALL: [TokenKind; 4] = [
        TokenKind::Session,
        TokenKind::ApiKey,
        TokenKind::M2mToken,
        TokenKind::OAuthToken,
    ];

    /// The kind as `@clerk/backend` names it: `session_token`, `api_key`, `m2m_token`,
    /// `oauth_token`.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenKind::Session => "session_token",
            TokenKind::ApiKey => "api_key",
            TokenKind::M2mToken => "m2m_token",
            TokenKind::OAuthToken => "oauth_token",
        }
    }

    fn bit(self) -> u8 {
        match self {
            TokenKind::Session => 1,
            TokenKind::ApiKey => 2,
            TokenKind::M2mToken => 4,
            TokenKind::OAuthToken => 8,
        }
    }
}

impl std::fmt::Display for TokenKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kinds of token an endpoint accepts (`acceptsToken` in `@clerk/backend`): a token of
/// another kind is refused with [`AuthError::TokenKindNotAccepted`](super::AuthError::TokenKindNotAccepted)
/// before anything verifies it, and costs no Backend API call.
///
/// ```
/// use clerk_sdk::auth::{Accepts, TokenKind};
///
/// let machines = Accepts::only(TokenKind::ApiKey).and(TokenKind::M2mToken);
/// assert!(machines.accepts(TokenKind::ApiKey));
/// assert!(!machines.accepts(TokenKind::Session));
/// assert!(Accepts::any().accepts(TokenKind::OAuthToken));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Accepts(u8);

impl Accepts {
    /// Session tokens only: the default of the tower layer and of
    /// [`Authenticator::authenticate`](super::Authenticator::authenticate).
    pub const SESSION: Accepts = Accepts(1);

    /// Every kind: session tokens, API keys, M2M and OAuth tokens.
    pub fn any() -> Accepts {
        Accepts(0b1111)
    }

    /// `kind` alone.
    pub fn only(kind: TokenKind) -> Accepts {
        Accepts(kind.bit())
    }

    /// These kinds and `kind`.
    #[must_use]
    pub fn and(self, kind: TokenKind) -> Accepts {
        Accepts(self.0 | kind.bit())
    }

    /// Whether a token of `kind` is accepted.
    pub fn accepts(self, kind: TokenKind) -> bool {
        self.0 & kind.bit() != 0
    }

    /// The kinds accepted, in [`TokenKind::ALL`]'s order.
    pub fn kinds(self) -> impl Iterator<Item = TokenKind> {
        TokenKind::ALL.into_iter().filter(move |kind| self.accepts(*kind))
    }
}

impl From<TokenKind> for Accepts {
    fn from(kind: TokenKind) -> Accepts {
        Accepts::only(kind)
    }
}

impl<const N: usize> From<[TokenKind; N]> for Accepts {
    fn from(kinds: [TokenKind; N]) -> Accepts {
        Accepts(kinds.iter().fold(0, |bits, kind| bits | kind.bit()))
    }
}

impl std::fmt::Debug for Accepts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.kinds()).finish()
    }
}

impl std::fmt::Display for Accepts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.kinds().map(TokenKind::as_str).collect();
        match names.as_slice() {
            [] => f.write_str("no kind"),
            names => f.write_str(&names.join(", ")),
        }
    }
}

/// How a token is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenFormat {
    /// An opaque string the Backend API verifies.
    Opaque,
    /// A JWT verified with the instance's keys.
    Jwt,
}

/// The header of a JWT, as far as the checks before the signature read it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub(crate) struct JwtHeader {
    pub(crate) alg: String,
    pub(crate) kid: Option<String>,
    pub(crate) typ: Option<String>,
    pub(crate) cat: Option<String>,
}

/// A JWT decoded once, not verified: its header, its claims, and the signed message and
/// signature to verify.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Jwt<'a> {
    pub(crate) header: JwtHeader,
    pub(crate) claims: Map<String, Value>,
    /// `header.payload`, as it came: what the signature signs.
    pub(crate) message: &'a str,
    /// The signature, base64url.
    pub(crate) signature: &'a str,
}

/// What a token says it is, read without verifying anything, and the JWT it is if it is one.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Classified<'a> {
    pub(crate) kind: TokenKind,
    pub(crate) format: TokenFormat,
    /// The decoded JWT, or why the token is not one.
    pub(crate) jwt: Result<Jwt<'a>, AuthError>,
}

/// Decodes `token` as a JWT: three base64url parts, a header with `alg` and a payload that is a
/// JSON object.
pub(crate) fn decode(token: &str) -> Result<Jwt<'_>, AuthError> {
    let malformed = AuthError::Malformed;
    let (message, signature) = token
        .rsplit_once('.')
        .ok_or(malformed("not three dot-separated parts"))?;
    let (header, payload) = message
        .split_once('.')
        .ok_or(malformed("not three dot-separated parts"))?;
    if payload.contains('.') {
        return Err(malformed("not three dot-separated parts"));
    }
    let header = URL_SAFE_NO_PAD
        .decode(header)
        .map_err(|_| malformed("the header is not base64url"))?;
    let header: JwtHeader =
        serde_json::from_slice(&header).map_err(|_| malformed("the header is not a JSON object with `alg`"))?;
    let claims = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|_| malformed("the payload is not base64url"))?;
    let claims = serde_json::from_slice(&claims).map_err(|_| malformed("the payload is not a JSON object"))?;
    Ok(Jwt {
        header,
        claims,
        message,
        signature,
    })
}

/// The kind of `token`, in `@clerk/backend`'s order (`getMachineTokenType`): an M2M token by
/// prefix or by a JWT whose `sub` is a machine's, an OAuth token by prefix or by a JWT of type
/// `at+jwt`, an API key by prefix; anything else is taken for a session token, whose checks then
/// say what is wrong with it.
pub(crate) fn classify(token: &str) -> Classified<'_> {
    let opaque = |kind| Classified {
        kind,
        format: TokenFormat::Opaque,
        jwt: Err(AuthError::Malformed("an opaque token")),
    };
    if token.starts_with(M2M_TOKEN_PREFIX) {
        return opaque(TokenKind::M2mToken);
    }
    if token.starts_with(OAUTH_TOKEN_PREFIX) {
        return opaque(TokenKind::OAuthToken);
    }
    if token.starts_with(API_KEY_PREFIX) {
        return opaque(TokenKind::ApiKey);
    }
    let jwt = decode(token);
    let kind = match &jwt {
        Ok(jwt) if is_machine_subject(&jwt.claims) => TokenKind::M2mToken,
        Ok(jwt) if is_oauth_type(jwt.header.typ.as_deref()) => TokenKind::OAuthToken,
        _ => TokenKind::Session,
    };
    Classified {
        kind,
        format: TokenFormat::Jwt,
        jwt,
    }
}

/// Whether the claims' `sub` is a machine's.
fn is_machine_subject(claims: &Map<String, Value>) -> bool {
    let sub = claims.get("sub").and_then(Value::as_str);
    sub.is_some_and(|sub| sub.starts_with(MACHINE_SUBJECT_PREFIX))
}

/// Whether `typ` is an OAuth access token's.
fn is_oauth_type(typ: Option<&str>) -> bool {
    typ.is_some_and(|typ| OAUTH_JWT_TYPES.iter().any(|oauth| typ.eq_ignore_ascii_case(oauth)))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn jwt(header: Value, payload: Value) -> String {
        let part = |value: &Value| URL_SAFE_NO_PAD.encode(value.to_string());
        format!("{}.{}.c2ln", part(&header), part(&payload))
    }

    #[test]
    fn tokens_are_told_apart_as_clerk_tells_them_apart() {
        let cases = [
            ("mt_0123", TokenKind::M2mToken, TokenFormat::Opaque),
            ("oat_0123", TokenKind::OAuthToken, TokenFormat::Opaque),
            ("ak_0123", TokenKind::ApiKey, TokenFormat::Opaque),
            ("not a token", TokenKind::Session, TokenFormat::Jwt),
        ];
        for (token, kind, format) in cases {
            let classified = classify(token);
            assert_eq!((classified.kind, classified.format), (kind, format), "{token}");
        }
        let session = jwt(json!({"alg": "RS256", "typ": "JWT"}), json!({"sub": "user_1"}));
        assert_eq!(classify(&session).kind, TokenKind::Session);
        let m2m = jwt(json!({"alg": "RS256", "typ": "JWT"}), json!({"sub": "mch_1"}));
        let classified = classify(&m2m);
        assert_eq!(
            (classified.kind, classified.format),
            (TokenKind::M2mToken, TokenFormat::Jwt)
        );
        assert_eq!(classified.jwt.map(|jwt| jwt.header.alg), Ok("RS256".to_owned()));
        for typ in ["at+jwt", "application/at+jwt", "AT+JWT"] {
            let oauth = jwt(json!({"alg": "RS256", "typ": typ}), json!({"sub": "user_1"}));
            assert_eq!(classify(&oauth).kind, TokenKind::OAuthToken, "{typ}");
        }
        // A machine subject wins over the OAuth type, as in `@clerk/backend`.
        let both = jwt(json!({"alg": "RS256", "typ": "at+jwt"}), json!({"sub": "mch_1"}));
        assert_eq!(classify(&both).kind, TokenKind::M2mToken);
    }

    #[test]
    fn accepts_is_a_set_of_kinds() {
        let accepts = Accepts::from([TokenKind::ApiKey, TokenKind::OAuthToken]);
        assert_eq!(
            accepts.kinds().collect::<Vec<_>>(),
            [TokenKind::ApiKey, TokenKind::OAuthToken]
        );
        assert_eq!(accepts.to_string(), "api_key, oauth_token");
        assert_eq!(format!("{accepts:?}"), "{ApiKey, OAuthToken}");
        assert!(!accepts.accepts(TokenKind::Session));
        assert_eq!(
            Accepts::SESSION.and(TokenKind::ApiKey),
            Accepts::from([TokenKind::Session, TokenKind::ApiKey])
        );
        assert_eq!(Accepts::any().kinds().count(), 4);
    }
}
