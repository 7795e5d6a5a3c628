//! A whole HTTP app that streams bodies, to check that large uploads and downloads
//! pass through a host without being held in memory.
//!
//! Routes:
//! - `POST /echo`: sends the request body back, one chunk at a time, as it arrives;
//! - `GET /bytes?n=N`: sends `N` bytes made in chunks of 64 KiB, with
//!   `Content-Length: N`;
//! - anything else: 404.

use futures_lite::stream;
use wstd::http::body::{Body, Bytes};
use wstd::http::{Error, Method, Request, Response, StatusCode};

/// Size of each generated chunk: the same as the frames wstd reads, so memory use
/// stays small on both sides.
const CHUNK: usize = 64 * 1024;

/// The bytes `GET /bytes` repeats: printable, so a truncated body is easy to read.
static PATTERN: [u8; CHUNK] = {
    let mut pattern = [0u8; CHUNK];
    let mut index = 0;
    while index < CHUNK {
        pattern[index] = b"0123456789abcdef"[index % 16];
        index += 1;
    }
    pattern
};

#[wstd::http_server]
async fn main(request: Request<Body>) -> Result<Response<Body>, Error> {
    match (request.method(), request.uri().path()) {
        (&Method::POST, "/echo") => Ok(echo(request)),
        (&Method::GET, "/bytes") => Ok(bytes(&request)),
        _ => Ok(answer(StatusCode::NOT_FOUND, format!("no route for `{}`\n", request.uri().path()))),
    }
}

fn echo(request: Request<Body>) -> Response<Body> {
    // Forward the incoming body frame by frame: each chunk is written out before
    // the next one is read, so the app keeps at most one in memory.
    let incoming = request.into_body().into_boxed_body();
    Response::builder()
        .header("content-type", "application/octet-stream")
        .body(Body::from_http_body(incoming))
        .expect("static headers are valid")
}

fn bytes(request: &Request<Body>) -> Response<Body> {
    let query = request.uri().query().unwrap_or("");
    let n = query.split('&').find_map(|pair| pair.strip_prefix("n="));
    let Some(total) = n.and_then(|n| n.parse::<u64>().ok()) else {
        return answer(StatusCode::BAD_REQUEST, format!("`n` must be a byte count, got `{}`\n", n.unwrap_or("")));
    };
    let chunks = stream::unfold(total, |left| async move {
        if left == 0 {
            return None;
        }
        let size = left.min(CHUNK as u64);
        Some((Bytes::from_static(&PATTERN[..size as usize]), left - size))
    });
    Response::builder()
        .header("content-type", "application/octet-stream")
        .header("content-length", total)
        .body(Body::from_stream(chunks))
        .expect("static headers are valid")
}

fn answer(status: StatusCode, text: String) -> Response<Body> {
    Response::builder()
        .status(status)
        .header("content-type", "text/plain; charset=utf-8")
        .body(Body::from(text))
        .expect("static headers are valid")
}
