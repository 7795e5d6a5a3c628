//! Mapping of an HTTP request onto an endpoint's typed parameters.

use http::HeaderMap;
use serde_json::{Map, Value};

use super::endpoint::{EndpointSpec, ParamSpec, Source};
use super::schema::Property;
use super::body::BodyData;
use super::validate::{ValidationError, Validator};

/// The parts of a request that parameters are read from.
pub struct RequestInput<'a> {
    /// Values of the route's `{…}` segments, percent-decoded.
    pub path_params: &'a [(String, String)],
    /// Decoded pairs of the query string.
    pub query: &'a [(String, String)],
    /// Request headers.
    pub headers: &'a HeaderMap,
    /// The body, read for the endpoint.
    pub body: &'a BodyData,
}

/// Builds the JSON object of arguments for `endpoint`, collecting every error.
pub fn extract(endpoint: &EndpointSpec, input: &RequestInput<'_>) -> Result<Map<String, Value>, Vec<ValidationError>> {
    let mut validator = Validator::default();
    let mut args = Map::with_capacity(endpoint.params.len());
    // Only endpoints with cookie parameters pay for parsing the `Cookie` header.
    let cookies =
        if endpoint.params.iter().any(|param| param.source == Source::Cookie) { cookies(input.headers) } else { Vec::new() };

    for param in &endpoint.params {
        let name = &param.property.name;
        let wire_name = param.wire_name.as_str();
        let mut loc = vec![Value::from(param.source.loc_name())];
        let value = match param.source {
            Source::Path => {
                let texts: Vec<&str> =
                    input.path_params.iter().filter(|(key, _)| key == name).map(|(_, value)| value.as_str()).collect();
                read_texts(&mut validator, &param.property, wire_name, &texts, &mut loc)
            }
            Source::Query => {
                read_texts(&mut validator, &param.property, wire_name, &values_of(input.query, wire_name), &mut loc)
            }
            Source::Header => {
                let texts: Vec<&str> =
                    input.headers.get_all(wire_name).iter().filter_map(|value| value.to_str().ok()).collect();
                read_texts(&mut validator, &param.property, wire_name, &texts, &mut loc)
            }
            Source::Cookie => {
                read_texts(&mut validator, &param.property, wire_name, &values_of(&cookies, wire_name), &mut loc)
            }
            Source::Body => read_body_param(&mut validator, endpoint, param, input.body, &mut loc),
            Source::Form => read_form_param(&mut validator, param, input.body, &mut loc),
            Source::File => read_file_param(&mut validator, param, input.body, &mut loc),
        };
        if let Some(value) = value {
            args.insert(name.clone(), value);
        }
    }

    if validator.errors.is_empty() { Ok(args) } else { Err(validator.errors) }
}

fn read_texts(
    validator: &mut Validator,
    property: &Property,
    wire_name: &str,
    texts: &[&str],
    loc: &mut Vec<Value>,
) -> Option<Value> {
    loc.push(Value::String(wire_name.to_owned()));
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
    body: &BodyData,
    loc: &mut Vec<Value>,
) -> Option<Value> {
    let property = &param.property;
    let value = match body {
        BodyData::Json(value) => Some(value),
        BodyData::None | BodyData::Form(_) => None,
    };
    if endpoint.body_params == 1 && !param.embed {
        return validator.property(property, value, &Value::Null, loc);
    }
    // Several body parameters, or one marked `embed`: each is the body's member of
    // the same name. A body that is no object has no members, so each is missing.
    let (member, parent) = match value {
        Some(whole @ Value::Object(object)) => (object.get(&property.name), whole),
        Some(other) => (None, other),
        None => (None, &Value::Null),
    };
    loc.push(Value::String(property.name.clone()));
    let result = validator.property(property, member, parent, loc);
    loc.pop();
    result
}

fn read_form_param(validator: &mut Validator, param: &ParamSpec, body: &BodyData, loc: &mut Vec<Value>) -> Option<Value> {
    // An empty form field counts as absent, as browsers send untouched inputs and as
    // FastAPI reads them.
    let fields: Vec<(&str, &str)> = match body {
        BodyData::Form(form) => {
            form.fields.iter().filter(|(_, value)| !value.is_empty()).map(|(key, value)| (key.as_str(), value.as_str())).collect()
        }
        _ => Vec::new(),
    };
    let fields = fields.as_slice();
    let Some(properties) = param.property.schema.object_properties() else {
        let texts = values_of(fields, &param.wire_name);
        return read_texts(validator, &param.property, &param.wire_name, &texts, loc);
    };
    // A model read from a form takes one field per property.
    let mut object = Map::with_capacity(properties.len());
    let mut failed = false;
    for property in properties {
        match read_texts(validator, property, &property.name, &values_of(fields, &property.name), loc) {
            Some(value) => {
                object.insert(property.name.clone(), value);
            }
            None => failed = true,
        }
    }
    (!failed).then_some(Value::Object(object))
}

/// Reads the files uploaded under the parameter's name: a list when the schema is
/// an array, otherwise the last file sent.
fn read_file_param(validator: &mut Validator, param: &ParamSpec, body: &BodyData, loc: &mut Vec<Value>) -> Option<Value> {
    let files: Vec<&Value> = match body {
        BodyData::Form(form) => {
            form.files.iter().filter(|(name, _)| *name == param.wire_name).map(|(_, file)| file).collect()
        }
        _ => Vec::new(),
    };
    let text = match body {
        BodyData::Form(form) => form.fields.iter().find(|(name, _)| *name == param.wire_name).map(|(_, text)| text),
        _ => None,
    };
    loc.push(Value::String(param.wire_name.clone()));
    let value = if let (true, Some(text)) = (files.is_empty(), text) {
        let msg = "Value error, Expected UploadFile, received: <class 'str'>";
        validator.fail("value_error", loc, msg, Value::String(text.clone()));
        None
    } else if files.is_empty() {
        validator.absent(&param.property.schema, param.property.required, loc, &Value::Null)
    } else if param.property.schema.as_array().is_some() {
        Some(Value::Array(files.into_iter().cloned().collect()))
    } else {
        files.last().map(|file| (*file).clone())
    };
    loc.pop();
    value
}

fn values_of<'a, K: AsRef<str>, V: AsRef<str>>(pairs: &'a [(K, V)], name: &str) -> Vec<&'a str> {
    pairs.iter().filter(|(key, _)| key.as_ref() == name).map(|(_, value)| value.as_ref()).collect()
}

fn cookies(headers: &HeaderMap) -> Vec<(&str, &str)> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.split_once('='))
        .map(|(key, value)| {
            let value = value.trim();
            // A quoted value stands for the text inside the quotes (RFC 6265).
            let value = value.strip_prefix('"').and_then(|inner| inner.strip_suffix('"')).unwrap_or(value);
            (key.trim(), value)
        })
        .collect()
}
