//! OpenAPI documents and docs pages of function apps: every example app's document
//! passes an OpenAPI 3.1 validator, and the docs page needs no external network.

use std::process::Command;

use fnhost_tests::{TestHost, python_venv, repo_root, test_config};
use serde_json::{Value, json};

const APPS: &[&str] = &["hello", "types"];

#[tokio::test]
async fn documents_pass_validator() {
    let host = TestHost::start(test_config(), APPS).await;
    let python = python_venv("openapi-venv", &repo_root().join("tests/openapi/requirements.txt"));
    let folder = tempfile::tempdir().unwrap();

    for app in APPS {
        let (status, document) = host.get_json(&format!("/{app}/openapi.json")).await;
        assert_eq!(status, 200);
        let path = folder.path().join(format!("{app}.json"));
        std::fs::write(&path, document.to_string()).unwrap();

        let output = Command::new(&python)
            .args(["-c", "import json, sys\nfrom openapi_spec_validator import validate\nvalidate(json.load(open(sys.argv[1])))"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(output.status.success(), "{app}: {}", String::from_utf8_lossy(&output.stderr));
    }
    host.stop().await;
}

#[tokio::test]
async fn document_describes_parameters_and_models() {
    let host = TestHost::start(test_config(), APPS).await;

    let (_, document) = host.get_json("/types/openapi.json").await;

    assert_eq!(document["openapi"], "3.1.0");
    assert_eq!(document["servers"], json!([{"url": "/types"}]));
    let scalars = &document["paths"]["/scalars"]["get"];
    let names: Vec<&str> = scalars["parameters"].as_array().unwrap().iter().map(|param| param["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["n", "small", "ratio", "flag", "name"]);
    assert_eq!(scalars["parameters"][1]["schema"], json!({"type": "integer", "minimum": 0, "maximum": 255}));
    let order = &document["paths"]["/order"]["post"]["requestBody"]["content"]["application/json"]["schema"];
    assert_eq!(order, &json!({"$ref": "#/components/schemas/Order"}));
    let order_schema = &document["components"]["schemas"]["Order"];
    assert_eq!(order_schema["properties"]["qty"]["default"], 42);
    assert_eq!(order_schema["required"], json!(["name"]));
    let item = &document["paths"]["/items/{id}"]["get"]["parameters"][0];
    assert_eq!(item["in"], "path");
    assert_eq!(item["required"], true);
    let form = &document["paths"]["/form"]["post"]["requestBody"]["content"];
    assert!(form.get("application/x-www-form-urlencoded").is_some(), "{form}");
    host.stop().await;
}

#[tokio::test]
async fn docs_page_is_self_contained() {
    let host = TestHost::start(test_config(), APPS).await;

    let response = host.client.get(host.url("/hello/docs")).send().await.unwrap();

    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/html; charset=utf-8");
    let page = response.text().await.unwrap();
    assert!(page.contains("fetch(\"openapi.json\")"));
    for external in ["http://", "https://", "//cdn", "<link"] {
        assert!(!page.contains(external), "the page loads `{external}`");
    }
    host.stop().await;
}

#[tokio::test]
async fn app_host_serves_document() {
    let host = TestHost::start(test_config(), APPS).await;

    let response =
        host.client.get(host.url("/openapi.json")).header("host", "hello.localhost").send().await.unwrap();

    assert_eq!(response.status(), 200);
    let document: Value = response.json().await.unwrap();
    assert_eq!(document["info"]["title"], "hello");
    host.stop().await;
}
