use fnhost_sdk::webhook;

#[webhook(path = "/items/{id}")]
fn f(item: u32) -> u32 {
    item
}

fn main() {}
