//! The guest half of the FastAPI comparison: `tests/compat/app.py` declares the
//! same endpoints with FastAPI, and `tests/tests/compat.rs` sends one corpus of
//! requests to both. Each endpoint echoes what it received, so that a difference
//! in coercion shows up in the response body as well as in the status.
//!
//! Keep each signature in step with its twin in `app.py`: same path, method,
//! parameter names, types, defaults and bounds.

use fnhost_sdk::{Choice, Form, Model, UploadFile, webhook};
use serde_json::{Value, json};

/// Echoes a typed integer from the path and a flag from the query.
#[webhook(path = "/items/{id}")]
fn item(id: u32, #[param(default = false)] full: bool) -> Value {
    json!({ "id": id, "full": full })
}

/// Echoes a string from the path.
#[webhook(path = "/names/{name}")]
fn name(name: String) -> Value {
    json!({ "name": name })
}

/// Echoes one query parameter of each scalar kind.
#[webhook]
fn scalars(n: i64, small: u8, ratio: f64, flag: bool, name: String) -> Value {
    json!({ "n": n, "small": small, "ratio": ratio, "flag": flag, "name": name })
}

/// Echoes integers of other widths, whose ranges bound the accepted values.
#[webhook]
fn widths(tiny: i8, mid: i32, wide: u64) -> Value {
    json!({ "tiny": tiny, "mid": mid, "wide": wide })
}

/// Echoes optional query parameters and one with a default.
#[webhook]
fn optional(maybe: Option<i64>, label: Option<String>, #[param(default = 10)] limit: i64) -> Value {
    json!({ "maybe": maybe, "label": label, "limit": limit })
}

/// Echoes lists given by repeating a query key.
#[webhook]
fn lists(ids: Vec<i64>, tags: Vec<String>, scores: Option<Vec<f64>>) -> Value {
    json!({ "ids": ids, "tags": tags, "scores": scores })
}

/// Echoes a list whose item count is bounded.
#[webhook]
fn list_bounds(#[param(min_length = 1, max_length = 3)] codes: Vec<String>) -> Value {
    json!({ "codes": codes })
}

/// Echoes query parameters with bounds on their value or length.
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

/// Echoes an order read from the JSON body.
#[webhook(method = "POST")]
fn order(order: Order) -> Order {
    order
}

/// A member of a team.
#[derive(Model)]
struct Person {
    #[field(min_length = 1)]
    name: String,
    #[field(ge = 0, le = 150)]
    age: u8,
}

/// A team: a model holding models, a list of them and an optional one.
#[derive(Model)]
struct Team {
    name: String,
    lead: Person,
    members: Vec<Person>,
    deputy: Option<Person>,
}

/// Echoes a team of nested models.
#[webhook(method = "POST")]
fn team(team: Team) -> Team {
    team
}

/// A measurement with one field of each scalar kind, read from JSON.
#[derive(Model)]
struct Measure {
    value: f64,
    ok: bool,
    count: u8,
    label: String,
}

/// Echoes scalars read from a JSON body rather than from the query.
#[webhook(method = "POST")]
fn measure(measure: Measure) -> Measure {
    measure
}

/// Echoes any JSON body.
#[webhook(method = "POST")]
fn any(body: Value) -> Value {
    body
}

/// Echoes two models, each read from the body's member of its name.
#[webhook(method = "POST")]
fn pair(order: Order, person: Person) -> Value {
    json!({ "order": order, "person": person })
}

/// Echoes a path, a query and a body parameter together.
#[webhook(path = "/orders/{id}", method = "PUT")]
fn update(id: i32, notify: Option<bool>, order: Order) -> Value {
    json!({ "id": id, "notify": notify, "order": order })
}

/// Echoes form fields read one by one.
#[webhook(method = "POST")]
fn form_fields(
    username: Form<String>,
    password: Form<String>,
    #[param(default = false)] remember: Form<bool>,
    #[param(default = 1, ge = 1)] count: Form<i64>,
) -> Value {
    json!({ "username": username.0, "password": password.0, "remember": remember.0, "count": count.0 })
}

/// Credentials sent as a form.
#[derive(Model)]
struct Login {
    username: String,
    password: String,
    #[field(default = false)]
    remember: bool,
}

/// Echoes a form read into a model.
#[webhook(method = "POST")]
fn form_model(login: Form<Login>) -> Login {
    login.into_inner()
}

/// Echoes query parameters read under names other than their own.
#[webhook]
fn aliases(
    #[param(alias = "q", max_length = 5)] search: Option<String>,
    #[param(alias = "page-size", default = 10)] page_size: u8,
) -> Value {
    json!({ "search": search, "page_size": page_size })
}

/// Echoes request headers: `x_token` reads `x-token`, as FastAPI converts `_`.
#[webhook]
fn headers(
    #[param(header)] x_token: String,
    #[param(header)] x_count: Option<u8>,
    #[param(header, alias = "x-request-tag")] tag: Option<String>,
    #[param(header, default = [])] x_item: Vec<String>,
) -> Value {
    json!({ "x_token": x_token, "x_count": x_count, "tag": tag, "x_item": x_item })
}

/// Echoes cookies.
#[webhook]
fn cookies(
    #[param(cookie)] session: String,
    #[param(cookie, default = "light")] theme: String,
    #[param(cookie)] visits: Option<u32>,
) -> Value {
    json!({ "session": session, "theme": theme, "visits": visits })
}

/// A colour: variants are snake case strings, one renamed.
#[derive(Choice, Clone, Copy, Debug, PartialEq)]
enum Color {
    Red,
    DarkGreen,
    #[choice(rename = "sky")]
    Blue,
}

/// Echoes colours from the query: one, an optional one and a list.
#[webhook]
fn paint(color: Color, accent: Option<Color>, #[param(default = [])] extra: Vec<Color>) -> Value {
    json!({ "color": color, "accent": accent, "extra": extra })
}

/// A brush of one colour, read from JSON.
#[derive(Model)]
struct Brush {
    color: Color,
    #[field(default = 1)]
    size: u8,
}

/// Echoes a model with a colour field.
#[webhook(method = "POST")]
fn brush(brush: Brush) -> Brush {
    brush
}

/// Echoes a lone body parameter that is the body's member of its name.
#[webhook(method = "POST")]
fn embedded(#[param(body, ge = 1, le = 5)] n: u8) -> Value {
    json!({ "n": n })
}

/// Returns the name, content type and size of an uploaded file.
fn describe(file: &UploadFile) -> Value {
    json!({ "filename": file.filename, "content_type": file.content_type, "size": file.size() })
}

/// Describes an uploaded file, an optional one and a form field beside them.
#[webhook(method = "POST")]
fn upload(
    file: UploadFile,
    extra: Option<UploadFile>,
    #[param(form)] note: Option<String>,
) -> Value {
    json!({ "file": describe(&file), "extra": extra.as_ref().map(describe), "note": note })
}

/// Describes every file of the form field `files`.
#[webhook(method = "POST")]
fn uploads(files: Vec<UploadFile>) -> Value {
    json!({ "files": files.iter().map(describe).collect::<Vec<_>>() })
}

fnhost_sdk::export!();
