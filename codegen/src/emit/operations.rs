//! Operations: a descriptor per operation and a thin method per operation on its resource
//! handle. All behaviour (URL building, sending, error mapping) lives in the hand-written
//! runtime's `Call`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::generated_doc_attrs;
use super::operation_docs::{method_doc, method_doc_generated};
use super::pagination;
use super::{doc_attrs, ident, model_type_tokens};
use crate::model::{Api, Body, BodyEncoding, HeaderParam, KeyLocation, Operation, Resource, Style, TypeRef};
use crate::names::{Scope, snake_name};
use crate::runtime::{METHOD, OPERATION, OUTCOME, RETRY_CLASS, STYLE, use_items};

/// `operations.rs`: module docs, imports, every operation's descriptor and every resource
/// handle.
pub(crate) fn file(api: &Api, lib: &str) -> TokenStream {
    let mut tokens = head(api);
    tokens.extend(api.resources.iter().map(|r| resource(api, lib, r)));
    tokens
}

/// The start of `operations.rs`: module docs, imports and every operation's descriptor.
fn head(api: &Api) -> TokenStream {
    let module_doc = doc_attrs(
        "Resource handles and their operations. Each method returns a [`Call`](crate::Call): await it to send the request.",
        true,
    );
    let descriptors = api.resources.iter().flat_map(|r| &r.operations).map(|operation| {
        let mut tokens = descriptor(operation);
        tokens.extend(pagination::descriptor(operation));
        tokens
    });
    let runtime = use_items(&[METHOD, OPERATION, RETRY_CLASS]);
    let mut tokens = quote! {
        #module_doc
        use super::models;
        #runtime
        use crate::Call;
        use crate::Clerk;
    };
    tokens.extend(descriptors);
    tokens.extend(pagination::envelopes(api));
    tokens
}

fn descriptor_ident(operation: &Operation) -> proc_macro2::Ident {
    ident(&operation.const_name)
}

/// The static description of one operation that the runtime executes.
fn descriptor(operation: &Operation) -> TokenStream {
    let name = descriptor_ident(operation);
    let id = &operation.id;
    let method = format_ident!("{}", operation.http_method.as_str());
    let path = &operation.path;
    let statuses = operation
        .error_statuses
        .iter()
        .map(|s| proc_macro2::Literal::u16_unsuffixed(*s));
    let doc = format!(" `{} {}`", operation.http_method, operation.path);
    let security = operation.security.iter().map(|alternative| {
        let schemes = alternative
            .iter()
            .map(|index| proc_macro2::Literal::usize_unsuffixed(*index));
        quote!(&[#(#schemes),*])
    });
    let default_errors = operation.default_errors;
    let accept = operation.accept.join(", ");
    let retry = if operation.http_method.is_idempotent() {
        quote!(Idempotent)
    } else {
        quote!(NonIdempotent)
    };
    quote! {
        #[doc = #doc]
        pub(crate) const #name: Operation = Operation {
            id: #id,
            method: Method::#method,
            path: #path,
            error_statuses: &[#(#statuses),*],
            retry: RetryClass::#retry,
            security: &[#(#security),*],
            default_errors: #default_errors,
            accept: #accept,
        };
    }
}

fn resource(api: &Api, lib: &str, resource: &Resource) -> TokenStream {
    let handle_doc = match &resource.doc {
        Some(doc) => format!("The `{}` operations.\n\n{doc}", resource.accessor),
        None => format!("The `{}` operations.", resource.accessor),
    };
    let handle_doc = doc_attrs(&handle_doc, false);
    let accessor_doc = format!(" The `{}` operations: {}.", resource.accessor, method_list(resource));
    let methods: Vec<TokenStream> = resource
        .operations
        .iter()
        .map(|op| method(api, lib, resource, op))
        .collect();
    let mut tokens = handle(resource, handle_doc, &accessor_doc, &methods);
    for operation in &resource.operations {
        let call_type = signature(operation, &TokenStream::new()).call_type;
        tokens.extend(param_setters(operation, &call_type, true));
    }
    tokens
}

/// A resource handle: the type, its accessor on the `Clerk` in scope, and its methods. Used
/// for both the async and the blocking client, each module importing its own `Clerk`.
pub(super) fn handle(
    resource: &Resource,
    handle_doc: TokenStream,
    accessor_doc: &str,
    methods: &[TokenStream],
) -> TokenStream {
    let type_name = ident(&resource.type_name);
    let accessor = ident(&resource.accessor);
    // Produces the handle type, its accessor on `Clerk`, and one method per operation.
    quote! {
        #handle_doc
        #[derive(Debug, Clone, Copy)]
        pub struct #type_name<'a> {
            client: &'a Clerk,
        }

        impl Clerk {
            #[doc = #accessor_doc]
            pub fn #accessor(&self) -> #type_name<'_> {
                #type_name { client: self }
            }
        }

        impl #type_name<'_> {
            #(#methods)*
        }
    }
}

fn method_list(resource: &Resource) -> String {
    let names: Vec<String> = resource
        .operations
        .iter()
        .map(|op| format!("[`{}`]({}::{})", op.method_name, resource.type_name, op.method_name))
        .collect();
    names.join(", ")
}

/// A method's parameters, shared by the async method and its blocking twin.
pub(super) struct Signature {
    /// `name: Type` for each parameter, path parameters first, then the body.
    pub(super) params: Vec<TokenStream>,
    /// The parameter names, in the same order.
    pub(super) args: Vec<proc_macro2::Ident>,
    /// The path arguments converted to `String`, in template order.
    pub(super) path_values: Vec<TokenStream>,
    /// The query parameter, if the operation has query parameters.
    pub(super) query: Option<proc_macro2::Ident>,
    /// The body parameter, if the operation has one.
    pub(super) body: Option<proc_macro2::Ident>,
    /// `.header_param(..)` or `.cookie_param(..)` for each required header or cookie parameter.
    pub(super) header_calls: Vec<TokenStream>,
    /// The method's return type: `Call<T>`, or `Call<T, Marker>` for an operation with
    /// optional header or cookie parameters.
    pub(super) call_type: TokenStream,
}

/// What a call of the operation gives: its response type (`()` without one), in `Option` when
/// a 2xx may have no body, in `Outcome` when the operation documents redirects.
pub(super) fn output_type(operation: &Operation) -> TokenStream {
    let mut output = match &operation.response {
        Some(ty) => model_type_tokens(ty),
        None => quote!(()),
    };
    if operation.response_optional {
        output = quote!(Option<#output>);
    }
    if !operation.redirect_statuses.is_empty() {
        output = quote!(#OUTCOME<#output>);
    }
    output
}

/// The signature of an operation's method; `markers` is the path to the operations module's
/// marker types from the module the method is in.
pub(super) fn signature(operation: &Operation, markers: &TokenStream) -> Signature {
    let mut arg_names = Scope::with_reserved(["self"]);
    let (mut params, mut args, mut path_values) = (Vec::new(), Vec::new(), Vec::new());
    for param in &operation.path_params {
        let arg = ident(&arg_names.claim(&param.rust_name));
        let (ty, value) = scalar_argument(&arg, &param.ty);
        params.push(quote!(#arg: #ty));
        args.push(arg);
        path_values.push(value);
    }
    let mut header_calls = Vec::new();
    for param in operation.header_params.iter().filter(|param| param.required) {
        let arg = ident(&arg_names.claim(&param.rust_name));
        let (ty, value) = scalar_argument(&arg, &param.ty);
        params.push(quote!(#arg: #ty));
        args.push(arg);
        header_calls.push(param_call(param, &value));
    }
    let query = operation.query.as_ref().map(|type_name| {
        let arg = ident(&arg_names.claim("query"));
        let ty = model_type_tokens(&TypeRef::Named(type_name.clone()));
        params.push(quote!(#arg: #ty));
        args.push(arg.clone());
        arg
    });
    let body = operation.body.as_ref().map(|body| {
        let arg = ident(&arg_names.claim(&snake_name("body")));
        let ty = model_type_tokens(&body.ty);
        params.push(quote!(#arg: #ty));
        args.push(arg.clone());
        arg
    });
    let response = output_type(operation);
    let call_type = match &operation.params_marker {
        Some(marker) => {
            let marker = ident(marker);
            quote!(Call<#response, #markers #marker>)
        }
        None => quote!(Call<#response>),
    };
    Signature {
        params,
        args,
        path_values,
        query,
        body,
        header_calls,
        call_type,
    }
}

/// The parameter type of a scalar argument, and the expression that makes its text: strings
/// are taken as `impl AsRef<str>`, enums as themselves, numbers and booleans by value.
fn scalar_argument(arg: &proc_macro2::Ident, ty: &TypeRef) -> (TokenStream, TokenStream) {
    match ty {
        TypeRef::String => (quote!(impl AsRef<str>), quote!(#arg.as_ref())),
        TypeRef::Named(_) => (model_type_tokens(ty), quote!(#arg.as_str())),
        _ => (model_type_tokens(ty), quote!(&#arg.to_string())),
    }
}

/// `.header_param("Name", value)` or `.cookie_param("name", value)`.
fn param_call(param: &HeaderParam, value: &TokenStream) -> TokenStream {
    let name = &param.wire_name;
    match param.location {
        KeyLocation::Cookie => quote!(.cookie_param(#name, #value)),
        _ => quote!(.header_param(#name, #value)),
    }
}

/// The setters of an operation's optional header and cookie parameters, as methods of its
/// calls (`call_type`, in the module's `Call`), and the type that marks those calls.
pub(super) fn param_setters(operation: &Operation, call_type: &TokenStream, with_marker: bool) -> TokenStream {
    let Some(marker) = &operation.params_marker else {
        return TokenStream::new();
    };
    let setters = operation
        .header_params
        .iter()
        .filter(|param| !param.required)
        .map(|param| {
            let name = ident(&param.rust_name);
            let arg = ident("value");
            let (ty, value) = scalar_argument(&arg, &param.ty);
            let call = param_call(param, &value);
            let kind = match param.location {
                KeyLocation::Cookie => "cookie",
                _ => "header",
            };
            let mut doc = format!("Sends the `{}` {kind} parameter.", param.wire_name);
            if let Some(description) = &param.doc {
                doc.push_str("\n\n");
                doc.push_str(description);
            }
            doc.push_str(&format!(
                "\n\nA value that cannot be sent as a {kind} fails the call before anything is sent."
            ));
            let doc = doc_attrs(&doc, false);
            quote! {
                #doc
                pub fn #name(self, #arg: #ty) -> Self {
                    self #call
                }
            }
        });
    let marker_ident = ident(marker);
    let marker_item = with_marker.then(|| {
        let doc = format!(
            " Marks the calls of `{}`, whose optional header and cookie parameters are set with methods of the call.",
            operation.id
        );
        quote! {
            #[doc = #doc]
            #[derive(Debug)]
            pub enum #marker_ident {}
        }
    });
    // Produces the marker type (once, with the async operations) and the setters.
    quote! {
        #marker_item
        impl #call_type {
            #(#setters)*
        }
    }
}

fn deprecated(operation: &Operation) -> TokenStream {
    if operation.deprecated {
        quote!(#[deprecated])
    } else {
        quote!()
    }
}

/// One operation method: it only gathers the arguments into a `Call`.
fn method(api: &Api, lib: &str, resource: &Resource, operation: &Operation) -> TokenStream {
    let mut doc = doc_attrs(&method_doc(operation), false);
    doc.extend(generated_doc_attrs(&method_doc_generated(
        api, lib, resource, operation,
    )));
    let deprecated = deprecated(operation);
    let name = ident(&operation.method_name);
    let descriptor = descriptor_ident(operation);
    let Signature {
        params,
        path_values,
        query,
        body,
        header_calls,
        call_type,
        ..
    } = signature(operation, &TokenStream::new());
    let query_call = query.map(|arg| query_call(&arg, &operation.query_styles));
    let constants = operation
        .query_constants
        .iter()
        .map(|(name, value)| quote!(.query_constant(#name, #value)));
    let paged = pagination::paged_call(operation);
    let body_call = body.and_then(|arg| operation.body.as_ref().map(|body| body_call(&arg, body)));
    quote! {
        #doc
        #deprecated
        pub fn #name(&self, #(#params),*) -> #call_type {
            Call::new(self.client, &#descriptor, &[#(#path_values),*]) #(#header_calls)* #query_call #(#constants)* #body_call #paged
        }
    }
}

/// `.query(&query)`, or `.query_styled(..)` with the parameters sent in another style.
fn query_call(arg: &proc_macro2::Ident, styles: &[(String, Style)]) -> TokenStream {
    if styles.is_empty() {
        return quote!(.query(&#arg));
    }
    let styles = styles_tokens(styles);
    quote!(.query_styled(&#arg, #styles))
}

/// The call that attaches the body, by how it is sent.
fn body_call(arg: &proc_macro2::Ident, body: &Body) -> TokenStream {
    match body.encoding {
        BodyEncoding::Json => quote!(.json(&#arg)),
        BodyEncoding::Multipart => quote!(.multipart(&#arg)),
        BodyEncoding::Form => {
            let styles = styles_tokens(&body.styles);
            quote!(.form(&#arg, #styles))
        }
        BodyEncoding::Bytes => {
            let media_type = &body.media_type;
            quote!(.bytes(#arg, #media_type))
        }
    }
}

/// `&[("name", Style::Comma), ..]`: the fields sent in another style than the default.
pub(super) fn styles_tokens(styles: &[(String, Style)]) -> TokenStream {
    let styles = styles.iter().map(|(name, style)| {
        let style = match style {
            Style::Comma => quote!(Comma),
            Style::Space => quote!(Space),
            Style::Pipe => quote!(Pipe),
            Style::DeepObject => quote!(DeepObject),
        };
        quote!((#name, #STYLE::#style))
    });
    quote!(&[#(#styles),*])
}
