//! Decoding a JSON body: strictly at full speed, and leniently only when that fails.

use serde::de::DeserializeOwned;

use super::repair::Walker;
use super::schema::Modeled;
use super::strict::with_strictness;
use super::tree::{self, Tree};
use super::{Deviation, JsonType};

/// How a body that deviates from the spec is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Decoded leniently, each deviation reported.
    Lenient,
    /// Refused, with every deviation.
    Strict,
}

impl Mode {
    /// `Strict` when `strict` is set.
    pub(crate) fn strict(strict: bool) -> Mode {
        if strict { Mode::Strict } else { Mode::Lenient }
    }
}

/// A decoded body and where it deviated from the spec.
#[derive(Debug)]
pub struct Decoded<T> {
    pub(crate) value: T,
    pub(crate) deviations: Vec<Deviation>,
}

/// Why a body did not decode.
#[derive(Debug)]
pub(crate) enum Failure {
    /// It is not JSON, its top level has the wrong shape, or a value could not be decoded even
    /// after repair: the JSON pointer of the place, what is wrong, and the deviations found.
    Located {
        pointer: String,
        message: String,
        deviations: Vec<Deviation>,
    },
    /// A strict decode of a body that deviates: every deviation, in the order of the spec.
    Deviates(Vec<Deviation>),
}

/// Decodes `bytes` as `T`. A body that matches the spec is decoded once, at full speed. Only
/// if that fails is it read into a JSON tree, repaired against `T`'s schema, and decoded from
/// the repair, so drift costs time only when it happens.
pub(crate) fn decode_json<T: DeserializeOwned + Modeled>(bytes: &[u8], mode: Mode) -> Result<Decoded<T>, Failure> {
    if let Ok(value) = with_strictness(true, || serde_json::from_slice::<T>(bytes)) {
        return Ok(Decoded {
            value,
            deviations: Vec::new(),
        });
    }
    let Ok(Tree {
        value: mut tree,
        deviations: mut found,
    }) = tree::parse(bytes)
    else {
        return Err(locate(
            || serde_path_to_error::deserialize::<_, T>(&mut serde_json::Deserializer::from_slice(bytes)),
            Vec::new(),
        ));
    };
    let schema = T::schema();
    let mut walker = Walker::new();
    if !walker.repair(&mut tree, schema) {
        return Err(Failure::Located {
            pointer: String::new(),
            message: format!("expected {}, found {}", schema.expected(), JsonType::of(&tree)),
            deviations: found,
        });
    }
    // What the parse found (a key twice, a tree too deep), then the walk's, in the spec's order.
    found.append(&mut walker.deviations);
    let deviations = found;
    if deviations.is_empty() {
        // The strict decode refused something the walk finds in order: report it where serde
        // found it.
        return Err(locate(
            || with_strictness(true, || serde_path_to_error::deserialize::<_, T>(&tree)),
            deviations,
        ));
    }
    if mode == Mode::Strict {
        return Err(Failure::Deviates(deviations));
    }
    match with_strictness(false, || T::deserialize(&tree)) {
        Ok(value) => Ok(Decoded { value, deviations }),
        Err(_) => Err(locate(
            || with_strictness(false, || serde_path_to_error::deserialize::<_, T>(&tree)),
            deviations,
        )),
    }
}

/// Decodes a JSON body as `T` exactly as every call does (strictly at full speed, leniently
/// when that fails, unless `strict`), without the rest of a response: for the benchmarks.
///
/// # Errors
///
/// What went wrong and where, as a decode error's message says it.
pub fn decode_json_body<T: DeserializeOwned + Modeled>(
    bytes: &[u8],
    strict: bool,
) -> Result<(T, Vec<Deviation>), String> {
    match decode_json::<T>(bytes, Mode::strict(strict)) {
        Ok(Decoded { value, deviations }) => Ok((value, deviations)),
        Err(Failure::Located { pointer, message, .. }) => Err(format!("at `{pointer}`: {message}")),
        Err(Failure::Deviates(deviations)) => Err(format!("{} deviations", deviations.len())),
    }
}

/// The failure of a decode run again with path tracking.
fn locate<T, E: std::fmt::Display>(
    decode: impl FnOnce() -> Result<T, serde_path_to_error::Error<E>>,
    deviations: Vec<Deviation>,
) -> Failure {
    match decode() {
        Ok(_) => Failure::Located {
            pointer: String::new(),
            message: "the body decodes only when decoded again".to_owned(),
            deviations,
        },
        Err(error) => Failure::Located {
            pointer: json_pointer(error.path()),
            message: error.inner().to_string(),
            deviations,
        },
    }
}

/// A serde path as a JSON pointer: `verification.attempts` is `/verification/attempts`.
pub(crate) fn json_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        let text = match segment {
            Segment::Seq { index } => index.to_string(),
            Segment::Map { key } => key.replace('~', "~0").replace('/', "~1"),
            Segment::Enum { variant } => variant.replace('~', "~0").replace('/', "~1"),
            Segment::Unknown => continue,
        };
        pointer.push('/');
        pointer.push_str(&text);
    }
    pointer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Item {
        id: String,
        count: i64,
    }

    impl Modeled for Item {
        fn schema() -> &'static super::super::schema::Schema {
            use super::super::schema::{Field, Schema, Struct};
            static SCHEMA: Schema = Schema::Struct(&Struct {
                name: "Item",
                fields: &[
                    Field::required("id", <String as Modeled>::schema),
                    Field::required("count", <i64 as Modeled>::schema),
                ],
            });
            &SCHEMA
        }
    }

    fn item(id: &str, count: i64) -> Item {
        Item {
            id: id.to_owned(),
            count,
        }
    }

    #[test]
    fn a_conforming_body_has_no_deviations() {
        let decoded = decode_json::<Vec<Item>>(br#"[{"id": "a", "count": 1}]"#, Mode::Strict).expect("decodes");
        assert_eq!(decoded.value, [item("a", 1)]);
        assert!(decoded.deviations.is_empty());
    }

    #[test]
    fn a_deviating_body_decodes_leniently_and_fails_strictly() {
        let body = br#"[{"id": "a", "count": "2"}, {"id": "b"}, "c"]"#;
        let decoded = decode_json::<Vec<Item>>(body, Mode::Lenient).expect("decodes");
        assert_eq!(decoded.value, [item("a", 2), item("b", 0)]);
        let pointers: Vec<&str> = decoded.deviations.iter().map(Deviation::pointer).collect();
        assert_eq!(pointers, ["/0/count", "/1/count", "/2"]);
        let Err(Failure::Deviates(deviations)) = decode_json::<Vec<Item>>(body, Mode::Strict) else {
            panic!("strict decodes fail")
        };
        assert_eq!(deviations, decoded.deviations);
    }

    #[test]
    fn not_json_or_the_wrong_top_level_shape_is_a_located_failure() {
        let located = |body: &[u8]| match decode_json::<Vec<Item>>(body, Mode::Lenient) {
            Err(Failure::Located { pointer, message, .. }) => (pointer, message),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            located(br#"{"id": "a"}"#),
            (String::new(), "expected an array, found an object".to_owned())
        );
        let (pointer, message) = located(br#"[{"id": "a", "count": 1}, {"id": "#);
        assert_eq!(pointer, "/1/id");
        assert!(message.starts_with("EOF while parsing"), "{message}");
    }

    #[test]
    fn a_key_twice_is_a_deviation_at_the_key_keeping_the_last_value() {
        let body = br#"[{"id": "a", "count": 1, "id": "b"}]"#;
        let decoded = decode_json::<Vec<Item>>(body, Mode::Lenient).expect("decodes");
        assert_eq!(decoded.value, [item("b", 1)]);
        let shown: Vec<String> = decoded.deviations.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            ["/0/id: a key that comes more than once in its object; the last value kept"]
        );
        assert_eq!(decoded.deviations[0].dropped_value(), Some(&serde_json::json!("a")));
        let Err(Failure::Deviates(deviations)) = decode_json::<Vec<Item>>(body, Mode::Strict) else {
            panic!("a strict decode fails")
        };
        assert_eq!(deviations, decoded.deviations);
    }

    #[test]
    fn a_member_200_levels_deep_beside_a_real_deviation_is_one_deviation_more() {
        let deep = format!("{}0{}", "[".repeat(200), "]".repeat(200));
        let conforming = format!(r#"[{{"id": "a", "count": 1, "extra": {deep}}}]"#);
        let decoded = decode_json::<Vec<Item>>(conforming.as_bytes(), Mode::Strict).expect("an unknown member");
        assert!(
            decoded.deviations.is_empty(),
            "the fast decode skips what it does not model"
        );
        let drifted = format!(r#"[{{"id": "a", "count": "x", "extra": {deep}}}]"#);
        let decoded = decode_json::<Vec<Item>>(drifted.as_bytes(), Mode::Lenient).expect("decodes");
        assert_eq!(decoded.value, [item("a", 0)]);
        let pointers: Vec<&str> = decoded.deviations.iter().map(Deviation::pointer).collect();
        let too_deep = format!("/0/extra{}", "/0".repeat(super::super::MAX_DEPTH - 1));
        assert_eq!(pointers, [too_deep.as_str(), "/0/count"]);
        assert!(matches!(
            decode_json::<Vec<Item>>(drifted.as_bytes(), Mode::Strict),
            Err(Failure::Deviates(deviations)) if deviations.len() == 2
        ));
    }

    #[test]
    fn a_conversion_that_would_not_be_exact_is_a_deviation_in_both_modes() {
        // 2^53 + 1 as a float reads as 2^53: no integer is made of it.
        let body = br#"[{"id": "a", "count": 9007199254740993.0}]"#;
        let decoded = decode_json::<Vec<Item>>(body, Mode::Lenient).expect("decodes");
        assert_eq!(decoded.value, [item("a", 0)]);
        let shown: Vec<String> = decoded.deviations.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            ["/0/count: a number where the spec requires an integer; decoded as the empty value"]
        );
        assert!(
            matches!(decode_json::<Vec<Item>>(body, Mode::Strict), Err(Failure::Deviates(d)) if d == decoded.deviations)
        );
        // A float is no string: its text would not be the one sent.
        let float_id = br#"[{"id": 1.5555550147e10, "count": 1}]"#;
        let decoded = decode_json::<Vec<Item>>(float_id, Mode::Lenient).expect("decodes");
        assert_eq!(decoded.value, [item("", 1)]);
        assert!(matches!(
            decode_json::<Vec<Item>>(float_id, Mode::Strict),
            Err(Failure::Deviates(_))
        ));
        // An exact one converts, and is reported as converted.
        let exact =
            decode_json::<Vec<Item>>(br#"[{"id": 15555550147, "count": "3"}]"#, Mode::Lenient).expect("decodes");
        assert_eq!(exact.value, [item("15555550147", 3)]);
        assert!(
            exact
                .deviations
                .iter()
                .all(|d| d.resolution() == super::super::Resolution::Converted)
        );
    }
}
