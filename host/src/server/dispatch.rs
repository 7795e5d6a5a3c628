//! Routing of each request to an app and endpoint, and the request log.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use http::{HeaderValue, Method, Request, header};
use http_body_util::{BodyExt as _, LengthLimitError, Limited};
use tracing::Instrument as _;

use crate::error::HttpError;
use crate::function::{FunctionApp, openapi};
use crate::function::app::CallRequest;
use crate::host::App;
use crate::{Host, request_id};

/// Header that carries the request id in every response.
const REQUEST_ID_HEADER: &str = "x-request-id";

/// Destination of a request, read from its host name or its path.
#[derive(Debug, PartialEq, Eq)]
enum Target<'a> {
    /// `GET /`: the list of apps.
    Index,
    /// `/_fnhost/health`.
    Health,
    /// An app, with the path below it and, for `{app}--{function}` hosts, the function.
    App { app: &'a str, function: Option<&'a str>, path: &'a str },
    /// A path under `/_fnhost/` that does not exist.
    Unknown,
}

/// App and function a request reached, for its log line.
#[derive(Default)]
struct Reached {
    app: Option<String>,
    function: Option<Arc<str>>,
}

/// Serves one request and logs one line for it.
///
/// The `request` span is at debug level, so that it costs nothing at the default
/// level; the log line carries its own fields.
pub(super) async fn dispatch(State(host): State<Host>, request: Request<Body>) -> Response {
    let started = Instant::now();
    let request_id: Arc<str> = Arc::from(request_id::next_hex());
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let span = tracing::debug_span!("request", request_id = %request_id);
    let mut reached = Reached::default();

    let (mut response, cold) = match route(&host, request, &request_id, &mut reached).instrument(span).await {
        Ok(answer) => answer,
        Err(error) => (error.into_response(), None),
    };
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }

    let status = response.status().as_u16();
    let duration_ms = started.elapsed().as_secs_f64() * 1000.0;
    let app = reached.app.as_deref().unwrap_or("-");
    let function = reached.function.as_deref().unwrap_or("-");
    match cold {
        Some(cold) => tracing::info!(
            target: "fnhost::request",
            request_id = %request_id, %method, %path, app, function, status, duration_ms, cold, "served"
        ),
        None => tracing::info!(
            target: "fnhost::request",
            request_id = %request_id, %method, %path, app, function, status, duration_ms, "served"
        ),
    }
    response
}

async fn route(
    host: &Host,
    request: Request<Body>,
    request_id: &Arc<str>,
    reached: &mut Reached,
) -> Result<(Response, Option<bool>), HttpError> {
    let host_name = host_name(&request);
    let target = target(host_name.as_deref(), request.uri().path());
    match target {
        Target::Index => Ok((index_or_405(host, &request)?, None)),
        Target::Health => Ok((axum::Json(serde_json::json!({ "status": "ok" })).into_response(), None)),
        Target::Unknown => Err(HttpError::NotFound(format!("no host route `{}`", request.uri().path()))),
        Target::App { app, function, path } => {
            let Some(found) = host.app(app) else {
                return Err(HttpError::NotFound(format!("no app named `{app}`")));
            };
            reached.app = Some(app.to_owned());
            let path = path.to_owned();
            let function = function.map(str::to_owned);
            match &*found {
                App::Function(function_app) => {
                    call_function(host, function_app, function.as_deref(), &path, request, request_id, reached).await
                }
                App::Http(http_app) => {
                    let prefix = if host_name.as_deref().is_some_and(|name| name.ends_with(".localhost")) {
                        None
                    } else {
                        Some(format!("/{app}"))
                    };
                    let request = strip_prefix(request, &path, prefix.as_deref())?;
                    let (response, cold) = http_app.handle(request, request_id).await?;
                    Ok((response, Some(cold)))
                }
            }
        }
    }
}

fn index_or_405(host: &Host, request: &Request<Body>) -> Result<Response, HttpError> {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return Err(HttpError::MethodNotAllowed { allow: vec![Method::GET] });
    }
    Ok(super::index::render(host, request))
}

async fn call_function(
    host: &Host,
    app: &FunctionApp,
    function: Option<&str>,
    path: &str,
    request: Request<Body>,
    request_id: &Arc<str>,
    reached: &mut Reached,
) -> Result<(Response, Option<bool>), HttpError> {
    if function.is_none()
        && request.method() == Method::GET
        && let Some(page) = app_page(app, path)
    {
        return Ok((page, None));
    }
    let matched = match function {
        None => match app.route(request.method(), path) {
            Err(HttpError::NotFound(_)) if has_route_without_slash(app, request.method(), path) => {
                return Ok((redirect_without_slash(&request), None));
            }
            other => other?,
        },
        Some(function) => {
            let Some(endpoint) = app.endpoint(function) else {
                return Err(HttpError::NotFound(format!("app `{}` has no function `{function}`", app.name)));
            };
            // On a function's own host, `/` stands for the function's route.
            let path = if path == "/" && !endpoint.path.contains('{') { endpoint.path.as_str() } else { path };
            let matched = app.route(request.method(), path)?;
            if !Arc::ptr_eq(&matched.endpoint.name, &endpoint.name) {
                return Err(HttpError::NotFound(format!("function `{function}` has no route `{path}`")));
            }
            matched
        }
    };
    reached.function = Some(Arc::clone(&matched.endpoint.name));

    let (parts, body) = request.into_parts();
    let (limit, timeout) = (host.shared.config.max_body_size, host.shared.config.client_timeout);
    let body = tokio::time::timeout(timeout, read_body(body, &parts.headers, limit))
        .await
        .map_err(|_| HttpError::RequestTimeout(timeout.as_secs_f64()))??;
    let call = CallRequest {
        method: &parts.method,
        path,
        query: parts.uri.query().unwrap_or_default(),
        headers: &parts.headers,
        body,
        request_id,
    };
    let outcome = app.call(&matched, call).await?;
    let (mut response_parts, body) = outcome.response.into_parts();
    let body = if parts.method == Method::HEAD {
        // A HEAD response carries the length the GET response would have.
        response_parts.headers.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
        Body::empty()
    } else {
        Body::from(body)
    };
    Ok((Response::from_parts(response_parts, body), Some(outcome.cold)))
}

fn has_route_without_slash(app: &FunctionApp, method: &Method, path: &str) -> bool {
    path.len() > 1 && path.ends_with('/') && app.route(method, path.trim_end_matches('/')).is_ok()
}

/// Redirects `/app/route/` to `/app/route` with 307, which keeps the method and body,
/// as Starlette does for a route declared without the slash.
fn redirect_without_slash(request: &Request<Body>) -> Response {
    let path = request.uri().path().trim_end_matches('/');
    let location = match request.uri().query() {
        Some(query) => format!("{path}?{query}"),
        None => path.to_owned(),
    };
    let mut response = http::StatusCode::TEMPORARY_REDIRECT.into_response();
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// The interactive docs page; it loads `openapi.json` from beside itself.
const DOCS_PAGE: &str = include_str!("docs.html");

/// Returns the app's OpenAPI document or docs page, unless the app has a route of
/// its own at that path.
fn app_page(app: &FunctionApp, path: &str) -> Option<Response> {
    if !matches!(path, "/openapi.json" | "/docs") || app.route(&Method::GET, path).is_ok() {
        return None;
    }
    if path == "/docs" {
        return Some(axum::response::Html(DOCS_PAGE).into_response());
    }
    Some(axum::Json(openapi::document(app)).into_response())
}

/// Rewrites the request's path to `path` (the part below the app) and records the
/// removed prefix in `X-Forwarded-Prefix`, as reverse proxies do.
fn strip_prefix(request: Request<Body>, path: &str, prefix: Option<&str>) -> Result<Request<Body>, HttpError> {
    let (mut parts, body) = request.into_parts();
    let path_and_query = match parts.uri.query() {
        Some(query) => format!("{path}?{query}"),
        None => path.to_owned(),
    };
    parts.uri = http::Uri::builder()
        .path_and_query(path_and_query)
        .build()
        .map_err(|_| HttpError::BadRequest(format!("invalid request path `{path}`")))?;
    if let Some(prefix) = prefix {
        let value = HeaderValue::from_str(prefix).map_err(|_| HttpError::BadRequest(format!("invalid app prefix `{prefix}`")))?;
        parts.headers.insert("x-forwarded-prefix", value);
    }
    Ok(Request::from_parts(parts, body))
}

/// Reads the whole body, returning 413 past `limit` bytes without reading further.
async fn read_body(body: Body, headers: &http::HeaderMap, limit: usize) -> Result<Bytes, HttpError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(HttpError::PayloadTooLarge { limit });
    }
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(error) if error.downcast_ref::<LengthLimitError>().is_some() => Err(HttpError::PayloadTooLarge { limit }),
        Err(error) => Err(HttpError::BadRequest(format!("failed to read the request body: {error}"))),
    }
}

/// Returns the request's host name, lower-case and without the port.
fn host_name(request: &Request<Body>) -> Option<String> {
    let authority = request
        .headers()
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .or_else(|| request.uri().host())?;
    let name = match authority.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|byte| byte.is_ascii_digit()) => name,
        _ => authority,
    };
    Some(name.to_ascii_lowercase())
}

fn target<'a>(host_name: Option<&'a str>, path: &'a str) -> Target<'a> {
    if let Some(label) = host_name.and_then(|name| name.strip_suffix(".localhost"))
        && !label.is_empty()
        && !label.contains('.')
    {
        return match label.split_once("--") {
            Some((app, function)) => Target::App { app, function: Some(function), path },
            None => Target::App { app: label, function: None, path },
        };
    }
    if path == "/" {
        return Target::Index;
    }
    let rest = &path[1..];
    let (first, below) = match rest.find('/') {
        Some(slash) => (&rest[..slash], &rest[slash..]),
        None => (rest, "/"),
    };
    if first == "_fnhost" {
        return if below == "/health" { Target::Health } else { Target::Unknown };
    }
    Target::App { app: first, function: None, path: below }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_selects_app_and_rest() {
        let found = target(Some("127.0.0.1"), "/hello/square");
        assert_eq!(found, Target::App { app: "hello", function: None, path: "/square" });
    }

    #[test]
    fn bare_app_path_is_root() {
        assert_eq!(target(None, "/hello"), Target::App { app: "hello", function: None, path: "/" });
    }

    #[test]
    fn function_host_selects_function() {
        let found = target(Some("hello--square.localhost"), "/");
        assert_eq!(found, Target::App { app: "hello", function: Some("square"), path: "/" });
    }

    #[test]
    fn app_host_keeps_path() {
        let found = target(Some("hello.localhost"), "/square");
        assert_eq!(found, Target::App { app: "hello", function: None, path: "/square" });
    }

    #[test]
    fn root_is_index() {
        assert_eq!(target(Some("localhost"), "/"), Target::Index);
    }

    #[test]
    fn host_paths() {
        assert_eq!(target(None, "/_fnhost/health"), Target::Health);
        assert_eq!(target(None, "/_fnhost/nothing"), Target::Unknown);
    }
}
