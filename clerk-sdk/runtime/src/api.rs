//! [`Api`]: what the runtime knows about one API. Generated code describes its API by
//! implementing this trait on a type of its own; the runtime never names generated items, so
//! the same runtime serves every Clerk spec (Backend, Frontend, Platform).

use std::fmt;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::drift::schema::Modeled;

/// One API, as its spec describes it. Implemented by generated code on an uninhabited marker
/// type, such as `ClerkBackendApi`; [`Client`](crate::Client) and
/// [`Call`](crate::Call) are generic over it.
pub trait Api: Send + Sync + 'static {
    /// The body of the error responses the spec lists, such as `ClerkErrors`: decoded from a
    /// failed call, and written by a mock that answers with an error.
    type ErrorBody: DeserializeOwned + Serialize + Modeled + fmt::Debug + Send + Sync + 'static;

    /// Servers, version and security schemes.
    const DESCRIPTION: &'static ApiDescription;
}

/// The facts about an API that are the same for every operation.
#[derive(Debug)]
pub struct ApiDescription {
    /// `info.title`, such as `Clerk Backend API`.
    pub title: &'static str,
    /// The generated crate and its version, such as `clerk-sdk/0.1.0`: the start of the
    /// `User-Agent` header, before the runtime's own.
    pub package: &'static str,
    /// The server requests go to when none is configured: the spec's first server, when its URL
    /// has no variables to fill in. `None` means every client must be given one.
    pub default_server_url: Option<&'static str>,
    /// The spec's first server as written (variables in braces), for the message that asks for
    /// a server URL when there is no default.
    pub server_template: &'static str,
    /// The value of the `Clerk-API-Version` header, for APIs whose versions are dated;
    /// `None` sends no version header.
    pub version_header: Option<&'static str>,
    /// The security schemes, in the order of `components.securitySchemes`. Operations refer to
    /// them by index.
    pub schemes: &'static [SecurityScheme],
    /// The schemes every client must be given a credential for (those of the spec's only
    /// top-level security requirement); building without one fails.
    pub required: &'static [usize],
}

/// A security scheme: one kind of credential.
#[derive(Debug)]
pub struct SecurityScheme {
    /// Its name in `components.securitySchemes`, such as `bearerAuth`.
    pub name: &'static str,
    /// The builder method that sets it, such as `bearer_auth`, for messages.
    pub setter: &'static str,
    /// How it is sent.
    pub kind: SchemeKind,
}

/// How a credential is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemeKind {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// `Authorization: Basic <base64(user:password)>`.
    Basic,
    /// An API key in a header, a query parameter or a cookie of this name.
    ApiKey {
        /// Where the key goes.
        location: KeyLocation,
        /// The header, query parameter or cookie name.
        name: &'static str,
    },
}

/// Where an API key is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyLocation {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}

impl ApiDescription {
    /// A description of the schemes an operation could use, for the error that says none was
    /// configured: `` `DevBrowser` (dev_browser(..)), or `A` and `B` (a(..), b(..)) ``.
    pub(crate) fn describe_requirements(&self, alternatives: &[&[usize]]) -> String {
        let alternatives: Vec<String> = alternatives
            .iter()
            .filter(|schemes| !schemes.is_empty())
            .map(|schemes| {
                let names: Vec<String> = schemes
                    .iter()
                    .filter_map(|&index| self.schemes.get(index))
                    .map(|scheme| format!("`{}`", scheme.name))
                    .collect();
                let setters: Vec<String> = schemes
                    .iter()
                    .filter_map(|&index| self.schemes.get(index))
                    .map(|scheme| format!("{}(..)", scheme.setter))
                    .collect();
                format!("{} ({})", names.join(" and "), setters.join(", "))
            })
            .collect();
        alternatives.join(", or ")
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// An API with one scheme of each kind, for the runtime's unit tests.
    pub(crate) enum TestApi {}

    pub(crate) const SCHEMES: &[SecurityScheme] = &[
        SecurityScheme {
            name: "bearerAuth",
            setter: "bearer_auth",
            kind: SchemeKind::Bearer,
        },
        SecurityScheme {
            name: "ClientCredentials",
            setter: "client_credentials",
            kind: SchemeKind::Basic,
        },
        SecurityScheme {
            name: "DevBrowser",
            setter: "dev_browser",
            kind: SchemeKind::ApiKey {
                location: KeyLocation::Query,
                name: "__dev_session",
            },
        },
        SecurityScheme {
            name: "Browser",
            setter: "browser",
            kind: SchemeKind::ApiKey {
                location: KeyLocation::Cookie,
                name: "__client",
            },
        },
        SecurityScheme {
            name: "Key",
            setter: "key",
            kind: SchemeKind::ApiKey {
                location: KeyLocation::Header,
                name: "X-Api-Key",
            },
        },
    ];

    impl Api for TestApi {
        type ErrorBody = serde_json::Value;
        const DESCRIPTION: &'static ApiDescription = &ApiDescription {
            title: "Test API",
            package: "test-api/1.0.0",
            default_server_url: Some("https://api.clerk.com/v1"),
            server_template: "https://api.clerk.com/v1",
            version_header: Some("2026-05-12"),
            schemes: SCHEMES,
            required: &[],
        };
    }

    #[test]
    fn requirements_are_described_by_scheme_and_setter() {
        let description = TestApi::DESCRIPTION.describe_requirements(&[&[], &[2], &[0, 3]]);
        assert_eq!(
            description,
            "`DevBrowser` (dev_browser(..)), or `bearerAuth` and `Browser` (bearer_auth(..), browser(..))"
        );
    }
}
