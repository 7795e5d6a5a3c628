//! Return values of every kind, served through the component's `call` export.

use fnhost_sdk::__private::Handler;
use fnhost_sdk::__private::bindings::Guest;
use fnhost_sdk::__private::bindings::fnhost::function::types::Request;
use fnhost_sdk::{
    Bytes, Cookie, Html, HttpError, IntoResponse, Json, Redirect, Response, SameSite, Text, webhook,
};

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

fn header_pairs(response: &Response) -> Vec<(String, String)> {
    let text = |value: &[u8]| String::from_utf8(value.to_vec()).expect("utf-8");
    response
        .headers()
        .iter()
        .map(|(name, value)| (name.clone(), text(value)))
        .collect()
}

#[test]
fn redirects_are_empty_with_a_location() {
    let cases = [
        (Redirect::to("/a"), 307),
        (Redirect::permanent("/a"), 308),
        (Redirect::see_other("/a"), 303),
        (Redirect::with_status(302, "/a"), 302),
    ];
    for (redirect, status) in cases {
        let response = redirect.into_response();
        assert_eq!(response.status_code(), status);
        assert_eq!(
            header_pairs(&response),
            [("location".to_string(), "/a".to_string())]
        );
        assert!(response.body().is_empty());
    }
}

#[test]
fn redirect_locations_are_percent_encoded() {
    let redirect = Redirect::to("https://x.test/a b/ü?q=1&r=[2]#top");
    assert_eq!(redirect.location(), "https://x.test/a b/ü?q=1&r=[2]#top");
    let response = Response::from(redirect);
    assert_eq!(
        header_pairs(&response),
        [(
            "location".to_string(),
            "https://x.test/a%20b/%C3%BC?q=1&r=[2]#top".to_string()
        )]
    );
}

#[test]
fn cookies_follow_fastapi_defaults() {
    let response = Response::json(&1)
        .cookie("theme", "dark")
        .set_cookie(
            Cookie::new("session", "abc")
                .max_age(3600)
                .http_only(true)
                .secure(true)
                .same_site(SameSite::None)
                .domain("x.test")
                .path("/app"),
        )
        .delete_cookie("old");
    let expected = [
        ("content-type", "application/json"),
        ("set-cookie", "theme=dark; Path=/; SameSite=lax"),
        (
            "set-cookie",
            "session=abc; Domain=x.test; HttpOnly; Max-Age=3600; Path=/app; SameSite=none; Secure",
        ),
        ("set-cookie", "old=\"\"; Max-Age=0; Path=/; SameSite=lax"),
    ]
    .map(|(name, value)| (name.to_string(), value.to_string()));
    assert_eq!(header_pairs(&response), expected);
}

#[test]
fn cookie_values_are_quoted_when_needed() {
    let bare = Cookie::new("a", "x").path(None).same_site(None);
    assert_eq!(bare.header_value().unwrap(), "a=x");
    let quoted = Cookie::new("a", "x y;\"z\"\\,é").path(None).same_site(None);
    assert_eq!(
        quoted.header_value().unwrap(),
        r#"a="x y\073\"z\"\\\054\303\251""#
    );
    assert_eq!(quoted.name(), "a");
    assert_eq!(quoted.value(), "x y;\"z\"\\,é");
}

#[test]
fn invalid_cookies_are_a_server_error() {
    assert_eq!(
        Cookie::new("a b", "x").header_value(),
        Err("invalid cookie name `a b`".to_string())
    );
    assert_eq!(
        Cookie::new("a", "x").path("/; Secure").header_value(),
        Err("invalid cookie path `/; Secure`".to_string())
    );
    let response = Response::text("x").cookie("", "x");
    assert_eq!(response.status_code(), 500);
    assert_eq!(response.body(), br#"{"detail":"invalid cookie name ``"}"#);
}

#[test]
fn http_errors_keep_their_headers() {
    let response = HttpError::new(401, "not signed in")
        .header("WWW-Authenticate", "Bearer")
        .into_response();
    assert_eq!(response.status_code(), 401);
    let expected = [
        ("content-type", "application/json"),
        ("www-authenticate", "Bearer"),
    ]
    .map(|(name, value)| (name.to_string(), value.to_string()));
    assert_eq!(header_pairs(&response), expected);
    assert_eq!(response.body(), br#"{"detail":"not signed in"}"#);
}
