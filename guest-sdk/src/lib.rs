//! Write plain Rust functions and let the fnhost host serve each one as an HTTP
//! endpoint.
//!
//! Mark each function with [`webhook`], add one [`export!`] line, and build the
//! crate as a `cdylib` for `wasm32-wasip2`:
//!
//! ```
//! use fnhost_sdk::{Html, Model, webhook};
//!
//! /// Squares a number.
//! #[webhook]
//! fn square(#[param(ge = -1000, le = 1000)] x: i64) -> serde_json::Value {
//!     serde_json::json!({ "square": x * x })
//! }
//!
//! /// Someone to greet.
//! #[derive(Model)]
//! struct Person {
//!     name: String,
//! }
//!
//! /// Greets a person.
//! #[webhook(method = "POST")]
//! fn greet(person: Person) -> Html {
//!     Html(format!("<html>Hello, {}!</html>", person.name))
//! }
//!
//! fnhost_sdk::export!();
//! ```
//!
//! `GET /APP/square?x=3` then returns `{"square":9}`, and `POST /APP/greet` with
//! the body `{"name":"Ada"}` returns an HTML page.
//!
//! Parameters are typed with [`Arg`]: scalars, [`Choice`] enums and `Vec`s of
//! them come from the query string, [`Model`] structs and [`serde_json::Value`]
//! from the JSON body, [`Form`] from a form, [`UploadFile`] from a multipart
//! upload. `#[param(header)]`, `#[param(cookie)]` and the other options of
//! [`webhook`] pick another source. The host validates every request against the
//! JSON Schema that [`Arg::schema`] describes before the function runs. A
//! [`Request`] parameter receives the raw request.
//!
//! Return values go through [`IntoResponse`]: any `serde::Serialize` value becomes
//! JSON, and [`Html`], [`Text`], [`Bytes`], [`Redirect`], [`Response`] and
//! [`HttpError`] choose the body and status themselves.
//!
//! A panic in a function traps the component, and the host returns status 500.

// Lets the macros' `::fnhost_sdk::` paths resolve inside this crate as well.
extern crate self as fnhost_sdk;

#[doc(hidden)]
pub mod __private;
mod arg;
mod cookie;
mod file;
mod request;
mod response;

pub use arg::{Arg, Choice, Form, ParamSource};
pub use cookie::{Cookie, SameSite};
pub use file::UploadFile;
pub use request::Request;
pub use response::{Bytes, Html, HttpError, IntoResponse, Json, Redirect, Response, Text};

/// Serves a function as an HTTP endpoint of the app.
///
/// ```
/// # use fnhost_sdk::webhook;
/// /// Looks up an item.
/// #[webhook(path = "/items/{id}", methods = ["GET", "HEAD"])]
/// fn item(id: u32, #[param(default = false)] full: bool) -> String {
///     format!("item {id}, full: {full}")
/// }
/// ```
///
/// Options, all optional:
/// - `method = "POST"` or `methods = ["GET", "POST"]`: the accepted HTTP methods;
///   `GET` unless set.
/// - `path = "/items/{id}"`: the route below the app; `/NAME` unless set. Each
///   `{name}` segment is filled from the parameter of that name.
/// - `name = "..."`: the endpoint's name; the function's name unless set.
///
/// The first paragraph of the function's doc comment becomes the endpoint's
/// summary.
///
/// Each parameter's type must implement [`Arg`], except a [`Request`]
/// parameter, which receives the raw request. A parameter may carry
/// `#[param(...)]` with these options:
/// - `default = EXPR`: the value when the request has none, any expression that
///   `serde_json::json!` accepts.
/// - `ge = N` and `le = N`: inclusive bounds of a number.
/// - `min_length = N` and `max_length = N`: bounds of a string's length, or of a
///   list's item count.
/// - `description = "..."`: the schema's description.
/// - one source, replacing the one the type implies:
///   - `header`: a request header. The host reads the name with each `_` as
///     `-`, in any case, so `user_agent` reads `User-Agent`.
///   - `cookie`: a cookie.
///   - `query`: the query string, the default for scalars.
///   - `form`: a form field, like the [`Form`] wrapper.
///   - `body`: a member of the JSON body named after the parameter, even when it
///     is the only body parameter, so `#[param(body)] n: i64` reads `{"n": 1}`.
///
///   A header, cookie or query parameter must be a number, `bool`, `String`,
///   [`Choice`], or an `Option` or `Vec` of one.
/// - `alias = "x-token"`: the name of the query parameter, header, cookie or form
///   field, when it differs from the parameter's name.
///
/// ```
/// # use fnhost_sdk::webhook;
/// /// Reads a header, a cookie and a query parameter.
/// #[webhook]
/// fn whoami(
///     #[param(header)] user_agent: Option<String>,
///     #[param(header, alias = "x-token")] token: String,
///     #[param(cookie, default = "light")] theme: String,
///     #[param(alias = "q", max_length = 50)] search: Option<String>,
/// ) -> String {
///     format!("{user_agent:?} {token} {theme} {search:?}")
/// }
/// ```
///
/// The function itself stays callable as ordinary Rust.
pub use fnhost_sdk_macros::webhook;

/// Makes a struct with named fields usable as a parameter and as a return value.
///
/// For an enum of string values, derive [`Choice`](macro@Choice) instead.
///
/// A model is read from the JSON body (or from a form, in [`Form`]). Its JSON
/// Schema is an object titled with the struct's name, with one property per field.
/// A field is required unless it is an `Option` or has a default. The struct's doc
/// comment becomes the schema's description. Fields may be of any [`Arg`] type,
/// other models included.
///
/// Fields accept `#[field(...)]` with the same options as `#[param(...)]`:
/// `default`, `ge`, `le`, `min_length`, `max_length` and `description`.
///
/// The derive also implements `serde::Serialize` and [`IntoResponse`], so do not
/// derive `Serialize` as well.
///
/// ```
/// use fnhost_sdk::Model;
///
/// /// An order to place.
/// #[derive(Model)]
/// struct Order {
///     #[field(min_length = 1)]
///     name: String,
///     #[field(default = 1, ge = 1)]
///     qty: i64,
///     note: Option<String>,
/// }
/// ```
pub use fnhost_sdk_macros::Model;

/// Makes a fieldless enum a string value from a fixed list, usable as a
/// parameter, a model field, a list item and a return value.
///
/// Its JSON Schema is `{"type": "string", "enum": [...], "title": NAME}`, with
/// the enum's doc comment as the description. Each variant's string is its name
/// in snake case unless renamed:
/// - `#[choice(rename = "...")]` on a variant sets its string;
/// - `#[choice(rename_all = "...")]` on the enum picks another case for all:
///   `lowercase`, `UPPERCASE`, `PascalCase`, `camelCase`, `snake_case`,
///   `SCREAMING_SNAKE_CASE`, `kebab-case` or `SCREAMING-KEBAB-CASE`.
///
/// The derive implements the [`Choice`](trait@Choice) trait, `serde::Serialize`
/// (to the string) and [`IntoResponse`].
///
/// ```
/// use fnhost_sdk::{Choice, webhook};
///
/// /// A colour of the palette.
/// #[derive(Choice, Clone, Copy, Debug, PartialEq)]
/// enum Color {
///     Red,
///     DarkGreen,
///     #[choice(rename = "sky")]
///     Blue,
/// }
///
/// /// Echoes a colour: `?color=dark_green` gives `"dark_green"`.
/// #[webhook]
/// fn paint(color: Color) -> Color {
///     color
/// }
///
/// assert_eq!(<Color as fnhost_sdk::Choice>::VALUES, ["red", "dark_green", "sky"]);
/// ```
pub use fnhost_sdk_macros::Choice;

/// Exports the app's endpoints from the component.
///
/// Write it once, at the root of the crate that is built as the `cdylib`. It
/// expands to the component's `describe` and `call` exports there, since the
/// linker does not reliably keep exports that only a dependency defines.
#[macro_export]
macro_rules! export {
    () => {
        const _: () = {
            use $crate::__private::Handler;
            $crate::__private::bindings::__export!(
                Handler with_types_in $crate::__private::bindings
            );
        };
    };
}
