//! A machine token verified through a generated client's verify operation: whatever the
//! generated response type is, its JSON is the token's record, which
//! [`from_record`](super::from_record) reads. So the glue each generated crate has
//! (`VerifyMachineToken` for `Clerk`, from `__machine_verifier!`) is one line per operation.

use serde::Serialize;

use super::{MachineAnswer, MachineFuture, READ_FIELDS};
use crate::api::Api;
use crate::auth::TokenKind;
use crate::call::{Call, FromResponse, Response};
use crate::error::SdkError;

/// Sends `call` (a generated verify operation's call, its body holding the token) and says
/// what the API answered. Used by generated code.
#[doc(hidden)]
pub fn verify_machine<A, T>(call: Call<A, T>) -> MachineFuture<'static>
where
    A: Api,
    T: FromResponse + Serialize + Send + 'static,
{
    Box::pin(async move { answer_of(call.send_with_response().await) })
}

/// The answer for a kind the client has no verify operation for. Used by generated code.
#[doc(hidden)]
pub fn unsupported_machine_token(kind: TokenKind) -> MachineFuture<'static> {
    Box::pin(std::future::ready(MachineAnswer::Unavailable {
        reason: format!("the client has no operation that verifies a {kind}"),
    }))
}

/// The answer a call's outcome gives.
fn answer_of<T: Serialize, E>(outcome: Result<Response<T>, SdkError<E>>) -> MachineAnswer {
    let response = match outcome {
        Ok(response) => response,
        Err(error) => return refusal(&error),
    };
    // A field this module reads that the lenient decoding had to fill in or change is not the
    // API's answer: fail closed, and do not remember it.
    if let Some(deviation) = response
        .deviations()
        .iter()
        .find(|deviation| READ_FIELDS.contains(&top_field(deviation.pointer())))
    {
        return MachineAnswer::Unavailable {
            reason: format!("the verify answer deviated from the spec at `{}`", deviation.pointer()),
        };
    }
    match serde_json::to_value(response.value()) {
        Ok(record) => MachineAnswer::Verified(record),
        Err(error) => MachineAnswer::Unavailable {
            reason: format!("the verify answer does not serialize: {error}"),
        },
    }
}

/// The first segment of a JSON pointer: `subject` of `/subject` and of `/scopes/0`.
fn top_field(pointer: &str) -> &str {
    pointer.trim_start_matches('/').split('/').next().unwrap_or_default()
}

/// What an error says about the token: `400`, `404` and `422` refuse the token itself (Clerk
/// answers an unknown token `404`, `@clerk/backend`'s `TokenInvalid`); any other error says
/// nothing about it.
fn refusal<E>(error: &SdkError<E>) -> MachineAnswer {
    let status = error.status().map(|status| status.as_u16());
    let got_answer = matches!(error, SdkError::Api(_) | SdkError::UnexpectedStatus(_));
    match status {
        Some(status @ (400 | 404 | 422)) if got_answer => MachineAnswer::Invalid { status },
        Some(status) => MachineAnswer::Unavailable {
            reason: match error.clerk_trace_id() {
                Some(trace) => format!("the Backend API answered {status} (trace {trace})"),
                None => format!("the Backend API answered {status}"),
            },
        },
        None if error.is_timeout() => MachineAnswer::Unavailable {
            reason: "the Backend API did not answer in time".to_owned(),
        },
        None => MachineAnswer::Unavailable {
            reason: format!("the Backend API could not be asked: {error}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pointer_names_its_top_field() {
        assert_eq!(top_field("/subject"), "subject");
        assert_eq!(top_field("/scopes/0"), "scopes");
        assert_eq!(top_field(""), "");
    }

    #[test]
    fn an_error_without_a_status_is_no_answer_about_the_token() {
        let error: SdkError<()> = SdkError::Config("no secret key".to_owned());
        assert!(matches!(refusal(&error), MachineAnswer::Unavailable { .. }));
    }
}
