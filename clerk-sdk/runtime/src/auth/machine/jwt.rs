//! M2M and OAuth access tokens in JWT form, verified locally: the signature with the keys that
//! verify session tokens (the same cache, or the PEM key of networkless mode), then the claims,
//! as `@clerk/backend`'s `verifyMachineJwt.ts` checks them.

use std::time::{Duration, UNIX_EPOCH};

use serde_json::{Map, Value};

use super::MachineClaims;
use crate::auth::AuthError;
use crate::auth::claims::{ClaimRules, Times};
use crate::auth::kind::{MACHINE_SUBJECT_PREFIX, OAUTH_JWT_TYPES, TokenFormat, TokenKind};

/// The `cat` header of a session token (and a handshake token), as Clerk stamps it.
pub(crate) const SESSION_CATEGORY: &str = "cl_B7d4PD111AAA";
/// The `cat` header of an M2M token.
pub(crate) const M2M_CATEGORY: &str = "cl_B7d4PD333AAA";
/// The `cat` an instance stamps on every class of JWT when it opts out of categories: it says
/// nothing of the class.
pub(crate) const IGNORED_CATEGORY: &str = "cl_I7d4PD111III";

/// The claims a machine JWT has that [`MachineClaims`] types; the others are its `claims`.
const REGISTERED: &[&str] = &[
    "iss",
    "sub",
    "aud",
    "exp",
    "nbf",
    "iat",
    "jti",
    "azp",
    "scope",
    "scopes",
    "scp",
    "client_id",
];

/// Whether a session token's `cat` header allows it to be one: absent (tokens minted before
/// categories), the session category, or the category that says nothing.
pub(crate) fn is_session_category(cat: Option<&str>) -> bool {
    cat.is_none_or(|cat| cat == SESSION_CATEGORY || cat == IGNORED_CATEGORY)
}

/// Checks the header of an M2M JWT: its `typ` (`JWT` or none) and its `cat` (the M2M one, or
/// none, for tokens minted before categories).
pub(crate) fn check_m2m_header(typ: Option<&str>, cat: Option<&str>) -> Result<(), AuthError> {
    if let Some(typ) = typ
        && !typ.eq_ignore_ascii_case("JWT")
    {
        return Err(AuthError::InvalidType { typ: typ.to_owned() });
    }
    match cat {
        Some(cat) if cat != M2M_CATEGORY => Err(AuthError::InvalidCategory {
            kind: TokenKind::M2mToken,
            cat: cat.to_owned(),
        }),
        _ => Ok(()),
    }
}

/// Checks the header of an OAuth JWT: its `typ` must be `at+jwt` (RFC 9068).
pub(crate) fn check_oauth_header(typ: Option<&str>) -> Result<(), AuthError> {
    match typ {
        Some(typ) if OAUTH_JWT_TYPES.iter().any(|oauth| typ.eq_ignore_ascii_case(oauth)) => Ok(()),
        other => Err(AuthError::InvalidType {
            typ: other.unwrap_or_default().to_owned(),
        }),
    }
}

/// The claims of a machine JWT of `kind` whose signature verified, checked: a `sub` (a
/// machine's for M2M), the time claims with the skew allowed, and for OAuth the audience
/// when any is configured.
pub(crate) fn claims_of(
    kind: TokenKind,
    raw: Map<String, Value>,
    rules: &ClaimRules<'_>,
    audience: &[String],
) -> Result<MachineClaims, AuthError> {
    let text = |claim: &str| raw.get(claim).and_then(Value::as_str).map(str::to_owned);
    let subject = text("sub")
        .filter(|sub| !sub.is_empty())
        .ok_or(AuthError::MissingClaim { claim: "sub" })?;
    if kind == TokenKind::M2mToken && !subject.starts_with(MACHINE_SUBJECT_PREFIX) {
        return Err(AuthError::MissingClaim { claim: "sub" });
    }
    let times = Times::check(&raw, rules)?;
    if kind == TokenKind::OAuthToken {
        check_audience(raw.get("aud"), audience)?;
    }
    let scopes = match kind {
        TokenKind::OAuthToken => oauth_scopes(&raw),
        _ => m2m_scopes(&raw),
    };
    let claims = raw
        .iter()
        .filter(|(claim, _)| !REGISTERED.contains(&claim.as_str()))
        .map(|(claim, value)| (claim.clone(), value.clone()))
        .collect();
    Ok(MachineClaims {
        kind,
        format: TokenFormat::Jwt,
        id: text("jti"),
        subject,
        client_id: text("client_id"),
        name: None,
        scopes,
        claims,
        expires_at: u64::try_from(times.exp)
            .ok()
            .and_then(|exp| UNIX_EPOCH.checked_add(Duration::from_secs(exp))),
    })
}

/// An OAuth token's `aud` must name one of the configured audiences, when any are; a token
/// without `aud` is then refused.
fn check_audience(aud: Option<&Value>, audience: &[String]) -> Result<(), AuthError> {
    if audience.is_empty() {
        return Ok(());
    }
    let named: Vec<String> = match aud {
        Some(Value::String(one)) => vec![one.clone()],
        Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        _ => Vec::new(),
    };
    if named.iter().any(|aud| audience.contains(aud)) {
        Ok(())
    } else {
        Err(AuthError::InvalidAudience { aud: named })
    }
}

/// An OAuth token's scopes: `scp` (an array), else `scope` (space-separated).
fn oauth_scopes(raw: &Map<String, Value>) -> Vec<String> {
    match raw.get("scp") {
        Some(Value::Array(scopes)) => scopes.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        _ => split(raw.get("scope")),
    }
}

/// An M2M token's scopes: `scopes` (space-separated), else `aud` (the machines it may reach).
fn m2m_scopes(raw: &Map<String, Value>) -> Vec<String> {
    match (raw.get("scopes"), raw.get("aud")) {
        (Some(scopes), _) => split(Some(scopes)),
        (None, Some(Value::Array(aud))) => aud.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        (None, Some(Value::String(aud))) => vec![aud.clone()],
        _ => Vec::new(),
    }
}

/// The space-separated words of a text claim.
fn split(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_str)
        .map(|text| text.split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn categories_tell_session_tokens_from_machine_ones() {
        assert!(is_session_category(None));
        assert!(is_session_category(Some(SESSION_CATEGORY)));
        assert!(is_session_category(Some(IGNORED_CATEGORY)));
        assert!(!is_session_category(Some(M2M_CATEGORY)));
        assert!(check_m2m_header(None, None).is_ok());
        assert!(check_m2m_header(Some("JWT"), Some(M2M_CATEGORY)).is_ok());
        assert_eq!(
            check_m2m_header(Some("JWT"), Some(SESSION_CATEGORY)),
            Err(AuthError::InvalidCategory {
                kind: TokenKind::M2mToken,
                cat: SESSION_CATEGORY.to_owned()
            })
        );
        assert!(check_oauth_header(Some("application/at+jwt")).is_ok());
        assert_eq!(
            check_oauth_header(Some("JWT")),
            Err(AuthError::InvalidType { typ: "JWT".to_owned() })
        );
    }

    #[test]
    fn the_audience_is_checked_only_when_configured_and_then_required() {
        let configured = ["https://api.example.com".to_owned()];
        assert!(check_audience(None, &[]).is_ok());
        assert!(check_audience(Some(&json!("https://api.example.com")), &configured).is_ok());
        assert!(check_audience(Some(&json!(["x", "https://api.example.com"])), &configured).is_ok());
        assert_eq!(
            check_audience(Some(&json!("https://other.example.com")), &configured),
            Err(AuthError::InvalidAudience {
                aud: vec!["https://other.example.com".to_owned()]
            })
        );
        assert_eq!(
            check_audience(None, &configured),
            Err(AuthError::InvalidAudience { aud: Vec::new() })
        );
    }

    #[test]
    fn scopes_come_from_each_kind_of_claim() {
        let raw = |value: Value| value.as_object().cloned().expect("an object");
        assert_eq!(oauth_scopes(&raw(json!({"scp": ["read", "write"]}))), ["read", "write"]);
        assert_eq!(oauth_scopes(&raw(json!({"scope": "read  write"}))), ["read", "write"]);
        assert_eq!(m2m_scopes(&raw(json!({"scopes": "mch_1 mch_2"}))), ["mch_1", "mch_2"]);
        assert_eq!(m2m_scopes(&raw(json!({"aud": ["mch_3"]}))), ["mch_3"]);
        assert!(m2m_scopes(&raw(json!({}))).is_empty());
    }
}
