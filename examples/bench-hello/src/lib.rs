//! The benchmarks' function app: `GET /bench_hello/hello` answers `Hello, world!`,
//! the same body as the raw axum server and the `http-hello` HTTP app, so that all
//! three do the same work.

use fnhost_sdk::{Text, webhook};

/// Answers `Hello, world!` as plain text.
#[webhook]
fn hello() -> Text {
    Text("Hello, world!".to_owned())
}

fnhost_sdk::export!();
