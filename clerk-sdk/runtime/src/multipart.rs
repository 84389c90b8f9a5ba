//! `multipart/form-data` request bodies (file uploads), and [`FilePart`].
//!
//! The body is encoded here, by hand, into bytes (RFC 7578) rather than with reqwest's
//! `multipart` feature: its `Form` cannot be cloned, and a retried request must send the same
//! body again. The encoding needs no more than a boundary that does not occur in the content.

use std::fmt;

/// A file sent in a `multipart/form-data` body, such as a profile image.
///
/// ```
/// let image = clerk_sdk::FilePart::new(b"\x89PNG...".to_vec())
///     .file_name("avatar.png")
///     .content_type("image/png");
/// assert_eq!(image.bytes().len(), 7);
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct FilePart {
    bytes: Vec<u8>,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl fmt::Debug for FilePart {
    /// Shows the size, not the contents.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("len", &self.bytes.len())
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl FilePart {
    /// A file with these contents, sent as `application/octet-stream` with the name `file`
    /// unless set otherwise.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        FilePart {
            bytes: bytes.into(),
            file_name: None,
            content_type: None,
        }
    }

    /// The file name sent to the server.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The media type, such as `image/png`.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The contents.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

/// One part of a form.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct Part {
    name: String,
    value: PartValue,
}

#[derive(Debug, Clone)]
enum PartValue {
    Text(String),
    File(FilePart),
}

/// A value that becomes zero or more form parts: scalars as text, files as file parts,
/// `Option` and `Nullable` as nothing when unset, and `Vec` as one part per item. Used by
/// generated multipart bodies.
#[doc(hidden)]
pub trait ToParts {
    /// Adds this value's parts under `name`.
    fn to_parts(&self, name: &str, parts: &mut Vec<Part>);
}

macro_rules! text_parts {
    ($($ty:ty),*) => {$(
        impl ToParts for $ty {
            fn to_parts(&self, name: &str, parts: &mut Vec<Part>) {
                parts.push(Part { name: name.to_owned(), value: PartValue::Text(self.to_string()) });
            }
        }
    )*};
}

text_parts!(String, bool, i32, i64, f32, f64);

impl ToParts for FilePart {
    fn to_parts(&self, name: &str, parts: &mut Vec<Part>) {
        parts.push(Part {
            name: name.to_owned(),
            value: PartValue::File(self.clone()),
        });
    }
}

impl<T: ToParts> ToParts for Option<T> {
    fn to_parts(&self, name: &str, parts: &mut Vec<Part>) {
        if let Some(value) = self {
            value.to_parts(name, parts);
        }
    }
}

impl<T: ToParts> ToParts for crate::Nullable<T> {
    fn to_parts(&self, name: &str, parts: &mut Vec<Part>) {
        if let crate::Nullable::Value(value) = self {
            value.to_parts(name, parts);
        }
    }
}

impl<T: ToParts> ToParts for Vec<T> {
    fn to_parts(&self, name: &str, parts: &mut Vec<Part>) {
        for item in self {
            item.to_parts(name, parts);
        }
    }
}

/// A request body sent as `multipart/form-data`; implemented by generated body types.
#[doc(hidden)]
pub trait MultipartBody {
    /// The body's parts, in field order.
    fn parts(&self) -> Vec<Part>;
}

/// Encodes parts as a `multipart/form-data` body; returns the content type (with its boundary)
/// and the bytes.
pub(crate) fn encode(parts: &[Part]) -> (String, Vec<u8>) {
    let candidates = std::iter::repeat_with(|| format!("clerk-sdk-{:016x}", crate::retry::random_u64()));
    let boundary = boundary_for(parts, candidates);
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        let name = header_quote(&part.name);
        match &part.value {
            PartValue::Text(text) => {
                body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes());
                body.extend_from_slice(text.as_bytes());
            }
            PartValue::File(file) => {
                let file_name = header_quote(file.file_name.as_deref().unwrap_or("file"));
                let content_type = file.content_type.as_deref().unwrap_or("application/octet-stream");
                body.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: {}\r\n\r\n",
                        header_quote(content_type)
                    )
                    .as_bytes(),
                );
                body.extend_from_slice(&file.bytes);
            }
        }
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// The first candidate boundary that occurs in no part's contents.
fn boundary_for(parts: &[Part], candidates: impl Iterator<Item = String>) -> String {
    let occurs = |boundary: &str| {
        parts.iter().any(|part| {
            let contents: &[u8] = match &part.value {
                PartValue::Text(text) => text.as_bytes(),
                PartValue::File(file) => &file.bytes,
            };
            contents
                .windows(boundary.len())
                .any(|window| window == boundary.as_bytes())
        })
    };
    let mut last = String::new();
    for candidate in candidates {
        if !occurs(&candidate) {
            return candidate;
        }
        last = candidate;
    }
    last
}

/// A value safe inside a quoted header parameter: `"` and line breaks are percent-encoded, as
/// browsers do for form field and file names.
fn header_quote(value: &str) -> String {
    value.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_text_and_file_parts_in_order() {
        let mut parts = Vec::new();
        "user_1".to_owned().to_parts("uploader_user_id", &mut parts);
        None::<String>.to_parts("skipped", &mut parts);
        FilePart::new(b"PNG".to_vec())
            .file_name("a\"b.png")
            .content_type("image/png")
            .to_parts("file", &mut parts);
        let (content_type, body) = encode(&parts);
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .expect("has a boundary");
        let expected = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"uploader_user_id\"\r\n\r\nuser_1\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a%22b.png\"\r\nContent-Type: image/png\r\n\r\nPNG\r\n\
             --{boundary}--\r\n"
        );
        assert_eq!(String::from_utf8(body).expect("utf-8"), expected);
    }

    #[test]
    fn the_boundary_never_occurs_in_the_content() {
        let mut parts = Vec::new();
        "xx--boundary-1--xx".to_owned().to_parts("text", &mut parts);
        let candidates = ["boundary-1", "boundary-2"].into_iter().map(str::to_owned);
        assert_eq!(boundary_for(&parts, candidates), "boundary-2");
    }

    #[test]
    fn debug_shows_the_size_not_the_bytes() {
        let debug = format!("{:?}", FilePart::new(b"secret-bytes".to_vec()));
        assert!(debug.contains("len: 12") && !debug.contains("secret"), "{debug}");
    }
}
