//! Support for the code that the macros generate; not a stable API.

pub use inventory;
pub use serde;
pub use serde_json;
pub use wit_bindgen;

use std::cell::Cell;

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::{Arg, IntoResponse, ParamSource, Request, Response};

pub use crate::arg::{Data, FormField, Scalar, Simple};

/// Bindings of the `function` world.
// The generated export glue passes every flattened record field as an argument.
#[allow(clippy::too_many_arguments)]
pub mod bindings {
    wit_bindgen::generate!({
        path: "wit",
        world: "function",
        pub_export_macro: true,
        export_macro_name: "__export",
        default_bindings_module: "::fnhost_sdk::__private::bindings",
        runtime_path: "::fnhost_sdk::__private::wit_bindgen::rt",
    });
}

use bindings::fnhost::function::types as wit;

/// One endpoint, registered by `#[webhook]`.
pub struct EndpointDef {
    /// Endpoint name, unique within the app.
    pub name: &'static str,
    /// Upper-case HTTP methods.
    pub methods: &'static [&'static str],
    /// Route below the app.
    pub path: &'static str,
    /// First paragraph of the function's doc comment.
    pub summary: Option<&'static str>,
    /// Describes the parameters. It runs on each `describe` call because
    /// defaults are expressions.
    pub params: fn() -> Vec<Prop>,
    /// Converts the arguments, runs the function and builds its response.
    pub call: fn(Value, Request) -> Result<Response, String>,
}

inventory::collect!(EndpointDef);

/// A parameter of an endpoint or a field of a model.
#[derive(Clone, Debug, PartialEq)]
pub struct Prop {
    /// Parameter or field name.
    pub name: &'static str,
    /// Source of a parameter's value. Model fields ignore it.
    pub source: ParamSource,
    /// JSON Schema of the value.
    pub schema: Value,
    /// Whether a request must give the value.
    pub required: bool,
}

impl Prop {
    /// Describes a value of type `T`.
    pub fn of<T: Arg>(name: &'static str) -> Self {
        Prop {
            name,
            source: T::source(),
            schema: T::schema(),
            required: !T::optional(),
        }
    }

    /// Marks a parameter as read from the path.
    pub fn in_path(mut self) -> Self {
        self.source = ParamSource::Path;
        self
    }

    /// Sets where a parameter is read from, as `#[param(header)]` and the like
    /// ask.
    pub fn source(mut self, source: ParamSource) -> Self {
        self.source = source;
        self
    }

    /// Sets the name of the query parameter, header, cookie or form field, as
    /// the schema's `alias`.
    pub fn alias(mut self, name: &str) -> Self {
        self.set("alias", json!(name));
        self
    }

    /// Marks a body parameter as the body's member of its name even when it is
    /// the only body parameter, as the schema's `"embed": true`.
    pub fn embed(mut self) -> Self {
        self.set("embed", json!(true));
        self
    }

    /// Gives the value a default, which makes it optional.
    pub fn default(mut self, value: Value) -> Self {
        self.set("default", value);
        self.required = false;
        self
    }

    /// Sets the schema's `description`.
    pub fn description(mut self, text: &str) -> Self {
        self.set("description", json!(text));
        self
    }

    /// Adds a bound (`minimum`, `maximum`, `minLength` or `maxLength`).
    ///
    /// The bound goes to the non-null branch of an `Option`. On a list, length
    /// bounds count items and number bounds apply to each item.
    pub fn constrain(mut self, key: &str, value: Value) -> Self {
        let mut pointer = String::new();
        if self.schema.pointer("/anyOf/0").is_some() {
            pointer.push_str("/anyOf/0");
        }
        let is_array = self.schema.pointer(&format!("{pointer}/type")) == Some(&json!("array"));
        let key = match key {
            "minLength" if is_array => "minItems",
            "maxLength" if is_array => "maxItems",
            _ if is_array => {
                pointer.push_str("/items");
                key
            }
            _ => key,
        };
        if let Some(Value::Object(map)) = self.schema.pointer_mut(&pointer) {
            map.insert(key.to_string(), value);
        }
        self
    }

    fn set(&mut self, key: &str, value: Value) {
        if let Value::Object(map) = &mut self.schema {
            map.insert(key.to_string(), value);
        }
    }
}

/// JSON Schema of a model: an object with one property per field.
pub fn model_schema(title: &str, description: Option<&str>, fields: Vec<Prop>) -> Value {
    let required: Vec<&str> = fields
        .iter()
        .filter(|field| field.required)
        .map(|field| field.name)
        .collect();
    let properties: Map<String, Value> = fields
        .into_iter()
        .map(|field| (field.name.to_string(), field.schema))
        .collect();
    let mut schema = json!({
        "type": "object",
        "title": title,
        "properties": properties,
        "required": required,
    });
    if let (Some(text), Value::Object(map)) = (description, &mut schema) {
        map.insert("description".to_string(), json!(text));
    }
    schema
}

/// The members of a JSON object, taken out one by one as arguments or fields.
pub struct Fields {
    map: Map<String, Value>,
    what: &'static str,
}

impl Fields {
    /// Opens an object; `what` names its members in errors (`argument`, `field`).
    pub fn new(value: Value, what: &'static str) -> Result<Self, String> {
        match value {
            Value::Object(map) => Ok(Fields { map, what }),
            other => Err(format!("expected a JSON object, got `{other}`")),
        }
    }

    /// Takes a member; a missing one is `null`, which suits an `Option`.
    pub fn take<T: Arg>(&mut self, name: &str) -> Result<T, String> {
        let value = self.map.remove(name).unwrap_or(Value::Null);
        self.convert(name, value)
    }

    /// Takes a member, or the default when it is missing.
    pub fn take_or<T: Arg>(&mut self, name: &str, default: fn() -> Value) -> Result<T, String> {
        let value = self.map.remove(name).unwrap_or_else(default);
        self.convert(name, value)
    }

    fn convert<T: Arg>(&self, name: &str, value: Value) -> Result<T, String> {
        T::from_arg(value).map_err(|err| format!("{} `{name}`: {err}", self.what))
    }
}

/// The arguments of one call, and the raw request for a [`Request`] parameter.
pub struct Args {
    fields: Fields,
    request: Option<Request>,
}

impl Args {
    /// Opens the JSON object of arguments.
    pub fn new(args: Value, request: Request) -> Result<Self, String> {
        Ok(Args {
            fields: Fields::new(args, "argument")?,
            request: Some(request),
        })
    }
}

/// A type that an endpoint's parameter may have: an [`Arg`], described and
/// read from the arguments, or the raw [`Request`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be an endpoint parameter",
    label = "not an `fnhost_sdk::Arg` type",
    note = "use an integer, float, `bool`, `String`, `Option`, `Vec`, `serde_json::Value`, `fnhost_sdk::Form`, `fnhost_sdk::UploadFile`, `fnhost_sdk::Request`, a struct deriving `fnhost_sdk::Model` or an enum deriving `fnhost_sdk::Choice`"
)]
pub trait Input: Sized {
    /// Describes the parameter, or `None` when it is no user input.
    fn prop(name: &'static str) -> Option<Prop>;

    /// Takes the parameter's value.
    fn take(args: &mut Args, name: &str) -> Result<Self, String>;

    /// Takes the parameter's value, or the default when it is missing.
    fn take_or(args: &mut Args, name: &str, default: fn() -> Value) -> Result<Self, String>;
}

impl<T: Arg> Input for T {
    fn prop(name: &'static str) -> Option<Prop> {
        Some(Prop::of::<T>(name))
    }

    fn take(args: &mut Args, name: &str) -> Result<Self, String> {
        args.fields.take(name)
    }

    fn take_or(args: &mut Args, name: &str, default: fn() -> Value) -> Result<Self, String> {
        args.fields.take_or(name, default)
    }
}

impl Input for Request {
    fn prop(_name: &'static str) -> Option<Prop> {
        None
    }

    // Moving the request out spares a copy of its body; a second `Request`
    // parameter is rare enough to be an error.
    fn take(args: &mut Args, name: &str) -> Result<Self, String> {
        args.request
            .take()
            .ok_or_else(|| format!("argument `{name}`: an endpoint takes the request once"))
    }

    fn take_or(args: &mut Args, name: &str, _default: fn() -> Value) -> Result<Self, String> {
        Self::take(args, name)
    }
}

/// Fails to compile unless `T` can be a header, cookie or query parameter.
pub fn require_simple<T: Simple>() {}

/// Fails to compile unless `T` can be read from a JSON body.
pub fn require_data<T: Data>() {}

/// Fails to compile unless `T` can be read from a form field.
pub fn require_form<T: FormField>() {}

/// Fails to compile unless `T` is an [`Arg`], which the schema options need.
pub fn require_arg<T: Arg>() {}

/// JSON Schema of a [`Choice`](crate::Choice) enum.
pub fn choice_schema(title: &str, description: Option<&str>, values: &[&str]) -> Value {
    let mut schema = json!({ "type": "string", "enum": values, "title": title });
    if let (Some(text), Value::Object(map)) = (description, &mut schema) {
        map.insert("description".to_string(), json!(text));
    }
    schema
}

/// Reads the string of a [`Choice`](crate::Choice) value.
pub fn choice_text(value: Value) -> Result<String, String> {
    match value {
        Value::String(text) => Ok(text),
        other => Err(format!("expected a string, got `{other}`")),
    }
}

/// Formats the error for a string that matches none of a choice's values.
pub fn unknown_choice(text: &str, values: &[&str]) -> String {
    let expected: Vec<String> = values.iter().map(|value| format!("`{value}`")).collect();
    format!("unknown value `{text}`; expected {}", expected.join(", "))
}

/// Holds a return value while method lookup picks how to serve it.
///
/// The macro calls `(&&&Returned::new(value)).fnhost_respond()`. Lookup
/// tries the receiver with the most references first, so [`ViaIntoResponse`]
/// wins, then [`ViaSerialize`], and [`ViaError`] only reports that neither
/// applies.
pub struct Returned<T>(Cell<Option<T>>);

impl<T> Returned<T> {
    /// Holds the value.
    pub fn new(value: T) -> Self {
        Returned(Cell::new(Some(value)))
    }

    fn take(&self) -> T {
        self.0.take().expect("a return value is served once")
    }
}

/// Serves a return value through its [`IntoResponse`] implementation.
pub trait ViaIntoResponse {
    /// Builds the response.
    fn fnhost_respond(&self) -> Response;
}

impl<T: IntoResponse> ViaIntoResponse for &&Returned<T> {
    fn fnhost_respond(&self) -> Response {
        self.take().into_response()
    }
}

/// Serves any other `Serialize` return value as JSON.
pub trait ViaSerialize {
    /// Builds the response.
    fn fnhost_respond(&self) -> Response;
}

impl<T: Serialize> ViaSerialize for &Returned<T> {
    fn fnhost_respond(&self) -> Response {
        Response::json(&self.take())
    }
}

/// Applies to every return value, so that a value fitting neither of the others
/// fails on the method's `IntoResponse` bound, whose error explains what fits.
pub trait ViaError {
    /// The returned type.
    type Value;

    /// Builds the response.
    fn fnhost_respond(&self) -> Response
    where
        Self::Value: IntoResponse;
}

impl<T> ViaError for Returned<T> {
    type Value = T;

    fn fnhost_respond(&self) -> Response
    where
        T: IntoResponse,
    {
        self.take().into_response()
    }
}

/// Implements the component's exports over the registered endpoints.
pub struct Handler;

impl bindings::Guest for Handler {
    fn describe() -> Vec<wit::Endpoint> {
        let mut defs: Vec<&EndpointDef> = inventory::iter::<EndpointDef>.into_iter().collect();
        defs.sort_by_key(|def| def.name);
        defs.into_iter().map(describe_endpoint).collect()
    }

    fn call(endpoint: String, args: String, request: wit::Request) -> wit::Response {
        let Some(def) = inventory::iter::<EndpointDef>
            .into_iter()
            .find(|def| def.name == endpoint)
        else {
            return error_response(404, format!("no endpoint named `{endpoint}`"));
        };
        let response = serde_json::from_str(&args)
            .map_err(|err| format!("arguments are not JSON: {err}"))
            .and_then(|args| (def.call)(args, Request::from(request)));
        match response {
            Ok(response) => wit_response(response),
            Err(err) => error_response(500, format!("endpoint `{endpoint}`: {err}")),
        }
    }
}

fn describe_endpoint(def: &EndpointDef) -> wit::Endpoint {
    let params = (def.params)()
        .into_iter()
        .map(|prop| wit::Param {
            name: prop.name.to_string(),
            source: wit_source(prop.source),
            schema: prop.schema.to_string(),
            required: prop.required,
        })
        .collect();
    wit::Endpoint {
        name: def.name.to_string(),
        methods: def
            .methods
            .iter()
            .map(|method| method.to_string())
            .collect(),
        path: def.path.to_string(),
        params,
        summary: def.summary.map(str::to_string),
        settings: "{}".to_string(),
    }
}

fn wit_source(source: ParamSource) -> wit::ParamSource {
    match source {
        ParamSource::Path => wit::ParamSource::Path,
        ParamSource::Query => wit::ParamSource::Query,
        ParamSource::Header => wit::ParamSource::Header,
        ParamSource::Cookie => wit::ParamSource::Cookie,
        ParamSource::Body => wit::ParamSource::Body,
        ParamSource::Form => wit::ParamSource::Form,
        ParamSource::File => wit::ParamSource::File,
    }
}

fn error_response(status: u16, detail: String) -> wit::Response {
    wit_response(crate::HttpError::new(status, detail).into_response())
}

fn wit_response(response: Response) -> wit::Response {
    wit::Response {
        status: response.status,
        headers: response.headers,
        body: response.body,
    }
}
