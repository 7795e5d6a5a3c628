//! The options of `#[param(...)]` and `#[field(...)]`.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use syn::spanned::Spanned;
use syn::{Attribute, Expr, LitInt, LitStr};

const FIELD_OPTIONS: &str = "`default`, `ge`, `le`, `min_length`, `max_length` or `description`";
const PARAM_OPTIONS: &str = "`default`, `ge`, `le`, `min_length`, `max_length`, `description`, \
     `header`, `cookie`, `query`, `body`, `form` or `alias`";

/// Source of a parameter, as `#[param(...)]` sets it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    Header,
    Cookie,
    Query,
    Body,
    Form,
}

impl Source {
    fn parse(key: &str) -> Option<Self> {
        match key {
            "header" => Some(Source::Header),
            "cookie" => Some(Source::Cookie),
            "query" => Some(Source::Query),
            "body" => Some(Source::Body),
            "form" => Some(Source::Form),
            _ => None,
        }
    }

    /// Returns the option's name, for errors.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Source::Header => "header",
            Source::Cookie => "cookie",
            Source::Query => "query",
            Source::Body => "body",
            Source::Form => "form",
        }
    }
}

/// Default, bounds, description and source of one parameter or model field.
#[derive(Default)]
pub(crate) struct ValueOptions {
    default: Option<Expr>,
    ge: Option<Expr>,
    le: Option<Expr>,
    min_length: Option<LitInt>,
    max_length: Option<LitInt>,
    description: Option<LitStr>,
    /// Only parameters have sources, and the span points errors at the option.
    pub(crate) source: Option<(Source, Span)>,
    pub(crate) alias: Option<LitStr>,
}

impl ValueOptions {
    /// Reads every `#[NAME(...)]` among the attributes; `NAME` is `param` or
    /// `field`, and only `param` takes a source and an alias.
    pub(crate) fn from_attrs(attrs: &[Attribute], name: &str) -> syn::Result<Self> {
        let mut options = ValueOptions::default();
        let is_param = name == "param";
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
                    "alias" if is_param => {
                        let alias: LitStr = meta.value()?.parse()?;
                        if alias.value().is_empty() {
                            return Err(syn::Error::new(alias.span(), "`alias` cannot be empty"));
                        }
                        set(&mut options.alias, alias, duplicate)
                    }
                    _ => match Source::parse(&key).filter(|_| is_param) {
                        Some(source) => options.set_source(source, &meta),
                        None => {
                            let accepted = if is_param {
                                PARAM_OPTIONS
                            } else {
                                FIELD_OPTIONS
                            };
                            Err(meta.error(format!(
                                "unknown `{name}` option `{}`; expected {accepted}",
                                meta.path.to_token_stream().to_string().replace(' ', "")
                            )))
                        }
                    },
                }
            })?;
        }
        Ok(options)
    }

    fn set_source(
        &mut self,
        source: Source,
        meta: &syn::meta::ParseNestedMeta<'_>,
    ) -> syn::Result<()> {
        if !meta.input.is_empty() && !meta.input.peek(syn::Token![,]) {
            let message = format!("`{}` takes no value", source.name());
            return Err(meta.error(message));
        }
        match self.source {
            Some((earlier, _)) if earlier == source => {
                Err(meta.error(format!("duplicate option `{}`", source.name())))
            }
            Some((earlier, _)) => Err(meta.error(format!(
                "conflicting sources `{}` and `{}`; a parameter has one",
                earlier.name(),
                source.name()
            ))),
            None => {
                self.source = Some((source, meta.path.span()));
                Ok(())
            }
        }
    }

    /// Returns whether any option shapes the schema, which only an `Arg` has.
    pub(crate) fn shapes_schema(&self) -> bool {
        self.default.is_some()
            || self.ge.is_some()
            || self.le.is_some()
            || self.min_length.is_some()
            || self.max_length.is_some()
            || self.description.is_some()
    }

    /// Calls on `Prop` that add the source, alias, default, bounds and
    /// description to the schema.
    pub(crate) fn schema_calls(&self) -> TokenStream {
        let mut calls = TokenStream::new();
        if let Some((source, _)) = self.source {
            let variant = match source {
                Source::Header => quote!(Header),
                Source::Cookie => quote!(Cookie),
                Source::Query => quote!(Query),
                Source::Body => quote!(Body),
                Source::Form => quote!(Form),
            };
            calls.extend(quote!(.source(::fnhost_sdk::ParamSource::#variant)));
            if source == Source::Body {
                calls.extend(quote!(.embed()));
            }
        }
        if let Some(alias) = &self.alias {
            calls.extend(quote!(.alias(#alias)));
        }
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

    /// Takes a parameter out of `args`, an `Args`, through its `Input` impl.
    pub(crate) fn take_input(&self, args: &TokenStream, name: &str, ty: &syn::Type) -> TokenStream {
        let input = quote!(<#ty as ::fnhost_sdk::__private::Input>);
        match &self.default {
            Some(default) => quote!(#input::take_or(
                &mut #args,
                #name,
                || ::fnhost_sdk::__private::serde_json::json!(#default),
            )?),
            None => quote!(#input::take(&mut #args, #name)?),
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
