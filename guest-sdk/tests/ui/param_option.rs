use fnhost_sdk::webhook;

#[webhook]
fn f(#[param(gt = 1)] x: i64) -> i64 {
    x
}

fn main() {}
