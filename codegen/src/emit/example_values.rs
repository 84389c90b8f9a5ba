//! The scalar values of generated examples: the spec's own example where it keeps the field's
//! constraints, otherwise a placeholder that keeps them, so an example copied as it is never
//! earns a 4xx for a value the spec itself forbids (a `limit` of 0 where the minimum is 1, a
//! URI field holding `"<redirect_uri>"`).

use serde_json::Value;

use crate::model::Constraint;

/// An integer literal: the example, or 0 moved into the field's range.
pub(super) fn integer(example: Option<&Value>, constraints: &[Constraint]) -> String {
    if let Some(n) = example.and_then(Value::as_i64) {
        // Whole values below 2^53 compare exactly as floats.
        #[allow(clippy::cast_precision_loss)]
        if in_range(n as f64, constraints) {
            return n.to_string();
        }
    }
    let (low, high) = range(constraints);
    let mut value = 0.0_f64;
    if let Some((min, exclusive)) = low {
        value = value.max(if exclusive { min.floor() + 1.0 } else { min.ceil() });
    }
    if let Some((max, exclusive)) = high {
        value = value.min(if exclusive { max.ceil() - 1.0 } else { max.floor() });
    }
    format!("{value:.0}")
}

/// A float literal: the example, or 0.0 moved into the field's range.
pub(super) fn float(example: Option<&Value>, constraints: &[Constraint]) -> String {
    if let Some(n) = example.and_then(Value::as_f64).filter(|n| in_range(*n, constraints)) {
        return literal(n);
    }
    let (low, high) = range(constraints);
    let mut value = 0.0_f64;
    if let Some((min, exclusive)) = low {
        value = value.max(if exclusive { min + 1.0 } else { min });
    }
    if let Some((max, exclusive)) = high {
        value = value.min(if exclusive { max - 1.0 } else { max });
    }
    literal(value)
}

/// `1.0`, not `1`: a literal that is a float.
fn literal(value: f64) -> String {
    let text = value.to_string();
    if text.contains(['.', 'e', 'E']) {
        text
    } else {
        format!("{text}.0")
    }
}

/// A string literal: the example, or a placeholder fit for the field's `format` and length.
pub(super) fn string(example: Option<&Value>, name: &str, format: Option<&str>, constraints: &[Constraint]) -> String {
    let (min, max) = lengths(constraints);
    let fits = |text: &str| {
        let length = text.chars().count() as u64;
        length >= min && max.is_none_or(|max| length <= max)
    };
    if let Some(text) = example.and_then(Value::as_str).filter(|text| fits(text)) {
        return format!("{text:?}");
    }
    let mut text = match format {
        Some("uri" | "url" | "uri-reference") => "https://example.com/callback".to_owned(),
        Some("email") => "user@example.com".to_owned(),
        Some("date-time") => "2025-01-01T00:00:00Z".to_owned(),
        Some("date") => "2025-01-01".to_owned(),
        Some("uuid") => "00000000-0000-4000-8000-000000000000".to_owned(),
        _ => format!("<{name}>"),
    };
    let length = text.chars().count() as u64;
    if length < min {
        text.extend(std::iter::repeat_n('x', usize::try_from(min - length).unwrap_or(0)));
    }
    if let Some(max) = max {
        text = text.chars().take(usize::try_from(max).unwrap_or(usize::MAX)).collect();
    }
    format!("{text:?}")
}

/// The number of items a list needs: its `minItems`.
pub(super) fn min_items(constraints: &[Constraint]) -> u64 {
    constraints
        .iter()
        .find_map(|constraint| match constraint {
            Constraint::MinItems(min) => Some(*min),
            _ => None,
        })
        .unwrap_or(0)
}

/// The lower and upper bounds, each with whether it is exclusive.
type Bounds = (Option<(f64, bool)>, Option<(f64, bool)>);

fn range(constraints: &[Constraint]) -> Bounds {
    let mut bounds: Bounds = (None, None);
    for constraint in constraints {
        match *constraint {
            Constraint::Minimum(min) => bounds.0 = Some((min, false)),
            Constraint::Above(min) => bounds.0 = Some((min, true)),
            Constraint::Maximum(max) => bounds.1 = Some((max, false)),
            Constraint::Below(max) => bounds.1 = Some((max, true)),
            _ => {}
        }
    }
    bounds
}

fn in_range(value: f64, constraints: &[Constraint]) -> bool {
    let (low, high) = range(constraints);
    let above = low.is_none_or(|(min, exclusive)| if exclusive { value > min } else { value >= min });
    let below = high.is_none_or(|(max, exclusive)| if exclusive { value < max } else { value <= max });
    above && below
}

/// The shortest and longest a string may be.
fn lengths(constraints: &[Constraint]) -> (u64, Option<u64>) {
    let mut lengths = (0, None);
    for constraint in constraints {
        match *constraint {
            Constraint::MinLength(min) => lengths.0 = min,
            Constraint::MaxLength(max) => lengths.1 = Some(max),
            _ => {}
        }
    }
    lengths
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn numbers_keep_their_range() {
        let limit = [Constraint::Minimum(1.0), Constraint::Maximum(500.0)];
        assert_eq!(integer(None, &limit), "1");
        assert_eq!(integer(Some(&json!(20)), &limit), "20");
        assert_eq!(
            integer(Some(&json!(501)), &limit),
            "1",
            "an example out of range is not used"
        );
        assert_eq!(integer(None, &[Constraint::Above(0.0)]), "1");
        assert_eq!(integer(None, &[Constraint::Maximum(-5.0)]), "-5");
        assert_eq!(integer(None, &[]), "0");
        assert_eq!(float(None, &[Constraint::Minimum(0.5)]), "0.5");
        assert_eq!(float(Some(&json!(2)), &[]), "2.0");
    }

    #[test]
    fn strings_follow_their_format_and_length() {
        assert_eq!(
            string(None, "redirect_uri", Some("uri"), &[]),
            "\"https://example.com/callback\""
        );
        assert_eq!(
            string(None, "code", None, &[Constraint::MinLength(10)]),
            "\"<code>xxxx\""
        );
        assert_eq!(string(None, "code", None, &[Constraint::MaxLength(3)]), "\"<co\"");
        assert_eq!(
            string(Some(&json!("")), "name", None, &[Constraint::MinLength(1)]),
            "\"<name>\""
        );
        assert_eq!(
            string(Some(&json!("Acme")), "name", None, &[Constraint::MinLength(1)]),
            "\"Acme\""
        );
        assert_eq!(min_items(&[Constraint::MaxItems(3), Constraint::MinItems(1)]), 1);
    }
}
