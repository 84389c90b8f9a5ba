//! The phone number's models as the generator wrote them before lenient decoding (commit
//! 6f388b4 of `clerk-sdk/src/generated/models.rs`, constructors and setters left out): the
//! baseline "today" of the decode benchmark. Frozen here, so the benchmark compares the SDK's
//! decode with what it cost before, in the same run. Not generated, and never regenerated.

#![allow(dead_code, missing_docs, clippy::all)]

/// Generated from the schema at `#/components/schemas/IdentificationLink`.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[non_exhaustive]
pub struct IdentificationLink {
    /// Required `type`.
    pub r#type: String,
    /// Required `id`.
    pub id: String,
}
/// Generated from the schema at `#/components/schemas/PhoneNumber`.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[non_exhaustive]
pub struct PhoneNumber {
    /// Optional `id`; left out when `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// String representing the object's type. Objects of the same type share the same value.
    ///
    /// Required `object`.
    pub object: PhoneNumberObject,
    /// Required `phone_number`.
    pub phone_number: String,
    /// Optional `reserved_for_second_factor`; left out when `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reserved_for_second_factor: Option<bool>,
    /// Optional `default_second_factor`; left out when `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_second_factor: Option<bool>,
    /// Required `reserved`.
    pub reserved: bool,
    /// Required `verification`; `None` is sent as `null`.
    pub verification: Option<PhoneNumberVerification>,
    /// Required `linked_to`.
    pub linked_to: Vec<IdentificationLink>,
    /// Optional `backup_codes`; left out when `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup_codes: Option<Vec<String>>,
    /// Unix timestamp of creation
    ///
    /// Required `created_at`.
    pub created_at: i64,
    /// Unix timestamp of creation
    ///
    /// Required `updated_at`.
    pub updated_at: i64,
}
/// String representing the object's type. Objects of the same type share the same value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PhoneNumberObject {
    /// `phone_number`
    PhoneNumber,
    /// A value this version of the SDK does not know, kept verbatim so it round-trips.
    Unknown(String),
}
impl PhoneNumberObject {
    /// The value as it appears on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            Self::PhoneNumber => "phone_number",
            Self::Unknown(value) => value,
        }
    }
    /// Whether this is a value this version of the SDK does not know.
    pub fn is_unknown(&self) -> bool {
        matches!(self, Self::Unknown(_))
    }
}
clerk_sdk::runtime::__private::impl_open_enum!(
    PhoneNumberObject, Unknown, { "phone_number" => PhoneNumberObject::PhoneNumber, }
);
/// Generated from the schema at `#/components/schemas/PhoneNumber/properties/verification`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum PhoneNumberVerification {
    /// The variant tagged `object: "verification_otp"`.
    Otp(VerificationOtp),
    /// The variant tagged `object: "verification_admin"`.
    Admin(VerificationAdmin),
    /// A variant this version of the SDK does not know, or a value whose `object` tag is missing, kept as raw JSON.
    Unknown(serde_json::Value),
}
impl<'de> serde::Deserialize<'de> for PhoneNumberVerification {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let tagged = clerk_sdk::runtime::__private::Tagged::deserialize(deserializer, "object")?;
        match tagged.tag() {
            Some("verification_otp") => tagged.decode("verification_otp").map(Self::Otp),
            Some("verification_admin") => tagged.decode("verification_admin").map(Self::Admin),
            _ => tagged.into_raw().map(Self::Unknown),
        }
    }
}
/// Generated from the schema at `#/components/schemas/verification_admin`.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[non_exhaustive]
pub struct VerificationAdmin {
    /// Optional `object`; left out when `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<VerificationAdminObject>,
    /// Required `status`.
    pub status: VerificationAdminStatus,
    /// Required `strategy`.
    pub strategy: VerificationAdminStrategy,
    /// Required `attempts`; `None` is sent as `null`.
    pub attempts: Option<i64>,
    /// Required `expire_at`; `None` is sent as `null`.
    pub expire_at: Option<i64>,
    /// Optional `verified_at_client`; left out when `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_at_client: Option<String>,
}
/// Generated from the schema at `#/components/schemas/verification_admin/properties/object`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum VerificationAdminObject {
    /// `verification_admin`
    VerificationAdmin,
    /// A value this version of the SDK does not know, kept verbatim so it round-trips.
    Unknown(String),
}
impl VerificationAdminObject {
    /// The value as it appears on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            Self::VerificationAdmin => "verification_admin",
            Self::Unknown(value) => value,
        }
    }
    /// Whether this is a value this version of the SDK does not know.
    pub fn is_unknown(&self) -> bool {
        matches!(self, Self::Unknown(_))
    }
}
clerk_sdk::runtime::__private::impl_open_enum!(
    VerificationAdminObject, Unknown, { "verification_admin" =>
    VerificationAdminObject::VerificationAdmin, }
);
/// Generated from the schema at `#/components/schemas/verification_admin/properties/status`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum VerificationAdminStatus {
    /// `verified`
    Verified,
    /// A value this version of the SDK does not know, kept verbatim so it round-trips.
    Unknown(String),
}
impl VerificationAdminStatus {
    /// The value as it appears on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Verified => "verified",
            Self::Unknown(value) => value,
        }
    }
    /// Whether this is a value this version of the SDK does not know.
    pub fn is_unknown(&self) -> bool {
        matches!(self, Self::Unknown(_))
    }
}
clerk_sdk::runtime::__private::impl_open_enum!(
    VerificationAdminStatus, Unknown, { "verified" => VerificationAdminStatus::Verified,
    }
);
/// Generated from the schema at `#/components/schemas/verification_admin/properties/strategy`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum VerificationAdminStrategy {
    /// `admin`
    Admin,
    /// A value this version of the SDK does not know, kept verbatim so it round-trips.
    Unknown(String),
}
impl VerificationAdminStrategy {
    /// The value as it appears on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Admin => "admin",
            Self::Unknown(value) => value,
        }
    }
    /// Whether this is a value this version of the SDK does not know.
    pub fn is_unknown(&self) -> bool {
        matches!(self, Self::Unknown(_))
    }
}
clerk_sdk::runtime::__private::impl_open_enum!(
    VerificationAdminStrategy, Unknown, { "admin" => VerificationAdminStrategy::Admin, }
);
/// Generated from the schema at `#/components/schemas/verification_otp`.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[non_exhaustive]
pub struct VerificationOtp {
    /// Optional `object`; left out when `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<VerificationOtpObject>,
    /// Required `status`.
    pub status: VerificationOtpStatus,
    /// Required `strategy`.
    pub strategy: VerificationOtpStrategy,
    /// Required `attempts`; `None` is sent as `null`.
    pub attempts: Option<i64>,
    /// Required `expire_at`; `None` is sent as `null`.
    pub expire_at: Option<i64>,
    /// The delivery channel of the code (phone codes only).
    ///
    /// Optional `channel`; left out when `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// Optional `verified_at_client`; left out when `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_at_client: Option<String>,
}
/// Generated from the schema at `#/components/schemas/verification_otp/properties/object`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum VerificationOtpObject {
    /// `verification_otp`
    VerificationOtp,
    /// A value this version of the SDK does not know, kept verbatim so it round-trips.
    Unknown(String),
}
impl VerificationOtpObject {
    /// The value as it appears on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            Self::VerificationOtp => "verification_otp",
            Self::Unknown(value) => value,
        }
    }
    /// Whether this is a value this version of the SDK does not know.
    pub fn is_unknown(&self) -> bool {
        matches!(self, Self::Unknown(_))
    }
}
clerk_sdk::runtime::__private::impl_open_enum!(
    VerificationOtpObject, Unknown, { "verification_otp" =>
    VerificationOtpObject::VerificationOtp, }
);
/// Generated from the schema at `#/components/schemas/verification_otp/properties/status`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum VerificationOtpStatus {
    /// `unverified`
    Unverified,
    /// `verified`
    Verified,
    /// `failed`
    Failed,
    /// `expired`
    Expired,
    /// A value this version of the SDK does not know, kept verbatim so it round-trips.
    Unknown(String),
}
impl VerificationOtpStatus {
    /// The value as it appears on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Unverified => "unverified",
            Self::Verified => "verified",
            Self::Failed => "failed",
            Self::Expired => "expired",
            Self::Unknown(value) => value,
        }
    }
    /// Whether this is a value this version of the SDK does not know.
    pub fn is_unknown(&self) -> bool {
        matches!(self, Self::Unknown(_))
    }
}
clerk_sdk::runtime::__private::impl_open_enum!(
    VerificationOtpStatus, Unknown, { "unverified" => VerificationOtpStatus::Unverified,
    "verified" => VerificationOtpStatus::Verified, "failed" =>
    VerificationOtpStatus::Failed, "expired" => VerificationOtpStatus::Expired, }
);
/// Generated from the schema at `#/components/schemas/verification_otp/properties/strategy`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum VerificationOtpStrategy {
    /// `phone_code`
    PhoneCode,
    /// `email_code`
    EmailCode,
    /// `reset_password_email_code`
    ResetPasswordEmailCode,
    /// A value this version of the SDK does not know, kept verbatim so it round-trips.
    Unknown(String),
}
impl VerificationOtpStrategy {
    /// The value as it appears on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            Self::PhoneCode => "phone_code",
            Self::EmailCode => "email_code",
            Self::ResetPasswordEmailCode => "reset_password_email_code",
            Self::Unknown(value) => value,
        }
    }
    /// Whether this is a value this version of the SDK does not know.
    pub fn is_unknown(&self) -> bool {
        matches!(self, Self::Unknown(_))
    }
}
clerk_sdk::runtime::__private::impl_open_enum!(
    VerificationOtpStrategy, Unknown, { "phone_code" =>
    VerificationOtpStrategy::PhoneCode, "email_code" =>
    VerificationOtpStrategy::EmailCode, "reset_password_email_code" =>
    VerificationOtpStrategy::ResetPasswordEmailCode, }
);
