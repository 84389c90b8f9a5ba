//! A verified session token's claims, typed, and the checks on them.
//!
//! Clerk's session tokens come in two versions: version 1 writes the active organization as
//! `org_id`, `org_slug`, `org_role` and `org_permissions`; version 2 (`"v": 2`) writes it as
//! one compact `o` claim (`id`, `slg`, `rol`, and permissions as bitmasks `fpm` over the
//! features of `fea` and the permissions of `o.per`). [`SessionClaims::org`] reads either into
//! one [`OrganizationClaims`].

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};

use super::error::AuthError;
use super::options::MissingAzp;

/// The claims every session token may have that are typed here; every other claim is
/// [`SessionClaims::custom`].
const DEFAULT_CLAIMS: &[&str] = &[
    "iss",
    "sub",
    "sid",
    "azp",
    "exp",
    "nbf",
    "iat",
    "jti",
    "act",
    "v",
    "o",
    "org_id",
    "org_slug",
    "org_role",
    "org_permissions",
    "fva",
    "fea",
    "pla",
    "sts",
];

/// The `sts` of a pending session.
const PENDING: &str = "pending";

/// The hosts of Clerk's Frontend APIs, which issue session tokens: `clerk.<your domain>` in
/// production, `<slug>.clerk.accounts.dev` in development (and Clerk's own staging hosts).
const CLERK_HOST_SUFFIXES: [&str; 3] = [".clerk.accounts.dev", ".clerkstage.dev", ".lclclerk.com"];

/// The claims of a verified session token.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SessionClaims {
    /// `sub`: the user's id (`user_…`).
    pub sub: String,
    /// `sid`: the session's id (`sess_…`), if the token has one.
    pub sid: Option<String>,
    /// `azp`: the authorized party, the origin the token was requested from.
    pub azp: Option<String>,
    /// `iss`: the Frontend API URL of the instance that issued the token.
    pub iss: String,
    /// `exp`, in seconds since the Unix epoch.
    pub exp: i64,
    /// `nbf`, in seconds since the Unix epoch.
    pub nbf: Option<i64>,
    /// `iat`, in seconds since the Unix epoch.
    pub iat: Option<i64>,
    /// The session token's version: `2` when the token says `"v": 2`, otherwise `1`.
    pub version: u32,
    /// `sts`: the session's status, when the token says (`active`, or `pending` for a session
    /// with a task still to do, accepted only with
    /// [`AuthOptions::accept_pending_sessions`](super::AuthOptions::accept_pending_sessions)).
    pub status: Option<String>,
    /// The active organization, from either version's claims.
    pub org: Option<OrganizationClaims>,
    /// `act`: who is acting as the user, when the session is an impersonation.
    pub act: Option<Actor>,
    /// The claims the instance's session token customization adds (and any other this type
    /// does not name), as they are.
    pub custom: Map<String, Value>,
    /// Every claim, as the token has it.
    raw: Map<String, Value>,
}

/// The active organization of a session.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct OrganizationClaims {
    /// The organization's id (`org_…`).
    pub id: String,
    /// Its slug.
    pub slug: Option<String>,
    /// The user's role in it, as version 1 writes it (`org:admin`); a version 2 `rol` gets
    /// the same `org:` prefix.
    pub role: Option<String>,
    /// The user's permissions in it (`org:dashboard:read`): version 1's `org_permissions`, or
    /// those version 2's `fpm` bitmasks grant.
    pub permissions: Vec<String>,
}

/// `act`: the actor of an impersonation session.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Actor {
    /// The actor's id.
    pub sub: String,
    /// The actor claim's other members (`iss`, `sid`, …).
    pub other: Map<String, Value>,
}

/// What the claims are checked against.
#[derive(Debug, Clone)]
pub(crate) struct ClaimRules<'a> {
    /// The time the claims are checked at, at the clock's full precision.
    pub(crate) now: SystemTime,
    pub(crate) skew: Duration,
    pub(crate) issuer: Option<&'a str>,
    pub(crate) authorized_parties: &'a [String],
    /// What a token without `azp` gets, on the carrier this one came by.
    pub(crate) missing_azp: MissingAzp,
    pub(crate) accept_pending: bool,
}

impl SessionClaims {
    /// A claim as the token has it, typed here or not (`fva`, `pla`, …).
    pub fn get(&self, claim: &str) -> Option<&Value> {
        self.raw.get(claim)
    }

    /// Whether the session is pending (`sts: "pending"`): signed in, with a task such as
    /// choosing an organization still to do.
    pub fn is_pending(&self) -> bool {
        self.status.as_deref() == Some(PENDING)
    }

    /// Types the claims of a token whose signature verified, and checks them in
    /// `@clerk/backend`'s order: `sub`, the issuer, the authorized party, then `exp`, `nbf`
    /// and `iat` with the clock skew allowed.
    pub(crate) fn check(raw: Map<String, Value>, rules: &ClaimRules<'_>) -> Result<SessionClaims, AuthError> {
        let text = |claim: &str| raw.get(claim).and_then(Value::as_str).map(str::to_owned);
        let sub = text("sub")
            .filter(|sub| !sub.is_empty())
            .ok_or(AuthError::MissingClaim { claim: "sub" })?;
        let iss = text("iss").ok_or(AuthError::MissingClaim { claim: "iss" })?;
        let issuer_ok = match rules.issuer {
            Some(issuer) => iss == issuer,
            None => is_clerk_issuer(&iss),
        };
        if !issuer_ok {
            return Err(AuthError::InvalidIssuer { iss });
        }
        let azp = text("azp");
        let azp_ok = match &azp {
            _ if rules.authorized_parties.is_empty() => true,
            Some(azp) => rules.authorized_parties.contains(azp),
            None => rules.missing_azp == MissingAzp::Accept,
        };
        if !azp_ok {
            return Err(AuthError::InvalidAuthorizedParty { azp });
        }
        let times = Times::check(&raw, rules)?;
        let status = text("sts");
        if status.as_deref() == Some(PENDING) && !rules.accept_pending {
            return Err(AuthError::PendingSession);
        }
        let version = match raw.get("v").and_then(Value::as_u64) {
            Some(2) => 2,
            _ => 1,
        };
        let org = match version {
            2 => org_v2(&raw),
            _ => org_v1(&raw),
        };
        let act = raw.get("act").and_then(Value::as_object).and_then(actor);
        let custom = raw
            .iter()
            .filter(|(claim, _)| !DEFAULT_CLAIMS.contains(&claim.as_str()))
            .map(|(claim, value)| (claim.clone(), value.clone()))
            .collect();
        Ok(SessionClaims {
            sub,
            sid: text("sid"),
            azp,
            iss,
            exp: times.exp,
            nbf: times.nbf,
            iat: times.iat,
            version,
            status,
            org,
            act,
            custom,
            raw,
        })
    }
}

/// The time claims, checked.
pub(crate) struct Times {
    pub(crate) exp: i64,
    pub(crate) nbf: Option<i64>,
    pub(crate) iat: Option<i64>,
}

impl Times {
    /// The rules of RFC 7519 §4.1.4–4.1.6 widened by the skew, compared in nanoseconds, as
    /// `@clerk/backend` does in milliseconds: a token is good from `nbf - skew` (and
    /// `iat - skew`) up to, but not at, `exp + skew`.
    pub(crate) fn check(raw: &Map<String, Value>, rules: &ClaimRules<'_>) -> Result<Times, AuthError> {
        let now = unix_nanos(rules.now);
        let skew = i128::try_from(rules.skew.as_nanos()).unwrap_or(i128::MAX);
        let (at, skew_of) = (rules.now, rules.skew);
        let exp = timestamp(raw, "exp")?.ok_or(AuthError::MissingClaim { claim: "exp" })?;
        if now >= seconds_to_nanos(exp).saturating_add(skew) {
            return Err(AuthError::Expired {
                exp,
                now: at,
                skew: skew_of,
            });
        }
        let nbf = timestamp(raw, "nbf")?;
        if let Some(nbf) = nbf
            && now < seconds_to_nanos(nbf).saturating_sub(skew)
        {
            return Err(AuthError::NotActiveYet {
                nbf,
                now: at,
                skew: skew_of,
            });
        }
        let iat = timestamp(raw, "iat")?;
        if let Some(iat) = iat
            && now < seconds_to_nanos(iat).saturating_sub(skew)
        {
            return Err(AuthError::IssuedInTheFuture {
                iat,
                now: at,
                skew: skew_of,
            });
        }
        Ok(Times { exp, nbf, iat })
    }
}

/// A NumericDate in nanoseconds since the Unix epoch; exact for every `i64`.
fn seconds_to_nanos(seconds: i64) -> i128 {
    i128::from(seconds) * 1_000_000_000
}

/// Nanoseconds since the Unix epoch (negative before it); exact for every `SystemTime`.
fn unix_nanos(time: SystemTime) -> i128 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i128::try_from(after.as_nanos()).unwrap_or(i128::MAX),
        Err(before) => -i128::try_from(before.duration().as_nanos()).unwrap_or(i128::MAX),
    }
}

/// A NumericDate claim: whole seconds (a JSON integer, or a number with no fraction).
fn timestamp(raw: &Map<String, Value>, claim: &'static str) -> Result<Option<i64>, AuthError> {
    let Some(value) = raw.get(claim) else {
        return Ok(None);
    };
    let seconds = value.as_i64().or_else(|| {
        let float = value.as_f64()?;
        // Within i64's range and whole: the cast is exact.
        (float.fract() == 0.0 && float.abs() < 9.0e18).then_some(float as i64)
    });
    seconds.map(Some).ok_or(AuthError::MissingClaim { claim })
}

/// Whether `iss` is the Frontend API URL of a Clerk instance.
fn is_clerk_issuer(iss: &str) -> bool {
    let Some(rest) = iss.strip_prefix("https://") else {
        return false;
    };
    let host = rest.split('/').next().unwrap_or_default();
    host.starts_with("clerk.") && host.len() > "clerk.".len()
        || CLERK_HOST_SUFFIXES
            .iter()
            .any(|suffix| host.len() > suffix.len() && host.ends_with(suffix))
}

/// Version 1: `org_id`, `org_slug`, `org_role` and `org_permissions`.
fn org_v1(raw: &Map<String, Value>) -> Option<OrganizationClaims> {
    let text = |claim: &str| raw.get(claim).and_then(Value::as_str).map(str::to_owned);
    let permissions = raw
        .get("org_permissions")
        .and_then(Value::as_array)
        .map(|items| items.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default();
    Some(OrganizationClaims {
        id: text("org_id")?,
        slug: text("org_slug"),
        role: text("org_role"),
        permissions,
    })
}

/// Version 2: `o: {id, slg, rol, per, fpm}` and `fea`. The n-th number of `o.fpm` is a bitmask
/// over `o.per` (lowest bit first) for the n-th feature of `fea`; each set bit grants
/// `org:<feature>:<permission>` when the feature is scoped to organizations (`o:` or `uo:`).
fn org_v2(raw: &Map<String, Value>) -> Option<OrganizationClaims> {
    let o = raw.get("o")?.as_object()?;
    let text = |field: &str| o.get(field).and_then(Value::as_str).map(str::to_owned);
    let list = |value: Option<&Value>| -> Vec<String> {
        value
            .and_then(Value::as_str)
            .map(|text| {
                text.split(',')
                    .map(str::trim)
                    .filter(|item| !item.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    };
    let features = list(raw.get("fea"));
    let per = list(o.get("per"));
    let masks = list(o.get("fpm"));
    let mut permissions = Vec::new();
    for (feature, mask) in features.iter().zip(&masks) {
        let (scope, name) = feature.split_once(':').unwrap_or(("", feature));
        let Ok(mask) = mask.parse::<u64>() else { continue };
        if !scope.contains('o') {
            continue;
        }
        for (bit, permission) in per.iter().enumerate().take(64) {
            if mask >> bit & 1 == 1 {
                permissions.push(format!("org:{name}:{permission}"));
            }
        }
    }
    Some(OrganizationClaims {
        id: text("id")?,
        slug: text("slg"),
        role: text("rol").map(|role| match role.starts_with("org:") {
            true => role,
            false => format!("org:{role}"),
        }),
        permissions,
    })
}

fn actor(act: &Map<String, Value>) -> Option<Actor> {
    let sub = act.get("sub")?.as_str()?.to_owned();
    let other = act
        .iter()
        .filter(|(key, _)| key.as_str() != "sub")
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect();
    Some(Actor { sub, other })
}

#[cfg(test)]
mod tests;
