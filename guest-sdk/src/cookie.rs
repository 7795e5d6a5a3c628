//! Cookies set by a response.

use std::fmt::Write as _;

/// Characters a cookie name or an unquoted value may hold.
fn is_plain(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~:".contains(&byte)
}

/// Characters that stay as they are inside a quoted value.
fn is_quotable(byte: u8) -> bool {
    is_plain(byte) || b" ()/<=>?@[]{}".contains(&byte)
}

/// The `SameSite` attribute of a cookie.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SameSite {
    /// Sent on top-level navigation from other sites, not on their requests.
    #[default]
    Lax,
    /// Sent only on requests from the same site.
    Strict,
    /// Sent on every request; browsers require `Secure` with it.
    None,
}

impl SameSite {
    fn as_str(self) -> &'static str {
        match self {
            SameSite::Lax => "lax",
            SameSite::Strict => "strict",
            SameSite::None => "none",
        }
    }
}

/// A cookie to set with [`Response::set_cookie`](crate::Response::set_cookie).
///
/// As in FastAPI, a new cookie has `Path=/` and `SameSite=lax`; the other
/// attributes are off until set.
///
/// ```
/// use fnhost_sdk::{Cookie, SameSite};
///
/// let cookie = Cookie::new("session", "abc")
///     .max_age(3600)
///     .http_only(true)
///     .same_site(SameSite::Strict);
/// assert_eq!(
///     cookie.header_value().unwrap(),
///     "session=abc; HttpOnly; Max-Age=3600; Path=/; SameSite=strict",
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cookie {
    name: String,
    value: String,
    path: Option<String>,
    domain: Option<String>,
    max_age: Option<i64>,
    http_only: bool,
    secure: bool,
    same_site: Option<SameSite>,
}

impl Cookie {
    /// Creates a cookie with this name and value.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Cookie {
            name: name.into(),
            value: value.into(),
            path: Some("/".to_string()),
            domain: None,
            max_age: None,
            http_only: false,
            secure: false,
            same_site: Some(SameSite::Lax),
        }
    }

    /// Sets the path the cookie applies to; `None` leaves the attribute out.
    pub fn path<'a>(mut self, path: impl Into<Option<&'a str>>) -> Self {
        self.path = path.into().map(str::to_string);
        self
    }

    /// Sets the domain the cookie applies to.
    pub fn domain(mut self, domain: &str) -> Self {
        self.domain = Some(domain.to_string());
        self
    }

    /// Sets the cookie's lifetime in seconds; 0 deletes it.
    pub fn max_age(mut self, seconds: i64) -> Self {
        self.max_age = Some(seconds);
        self
    }

    /// Hides the cookie from scripts in the browser.
    pub fn http_only(mut self, on: bool) -> Self {
        self.http_only = on;
        self
    }

    /// Sends the cookie over HTTPS only.
    pub fn secure(mut self, on: bool) -> Self {
        self.secure = on;
        self
    }

    /// Sets the `SameSite` attribute; `None` leaves it out.
    pub fn same_site(mut self, same_site: impl Into<Option<SameSite>>) -> Self {
        self.same_site = same_site.into();
        self
    }

    /// Returns the cookie's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Returns the cookie's value.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// Formats the `Set-Cookie` header value: the pair, then the attributes in
    /// alphabetical order, as FastAPI writes them.
    ///
    /// An empty value, or one with characters outside the plain set, is
    /// double-quoted, with `"` and `\` escaped by a backslash and `,`, `;`,
    /// control and non-ASCII bytes as `\` and three octal digits. An invalid
    /// name, path or domain is an error, since no quoting could carry it.
    pub fn header_value(&self) -> Result<String, String> {
        if self.name.is_empty() || !self.name.bytes().all(is_plain) {
            return Err(format!("invalid cookie name `{}`", self.name));
        }
        let mut line = format!("{}={}", self.name, quote(&self.value));
        if let Some(domain) = &self.domain {
            line.push_str(&format!("; Domain={}", attribute("domain", domain)?));
        }
        if self.http_only {
            line.push_str("; HttpOnly");
        }
        if let Some(max_age) = self.max_age {
            line.push_str(&format!("; Max-Age={max_age}"));
        }
        if let Some(path) = &self.path {
            line.push_str(&format!("; Path={}", attribute("path", path)?));
        }
        if let Some(same_site) = self.same_site {
            line.push_str(&format!("; SameSite={}", same_site.as_str()));
        }
        if self.secure {
            line.push_str("; Secure");
        }
        Ok(line)
    }
}

/// Quotes a value when it is empty or contains anything but plain characters.
fn quote(value: &str) -> String {
    if !value.is_empty() && value.bytes().all(is_plain) {
        return value.to_string();
    }
    let mut quoted = String::from("\"");
    for byte in value.bytes() {
        match byte {
            b'"' | b'\\' => {
                quoted.push('\\');
                quoted.push(byte as char);
            }
            _ if is_quotable(byte) => quoted.push(byte as char),
            _ => {
                let _ = write!(quoted, "\\{byte:03o}");
            }
        }
    }
    quoted.push('"');
    quoted
}

/// Checks an attribute value: a `;` or a control character would end or break
/// the header.
fn attribute<'a>(what: &str, value: &'a str) -> Result<&'a str, String> {
    if value
        .bytes()
        .any(|byte| byte == b';' || byte.is_ascii_control())
    {
        return Err(format!("invalid cookie {what} `{value}`"));
    }
    Ok(value)
}
