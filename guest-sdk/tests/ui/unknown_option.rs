use fnhost_sdk::webhook;

#[webhook(verb = "GET")]
fn f() {}

fn main() {}
