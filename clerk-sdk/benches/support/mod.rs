//! What the benchmarks share: the realistic payload, the plain-serde baseline types, and
//! reading criterion's medians back to print ratios measured in the same run.

#![allow(dead_code)] // Each bench binary uses part of this.

pub mod today;

use std::path::PathBuf;

use serde::Deserialize;

/// A phone number as Clerk returns it, with `links` linked identifications and the given
/// verification.
pub fn phone_number_json(verification: &str, links: usize) -> String {
    let linked: Vec<String> = (0..links)
        .map(|i| format!(r#"{{"type":"oauth_google","id":"idn_2RJhUZkcBlUCDxz5B3Vq7Ir5c{i:03}"}}"#))
        .collect();
    format!(
        r#"{{"id":"idn_2RJhUXnMYzPyCNMFLNRGuC7fWUL","object":"phone_number","phone_number":"+15555550100","reserved_for_second_factor":false,"default_second_factor":false,"reserved":false,"verification":{verification},"linked_to":[{}],"backup_codes":null,"created_at":1716883200000,"updated_at":1716883200000}}"#,
        linked.join(",")
    )
}

/// [`phone_number_json`] with an OTP verification, drifted the way Clerk's responses have
/// been: `reserved` missing, `created_at` a string, and a strategy the enum does not list.
pub fn drifted_phone_number_json(links: usize) -> String {
    let mut body: serde_json::Value = serde_json::from_str(&phone_number_json(OTP, links)).expect("JSON");
    let object = body.as_object_mut().expect("an object");
    object.remove("reserved");
    object.insert("created_at".to_owned(), serde_json::json!("1716883200000"));
    body["verification"]["strategy"] = serde_json::json!("whatsapp_code");
    body.to_string()
}

/// An OTP verification.
pub const OTP: &str = r#"{"object":"verification_otp","status":"verified","strategy":"phone_code","attempts":1,"expire_at":1735000000000,"channel":"sms","verified_at_client":"client_2RJhUXnMYzPyCNMFLNRGuC7fWUL"}"#;
/// An admin verification.
pub const ADMIN: &str =
    r#"{"object":"verification_admin","status":"verified","strategy":"admin","attempts":null,"expire_at":null}"#;

/// The baseline: what a hand-written client would decode into, with closed enums and serde's
/// own internally tagged enum.
#[derive(Debug, Deserialize)]
pub struct PlainPhoneNumber {
    pub id: Option<String>,
    pub object: PlainObject,
    pub phone_number: String,
    pub reserved_for_second_factor: Option<bool>,
    pub default_second_factor: Option<bool>,
    pub reserved: bool,
    pub verification: Option<PlainVerification>,
    pub linked_to: Vec<PlainLink>,
    pub backup_codes: Option<Vec<String>>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlainObject {
    PhoneNumber,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "object", rename_all = "snake_case")]
pub enum PlainVerification {
    VerificationOtp {
        status: PlainStatus,
        strategy: PlainStrategy,
        attempts: Option<i64>,
        expire_at: Option<i64>,
        channel: Option<String>,
        verified_at_client: Option<String>,
    },
    VerificationAdmin {
        status: PlainStatus,
        strategy: PlainStrategy,
        attempts: Option<i64>,
        expire_at: Option<i64>,
    },
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlainStatus {
    Unverified,
    Verified,
    Failed,
    Expired,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlainStrategy {
    PhoneCode,
    EmailCode,
    ResetPasswordEmailCode,
    Admin,
}

#[derive(Debug, Deserialize)]
pub struct PlainLink {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
}

/// Where criterion writes its results: the workspace's `target/criterion`.
pub fn criterion_dir() -> PathBuf {
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| workspace.join("target"), PathBuf::from)
        .join("criterion")
}

/// The median, in nanoseconds, criterion measured for `group/function/parameter`.
pub fn median_ns(path: &str) -> Option<f64> {
    let file = criterion_dir().join(path).join("new/estimates.json");
    let text = std::fs::read_to_string(file).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json["median"]["point_estimate"].as_f64()
}

/// Prints `name: subject / baseline = ratio` from the medians of this run.
pub fn print_ratio(name: &str, subject: &str, baseline: &str) {
    match (median_ns(subject), median_ns(baseline)) {
        (Some(s), Some(b)) => println!(
            "ratio from criterion's medians, {name}: {:.1} µs / {:.1} µs = {:.3}",
            s / 1000.0,
            b / 1000.0,
            s / b
        ),
        _ => println!("ratio {name}: not measured in this run"),
    }
}

/// The ratio of `subject`'s to `baseline`'s time, measured by alternating batches of each and
/// taking the median of each side, so that drift in the machine's speed hits both alike.
pub fn interleaved_ratio(subject: impl FnMut(), baseline: impl FnMut()) -> f64 {
    interleaved_ratio_with(201, 500, subject, baseline)
}

/// [`interleaved_ratio`] with `rounds` pairs of batches of `batch` runs each.
pub fn interleaved_ratio_with(
    rounds: usize,
    batch: usize,
    mut subject: impl FnMut(),
    mut baseline: impl FnMut(),
) -> f64 {
    let time = |f: &mut dyn FnMut()| {
        let start = std::time::Instant::now();
        for _ in 0..batch {
            f();
        }
        start.elapsed().as_secs_f64()
    };
    let (mut s, mut b) = (Vec::with_capacity(rounds), Vec::with_capacity(rounds));
    for _ in 0..rounds {
        s.push(time(&mut subject));
        b.push(time(&mut baseline));
    }
    s.sort_by(f64::total_cmp);
    b.sort_by(f64::total_cmp);
    s[rounds / 2] / b[rounds / 2]
}
