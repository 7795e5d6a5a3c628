use fnhost_sdk::webhook;

#[webhook]
fn f(wait: std::time::Duration) -> u64 {
    wait.as_secs()
}

fn main() {}
