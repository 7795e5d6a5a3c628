use fnhost_sdk::Model;

#[derive(Model)]
struct Order {
    #[field(min = 1)]
    qty: i64,
}

fn main() {}
