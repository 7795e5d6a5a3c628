use fnhost_sdk::webhook;

#[webhook]
async fn f() {}

fn main() {}
