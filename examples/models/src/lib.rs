//! Nested models, defaults, bounds, string enums, several body parameters,
//! headers, cookies, typed path parameters and the raw request.

use fnhost_sdk::{Choice, HttpError, Model, Request, webhook};
use serde_json::{Value, json};

/// The department an item belongs to.
#[derive(Choice, Clone, Copy, Debug, PartialEq)]
enum Category {
    Tools,
    Toys,
    #[choice(rename = "food-and-drink")]
    FoodAndDrink,
}

/// A picture of an item.
#[derive(Model)]
struct Image {
    #[field(min_length = 1)]
    url: String,
    #[field(default = "")]
    name: String,
}

/// An item for sale.
#[derive(Model)]
struct Item {
    #[field(min_length = 1, max_length = 50)]
    name: String,
    description: Option<String>,
    #[field(ge = 0.0)]
    price: f64,
    #[field(default = 1, ge = 1, le = 100)]
    quantity: u32,
    #[field(default = "tools")]
    category: Category,
    #[field(default = [])]
    tags: Vec<String>,
    image: Option<Image>,
}

/// Someone who buys.
#[derive(Model)]
struct User {
    #[field(min_length = 3, max_length = 20)]
    username: String,
    full_name: Option<String>,
}

/// Creates an item from the JSON body and echoes it with defaults filled in.
#[webhook(method = "POST")]
fn create_item(item: Item) -> Item {
    item
}

/// Reads an item wrapped in the body's `item` member, as `{"item": {...}}`.
#[webhook(method = "POST")]
fn wrapped_item(#[param(body)] item: Item) -> Item {
    item
}

/// Places an order from three body members: `item`, `user` and `importance`.
#[webhook(method = "POST")]
fn order(item: Item, user: User, #[param(body, ge = 1, le = 5)] importance: u8) -> Value {
    let total = item.price * f64::from(item.quantity);
    json!({ "item": item, "user": user, "importance": importance, "total": total })
}

/// Looks up an item by its numeric id in the path; ids above 1000 do not exist.
#[webhook(path = "/items/{item_id}")]
fn read_item(
    #[param(ge = 1)] item_id: u32,
    #[param(default = false)] details: bool,
) -> Result<Value, HttpError> {
    if item_id > 1000 {
        return Err(HttpError::new(404, format!("item {item_id} not found")));
    }
    Ok(json!({ "item_id": item_id, "details": details }))
}

/// Lists a category named in the path, such as `/categories/toys`.
#[webhook(path = "/categories/{category}")]
fn category(category: Category) -> Value {
    let aisle = match category {
        Category::Tools => 1,
        Category::Toys => 2,
        Category::FoodAndDrink => 3,
    };
    json!({ "category": category, "aisle": aisle })
}

/// Searches items: `q` is the text, `limit` is bounded, `category` narrows.
#[webhook]
fn search(
    #[param(alias = "q", min_length = 2, max_length = 20)] text: String,
    #[param(default = 10, ge = 1, le = 100)] limit: u32,
    category: Option<Category>,
) -> Value {
    json!({ "q": text, "limit": limit, "category": category })
}

/// Reads headers and cookies: `User-Agent`, `X-Token`, repeated `X-Tag`
/// headers, and the `session` and `theme` cookies.
#[webhook]
fn client(
    #[param(header)] user_agent: Option<String>,
    #[param(header, alias = "x-token", min_length = 3)] token: String,
    #[param(header, default = [])] x_tag: Vec<String>,
    #[param(cookie)] session: Option<String>,
    #[param(cookie, default = "light")] theme: String,
) -> Value {
    json!({
        "user_agent": user_agent,
        "token": token,
        "x_tag": x_tag,
        "session": session,
        "theme": theme,
    })
}

/// Describes the raw request: method, path, query pairs, user agent and body
/// size. The `Request` parameter is not a user input, so `describe` omits it.
#[webhook(methods = ["GET", "POST"])]
fn inspect(request: Request) -> Value {
    let query: Vec<(String, String)> = request
        .query_pairs()
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect();
    json!({
        "method": request.method,
        "path": request.path,
        "query": query,
        "user_agent": request.header("user-agent"),
        "body_size": request.body.len(),
    })
}

fnhost_sdk::export!();
