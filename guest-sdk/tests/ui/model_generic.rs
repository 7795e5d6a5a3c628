use fnhost_sdk::Model;

#[derive(Model)]
struct Boxed<T> {
    value: T,
}

fn main() {}
