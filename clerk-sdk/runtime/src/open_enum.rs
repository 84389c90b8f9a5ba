//! Support for the generated open enums.
//!
//! A generated enum defines its known variants, a fallback variant holding a `String`,
//! `as_str` and `From<String>`. [`impl_open_enum!`] derives the rest from those two, so every
//! open enum behaves the same way: it serializes as its wire string and decodes any string,
//! keeping unknown ones (except in the SDK's strict decode, see [`crate::drift`]).

/// Implements, for an open enum with the given fallback variant and `"wire" => Enum::Variant`
/// arms for its known values: `known`, `From<String>`, `From<&str>`, `FromStr`, `Display`,
/// `Serialize`, `Deserialize` and its schema. Decoding borrows the string where the format
/// allows, so a known value costs no allocation.
///
/// With `unknown_values_allowed,` before the arms (the spec's `x-speakeasy-unknown-values:
/// allow`), a value the enum does not list is no deviation: the strict decode keeps it too.
#[doc(hidden)]
#[macro_export]
macro_rules! impl_open_enum {
    ($name:ident, $fallback:ident, { $($wire:literal => $variant:path,)* }) => {
        $crate::impl_open_enum!(@impl $name, $fallback, false, { $($wire => $variant,)* });
    };
    ($name:ident, $fallback:ident, unknown_values_allowed, { $($wire:literal => $variant:path,)* }) => {
        $crate::impl_open_enum!(@impl $name, $fallback, true, { $($wire => $variant,)* });
    };
    (@impl $name:ident, $fallback:ident, $allowed:literal, { $($wire:literal => $variant:path,)* }) => {
        impl $name {
            /// The known variant for a wire value, if there is one.
            fn known(value: &str) -> Option<Self> {
                match value {
                    $($wire => Some($variant),)*
                    _ => None,
                }
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self::known(&value).unwrap_or(Self::$fallback(value))
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::known(value).unwrap_or_else(|| Self::$fallback(value.to_owned()))
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Visitor;

                impl<'de> $crate::__private::serde::de::Visitor<'de> for Visitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str("a string")
                    }

                    fn visit_str<E: $crate::__private::serde::de::Error>(self, value: &str) -> Result<$name, E> {
                        match $name::known(value) {
                            Some(known) => Ok(known),
                            None if $allowed => Ok($name::$fallback(value.to_owned())),
                            None => $crate::__private::unknown_enum_value(value).map(|()| $name::$fallback(value.to_owned())),
                        }
                    }

                    fn visit_string<E: $crate::__private::serde::de::Error>(self, value: String) -> Result<$name, E> {
                        match $name::known(&value) {
                            Some(known) => Ok(known),
                            None if $allowed => Ok($name::$fallback(value)),
                            None => $crate::__private::unknown_enum_value(&value).map(|()| $name::$fallback(value)),
                        }
                    }
                }

                deserializer.deserialize_str(Visitor)
            }
        }

        impl $crate::__private::Modeled for $name {
            fn schema() -> &'static $crate::__private::Schema {
                static SCHEMA: $crate::__private::Schema = $crate::__private::Schema::Enum(&$crate::__private::Enum {
                    name: stringify!($name),
                    is_known: |value| $allowed || $name::known(value).is_some(),
                });
                &SCHEMA
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use crate::drift::strict::with_strictness;
    use crate::drift::{Mode, decode_json};

    /// As the generator writes an enum: its variants and `as_str`.
    macro_rules! enum_of {
        ($name:ident) => {
            #[derive(Debug, Clone, PartialEq, Eq)]
            enum $name {
                Sms,
                Unknown(String),
            }

            impl $name {
                fn as_str(&self) -> &str {
                    match self {
                        Self::Sms => "sms",
                        Self::Unknown(value) => value,
                    }
                }
            }
        };
    }
    enum_of!(Listed);
    enum_of!(Allowed);
    crate::impl_open_enum!(Listed, Unknown, { "sms" => Listed::Sms, });
    crate::impl_open_enum!(Allowed, Unknown, unknown_values_allowed, { "sms" => Allowed::Sms, });

    #[test]
    fn an_unlisted_value_is_a_deviation_unless_the_spec_allows_it() {
        let strict = |json: &str| {
            with_strictness(true, || {
                serde_json::from_str::<Allowed>(json).map_err(|e| e.to_string())
            })
        };
        assert_eq!(strict(r#""ticket""#), Ok(Allowed::Unknown("ticket".to_owned())));
        assert!(with_strictness(true, || serde_json::from_str::<Listed>(r#""ticket""#)).is_err());
        assert_eq!(
            serde_json::from_str::<Listed>(r#""ticket""#).ok(),
            Some(Listed::Unknown("ticket".to_owned()))
        );

        let allowed = decode_json::<Vec<Allowed>>(br#"["sms", "ticket"]"#, Mode::Strict).expect("no deviation");
        assert_eq!(allowed.value[1].as_str(), "ticket");
        assert!(allowed.deviations.is_empty());
        let listed = decode_json::<Vec<Listed>>(br#"["sms", "ticket"]"#, Mode::Lenient).expect("decodes");
        assert_eq!(
            listed.deviations.len(),
            1,
            "a value the spec does not allow is reported"
        );
    }
}
