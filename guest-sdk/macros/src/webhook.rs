//! `#[webhook]`: registers a function as an endpoint.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::ext::IdentExt;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Error, FnArg, Ident, ItemFn, LitStr, Pat, ReturnType, Signature, Token, Type};

use crate::docs;
use crate::options::{Source, ValueOptions};

const METHODS: [&str; 7] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/// The options inside `#[webhook(...)]`.
#[derive(Default)]
struct Options {
    methods: Option<Vec<String>>,
    path: Option<LitStr>,
    name: Option<LitStr>,
}

/// One parameter of the function.
struct Param {
    name: String,
    ty: Type,
    options: ValueOptions,
}

/// Route of the endpoint, as registered.
struct Route {
    name: String,
    path: String,
    methods: Vec<String>,
    /// Parameters filled from `{name}` segments of the path.
    path_params: Vec<String>,
}

pub(crate) fn expand(attr: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    let options = parse_options(attr)?;
    let item: syn::Item = syn::parse2(item)?;
    let syn::Item::Fn(mut func) = item else {
        return Err(Error::new_spanned(
            item,
            "`#[webhook]` applies only to a `fn` item",
        ));
    };
    check_signature(&func.sig)?;
    let params = take_params(&mut func.sig)?;

    let name = match &options.name {
        Some(name) => checked_name(name)?,
        None => func.sig.ident.unraw().to_string(),
    };
    let path = match &options.path {
        Some(path) => path.value(),
        None => format!("/{name}"),
    };
    let path_params = path_params(&path, options.path.as_ref(), &func.sig.ident, &params)?;
    check_sources(&params, &path_params)?;
    let methods = options.methods.unwrap_or_else(|| vec!["GET".into()]);
    let route = Route {
        name,
        path,
        methods,
        path_params,
    };
    let registration = register(&func, &route, &params);
    Ok(quote!(#func #registration))
}

/// Generates the functions that describe and call the endpoint, and registers
/// them.
fn register(func: &ItemFn, route: &Route, params: &[Param]) -> TokenStream {
    let summary = match docs::summary(&func.attrs) {
        Some(text) => quote!(::core::option::Option::Some(#text)),
        None => quote!(::core::option::Option::None),
    };
    let props = params.iter().map(|param| {
        let (name, ty) = (&param.name, &param.ty);
        let in_path = route.path_params.contains(name).then(|| quote!(.in_path()));
        let calls = param.options.schema_calls();
        quote!(<#ty as ::fnhost_sdk::__private::Input>::prop(#name)
            .map(|__fnhost_prop| __fnhost_prop #in_path #calls))
    });
    let checks = params.iter().map(type_check);
    let args = quote!(__fnhost_args);
    let takes = params
        .iter()
        .map(|param| param.options.take_input(&args, &param.name, &param.ty));
    let ident = &func.sig.ident;
    // Errors about an unsupported return type point at the type.
    let output_span = match &func.sig.output {
        ReturnType::Default => func.sig.ident.span(),
        ReturnType::Type(_, ty) => ty.span(),
    };
    let respond = quote_spanned! {output_span=>
        (&&&::fnhost_sdk::__private::Returned::new(__fnhost_output)).fnhost_respond()
    };
    let Route {
        name,
        path,
        methods,
        ..
    } = route;

    quote! {
        #[doc(hidden)]
        const _: () = {
            fn __fnhost_params() -> ::std::vec::Vec<::fnhost_sdk::__private::Prop> {
                #(#checks)*
                let props: ::std::vec::Vec<
                    ::core::option::Option<::fnhost_sdk::__private::Prop>,
                > = ::std::vec![#(#props),*];
                props.into_iter().flatten().collect()
            }

            fn __fnhost_call(
                args: ::fnhost_sdk::__private::serde_json::Value,
                request: ::fnhost_sdk::Request,
            ) -> ::core::result::Result<::fnhost_sdk::Response, ::std::string::String> {
                #[allow(unused_mut)]
                let mut #args = ::fnhost_sdk::__private::Args::new(args, request)?;
                let __fnhost_output = #ident(#(#takes),*);
                #[allow(unused_imports)]
                use ::fnhost_sdk::__private::{ViaError as _, ViaIntoResponse as _, ViaSerialize as _};
                ::core::result::Result::Ok(#respond)
            }

            ::fnhost_sdk::__private::inventory::submit! {
                ::fnhost_sdk::__private::EndpointDef {
                    name: #name,
                    methods: &[#(#methods),*],
                    path: #path,
                    summary: #summary,
                    params: __fnhost_params,
                    call: __fnhost_call,
                }
            }
        };
    }
}

fn parse_options(attr: TokenStream) -> syn::Result<Options> {
    let mut options = Options::default();
    let parser = syn::meta::parser(|meta| {
        let key = meta
            .path
            .get_ident()
            .map(ToString::to_string)
            .unwrap_or_default();
        match key.as_str() {
            "method" | "methods" if options.methods.is_some() => {
                Err(meta.error("set the methods once, with `method` or `methods`"))
            }
            "method" => {
                let method: LitStr = meta.value()?.parse()?;
                options.methods = Some(vec![checked_method(&method)?]);
                Ok(())
            }
            "methods" => {
                let value = meta.value()?;
                let span = value.span();
                let list;
                syn::bracketed!(list in value);
                let mut methods = Vec::new();
                for method in Punctuated::<LitStr, Token![,]>::parse_terminated(&list)? {
                    let method = checked_method(&method)?;
                    if !methods.contains(&method) {
                        methods.push(method);
                    }
                }
                if methods.is_empty() {
                    return Err(Error::new(span, "`methods` needs at least one method"));
                }
                options.methods = Some(methods);
                Ok(())
            }
            "path" if options.path.is_none() => {
                options.path = Some(meta.value()?.parse()?);
                Ok(())
            }
            "name" if options.name.is_none() => {
                options.name = Some(meta.value()?.parse()?);
                Ok(())
            }
            "path" | "name" => Err(meta.error(format!("duplicate option `{key}`"))),
            _ => Err(meta.error(format!(
                "unknown `webhook` option `{key}`; expected `method`, `methods`, `path` or `name`"
            ))),
        }
    });
    syn::parse::Parser::parse2(parser, attr)?;
    Ok(options)
}

fn checked_method(method: &LitStr) -> syn::Result<String> {
    let upper = method.value().to_ascii_uppercase();
    if METHODS.contains(&upper.as_str()) {
        Ok(upper)
    } else {
        let message = format!(
            "unknown HTTP method `{}`; expected one of {}",
            method.value(),
            METHODS.join(", ")
        );
        Err(Error::new(method.span(), message))
    }
}

fn checked_name(name: &LitStr) -> syn::Result<String> {
    let value = name.value();
    let valid = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if valid {
        Ok(value)
    } else {
        let message = format!("invalid endpoint name `{value}`; use letters, digits, `_` and `-`");
        Err(Error::new(name.span(), message))
    }
}

fn check_signature(sig: &Signature) -> syn::Result<()> {
    let name = &sig.ident;
    if let Some(token) = &sig.asyncness {
        let message = format!("async endpoints are not supported; make `{name}` a plain `fn`");
        return Err(Error::new(token.span, message));
    }
    if let Some(token) = &sig.unsafety {
        return Err(Error::new(
            token.span,
            "an endpoint cannot be an `unsafe fn`",
        ));
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        let message = "an endpoint cannot be generic; give its parameters concrete types";
        return Err(Error::new_spanned(&sig.generics, message));
    }
    if let Some(variadic) = &sig.variadic {
        return Err(Error::new_spanned(
            variadic,
            "an endpoint cannot be variadic",
        ));
    }
    Ok(())
}

/// Reads the parameters and removes their `#[param]` attributes, which only this
/// macro understands.
fn take_params(sig: &mut Signature) -> syn::Result<Vec<Param>> {
    let mut params = Vec::new();
    for input in &mut sig.inputs {
        let typed = match input {
            FnArg::Receiver(receiver) => {
                let message = "an endpoint cannot take `self`; make it a free function";
                return Err(Error::new_spanned(receiver, message));
            }
            FnArg::Typed(typed) => typed,
        };
        let ident = match &*typed.pat {
            Pat::Ident(pat) if pat.by_ref.is_none() && pat.subpat.is_none() => pat.ident.clone(),
            pat => {
                let message = "unsupported parameter pattern; use a plain name such as `x: i64`";
                return Err(Error::new_spanned(pat, message));
            }
        };
        let options = ValueOptions::from_attrs(&typed.attrs, "param")?;
        typed.attrs.retain(|attr| !attr.path().is_ident("param"));
        params.push(Param {
            name: param_name(&ident),
            ty: (*typed.ty).clone(),
            options,
        });
    }
    Ok(params)
}

/// Checks at compile time that the type fits the source the options ask for;
/// the error points at the type.
fn type_check(param: &Param) -> TokenStream {
    let ty = &param.ty;
    let check = match param.options.source {
        Some((Source::Header | Source::Cookie | Source::Query, _)) => quote!(require_simple),
        Some((Source::Body, _)) => quote!(require_data),
        Some((Source::Form, _)) => quote!(require_form),
        None if param.options.shapes_schema() => quote!(require_arg),
        None => return TokenStream::new(),
    };
    quote_spanned! {ty.span()=> ::fnhost_sdk::__private::#check::<#ty>();}
}

/// Rejects a source or alias on a path parameter, whose name and source the
/// route fixes, and an alias on a body member.
fn check_sources(params: &[Param], path_params: &[String]) -> syn::Result<()> {
    for param in params {
        let options = &param.options;
        let name = &param.name;
        if path_params.contains(name) {
            if let Some((source, span)) = options.source {
                let message = format!(
                    "`{name}` is a path parameter, so it cannot be read from `{}`",
                    source.name()
                );
                return Err(Error::new(span, message));
            }
            if let Some(alias) = &options.alias {
                let message =
                    format!("`{name}` is a path parameter; its `{{{name}}}` segment names it");
                return Err(Error::new(alias.span(), message));
            }
        }
        if let (Some((Source::Body, _)), Some(alias)) = (options.source, &options.alias) {
            let message =
                "`alias` applies to query, header, cookie and form parameters, not `body`";
            return Err(Error::new(alias.span(), message));
        }
    }
    Ok(())
}

fn param_name(ident: &Ident) -> String {
    ident.unraw().to_string()
}

/// Names of the `{name}` segments of the path, each checked to be a parameter.
fn path_params(
    path: &str,
    literal: Option<&LitStr>,
    func: &Ident,
    params: &[Param],
) -> syn::Result<Vec<String>> {
    let span = literal.map_or_else(|| func.span(), LitStr::span);
    if !path.starts_with('/') {
        return Err(Error::new(
            span,
            format!("path `{path}` must start with `/`"),
        ));
    }
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find(['{', '}']) {
        let end = match rest[start..].find('}') {
            Some(end) if rest.as_bytes()[start] == b'{' => start + end,
            _ => {
                return Err(Error::new(
                    span,
                    format!("unbalanced braces in path `{path}`"),
                ));
            }
        };
        let name = &rest[start + 1..end];
        if !params.iter().any(|param| param.name == name) {
            let message = format!("path segment `{{{name}}}` names no parameter of `{func}`");
            return Err(Error::new(span, message));
        }
        names.push(name.to_string());
        rest = &rest[end + 1..];
    }
    Ok(names)
}
