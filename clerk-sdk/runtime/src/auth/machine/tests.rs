//! A verify operation's record, read into claims or refused.

use serde_json::json;

use super::*;

const NOW_MS: u64 = 1_700_000_000_000;

fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(NOW_MS)
}

fn read(record: Value) -> Result<MachineClaims, AuthError> {
    from_record(TokenKind::ApiKey, &record, now(), Duration::from_secs(5))
}

fn api_key(changes: Value) -> Value {
    let mut record = json!({
        "object": "api_key",
        "id": "ak_0123",
        "type": "api_key",
        "subject": "user_1",
        "name": "CI",
        "scopes": ["read", "write"],
        "claims": {"team": "infra"},
        "revoked": false,
        "revocation_reason": null,
        "expired": false,
        "expiration": NOW_MS + 60_000,
    });
    for (name, value) in changes.as_object().expect("an object") {
        record[name] = value.clone();
    }
    record
}

#[test]
fn a_valid_record_gives_typed_claims() {
    let claims = read(api_key(json!({}))).expect("valid");
    assert_eq!(claims.kind, TokenKind::ApiKey);
    assert_eq!(claims.format, TokenFormat::Opaque);
    assert_eq!(claims.id.as_deref(), Some("ak_0123"));
    assert_eq!(claims.subject, "user_1");
    assert_eq!(claims.name.as_deref(), Some("CI"));
    assert_eq!(claims.scopes, ["read", "write"]);
    assert!(claims.has_scope("write") && !claims.has_scope("admin"));
    assert_eq!(claims.claims.get("team"), Some(&json!("infra")));
    assert_eq!(
        claims.expires_at,
        Some(UNIX_EPOCH + Duration::from_millis(NOW_MS + 60_000))
    );
    assert_eq!(claims.machine_id(), None);
    let never = read(api_key(json!({"expiration": null, "subject": "mch_1"}))).expect("valid");
    assert_eq!((never.expires_at, never.machine_id()), (None, Some("mch_1")));
}

#[test]
fn revoked_and_expired_records_are_refused() {
    assert_eq!(
        read(api_key(json!({"revoked": true, "revocation_reason": "leaked"}))),
        Err(AuthError::MachineTokenRevoked {
            kind: TokenKind::ApiKey,
            reason: Some("leaked".to_owned())
        })
    );
    let expired = Err(AuthError::MachineTokenExpired {
        kind: TokenKind::ApiKey,
    });
    assert_eq!(read(api_key(json!({"expired": true}))), expired);
    // Past its expiration beyond the skew, whatever `expired` says.
    assert_eq!(read(api_key(json!({"expiration": NOW_MS - 5_000}))), expired);
    assert_eq!(
        read(json!({"active": false})),
        expired,
        "an OAuth token no longer active"
    );
    assert!(read(api_key(json!({"expiration": NOW_MS - 4_999}))).is_ok());
}

#[test]
fn a_record_missing_what_the_decision_needs_is_refused() {
    let malformed = |field| {
        Err(AuthError::MalformedAnswer {
            kind: TokenKind::ApiKey,
            field,
        })
    };
    let mut no_revoked = api_key(json!({}));
    no_revoked.as_object_mut().expect("an object").remove("revoked");
    assert_eq!(
        read(no_revoked),
        malformed("revoked"),
        "a missing `revoked` is not `false`"
    );
    assert_eq!(read(api_key(json!({"revoked": "false"}))), malformed("revoked"));
    assert_eq!(read(api_key(json!({"subject": ""}))), malformed("subject"));
    assert_eq!(read(api_key(json!({"subject": null}))), malformed("subject"));
    assert_eq!(read(api_key(json!({"expiration": "soon"}))), malformed("expiration"));
    assert_eq!(read(api_key(json!({"expiration": -1}))), malformed("expiration"));
    assert_eq!(read(api_key(json!({"scopes": "read"}))), malformed("scopes"));
    assert_eq!(read(api_key(json!({"scopes": ["read", 1]}))), malformed("scopes"));
}
