//! `has()`'s table: every combination of condition kinds, each passing and failing, and the
//! scopes, prefixes, presets and malformed claims one at a time.

use std::time::{Duration, UNIX_EPOCH};

use serde_json::{Value, json};

use super::*;
use crate::auth::claims::ClaimRules;
use crate::auth::options::MissingAzp;

/// A verified session with `claims` added to a minimal token's.
fn session(claims: Value) -> SessionClaims {
    let mut raw = json!({"sub": "user_1", "iss": "https://x.clerk.accounts.dev", "exp": 4_000_000_000_i64});
    for (name, value) in claims.as_object().expect("an object") {
        raw[name] = value.clone();
    }
    let rules = ClaimRules {
        now: UNIX_EPOCH + Duration::from_secs(1_700_000_000),
        skew: Duration::from_secs(5),
        issuer: None,
        authorized_parties: &[],
        missing_azp: MissingAzp::Accept,
        accept_pending: false,
    };
    let raw = raw.as_object().cloned().expect("an object");
    SessionClaims::check(raw, &rules).expect("the claims check")
}

/// A version 2 session: admin of `org_1` with `billing`'s `manage` and `read` permissions, the
/// organization's `billing`, the user's `reports`, both's `shared`, the user's plan `pro`, the
/// organization's plan `team`; the first factor verified 5 minutes ago, the second 30.
fn v2() -> SessionClaims {
    session(json!({
        "v": 2,
        "o": {"id": "org_1", "slg": "acme", "rol": "admin", "per": "manage,read", "fpm": "3"},
        "fea": "o:billing,u:reports,ou:shared",
        "pla": "u:pro,o:team",
        "fva": [5, 30],
    }))
}

/// One kind of condition, with a value that passes on [`v2`] and one that fails.
struct Kind {
    name: &'static str,
    dimension: usize,
    set: fn(Check, bool) -> Check,
}

const KINDS: [Kind; 5] = [
    Kind {
        name: "role",
        dimension: 0,
        set: |check, pass| check.role(if pass { "admin" } else { "member" }),
    },
    Kind {
        name: "permission",
        dimension: 0,
        set: |check, pass| check.permission(if pass { "org:billing:read" } else { "org:billing:delete" }),
    },
    Kind {
        name: "feature",
        dimension: 1,
        set: |check, pass| check.feature(if pass { "o:billing" } else { "u:billing" }),
    },
    Kind {
        name: "plan",
        dimension: 1,
        set: |check, pass| check.plan(if pass { "u:pro" } else { "o:pro" }),
    },
    Kind {
        name: "reverification",
        dimension: 2,
        set: |check, pass| {
            check.reverification(if pass {
                Reverification::Moderate
            } else {
                Reverification::Strict
            })
        },
    },
];

#[test]
fn every_combination_of_conditions_passes_only_when_each_part_does() {
    let claims = v2();
    let mut cases = 0;
    // Each kind is absent (0), asked and met (1), or asked and not met (2): 3^5 checks.
    for code in 0..3_u32.pow(5) {
        let states: Vec<u32> = (0..5).map(|i| code / 3_u32.pow(i) % 3).collect();
        let mut check = Check::new();
        let mut failed_dimension = None;
        let mut described = Vec::new();
        for (kind, state) in KINDS.iter().zip(&states) {
            if *state == 0 {
                continue;
            }
            check = (kind.set)(check, *state == 1);
            described.push(format!("{} {}", kind.name, if *state == 1 { "met" } else { "unmet" }));
            if *state == 2 {
                failed_dimension = Some(failed_dimension.map_or(kind.dimension, |d: usize| d.min(kind.dimension)));
            }
        }
        let expected = match (failed_dimension, described.is_empty()) {
            (_, true) => Err(Denied::NothingAsked),
            (None, false) => Ok(()),
            (Some(0), _) => Err(Denied::Organization),
            (Some(1), _) => Err(Denied::Billing),
            (Some(_), _) => Err(Denied::Reverification(Reverification::Strict)),
        };
        assert_eq!(claims.authorize(&check), expected, "{}", described.join(", "));
        assert_eq!(claims.has(&check), expected.is_ok());
        cases += 1;
    }
    assert_eq!(cases, 243);
}

#[test]
fn roles_and_permissions_take_the_org_prefix_once() {
    let claims = v2();
    for role in ["admin", "org:admin", "org:org:admin"] {
        assert!(claims.has(&Check::new().role(role)), "{role}");
    }
    for permission in ["org:billing:manage", "billing:manage"] {
        assert!(claims.has(&Check::new().permission(permission)), "{permission}");
    }
    assert!(
        !claims.has(&Check::new().permission("org:reports:read")),
        "no bitmask grants it"
    );
    // Version 1 writes the organization as claims of their own.
    let v1 =
        session(json!({"org_id": "org_1", "org_role": "org:admin", "org_permissions": ["org:sys_memberships:read"]}));
    assert!(v1.has(&Check::new().role("admin").permission("sys_memberships:read")));
    assert!(!v1.has(&Check::new().permission("org:sys_memberships:manage")));
}

#[test]
fn organization_claims_that_are_missing_or_malformed_deny() {
    let denied = Err(Denied::Organization);
    let no_org = session(json!({}));
    assert_eq!(no_org.authorize(&Check::new().role("admin")), denied);
    assert_eq!(no_org.authorize(&Check::new().permission("org:a:b")), denied);
    let no_role = session(json!({"org_id": "org_1"}));
    assert_eq!(no_role.authorize(&Check::new().role("admin")), denied);
    let empty_role = session(json!({"org_id": "org_1", "org_role": ""}));
    assert_eq!(empty_role.authorize(&Check::new().role("")), denied);
    let malformed = session(json!({"org_id": "org_1", "org_role": "org:admin", "org_permissions": "org:a:b"}));
    assert_eq!(malformed.authorize(&Check::new().permission("org:a:b")), denied);
    let bad_mask =
        session(json!({"v": 2, "o": {"id": "org_1", "rol": "admin", "per": "read", "fpm": "x"}, "fea": "o:a"}));
    assert_eq!(bad_mask.authorize(&Check::new().permission("org:a:read")), denied);
}

#[test]
fn features_and_plans_follow_their_scopes() {
    let claims = v2();
    let cases = [
        ("billing", true),
        ("o:billing", true),
        ("org:billing", true),
        ("organization:billing", true),
        ("u:billing", false),
        ("reports", true),
        ("u:reports", true),
        ("user:reports", true),
        ("o:reports", false),
        ("o:shared", true),
        ("u:shared", true),
        ("x:billing", false),
        ("o:billing:extra", false),
        ("o:", false),
        ("missing", false),
    ];
    for (feature, granted) in cases {
        assert_eq!(claims.has(&Check::new().feature(feature)), granted, "feature {feature}");
    }
    assert!(claims.has(&Check::new().plan("pro")));
    assert!(claims.has(&Check::new().plan("o:team")));
    assert!(!claims.has(&Check::new().plan("u:team")));
}

#[test]
fn billing_claims_that_are_missing_or_malformed_deny() {
    let denied = Err(Denied::Billing);
    assert_eq!(session(json!({})).authorize(&Check::new().feature("a")), denied);
    assert_eq!(
        session(json!({"fea": ""})).authorize(&Check::new().feature("a")),
        denied
    );
    assert_eq!(session(json!({"fea": 3})).authorize(&Check::new().feature("a")), denied);
    // An element without its scope makes the whole claim unreadable.
    assert_eq!(
        session(json!({"fea": "o:a,b"})).authorize(&Check::new().feature("a")),
        denied
    );
    assert_eq!(
        session(json!({"fea": "o:a"})).authorize(&Check::new().plan("a")),
        denied
    );
}

#[test]
fn reverification_reads_fva_with_clerks_presets_and_downgrades() {
    let at = |fva: Value| session(json!({"fva": fva}));
    let has = |fva: Value, reverification| at(fva).has(&Check::new().reverification(reverification));
    use Reverification::{Lax, Moderate, Strict, StrictMfa, Within};
    // First factor 5 minutes ago, second 30.
    assert!(!has(json!([5, 30]), Strict));
    assert!(has(json!([5, 30]), Moderate));
    assert!(has(json!([5, 30]), Lax));
    assert!(!has(json!([5, 30]), StrictMfa));
    assert!(has(json!([5, 9]), StrictMfa));
    assert!(!has(json!([5, 10]), Strict), "an age equal to the limit is too old");
    // No second factor: the first stands in for it.
    assert!(has(json!([5, -1]), Strict));
    assert!(has(json!([5, -1]), StrictMfa));
    // No first factor: a second-factor check reads the second; multi-factor cannot be met.
    assert!(has(json!([-1, 5]), Strict));
    assert!(!has(json!([-1, 5]), StrictMfa));
    let first = |after_minutes| Within {
        level: VerificationLevel::FirstFactor,
        after_minutes,
    };
    assert!(has(json!([5, 30]), first(6)));
    assert!(!has(json!([5, 30]), first(5)));
    assert!(!has(json!([-1, 0]), first(60)), "no first factor");
    assert!(has(json!([5.5, 30]), first(6)), "ages are numbers, not only integers");
    assert_eq!(Moderate.requirement(), (VerificationLevel::SecondFactor, 60));
    assert_eq!(StrictMfa.requirement(), (VerificationLevel::MultiFactor, 10));
    assert_eq!(Lax.requirement(), (VerificationLevel::SecondFactor, 1_440));
}

#[test]
fn a_malformed_or_missing_fva_denies_reverification_and_only_it() {
    let malformed = [
        json!(null),
        json!([]),
        json!([5]),
        json!([5, 30, 1]),
        json!(["5", 30]),
        json!([5, -2]),
        json!([-1, -1]),
        json!({"first": 5}),
        json!("5,30"),
    ];
    for fva in malformed {
        let claims = session(json!({"fva": fva, "org_id": "org_1", "org_role": "org:admin"}));
        assert_eq!(
            claims.authorize(&Check::new().reverification(Reverification::Lax)),
            Err(Denied::Reverification(Reverification::Lax)),
            "{fva}"
        );
        // A check that does not ask for reverification does not read `fva`.
        assert!(claims.has(&Check::new().role("admin")), "{fva}");
    }
    let missing = session(json!({}));
    assert!(!missing.has(&Check::new().reverification(Reverification::Lax)));
    let zero = Reverification::Within {
        level: VerificationLevel::SecondFactor,
        after_minutes: 0,
    };
    assert!(!session(json!({"fva": [0, 0]})).has(&Check::new().reverification(zero)));
}

#[test]
fn the_advisorys_combined_checks_deny_when_one_part_fails() {
    let claims = v2();
    // GHSA-w24r-5266-9c3c: `{permission, reverification}` passed on the permission alone.
    let check = Check::new()
        .permission("org:billing:read")
        .reverification(Reverification::Strict);
    assert_eq!(
        claims.authorize(&check),
        Err(Denied::Reverification(Reverification::Strict))
    );
    let check = Check::new().role("member").reverification(Reverification::Moderate);
    assert_eq!(claims.authorize(&check), Err(Denied::Organization));
    let check = Check::new().role("admin").feature("u:billing");
    assert_eq!(claims.authorize(&check), Err(Denied::Billing));
    assert_eq!(claims.authorize(&Check::new()), Err(Denied::NothingAsked));
}

#[test]
fn a_reverification_requirement_is_written_as_clerks_frontends_read_it() {
    assert_eq!(Reverification::StrictMfa.to_json(), json!("strict_mfa"));
    assert_eq!(Reverification::Strict.to_json(), json!("strict"));
    let within = Reverification::Within {
        level: VerificationLevel::MultiFactor,
        after_minutes: 15,
    };
    assert_eq!(within.to_json(), json!({"level": "multi_factor", "afterMinutes": 15}));
}
