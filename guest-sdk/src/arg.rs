//! Parameter types: their JSON Schema, where the host reads them, and how the
//! validated JSON value becomes the Rust value.

use serde_json::{Value, json};

/// Source of a parameter's value in the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamSource {
    /// A `{name}` segment of the endpoint's path.
    Path,
    /// The query string; a list repeats the key (`?x=1&x=2`).
    Query,
    /// A request header.
    Header,
    /// A cookie.
    Cookie,
    /// The JSON body: the whole body when it is the only body parameter,
    /// otherwise its member named after the parameter.
    Body,
    /// A urlencoded or multipart form field; an object reads one field per
    /// property.
    Form,
    /// An uploaded file of a multipart form.
    File,
}

/// A type that an endpoint can take as a parameter.
///
/// The host validates the request against [`Arg::schema`], coerces each value to
/// the schema's types, fills in defaults, and passes the result to
/// [`Arg::from_arg`]. An error from `from_arg` is therefore a bug, and the host
/// returns status 500.
///
/// Implemented for the integer and float types, `bool`, `String`, `Option<T>`,
/// `Vec<T>`, [`serde_json::Value`], [`Form<T>`], [`UploadFile`](crate::UploadFile),
/// structs deriving [`Model`](crate::Model) and enums deriving
/// [`Choice`](crate::Choice).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be an endpoint parameter",
    label = "not an `fnhost_sdk::Arg` type",
    note = "use an integer, float, `bool`, `String`, `Option`, `Vec`, `serde_json::Value`, `fnhost_sdk::Form`, `fnhost_sdk::UploadFile`, a struct deriving `fnhost_sdk::Model` or an enum deriving `fnhost_sdk::Choice`"
)]
pub trait Arg: Sized {
    /// JSON Schema of the accepted value.
    fn schema() -> Value;

    /// Returns the source of the value when the parameter is not in the path.
    fn source() -> ParamSource {
        ParamSource::Query
    }

    /// Returns whether a request may leave the parameter out, making it `null`.
    fn optional() -> bool {
        false
    }

    /// Converts the value that the host validated against [`Arg::schema`].
    fn from_arg(value: Value) -> Result<Self, String>;
}

/// Reads a scalar through serde, which checks the range of integers.
fn deserialize<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, String> {
    let shown = value.to_string();
    serde_json::from_value(value).map_err(|err| format!("invalid value `{shown}`: {err}"))
}

macro_rules! integer_args {
    ($($ty:ty),*) => {$(
        impl Arg for $ty {
            fn schema() -> Value {
                json!({ "type": "integer", "minimum": <$ty>::MIN, "maximum": <$ty>::MAX })
            }

            fn from_arg(value: Value) -> Result<Self, String> {
                deserialize(value)
            }
        }
    )*};
}

integer_args!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

macro_rules! scalar_args {
    ($($ty:ty => $type:literal),*) => {$(
        impl Arg for $ty {
            fn schema() -> Value {
                json!({ "type": $type })
            }

            fn from_arg(value: Value) -> Result<Self, String> {
                deserialize(value)
            }
        }
    )*};
}

scalar_args!(f32 => "number", f64 => "number", bool => "boolean", String => "string");

impl Data for Value {}

impl Arg for Value {
    fn schema() -> Value {
        json!({})
    }

    fn source() -> ParamSource {
        ParamSource::Body
    }

    fn from_arg(value: Value) -> Result<Self, String> {
        Ok(value)
    }
}

impl<T: Simple> Simple for Option<T> {}
impl<T: Data> Data for Option<T> {}

impl<T: Arg> Arg for Option<T> {
    fn schema() -> Value {
        json!({ "anyOf": [T::schema(), { "type": "null" }], "default": null })
    }

    fn source() -> ParamSource {
        T::source()
    }

    fn optional() -> bool {
        true
    }

    fn from_arg(value: Value) -> Result<Self, String> {
        match value {
            Value::Null => Ok(None),
            value => T::from_arg(value).map(Some),
        }
    }
}

impl<T: Scalar> Simple for Vec<T> {}
impl<T: Data> Data for Vec<T> {}

impl<T: Arg> Arg for Vec<T> {
    fn schema() -> Value {
        json!({ "type": "array", "items": T::schema() })
    }

    /// Lists of scalars repeat a query key; lists of objects need a body, and
    /// lists of files are several files of one form field.
    fn source() -> ParamSource {
        match T::source() {
            ParamSource::Body => ParamSource::Body,
            ParamSource::Form => ParamSource::Form,
            ParamSource::File => ParamSource::File,
            _ => ParamSource::Query,
        }
    }

    fn from_arg(value: Value) -> Result<Self, String> {
        let Value::Array(items) = value else {
            return Err(format!("expected an array, got `{value}`"));
        };
        items
            .into_iter()
            .enumerate()
            .map(|(index, item)| T::from_arg(item).map_err(|err| format!("item {index}: {err}")))
            .collect()
    }
}

/// A parameter read from a urlencoded or multipart form rather than the query or
/// the JSON body.
///
/// `Form<String>` reads the form field named after the parameter; `Form<M>` of a
/// [`Model`](crate::Model) reads one form field per field of `M`.
///
/// ```
/// use fnhost_sdk::{Form, Model, webhook};
///
/// #[derive(Model)]
/// struct Login {
///     username: String,
///     password: String,
/// }
///
/// #[webhook(method = "POST")]
/// fn login(form: Form<Login>) -> String {
///     format!("welcome, {}", form.username)
/// }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Form<T>(pub T);

impl<T> Form<T> {
    /// Returns the wrapped value.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Form<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> std::ops::DerefMut for Form<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

// A file is a form part too, but it has its own source; `Data` keeps files out.
impl<T: Data> Arg for Form<T> {
    fn schema() -> Value {
        T::schema()
    }

    fn source() -> ParamSource {
        ParamSource::Form
    }

    fn optional() -> bool {
        T::optional()
    }

    fn from_arg(value: Value) -> Result<Self, String> {
        T::from_arg(value).map(Form)
    }
}

/// A string value from a fixed list: an enum deriving
/// [`Choice`](macro@crate::Choice).
///
/// Its schema is `{"type": "string", "enum": [...]}`, so the host returns 422
/// for any other string. It serializes back to its string.
pub trait Choice: Arg + 'static {
    /// The accepted strings, in the order of the variants.
    const VALUES: &'static [&'static str];

    /// Returns the string of this value.
    fn as_str(&self) -> &'static str;
}

/// One value that a query parameter, header, cookie or path segment carries:
/// a number, `bool`, `String` or [`Choice`].
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a single query, header or cookie value",
    label = "not a number, `bool`, `String` or `Choice` enum"
)]
pub trait Scalar: Arg {}

/// A value that a query parameter, header or cookie carries: a [`Scalar`], or
/// an `Option` or `Vec` of one.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be read from a query parameter, header or cookie",
    label = "not a number, `bool`, `String`, `Choice` enum, or an `Option` or `Vec` of one",
    note = "models and `serde_json::Value` come from the JSON body or a form; files come from `UploadFile` parameters"
)]
pub trait Simple: Arg {}

/// A value that a JSON body or a form field carries: anything but files and
/// forms.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be read from a JSON body",
    label = "not a value of a JSON body",
    note = "files (`UploadFile`) and forms (`Form`) have sources of their own"
)]
pub trait Data: Arg {}

/// A value that a form field carries: a [`Data`] value, or one already wrapped
/// in [`Form`].
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be read from a form field",
    label = "not a value of a form field",
    note = "an `UploadFile` parameter reads an uploaded file without `#[param(form)]`"
)]
pub trait FormField: Arg {}

impl<T: Data> FormField for T {}
impl<T: Data> FormField for Form<T> {}

/// Marks types as scalars that may also appear in bodies and forms.
macro_rules! scalars {
    ($($ty:ty),*) => {$(
        impl Scalar for $ty {}
        impl Simple for $ty {}
        impl Data for $ty {}
    )*};
}

scalars!(
    i8, i16, i32, i64, isize, u8, u16, u32, u64, usize, f32, f64, bool, String
);
