//! A tour of the phone_numbers operations: create, get, update, prepare and attempt
//! verification, delete, and handling a typed Clerk error.
//!
//! ```sh
//! cargo run -p clerk-sdk --example phone_numbers
//! ```
//!
//! Without `CLERK_SECRET_KEY` it starts a mock server on loopback and runs the tour against it,
//! so it works on any machine, offline. With `CLERK_SECRET_KEY` (and `CLERK_USER_ID`, the user
//! to add the number to) it talks to Clerk, at `CLERK_API_URL` if set. Use a development
//! instance: the tour adds the test number +1 555 555 0100 and verifies it with Clerk's test
//! code 424242.

use clerk_sdk::models::{AttemptPhoneNumberVerificationRequest, CreatePhoneNumberRequest, UpdatePhoneNumberRequest};
use clerk_sdk::{Clerk, Error, Nullable};

/// A number Clerk treats as a test number in development instances.
const TEST_PHONE_NUMBER: &str = "+15555550100";
/// The code Clerk accepts for test numbers.
const TEST_CODE: &str = "424242";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Keeps the mock server (if any) alive for the whole tour.
    let (clerk, user_id, _mock) = match std::env::var("CLERK_SECRET_KEY") {
        Ok(key) if !key.trim().is_empty() => {
            let user_id = std::env::var("CLERK_USER_ID")
                .map_err(|_| "CLERK_SECRET_KEY is set, so set CLERK_USER_ID to the user to add a number to")?;
            let mut builder = Clerk::builder().bearer_auth(key);
            if let Ok(url) = std::env::var("CLERK_API_URL") {
                builder = builder.server_url(url);
            }
            let clerk = builder.build()?;
            println!(
                "Using the Clerk API at {} (CLERK_SECRET_KEY is set).",
                clerk.server_url()
            );
            (clerk, user_id, None)
        }
        _ => {
            let server = mock::start().await;
            println!(
                "No CLERK_SECRET_KEY set: running against a local mock server at {}.",
                server.uri()
            );
            let clerk = Clerk::builder()
                .bearer_auth("sk_test_mock")
                .server_url(format!("{}/v1", server.uri()))
                .build()?;
            (clerk, mock::USER_ID.to_owned(), Some(server))
        }
    };
    let phone_numbers = clerk.phone_numbers();

    // Create: required fields go to `new`; optional ones are setters.
    let created = phone_numbers
        .create(CreatePhoneNumberRequest::new(&user_id, TEST_PHONE_NUMBER).verified(false))
        .await?;
    let id = created
        .id
        .clone()
        .ok_or("Clerk returned a phone number without an id")?;
    println!("created  {id}: {}", created.phone_number);

    // Get.
    let fetched = phone_numbers.get(&id).await?;
    let status = fetched.verification.as_ref().and_then(|v| v.tag()).unwrap_or("none");
    println!("fetched  {id}: verification {status}, reserved {}", fetched.reserved);

    // Update: `primary` is sent as null, `reserved_for_second_factor` with a value, and
    // `verified` is left unset, so it is not sent at all.
    let update = UpdatePhoneNumberRequest::default()
        .primary(Nullable::Null)
        .reserved_for_second_factor(false);
    println!("updating {id} with {}", serde_json::to_string(&update)?);
    let updated = phone_numbers.update(&id, update).await?;
    println!(
        "updated  {id}: reserved_for_second_factor {:?}",
        updated.reserved_for_second_factor
    );

    // Verify: send a code, then check it.
    let prepared = phone_numbers.prepare_verification(&id).await?;
    let verification_id = prepared.id.clone().ok_or("the verification has no id")?;
    println!("prepared {verification_id}: status {:?}", prepared.status.as_deref());
    let attempt = AttemptPhoneNumberVerificationRequest::new(&verification_id, TEST_CODE);
    let attempted = phone_numbers.attempt_verification(&id, attempt).await?;
    println!("attempted {verification_id}: status {:?}", attempted.status.as_deref());

    // Delete.
    let deleted = phone_numbers.delete(&id).await?;
    println!("deleted  {id}: {}", deleted.deleted);

    // A typed Clerk error: the number is gone now.
    match phone_numbers.get(&id).await {
        Err(Error::Api(error)) => println!(
            "fetching {id} again failed as expected: {} {} (trace id {})",
            error.status().as_u16(),
            error.code().unwrap_or("no code"),
            error.clerk_trace_id().unwrap_or("none")
        ),
        Err(other) => return Err(other.into()),
        Ok(_) => return Err("the deleted phone number still exists".into()),
    }
    println!("Tour complete.");
    Ok(())
}

/// A loopback stand-in for Clerk that answers the tour's requests the way Clerk would.
mod mock {
    use serde_json::json;
    use wiremock::matchers::{body_json, header_exists, method, path};
    use wiremock::{Mock, MockBuilder, MockServer, ResponseTemplate};

    pub const USER_ID: &str = "user_mock_2x5Qd";
    const PHONE_ID: &str = "idn_mock_2x5Qd";
    const VERIFICATION_ID: &str = "ver_mock_2x5Qd";

    fn phone_number(verification: serde_json::Value, reserved_for_second_factor: bool) -> serde_json::Value {
        json!({
            "id": PHONE_ID,
            "object": "phone_number",
            "phone_number": super::TEST_PHONE_NUMBER,
            "reserved_for_second_factor": reserved_for_second_factor,
            "default_second_factor": false,
            "reserved": false,
            "verification": verification,
            "linked_to": [],
            "backup_codes": null,
            "created_at": 1_764_000_000_000_i64,
            "updated_at": 1_764_000_000_000_i64
        })
    }

    fn verification(status: &str, attempts: u32) -> serde_json::Value {
        json!({
            "object": "verification",
            "id": VERIFICATION_ID,
            "status": status,
            "strategy": "phone_code",
            "attempts": attempts,
            "expire_at": 1_764_000_600_000_i64,
            "channel": "sms"
        })
    }

    /// Requests with this method and path that carry credentials.
    fn route(verb: &str, url_path: &str) -> MockBuilder {
        Mock::given(method(verb))
            .and(path(url_path))
            .and(header_exists("authorization"))
    }

    fn ok(body: serde_json::Value) -> ResponseTemplate {
        ResponseTemplate::new(200).set_body_json(body)
    }

    /// Starts the server with one answer per step of the tour.
    pub async fn start() -> MockServer {
        let server = MockServer::start().await;
        let item = format!("/v1/phone_numbers/{PHONE_ID}");
        let admin = json!({"object": "verification_admin", "status": "verified", "strategy": "admin", "attempts": null, "expire_at": null});
        let mocks = [
            route("POST", "/v1/phone_numbers").respond_with(ok(phone_number(serde_json::Value::Null, false))),
            route("GET", &item)
                .respond_with(ok(phone_number(serde_json::Value::Null, false)))
                .up_to_n_times(1),
            route("PATCH", &item)
                .and(body_json(json!({"primary": null, "reserved_for_second_factor": false})))
                .respond_with(ok(phone_number(admin, false))),
            route("POST", &format!("{item}/prepare_verification")).respond_with(ok(verification("unverified", 0))),
            route("POST", &format!("{item}/attempt_verification"))
                .and(body_json(
                    json!({"verification_id": VERIFICATION_ID, "code": super::TEST_CODE}),
                ))
                .respond_with(ok(verification("verified", 1))),
            route("DELETE", &item).respond_with(ok(json!({"object": "phone_number", "id": PHONE_ID, "deleted": true}))),
            // After the delete, the number is gone.
            route("GET", &item).respond_with(ResponseTemplate::new(404).set_body_json(json!({
                "errors": [{
                    "message": "not found",
                    "long_message": "Resource not found",
                    "code": "resource_not_found"
                }],
                "clerk_trace_id": "trace_mock_404"
            }))),
        ];
        for mock in mocks {
            mock.mount(&server).await;
        }
        server
    }
}
