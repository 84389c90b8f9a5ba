//! `blocking.rs` (in `clerk-sdk` only): the blocking client's name for the API and a blocking
//! twin of each resource handle, whose methods prepare the async call and wrap it.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::sentence;
use super::operations::{Signature, handle, param_setters, signature};
use super::{doc_attrs, ident};
use crate::model::{Api, Resource};

/// `blocking.rs`: module docs, imports and the blocking resource handles.
pub(crate) fn file(api: &Api) -> TokenStream {
    let mut tokens = blocking_head(api);
    tokens.extend(api.resources.iter().map(blocking_resource));
    tokens
}

/// The start of `blocking.rs`: module docs and imports.
fn blocking_head(api: &Api) -> TokenStream {
    let module_doc = doc_attrs(
        "Blocking resource handles, enabled by the `blocking` feature. Each method prepares the same request as its async twin; call [`send`](crate::runtime::blocking::Call::send) on the result.",
        true,
    );
    let marker = ident(&api.marker);
    let from_env = api.env_scheme.map(|index| {
        let index = proc_macro2::Literal::usize_unsuffixed(index);
        quote! {
            impl Clerk {
                /// Like [`crate::Clerk::from_env`]: the key from `CLERK_SECRET_KEY`, everything
                /// else default.
                ///
                /// # Errors
                ///
                /// [`SdkError::Config`](crate::SdkError::Config) if the variable is missing or
                /// empty, or the runtime cannot start.
                pub fn from_env() -> Result<Self, crate::Error> {
                    Self::from_env_credential(#index)
                }
            }
        }
    });
    // Produces the module docs, imports, the blocking client's and call's names, and
    // `from_env`.
    quote! {
        #module_doc
        use super::models;

        /// A blocking client for the API. Build one with
        /// [`ClerkBuilder::build_blocking`](crate::ClerkBuilder::build_blocking). Cheap to clone.
        pub type Clerk = crate::runtime::blocking::Client<super::#marker>;
        /// A prepared blocking request; [`send`](crate::runtime::blocking::Call::send) sends it.
        pub type Call<T, P = ()> = crate::runtime::blocking::Call<super::#marker, T, P>;

        #from_env
    }
}

fn blocking_resource(resource: &Resource) -> TokenStream {
    let accessor = ident(&resource.accessor);
    let handle_doc = format!(
        " Blocking version of [`{0}`](crate::{0}): the `{1}` operations.",
        resource.type_name, resource.accessor
    );
    let accessor_doc = format!(" The `{}` operations, blocking.", resource.accessor);
    let methods = resource.operations.iter().map(|operation| {
        let name = ident(&operation.method_name);
        // A deprecated operation's blocking twin is deprecated too, and may call the async one.
        let deprecated = if operation.deprecated {
            quote!(#[deprecated] #[allow(deprecated)])
        } else {
            quote!()
        };
        let Signature {
            params,
            args,
            call_type,
            ..
        } = signature(operation, &quote!(super::operations::));
        let summary = operation.summary.as_deref().map(sentence).unwrap_or_default();
        let doc = format!(
            "{summary}\n\nBlocking version of [`{0}::{1}`](crate::{0}::{1}), which documents the arguments and errors.",
            resource.type_name, operation.method_name
        );
        let doc = doc_attrs(doc.trim_start(), false);
        // Produces a method that prepares the async call and wraps it for blocking use.
        quote! {
            #doc
            #deprecated
            pub fn #name(&self, #(#params),*) -> #call_type {
                self.client.wrap(self.client.as_async().#accessor().#name(#(#args),*))
            }
        }
    });
    let methods: Vec<TokenStream> = methods.collect();
    let mut tokens = handle(resource, quote!(#[doc = #handle_doc]), &accessor_doc, &methods);
    for operation in &resource.operations {
        let call_type = signature(operation, &quote!(super::operations::)).call_type;
        tokens.extend(param_setters(operation, &call_type, false));
    }
    tokens
}
