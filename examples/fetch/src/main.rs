//! Fetches the URL given as `?url=...` with an outbound `wasi:http` request and
//! returns what came back: `200` with the upstream status and body, or `502` with
//! the error when the host denied or failed the request.

use wstd::http::body::Body;
use wstd::http::{Client, Error, Request, Response, StatusCode};

#[wstd::http_server]
async fn main(request: Request<Body>) -> Result<Response<Body>, Error> {
    let query = request.uri().query().unwrap_or_default();
    let Some(url) = query.strip_prefix("url=") else {
        return Ok(text(StatusCode::BAD_REQUEST, "pass the address as `?url=http://HOST:PORT/PATH`\n".to_owned()));
    };

    let outbound = Request::get(url).body(Body::empty()).map_err(Error::from)?;
    match Client::new().send(outbound).await {
        Ok(mut response) => {
            let status = response.status().as_u16();
            let body = response.body_mut().str_contents().await.map(str::to_owned).unwrap_or_default();
            Ok(text(StatusCode::OK, format!("upstream {status}: {body}")))
        }
        Err(error) => Ok(text(StatusCode::BAD_GATEWAY, format!("outbound request failed: {error:?}\n"))),
    }
}

fn text(status: StatusCode, body: String) -> Response<Body> {
    Response::builder()
        .status(status)
        .header("content-type", "text/plain; charset=utf-8")
        .body(Body::from(body))
        .expect("static headers are valid")
}
