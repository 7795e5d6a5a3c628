use fnhost_sdk::webhook;

struct S;

impl S {
    #[webhook]
    fn f(&self) {}
}

fn main() {}
