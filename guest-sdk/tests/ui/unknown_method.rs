use fnhost_sdk::webhook;

#[webhook(method = "FETCH")]
fn f() {}

fn main() {}
