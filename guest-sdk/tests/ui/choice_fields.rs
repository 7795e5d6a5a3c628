use fnhost_sdk::Choice;

#[derive(Choice)]
enum Shape {
    Dot,
    Circle(f64),
}

fn main() {}
