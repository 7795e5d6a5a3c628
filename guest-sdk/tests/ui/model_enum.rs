use fnhost_sdk::Model;

#[derive(Model)]
enum Choice {
    A,
}

fn main() {}
