//! Headers, cookies, explicit sources, files, choices and the raw request:
//! their exact schemas in `describe` and their values in `call`.

use fnhost_sdk::__private::Handler;
use fnhost_sdk::__private::bindings::Guest;
use fnhost_sdk::__private::bindings::fnhost::function::types::{
    Endpoint, ParamSource, Request as WitRequest,
};
use fnhost_sdk::{Arg, Choice, Form, Model, Request, UploadFile, webhook};
use serde_json::{Value, json};

/// A colour of the palette.
#[derive(Choice, Clone, Copy, Debug, PartialEq)]
enum Color {
    Red,
    DarkGreen,
    #[choice(rename = "sky")]
    Blue,
}

#[derive(Choice, Debug, PartialEq)]
#[choice(rename_all = "kebab-case")]
enum Size {
    ExtraLarge,
    Small,
}

#[derive(Model)]
struct Paint {
    color: Color,
    extra: Vec<Color>,
    other: Option<Size>,
}

#[webhook]
fn headers(
    #[param(header)] user_agent: String,
    #[param(header, alias = "x-token", min_length = 2)] token: Option<String>,
    #[param(header)] x_tag: Vec<String>,
    #[param(cookie, default = "light")] theme: String,
    #[param(query, alias = "q")] search: Option<String>,
) -> Value {
    json!([user_agent, token, x_tag, theme, search])
}

#[webhook(method = "POST")]
fn bodies(
    #[param(body)] count: i64,
    #[param(form, alias = "user-name")] name: String,
    #[param(form)] remember: Form<bool>,
) -> Value {
    json!([count, name, remember.0])
}

#[webhook(method = "POST")]
fn files(
    file: UploadFile,
    many: Vec<UploadFile>,
    maybe: Option<UploadFile>,
    note: Form<String>,
) -> Value {
    let describe = |file: &UploadFile| {
        json!([
            file.filename,
            file.content_type,
            file.text().ok(),
            file.size()
        ])
    };
    json!([
        describe(&file),
        many.iter().map(describe).collect::<Vec<_>>(),
        maybe.as_ref().map(describe),
        note.0,
    ])
}

#[webhook(path = "/paint/{color}")]
fn paint(color: Color, #[param(default = "small")] size: Size, body: Paint) -> Paint {
    assert_eq!((color, size), (Color::Blue, Size::Small));
    body
}

#[webhook(method = "POST")]
fn raw(#[param(default = 1)] n: i64, request: Request) -> Value {
    json!({
        "n": n,
        "method": request.method,
        "agent": request.header("User-Agent"),
        "session": request.cookie("session"),
        "query": request.query_pairs().collect::<Vec<_>>(),
        "body": request.text().ok(),
    })
}

fn endpoint(name: &str) -> Endpoint {
    Handler::describe()
        .into_iter()
        .find(|endpoint| endpoint.name == name)
        .unwrap_or_else(|| panic!("no endpoint `{name}`"))
}

fn params(name: &str) -> Vec<(String, ParamSource, Value, bool)> {
    endpoint(name)
        .params
        .iter()
        .map(|p| {
            let schema = serde_json::from_str(&p.schema).expect("schemas are JSON");
            (p.name.clone(), p.source, schema, p.required)
        })
        .collect()
}

fn param(
    name: &str,
    source: ParamSource,
    schema: Value,
    required: bool,
) -> (String, ParamSource, Value, bool) {
    (name.to_string(), source, schema, required)
}

fn call(name: &str, args: Value, request: WitRequest) -> (u16, Value) {
    let response = Handler::call(name.into(), args.to_string(), request);
    let body = serde_json::from_slice(&response.body).expect("JSON body");
    (response.status, body)
}

fn request() -> WitRequest {
    WitRequest {
        method: "POST".into(),
        path: "/raw".into(),
        query: "a=1&b=x%20y".into(),
        headers: vec![
            ("user-agent".into(), b"curl/8".to_vec()),
            ("cookie".into(), b"theme=dark; session=\"abc\"".to_vec()),
        ],
        body: b"hello".to_vec(),
    }
}

fn nullable(schema: Value) -> Value {
    json!({ "anyOf": [schema, { "type": "null" }], "default": null })
}

#[test]
fn headers_cookies_and_aliases() {
    let string = json!({ "type": "string" });
    let mut token = nullable(json!({ "type": "string", "minLength": 2 }));
    token["alias"] = json!("x-token");
    let mut search = nullable(string.clone());
    search["alias"] = json!("q");
    let expected = vec![
        param("user_agent", ParamSource::Header, string.clone(), true),
        param("token", ParamSource::Header, token, false),
        param(
            "x_tag",
            ParamSource::Header,
            json!({ "type": "array", "items": string }),
            true,
        ),
        param(
            "theme",
            ParamSource::Cookie,
            json!({ "type": "string", "default": "light" }),
            false,
        ),
        param("search", ParamSource::Query, search, false),
    ];
    assert_eq!(params("headers"), expected);
}

#[test]
fn body_embeds_and_form_fields() {
    let count =
        json!({ "type": "integer", "minimum": i64::MIN, "maximum": i64::MAX, "embed": true });
    let expected = vec![
        param("count", ParamSource::Body, count, true),
        param(
            "name",
            ParamSource::Form,
            json!({ "type": "string", "alias": "user-name" }),
            true,
        ),
        param(
            "remember",
            ParamSource::Form,
            json!({ "type": "boolean" }),
            true,
        ),
    ];
    assert_eq!(params("bodies"), expected);
    let args = json!({ "count": 3, "name": "ada", "remember": true });
    assert_eq!(
        call("bodies", args, request()),
        (200, json!([3, "ada", true]))
    );
}

#[test]
fn files_are_binary_strings() {
    let binary = json!({ "type": "string", "format": "binary" });
    let expected = vec![
        param("file", ParamSource::File, binary.clone(), true),
        param(
            "many",
            ParamSource::File,
            json!({ "type": "array", "items": binary }),
            true,
        ),
        param("maybe", ParamSource::File, nullable(binary.clone()), false),
        param("note", ParamSource::Form, json!({ "type": "string" }), true),
    ];
    assert_eq!(params("files"), expected);
}

#[test]
fn files_decode_from_base64() {
    let args = json!({
        "file": { "filename": "a.txt", "content_type": "text/plain", "data": "aGVsbG8=" },
        "many": [{ "filename": null, "content_type": null, "data": "" }, { "data": "YQ==" }],
        "note": "n",
    });
    let expected = json!([
        ["a.txt", "text/plain", "hello", 5],
        [[null, null, "", 0], [null, null, "a", 1]],
        null,
        "n",
    ]);
    assert_eq!(call("files", args, request()), (200, expected));

    let bad = UploadFile::from_arg(json!({ "filename": "x", "data": "not base64!" }));
    assert!(
        bad.unwrap_err()
            .starts_with("invalid base64 in file data: ")
    );
    let missing = UploadFile::from_arg(json!({ "filename": "x" }));
    assert!(
        missing
            .unwrap_err()
            .starts_with("invalid file: missing field `data`")
    );
    let binary = UploadFile::from_arg(json!({ "data": "/wA=" })).expect("valid file");
    assert_eq!(binary.data, [255, 0]);
    assert!(binary.text().is_err());
}

#[test]
fn choices_are_string_enums() {
    let color = json!({
        "type": "string",
        "enum": ["red", "dark_green", "sky"],
        "title": "Color",
        "description": "A colour of the palette.",
    });
    let size = json!({ "type": "string", "enum": ["extra-large", "small"], "title": "Size" });
    let paint = json!({
        "type": "object",
        "title": "Paint",
        "properties": {
            "color": color,
            "extra": { "type": "array", "items": color },
            "other": nullable(size.clone()),
        },
        "required": ["color", "extra"],
    });
    let mut sized = size.clone();
    sized["default"] = json!("small");
    let expected = vec![
        param("color", ParamSource::Path, color, true),
        param("size", ParamSource::Query, sized, false),
        param("body", ParamSource::Body, paint, true),
    ];
    assert_eq!(params("paint"), expected);
    assert_eq!(Color::VALUES, ["red", "dark_green", "sky"]);
    assert_eq!(Size::ExtraLarge.as_str(), "extra-large");
}

#[test]
fn choices_read_and_serialize_their_strings() {
    let args = json!({
        "color": "sky",
        "body": { "color": "dark_green", "extra": ["red", "sky"], "other": "extra-large" },
    });
    let expected =
        json!({ "color": "dark_green", "extra": ["red", "sky"], "other": "extra-large" });
    assert_eq!(call("paint", args, request()), (200, expected));
    let unknown = Color::from_arg(json!("blue")).unwrap_err();
    assert_eq!(
        unknown,
        "unknown value `blue`; expected `red`, `dark_green`, `sky`"
    );
    assert_eq!(
        Color::from_arg(json!(1)).unwrap_err(),
        "expected a string, got `1`"
    );
}

#[test]
fn request_param_is_not_described() {
    let expected = vec![param(
        "n",
        ParamSource::Query,
        json!({ "type": "integer", "minimum": i64::MIN, "maximum": i64::MAX, "default": 1 }),
        false,
    )];
    assert_eq!(params("raw"), expected);
    let body = json!({
        "n": 1,
        "method": "POST",
        "agent": "curl/8",
        "session": "abc",
        "query": [["a", "1"], ["b", "x y"]],
        "body": "hello",
    });
    assert_eq!(call("raw", json!({}), request()), (200, body));
}

#[test]
fn request_helpers_match_names_in_any_case() {
    let request = Request::from(request());
    assert_eq!(request.header("USER-AGENT"), Some("curl/8"));
    assert_eq!(request.header("accept"), None);
    assert_eq!(request.cookie("theme"), Some("dark"));
    assert_eq!(request.cookie("them"), None);
    assert!(request.json::<Value>().is_err());
}
