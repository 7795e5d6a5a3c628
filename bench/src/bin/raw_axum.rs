//! The ceiling of the benchmarks: `GET /hello` answers `Hello, world!` as plain
//! text from plain axum on tokio's multi-threaded runtime, the same body and
//! content type as the `bench-hello` and `http-hello` guests.
//!
//! Usage: `fnhost-bench-axum ADDR`; prints `listening on http://ADDR` once it
//! accepts connections.

use std::io::Write as _;

use anyhow::Context as _;
use axum::Router;
use axum::routing::get;
use http::header::CONTENT_TYPE;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let addr = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:8081".to_owned());
    let listener = tokio::net::TcpListener::bind(&addr).await.with_context(|| format!("failed to listen on `{addr}`"))?;
    let router = Router::new().route("/hello", get(|| async { ([(CONTENT_TYPE, "text/plain; charset=utf-8")], "Hello, world!") }));
    let mut out = std::io::stdout().lock();
    writeln!(out, "listening on http://{}", listener.local_addr()?)?;
    out.flush()?;
    drop(out);
    axum::serve(listener, router).await.context("server failed")
}
