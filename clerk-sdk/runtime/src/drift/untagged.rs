//! Untagged unions (`oneOf`/`anyOf` without a discriminator): which alternative a value is.
//!
//! The decode and the lenient walk choose alike, in three rounds, so that the walk repairs the
//! alternative the decode then picks:
//!
//! 1. the first alternative whose shape the value has (its JSON type, required properties and
//!    constant properties) and that it matches exactly;
//! 2. the first whose shape it has and that takes it as the open models read it (an unknown
//!    enum value or tag kept, `null` in an optional field read as absent);
//! 3. (the walk only, which then repairs the value) the first whose JSON type and constant
//!    properties it has, such as `object: "verification_otp"` on a member that lost a field.
//!
//! A value that fits none is kept, raw, in the union's fallback variant.

use serde::de;
use serde_json::Value;

use super::repair::Walker;
use super::schema::{Modeled, Schema, UntaggedUnion};
use super::strict::{is_strict, refuse, with_strictness};
use super::{Deviation, DeviationKind, Expected, JsonType, Resolution};

/// Repairs a member of `def`: see the module docs. Always fits, since the fallback variant
/// takes any value.
pub(super) fn repair(walker: &mut Walker, value: &mut Value, def: &'static UntaggedUnion) -> bool {
    let fitting = || def.variants.iter().filter(|alternative| alternative.shape.fits(value));
    for alternative in fitting() {
        let (_, fits, deviations) = walker.trial(value, (alternative.schema)());
        if fits && deviations.is_empty() {
            return true;
        }
    }
    let mut chosen = None;
    for alternative in fitting() {
        let (repaired, fits, deviations) = walker.trial(value, (alternative.schema)());
        if fits && deviations.iter().all(is_taken_as_is) {
            chosen = Some((repaired, deviations));
            break;
        }
    }
    if chosen.is_none() {
        chosen = def
            .variants
            .iter()
            .filter(|alternative| alternative.shape.fits_loosely(value))
            .map(|alternative| walker.trial(value, (alternative.schema)()))
            .find(|(_, fits, _)| *fits)
            .map(|(repaired, _, deviations)| (repaired, deviations));
    }
    match chosen {
        Some((repaired, deviations)) => {
            *value = repaired;
            walker.deviations.extend(deviations);
        }
        None => walker.report(
            DeviationKind::NoAlternative,
            Expected::Union(def.name),
            JsonType::of(value),
            Resolution::KeptUnknown,
        ),
    }
    true
}

/// Whether a deviation is one the open models take as it is, without the walk's repair, so a
/// decode that is not strict accepts the value as it came.
fn is_taken_as_is(deviation: &Deviation) -> bool {
    match deviation.kind {
        DeviationKind::UnknownValue
        | DeviationKind::UnknownTag
        | DeviationKind::MissingTag
        | DeviationKind::NoAlternative => true,
        // `null` in an optional field, which decodes as `None`.
        DeviationKind::Null => deviation.resolution == Resolution::None,
        DeviationKind::Missing
        | DeviationKind::WrongType
        | DeviationKind::UnexpectedBody
        | DeviationKind::DuplicateKey
        | DeviationKind::TooDeep => false,
    }
}

/// Decodes an untagged union `T` from its raw JSON: `decoders` try each alternative, in the
/// order of `T`'s schema, and `fallback` keeps a value none takes. A strict decode refuses a
/// value no alternative matches exactly.
pub fn decode_untagged<T, E>(raw: Value, decoders: &[fn(&Value) -> Option<T>], fallback: fn(Value) -> T) -> Result<T, E>
where
    T: Modeled,
    E: de::Error,
{
    let Schema::Untagged(def) = T::schema() else {
        return Err(E::custom("the type's schema is not an untagged union"));
    };
    let candidates = || {
        def.variants
            .iter()
            .zip(decoders)
            .filter(|(alternative, _)| alternative.shape.fits(&raw))
    };
    for (_, decode) in candidates() {
        if let Some(value) = with_strictness(true, || decode(&raw)) {
            return Ok(value);
        }
    }
    if is_strict() {
        return Err(refuse(format_args!(
            "a value that matches none of `{}`'s alternatives",
            def.name
        )));
    }
    for (_, decode) in candidates() {
        if let Some(value) = decode(&raw) {
            return Ok(value);
        }
    }
    Ok(fallback(raw))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drift::schema::{Alternative, Field, Shape, Struct};
    use serde_json::json;

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Token {
        object: String,
        jwt: String,
    }

    #[derive(Debug, PartialEq)]
    enum Refresh {
        Token(Token),
        Unknown(Value),
    }

    fn token_schema() -> &'static Schema {
        static SCHEMA: Schema = Schema::Struct(&Struct {
            name: "Token",
            fields: &[
                Field::required("object", <String as Modeled>::schema),
                Field::required("jwt", <String as Modeled>::schema),
            ],
        });
        &SCHEMA
    }

    impl Modeled for Refresh {
        fn schema() -> &'static Schema {
            static SCHEMA: Schema = Schema::Untagged(&UntaggedUnion {
                name: "Refresh",
                variants: &[Alternative {
                    shape: Shape::Object {
                        required: &["object", "jwt"],
                        constants: &[("object", "token")],
                    },
                    schema: token_schema,
                }],
            });
            &SCHEMA
        }
    }

    fn decode(strict: bool, raw: Value) -> Result<Refresh, serde_json::Error> {
        let decoders: &[fn(&Value) -> Option<Refresh>] =
            &[|raw| serde_json::from_value(raw.clone()).ok().map(Refresh::Token)];
        with_strictness(strict, || decode_untagged(raw, decoders, Refresh::Unknown))
    }

    #[test]
    fn the_decode_picks_a_fitting_alternative_or_keeps_the_raw_value() {
        let token = json!({"object": "token", "jwt": "x"});
        let expected = Refresh::Token(Token {
            object: "token".to_owned(),
            jwt: "x".to_owned(),
        });
        assert_eq!(decode(true, token.clone()).ok(), Some(expected));
        let other = json!({"object": "cookies"});
        assert_eq!(decode(false, other.clone()).ok(), Some(Refresh::Unknown(other.clone())));
        assert!(decode(true, other).is_err());
    }

    fn walk(mut value: Value) -> (Value, Vec<String>) {
        let mut walker = Walker::new();
        assert!(walker.repair(&mut value, Refresh::schema()));
        (value, walker.deviations.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn a_member_that_lost_a_field_is_repaired_as_the_alternative_its_constants_name() {
        let (value, deviations) = walk(json!({"object": "token"}));
        let marker = crate::unknown_fields::FILLED_MARKER;
        assert_eq!(value, json!({"object": "token", "jwt": "", marker: ["jwt"]}));
        assert_eq!(
            deviations,
            ["/jwt: missing where the spec requires a string; decoded as the empty value"]
        );
        let (value, deviations) = walk(json!({"object": "cookies", "jwt": 1}));
        assert_eq!(value, json!({"object": "cookies", "jwt": 1}));
        assert_eq!(
            deviations,
            ["(body): an object that fits none of `Refresh`; kept as Unknown"]
        );
        assert_eq!(walk(json!({"object": "token", "jwt": "x"})).1, Vec::<String>::new());
    }
}
