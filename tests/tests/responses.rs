//! What the SDK decodes: realistic responses, both verification variants, null and unknown
//! verifications, unknown enum values and unknown fields.

mod common;

use clerk_sdk::models::{
    PhoneNumber, PhoneNumberObject, PhoneNumberVerification, VerificationAdminStatus, VerificationAdminStrategy,
    VerificationOtpStatus, VerificationOtpStrategy,
};
use common::{assert_one_request, phone_number_json, respond_json, setup, verification_json};
use serde_json::{Value, json};

/// `body` as the answer to `clerk.phone_numbers().get("phone_1")`, decoded; the one request
/// sent must be that GET.
async fn get_phone_number(body: Value) -> PhoneNumber {
    let (server, clerk) = setup().await;
    respond_json(&server, 200, body).await;
    let phone = clerk.phone_numbers().get("phone_1").await.expect("decodes");
    assert_one_request(&server, "GET", "/v1/phone_numbers/phone_1").await;
    phone
}

#[tokio::test]
async fn decodes_a_phone_number_with_otp_verification() {
    let phone = get_phone_number(phone_number_json()).await;
    assert_eq!(phone.id.as_deref(), Some("idn_2RJhUXnMYzPyCNMFLNRGuC7fWUL"));
    assert_eq!(phone.object, PhoneNumberObject::PhoneNumber);
    assert_eq!(phone.phone_number, "+15555550100");
    assert_eq!(phone.reserved_for_second_factor, Some(false));
    assert!(!phone.reserved);
    assert_eq!(phone.backup_codes, None);
    assert_eq!(phone.created_at, 1_716_883_200_000);
    assert_eq!(phone.linked_to.len(), 1);
    assert_eq!(phone.linked_to[0].r#type, "oauth_google");
    let Some(PhoneNumberVerification::Otp(otp)) = &phone.verification else {
        panic!("expected an OTP verification, got {:?}", phone.verification);
    };
    assert_eq!(otp.status, VerificationOtpStatus::Verified);
    assert_eq!(otp.strategy, VerificationOtpStrategy::PhoneCode);
    assert_eq!(otp.attempts, Some(1));
    assert_eq!(otp.expire_at, Some(1_735_000_000_000));
    assert_eq!(otp.channel.as_deref(), Some("sms"));
}

#[tokio::test]
async fn decodes_an_admin_verification() {
    let mut body = phone_number_json();
    body["verification"] = json!({
        "object": "verification_admin",
        "status": "verified",
        "strategy": "admin",
        "attempts": null,
        "expire_at": null
    });
    let phone = get_phone_number(body).await;
    let Some(PhoneNumberVerification::Admin(admin)) = &phone.verification else {
        panic!("expected an admin verification, got {:?}", phone.verification);
    };
    assert_eq!(admin.status, VerificationAdminStatus::Verified);
    assert_eq!(admin.strategy, VerificationAdminStrategy::Admin);
    assert_eq!(admin.attempts, None);
    assert_eq!(
        phone.verification.as_ref().and_then(|v| v.tag()),
        Some("verification_admin")
    );
}

#[tokio::test]
async fn decodes_a_null_verification() {
    let mut body = phone_number_json();
    body["verification"] = Value::Null;
    assert_eq!(get_phone_number(body).await.verification, None);
}

#[tokio::test]
async fn keeps_an_unknown_verification_tag_as_raw_json() {
    let unknown = json!({"object": "verification_passkey", "status": "verified", "device": "yubikey"});
    let mut body = phone_number_json();
    body["verification"] = unknown.clone();
    let phone = get_phone_number(body).await;
    assert_eq!(
        phone.verification,
        Some(PhoneNumberVerification::Unknown(unknown.clone()))
    );
    assert_eq!(
        phone.verification.as_ref().and_then(|v| v.tag()),
        Some("verification_passkey")
    );
    // And it round-trips unchanged.
    let reencoded = serde_json::to_value(&phone).expect("serializes");
    assert_eq!(reencoded["verification"], unknown);
}

#[tokio::test]
async fn keeps_unknown_enum_values() {
    let mut body = phone_number_json();
    body["object"] = json!("phone_number_v2");
    body["verification"]["status"] = json!("brand_new");
    body["verification"]["strategy"] = json!("passkey_new");
    let phone = get_phone_number(body.clone()).await;
    assert_eq!(phone.object, PhoneNumberObject::Unknown("phone_number_v2".to_owned()));
    let Some(PhoneNumberVerification::Otp(otp)) = &phone.verification else {
        panic!("expected an OTP verification, got {:?}", phone.verification);
    };
    assert_eq!(otp.status, VerificationOtpStatus::Unknown("brand_new".to_owned()));
    assert!(otp.status.is_unknown());
    assert_eq!(otp.strategy.as_str(), "passkey_new");
    assert_eq!(otp.strategy.to_string(), "passkey_new");
    // Unknown values round-trip to the same JSON.
    let reencoded = serde_json::to_value(&phone).expect("serializes");
    assert_eq!(reencoded["verification"]["status"], "brand_new");
    assert_eq!(reencoded["verification"]["strategy"], "passkey_new");
    assert_eq!(reencoded["object"], "phone_number_v2");
}

/// A mock server and a strict client of it, without retries.
async fn strict_setup() -> (wiremock::MockServer, clerk_sdk::Clerk) {
    let (server, _) = setup().await;
    let strict = common::builder(&server)
        .retries(clerk_sdk::RetryConfig::none())
        .strict_responses(true)
        .build()
        .expect("builds");
    (server, strict)
}

/// OTP `strategy` carries `x-speakeasy-unknown-values: allow`: the spec allows values it does
/// not list, so a strict client takes `ticket` with no deviation, while an unlisted `status`
/// (a closed enum in the spec) is still one.
#[tokio::test]
async fn a_value_the_spec_allows_unlisted_is_no_deviation_even_strictly() {
    let (server, strict) = strict_setup().await;
    let mut body = phone_number_json();
    body["verification"]["strategy"] = json!("ticket");
    respond_json(&server, 200, body.clone()).await;
    let response = strict
        .phone_numbers()
        .get("phone_1")
        .send_with_response()
        .await
        .expect("no deviation");
    assert!(response.deviations().is_empty());
    let Some(PhoneNumberVerification::Otp(otp)) = &response.into_inner().verification else {
        panic!("an OTP verification")
    };
    assert_eq!(otp.strategy, VerificationOtpStrategy::Unknown("ticket".to_owned()));

    server.reset().await;
    body["verification"]["status"] = json!("brand_new");
    respond_json(&server, 200, body).await;
    let error = strict
        .phone_numbers()
        .get("phone_1")
        .await
        .expect_err("an unlisted status");
    assert!(
        matches!(&error, clerk_sdk::Error::Decode(decode) if decode.pointer() == "/verification/status"),
        "{error:?}"
    );
}

/// Clerk adds fields before its spec lists them: a model keeps them, at every level, and
/// serializes them back; they are no deviation, even strictly.
#[tokio::test]
async fn keeps_unknown_fields_at_every_level_and_serializes_them_back() {
    let mut body = phone_number_json();
    body["brand_new_field"] = json!({"nested": [1, 2, 3]});
    body["verification"]["another_new_field"] = json!(true);
    body["linked_to"][0]["linked_at"] = json!(1_716_883_200_000_i64);
    let phone = get_phone_number(body.clone()).await;
    assert_eq!(phone.phone_number, "+15555550100");
    assert_eq!(
        phone.unknown_fields.get("brand_new_field"),
        Some(&json!({"nested": [1, 2, 3]}))
    );
    let Some(PhoneNumberVerification::Otp(otp)) = &phone.verification else {
        panic!("an OTP verification")
    };
    assert_eq!(otp.unknown_fields.get("another_new_field"), Some(&json!(true)));
    assert_eq!(
        phone.linked_to[0].unknown_fields.get("linked_at"),
        Some(&json!(1_716_883_200_000_i64))
    );
    // The one difference the model's docs state: an optional field's `null` is `None`, which
    // serializes as absent.
    body.as_object_mut().expect("an object").remove("backup_codes");
    assert_eq!(
        serde_json::to_value(&phone).expect("serializes"),
        body,
        "the same JSON back"
    );
}

/// Members the spec does not list are listed apart from deviations, and a strict client takes
/// them: they are forward compatibility, not drift.
#[tokio::test]
async fn unknown_members_are_listed_apart_from_deviations() {
    let (server, strict) = strict_setup().await;
    let mut body = phone_number_json();
    body["brand_new_field"] = json!(1);
    body["linked_to"][0]["linked_at"] = json!(2);
    respond_json(&server, 200, body).await;
    let response = strict
        .phone_numbers()
        .get("phone_1")
        .send_with_response()
        .await
        .expect("no deviation");
    assert!(response.deviations().is_empty());
    assert_eq!(
        response.unknown_members(),
        ["/brand_new_field", "/linked_to/0/linked_at"]
    );
}

/// A required field the lenient decoding filled in is marked so on the value itself: a
/// `created_at` of 0 is not mistaken for 1970.
#[tokio::test]
async fn a_value_the_lenient_decoding_filled_in_says_so() {
    let mut body = phone_number_json();
    body.as_object_mut().expect("an object").remove("created_at");
    body["verification"]["attempts"] = json!("many");
    let phone = get_phone_number(body).await;
    assert_eq!(phone.created_at, 0);
    assert!(phone.unknown_fields.is_filled("created_at"));
    assert!(!phone.unknown_fields.is_filled("updated_at"));
    let Some(PhoneNumberVerification::Otp(otp)) = &phone.verification else {
        panic!("an OTP verification")
    };
    assert_eq!(otp.unknown_fields.filled().collect::<Vec<_>>(), ["attempts"]);
    let conforming = get_phone_number(phone_number_json()).await;
    assert_eq!(conforming.unknown_fields.filled().count(), 0);
}

#[tokio::test]
async fn a_known_response_round_trips() {
    let phone = get_phone_number(phone_number_json()).await;
    let reencoded = serde_json::to_value(&phone).expect("serializes");
    let decoded: PhoneNumber = serde_json::from_value(reencoded).expect("decodes again");
    assert_eq!(decoded, phone);
}

#[tokio::test]
async fn decodes_verification_responses() {
    let (server, clerk) = setup().await;
    respond_json(&server, 200, verification_json("unverified")).await;
    let prepared = clerk
        .phone_numbers()
        .prepare_verification("phone_1")
        .await
        .expect("decodes");
    assert_one_request(&server, "POST", "/v1/phone_numbers/phone_1/prepare_verification").await;
    assert_eq!(prepared.id.as_deref(), Some("ver_2RJhUXnMYzPyCNMFLNRGuC7fWUL"));
    assert_eq!(prepared.status.as_deref(), Some("unverified"));
    assert_eq!(prepared.attempts, Some(0));
    assert_eq!(prepared.channel.as_deref(), Some("sms"));

    let (server, clerk) = setup().await;
    let mut body = verification_json("failed");
    body["attempts"] = json!(3);
    body["expire_at"] = Value::Null;
    respond_json(&server, 200, body).await;
    let attempted = clerk
        .phone_numbers()
        .attempt_verification(
            "phone_1",
            clerk_sdk::models::AttemptPhoneNumberVerificationRequest::new("ver_1", "000000"),
        )
        .await
        .expect("decodes");
    let sent = assert_one_request(&server, "POST", "/v1/phone_numbers/phone_1/attempt_verification").await;
    assert_eq!(sent.body, Some(json!({"verification_id": "ver_1", "code": "000000"})));
    assert_eq!(attempted.status.as_deref(), Some("failed"));
    assert_eq!(attempted.attempts, Some(3));
    assert_eq!(attempted.expire_at, None);
}

#[test]
fn open_enums_parse_from_strings() {
    assert_eq!(VerificationOtpStatus::from("expired"), VerificationOtpStatus::Expired);
    assert_eq!(
        "expired".parse::<VerificationOtpStatus>(),
        Ok(VerificationOtpStatus::Expired)
    );
    assert_eq!(
        VerificationOtpStatus::from("later"),
        VerificationOtpStatus::Unknown("later".to_owned())
    );
}

#[test]
fn union_serialization_always_carries_the_tag() {
    // A variant built in code without its `object` field still serializes with the right tag.
    let otp: clerk_sdk::models::VerificationOtp = serde_json::from_value(json!({
        "status": "unverified", "strategy": "phone_code", "attempts": null, "expire_at": null
    }))
    .expect("decodes without object");
    let value = serde_json::to_value(PhoneNumberVerification::Otp(otp)).expect("serializes");
    assert_eq!(value["object"], "verification_otp");
    let back: PhoneNumberVerification = serde_json::from_value(value).expect("decodes");
    let PhoneNumberVerification::Otp(back) = back else {
        panic!("expected the Otp variant, got {back:?}")
    };
    assert_eq!(back.status, VerificationOtpStatus::Unverified);
}

#[tokio::test]
async fn a_success_can_keep_its_status_and_headers() {
    let (server, clerk) = setup().await;
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(
            wiremock::ResponseTemplate::new(200)
                .insert_header("x-ratelimit-remaining", "99")
                .insert_header("retry-after", "7")
                .set_body_json(phone_number_json()),
        )
        .mount(&server)
        .await;
    let response = clerk
        .phone_numbers()
        .get("phone_1")
        .send_with_response()
        .await
        .expect("decodes");
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-ratelimit-remaining"], "99");
    assert_eq!(response.headers()["retry-after"], "7");
    assert_eq!(response.value().phone_number, "+15555550100");
    let (status, headers, phone) = response.into_parts();
    assert_eq!((status.as_u16(), headers.len() >= 2), (200, true));
    assert_eq!(phone.phone_number, "+15555550100");
    assert_one_request(&server, "GET", "/v1/phone_numbers/phone_1").await;
}
