//! `GET /`: the apps and their endpoints, as HTML for browsers and JSON otherwise.

use axum::body::Body;
use axum::response::{Html, IntoResponse, Response};
use http::{Request, header};
use serde_json::{Value, json};

use crate::Host;
use crate::host::App;

pub(super) fn render(host: &Host, request: &Request<Body>) -> Response {
    let base = request
        .headers()
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .map(|authority| format!("http://{authority}"))
        .unwrap_or_default();
    let listing = listing(host, &base);
    let wants_html = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    if wants_html { Html(html(&listing)).into_response() } else { axum::Json(listing).into_response() }
}

fn listing(host: &Host, base: &str) -> Value {
    let apps: Vec<Value> = host
        .apps()
        .iter()
        .map(|app| match &**app {
            App::Function(app) => {
                let endpoints: Vec<Value> = app
                    .endpoints
                    .iter()
                    .map(|endpoint| {
                        json!({
                            "name": &*endpoint.name,
                            "methods": endpoint.methods.iter().map(http::Method::as_str).collect::<Vec<_>>(),
                            "path": endpoint.path,
                            "url": format!("{base}/{}{}", app.name, endpoint.path),
                            "summary": endpoint.summary,
                        })
                    })
                    .collect();
                json!({ "name": &*app.name, "kind": "function", "endpoints": endpoints })
            }
            App::Http(app) => json!({
                "name": &*app.name,
                "kind": "http",
                "url": format!("{base}/{}/", app.name),
                "endpoints": [],
            }),
        })
        .collect();
    json!({ "apps": apps })
}

fn html(listing: &Value) -> String {
    let mut page = String::from(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>fnhost</title></head><body><h1>fnhost</h1>",
    );
    let apps = listing["apps"].as_array().map(Vec::as_slice).unwrap_or_default();
    if apps.is_empty() {
        page.push_str("<p>No apps are loaded.</p>");
    }
    for app in apps {
        page.push_str(&format!("<h2>{}</h2><ul>", escape(app["name"].as_str().unwrap_or_default())));
        if let Some(url) = app["url"].as_str() {
            let url = escape(url);
            page.push_str(&format!("<li>HTTP app at <a href=\"{url}\">{url}</a></li>"));
        }
        for endpoint in app["endpoints"].as_array().map(Vec::as_slice).unwrap_or_default() {
            let methods: Vec<&str> =
                endpoint["methods"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
            let url = escape(endpoint["url"].as_str().unwrap_or_default());
            page.push_str(&format!("<li><code>{}</code> <a href=\"{url}\">{url}</a>", methods.join(", ")));
            if let Some(summary) = endpoint["summary"].as_str() {
                page.push_str(&format!(" — {}", escape(summary)));
            }
            page.push_str("</li>");
        }
        page.push_str("</ul>");
    }
    page.push_str("</body></html>");
    page
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
