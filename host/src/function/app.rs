//! A loaded function app: its endpoints, routes and warm instance pool.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use wasmtime::component::{Component, Linker};
use wasmtime::{Engine, Store};

use super::args::{self, RequestInput};
use super::body::{self, BodyError};
use super::urlencoded::decode_pairs;
use super::bindings::{self, Function, FunctionPre};
use super::endpoint::{EndpointSpec, parse_endpoints};
use crate::error::HttpError;
use crate::runtime::factory::{ComponentFactory, InstanceSettings, Prepared};
use crate::runtime::pool::{InstancePool, Instantiate as _};
use crate::runtime::state::GuestState;

impl Prepared for FunctionPre<GuestState> {
    type Bindings = Function;

    fn instantiate<'a>(
        &'a self,
        store: &'a mut Store<GuestState>,
    ) -> impl Future<Output = wasmtime::Result<Function>> + Send + 'a {
        self.instantiate_async(store)
    }
}

type FunctionFactory = ComponentFactory<FunctionPre<GuestState>>;

/// A function app ready to serve.
pub struct FunctionApp {
    /// App name.
    pub name: Arc<str>,
    /// Endpoints in the order the guest described them.
    pub endpoints: Vec<EndpointSpec>,
    routes: matchit::Router<Vec<usize>>,
    pool: Arc<InstancePool<FunctionFactory>>,
    timeout: Duration,
}

/// Endpoint and path parameters the router matched for a request.
pub struct Matched<'a> {
    /// The endpoint.
    pub endpoint: &'a EndpointSpec,
    /// Values of the route's `{…}` segments.
    pub path_params: Vec<(String, String)>,
}

/// A request to run on an endpoint.
pub struct CallRequest<'a> {
    /// Request method.
    pub method: &'a Method,
    /// Path below the app.
    pub path: &'a str,
    /// Raw query string.
    pub query: &'a str,
    /// Request headers.
    pub headers: &'a HeaderMap,
    /// The whole body.
    pub body: Bytes,
    /// Id of the request, for logs.
    pub request_id: &'a Arc<str>,
}

/// The guest's response and whether its instance was created for the call.
pub struct CallOutcome {
    /// The response to send.
    pub response: http::Response<Bytes>,
    /// Whether the instance was created for this call.
    pub cold: bool,
}

impl FunctionApp {
    /// Instantiates `component` once to read its endpoints, then sets up its pool.
    pub async fn load(
        engine: &Engine,
        linker: &Linker<GuestState>,
        component: &Component,
        name: Arc<str>,
        settings: InstanceSettings,
    ) -> anyhow::Result<Self> {
        let instance_pre = linker
            .instantiate_pre(component)
            .map_err(anyhow::Error::from)
            .context("failed to link the component (it imports something the host does not provide)")?;
        let pre = FunctionPre::new(instance_pre)
            .map_err(anyhow::Error::from)
            .context("component exports neither the `fnhost:function` world (`describe`, `call`) nor `wasi:http/incoming-handler`")?;
        let timeout = settings.timeout;
        let limits = settings.limits;
        let factory = FunctionFactory::new(engine, pre, &name, settings);

        let mut instance = factory.instantiate().await.context("failed to instantiate the component")?;
        let described = tokio::time::timeout(timeout, instance.bindings.call_describe(&mut instance.store))
            .await
            .context("`describe` timed out")?
            .map_err(anyhow::Error::from)
            .context("`describe` trapped")?;
        drop(instance);
        let endpoints = parse_endpoints(described)?;

        let mut routes = matchit::Router::new();
        let mut paths: Vec<(&str, Vec<usize>)> = Vec::new();
        for (index, endpoint) in endpoints.iter().enumerate() {
            match paths.iter_mut().find(|(path, _)| *path == endpoint.path) {
                Some((_, indexes)) => indexes.push(index),
                None => paths.push((&endpoint.path, vec![index])),
            }
        }
        for (path, indexes) in paths {
            routes.insert(path, indexes).with_context(|| format!("invalid route `{path}`"))?;
        }

        Ok(Self { name, endpoints, routes, pool: InstancePool::new(factory, limits), timeout })
    }

    /// Finds the endpoint for `method` and `path` (below the app).
    pub fn route(&self, method: &Method, path: &str) -> Result<Matched<'_>, HttpError> {
        let Ok(found) = self.routes.at(path) else {
            return Err(HttpError::NotFound(format!("app `{}` has no route `{path}`", self.name)));
        };
        let allowed = |index: &usize| {
            let endpoint = &self.endpoints[*index];
            endpoint.methods.contains(method) || (*method == Method::HEAD && endpoint.methods.contains(&Method::GET))
        };
        let Some(index) = found.value.iter().copied().find(allowed) else {
            let mut allow: Vec<Method> =
                found.value.iter().flat_map(|index| self.endpoints[*index].methods.iter().cloned()).collect();
            allow.dedup();
            return Err(HttpError::MethodNotAllowed { allow });
        };
        let path_params = found
            .params
            .iter()
            .map(|(key, value)| {
                let decoded = percent_encoding::percent_decode_str(value).decode_utf8().map_err(|_| {
                    HttpError::BadRequest(format!("path segment `{value}` is not valid UTF-8 once percent-decoded"))
                })?;
                Ok((key.to_owned(), decoded.into_owned()))
            })
            .collect::<Result<_, HttpError>>()?;
        Ok(Matched { endpoint: &self.endpoints[index], path_params })
    }

    /// Finds an endpoint by name.
    pub fn endpoint(&self, name: &str) -> Option<&EndpointSpec> {
        self.endpoints.iter().find(|endpoint| &*endpoint.name == name)
    }

    /// Validates the request's arguments and runs the endpoint on a pooled instance.
    pub async fn call(&self, matched: &Matched<'_>, request: CallRequest<'_>) -> Result<CallOutcome, HttpError> {
        let endpoint = matched.endpoint;
        let body = match body::read(endpoint, request.headers, request.body.clone()).await {
            Ok(body) => body,
            Err(BodyError::Invalid(error)) => return Err(HttpError::Invalid(vec![error])),
            Err(BodyError::UnsupportedMediaType(detail)) => return Err(HttpError::UnsupportedMediaType(detail)),
            Err(BodyError::BadRequest(detail)) => return Err(HttpError::BadRequest(detail)),
        };
        let query = decode_pairs(request.query.as_bytes())
            .map_err(|error| HttpError::BadRequest(format!("invalid query string: {error}")))?;
        let input = RequestInput {
            path_params: &matched.path_params,
            query: &query,
            headers: request.headers,
            body: &body,
        };
        let args = args::extract(endpoint, &input).map_err(HttpError::Invalid)?;
        let args = serde_json::Value::Object(args).to_string();
        let guest_request = bindings::Request {
            method: request.method.as_str().to_owned(),
            path: request.path.to_owned(),
            query: request.query.to_owned(),
            headers: request
                .headers
                .iter()
                .map(|(name, value)| (name.as_str().to_owned(), value.as_bytes().to_vec()))
                .collect(),
            body: request.body.to_vec(),
        };

        let mut lease = self.pool.acquire().await.map_err(|error| HttpError::from_acquire(&self.name, error))?;
        let cold = lease.cold;
        let instance = lease.instance();
        instance.store.data().set_labels(&endpoint.name, request.request_id);
        let call = instance.bindings.call_call(&mut instance.store, &endpoint.name, &args, &guest_request);
        let result = tokio::time::timeout(self.timeout, call).await;
        instance.store.data().flush_logs();
        match result {
            Ok(Ok(response)) => {
                lease.release();
                let response = convert_response(response).map_err(|detail| {
                    tracing::error!(
                        app = %self.name,
                        function = %endpoint.name,
                        request_id = %request.request_id,
                        cause = %detail,
                        "invalid guest response"
                    );
                    HttpError::GuestFailed(format!("function `{}` returned an invalid response: {detail}", endpoint.name))
                })?;
                Ok(CallOutcome { response, cold })
            }
            Ok(Err(trap)) => {
                tracing::error!(
                    app = %self.name,
                    function = %endpoint.name,
                    request_id = %request.request_id,
                    cause = %format!("{trap:?}"),
                    "guest trapped; its instance is dropped"
                );
                Err(HttpError::GuestFailed(format!(
                    "function `{}` failed: the guest trapped (request id `{}`)",
                    endpoint.name, request.request_id
                )))
            }
            Err(_elapsed) => {
                tracing::warn!(
                    app = %self.name,
                    function = %endpoint.name,
                    request_id = %request.request_id,
                    timeout_secs = self.timeout.as_secs_f64(),
                    "call timed out; its instance is dropped"
                );
                Err(HttpError::Timeout(format!(
                    "function `{}` timed out after {}",
                    endpoint.name,
                    format_duration(self.timeout)
                )))
            }
        }
    }

    /// Returns the number of idle warm instances.
    pub fn idle_instances(&self) -> usize {
        self.pool.idle_count()
    }
}

/// Headers that describe the connection or the body's framing. The host sets them
/// itself; a guest's own value would desynchronise the connection.
const HOST_OWNED_HEADERS: [HeaderName; 6] = [
    http::header::CONTENT_LENGTH,
    http::header::TRANSFER_ENCODING,
    http::header::CONNECTION,
    http::header::UPGRADE,
    http::header::TRAILER,
    HeaderName::from_static("keep-alive"),
];

fn convert_response(response: bindings::Response) -> Result<http::Response<Bytes>, String> {
    // 1xx responses are interim and cannot end a request.
    let status = StatusCode::from_u16(response.status)
        .ok()
        .filter(|status| (200..=599).contains(&status.as_u16()))
        .ok_or_else(|| format!("invalid status `{}`: use 200 to 599", response.status))?;
    // These statuses have no body (RFC 9110, sections 15.3.5 and 15.4.5).
    let body = if status == StatusCode::NO_CONTENT || status == StatusCode::NOT_MODIFIED {
        Bytes::new()
    } else {
        Bytes::from(response.body)
    };
    let mut converted = http::Response::new(body);
    *converted.status_mut() = status;
    let headers = converted.headers_mut();
    for (name, value) in response.headers {
        let header_name =
            HeaderName::from_bytes(name.as_bytes()).map_err(|_| format!("invalid header name `{name}`"))?;
        if HOST_OWNED_HEADERS.contains(&header_name) {
            continue;
        }
        let header_value = HeaderValue::from_bytes(&value)
            .map_err(|_| format!("invalid value of header `{name}`"))?;
        headers.append(header_name, header_value);
    }
    Ok(converted)
}

pub(crate) fn format_duration(duration: Duration) -> String {
    let seconds = duration.as_secs_f64();
    if seconds.fract() == 0.0 { format!("{seconds:.0}s") } else { format!("{seconds}s") }
}
