//! Turning spec names into Rust identifiers: casing, keyword escaping and collision handling.
//!
//! Every function here is total: any input string, including an empty one or one made only of
//! punctuation, yields a valid identifier. Callers that need uniqueness within a scope use
//! [`Scope`].

use std::collections::BTreeSet;

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

/// Words that cannot be identifiers even in raw form (`r#self` is invalid).
const NON_RAW_KEYWORDS: &[&str] = &["crate", "self", "super", "Self", "_"];

/// Strict and reserved keywords of Rust 2024 that need `r#` to be used as identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn", "else", "enum",
    "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod", "move",
    "mut", "override", "priv", "pub", "ref", "return", "static", "struct", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Names of the standard prelude (2021 and 2024 editions), which generated code uses unqualified
/// (`String`, `Option`, `Vec`, `Default::default()`, ...). A generated type with one of these
/// names would shadow the prelude item in the whole module, so [`type_name`] renames it.
const PRELUDE: &[&str] = &[
    "AsMut",
    "AsRef",
    "AsyncFn",
    "AsyncFnMut",
    "AsyncFnOnce",
    "Box",
    "Clone",
    "Copy",
    "Default",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "Err",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Future",
    "Into",
    "IntoFuture",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Self",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
];

/// Whether a spec name has anything to build an identifier from: at least one ASCII letter or
/// digit. Names without one (`--`, `...`) are refused where a name must identify something.
pub fn has_word(raw: &str) -> bool {
    raw.chars().any(|c| c.is_ascii_alphanumeric())
}

/// Keeps only characters that may appear in an identifier, turning the rest into word breaks.
fn identifier_words(raw: &str) -> String {
    raw.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// Makes sure an identifier does not start with a digit and is not empty.
fn ensure_leading_letter(ident: String, prefix: &str, empty: &str) -> String {
    match ident.chars().next() {
        None => empty.to_owned(),
        Some(c) if c.is_ascii_digit() => format!("{prefix}{ident}"),
        Some(_) => ident,
    }
}

/// A type or variant name: `verification_otp` becomes `VerificationOtp`, `OTP` becomes `Otp`.
///
/// A name the prelude already uses gets a `Type` suffix (`Result` becomes `ResultType`,
/// `self` becomes `SelfType`), so it never shadows `String`, `Option` or `Result` in
/// generated code.
pub fn type_name(raw: &str) -> String {
    let camel = identifier_words(raw).to_upper_camel_case();
    let ident = ensure_leading_letter(camel, "T", "Unnamed");
    if PRELUDE.contains(&ident.as_str()) {
        format!("{ident}Type")
    } else {
        ident
    }
}

/// A constant's name: `CreatePhoneNumber` becomes `CREATE_PHONE_NUMBER`, `2faVerify` becomes
/// `N2FA_VERIFY`.
pub fn constant_name(raw: &str) -> String {
    let shouty = identifier_words(raw).to_shouty_snake_case();
    ensure_leading_letter(shouty, "N", "UNNAMED")
}

/// `name`, or `name` with `suffix` appended if `reserved` holds it: for names that must not be
/// one of a few fixed ones, such as a resource accessor that would hide one of the client's own
/// methods.
pub fn avoiding(name: String, reserved: &[&str], suffix: &str) -> String {
    if reserved.contains(&unraw(&name)) {
        format!("{}{suffix}", unraw(&name))
    } else {
        name
    }
}

/// An enum variant name for a wire value: `phone_code` becomes `PhoneCode`, `2fa` becomes `V2fa`,
/// and a leading sign is spelled out, so `-created_at` becomes `MinusCreatedAt` rather than
/// colliding with `created_at`.
pub fn variant_name(raw: &str) -> String {
    let spelled = if let Some(rest) = raw.strip_prefix('-') {
        format!("minus {rest}")
    } else if let Some(rest) = raw.strip_prefix('+') {
        format!("plus {rest}")
    } else {
        raw.to_owned()
    };
    let camel = identifier_words(&spelled).to_upper_camel_case();
    let ident = ensure_leading_letter(camel, "V", "Empty");
    if ident == "Self" { "SelfValue".to_owned() } else { ident }
}

/// A field, method or parameter name: `phoneNumbers` becomes `phone_numbers`.
///
/// Keywords come back in raw form (`type` becomes `r#type`), except the few that have no raw
/// form, which get a trailing underscore (`self` becomes `self_`).
pub fn snake_name(raw: &str) -> String {
    let snake = identifier_words(raw).to_snake_case();
    let ident = ensure_leading_letter(snake, "n", "unnamed");
    if NON_RAW_KEYWORDS.contains(&ident.as_str()) {
        format!("{ident}_")
    } else if KEYWORDS.contains(&ident.as_str()) {
        format!("r#{ident}")
    } else {
        ident
    }
}

/// The identifier without a leading `r#`, for building derived names such as setters.
pub fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// A set of names already used in one scope (a module, a struct's fields, an enum's variants).
///
/// [`Scope::claim`] hands out the requested name if it is free and otherwise appends the
/// smallest number that makes it unique. Because names are claimed in spec order, the result is
/// deterministic.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// An empty scope.
    pub fn new() -> Self {
        Self::default()
    }

    /// A scope in which `reserved` are already taken.
    pub fn with_reserved<'a>(reserved: impl IntoIterator<Item = &'a str>) -> Self {
        Scope {
            taken: reserved.into_iter().map(str::to_owned).collect(),
        }
    }

    /// Whether `name` is already taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Claims `wanted`, or `wanted2`, `wanted3`, ... if it is taken, and returns what was claimed.
    pub fn claim(&mut self, wanted: &str) -> String {
        let mut candidate = wanted.to_owned();
        let mut counter = 2;
        while self.taken.contains(&candidate) {
            candidate = format!("{wanted}{counter}");
            counter += 1;
        }
        self.taken.insert(candidate.clone());
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        assert_eq!(type_name("verification_otp"), "VerificationOtp");
        assert_eq!(type_name("_VerificationResponse"), "VerificationResponse");
        assert_eq!(type_name("OTP"), "Otp");
        assert_eq!(type_name("3DSecure"), "T3dSecure");
        assert_eq!(type_name("--"), "Unnamed");
        assert_eq!(type_name("self"), "SelfType");
        assert_eq!(type_name("Result"), "ResultType");
        assert_eq!(type_name("string"), "StringType");
        assert_eq!(type_name("default"), "DefaultType");
        assert_eq!(type_name("Results"), "Results");
    }

    #[test]
    fn constant_names() {
        assert_eq!(constant_name("CreatePhoneNumber"), "CREATE_PHONE_NUMBER");
        assert_eq!(constant_name("2faVerify"), "N2FA_VERIFY");
        assert_eq!(constant_name("Get.Thing"), constant_name("GetThing"));
        assert_eq!(constant_name("get-thing"), "GET_THING");
        assert_eq!(constant_name("--"), "UNNAMED");
    }

    #[test]
    fn words_and_reserved_names() {
        assert!(has_word("a"));
        assert!(has_word("-2-"));
        assert!(!has_word("--"));
        assert!(!has_word(""));
        assert_eq!(avoiding("builder".to_owned(), &["builder"], "_api"), "builder_api");
        assert_eq!(avoiding("r#type".to_owned(), &["type"], "_api"), "type_api");
        assert_eq!(avoiding("users".to_owned(), &["builder"], "_api"), "users");
    }

    #[test]
    fn variant_names() {
        assert_eq!(variant_name("phone_code"), "PhoneCode");
        assert_eq!(variant_name("reset_password_email_code"), "ResetPasswordEmailCode");
        assert_eq!(variant_name("2fa"), "V2fa");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(variant_name("a-b.c"), "ABC");
        assert_eq!(variant_name("-created_at"), "MinusCreatedAt");
        assert_eq!(variant_name("+created_at"), "PlusCreatedAt");
    }

    #[test]
    fn snake_names_escape_keywords() {
        assert_eq!(snake_name("phoneNumbers"), "phone_numbers");
        assert_eq!(snake_name("prepareVerification"), "prepare_verification");
        assert_eq!(snake_name("type"), "r#type");
        assert_eq!(snake_name("self"), "self_");
        assert_eq!(snake_name("Phone Numbers"), "phone_numbers");
        assert_eq!(snake_name("1st"), "n1st");
        assert_eq!(unraw("r#type"), "type");
    }

    #[test]
    fn scope_appends_numbers_on_collision() {
        let mut scope = Scope::with_reserved(["Unknown"]);
        assert_eq!(scope.claim("Unknown"), "Unknown2");
        assert_eq!(scope.claim("Status"), "Status");
        assert_eq!(scope.claim("Status"), "Status2");
        assert_eq!(scope.claim("Status"), "Status3");
        assert!(scope.contains("Status3"));
    }
}
