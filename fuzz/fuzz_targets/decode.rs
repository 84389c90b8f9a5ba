//! Arbitrary bytes as the body of every phone_numbers operation's responses (the 2xx body and
//! each mapped error status), through the SDK's own response mapping. It must give a value or a
//! typed error, never panic, and the error must format.

#![no_main]

use clerk_sdk::__private::decode_response;
use clerk_sdk::models::{DeletedObject, PhoneNumber, VerificationResponse};
use libfuzzer_sys::fuzz_target;

fn check<T: serde::de::DeserializeOwned + std::fmt::Debug>(status: u16, mapped: &'static [u16], body: &[u8]) {
    match decode_response::<T>(status, mapped, body) {
        Ok(value) => {
            let _ = format!("{value:?}");
        }
        Err(error) => {
            let _ = (error.to_string(), format!("{error:?}"), error.clerk_trace_id(), error.status());
        }
    }
}

fuzz_target!(|data: &[u8]| {
    // create, get and update return a PhoneNumber; delete a DeletedObject; prepare and
    // attempt verification a VerificationResponse.
    check::<PhoneNumber>(200, &[400, 401, 403, 404, 422], data);
    check::<DeletedObject>(200, &[400, 401, 403, 404], data);
    check::<VerificationResponse>(200, &[400, 401, 403, 404, 429, 500], data);
    // The same bytes as the body of a mapped error status and of an unlisted one.
    check::<PhoneNumber>(404, &[400, 401, 403, 404, 422], data);
    check::<VerificationResponse>(500, &[400, 401, 403, 404, 429, 500], data);
    check::<PhoneNumber>(502, &[400, 401, 403, 404], data);
});
