//! Endpoints as a function app describes them, checked and parsed once per
//! component version.

use std::collections::HashSet;
use std::sync::Arc;

use http::Method;
use serde_json::Value;

use super::bindings::{self, ParamSource};
use super::schema::{Property, Schema};

/// One endpoint of a function app.
#[derive(Debug)]
pub struct EndpointSpec {
    /// Function name, unique within the app.
    pub name: Arc<str>,
    /// Accepted methods.
    pub methods: Vec<Method>,
    /// Route below the app, such as `/square` or `/items/{id}`.
    pub path: String,
    /// Parameters in declaration order.
    pub params: Vec<ParamSpec>,
    /// Short description from the function's doc comment.
    pub summary: Option<String>,
    /// Per-endpoint settings object.
    pub settings: Value,
    /// Number of parameters read from the JSON body.
    pub body_params: usize,
}

/// One parameter of an endpoint.
#[derive(Debug)]
pub struct ParamSpec {
    /// Name and schema; `required` is false when the schema has a default.
    pub property: Property,
    /// Source of the value.
    pub source: Source,
    /// Name in the request: the schema's `alias`, or for headers the parameter name
    /// with `_` written as `-` (as FastAPI reads `user_agent` from `User-Agent`),
    /// or the parameter name.
    pub wire_name: String,
    /// Whether a lone body parameter is the body's member of its name rather than
    /// the whole body (the schema's `"embed": true`).
    pub embed: bool,
    /// The schema as the guest declared it, for documentation.
    pub raw_schema: Value,
}

/// Source of a parameter's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// A segment of the route.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
    /// A cookie.
    Cookie,
    /// The JSON body.
    Body,
    /// A form field.
    Form,
    /// An uploaded file.
    File,
}

impl Source {
    /// Name used in error locations, as FastAPI uses it.
    pub fn loc_name(self) -> &'static str {
        match self {
            Source::Path => "path",
            Source::Query => "query",
            Source::Header => "header",
            Source::Cookie => "cookie",
            Source::Body | Source::Form | Source::File => "body",
        }
    }
}

impl From<ParamSource> for Source {
    fn from(source: ParamSource) -> Self {
        match source {
            ParamSource::Path => Source::Path,
            ParamSource::Query => Source::Query,
            ParamSource::Header => Source::Header,
            ParamSource::Cookie => Source::Cookie,
            ParamSource::Body => Source::Body,
            ParamSource::Form => Source::Form,
            ParamSource::File => Source::File,
        }
    }
}

/// Checks the endpoints a guest described and parses their schemas.
pub fn parse_endpoints(described: Vec<bindings::Endpoint>) -> anyhow::Result<Vec<EndpointSpec>> {
    let mut names = HashSet::new();
    let mut routes = HashSet::new();
    let mut endpoints = Vec::with_capacity(described.len());
    for endpoint in described {
        let spec = parse_endpoint(endpoint)?;
        if !names.insert(spec.name.clone()) {
            anyhow::bail!("endpoint name `{}` is used twice", spec.name);
        }
        for method in &spec.methods {
            if !routes.insert((method.clone(), spec.path.clone())) {
                anyhow::bail!("route `{method} {}` is declared twice", spec.path);
            }
        }
        endpoints.push(spec);
    }
    Ok(endpoints)
}

fn parse_endpoint(endpoint: bindings::Endpoint) -> anyhow::Result<EndpointSpec> {
    let name = endpoint.name;
    if name.is_empty() || !name.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-') {
        anyhow::bail!("endpoint name `{name}` must be letters, digits, `_` or `-`");
    }
    if !endpoint.path.starts_with('/') {
        anyhow::bail!("endpoint `{name}`: path `{}` must start with `/`", endpoint.path);
    }
    if endpoint.methods.is_empty() {
        anyhow::bail!("endpoint `{name}` accepts no HTTP method");
    }
    let methods = endpoint
        .methods
        .iter()
        .map(|method| {
            Method::from_bytes(method.to_ascii_uppercase().as_bytes())
                .map_err(|_| anyhow::anyhow!("endpoint `{name}`: invalid HTTP method `{method}`"))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let route_params = route_params(&endpoint.path);

    let mut params = Vec::with_capacity(endpoint.params.len());
    for param in endpoint.params {
        let raw_schema: Value = serde_json::from_str(&param.schema).map_err(|error| {
            anyhow::anyhow!("endpoint `{name}`, parameter `{}`: invalid schema JSON: {error}", param.name)
        })?;
        let schema = Schema::parse(&raw_schema)
            .map_err(|error| anyhow::anyhow!("endpoint `{name}`, parameter `{}`: {error}", param.name))?;
        let source = Source::from(param.source);
        if source == Source::Path && !route_params.contains(&param.name.as_str()) {
            anyhow::bail!("endpoint `{name}`: path parameter `{}` is not in the route `{}`", param.name, endpoint.path);
        }
        let required = param.required && schema.default.is_none();
        let wire_name = match raw_schema.get("alias").and_then(Value::as_str) {
            Some(alias) if source == Source::Header => alias.to_ascii_lowercase(),
            Some(alias) => alias.to_owned(),
            None if source == Source::Header => param.name.replace('_', "-").to_ascii_lowercase(),
            None => param.name.clone(),
        };
        if source == Source::Header && http::HeaderName::from_bytes(wire_name.as_bytes()).is_err() {
            anyhow::bail!("endpoint `{name}`: `{wire_name}` is not a valid header name");
        }
        let embed = raw_schema.get("embed").and_then(Value::as_bool).unwrap_or(false);
        params.push(ParamSpec {
            property: Property { name: param.name, schema, required },
            source,
            wire_name,
            embed,
            raw_schema,
        });
    }
    for route_param in &route_params {
        if !params.iter().any(|param| param.source == Source::Path && param.property.name == *route_param) {
            anyhow::bail!(
                "endpoint `{name}`: route `{}` contains `{route_param}`, but no path parameter has that name",
                endpoint.path
            );
        }
    }

    let settings = if endpoint.settings.trim().is_empty() {
        Value::Object(Default::default())
    } else {
        serde_json::from_str(&endpoint.settings)
            .map_err(|error| anyhow::anyhow!("endpoint `{name}`: invalid settings JSON: {error}"))?
    };
    let body_params = params.iter().filter(|param| param.source == Source::Body).count();
    Ok(EndpointSpec {
        name: Arc::from(name),
        methods,
        path: endpoint.path,
        params,
        summary: endpoint.summary,
        settings,
        body_params,
    })
}

/// Returns the names inside `{…}` segments of a route; `{*rest}` yields `rest`.
fn route_params(path: &str) -> Vec<&str> {
    path.split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
        .map(|name| name.trim_start_matches('*'))
        .collect()
}
