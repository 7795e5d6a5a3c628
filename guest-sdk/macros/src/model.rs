//! `#[derive(Model)]`: a struct read from JSON and served as JSON.

use proc_macro2::TokenStream;
use quote::quote;
use syn::ext::IdentExt;
use syn::punctuated::Punctuated;
use syn::{Data, DeriveInput, Error, Field, Fields, Token};

use crate::docs;
use crate::options::ValueOptions;

pub(crate) fn expand(item: TokenStream) -> syn::Result<TokenStream> {
    let input: DeriveInput = syn::parse2(item)?;
    let fields = named_fields(&input)?;
    let ident = &input.ident;
    let title = ident.unraw().to_string();
    let description = match docs::description(&input.attrs) {
        Some(text) => quote!(::core::option::Option::Some(#text)),
        None => quote!(::core::option::Option::None),
    };
    let reader = quote!(__fnhost_fields);
    let mut props = Vec::new();
    let mut inits = Vec::new();
    let mut serialized = Vec::new();
    for field in fields {
        let member = field.ident.as_ref().expect("named fields have names");
        let name = member.unraw().to_string();
        let ty = &field.ty;
        let options = ValueOptions::from_attrs(&field.attrs, "field")?;
        let calls = options.schema_calls();
        let doc = docs::description(&field.attrs).map(|text| quote!(.description(#text)));
        props.push(quote!(::fnhost_sdk::__private::Prop::of::<#ty>(#name) #doc #calls));
        let take = options.take(&reader, &name, ty);
        inits.push(quote!(#member: #take));
        serialized.push(quote!(__fnhost_state.serialize_field(#name, &self.#member)?;));
    }
    let count = fields.len();

    Ok(quote! {
        impl ::fnhost_sdk::Arg for #ident {
            fn schema() -> ::fnhost_sdk::__private::serde_json::Value {
                ::fnhost_sdk::__private::model_schema(#title, #description, ::std::vec![#(#props),*])
            }

            fn source() -> ::fnhost_sdk::ParamSource {
                ::fnhost_sdk::ParamSource::Body
            }

            fn from_arg(
                value: ::fnhost_sdk::__private::serde_json::Value,
            ) -> ::core::result::Result<Self, ::std::string::String> {
                #[allow(unused_mut)]
                let mut #reader = ::fnhost_sdk::__private::Fields::new(value, "field")?;
                ::core::result::Result::Ok(#ident { #(#inits),* })
            }
        }

        impl ::fnhost_sdk::__private::Data for #ident {}

        impl ::fnhost_sdk::__private::serde::Serialize for #ident {
            fn serialize<S: ::fnhost_sdk::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                use ::fnhost_sdk::__private::serde::ser::SerializeStruct as _;
                let mut __fnhost_state = serializer.serialize_struct(#title, #count)?;
                #(#serialized)*
                __fnhost_state.end()
            }
        }

        impl ::fnhost_sdk::IntoResponse for #ident {
            fn into_response(self) -> ::fnhost_sdk::Response {
                ::fnhost_sdk::Response::json(&self)
            }
        }
    })
}

/// Returns the struct's named fields, rejecting other items and generics.
fn named_fields(input: &DeriveInput) -> syn::Result<&Punctuated<Field, Token![,]>> {
    let fields = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(fields) => &fields.named,
            other => {
                let message =
                    "`Model` needs a struct with named fields, such as `struct A { x: i64 }`";
                return Err(Error::new_spanned(other, message));
            }
        },
        Data::Enum(data) => {
            let message = "`Model` derives only for structs with named fields; \
                 for an enum of string values derive `Choice`";
            return Err(Error::new(data.enum_token.span, message));
        }
        Data::Union(data) => {
            let message = "`Model` derives only for structs with named fields, not unions";
            return Err(Error::new(data.union_token.span, message));
        }
    };
    if !input.generics.params.is_empty() || input.generics.where_clause.is_some() {
        let message = "a `Model` cannot be generic; give its fields concrete types";
        return Err(Error::new_spanned(&input.generics, message));
    }

    Ok(fields)
}
