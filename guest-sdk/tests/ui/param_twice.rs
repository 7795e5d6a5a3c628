use fnhost_sdk::webhook;

#[webhook]
fn f(#[param(ge = 1, ge = 2)] x: i64) -> i64 {
    x
}

fn main() {}
