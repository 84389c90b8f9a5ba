//! Rust source from the model: identifiers, types as tokens, and formatting.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::Error;
use crate::model::{RustType, TypeRef};

/// Formats a Rust file with prettyplease.
pub(super) fn format_tokens(path: &str, tokens: TokenStream) -> Result<String, Error> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| Error::Internal {
        file: path.to_owned(),
        message: e.to_string(),
    })?;
    Ok(prettyplease::unparse(&file))
}

/// The Rust type for a [`TypeRef`], for code inside the models module, where generated types
/// are in scope by bare name.
pub(crate) fn type_tokens(ty: &TypeRef) -> TokenStream {
    qualified_type_tokens(ty, &TokenStream::new())
}

/// The Rust type for a [`TypeRef`], with generated types behind `models` (such as
/// `models::PhoneNumber`), for modules whose own item names could clash with a model's.
pub(crate) fn model_type_tokens(ty: &TypeRef) -> TokenStream {
    qualified_type_tokens(ty, &quote!(models::))
}

fn qualified_type_tokens(ty: &TypeRef, models: &TokenStream) -> TokenStream {
    rust_type_tokens(&ty.rust(), models)
}

/// A [`RustType`] as tokens, with generated types behind `models` (empty inside the models
/// module).
pub(crate) fn rust_type_tokens(ty: &RustType, models: &TokenStream) -> TokenStream {
    match ty {
        RustType::Model(name) => {
            let name = ident(name);
            quote!(#models #name)
        }
        RustType::Library { ty, args } => {
            let segments = ty
                .code
                .split("::")
                .map(|segment| Ident::new(segment, Span::call_site()));
            if args.is_empty() {
                return quote!(#(#segments)::*);
            }
            let args = args.iter().map(|arg| rust_type_tokens(arg, models));
            quote!(#(#segments)::* < #(#args),* >)
        }
    }
}

/// An identifier from a name the model made valid; raw identifiers (`r#type`) are kept raw.
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => format_ident!("{}", name),
    }
}
