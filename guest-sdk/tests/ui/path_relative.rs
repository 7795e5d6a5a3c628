use fnhost_sdk::webhook;

#[webhook(path = "items")]
fn f() {}

fn main() {}
