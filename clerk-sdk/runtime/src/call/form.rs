//! `name=value` pairs, for query strings and `application/x-www-form-urlencoded` bodies: a
//! serialized struct flattened by OpenAPI's `style` and `explode` rules.
//!
//! Written here rather than taken from `serde_urlencoded` or `serde_qs`: those follow one
//! convention each (no arrays, or `a[0]=x` brackets), while OpenAPI lets each parameter or
//! field choose its style, which the generator reads from the spec.

/// How a value other than a scalar is sent, when it is not OpenAPI's default (`style: form`,
/// `explode: true`: one pair per array item, `?id=a&id=b`, and, in a body, an object's
/// properties as pairs of their own).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `style: form`, `explode: false`: one pair, items joined by commas (`id=a,b`); an object
    /// as its keys and values joined by commas (`meta=k,v`).
    Comma,
    /// `style: spaceDelimited`: one pair, items joined by spaces (`scope=openid%20email`).
    Space,
    /// `style: pipeDelimited`: one pair, items joined by `|` (`id=a|b`).
    Pipe,
    /// `style: deepObject`: one pair per property of an object (`filter[role]=admin`).
    DeepObject,
}

impl Style {
    /// What joins the items of an array, as it goes on the wire: the items are encoded one by
    /// one, so a comma inside an item is `%2C` while the separator stays `,`.
    fn separator(self) -> &'static str {
        match self {
            Style::Comma | Style::DeepObject => ",",
            Style::Space => "%20",
            Style::Pipe => "|",
        }
    }
}

/// What the pairs are for, which decides `null` and objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Target {
    /// A query string: `null` is left out; an object is sent only as a `deepObject`.
    Query,
    /// A form body: `null` (a three-state field set to null) is sent as an empty value,
    /// `name=`, and an object follows its style.
    Body,
}

/// `text` encoded for a query string or form body (`application/x-www-form-urlencoded`: a space
/// is `+`).
pub(super) fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// Flattens a serialized struct into encoded `name=value` pairs, by field name, in the order
/// the fields serialize: strings are sent as they are and numbers and booleans as JSON writes
/// them; arrays and objects follow the field's entry in `styles`, or the default.
pub(super) fn pairs(
    value: serde_json::Value,
    styles: &[(&str, Style)],
    target: Target,
) -> Result<Vec<(String, String)>, String> {
    let serde_json::Value::Object(fields) = value else {
        return Err("the parameters must serialize to an object".to_owned());
    };
    let mut pairs = Vec::new();
    for (name, value) in fields {
        let style = styles.iter().find(|(field, _)| *field == name).map(|(_, style)| *style);
        field_pairs(&name, value, style, target, &mut pairs)?;
    }
    Ok(pairs)
}

/// The pairs of one field.
fn field_pairs(
    name: &str,
    value: serde_json::Value,
    style: Option<Style>,
    target: Target,
    pairs: &mut Vec<(String, String)>,
) -> Result<(), String> {
    let encoded_name = encode(name);
    match (value, style) {
        (serde_json::Value::Null, _) if target == Target::Query => {}
        (serde_json::Value::Array(items), Some(style)) => {
            let mut texts = Vec::with_capacity(items.len());
            for item in items {
                texts.push(encode(&scalar(name, item)?));
            }
            pairs.push((encoded_name, texts.join(style.separator())));
        }
        (serde_json::Value::Array(items), None) => {
            for item in items {
                pairs.push((encoded_name.clone(), encode(&scalar(name, item)?)));
            }
        }
        (serde_json::Value::Object(properties), Some(Style::DeepObject)) => {
            for (key, value) in properties {
                pairs.push((
                    format!("{encoded_name}[{}]", encode(&key)),
                    encode(&scalar(name, value)?),
                ));
            }
        }
        (serde_json::Value::Object(_), _) if target == Target::Query => {
            return Err(format!(
                "query parameter `{name}` must be a scalar or an array of scalars"
            ));
        }
        (serde_json::Value::Object(properties), Some(_)) => {
            let mut texts = Vec::with_capacity(properties.len() * 2);
            for (key, value) in properties {
                texts.push(encode(&key));
                texts.push(encode(&scalar(name, value)?));
            }
            pairs.push((encoded_name, texts.join(",")));
        }
        (serde_json::Value::Object(properties), None) => {
            for (key, value) in properties {
                pairs.push((encode(&key), encode(&scalar(name, value)?)));
            }
        }
        (single, _) => pairs.push((encoded_name, encode(&scalar(name, single)?))),
    }
    Ok(())
}

/// A scalar value as text; `null` is empty, and a whole number is written as an integer (`10`,
/// never `10.0`), since an API that takes an integer typed `number` in its spec refuses `10.0`.
fn scalar(name: &str, value: serde_json::Value) -> Result<String, String> {
    match value {
        serde_json::Value::Null => Ok(String::new()),
        serde_json::Value::String(text) => Ok(text),
        serde_json::Value::Number(number) => Ok(number_text(&number)),
        serde_json::Value::Bool(_) => Ok(value.to_string()),
        serde_json::Value::Array(_) | serde_json::Value::Object(_) => Err(format!(
            "`{name}` nests a value too deeply to be sent as `name=value` pairs"
        )),
    }
}

/// A number as text, whole floats without their fraction. Only floats within ±2^53 are
/// rewritten: every integer there is exact in an `f64`, so the text is the value.
fn number_text(number: &serde_json::Number) -> String {
    const EXACT: f64 = 9_007_199_254_740_992.0;
    match number.as_f64() {
        Some(float) if number.is_f64() && float.fract() == 0.0 && float.abs() <= EXACT => {
            // Exact by the bound above, so the cast loses nothing.
            #[allow(clippy::cast_possible_truncation)]
            let whole = float as i64;
            whole.to_string()
        }
        _ => number.to_string(),
    }
}

/// Joins encoded pairs into a query string or form body: `a=1&b=2`.
pub(super) fn join(pairs: impl IntoIterator<Item = (String, String)>, text: &mut String) {
    for (i, (name, value)) in pairs.into_iter().enumerate() {
        if i > 0 {
            text.push('&');
        }
        text.push_str(&name);
        text.push('=');
        text.push_str(&value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(value: serde_json::Value, styles: &[(&str, Style)], target: Target) -> Result<String, String> {
        let mut text = String::new();
        join(pairs(value, styles, target)?, &mut text);
        Ok(text)
    }

    #[test]
    fn query_structs_flatten_to_pairs() {
        let value = serde_json::json!({
            "limit": 10,
            "user_id": ["user_a", "user_b"],
            "order_by": "-created_at",
            "q": "jo & ann",
            "paginated": true,
            "offset": null,
            "ratio": 0.5
        });
        assert_eq!(
            flat(value, &[], Target::Query).as_deref(),
            Ok("limit=10&order_by=-created_at&paginated=true&q=jo+%26+ann&ratio=0.5&user_id=user_a&user_id=user_b")
        );
        assert_eq!(
            flat(serde_json::json!({"nested": {"a": 1}}), &[], Target::Query),
            Err("query parameter `nested` must be a scalar or an array of scalars".to_owned())
        );
        assert_eq!(
            flat(serde_json::json!([1]), &[], Target::Query),
            Err("the parameters must serialize to an object".to_owned())
        );
    }

    #[test]
    fn whole_numbers_are_sent_as_integers() {
        let value = serde_json::json!({"a": 10.0, "b": -3.0, "c": 2.5, "d": 1e300, "e": 7, "f": [4.0, 0.25]});
        assert_eq!(
            flat(value, &[], Target::Query).as_deref(),
            Ok("a=10&b=-3&c=2.5&d=1e%2B300&e=7&f=4&f=0.25")
        );
    }

    #[test]
    fn styles_join_arrays_and_spread_objects() {
        let value = serde_json::json!({
            "comma": ["a", "b,c"],
            "filter": {"role": "admin", "age": 3},
            "pipe": [1, 2],
            "repeated": ["x", "y"],
            "scope": ["openid", "email"],
            "single": "s"
        });
        let styles = [
            ("comma", Style::Comma),
            ("filter", Style::DeepObject),
            ("pipe", Style::Pipe),
            ("scope", Style::Space),
            ("single", Style::Comma),
        ];
        assert_eq!(
            flat(value, &styles, Target::Query).as_deref(),
            Ok(
                "comma=a,b%2Cc&filter[age]=3&filter[role]=admin&pipe=1|2&repeated=x&repeated=y&scope=openid%20email&single=s"
            )
        );
        assert_eq!(
            flat(
                serde_json::json!({"filter": {"a": [1]}}),
                &[("filter", Style::DeepObject)],
                Target::Query
            ),
            Err("`filter` nests a value too deeply to be sent as `name=value` pairs".to_owned())
        );
    }

    #[test]
    fn bodies_send_null_as_empty_and_objects_by_style() {
        let value = serde_json::json!({
            "cleared": null,
            "deep": {"a": 1},
            "joined": {"k": "v w"},
            "name": "Ann",
            "spread": {"x": true},
            "tags": ["a", "b"]
        });
        let styles = [("deep", Style::DeepObject), ("joined", Style::Comma)];
        assert_eq!(
            flat(value, &styles, Target::Body).as_deref(),
            Ok("cleared=&deep[a]=1&joined=k,v+w&name=Ann&x=true&tags=a&tags=b")
        );
    }
}
