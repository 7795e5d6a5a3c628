//! Procedural macros of `fnhost-sdk`; use them through that crate, which
//! documents them.

use proc_macro::TokenStream;

mod choice;
mod docs;
mod model;
mod options;
mod webhook;

/// Serves a function as an HTTP endpoint; see `fnhost_sdk::webhook`.
#[proc_macro_attribute]
pub fn webhook(attr: TokenStream, item: TokenStream) -> TokenStream {
    webhook::expand(attr.into(), item.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Makes a struct a parameter and return type; see `fnhost_sdk::Model`.
#[proc_macro_derive(Model, attributes(field))]
pub fn model(item: TokenStream) -> TokenStream {
    model::expand(item.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Makes a fieldless enum a string parameter and return type; see
/// `fnhost_sdk::Choice`.
#[proc_macro_derive(Choice, attributes(choice))]
pub fn choice(item: TokenStream) -> TokenStream {
    choice::expand(item.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
