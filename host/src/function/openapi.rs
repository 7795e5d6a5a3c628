//! OpenAPI 3.1 documents of function apps, built from their endpoint descriptions.

use serde_json::{Map, Value, json};

use super::FunctionApp;
use super::endpoint::{EndpointSpec, ParamSpec, Source};

/// Builds the OpenAPI 3.1 document of `app`, whose routes are below `/{app}`.
pub fn document(app: &FunctionApp) -> Value {
    let mut components = Map::new();
    let mut paths = Map::new();
    let mut uses_validation = false;

    for endpoint in &app.endpoints {
        let (operation, validates) = operation(endpoint, &mut components);
        uses_validation |= validates;
        let entry = paths.entry(endpoint.path.clone()).or_insert_with(|| Value::Object(Map::new()));
        for method in &endpoint.methods {
            let method = method.as_str().to_ascii_lowercase();
            let mut operation = operation.clone();
            // Operation ids must be unique in a document, so an endpoint with several
            // methods gets one per method.
            if endpoint.methods.len() > 1 {
                operation["operationId"] = Value::from(format!("{}_{method}", endpoint.name));
            }
            entry[method] = operation;
        }
    }
    if uses_validation {
        components.insert("ValidationError".to_owned(), validation_error_schema());
        components.insert(
            "HTTPValidationError".to_owned(),
            json!({
                "title": "HTTPValidationError",
                "type": "object",
                "properties": {"detail": {"title": "Detail", "type": "array",
                    "items": {"$ref": "#/components/schemas/ValidationError"}}},
            }),
        );
    }

    let mut document = json!({
        "openapi": "3.1.0",
        "info": {"title": &*app.name, "version": "0.1.0"},
        "servers": [{"url": format!("/{}", app.name)}],
        "paths": paths,
    });
    if !components.is_empty() {
        document["components"] = json!({ "schemas": components });
    }
    document
}

/// Returns the operation object and whether it can return 422.
fn operation(endpoint: &EndpointSpec, components: &mut Map<String, Value>) -> (Value, bool) {
    let mut operation = json!({ "operationId": &*endpoint.name });
    if let Some(summary) = &endpoint.summary {
        let first_line = summary.lines().next().unwrap_or_default();
        operation["summary"] = Value::from(first_line);
        if summary.trim() != first_line.trim() {
            operation["description"] = Value::from(summary.as_str());
        }
    }

    let parameters: Vec<Value> = endpoint
        .params
        .iter()
        .filter(|param| matches!(param.source, Source::Path | Source::Query | Source::Header | Source::Cookie))
        .map(|param| {
            json!({
                "name": param.wire_name,
                "in": param.source.loc_name(),
                "required": param.source == Source::Path || param.property.required,
                "schema": public_schema(&param.raw_schema, components),
            })
        })
        .collect();
    if !parameters.is_empty() {
        operation["parameters"] = Value::Array(parameters);
    }
    if let Some(body) = request_body(endpoint, components) {
        operation["requestBody"] = body;
    }

    let validates = !endpoint.params.is_empty();
    let mut responses = json!({
        "200": {"description": "Successful Response", "content": {"application/json": {"schema": {}}}},
    });
    if validates {
        responses["422"] = json!({
            "description": "Validation Error",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}},
        });
    }
    operation["responses"] = responses;
    (operation, validates)
}

fn request_body(endpoint: &EndpointSpec, components: &mut Map<String, Value>) -> Option<Value> {
    let body_params: Vec<&ParamSpec> = endpoint.params.iter().filter(|param| param.source == Source::Body).collect();
    let form_params: Vec<&ParamSpec> =
        endpoint.params.iter().filter(|param| matches!(param.source, Source::Form | Source::File)).collect();

    if !form_params.is_empty() {
        let media_type = if form_params.iter().any(|param| param.source == Source::File) {
            "multipart/form-data"
        } else {
            "application/x-www-form-urlencoded"
        };
        let mut properties = Map::new();
        let mut required = Vec::new();
        for param in form_params {
            match param.property.schema.object_properties() {
                Some(fields) if param.source == Source::Form => {
                    for field in fields {
                        let schema = &param.raw_schema["properties"][&field.name];
                        properties.insert(field.name.clone(), public_schema(schema, components));
                        if field.required {
                            required.push(Value::from(field.name.clone()));
                        }
                    }
                }
                _ => {
                    properties.insert(param.wire_name.clone(), public_schema(&param.raw_schema, components));
                    if param.property.required {
                        required.push(Value::from(param.wire_name.clone()));
                    }
                }
            }
        }
        let schema = json!({
            "title": format!("Body_{}", endpoint.name),
            "type": "object",
            "properties": properties,
            "required": required,
        });
        return Some(json!({ "required": true, "content": { media_type: { "schema": schema } } }));
    }

    let (schema, required) = match body_params.as_slice() {
        [] => return None,
        [param] if !param.embed => (public_schema(&param.raw_schema, components), param.property.required),
        params => {
            let properties: Map<String, Value> = params
                .iter()
                .map(|param| (param.property.name.clone(), public_schema(&param.raw_schema, components)))
                .collect();
            let required: Vec<&str> =
                params.iter().filter(|param| param.property.required).map(|param| param.property.name.as_str()).collect();
            let schema = json!({
                "title": format!("Body_{}", endpoint.name),
                "type": "object",
                "properties": properties,
                "required": required,
            });
            (schema, !required.is_empty())
        }
    };
    Some(json!({ "required": required, "content": { "application/json": { "schema": schema } } }))
}

/// Copies a guest schema for publication: models (objects with a `title`) move to
/// `components.schemas` behind a `$ref`, and fnhost's own keywords are dropped.
fn public_schema(schema: &Value, components: &mut Map<String, Value>) -> Value {
    match schema {
        Value::Object(object) => {
            let mut copy = Map::with_capacity(object.len());
            for (key, value) in object {
                match key.as_str() {
                    "alias" | "embed" => {}
                    "properties" => {
                        let properties = value
                            .as_object()
                            .map(|properties| {
                                properties
                                    .iter()
                                    .map(|(name, property)| (name.clone(), public_schema(property, components)))
                                    .collect::<Map<_, _>>()
                            })
                            .unwrap_or_default();
                        copy.insert(key.clone(), Value::Object(properties));
                    }
                    "items" => {
                        copy.insert(key.clone(), public_schema(value, components));
                    }
                    "anyOf" => {
                        let options = value.as_array().into_iter().flatten().map(|option| public_schema(option, components));
                        copy.insert(key.clone(), Value::Array(options.collect()));
                    }
                    _ => {
                        copy.insert(key.clone(), value.clone());
                    }
                }
            }
            let is_model = copy.get("type").and_then(Value::as_str) == Some("object");
            match copy.get("title").and_then(Value::as_str).map(str::to_owned) {
                Some(title) if is_model => {
                    let default = copy.remove("default");
                    components.entry(title.clone()).or_insert(Value::Object(copy));
                    let mut reference = json!({ "$ref": format!("#/components/schemas/{title}") });
                    if let Some(default) = default {
                        reference["default"] = default;
                    }
                    reference
                }
                _ => Value::Object(copy),
            }
        }
        other => other.clone(),
    }
}

fn validation_error_schema() -> Value {
    json!({
        "title": "ValidationError",
        "type": "object",
        "properties": {
            "loc": {"title": "Location", "type": "array",
                "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
            "msg": {"title": "Message", "type": "string"},
            "type": {"title": "Error Type", "type": "string"},
            "input": {"title": "Input"},
            "ctx": {"title": "Context", "type": "object"},
        },
        "required": ["loc", "msg", "type"],
    })
}
