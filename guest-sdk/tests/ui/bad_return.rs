use fnhost_sdk::webhook;

struct Opaque;

#[webhook]
fn f() -> Opaque {
    Opaque
}

fn main() {}
