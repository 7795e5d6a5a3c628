//! The benchmarks' HTTP app: every request gets `Hello, world!` as plain text, the
//! same body as the raw axum server and the `bench-hello` function app.

use wstd::http::body::Body;
use wstd::http::{Error, Request, Response};

#[wstd::http_server]
async fn main(_request: Request<Body>) -> Result<Response<Body>, Error> {
    Ok(Response::builder()
        .header("content-type", "text/plain; charset=utf-8")
        .body(Body::from("Hello, world!"))
        .expect("static headers are valid"))
}
