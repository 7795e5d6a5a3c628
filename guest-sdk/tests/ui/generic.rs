use fnhost_sdk::webhook;

#[webhook]
fn f<T: Default>(x: i64) -> i64 {
    x
}

fn main() {}
