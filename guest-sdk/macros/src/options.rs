//! The options of `#[param(...)]` and `#[field(...)]`.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::{Attribute, Expr, LitInt, LitStr};

const ACCEPTED: &str = "`default`, `ge`, `le`, `min_length`, `max_length` or `description`";

/// Default, bounds and description of one parameter or model field.
#[derive(Default)]
pub(crate) struct ValueOptions {
    default: Option<Expr>,
    ge: Option<Expr>,
    le: Option<Expr>,
    min_length: Option<LitInt>,
    max_length: Option<LitInt>,
    description: Option<LitStr>,
}

impl ValueOptions {
    /// Reads every `#[NAME(...)]` among the attributes.
    pub(crate) fn from_attrs(attrs: &[Attribute], name: &str) -> syn::Result<Self> {
        let mut options = ValueOptions::default();
        for attr in attrs.iter().filter(|attr| attr.path().is_ident(name)) {
            attr.parse_nested_meta(|meta| {
                let key = meta
                    .path
                    .get_ident()
                    .map(ToString::to_string)
                    .unwrap_or_default();
                let duplicate = || meta.error(format!("duplicate option `{key}`"));
                match key.as_str() {
                    "default" => set(&mut options.default, meta.value()?.parse()?, duplicate),
                    "ge" => set(&mut options.ge, meta.value()?.parse()?, duplicate),
                    "le" => set(&mut options.le, meta.value()?.parse()?, duplicate),
                    "min_length" => set(&mut options.min_length, length(&meta)?, duplicate),
                    "max_length" => set(&mut options.max_length, length(&meta)?, duplicate),
                    "description" => {
                        set(&mut options.description, meta.value()?.parse()?, duplicate)
                    }
                    _ => Err(meta.error(format!(
                        "unknown `{name}` option `{}`; expected {ACCEPTED}",
                        meta.path.to_token_stream().to_string().replace(' ', "")
                    ))),
                }
            })?;
        }
        Ok(options)
    }

    /// Calls on `Prop` that add the default, bounds and description to the schema.
    pub(crate) fn schema_calls(&self) -> TokenStream {
        let mut calls = TokenStream::new();
        if let Some(default) = &self.default {
            calls.extend(quote!(.default(::fnhost_sdk::__private::serde_json::json!(#default))));
        }
        let bounds = [
            ("minimum", self.ge.as_ref().map(|ge| quote!(#ge))),
            ("maximum", self.le.as_ref().map(|le| quote!(#le))),
            (
                "minLength",
                self.min_length.as_ref().map(|min| quote!(#min)),
            ),
            (
                "maxLength",
                self.max_length.as_ref().map(|max| quote!(#max)),
            ),
        ];
        for (key, value) in bounds {
            if let Some(value) = value {
                calls.extend(quote!(
                    .constrain(#key, ::fnhost_sdk::__private::serde_json::json!(#value))
                ));
            }
        }
        if let Some(description) = &self.description {
            calls.extend(quote!(.description(#description)));
        }
        calls
    }

    /// Takes the value named `name` out of `fields`, a `Fields`, falling back to
    /// the default when one is set.
    pub(crate) fn take(&self, fields: &TokenStream, name: &str, ty: &syn::Type) -> TokenStream {
        match &self.default {
            Some(default) => quote!(#fields.take_or::<#ty>(
                #name,
                || ::fnhost_sdk::__private::serde_json::json!(#default),
            )?),
            None => quote!(#fields.take::<#ty>(#name)?),
        }
    }
}

fn set<T>(slot: &mut Option<T>, value: T, duplicate: impl Fn() -> syn::Error) -> syn::Result<()> {
    if slot.is_some() {
        return Err(duplicate());
    }
    *slot = Some(value);
    Ok(())
}

fn length(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<LitInt> {
    let value: LitInt = meta.value()?.parse()?;
    value.base10_parse::<usize>()?;
    Ok(value)
}
