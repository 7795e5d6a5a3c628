use fnhost_sdk::Choice;

#[derive(Choice)]
enum Color {
    Red,
    #[choice(rename = "red")]
    Crimson,
}

fn main() {}
