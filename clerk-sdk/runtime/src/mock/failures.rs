//! Failing the test at the call: the hook the mock's clients carry.

use super::state::MOCK_FAILURE_HEADER;
use crate::hooks::{AttemptFailure, HookContext, Hooks};

/// Panics, with the mock's report, when an attempt gets the mock's own failure answer (a
/// request nothing expected, one an expectation forbade, or one a computed response could not
/// read), so that the test fails at the call that went wrong instead of when the mock is
/// dropped, and an application's error handling cannot swallow it.
pub(super) struct PanicOnMockFailure;

impl Hooks for PanicOnMockFailure {
    fn after_error(&self, context: &HookContext, failure: &AttemptFailure<'_>) {
        let AttemptFailure::Status(response) = failure else {
            return;
        };
        if response.headers.contains_key(MOCK_FAILURE_HEADER) {
            panic!("{} through the mock: {}", context.operation_id, report(response.body));
        }
    }
}

/// The report in the mock's failure answer: its `long_message`, or the body as text.
fn report(body: &[u8]) -> String {
    let value: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    let message = value
        .as_ref()
        .and_then(|value| value.pointer("/errors/0/long_message"))
        .and_then(serde_json::Value::as_str);
    match message {
        Some(message) => message.to_owned(),
        None => String::from_utf8_lossy(body).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_is_the_long_message_or_the_text() {
        let body = br#"{"errors": [{"code": "mock_failure", "message": "m", "long_message": "the mock has no expectation for GET /a"}]}"#;
        assert_eq!(report(body), "the mock has no expectation for GET /a");
        assert_eq!(report(b"plain"), "plain");
    }
}
