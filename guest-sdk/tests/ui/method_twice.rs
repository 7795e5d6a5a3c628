use fnhost_sdk::webhook;

#[webhook(method = "GET", methods = ["POST"])]
fn f() {}

fn main() {}
