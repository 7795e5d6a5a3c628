//! Function apps end to end: typed inputs, responses and HTTP errors, against the
//! example components served by a real host on 127.0.0.1:0.

use fnhost_tests::{TestHost, test_config};
use serde_json::json;

async fn start() -> TestHost {
    TestHost::start(test_config(), &["hello", "types"]).await
}

#[tokio::test]
async fn hello_square_from_query() {
    let host = start().await;

    let response = host.client.get(host.url("/hello/square?x=42")).send().await.unwrap();

    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(response.text().await.unwrap(), r#"{"square":1764}"#);
    host.stop().await;
}

#[tokio::test]
async fn hello_square_from_json_body() {
    let host = start().await;

    let (status, body) = host.post_json("/hello/square_body", &json!({"x": 42})).await;

    assert_eq!(status, 200);
    assert_eq!(body, json!({"square": 1764}));
    host.stop().await;
}

#[tokio::test]
async fn hello_greet_returns_html() {
    let host = start().await;

    let response = host.client.post(host.url("/hello/greet")).json(&json!({"name": "Ada"})).send().await.unwrap();

    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/html; charset=utf-8");
    assert_eq!(response.text().await.unwrap(), "<html>Hello, Ada!</html>");
    host.stop().await;
}

#[tokio::test]
async fn invalid_integer_gets_422_naming_field() {
    let host = start().await;

    let (status, body) = host.get_json("/hello/square?x=abc").await;

    assert_eq!(status, 422);
    assert_eq!(
        body,
        json!({"detail": [{
            "type": "int_parsing",
            "loc": ["query", "x"],
            "msg": "Input should be a valid integer, unable to parse string as an integer",
            "input": "abc",
        }]})
    );
    host.stop().await;
}

#[tokio::test]
async fn missing_query_parameter_is_422() {
    let host = start().await;

    let (status, body) = host.get_json("/hello/square").await;

    assert_eq!(status, 422);
    assert_eq!(body["detail"][0]["type"], "missing");
    assert_eq!(body["detail"][0]["loc"], json!(["query", "x"]));
    assert_eq!(body["detail"][0]["msg"], "Field required");
    host.stop().await;
}

#[tokio::test]
async fn scalars_are_coerced() {
    let host = start().await;

    let (status, body) = host.get_json("/types/scalars?n=-7&small=255&ratio=0.5&flag=yes&name=Ada").await;

    assert_eq!(status, 200, "{body}");
    assert_eq!(body["n"], -7);
    assert_eq!(body["small"], 255);
    assert_eq!(body["ratio"], 0.5);
    assert_eq!(body["flag"], true);
    assert_eq!(body["name"], "Ada");
    host.stop().await;
}

#[tokio::test]
async fn every_error_is_collected() {
    let host = start().await;

    let (status, body) = host.get_json("/types/scalars?n=x&small=300&ratio=nan&flag=maybe").await;

    assert_eq!(status, 422);
    let errors: Vec<(String, serde_json::Value)> = body["detail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|error| (error["type"].as_str().unwrap().to_owned(), error["loc"].clone()))
        .collect();
    assert_eq!(
        errors,
        vec![
            ("int_parsing".to_owned(), json!(["query", "n"])),
            ("less_than_equal".to_owned(), json!(["query", "small"])),
            ("finite_number".to_owned(), json!(["query", "ratio"])),
            ("bool_parsing".to_owned(), json!(["query", "flag"])),
            ("missing".to_owned(), json!(["query", "name"])),
        ]
    );
    assert_eq!(body["detail"][1]["ctx"], json!({"le": 255}));
    assert_eq!(body["detail"][1]["input"], "300");
    host.stop().await;
}

#[tokio::test]
async fn optional_and_default_parameters() {
    let host = start().await;

    let (status, body) = host.get_json("/types/optional").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["maybe"], serde_json::Value::Null);
    assert_eq!(body["limit"], 10);

    let (status, body) = host.get_json("/types/optional?maybe=3&limit=5").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["maybe"], 3);
    assert_eq!(body["limit"], 5);
    host.stop().await;
}

#[tokio::test]
async fn repeated_keys_become_lists() {
    let host = start().await;

    let (status, body) = host.get_json("/types/lists?ids=1&ids=2&ids=3&tags=a&tags=b").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["ids"], json!([1, 2, 3]));
    assert_eq!(body["tags"], json!(["a", "b"]));

    let (status, body) = host.get_json("/types/lists?ids=1&ids=x&tags=a").await;
    assert_eq!(status, 422);
    assert_eq!(body["detail"][0]["loc"], json!(["query", "ids", 1]));
    host.stop().await;
}

#[tokio::test]
async fn model_field_default_is_filled() {
    let host = start().await;

    let (status, body) = host.post_json("/types/order", &json!({"name": "x"})).await;

    assert_eq!(status, 200, "{body}");
    assert_eq!(body["name"], "x");
    assert_eq!(body["qty"], 42);
    assert_eq!(body["note"], serde_json::Value::Null);
    host.stop().await;
}

#[tokio::test]
async fn model_errors_name_body_fields() {
    let host = start().await;

    let (status, body) = host.post_json("/types/order", &json!({"qty": "many"})).await;

    assert_eq!(status, 422);
    assert_eq!(
        body,
        json!({"detail": [
            {"type": "missing", "loc": ["body", "name"], "msg": "Field required", "input": {"qty": "many"}},
            {"type": "int_parsing", "loc": ["body", "qty"],
             "msg": "Input should be a valid integer, unable to parse string as an integer", "input": "many"},
        ]})
    );
    host.stop().await;
}

#[tokio::test]
async fn nested_model_is_validated() {
    let host = start().await;

    let team = json!({"name": "a", "lead": {"name": "Ada", "age": 36}, "members": [{"name": "Bo", "age": 7}]});
    let (status, body) = host.post_json("/types/nested", &team).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, team);

    let team = json!({"name": "a", "lead": {"name": "Ada", "age": "old"}, "members": [{"name": "", "age": 200}]});
    let (status, body) = host.post_json("/types/nested", &team).await;
    assert_eq!(status, 422);
    let locs: Vec<&serde_json::Value> = body["detail"].as_array().unwrap().iter().map(|error| &error["loc"]).collect();
    assert_eq!(
        locs,
        [
            &json!(["body", "lead", "age"]),
            &json!(["body", "members", 0, "name"]),
            &json!(["body", "members", 0, "age"]),
        ]
    );
    host.stop().await;
}

#[tokio::test]
async fn any_json_body_is_echoed() {
    let host = start().await;
    let value = json!({"a": [1, 2, {"b": null}], "c": "d"});

    let (status, body) = host.post_json("/types/any", &value).await;

    assert_eq!(status, 200);
    assert_eq!(body, value);
    host.stop().await;
}

#[tokio::test]
async fn urlencoded_form_is_read() {
    let host = start().await;

    let response = host
        .client
        .post(host.url("/types/form"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("username=ada&password=secret")
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["username"], "ada");
    host.stop().await;
}

#[tokio::test]
async fn response_sets_status_and_headers() {
    let host = start().await;

    let response = host.client.get(host.url("/types/status")).send().await.unwrap();

    assert_eq!(response.status(), 201);
    assert_eq!(response.headers()["x-fnhost-example"], "yes");
    host.stop().await;
}

#[tokio::test]
async fn http_error_becomes_detail() {
    let host = start().await;

    let (status, body) = host.get_json("/types/fail").await;

    assert_eq!(status, 404);
    assert_eq!(body, json!({"detail": "item not found"}));
    host.stop().await;
}

#[tokio::test]
async fn unknown_app_is_404() {
    let host = start().await;

    let (status, body) = host.get_json("/nope/square").await;

    assert_eq!(status, 404);
    assert_eq!(body, json!({"detail": "no app named `nope`"}));
    host.stop().await;
}

#[tokio::test]
async fn unknown_endpoint_is_404() {
    let host = start().await;

    let (status, body) = host.get_json("/hello/cube").await;

    assert_eq!(status, 404);
    assert_eq!(body, json!({"detail": "app `hello` has no route `/cube`"}));
    host.stop().await;
}

#[tokio::test]
async fn wrong_method_is_405_with_allow() {
    let host = start().await;

    let response = host.client.post(host.url("/hello/square?x=1")).send().await.unwrap();

    assert_eq!(response.status(), 405);
    assert_eq!(response.headers()["allow"], "GET");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body, json!({"detail": "Method Not Allowed"}));
    host.stop().await;
}

#[tokio::test]
async fn malformed_json_is_422() {
    let host = start().await;

    let response = host
        .client
        .post(host.url("/hello/square_body"))
        .header("content-type", "application/json")
        .body(r#"{"x": 4"#)
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 422);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["detail"][0]["type"], "json_invalid");
    assert_eq!(body["detail"][0]["loc"], json!(["body", 7]));
    host.stop().await;
}

#[tokio::test]
async fn missing_body_is_422() {
    let host = start().await;

    let response = host.client.post(host.url("/hello/square_body")).send().await.unwrap();

    assert_eq!(response.status(), 422);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body, json!({"detail": [{"type": "missing", "loc": ["body"], "msg": "Field required", "input": null}]}));
    host.stop().await;
}

#[tokio::test]
async fn unreadable_content_type_is_415() {
    let host = start().await;

    let response = host
        .client
        .post(host.url("/hello/square_body"))
        .header("content-type", "text/plain")
        .body("x=4")
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 415);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(
        body["detail"],
        "this endpoint reads a JSON body: send `Content-Type: application/json`, not `text/plain`"
    );
    host.stop().await;
}

#[tokio::test]
async fn oversized_body_is_413() {
    let config = fnhost::HostConfig { max_body_size: 1024, ..test_config() };
    let host = TestHost::start(config, &["hello"]).await;
    let body = format!(r#"{{"x": 1, "pad": "{}"}}"#, "a".repeat(2048));

    let response = host
        .client
        .post(host.url("/hello/square_body"))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 413);
    let detail: serde_json::Value = response.json().await.unwrap();
    assert_eq!(detail, json!({"detail": "request body is larger than the limit of 1024 bytes"}));
    let (status, _) = host.get_json("/hello/square?x=2").await;
    assert_eq!(status, 200, "the host keeps serving");
    host.stop().await;
}

#[tokio::test]
async fn function_host_name_routes_to_function() {
    let host = start().await;

    let response = host
        .client
        .get(host.url("/?x=3"))
        .header("host", "hello--square.localhost")
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), r#"{"square":9}"#);
    host.stop().await;
}

#[tokio::test]
async fn app_host_name_routes_by_path() {
    let host = start().await;

    let response =
        host.client.get(host.url("/square?x=4")).header("host", "hello.localhost:8080").send().await.unwrap();

    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), r#"{"square":16}"#);
    host.stop().await;
}

#[tokio::test]
async fn index_lists_apps_and_endpoints() {
    let host = start().await;

    let (status, body) = host.get_json("/").await;

    assert_eq!(status, 200);
    let apps: Vec<&str> = body["apps"].as_array().unwrap().iter().map(|app| app["name"].as_str().unwrap()).collect();
    assert_eq!(apps, ["hello", "types"]);
    let endpoints = body["apps"][0]["endpoints"].as_array().unwrap();
    let square = endpoints.iter().find(|endpoint| endpoint["name"] == "square").unwrap();
    assert_eq!(square["name"], "square");
    assert_eq!(square["methods"], json!(["GET"]));
    assert_eq!(square["url"], host.url("/hello/square"));
    host.stop().await;
}

#[tokio::test]
async fn bad_input_never_breaks_the_host() {
    let host = start().await;
    let cases = [
        "/hello/square?x=%ff%fe",
        "/hello/square?x=%zz",
        "/hello/square?x=99999999999999999999999999999999999999999",
        "/hello/square?x=1e999",
        "/hello/square?=&&&x",
        "/types/scalars?n=1&small=-1&ratio=inf&flag=&name=",
        "/hello//square",
        "/%00/square",
    ];

    for path in cases {
        let response = host.client.get(host.url(path)).send().await.unwrap();
        assert!(response.status().is_client_error(), "{path}: {}", response.status());
    }
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let response = host
        .client
        .post(host.url("/types/any"))
        .header("content-type", "application/json")
        .body(deep)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);

    let (status, _) = host.get_json("/hello/square?x=5").await;
    assert_eq!(status, 200);
    host.stop().await;
}

#[tokio::test]
async fn malformed_json_bodies_get_422() {
    let host = start().await;
    let deep = format!("{}1{}", r#"{"a":"#.repeat(200), "}".repeat(200));
    let cases: [(&str, Vec<u8>); 5] = [
        ("duplicate key `x`", br#"{"x": 1, "x": 2}"#.to_vec()),
        ("recursion limit exceeded", deep.into_bytes()),
        ("invalid unicode code point", b"{\"x\": \"\xff\"}".to_vec()),
        ("number out of range", br#"{"x": 1e400}"#.to_vec()),
        ("trailing characters", br#"{"x": 1} 2"#.to_vec()),
    ];

    for (error, body) in cases {
        let response = host
            .client
            .post(host.url("/types/any"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422, "{error}");
        let detail: serde_json::Value = response.json().await.unwrap();
        assert_eq!(detail["detail"][0]["type"], "json_invalid", "{error}");
        let message = detail["detail"][0]["ctx"]["error"].as_str().unwrap();
        assert!(message.contains(error), "{message}");
    }
    host.stop().await;
}

#[tokio::test]
async fn integer_past_64_bits_is_422() {
    let host = start().await;

    let (status, body) = host.post_json("/hello/square_body", &json!({"x": 18446744073709551616u128 as f64})).await;

    assert_eq!(status, 422);
    assert_eq!(body["detail"][0]["type"], "less_than_equal");
    assert_eq!(body["detail"][0]["loc"], json!(["body", "x"]));
    host.stop().await;
}

#[tokio::test]
async fn empty_json_body_is_missing() {
    let host = start().await;

    let response = host
        .client
        .post(host.url("/types/order"))
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 422);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["detail"][0]["type"], "missing");
    assert_eq!(body["detail"][0]["loc"], json!(["body"]));
    host.stop().await;
}

#[tokio::test]
async fn malformed_query_is_400() {
    let host = start().await;
    let cases = [
        ("name=%ff", "invalid query string: `\u{fffd}` is not valid UTF-8 once percent-decoded: encode text as UTF-8"),
        ("name=%zz", "invalid query string: malformed percent-encoding `%zz`: write `%` itself as `%25`"),
    ];

    for (query, detail) in cases {
        let (status, body) = host.get_json(&format!("/types/scalars?n=1&small=2&ratio=1&flag=0&{query}")).await;
        assert_eq!(status, 400, "{query}");
        assert_eq!(body["detail"], detail, "{query}");
    }
    host.stop().await;
}
