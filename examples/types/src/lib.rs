//! Every parameter and return type of the SDK, each endpoint echoing what it got.

use fnhost_sdk::{Form, HttpError, Model, Response, Text, webhook};
use serde_json::{Value, json};

/// Echoes one parameter of each scalar type, read from the query string.
#[webhook]
fn scalars(n: i64, small: u8, ratio: f64, flag: bool, name: String) -> Value {
    json!({ "n": n, "small": small, "ratio": ratio, "flag": flag, "name": name })
}

/// Echoes an optional parameter and one with a default.
#[webhook]
fn optional(maybe: Option<i64>, #[param(default = 10)] limit: i64) -> Value {
    json!({ "maybe": maybe, "limit": limit })
}

/// Echoes lists given by repeating a query key, as in `?ids=1&ids=2`.
#[webhook]
fn lists(ids: Vec<i64>, tags: Vec<String>) -> Value {
    json!({ "ids": ids, "tags": tags })
}

/// Echoes parameters with bounds on their value or length.
#[webhook]
fn bounded(
    #[param(ge = 1, le = 100)] page: i64,
    #[param(min_length = 2, max_length = 8)] code: String,
    #[param(default = 0.5, ge = 0.0, le = 1.0)] ratio: f64,
) -> Value {
    json!({ "page": page, "code": code, "ratio": ratio })
}

/// An order with a default quantity and an optional note.
#[derive(Model)]
struct Order {
    name: String,
    #[field(default = 42)]
    qty: i64,
    note: Option<String>,
}

/// Echoes an order read from the JSON body; `qty` is 42 unless given.
#[webhook(method = "POST")]
fn order(order: Order) -> Order {
    order
}

/// A member of a team.
#[derive(Model)]
struct Person {
    /// Full name.
    #[field(min_length = 1)]
    name: String,
    #[field(ge = 0, le = 150)]
    age: u8,
}

/// A team: a model holding another model and a list of them.
#[derive(Model)]
struct Team {
    name: String,
    lead: Person,
    members: Vec<Person>,
}

/// Echoes a team of nested models.
#[webhook(method = "POST")]
fn nested(team: Team) -> Team {
    team
}

/// Echoes any JSON body.
#[webhook(method = "POST")]
fn any(body: Value) -> Value {
    body
}

/// Credentials sent as a form.
#[derive(Model)]
struct Login {
    username: String,
    password: String,
}

/// Echoes a form read into a model.
#[webhook(method = "POST")]
fn form(login: Form<Login>) -> Login {
    login.into_inner()
}

/// Echoes two form fields read one by one.
#[webhook(method = "POST")]
fn form_fields(username: Form<String>, password: Form<String>) -> Value {
    json!({ "username": username.0, "password": password.0 })
}

/// An item of the catalogue.
#[derive(Model)]
struct Item {
    id: u32,
    name: String,
}

/// Looks up an item by the id in its path; only items 1 to 3 exist.
#[webhook(path = "/items/{id}", methods = ["GET", "HEAD"])]
fn item(id: u32) -> Result<Item, HttpError> {
    match id {
        1..=3 => Ok(Item {
            id,
            name: format!("item {id}"),
        }),
        _ => Err(HttpError::new(404, "item not found")),
    }
}

/// Returns status 201 with a custom header.
#[webhook]
fn status() -> Response {
    Response::json(&json!({ "created": true }))
        .status(201)
        .header("x-fnhost-example", "yes")
}

/// Always fails with 404 `item not found`.
#[webhook]
fn fail() -> Result<Value, HttpError> {
    Err(HttpError::new(404, "item not found"))
}

/// Returns plain text.
#[webhook]
fn text() -> Text {
    Text("plain text".to_string())
}

/// Returns JSON `null`, as every function returning `()` does.
#[webhook(methods = ["GET", "POST"])]
fn nothing() {}

fnhost_sdk::export!();
