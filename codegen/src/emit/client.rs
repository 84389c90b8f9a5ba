//! The client's per-API surface: the security schemes as the runtime describes them, and a
//! builder method per scheme (plus `from_env` for an API whose only credential is a secret key).

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{doc_attrs, ident};
use crate::model::{Api, KeyLocation, SchemeKind, SecuritySchemeDef};
use crate::runtime::{CREDENTIAL, KEY_LOCATION, SCHEME_KIND, SECRET_STRING, SECURITY_SCHEME};

/// The type of the API's error bodies: the spec's error schema, or any JSON when no operation
/// maps an error response.
pub(crate) fn error_body_tokens(api: &Api) -> TokenStream {
    match &api.error_type {
        Some(error_type) => {
            let error_type = ident(error_type);
            quote!(models::#error_type)
        }
        None => quote!(serde_json::Value),
    }
}

/// One `SecurityScheme` of the API's description.
pub(crate) fn scheme_tokens(scheme: &SecuritySchemeDef) -> TokenStream {
    let name = &scheme.name;
    let setter = crate::names::unraw(&scheme.setter);
    let kind = match &scheme.kind {
        SchemeKind::Bearer => quote!(#SCHEME_KIND::Bearer),
        SchemeKind::Basic => quote!(#SCHEME_KIND::Basic),
        SchemeKind::ApiKey { location, name } => {
            let location = match location {
                KeyLocation::Header => quote!(Header),
                KeyLocation::Query => quote!(Query),
                KeyLocation::Cookie => quote!(Cookie),
            };
            quote!(#SCHEME_KIND::ApiKey {
                location: #KEY_LOCATION::#location,
                name: #name,
            })
        }
    };
    quote!(#SECURITY_SCHEME {
        name: #name,
        setter: #setter,
        kind: #kind,
    })
}

/// A builder method per scheme, and `from_env` when the API has a secret key to read.
pub(crate) fn credential_methods(api: &Api) -> TokenStream {
    let setters = api
        .schemes
        .iter()
        .enumerate()
        .map(|(index, scheme)| setter(index, scheme));
    let from_env = api.env_scheme.map(|index| {
        let index = Literal::usize_unsuffixed(index);
        // Produces `Clerk::from_env`.
        quote! {
            impl crate::Clerk {
                /// Builds a client with the secret key from the `CLERK_SECRET_KEY` environment
                /// variable and everything else at its default.
                ///
                /// # Errors
                ///
                /// [`SdkError::Config`](crate::SdkError::Config) if the variable is not set, not
                /// Unicode, or empty.
                pub fn from_env() -> Result<Self, crate::Error> {
                    Self::from_env_credential(#index)
                }
            }
        }
    });
    let setters: Vec<TokenStream> = setters.collect();
    let builder = (!setters.is_empty()).then(|| {
        quote! {
            impl crate::ClerkBuilder {
                #(#setters)*
            }
        }
    });
    // Produces the builder's credential methods.
    quote! {
        #builder
        #from_env
    }
}

/// The builder method that sets one scheme's credential.
fn setter(index: usize, scheme: &SecuritySchemeDef) -> TokenStream {
    let method = ident(&scheme.setter);
    let index = Literal::usize_unsuffixed(index);
    let (how, required) = match &scheme.kind {
        SchemeKind::Bearer => ("Sent as `Authorization: Bearer <token>`.".to_owned(), None),
        SchemeKind::Basic => (
            "Sent as `Authorization: Basic ...` (HTTP Basic authentication).".to_owned(),
            Some(()),
        ),
        SchemeKind::ApiKey { location, name } => {
            let place = match location {
                KeyLocation::Header => format!("the `{name}` header"),
                KeyLocation::Query => format!("the `{name}` query parameter"),
                KeyLocation::Cookie => format!("the `{name}` cookie"),
            };
            (format!("Sent as {place}."), None)
        }
    };
    let mut text = format!("The credential of the `{}` security scheme.", scheme.name);
    if let Some(description) = &scheme.doc {
        text.push_str("\n\n");
        text.push_str(description);
    }
    text.push_str(&format!(
        "\n\n{how} It is kept secret: redacted in `Debug`, never logged and never in an error, and refused over plain `http://` to another machine unless [`allow_insecure_http`](crate::ClerkBuilder::allow_insecure_http) is set."
    ));
    let doc = doc_attrs(&text, false);
    match required {
        // Produces a method taking a user name and a password.
        Some(()) => quote! {
            #doc
            pub fn #method(self, user: impl Into<String>, password: impl Into<String>) -> Self {
                self.credential(
                    #index,
                    #CREDENTIAL::Basic {
                        user: user.into(),
                        password: #SECRET_STRING::from(password.into()),
                    },
                )
            }
        },
        // Produces a method taking one token.
        None => quote! {
            #doc
            pub fn #method(self, token: impl Into<String>) -> Self {
                self.credential(
                    #index,
                    #CREDENTIAL::Token(#SECRET_STRING::from(token.into())),
                )
            }
        },
    }
}
