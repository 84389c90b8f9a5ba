//! What a cursor list's API accepts with its cursor, as the spec declares it
//! ([`CursorRules`]), and so how one walk pages: by the cursor, or by offset for a call whose
//! other parameters a cursor does not allow.

use super::{CursorRules, PageBy};

/// How one walk asks for its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// By this offset parameter.
    Offset(&'static str),
    /// By this cursor parameter.
    Cursor(&'static str),
    /// Not at all: one page.
    Once,
}

impl Mode {
    /// The list's own way of paging.
    pub(super) fn of(by: &PageBy) -> Mode {
        match by {
            PageBy::Offset(param) => Mode::Offset(param),
            PageBy::Cursor { param, .. } => Mode::Cursor(param),
            PageBy::Once => Mode::Once,
        }
    }
}

/// How a call with the query `value_of` gives pages: the list's own way where its cursor's
/// rules allow the call, else by the rules' fallback offset. Fails, with the reason, when they
/// do not and there is no fallback, or when the call sets the cursor itself.
pub(super) fn mode_for(by: &PageBy, value_of: &impl Fn(&str) -> Option<String>) -> Result<Mode, String> {
    let PageBy::Cursor { param, rules, .. } = by else {
        return Ok(Mode::of(by));
    };
    let Some(broken) = broken_rule(param, rules, value_of) else {
        return Ok(Mode::Cursor(param));
    };
    if value_of(param).is_some_and(|cursor| !cursor.is_empty()) {
        return Err(format!(
            "the call sets the `{param}` cursor, but {broken}: the API would refuse it"
        ));
    }
    match rules.fallback {
        Some(offset) => Ok(Mode::Offset(offset)),
        None => Err(format!("{broken}, and the list has no offset to page by instead")),
    }
}

/// The first of `rules` the call breaks, said as a reason; `None` when it keeps them all.
fn broken_rule(cursor: &str, rules: &CursorRules, value_of: &impl Fn(&str) -> Option<String>) -> Option<String> {
    for (param, allowed) in rules.allows {
        if let Some(value) = value_of(param)
            && !allowed.contains(&value.as_str())
        {
            return Some(format!(
                "`{param}` is `{value}`, and the `{cursor}` cursor allows only {}",
                quoted(allowed)
            ));
        }
    }
    for (param, default) in rules.excludes {
        if let Some(value) = value_of(param)
            && Some(value.as_str()) != *default
        {
            return Some(format!(
                "`{param}` is `{value}`, and the `{cursor}` cursor cannot be combined with it"
            ));
        }
    }
    None
}

/// `a`, `b` or `c`.
fn quoted(values: &[&str]) -> String {
    let quoted: Vec<String> = values.iter().map(|value| format!("`{value}`")).collect();
    match quoted.split_last() {
        None => "no value".to_owned(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pagination::CursorFrom;

    /// Clerk's rules for `GET /users`' `starting_after`.
    const USERS: PageBy = PageBy::Cursor {
        param: "starting_after",
        from: CursorFrom::LastItem("id"),
        rules: CursorRules {
            allows: &[("order_by", &["created_at", "+created_at", "-created_at"])],
            excludes: &[("offset", Some("0"))],
            fallback: Some("offset"),
        },
    };

    fn query(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        }
    }

    #[test]
    fn a_call_within_the_rules_pages_by_cursor() {
        for pairs in [
            &[][..],
            &[("order_by", "-created_at")],
            &[("order_by", "created_at"), ("offset", "0")],
            &[("email_address", "a@example.com")],
        ] {
            let pairs: &'static [(&str, &str)] = Box::leak(pairs.to_vec().into_boxed_slice());
            assert_eq!(
                mode_for(&USERS, &query(pairs)),
                Ok(Mode::Cursor("starting_after")),
                "{pairs:?}"
            );
        }
    }

    #[test]
    fn an_ordering_or_an_offset_the_cursor_refuses_pages_by_offset() {
        assert_eq!(
            mode_for(&USERS, &query(&[("order_by", "-email_address")])),
            Ok(Mode::Offset("offset"))
        );
        assert_eq!(
            mode_for(&USERS, &query(&[("offset", "100")])),
            Ok(Mode::Offset("offset"))
        );
    }

    #[test]
    fn a_call_that_sets_the_cursor_against_the_rules_is_refused_with_the_reason() {
        assert_eq!(
            mode_for(
                &USERS,
                &query(&[("starting_after", "user_1"), ("order_by", "-email_address")])
            ),
            Err("the call sets the `starting_after` cursor, but `order_by` is `-email_address`, and the `starting_after` cursor allows only `created_at`, `+created_at` or `-created_at`: the API would refuse it".to_owned())
        );
        const NO_FALLBACK: PageBy = PageBy::Cursor {
            param: "after",
            from: CursorFrom::LastItem("id"),
            rules: CursorRules {
                allows: &[],
                excludes: &[("search", None)],
                fallback: None,
            },
        };
        assert_eq!(
            mode_for(&NO_FALLBACK, &query(&[("search", "ann")])),
            Err("`search` is `ann`, and the `after` cursor cannot be combined with it, and the list has no offset to page by instead".to_owned())
        );
        assert_eq!(mode_for(&NO_FALLBACK, &query(&[])), Ok(Mode::Cursor("after")));
    }
}
