use fnhost_sdk::webhook;

#[webhook]
fn f(#[param(header, cookie)] token: String) -> String {
    token
}

fn main() {}
