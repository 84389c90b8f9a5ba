//! `x-cursor-rules`, this generator's extension beside `x-speakeasy-pagination`: what a cursor
//! list's API accepts with its cursor. Speakeasy's declaration says how to page, not what the
//! API refuses; Clerk says that only in prose (`GET /users`' `starting_after`), so an overlay
//! declares it:
//!
//! ```yaml
//! x-cursor-rules:
//!   allows:                 # parameters the cursor allows only these values of, when set
//!     order_by: [created_at, +created_at, -created_at]
//!   excludes: [offset]      # parameters the cursor cannot be combined with, unless at their default
//!   fallback: offset        # the integer parameter that pages a call outside the rules
//! ```
//!
//! Without `fallback`, a call outside the rules is refused before it is sent.

use indexmap::IndexMap;
use serde_json::Value;

use super::QueryFacts;
use crate::model::CursorRules;

/// The extension's name.
pub(in crate::lower) const EXTENSION: &str = "x-cursor-rules";

/// The rules the operation's extensions declare; none when it has no `x-cursor-rules`. `Err`
/// says why the extension cannot be read.
pub(super) fn read(extensions: &IndexMap<String, Value>, query: &[QueryFacts]) -> Result<CursorRules, String> {
    let Some(value) = extensions.get(EXTENSION) else {
        return Ok(CursorRules::default());
    };
    let Value::Object(fields) = value else {
        return Err(format!("`{EXTENSION}` must be an object"));
    };
    if let Some(unknown) = fields
        .keys()
        .find(|key| !["allows", "excludes", "fallback"].contains(&key.as_str()))
    {
        return Err(format!(
            "`{EXTENSION}` has `{unknown}`; it takes `allows`, `excludes` and `fallback`"
        ));
    }
    Ok(CursorRules {
        allows: allows(fields.get("allows"), query)?,
        excludes: excludes(fields.get("excludes"), query)?,
        fallback: fallback(fields.get("fallback"), query)?,
    })
}

/// `allows`: an object of query parameters, each with a list of strings.
fn allows(value: Option<&Value>, query: &[QueryFacts]) -> Result<Vec<(String, Vec<String>)>, String> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    let Value::Object(params) = value else {
        return Err(format!("`{EXTENSION}.allows` must map parameters to lists of values"));
    };
    params
        .iter()
        .map(|(param, values)| {
            param_facts(param, query)?;
            let values = strings(values)
                .filter(|values| !values.is_empty())
                .ok_or_else(|| format!("`{EXTENSION}.allows.{param}` must be a list of strings"))?;
            Ok((param.clone(), values))
        })
        .collect()
}

/// `excludes`: a list of query parameters, each with its default.
fn excludes(value: Option<&Value>, query: &[QueryFacts]) -> Result<Vec<(String, Option<String>)>, String> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    let params = strings(value).ok_or_else(|| format!("`{EXTENSION}.excludes` must be a list of parameters"))?;
    params
        .into_iter()
        .map(|param| {
            let default = param_facts(&param, query)?.default.clone();
            Ok((param, default))
        })
        .collect()
}

/// `fallback`: an integer query parameter.
fn fallback(value: Option<&Value>, query: &[QueryFacts]) -> Result<Option<String>, String> {
    let Some(value) = value else {
        return Ok(None);
    };
    let param = value
        .as_str()
        .ok_or_else(|| format!("`{EXTENSION}.fallback` must be a parameter's name"))?;
    if !param_facts(param, query)?.numeric {
        return Err(format!(
            "`{EXTENSION}.fallback` `{param}` is not a number, so no offset"
        ));
    }
    Ok(Some(param.to_owned()))
}

fn param_facts<'q>(param: &str, query: &'q [QueryFacts]) -> Result<&'q QueryFacts, String> {
    query
        .iter()
        .find(|facts| facts.name == param)
        .ok_or_else(|| format!("`{EXTENSION}` names `{param}`, which is not a query parameter of the operation"))
}

fn strings(value: &Value) -> Option<Vec<String>> {
    value
        .as_array()?
        .iter()
        .map(|item| item.as_str().map(str::to_owned))
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn query() -> Vec<QueryFacts> {
        let param = |name: &str, numeric: bool, default: Option<&str>| QueryFacts {
            name: name.to_owned(),
            numeric,
            maximum: None,
            default: default.map(str::to_owned),
        };
        vec![
            param("order_by", false, Some("-created_at")),
            param("offset", true, Some("0")),
            param("q", false, None),
        ]
    }

    fn rules(value: Value) -> Result<CursorRules, String> {
        read(&[(EXTENSION.to_owned(), value)].into_iter().collect(), &query())
    }

    #[test]
    fn the_rules_name_parameters_with_their_defaults() {
        let read = rules(json!({
            "allows": {"order_by": ["created_at", "-created_at"]},
            "excludes": ["offset", "q"],
            "fallback": "offset"
        }));
        assert_eq!(
            read,
            Ok(CursorRules {
                allows: vec![("order_by".into(), vec!["created_at".into(), "-created_at".into()])],
                excludes: vec![("offset".into(), Some("0".into())), ("q".into(), None)],
                fallback: Some("offset".into()),
            })
        );
        assert_eq!(read_none(), Ok(CursorRules::default()));
    }

    fn read_none() -> Result<CursorRules, String> {
        read(&IndexMap::new(), &query())
    }

    #[test]
    fn a_rule_that_cannot_hold_is_an_error_with_the_reason() {
        for (value, reason) in [
            (
                json!({"excludes": ["page"]}),
                "names `page`, which is not a query parameter",
            ),
            (json!({"fallback": "q"}), "`q` is not a number"),
            (json!({"allows": {"order_by": []}}), "must be a list of strings"),
            (json!({"allow": {}}), "has `allow`"),
            (json!(["offset"]), "must be an object"),
        ] {
            let error = rules(value).expect_err(reason);
            assert!(error.contains(reason), "{error}");
        }
    }
}
