use fnhost_sdk::Model;

#[derive(Model)]
struct Pair(i64, i64);

fn main() {}
