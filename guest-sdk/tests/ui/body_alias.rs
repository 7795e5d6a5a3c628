use fnhost_sdk::webhook;

#[webhook(method = "POST")]
fn f(#[param(body, alias = "n")] number: i64) -> i64 {
    number
}

fn main() {}
