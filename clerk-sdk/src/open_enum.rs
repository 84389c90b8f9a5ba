//! Support for the generated open enums.
//!
//! A generated enum defines its known variants, a fallback variant holding a `String`,
//! `as_str` and `From<String>`. [`impl_open_enum!`] derives the rest from those two, so every
//! open enum behaves the same way: it serializes as its wire string and decodes any string,
//! keeping unknown ones.

/// Implements `Display`, `FromStr`, `From<&str>`, `Serialize` and `Deserialize` for an open enum
/// in terms of its `as_str` and `From<String>`.
#[doc(hidden)]
#[macro_export]
macro_rules! impl_open_enum {
    ($name:ident) => {
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value.to_owned()))
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::from(value.to_owned())
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <String as $crate::__private::serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }
    };
}
