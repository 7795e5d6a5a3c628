//! The raw HTTP request, for functions that read more than their parameters.

use std::borrow::Cow;

use crate::__private::bindings::fnhost::function::types as wit;

/// The HTTP request as the host received it.
///
/// A parameter of this type receives the request; it is not a user input, so
/// the endpoint's description does not list it. A second `Request` parameter
/// of one endpoint fails the call with status 500.
///
/// ```
/// use fnhost_sdk::{Request, webhook};
///
/// /// Echoes the client's user agent.
/// #[webhook]
/// fn agent(request: Request) -> Option<String> {
///     request.header("user-agent").map(str::to_string)
/// }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Request {
    /// The upper-case method, such as `GET`.
    pub method: String,
    /// The path below the app, starting with `/`.
    pub path: String,
    /// The raw query string without the leading `?`.
    pub query: String,
    /// Header names in lower case with their raw values, in the order received.
    pub headers: Vec<(String, Vec<u8>)>,
    /// The raw body.
    pub body: Vec<u8>,
}

impl Request {
    /// Returns the first value of a header, matching the name in any case, or
    /// `None` when it is absent or not UTF-8.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.header_values(name)
            .next()
            .and_then(|value| std::str::from_utf8(value).ok())
    }

    /// Returns every raw value of a header, matching the name in any case.
    pub fn header_values<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a [u8]> + use<'a> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .filter(move |(key, _)| key.eq_ignore_ascii_case(&name))
            .map(|(_, value)| value.as_slice())
    }

    /// Returns a cookie's value from the `Cookie` headers, without surrounding
    /// double quotes.
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.header_values("cookie")
            .filter_map(|value| std::str::from_utf8(value).ok())
            .flat_map(|value| value.split(';'))
            .filter_map(|pair| pair.split_once('='))
            .find(|(key, _)| key.trim() == name)
            .map(|(_, value)| {
                let value = value.trim();
                value
                    .strip_prefix('"')
                    .and_then(|inner| inner.strip_suffix('"'))
                    .unwrap_or(value)
            })
    }

    /// Returns the decoded pairs of the query string, in order.
    pub fn query_pairs(&self) -> impl Iterator<Item = (Cow<'_, str>, Cow<'_, str>)> {
        form_urlencoded::parse(self.query.as_bytes())
    }

    /// Returns the body as text, or an error when it is not UTF-8.
    pub fn text(&self) -> Result<&str, std::str::Utf8Error> {
        std::str::from_utf8(&self.body)
    }

    /// Parses the body as JSON.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }
}

impl From<wit::Request> for Request {
    fn from(request: wit::Request) -> Self {
        Request {
            method: request.method,
            path: request.path,
            query: request.query,
            headers: request.headers,
            body: request.body,
        }
    }
}
