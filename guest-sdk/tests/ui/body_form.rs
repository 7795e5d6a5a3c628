use fnhost_sdk::{Form, webhook};

#[webhook(method = "POST")]
fn f(#[param(body)] name: Form<String>) -> String {
    name.0
}

fn main() {}
