use fnhost_sdk::webhook;

#[webhook(path = "/items/{id}")]
fn f(#[param(query)] id: u32) -> u32 {
    id
}

fn main() {}
