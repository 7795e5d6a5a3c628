//! Every kind of response: JSON, HTML, text, raw bytes, redirects, cookies,
//! custom statuses and headers, and errors.

use fnhost_sdk::{
    Bytes, Cookie, Html, HttpError, Model, Redirect, Response, SameSite, Text, webhook,
};
use serde_json::{Value, json};

/// A 1×1 PNG image of one light-blue pixel.
const DOT_PNG: [u8; 70] = [
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0,
    0, 0, 31, 21, 196, 137, 0, 0, 0, 13, 73, 68, 65, 84, 120, 218, 99, 48, 158, 249, 255, 63, 0, 5,
    153, 2, 203, 203, 187, 45, 237, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
];

/// An item of the shop.
#[derive(Model)]
struct Item {
    id: u32,
    name: String,
    price: f64,
}

/// Returns a model as JSON, the default for any serializable value.
#[webhook]
fn item() -> Item {
    Item {
        id: 7,
        name: "hammer".to_string(),
        price: 9.5,
    }
}

/// Returns an HTML page that greets `name`.
#[webhook]
fn page(#[param(default = "world")] name: String) -> Html {
    // Escapes the characters that would otherwise open markup.
    let name = name
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    Html(format!("<h1>Hello, {name}!</h1>"))
}

/// Returns plain text.
#[webhook]
fn text() -> Text {
    Text("plain text, no JSON quotes".to_string())
}

/// Returns a PNG image.
#[webhook]
fn image() -> Bytes {
    Bytes {
        content_type: "image/png".to_string(),
        body: DOT_PNG.to_vec(),
    }
}

/// Returns a CSV file that browsers save as `items.csv`.
#[webhook]
fn csv() -> Response {
    Response::bytes("text/csv; charset=utf-8", "id,name\n1,hammer\n2,saw\n")
        .header("content-disposition", "attachment; filename=\"items.csv\"")
}

/// Redirects to the item for now (307); the client repeats its method.
#[webhook]
fn temporary() -> Redirect {
    Redirect::to("/responses/item")
}

/// Redirects to the item for good (308).
#[webhook]
fn moved() -> Redirect {
    Redirect::permanent("/responses/item")
}

/// Signs in and sends the client to a page with `GET` (303), setting a session
/// cookie on the way.
#[webhook(method = "POST")]
fn login(#[param(form)] username: String) -> Response {
    // The location is not built from the user name, which could add query keys.
    Response::from(Redirect::see_other("/responses/page?name=you are in")).set_cookie(
        Cookie::new("session", format!("user-{username}"))
            .max_age(3600)
            .http_only(true)
            .same_site(SameSite::Strict),
    )
}

/// Signs out by telling the browser to drop the session cookie.
#[webhook(method = "POST")]
fn logout() -> Response {
    Response::json(&json!({ "signed_out": true })).delete_cookie("session")
}

/// Creates an item: status 201 with a `location` header, a custom header and two
/// cookies.
#[webhook(method = "POST")]
fn created() -> Response {
    Response::json(&json!({ "id": 8, "created": true }))
        .status(201)
        .header("location", "/responses/items/8")
        .header("x-item-count", "8")
        .cookie("last_item", "8")
        .set_cookie(Cookie::new("theme", "dark").max_age(86400).secure(true))
}

/// Returns status 204 with no body.
#[webhook(method = "DELETE")]
fn empty() -> Response {
    Response::new(Vec::new()).status(204)
}

/// Needs the `x-token` header to be `secret`; otherwise 401 with a
/// `www-authenticate` header, as FastAPI's `HTTPException` with headers.
#[webhook]
fn protected(
    #[param(header, alias = "x-token")] token: Option<String>,
) -> Result<Value, HttpError> {
    match token.as_deref() {
        Some("secret") => Ok(json!({ "access": "granted" })),
        _ => {
            Err(HttpError::new(401, "invalid or missing token")
                .header("www-authenticate", "Bearer"))
        }
    }
}

/// Looks up an item by id; only item 7 exists, any other is a 404.
#[webhook(path = "/items/{id}")]
fn find(id: u32) -> Result<Item, HttpError> {
    match id {
        7 => Ok(item()),
        _ => Err(HttpError::new(404, format!("item {id} not found"))),
    }
}

fnhost_sdk::export!();
