//! Turning an endpoint's return value into an HTTP response.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

use crate::Cookie;

/// An HTTP response with its status, headers and body.
///
/// ```
/// use fnhost_sdk::Response;
///
/// let created = Response::json(&serde_json::json!({ "id": 7 }))
///     .status(201)
///     .header("location", "/items/7");
/// assert_eq!(created.status_code(), 201);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, Vec<u8>)>,
    pub(crate) body: Vec<u8>,
}

impl Response {
    /// Creates a 200 response with this body and no content type.
    pub fn new(body: impl Into<Vec<u8>>) -> Self {
        Response {
            status: 200,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// Creates a 200 response with the value as `application/json`.
    ///
    /// A value that cannot be serialized (such as a map with non-string keys)
    /// gives a 500 response saying why.
    pub fn json<T: Serialize + ?Sized>(value: &T) -> Self {
        match serde_json::to_vec(value) {
            Ok(body) => Response::new(body).content_type("application/json"),
            Err(err) => {
                HttpError::new(500, format!("cannot serialize the response: {err}")).into_response()
            }
        }
    }

    /// Creates a 200 response with an HTML page.
    pub fn html(page: impl Into<String>) -> Self {
        Response::new(page.into()).content_type("text/html; charset=utf-8")
    }

    /// Creates a 200 response with plain text.
    pub fn text(text: impl Into<String>) -> Self {
        Response::new(text.into()).content_type("text/plain; charset=utf-8")
    }

    /// Creates a 200 response with raw bytes of the given content type.
    pub fn bytes(content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Response::new(body).content_type(content_type)
    }

    /// Sets the status code.
    pub fn status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    /// Adds a header; a name may repeat, as `set-cookie` does.
    pub fn header(mut self, name: &str, value: impl Into<Vec<u8>>) -> Self {
        self.headers.push((name.to_ascii_lowercase(), value.into()));
        self
    }

    /// Sets the `content-type` header, replacing any earlier one.
    pub fn content_type(mut self, content_type: &str) -> Self {
        self.headers.retain(|(name, _)| name != "content-type");
        self.header("content-type", content_type)
    }

    /// Adds a `set-cookie` header for a cookie with this name and value, with
    /// [`Cookie`]'s defaults (`Path=/`, `SameSite=lax`).
    pub fn cookie(self, name: &str, value: &str) -> Self {
        self.set_cookie(Cookie::new(name, value))
    }

    /// Adds a `set-cookie` header; each cookie gets a header of its own.
    ///
    /// A cookie that cannot be written (such as a name with a space) turns the
    /// response into a 500 saying why.
    pub fn set_cookie(self, cookie: Cookie) -> Self {
        match cookie.header_value() {
            Ok(line) => self.header("set-cookie", line),
            Err(err) => HttpError::new(500, err).into_response(),
        }
    }

    /// Adds a `set-cookie` header that deletes a cookie set with the default
    /// path.
    pub fn delete_cookie(self, name: &str) -> Self {
        self.set_cookie(Cookie::new(name, "").max_age(0))
    }

    /// Returns the status code.
    pub fn status_code(&self) -> u16 {
        self.status
    }

    /// Returns the headers, names in lower case, in the order they were added.
    pub fn headers(&self) -> &[(String, Vec<u8>)] {
        &self.headers
    }

    /// Returns the body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }
}

/// An HTML page, served as `text/html; charset=utf-8`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Html(pub String);

/// Plain text, served as `text/plain; charset=utf-8`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text(pub String);

/// Raw bytes with their content type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bytes {
    /// The `content-type` header, such as `image/png`.
    pub content_type: String,
    /// The body.
    pub body: Vec<u8>,
}

/// Characters kept as they are in a redirect's `location`; every other one is
/// percent-encoded, as FastAPI's `RedirectResponse` does.
const LOCATION_KEEPS: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b':')
    .remove(b'/')
    .remove(b'%')
    .remove(b'#')
    .remove(b'?')
    .remove(b'=')
    .remove(b'@')
    .remove(b'[')
    .remove(b']')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';');

/// A redirect: an empty response with a status and a `location` header.
///
/// ```
/// use fnhost_sdk::{Redirect, webhook};
///
/// /// Moved to the new route.
/// #[webhook]
/// fn old() -> Redirect {
///     Redirect::permanent("/app/new")
/// }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redirect {
    status: u16,
    location: String,
}

impl Redirect {
    /// Creates a temporary redirect, 307, which keeps the method and body; FastAPI's
    /// `RedirectResponse` default.
    pub fn to(location: impl Into<String>) -> Self {
        Redirect::with_status(307, location)
    }

    /// Creates a permanent redirect, 308, which keeps the method and body.
    pub fn permanent(location: impl Into<String>) -> Self {
        Redirect::with_status(308, location)
    }

    /// Creates a 303 redirect, which the client follows with `GET`, as after a form post.
    pub fn see_other(location: impl Into<String>) -> Self {
        Redirect::with_status(303, location)
    }

    /// Creates a redirect with another status, such as 301 or 302.
    pub fn with_status(status: u16, location: impl Into<String>) -> Self {
        Redirect {
            status,
            location: location.into(),
        }
    }

    /// Returns the status code.
    pub fn status_code(&self) -> u16 {
        self.status
    }

    /// Returns the target as given, before percent-encoding.
    pub fn location(&self) -> &str {
        &self.location
    }
}

/// A value served as JSON; needed only for a `serde::Serialize` type of your own
/// inside a `Result`, as the top-level return value is served as JSON anyway.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Json<T>(pub T);

/// An error response: `{"detail": "..."}` with an error status.
///
/// ```
/// use fnhost_sdk::{HttpError, webhook};
///
/// #[webhook(path = "/items/{id}")]
/// fn item(id: u32) -> Result<String, HttpError> {
///     match id {
///         1 => Ok("the first item".to_string()),
///         _ => Err(HttpError::new(404, "item not found")),
///     }
/// }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpError {
    status: u16,
    detail: String,
    headers: Vec<(String, Vec<u8>)>,
}

impl HttpError {
    /// Creates an error with this status code and detail message.
    pub fn new(status: u16, detail: impl Into<String>) -> Self {
        HttpError {
            status,
            detail: detail.into(),
            headers: Vec::new(),
        }
    }

    /// Adds a header to the error response.
    pub fn header(mut self, name: &str, value: impl Into<Vec<u8>>) -> Self {
        self.headers.push((name.to_ascii_lowercase(), value.into()));
        self
    }

    /// Returns the status code.
    pub fn status_code(&self) -> u16 {
        self.status
    }

    /// Returns the detail message.
    pub fn detail(&self) -> &str {
        &self.detail
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.status, self.detail)
    }
}

impl std::error::Error for HttpError {}

/// A value that an endpoint can return.
///
/// An endpoint serves a `serde::Serialize` return value as JSON even without this
/// trait. Inside a `Result`, the `Ok` and `Err` types need it, so wrap other
/// serializable values in [`Json`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be returned from an endpoint",
    label = "not an `fnhost_sdk::IntoResponse` type",
    note = "return a `serde::Serialize` value, a `fnhost_sdk::Model` struct, `Html`, `Text`, `Bytes`, `Redirect`, `Response`, `HttpError`, or a `Result` of those; inside a `Result`, wrap other serializable values in `fnhost_sdk::Json`"
)]
pub trait IntoResponse {
    /// Builds the HTTP response.
    fn into_response(self) -> Response;
}

impl IntoResponse for Response {
    fn into_response(self) -> Response {
        self
    }
}

impl IntoResponse for Redirect {
    fn into_response(self) -> Response {
        let location = utf8_percent_encode(&self.location, LOCATION_KEEPS).to_string();
        Response::new(Vec::new())
            .status(self.status)
            .header("location", location)
    }
}

impl From<Redirect> for Response {
    fn from(redirect: Redirect) -> Self {
        redirect.into_response()
    }
}

impl IntoResponse for Html {
    fn into_response(self) -> Response {
        Response::html(self.0)
    }
}

impl IntoResponse for Text {
    fn into_response(self) -> Response {
        Response::text(self.0)
    }
}

impl IntoResponse for Bytes {
    fn into_response(self) -> Response {
        Response::bytes(&self.content_type, self.body)
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        Response::json(&self.0)
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let mut response =
            Response::json(&serde_json::json!({ "detail": self.detail })).status(self.status);
        response.headers.extend(self.headers);
        response
    }
}

impl<T: IntoResponse, E: IntoResponse> IntoResponse for Result<T, E> {
    fn into_response(self) -> Response {
        match self {
            Ok(value) => value.into_response(),
            Err(err) => err.into_response(),
        }
    }
}

/// Serves each type as JSON, as a `Result` branch needs it to.
macro_rules! json_responses {
    ($($ty:ty),*) => {$(
        impl IntoResponse for $ty {
            fn into_response(self) -> Response {
                Response::json(&self)
            }
        }
    )*};
}

json_responses!(
    (),
    bool,
    char,
    i8,
    i16,
    i32,
    i64,
    i128,
    isize,
    u8,
    u16,
    u32,
    u64,
    u128,
    usize,
    f32,
    f64,
    String,
    serde_json::Value
);

impl IntoResponse for &str {
    fn into_response(self) -> Response {
        Response::json(self)
    }
}

impl<T: Serialize> IntoResponse for Vec<T> {
    fn into_response(self) -> Response {
        Response::json(&self)
    }
}

impl<T: Serialize> IntoResponse for Option<T> {
    fn into_response(self) -> Response {
        Response::json(&self)
    }
}

impl<K: Serialize, V: Serialize> IntoResponse for BTreeMap<K, V> {
    fn into_response(self) -> Response {
        Response::json(&self)
    }
}

impl<K: Serialize, V: Serialize, S> IntoResponse for HashMap<K, V, S> {
    fn into_response(self) -> Response {
        Response::json(&self)
    }
}
