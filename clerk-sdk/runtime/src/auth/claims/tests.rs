use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};

use super::*;

const NOW: i64 = 1_700_000_000;

/// `NOW` moved by `offset_ms` milliseconds.
fn instant(offset_ms: i64) -> SystemTime {
    let now = UNIX_EPOCH + Duration::from_secs(NOW.unsigned_abs());
    let offset = Duration::from_millis(offset_ms.unsigned_abs());
    if offset_ms < 0 { now - offset } else { now + offset }
}

fn rules<'a>(parties: &'a [String], issuer: Option<&'a str>) -> ClaimRules<'a> {
    ClaimRules {
        now: instant(0),
        skew: Duration::from_secs(5),
        issuer,
        authorized_parties: parties,
        missing_azp: MissingAzp::Refuse,
        accept_pending: false,
    }
}

fn claims(extra: Value) -> Map<String, Value> {
    let mut claims = json!({"sub": "user_1", "iss": "https://clerk.example.com", "exp": NOW + 60, "sid": "sess_1"});
    let (Value::Object(base), Value::Object(extra)) = (&mut claims, extra) else {
        unreachable!()
    };
    base.extend(extra);
    base.clone()
}

fn check(extra: Value) -> Result<SessionClaims, AuthError> {
    SessionClaims::check(claims(extra), &rules(&[], None))
}

/// Checks a token whose `claim` is `NOW`, at `NOW` + `offset_ms`, with `skew_ms` of skew.
fn time_claim_at(claim: &str, offset_ms: i64, skew_ms: u64) -> Result<SessionClaims, AuthError> {
    let rules = ClaimRules {
        now: instant(offset_ms),
        skew: Duration::from_millis(skew_ms),
        ..rules(&[], None)
    };
    let mut raw = claims(json!({}));
    raw.insert(claim.to_owned(), json!(NOW));
    if claim != "exp" {
        raw.insert("exp".to_owned(), json!(NOW + 3600));
    }
    SessionClaims::check(raw, &rules)
}

#[test]
fn exp_is_refused_from_exp_plus_skew_exactly_at_the_millisecond() {
    // (checked this long after `exp`, the skew, whether the token is good)
    let cases = [
        (4_999, 5_000, true),
        (5_000, 5_000, false),
        (5_001, 5_000, false),
        (-1, 0, true),
        (0, 0, false),
        (4_999, 0, false),
        (5_000, 0, false),
        (5_001, 0, false),
    ];
    for (offset, skew, good) in cases {
        let outcome = time_claim_at("exp", offset, skew);
        assert_eq!(
            outcome.is_ok(),
            good,
            "{offset} ms after exp, skew {skew} ms: {outcome:?}"
        );
        if !good {
            assert_eq!(
                outcome,
                Err(AuthError::Expired {
                    exp: NOW,
                    now: instant(offset),
                    skew: Duration::from_millis(skew)
                })
            );
        }
    }
}

#[test]
fn nbf_and_iat_hold_from_the_claim_minus_skew_exactly_at_the_millisecond() {
    // (checked this long before the claim, the skew, whether the token is good)
    let cases = [
        (4_999, 5_000, true),
        (5_000, 5_000, true),
        (5_001, 5_000, false),
        (0, 0, true),
        (1, 0, false),
        (4_999, 0, false),
        (5_000, 0, false),
        (5_001, 0, false),
    ];
    for claim in ["nbf", "iat"] {
        for (before, skew, good) in cases {
            let outcome = time_claim_at(claim, -before, skew);
            assert_eq!(
                outcome.is_ok(),
                good,
                "{before} ms before {claim}, skew {skew} ms: {outcome:?}"
            );
            let refused = match (claim, outcome) {
                (_, Ok(_)) => continue,
                ("nbf", Err(AuthError::NotActiveYet { nbf, now, .. })) => (nbf, now),
                ("iat", Err(AuthError::IssuedInTheFuture { iat, now, .. })) => (iat, now),
                (_, Err(other)) => panic!("{claim}: {other:?}"),
            };
            assert_eq!(refused, (NOW, instant(-before)));
        }
    }
}

#[test]
fn the_time_claims_are_whole_seconds_of_64_bits() {
    // `iat` ten seconds after `nbf` is fine (clerk-sdk-go #587 failed it with no leeway).
    assert!(check(json!({"nbf": NOW - 10, "iat": NOW})).is_ok());
    // Timestamps are 64-bit: one past 2038 works.
    assert_eq!(
        check(json!({"exp": 4_102_444_800_i64})).map(|c| c.exp),
        Ok(4_102_444_800)
    );
    assert_eq!(
        check(json!({"exp": "soon"})),
        Err(AuthError::MissingClaim { claim: "exp" })
    );
    assert_eq!(check(json!({"exp": i64::MAX})).map(|c| c.exp), Ok(i64::MAX));
    assert!(matches!(
        check(json!({"exp": i64::MIN})),
        Err(AuthError::Expired { .. })
    ));
    let message = time_claim_at("exp", 5_250, 5_000).expect_err("expired").to_string();
    assert_eq!(
        message,
        "the token expired at 1700000000 (now 1700000005.250, with 5s of clock skew allowed)"
    );
}

#[test]
fn the_subject_and_the_issuer_are_required() {
    let mut no_sub = claims(json!({}));
    no_sub.remove("sub");
    assert_eq!(
        SessionClaims::check(no_sub, &rules(&[], None)),
        Err(AuthError::MissingClaim { claim: "sub" })
    );
    for iss in ["https://happy-hippo-1.clerk.accounts.dev", "https://clerk.example.com/"] {
        assert!(check(json!({"iss": iss})).is_ok(), "{iss}");
    }
    for iss in [
        "https://example.com",
        "http://clerk.example.com",
        "https://clerk.",
        "https://.clerk.accounts.dev",
    ] {
        assert_eq!(
            check(json!({"iss": iss})),
            Err(AuthError::InvalidIssuer { iss: iss.to_owned() })
        );
    }
    let own = rules(&[], Some("https://auth.example.com"));
    assert!(SessionClaims::check(claims(json!({"iss": "https://auth.example.com"})), &own).is_ok());
    assert!(
        SessionClaims::check(claims(json!({})), &own).is_err(),
        "the configured issuer only"
    );
}

#[test]
fn the_authorized_party_must_be_listed_once_parties_are_configured() {
    let parties = ["https://app.example.com".to_owned()];
    let with = |extra| SessionClaims::check(claims(extra), &rules(&parties, None));
    assert!(with(json!({"azp": "https://app.example.com"})).is_ok());
    assert_eq!(
        with(json!({"azp": "https://evil.example.com"})),
        Err(AuthError::InvalidAuthorizedParty {
            azp: Some("https://evil.example.com".to_owned())
        })
    );
    assert_eq!(with(json!({})), Err(AuthError::InvalidAuthorizedParty { azp: None }));
    // Without configured parties, any `azp`, or none, passes.
    assert!(check(json!({"azp": "https://evil.example.com"})).is_ok());
    assert!(check(json!({})).is_ok());
}

#[test]
fn version_1_organization_claims() {
    let claims = check(json!({
        "org_id": "org_1", "org_slug": "acme", "org_role": "org:admin",
        "org_permissions": ["org:sys_memberships:manage"], "theme": "dark"
    }))
    .expect("valid");
    assert_eq!(claims.version, 1);
    let org = claims.org.expect("an organization");
    assert_eq!(
        (org.id.as_str(), org.slug.as_deref(), org.role.as_deref()),
        ("org_1", Some("acme"), Some("org:admin"))
    );
    assert_eq!(org.permissions, ["org:sys_memberships:manage"]);
    assert_eq!(claims.custom.keys().collect::<Vec<_>>(), ["theme"]);
}

#[test]
fn version_2_organization_claims_decode_the_permission_bitmasks() {
    // Clerk's documented example: `dashboard` grants `manage` and `read` (3 = 0b11), `teams`
    // grants `read` (2 = 0b10); the user-scoped `u:profile` grants nothing in the organization.
    let claims = check(json!({
        "v": 2, "fea": "o:dashboard,u:profile,o:teams",
        "o": {"id": "org_1", "slg": "acme", "rol": "admin", "per": "manage,read", "fpm": "3,1,2"}
    }))
    .expect("valid");
    assert_eq!(claims.version, 2);
    let org = claims.org.clone().expect("an organization");
    assert_eq!(org.role.as_deref(), Some("org:admin"));
    assert_eq!(
        org.permissions,
        ["org:dashboard:manage", "org:dashboard:read", "org:teams:read"]
    );
    assert!(claims.custom.is_empty());
    assert_eq!(claims.get("fea"), Some(&json!("o:dashboard,u:profile,o:teams")));
}

#[test]
fn the_actor_of_an_impersonation() {
    let claims = check(json!({"act": {"sub": "user_admin", "iss": "https://dashboard.clerk.com"}})).expect("valid");
    let act = claims.act.expect("an actor");
    assert_eq!(act.sub, "user_admin");
    assert_eq!(act.other.get("iss"), Some(&json!("https://dashboard.clerk.com")));
    assert_eq!(check(json!({})).expect("valid").org, None);
}
