//! What the mock says when it was not used as expected: its failure answer to a request, and
//! the report [`Mock::check`](super::Mock::check) gives.

use std::fmt::Write as _;

use wiremock::ResponseTemplate;

use super::state::{AnsweredBy, MOCK_FAILURE_HEADER, MOCK_FAILURE_STATUS, Recorded, State};
use crate::api::KeyLocation;

/// The longest part of a request body a report quotes.
const QUOTED_BODY_CHARS: usize = 300;

impl State {
    /// Why the mock failed `request` (answered by `Nobody`, `Forbidden` or `Unreadable`).
    pub(super) fn failure(&self, request: &Recorded) -> String {
        let described = self.describe_request(request);
        match &request.answered_by {
            AnsweredBy::Forbidden(index) => format!(
                "{described} came, and the expectation {} says it never does",
                self.entries[*index].describe()
            ),
            AnsweredBy::Unreadable(index, reason) => format!(
                "{described} came, and the expectation {} could not compute its response: {reason}",
                self.entries[*index].describe()
            ),
            _ => format!("the mock has no expectation for {described}"),
        }
    }

    /// The mock's own answer to a request it failed: [`MOCK_FAILURE_STATUS`], with the API's
    /// error shape so the message reaches the application's error, and the
    /// [`MOCK_FAILURE_HEADER`] by which the mock's clients panic at the call.
    pub(super) fn failure_answer(&self, request: &Recorded) -> ResponseTemplate {
        let message = self.failure(request);
        ResponseTemplate::new(MOCK_FAILURE_STATUS)
            .insert_header(MOCK_FAILURE_HEADER, "1")
            .set_body_json(serde_json::json!({
                "errors": [{
                    "code": "mock_failure",
                    "message": message,
                    "long_message": format!("{message}.\n{}", self.describe_expectations()),
                }]
            }))
    }

    /// A request in a report: method, path, the query without credentials, and the start of
    /// the body.
    fn describe_request(&self, request: &Recorded) -> String {
        let hidden = self.credential_names(KeyLocation::Query);
        let query: Vec<String> = request
            .query
            .iter()
            .filter(|(name, _)| !hidden.contains(&name.as_str()))
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        let mut text = format!("{} {}", request.method, request.path);
        if !query.is_empty() {
            let _ = write!(text, "?{}", query.join("&"));
        }
        if request.body.is_empty() {
            text.push_str(" without a body");
        } else {
            let body = String::from_utf8_lossy(&request.body);
            let quoted: String = body.chars().take(QUOTED_BODY_CHARS).collect();
            let cut = if quoted.len() < body.len() { "..." } else { "" };
            let _ = write!(text, " with body {quoted}{cut}");
        }
        text
    }

    fn describe_expectations(&self) -> String {
        if self.entries.is_empty() {
            return "No expectations were given.".to_owned();
        }
        let mut text = "Expectations, newest last:".to_owned();
        for entry in &self.entries {
            if entry.never {
                let _ = write!(text, "\n  - {}: never", entry.describe());
                continue;
            }
            let steps: Vec<String> = entry
                .steps
                .iter()
                .map(|step| match step.times {
                    Some(times) => format!("{} x{times} ({} given)", step.reply.describe(), step.served),
                    None => format!("{} ({} given)", step.reply.describe(), step.served),
                })
                .collect();
            let _ = write!(text, "\n  - {}: {}", entry.describe(), steps.join(", then "));
        }
        text
    }

    /// The requests that matched no expectation, and the steps given a count they did not
    /// reach.
    pub(super) fn report(&self) -> Result<(), String> {
        let unmatched: Vec<String> = self
            .log
            .iter()
            .filter(|request| request.answered_by == AnsweredBy::Nobody)
            .map(|request| format!("\n  - {}", self.describe_request(request)))
            .collect();
        let failed: Vec<String> = (self.log.iter())
            .filter(|request| {
                matches!(
                    request.answered_by,
                    AnsweredBy::Forbidden(_) | AnsweredBy::Unreadable(..)
                )
            })
            .map(|request| format!("\n  - {}", self.failure(request)))
            .collect();
        let mut unmet = Vec::new();
        for entry in &self.entries {
            for (number, step) in entry.steps.iter().enumerate() {
                if let Some(times) = step.times.filter(|times| step.served < *times) {
                    unmet.push(format!(
                        "\n  - {}: response {} ({}) expected {times} time(s), given {}",
                        entry.describe(),
                        number + 1,
                        step.reply.describe(),
                        step.served
                    ));
                }
            }
        }
        if unmatched.is_empty() && unmet.is_empty() && failed.is_empty() {
            return Ok(());
        }
        let mut report = format!("the mock of {} was not used as expected.", self.api.title);
        if !unmatched.is_empty() {
            let _ = write!(report, "\nRequests that matched no expectation:{}", unmatched.concat());
        }
        if !failed.is_empty() {
            let _ = write!(report, "\nRequests the expectations refused:{}", failed.concat());
        }
        if !unmet.is_empty() {
            let _ = write!(report, "\nExpected requests that did not come:{}", unmet.concat());
        }
        let _ = write!(report, "\n{}", self.describe_expectations());
        Err(report)
    }
}
