use fnhost_sdk::webhook;

#[webhook]
struct NotAFunction;

fn main() {}
