//! Errors the generator reports, each located by a JSON pointer into the spec.

use std::fmt;

/// A JSON pointer (RFC 6901) into the spec, such as `#/paths/~1phone_numbers/post`.
///
/// Every construct the generator rejects is reported with one, so a maintainer can jump
/// straight to the offending part of a several-thousand-line spec.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pointer(String);

impl Pointer {
    /// The pointer to the whole document, `#`.
    pub fn root() -> Self {
        Pointer("#".to_owned())
    }

    /// Parses a local `$ref` such as `#/components/schemas/PhoneNumber`.
    ///
    /// Returns `None` for references to other documents, which the generator does not follow.
    pub fn from_ref(reference: &str) -> Option<Self> {
        (reference == "#" || reference.starts_with("#/")).then(|| Pointer(reference.to_owned()))
    }

    /// Returns this pointer extended by one segment, escaping `~` and `/` as RFC 6901 requires.
    pub fn join(&self, segment: impl AsRef<str>) -> Self {
        let escaped = segment.as_ref().replace('~', "~0").replace('/', "~1");
        Pointer(format!("{}/{}", self.0, escaped))
    }

    /// The unescaped segments after `#`.
    pub fn segments(&self) -> impl Iterator<Item = String> + '_ {
        self.0
            .split('/')
            .skip(1)
            .map(|segment| segment.replace("~1", "/").replace("~0", "~"))
    }

    /// The pointer as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Something in the spec that generation went past without representing it, such as a keyword
/// that does not apply to its schema's type. Never silent: `cargo xtask codegen` prints every
/// warning, and `--deny-warnings` turns them into a failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// Where the ignored construct is.
    pub pointer: Pointer,
    /// What was ignored, and why.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pointer, self.message)
    }
}

/// Why generation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The document is not valid YAML/JSON, or not an OpenAPI 3.0 or 3.1 document.
    #[error("the spec is not a valid OpenAPI 3.0 or 3.1 document: {0}")]
    Parse(String),
    /// A construct the generator does not handle (yet), with where it is and why.
    #[error("{pointer}: {reason}")]
    Unsupported {
        /// Where the construct is.
        pointer: Pointer,
        /// What is wrong with it.
        reason: String,
    },
    /// An overlay document is not valid, with where inside it.
    #[error("{overlay}{pointer}: {reason}")]
    Overlay {
        /// The overlay, as the caller named it (its path).
        overlay: String,
        /// Where inside the overlay.
        pointer: Pointer,
        /// What is wrong.
        reason: String,
    },
    /// The generated Rust did not parse; a bug in the generator, reported instead of panicking.
    #[error("internal error: generated code for {file} does not parse: {message}")]
    Internal {
        /// The file being generated.
        file: String,
        /// The parser's message.
        message: String,
    },
}

impl Error {
    /// Builds an [`Error::Unsupported`].
    pub(crate) fn unsupported(pointer: &Pointer, reason: impl Into<String>) -> Self {
        Error::Unsupported {
            pointer: pointer.clone(),
            reason: reason.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_escapes_slash_and_tilde() {
        let pointer = Pointer::root().join("paths").join("/phone_numbers/{id}").join("a~b");
        assert_eq!(pointer.as_str(), "#/paths/~1phone_numbers~1{id}/a~0b");
        let segments: Vec<_> = pointer.segments().collect();
        assert_eq!(segments, ["paths", "/phone_numbers/{id}", "a~b"]);
    }

    #[test]
    fn only_local_refs_are_pointers() {
        assert!(Pointer::from_ref("#/components/schemas/X").is_some());
        assert!(Pointer::from_ref("other.yaml#/components/schemas/X").is_none());
    }
}
