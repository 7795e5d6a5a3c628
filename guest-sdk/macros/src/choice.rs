//! `#[derive(Choice)]`: a fieldless enum read and served as one of its strings.

use heck::{
    ToKebabCase, ToLowerCamelCase, ToShoutyKebabCase, ToShoutySnakeCase, ToSnakeCase,
    ToUpperCamelCase,
};
use proc_macro2::TokenStream;
use quote::quote;
use syn::ext::IdentExt;
use syn::{Attribute, Data, DeriveInput, Error, Fields, LitStr};

use crate::docs;

const CASES: &str = "`lowercase`, `UPPERCASE`, `PascalCase`, `camelCase`, `snake_case`, \
     `SCREAMING_SNAKE_CASE`, `kebab-case` or `SCREAMING-KEBAB-CASE`";

pub(crate) fn expand(item: TokenStream) -> syn::Result<TokenStream> {
    let input: DeriveInput = syn::parse2(item)?;
    let Data::Enum(data) = &input.data else {
        let message = "`Choice` derives only for enums whose variants have no fields";
        return Err(Error::new_spanned(&input.ident, message));
    };
    if !input.generics.params.is_empty() || input.generics.where_clause.is_some() {
        let message = "a `Choice` cannot be generic";
        return Err(Error::new_spanned(&input.generics, message));
    }
    if data.variants.is_empty() {
        let message = "a `Choice` needs at least one variant";
        return Err(Error::new_spanned(&input.ident, message));
    }
    let case = rename_all(&input.attrs)?;
    let mut variants = Vec::new();
    let mut values: Vec<String> = Vec::new();
    for variant in &data.variants {
        if !matches!(variant.fields, Fields::Unit) {
            let message = format!(
                "variant `{}` has fields; a `Choice` needs variants without fields",
                variant.ident
            );
            return Err(Error::new_spanned(&variant.fields, message));
        }
        let value = match rename(&variant.attrs)? {
            Some(value) => value,
            None => case(&variant.ident.unraw().to_string()),
        };
        if values.contains(&value) {
            let message = format!("duplicate value `{value}`; rename one of the variants");
            return Err(Error::new_spanned(&variant.ident, message));
        }
        values.push(value);
        variants.push(&variant.ident);
    }
    Ok(generate(&input, &variants, &values))
}

/// Generates the trait impls of the enum.
fn generate(input: &DeriveInput, variants: &[&syn::Ident], values: &[String]) -> TokenStream {
    let ident = &input.ident;
    let title = ident.unraw().to_string();
    let description = match docs::description(&input.attrs) {
        Some(text) => quote!(::core::option::Option::Some(#text)),
        None => quote!(::core::option::Option::None),
    };
    let private = quote!(::fnhost_sdk::__private);

    quote! {
        impl ::fnhost_sdk::Choice for #ident {
            const VALUES: &'static [&'static str] = &[#(#values),*];

            fn as_str(&self) -> &'static str {
                match self {
                    #(#ident::#variants => #values,)*
                }
            }
        }

        impl ::fnhost_sdk::Arg for #ident {
            fn schema() -> #private::serde_json::Value {
                #private::choice_schema(
                    #title,
                    #description,
                    <Self as ::fnhost_sdk::Choice>::VALUES,
                )
            }

            fn from_arg(
                value: #private::serde_json::Value,
            ) -> ::core::result::Result<Self, ::std::string::String> {
                let text = #private::choice_text(value)?;
                match text.as_str() {
                    #(#values => ::core::result::Result::Ok(#ident::#variants),)*
                    other => ::core::result::Result::Err(#private::unknown_choice(
                        other,
                        <Self as ::fnhost_sdk::Choice>::VALUES,
                    )),
                }
            }
        }

        impl #private::Scalar for #ident {}
        impl #private::Simple for #ident {}
        impl #private::Data for #ident {}

        impl #private::serde::Serialize for #ident {
            fn serialize<S: #private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(::fnhost_sdk::Choice::as_str(self))
            }
        }

        impl ::fnhost_sdk::IntoResponse for #ident {
            fn into_response(self) -> ::fnhost_sdk::Response {
                ::fnhost_sdk::Response::json(&self)
            }
        }
    }
}

/// Reads `#[choice(rename_all = "...")]` on the enum; snake case without it.
fn rename_all(attrs: &[Attribute]) -> syn::Result<fn(&str) -> String> {
    let mut case: Option<fn(&str) -> String> = None;
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("choice")) {
        attr.parse_nested_meta(|meta| {
            if !meta.path.is_ident("rename_all") {
                return Err(meta.error("unknown `choice` option on an enum; expected `rename_all`"));
            }
            if case.is_some() {
                return Err(meta.error("duplicate option `rename_all`"));
            }
            let name: LitStr = meta.value()?.parse()?;
            case = Some(match name.value().as_str() {
                "lowercase" => |text| text.to_lowercase(),
                "UPPERCASE" => |text| text.to_uppercase(),
                "PascalCase" => |text| text.to_upper_camel_case(),
                "camelCase" => |text| text.to_lower_camel_case(),
                "snake_case" => |text| text.to_snake_case(),
                "SCREAMING_SNAKE_CASE" => |text| text.to_shouty_snake_case(),
                "kebab-case" => |text| text.to_kebab_case(),
                "SCREAMING-KEBAB-CASE" => |text| text.to_shouty_kebab_case(),
                other => {
                    let message = format!("unknown case `{other}`; expected {CASES}");
                    return Err(Error::new(name.span(), message));
                }
            });
            Ok(())
        })?;
    }
    Ok(case.unwrap_or(|text| text.to_snake_case()))
}

/// Reads `#[choice(rename = "...")]` on a variant.
fn rename(attrs: &[Attribute]) -> syn::Result<Option<String>> {
    let mut value = None;
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("choice")) {
        attr.parse_nested_meta(|meta| {
            if !meta.path.is_ident("rename") {
                return Err(meta.error("unknown `choice` option on a variant; expected `rename`"));
            }
            if value.is_some() {
                return Err(meta.error("duplicate option `rename`"));
            }
            let name: LitStr = meta.value()?.parse()?;
            value = Some(name.value());
            Ok(())
        })?;
    }
    Ok(value)
}
