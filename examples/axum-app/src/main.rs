//! A small shop written with axum and served as a whole HTTP app: the component
//! exports `wasi:http/incoming-handler`, so fnhost and `wasmtime serve` both run it.
//!
//! Routes:
//! - `GET /`: an HTML page;
//! - `GET /items/{id}`: one item as JSON (400 when `id` is not a number, 404 when
//!   it is unknown);
//! - `POST /items`: creates an item from a JSON body and returns it with status 201;
//! - `GET /request`: the path, query, host and `X-Forwarded-Prefix` this app saw;
//! - `GET /panic`: panics, which traps the instance;
//! - `GET /spin`: loops forever, until the host's time limit ends the call;
//! - anything else: 404 with a JSON body.

use axum::extract::{Path, Request};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// An item of the shop.
#[derive(Serialize)]
struct Item {
    id: u32,
    name: String,
    price_cents: u32,
}

/// The body of `POST /items`.
#[derive(Deserialize)]
struct NewItem {
    name: String,
    price_cents: u32,
}

/// Id given to every new item. The app keeps no state between requests, because
/// the host may send each one to a different instance.
const NEW_ITEM_ID: u32 = 1000;

#[wstd_axum::http_server]
fn main() -> Router {
    Router::new()
        .route("/", get(index))
        .route("/items", axum::routing::post(create_item))
        .route("/items/{id}", get(item))
        .route("/request", get(request_info))
        .route("/panic", get(panic))
        .route("/spin", get(spin))
        .fallback(not_found)
}

async fn index() -> Html<&'static str> {
    Html(
        "<!doctype html>\n<html><head><title>shop</title></head><body><h1>shop</h1><p>An axum app.</p></body></html>\n",
    )
}

async fn item(Path(id): Path<u32>) -> Response {
    // Items 1 to 999 exist; the name and price follow from the id so that tests
    // can predict them.
    if !(1..NEW_ITEM_ID).contains(&id) {
        return (StatusCode::NOT_FOUND, Json(json!({"error": format!("no item `{id}`")}))).into_response();
    }
    Json(Item { id, name: format!("item {id}"), price_cents: id * 100 }).into_response()
}

async fn create_item(Json(new): Json<NewItem>) -> (StatusCode, [(header::HeaderName, String); 1], Json<Item>) {
    let location = format!("items/{NEW_ITEM_ID}");
    (
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(Item { id: NEW_ITEM_ID, name: new.name, price_cents: new.price_cents }),
    )
}

async fn request_info(request: Request) -> Json<serde_json::Value> {
    let text = |name: &str| request.headers().get(name).and_then(|value| value.to_str().ok()).map(str::to_owned);
    Json(json!({
        "method": request.method().as_str(),
        "path": request.uri().path(),
        "query": request.uri().query(),
        // wasi:http hands the authority over apart from the headers, and wstd puts it
        // into the URI.
        "host": text("host").or_else(|| request.uri().authority().map(|authority| authority.to_string())),
        "forwarded_prefix": text("x-forwarded-prefix"),
    }))
}

async fn panic() -> &'static str {
    panic!("the `/panic` route always panics")
}

async fn spin() -> &'static str {
    // Never returns and never awaits: only the host's time limit ends it.
    let mut counter = 0u64;
    loop {
        counter = std::hint::black_box(counter.wrapping_add(1));
    }
}

async fn not_found(request: Request) -> (StatusCode, Json<serde_json::Value>) {
    (StatusCode::NOT_FOUND, Json(json!({"error": format!("no route for `{}`", request.uri().path())})))
}
