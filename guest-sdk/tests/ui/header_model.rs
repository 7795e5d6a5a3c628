use fnhost_sdk::{Model, webhook};

#[derive(Model)]
struct Item {
    name: String,
}

#[webhook]
fn f(#[param(header)] item: Item) -> Item {
    item
}

fn main() {}
