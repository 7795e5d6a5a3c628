//! Mapping of an HTTP request onto an endpoint's typed parameters.

use std::borrow::Cow;

use http::HeaderMap;
use serde_json::{Map, Value};

use super::endpoint::{EndpointSpec, ParamSpec, Source};
use super::schema::Property;
use super::validate::{ValidationError, Validator};

/// Failure to build a request's arguments.
#[derive(Debug)]
pub enum ArgsError {
    /// One or more values failed validation.
    Invalid(Vec<ValidationError>),
    /// The body's content type is not one the endpoint reads.
    UnsupportedMediaType(String),
}

/// The parts of a request that parameters are read from.
pub struct RequestInput<'a> {
    /// Values of the route's `{…}` segments.
    pub path_params: &'a [(String, String)],
    /// Raw query string, without `?`.
    pub query: &'a str,
    /// Request headers.
    pub headers: &'a HeaderMap,
    /// The whole body.
    pub body: &'a [u8],
}

/// Builds the JSON object of arguments for `endpoint`, collecting every error.
pub fn extract(endpoint: &EndpointSpec, input: &RequestInput<'_>) -> Result<Map<String, Value>, ArgsError> {
    let mut validator = Validator::default();
    let mut args = Map::with_capacity(endpoint.params.len());
    let query: Vec<(Cow<'_, str>, Cow<'_, str>)> = form_urlencoded::parse(input.query.as_bytes()).collect();
    let body = Body::read(endpoint, input)?;

    for param in &endpoint.params {
        let name = &param.property.name;
        let mut loc = vec![Value::from(param.source.loc_name())];
        let value = match param.source {
            Source::Path => {
                let texts: Vec<&str> =
                    input.path_params.iter().filter(|(key, _)| key == name).map(|(_, value)| value.as_str()).collect();
                read_texts(&mut validator, &param.property, &texts, &mut loc)
            }
            Source::Query => read_texts(&mut validator, &param.property, &values_of(&query, name), &mut loc),
            Source::Header => {
                let header_name = name.replace('_', "-");
                let texts: Vec<&str> =
                    input.headers.get_all(header_name.as_str()).iter().filter_map(|value| value.to_str().ok()).collect();
                read_texts(&mut validator, &param.property, &texts, &mut loc)
            }
            Source::Cookie => {
                let cookies = cookies(input.headers);
                read_texts(&mut validator, &param.property, &values_of(&cookies, name), &mut loc)
            }
            Source::Body => read_body_param(&mut validator, endpoint, param, &body, &mut loc),
            Source::Form | Source::File => read_form_param(&mut validator, param, &body, &mut loc),
        };
        if let Some(value) = value {
            args.insert(name.clone(), value);
        }
    }

    if validator.errors.is_empty() {
        Ok(args)
    } else {
        Err(ArgsError::Invalid(validator.errors))
    }
}

/// The request body, read the way the endpoint's parameters need it.
enum Body<'a> {
    /// The endpoint reads no body, or the body is empty.
    None,
    /// A parsed JSON body.
    Json(Value),
    /// Fields of an urlencoded form.
    Form(Vec<(Cow<'a, str>, Cow<'a, str>)>),
}

impl<'a> Body<'a> {
    fn read(endpoint: &EndpointSpec, input: &RequestInput<'a>) -> Result<Body<'a>, ArgsError> {
        let reads_json = endpoint.body_params > 0;
        let reads_form = endpoint.params.iter().any(|param| matches!(param.source, Source::Form | Source::File));
        if (!reads_json && !reads_form) || input.body.is_empty() {
            return Ok(Body::None);
        }
        let content_type = content_type(input.headers);
        if reads_form {
            return match content_type.as_deref() {
                Some("application/x-www-form-urlencoded") => {
                    Ok(Body::Form(form_urlencoded::parse(input.body).collect()))
                }
                other => Err(ArgsError::UnsupportedMediaType(format!(
                    "this endpoint reads a form: send `Content-Type: application/x-www-form-urlencoded`, not `{}`",
                    other.unwrap_or("none")
                ))),
            };
        }
        match content_type.as_deref() {
            None | Some("application/json") => {}
            Some(other) if other.starts_with("application/") && other.ends_with("+json") => {}
            Some(other) => {
                return Err(ArgsError::UnsupportedMediaType(format!(
                    "this endpoint reads a JSON body: send `Content-Type: application/json`, not `{other}`"
                )));
            }
        }
        match serde_json::from_slice(input.body) {
            Ok(value) => Ok(Body::Json(value)),
            Err(error) => Err(ArgsError::Invalid(vec![json_error(input.body, &error)])),
        }
    }
}

fn read_texts(validator: &mut Validator, property: &Property, texts: &[&str], loc: &mut Vec<Value>) -> Option<Value> {
    loc.push(Value::String(property.name.clone()));
    let value = if texts.is_empty() {
        validator.absent(&property.schema, property.required, loc, &Value::Null)
    } else {
        validator.validate_texts(&property.schema, texts, loc)
    };
    loc.pop();
    value
}

fn read_body_param(
    validator: &mut Validator,
    endpoint: &EndpointSpec,
    param: &ParamSpec,
    body: &Body<'_>,
    loc: &mut Vec<Value>,
) -> Option<Value> {
    let property = &param.property;
    let value = match body {
        Body::Json(value) => Some(value),
        Body::None | Body::Form(_) => None,
    };
    if endpoint.body_params == 1 {
        return validator.property(property, value, &Value::Null, loc);
    }
    // Several body parameters: each is the body's member of the same name.
    match value {
        None => {
            loc.push(Value::String(property.name.clone()));
            let result = validator.absent(&property.schema, property.required, loc, &Value::Null);
            loc.pop();
            result
        }
        Some(whole @ Value::Object(object)) => {
            loc.push(Value::String(property.name.clone()));
            let result = validator.property(property, object.get(&property.name), whole, loc);
            loc.pop();
            result
        }
        Some(other) => {
            validator.fail("dict_type", loc, "Input should be a valid dictionary", other.clone());
            None
        }
    }
}

fn read_form_param(validator: &mut Validator, param: &ParamSpec, body: &Body<'_>, loc: &mut Vec<Value>) -> Option<Value> {
    let fields: &[(Cow<'_, str>, Cow<'_, str>)] = match body {
        Body::Form(fields) => fields,
        _ => &[],
    };
    let Some(properties) = param.property.schema.object_properties() else {
        return read_texts(validator, &param.property, &values_of(fields, &param.property.name), loc);
    };
    // A model read from a form takes one field per property.
    let mut object = Map::with_capacity(properties.len());
    let mut failed = false;
    for property in properties {
        match read_texts(validator, property, &values_of(fields, &property.name), loc) {
            Some(value) => {
                object.insert(property.name.clone(), value);
            }
            None => failed = true,
        }
    }
    (!failed).then_some(Value::Object(object))
}

fn values_of<'a>(pairs: &'a [(Cow<'_, str>, Cow<'_, str>)], name: &str) -> Vec<&'a str> {
    pairs.iter().filter(|(key, _)| key == name).map(|(_, value)| value.as_ref()).collect()
}

fn cookies(headers: &HeaderMap) -> Vec<(Cow<'static, str>, Cow<'static, str>)> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.split_once('='))
        .map(|(key, value)| (Cow::Owned(key.trim().to_owned()), Cow::Owned(value.trim().to_owned())))
        .collect()
}

/// Returns the media type of the request, lower-case and without parameters.
fn content_type(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(http::header::CONTENT_TYPE)?.to_str().ok()?;
    let media_type = value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    Some(media_type)
}

/// Describes malformed JSON as FastAPI does: `json_invalid` at the byte offset.
fn json_error(body: &[u8], error: &serde_json::Error) -> ValidationError {
    // At the end of input serde_json points at the last byte, Python's json at the end.
    let offset = if error.is_eof() { body.len() } else { byte_offset(body, error.line(), error.column()) };
    ValidationError {
        kind: "json_invalid",
        loc: vec![Value::from("body"), Value::from(offset)],
        msg: "JSON decode error".to_owned(),
        input: Value::Object(Map::new()),
        ctx: Some(serde_json::json!({ "error": error.to_string() })),
    }
}

/// Converts serde_json's 1-based line and column into a 0-based byte offset.
fn byte_offset(body: &[u8], line: usize, column: usize) -> usize {
    let line_start: usize = body
        .split_inclusive(|byte| *byte == b'\n')
        .take(line.saturating_sub(1))
        .map(<[u8]>::len)
        .sum();
    (line_start + column.saturating_sub(1)).min(body.len())
}
