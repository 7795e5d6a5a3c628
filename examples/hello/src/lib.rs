//! The smallest fnhost app: a GET endpoint, a JSON body and an HTML page.

use fnhost_sdk::{Html, Model, webhook};

/// The largest `x` whose square fits in an `i64`.
const MAX_ROOT: i64 = 3_037_000_499;

/// A number to square.
#[derive(Model)]
struct Number {
    #[field(ge = -MAX_ROOT, le = MAX_ROOT)]
    x: i64,
}

/// The square of a number.
#[derive(Model)]
struct Square {
    square: i64,
}

/// Someone to greet.
#[derive(Model)]
struct Person {
    name: String,
}

/// Squares the query parameter `x`.
#[webhook]
fn square(#[param(ge = -MAX_ROOT, le = MAX_ROOT)] x: i64) -> Square {
    Square { square: x * x }
}

/// Squares the `x` of a JSON body.
#[webhook(method = "POST")]
fn square_body(number: Number) -> Square {
    square(number.x)
}

/// Greets a person with an HTML page.
#[webhook(method = "POST")]
fn greet(person: Person) -> Html {
    Html(format!("<html>Hello, {}!</html>", person.name))
}

fnhost_sdk::export!();
