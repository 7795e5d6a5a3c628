use fnhost_sdk::Model;

#[derive(Model)]
struct Item {
    #[field(header)]
    name: String,
}

fn main() {}
