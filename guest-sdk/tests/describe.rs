//! Runs the component's `describe` and `call` natively over endpoints defined
//! here, and checks the exact schemas the host relies on.

use fnhost_sdk::__private::Handler;
use fnhost_sdk::__private::bindings::Guest;
use fnhost_sdk::__private::bindings::fnhost::function::types::{
    Endpoint, ParamSource, Request, Response as WitResponse,
};
use fnhost_sdk::{Form, HttpError, Model, webhook};
use serde_json::{Value, json};

/// Takes every integer type, each with the schema of its range.
#[webhook]
#[allow(clippy::too_many_arguments)]
fn integers(
    a: i8,
    b: i16,
    c: i32,
    d: i64,
    e: isize,
    f: u8,
    g: u16,
    h: u32,
    i: u64,
    j: usize,
) -> Value {
    json!([a, b, c, d, e, f, g, h, i, j])
}

/// Other scalars.
///
/// This second paragraph is not part of the summary.
#[webhook(method = "post", path = "/other/scalars", name = "other-scalars")]
fn scalars(x: f32, y: f64, flag: bool, text: String) -> Value {
    json!({ "x": x, "y": y, "flag": flag, "text": text })
}

#[webhook(methods = ["GET", "POST", "GET"])]
fn wrappers(
    maybe: Option<u8>,
    list: Vec<String>,
    body: Value,
    field: Form<String>,
    #[param(default = 7, ge = 1, le = 9)] level: i32,
    #[param(min_length = 1, max_length = 3)] tags: Option<Vec<String>>,
    #[param(description = "how to say it")] tone: Option<String>,
) -> Value {
    json!({ "maybe": maybe, "list": list, "body": body, "field": field.0, "level": level, "tags": tags, "tone": tone })
}

/// Where something is.
#[derive(Model)]
struct Place {
    /// Name of the place.
    #[field(min_length = 1)]
    name: String,
    #[field(default = 1.5)]
    height: f64,
    tags: Vec<String>,
    note: Option<String>,
}

#[derive(Model)]
struct Trip {
    from: Place,
    stops: Vec<Place>,
}

#[webhook(method = "POST", path = "/trips/{id}")]
fn trip(id: u32, r#trip: Trip) -> Result<Trip, HttpError> {
    match id {
        0 => Err(HttpError::new(404, "trip not found").header("X-Reason", "zero")),
        _ => Ok(trip),
    }
}

fn endpoint(name: &str) -> Endpoint {
    Handler::describe()
        .into_iter()
        .find(|endpoint| endpoint.name == name)
        .unwrap_or_else(|| panic!("no endpoint `{name}`"))
}

fn schemas(endpoint: &Endpoint) -> Vec<(String, ParamSource, Value, bool)> {
    let schema = |text: &str| serde_json::from_str(text).expect("schemas are JSON");
    let param = |p: &fnhost_sdk::__private::bindings::fnhost::function::types::Param| {
        (p.name.clone(), p.source, schema(&p.schema), p.required)
    };
    endpoint.params.iter().map(param).collect()
}

fn call(name: &str, args: Value) -> (u16, Vec<(String, String)>, Value) {
    let request = Request {
        method: "GET".into(),
        path: "/".into(),
        query: String::new(),
        headers: Vec::new(),
        body: Vec::new(),
    };
    let WitResponse {
        status,
        headers,
        body,
    } = Handler::call(name.into(), args.to_string(), request);
    let headers = headers
        .into_iter()
        .map(|(name, value)| (name, String::from_utf8(value).expect("utf-8 header")))
        .collect();
    (
        status,
        headers,
        serde_json::from_slice(&body).expect("JSON body"),
    )
}

#[test]
fn endpoints_are_sorted_by_name() {
    let names: Vec<String> = Handler::describe().into_iter().map(|e| e.name).collect();
    assert_eq!(names, ["integers", "other-scalars", "trip", "wrappers"]);
}

#[test]
fn integers_carry_their_range() {
    let endpoint = endpoint("integers");
    assert_eq!(endpoint.methods, ["GET"]);
    assert_eq!(endpoint.path, "/integers");
    assert_eq!(
        endpoint.summary.as_deref(),
        Some("Takes every integer type, each with the schema of its range.")
    );
    assert_eq!(endpoint.settings, "{}");
    let range =
        |min: Value, max: Value| json!({ "type": "integer", "minimum": min, "maximum": max });
    let expected = [
        range(json!(i8::MIN), json!(i8::MAX)),
        range(json!(i16::MIN), json!(i16::MAX)),
        range(json!(i32::MIN), json!(i32::MAX)),
        range(json!(i64::MIN), json!(i64::MAX)),
        range(json!(isize::MIN), json!(isize::MAX)),
        range(json!(0), json!(u8::MAX)),
        range(json!(0), json!(u16::MAX)),
        range(json!(0), json!(u32::MAX)),
        range(json!(0), json!(u64::MAX)),
        range(json!(0), json!(usize::MAX)),
    ];
    for ((_, source, schema, required), expected) in schemas(&endpoint).into_iter().zip(expected) {
        assert_eq!(
            (source, schema, required),
            (ParamSource::Query, expected, true)
        );
    }
}

#[test]
fn options_name_path_methods_and_summary() {
    let endpoint = endpoint("other-scalars");
    assert_eq!(endpoint.methods, ["POST"]);
    assert_eq!(endpoint.path, "/other/scalars");
    assert_eq!(endpoint.summary.as_deref(), Some("Other scalars."));
    let expected = vec![
        (
            "x".to_string(),
            ParamSource::Query,
            json!({ "type": "number" }),
            true,
        ),
        (
            "y".to_string(),
            ParamSource::Query,
            json!({ "type": "number" }),
            true,
        ),
        (
            "flag".to_string(),
            ParamSource::Query,
            json!({ "type": "boolean" }),
            true,
        ),
        (
            "text".to_string(),
            ParamSource::Query,
            json!({ "type": "string" }),
            true,
        ),
    ];
    assert_eq!(schemas(&endpoint), expected);
}

#[test]
fn wrappers_defaults_and_bounds() {
    let endpoint = endpoint("wrappers");
    assert_eq!(endpoint.methods, ["GET", "POST"]);
    assert_eq!(endpoint.summary, None);
    let u8_range = json!({ "type": "integer", "minimum": 0, "maximum": 255 });
    let expected = vec![
        (
            "maybe".to_string(),
            ParamSource::Query,
            json!({ "anyOf": [u8_range, { "type": "null" }], "default": null }),
            false,
        ),
        (
            "list".to_string(),
            ParamSource::Query,
            json!({ "type": "array", "items": { "type": "string" } }),
            true,
        ),
        ("body".to_string(), ParamSource::Body, json!({}), true),
        (
            "field".to_string(),
            ParamSource::Form,
            json!({ "type": "string" }),
            true,
        ),
        (
            "level".to_string(),
            ParamSource::Query,
            json!({ "type": "integer", "minimum": 1, "maximum": 9, "default": 7 }),
            false,
        ),
        (
            "tags".to_string(),
            ParamSource::Query,
            json!({
                "anyOf": [
                    { "type": "array", "items": { "type": "string" }, "minItems": 1, "maxItems": 3 },
                    { "type": "null" },
                ],
                "default": null,
            }),
            false,
        ),
        (
            "tone".to_string(),
            ParamSource::Query,
            json!({
                "anyOf": [{ "type": "string" }, { "type": "null" }],
                "default": null,
                "description": "how to say it",
            }),
            false,
        ),
    ];
    assert_eq!(schemas(&endpoint), expected);
}

#[test]
fn models_nest_inline() {
    let endpoint = endpoint("trip");
    let place = json!({
        "type": "object",
        "title": "Place",
        "properties": {
            "name": { "type": "string", "description": "Name of the place.", "minLength": 1 },
            "height": { "type": "number", "default": 1.5 },
            "tags": { "type": "array", "items": { "type": "string" } },
            "note": { "anyOf": [{ "type": "string" }, { "type": "null" }], "default": null },
        },
        "required": ["name", "tags"],
        "description": "Where something is.",
    });
    let trip = json!({
        "type": "object",
        "title": "Trip",
        "properties": { "from": place, "stops": { "type": "array", "items": place } },
        "required": ["from", "stops"],
    });
    let id = json!({ "type": "integer", "minimum": 0, "maximum": u32::MAX });
    let expected = vec![
        ("id".to_string(), ParamSource::Path, id, true),
        ("trip".to_string(), ParamSource::Body, trip, true),
    ];
    assert_eq!(schemas(&endpoint), expected);
}

#[test]
fn calls_convert_arguments_and_serve_models() {
    let args = json!({
        "id": 3,
        "trip": { "from": { "name": "a", "tags": [] }, "stops": [{ "name": "b", "height": 2, "tags": ["x"], "note": "n" }] },
    });
    let (status, headers, body) = call("trip", args);
    assert_eq!(status, 200);
    assert_eq!(
        headers,
        [("content-type".to_string(), "application/json".to_string())]
    );
    let expected = json!({
        "from": { "name": "a", "height": 1.5, "tags": [], "note": null },
        "stops": [{ "name": "b", "height": 2.0, "tags": ["x"], "note": "n" }],
    });
    assert_eq!(body, expected);
}

#[test]
fn errors_answer_detail() {
    let args = json!({ "id": 0, "trip": { "from": { "name": "a", "tags": [] }, "stops": [] } });
    let (status, headers, body) = call("trip", args);
    assert_eq!(status, 404);
    assert!(headers.contains(&("x-reason".to_string(), "zero".to_string())));
    assert_eq!(body, json!({ "detail": "trip not found" }));
}

#[test]
fn bad_arguments_are_a_server_error() {
    let (status, _, body) = call(
        "other-scalars",
        json!({ "x": 1, "y": 2, "flag": "yes", "text": "" }),
    );
    assert_eq!(status, 500);
    let detail = body["detail"].as_str().expect("detail");
    assert!(
        detail.starts_with("endpoint `other-scalars`: argument `flag`: invalid value `\"yes\"`"),
        "{detail}"
    );

    let (status, _, body) = call("nope", json!({}));
    assert_eq!(
        (status, body),
        (404, json!({ "detail": "no endpoint named `nope`" }))
    );
}

#[test]
fn defaults_fill_missing_arguments() {
    let args = json!({ "list": ["a"], "body": { "k": 1 }, "field": "f" });
    let (status, _, body) = call("wrappers", args);
    assert_eq!(status, 200);
    let expected = json!({
        "maybe": null, "list": ["a"], "body": { "k": 1 }, "field": "f", "level": 7, "tags": null, "tone": null,
    });
    assert_eq!(body, expected);
}

#[test]
fn functions_stay_callable() {
    assert_eq!(scalars(1.0, 2.0, true, "t".into())["text"], "t");
}
