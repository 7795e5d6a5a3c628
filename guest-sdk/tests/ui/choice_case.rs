use fnhost_sdk::Choice;

#[derive(Choice)]
#[choice(rename_all = "Title Case")]
enum Color {
    Red,
}

fn main() {}
