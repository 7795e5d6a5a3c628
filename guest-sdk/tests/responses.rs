//! Return values of every kind, served through the component's `call` export.

use fnhost_sdk::__private::Handler;
use fnhost_sdk::__private::bindings::Guest;
use fnhost_sdk::__private::bindings::fnhost::function::types::Request;
use fnhost_sdk::{Bytes, Html, HttpError, IntoResponse, Json, Response, Text, webhook};

/// Serializable, but neither a model nor `IntoResponse`.
#[derive(serde::Serialize)]
struct Plain {
    a: u8,
}

#[webhook]
fn plain() -> Plain {
    Plain { a: 1 }
}

#[webhook]
fn string() -> String {
    "hi".to_string()
}

#[webhook]
fn unit() {}

#[webhook]
fn html() -> Html {
    Html("<p>hi</p>".to_string())
}

#[webhook]
fn text() -> Text {
    Text("hi".to_string())
}

#[webhook]
fn bytes() -> Bytes {
    Bytes {
        content_type: "image/png".to_string(),
        body: vec![137, 80],
    }
}

#[webhook]
fn built() -> Response {
    Response::text("made")
        .status(201)
        .header("X-A", "b")
        .header("x-a", "c")
}

#[webhook]
fn ok_json(fail: bool) -> Result<Json<Plain>, HttpError> {
    match fail {
        true => Err(HttpError::new(409, "taken")),
        false => Ok(Json(Plain { a: 2 })),
    }
}

#[webhook]
fn nan() -> std::collections::HashMap<Vec<u8>, u8> {
    std::collections::HashMap::from([(vec![1], 1)])
}

fn call(name: &str, args: &str) -> (u16, Vec<(String, String)>, String) {
    let request = Request {
        method: "GET".into(),
        path: "/".into(),
        query: String::new(),
        headers: Vec::new(),
        body: Vec::new(),
    };
    let response = Handler::call(name.into(), args.into(), request);
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).expect("utf-8");
    let headers = response
        .headers
        .into_iter()
        .map(|(name, value)| (name, text(value)))
        .collect();
    (response.status, headers, text(response.body))
}

fn json_header() -> Vec<(String, String)> {
    vec![("content-type".to_string(), "application/json".to_string())]
}

#[test]
fn serializable_values_are_json() {
    assert_eq!(
        call("plain", "{}"),
        (200, json_header(), r#"{"a":1}"#.to_string())
    );
    assert_eq!(
        call("string", "{}"),
        (200, json_header(), r#""hi""#.to_string())
    );
    assert_eq!(call("unit", "{}"), (200, json_header(), "null".to_string()));
}

#[test]
fn pages_text_and_bytes_keep_their_type() {
    let (status, headers, body) = call("html", "{}");
    assert_eq!((status, body.as_str()), (200, "<p>hi</p>"));
    assert_eq!(
        headers,
        [(
            "content-type".to_string(),
            "text/html; charset=utf-8".to_string()
        )]
    );
    let (_, headers, body) = call("text", "{}");
    assert_eq!(body, "hi");
    assert_eq!(
        headers,
        [(
            "content-type".to_string(),
            "text/plain; charset=utf-8".to_string()
        )]
    );
    let response = Bytes {
        content_type: "image/png".into(),
        body: vec![1],
    }
    .into_response();
    assert_eq!(
        response.headers(),
        [("content-type".to_string(), b"image/png".to_vec())]
    );
    assert_eq!(response.body(), [1]);
}

#[test]
fn built_responses_keep_status_and_headers() {
    let (status, headers, body) = call("built", "{}");
    assert_eq!((status, body.as_str()), (201, "made"));
    let expected = [
        ("content-type", "text/plain; charset=utf-8"),
        ("x-a", "b"),
        ("x-a", "c"),
    ]
    .map(|(name, value)| (name.to_string(), value.to_string()));
    assert_eq!(headers, expected);
}

#[test]
fn results_serve_either_branch() {
    assert_eq!(
        call("ok_json", r#"{"fail":false}"#),
        (200, json_header(), r#"{"a":2}"#.to_string())
    );
    let expected = (409, json_header(), r#"{"detail":"taken"}"#.to_string());
    assert_eq!(call("ok_json", r#"{"fail":true}"#), expected);
}

#[test]
fn unserializable_values_are_a_server_error() {
    let (status, _, body) = call("nan", "{}");
    assert_eq!(status, 500);
    assert!(
        body.starts_with(r#"{"detail":"cannot serialize the response: "#),
        "{body}"
    );
}

#[test]
fn content_type_replaces_the_earlier_one() {
    let response = Response::html("x").content_type("application/xhtml+xml");
    assert_eq!(
        response.headers(),
        [(
            "content-type".to_string(),
            b"application/xhtml+xml".to_vec()
        )]
    );
}

#[test]
fn http_errors_display_status_and_detail() {
    let err = HttpError::new(404, "item not found");
    assert_eq!(err.to_string(), "404 item not found");
    assert_eq!((err.status_code(), err.detail()), (404, "item not found"));
}
