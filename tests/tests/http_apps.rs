//! Whole HTTP apps end to end: components exporting `wasi:http/incoming-handler`,
//! written with axum (Rust), componentize-py and componentize-js, served by a host
//! running in this process, and compared with `wasmtime serve` when it is installed.

use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

use fnhost::HostConfig;
use fnhost_tests::http_apps::{WasmtimeServe, client_for_host_names, peak_rss, start_http_apps};
use fnhost_tests::{HostProcess, TestHost, axum_app, js_app, python_app, stream_app, test_config, wasmtime_cli};
use futures::StreamExt as _;
use serde_json::{Value, json};
use tokio::sync::RwLock;

/// The streaming tests measure the peak memory of the whole test process, so they
/// run alone: they take this lock for writing, every other test for reading.
static MEMORY_TURN: RwLock<()> = RwLock::const_new(());

/// Bytes sent each way by the streaming tests.
const STREAM_BYTES: u64 = 1 << 30;

/// Allowed growth of the process's peak resident memory during one 1 GiB transfer.
const MEMORY_BUDGET: u64 = 256 << 20;

async fn start_shop() -> TestHost {
    start_http_apps(test_config(), &[("shop", &axum_app())]).await
}

fn addr_of(host: &TestHost) -> SocketAddr {
    host.base.trim_start_matches("http://").parse().expect("base is http://ADDR")
}

/// Sends `GET url` and returns status, content type and body.
async fn get(client: &reqwest::Client, url: &str) -> (u16, String, String) {
    let response = client.get(url).send().await.unwrap_or_else(|error| panic!("GET `{url}` failed: {error}"));
    let status = response.status().as_u16();
    let content_type =
        response.headers().get("content-type").map(|value| value.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, content_type, response.text().await.expect("body is text"))
}

fn parse(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|error| panic!("invalid JSON body `{body}`: {error}"))
}

#[tokio::test]
async fn axum_routes_respond_under_prefix() {
    let _turn = MEMORY_TURN.read().await;
    let host = start_shop().await;

    let (status, content_type, body) = get(&host.client, &host.url("/shop/")).await;
    assert_eq!((status, content_type.as_str()), (200, "text/html; charset=utf-8"));
    assert!(body.contains("<h1>shop</h1>"), "unexpected page `{body}`");

    let (status, content_type, body) = get(&host.client, &host.url("/shop/items/7")).await;
    assert_eq!((status, content_type.as_str()), (200, "application/json"));
    assert_eq!(parse(&body), json!({"id": 7, "name": "item 7", "price_cents": 700}));

    let (status, _, body) = get(&host.client, &host.url("/shop/items/5000")).await;
    assert_eq!(status, 404);
    assert_eq!(parse(&body), json!({"error": "no item `5000`"}));

    let (status, _, body) = get(&host.client, &host.url("/shop/items/abc")).await;
    assert_eq!(status, 400, "axum rejects a non-numeric path parameter: `{body}`");

    let (status, _, body) = get(&host.client, &host.url("/shop/nowhere")).await;
    assert_eq!(status, 404);
    assert_eq!(parse(&body), json!({"error": "no route for `/nowhere`"}));
    host.stop().await;
}

#[tokio::test]
async fn axum_post_creates_with_201() {
    let _turn = MEMORY_TURN.read().await;
    let host = start_shop().await;

    let response = host
        .client
        .post(host.url("/shop/items"))
        .json(&json!({"name": "pen", "price_cents": 250}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    assert_eq!(response.headers()["location"], "items/1000");
    assert_eq!(response.json::<Value>().await.unwrap(), json!({"id": 1000, "name": "pen", "price_cents": 250}));

    // axum rejects JSON of the wrong shape with 422, and a body without a JSON content
    // type with 415.
    let response = host.client.post(host.url("/shop/items")).json(&json!({"name": "pen"})).send().await.unwrap();
    assert_eq!(response.status(), 422);
    let response = host.client.post(host.url("/shop/items")).body("name=pen").send().await.unwrap();
    assert_eq!(response.status(), 415);
    host.stop().await;
}

#[tokio::test]
async fn prefix_is_stripped_and_forwarded() {
    let _turn = MEMORY_TURN.read().await;
    let host = start_shop().await;

    // A client's own `X-Forwarded-Prefix` is replaced by the host's.
    let response =
        host.client.get(host.url("/shop/request?x=1&y=2")).header("x-forwarded-prefix", "/other").send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({
            "method": "GET",
            "path": "/request",
            "query": "x=1&y=2",
            "host": addr_of(&host).to_string(),
            "forwarded_prefix": "/shop",
        })
    );
    host.stop().await;
}

#[tokio::test]
async fn host_name_reaches_app_unprefixed() {
    let _turn = MEMORY_TURN.read().await;
    let host = start_shop().await;
    let addr = addr_of(&host);
    let client = client_for_host_names(&["shop"], addr);
    let base = format!("http://shop.localhost:{}", addr.port());

    let (status, _, body) = get(&client, &format!("{base}/request")).await;
    assert_eq!(status, 200);
    assert_eq!(
        parse(&body),
        json!({
            "method": "GET",
            "path": "/request",
            "query": null,
            "host": format!("shop.localhost:{}", addr.port()),
            "forwarded_prefix": null,
        })
    );
    let (status, _, body) = get(&client, &format!("{base}/items/3")).await;
    assert_eq!((status, parse(&body)["name"].clone()), (200, json!("item 3")));
    let (status, content_type, _) = get(&client, &format!("{base}/")).await;
    assert_eq!((status, content_type.as_str()), (200, "text/html; charset=utf-8"));
    host.stop().await;
}

#[tokio::test]
async fn guest_trap_gives_500_then_serves() {
    let _turn = MEMORY_TURN.read().await;
    let host = start_shop().await;

    for _ in 0..3 {
        let (status, _, body) = get(&host.client, &host.url("/shop/panic")).await;
        assert_eq!(status, 500);
        assert!(
            parse(&body)["detail"].as_str().is_some_and(|detail| detail.contains("trapped")),
            "unexpected `{body}`"
        );

        let (status, _, body) = get(&host.client, &host.url("/shop/items/1")).await;
        assert_eq!((status, parse(&body)["id"].clone()), (200, json!(1)));
    }
    host.stop().await;
}

#[tokio::test]
async fn endless_handler_times_out_while_others_succeed() {
    let _turn = MEMORY_TURN.read().await;
    let config = HostConfig { timeout: Duration::from_secs(2), ..test_config() };
    let host = start_http_apps(config, &[("shop", &axum_app())]).await;

    let spin_url = host.url("/shop/spin");
    let spin = get(&host.client, &spin_url);
    let other = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        get(&host.client, &host.url("/shop/items/2")).await
    };
    let ((spin_status, _, spin_body), (other_status, _, _)) = tokio::join!(spin, other);

    assert_eq!(spin_status, 504);
    assert_eq!(parse(&spin_body)["detail"], "app `shop` timed out after 2s");
    assert_eq!(other_status, 200, "another request was served while the guest spun");
    host.stop().await;
}

/// Checks the routes that the Python and the JavaScript app share, served as `app`.
async fn check_script_app(host: &TestHost, app: &str, language: &str) {
    let (status, content_type, body) = get(&host.client, &host.url(&format!("/{app}/"))).await;
    assert_eq!((status, content_type.as_str()), (200, "text/plain; charset=utf-8"));
    assert_eq!(body, format!("hello from {language}\n"));

    let (status, content_type, body) = get(&host.client, &host.url(&format!("/{app}/hello?name=Ada"))).await;
    assert_eq!((status, content_type.as_str()), (200, "application/json"));
    assert_eq!(parse(&body), json!({"message": "Hello, Ada!", "language": language}));

    let response = host.client.post(host.url(&format!("/{app}/json"))).body(r#"{"a": [1, 2]}"#).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>().await.unwrap(), json!({"received": {"a": [1, 2]}, "length": 13}));

    let response = host.client.post(host.url(&format!("/{app}/json"))).body("{").send().await.unwrap();
    assert_eq!(response.status(), 400);

    let (status, _, body) = get(&host.client, &host.url(&format!("/{app}/request?q=1"))).await;
    assert_eq!(status, 200);
    assert_eq!(parse(&body), json!({"path": "/request", "query": "q=1", "forwarded_prefix": format!("/{app}")}));

    let (status, _, body) = get(&host.client, &host.url(&format!("/{app}/missing"))).await;
    assert_eq!(status, 404);
    assert_eq!(parse(&body), json!({"error": "no route for `/missing`"}));

    let addr = addr_of(host);
    let client = client_for_host_names(&[app], addr);
    let (status, _, body) = get(&client, &format!("http://{app}.localhost:{}/request", addr.port())).await;
    assert_eq!(status, 200);
    assert_eq!(parse(&body), json!({"path": "/request", "query": null, "forwarded_prefix": null}));
}

#[tokio::test]
async fn python_app_answers_through_host() {
    let _turn = MEMORY_TURN.read().await;
    let wasm = python_app();
    let host = start_http_apps(test_config(), &[("py", &wasm)]).await;

    check_script_app(&host, "py", "python").await;
    host.stop().await;
}

#[tokio::test]
async fn javascript_app_answers_through_host() {
    let _turn = MEMORY_TURN.read().await;
    let wasm = js_app();
    // A fresh instance per request, as `wasmtime serve` does, so that these checks
    // do not depend on whether the engine takes a second request (the next test).
    let config = HostConfig { fresh_instance_per_request: true, ..test_config() };
    let host = start_http_apps(config, &[("js", &wasm)]).await;

    check_script_app(&host, "js", "javascript").await;
    host.stop().await;
}

#[tokio::test]
async fn javascript_app_serves_repeated_requests() {
    let _turn = MEMORY_TURN.read().await;
    let wasm = js_app();
    let mut host = start_http_apps(test_config(), &[("js", &wasm)]).await;
    // A request that hangs fails the test quickly instead of after the host's limit.
    host.client = reqwest::Client::builder().no_proxy().timeout(Duration::from_secs(10)).build().unwrap();

    for round in 0..3 {
        let (status, _, body) = get(&host.client, &host.url("/js/hello?name=Ada")).await;
        assert_eq!(status, 200, "request {round} on a warm instance failed: `{body}`");
        assert_eq!(parse(&body)["message"], "Hello, Ada!");
    }
    host.stop().await;
}

#[tokio::test]
async fn stream_app_rejects_bad_requests() {
    let _turn = MEMORY_TURN.read().await;
    let host = start_http_apps(test_config(), &[("stream", &stream_app())]).await;

    let (status, _, body) = get(&host.client, &host.url("/stream/bytes?n=lots")).await;
    assert_eq!((status, body.as_str()), (400, "`n` must be a byte count, got `lots`\n"));
    let (status, _, _) = get(&host.client, &host.url("/stream/echo")).await;
    assert_eq!(status, 404, "`/echo` takes only POST");
    let (status, _, body) = get(&host.client, &host.url("/stream/bytes?n=100000")).await;
    assert_eq!((status, body.len()), (200, 100_000));
    host.stop().await;
}

/// Bytes of the uploaded body, repeated: 251 is prime, so a chunk that arrives
/// shifted or twice does not match by chance.
static UPLOAD: [u8; 65536] = {
    let mut pattern = [0u8; 65536];
    let mut index = 0;
    while index < pattern.len() {
        pattern[index] = (index % 251) as u8;
        index += 1;
    }
    pattern
};

/// Checks that `chunk`, found at `offset` of a body, continues the endless
/// repetition of `pattern`.
fn continues_pattern(pattern: &[u8], offset: u64, chunk: &[u8]) -> bool {
    let mut at = (offset % pattern.len() as u64) as usize;
    let mut rest = chunk;
    while !rest.is_empty() {
        let take = rest.len().min(pattern.len() - at);
        if rest[..take] != pattern[at..at + take] {
            return false;
        }
        rest = &rest[take..];
        at = 0;
    }
    true
}

/// Returns host settings for the streaming tests, without a body size limit.
fn streaming_config() -> HostConfig {
    HostConfig { max_body_size: usize::MAX, ..test_config() }
}

/// Reads `response`'s body as it arrives, checking each chunk against `pattern`,
/// and returns the byte count.
async fn count_streamed(response: reqwest::Response, pattern: &[u8]) -> u64 {
    let mut received = 0u64;
    let mut body = response.bytes_stream();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.expect("body streams without error");
        assert!(continues_pattern(pattern, received, &chunk), "wrong bytes at offset {received}");
        received += chunk.len() as u64;
    }
    received
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_of_gibibyte_streams_back() {
    let _alone = MEMORY_TURN.write().await;
    let host = start_http_apps(streaming_config(), &[("stream", &stream_app())]).await;
    let small = host.client.post(host.url("/stream/echo")).body("warm").send().await.unwrap();
    assert_eq!(small.text().await.unwrap(), "warm");
    let before = peak_rss();
    let started = Instant::now();

    let chunks = STREAM_BYTES / UPLOAD.len() as u64;
    let body = futures::stream::iter((0..chunks).map(|_| Ok::<_, std::io::Error>(&UPLOAD[..])));
    let response =
        host.client.post(host.url("/stream/echo")).body(reqwest::Body::wrap_stream(body)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let received = count_streamed(response, &UPLOAD).await;

    let elapsed = started.elapsed();
    let growth = peak_rss().saturating_sub(before);
    eprintln!(
        "echoed {received} bytes in {:.1} s ({:.0} MiB/s); peak memory grew by {} MiB",
        elapsed.as_secs_f64(),
        received as f64 / (1 << 20) as f64 / elapsed.as_secs_f64(),
        growth >> 20
    );
    assert_eq!(received, STREAM_BYTES);
    assert!(growth < MEMORY_BUDGET, "peak memory grew by {} MiB while echoing", growth >> 20);
    host.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn download_of_gibibyte_is_streamed() {
    let _alone = MEMORY_TURN.write().await;
    let host = start_http_apps(streaming_config(), &[("stream", &stream_app())]).await;
    let (status, _, body) = get(&host.client, &host.url("/stream/bytes?n=16")).await;
    assert_eq!((status, body.as_str()), (200, "0123456789abcdef"));
    let before = peak_rss();
    let started = Instant::now();

    let response = host.client.get(host.url(&format!("/stream/bytes?n={STREAM_BYTES}"))).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.content_length(), Some(STREAM_BYTES));
    let received = count_streamed(response, b"0123456789abcdef").await;

    let elapsed = started.elapsed();
    let growth = peak_rss().saturating_sub(before);
    eprintln!(
        "downloaded {received} bytes in {:.1} s ({:.0} MiB/s); peak memory grew by {} MiB",
        elapsed.as_secs_f64(),
        received as f64 / (1 << 20) as f64 / elapsed.as_secs_f64(),
        growth >> 20
    );
    assert_eq!(received, STREAM_BYTES);
    assert!(growth < MEMORY_BUDGET, "peak memory grew by {} MiB while downloading", growth >> 20);
    host.stop().await;
}

/// A request whose response must not depend on the server that runs the app.
struct Probe {
    method: &'static str,
    path: &'static str,
    body: Option<&'static str>,
}

const fn probe(method: &'static str, path: &'static str, body: Option<&'static str>) -> Probe {
    Probe { method, path, body }
}

/// Sends `probe` to `base` and returns status, content type and body.
async fn answer(client: &reqwest::Client, base: &str, probe: &Probe) -> (u16, String, String) {
    let method = reqwest::Method::from_bytes(probe.method.as_bytes()).expect("valid method");
    let mut request = client.request(method, format!("{base}{}", probe.path));
    if let Some(body) = probe.body {
        request = request.header("content-type", "application/json").body(body);
    }
    let response = request.send().await.unwrap_or_else(|error| panic!("request `{}` failed: {error}", probe.path));
    let status = response.status().as_u16();
    let content_type =
        response.headers().get("content-type").map(|value| value.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, content_type, response.text().await.expect("body is text"))
}

#[tokio::test]
async fn wasmtime_serve_gives_same_answers() {
    let _turn = MEMORY_TURN.read().await;
    let Some(wasmtime) = wasmtime_cli() else {
        eprintln!("note: `wasmtime` is not installed, so fnhost's answers are not compared with `wasmtime serve`");
        return;
    };
    let script_probes = [
        probe("GET", "/", None),
        probe("GET", "/hello?name=Ada", None),
        probe("POST", "/json", Some(r#"{"a": [1, 2]}"#)),
        probe("GET", "/request?q=1", None),
        probe("GET", "/missing", None),
    ];
    let apps: [(&str, std::path::PathBuf, &[Probe]); 4] = [
        (
            "shop",
            axum_app(),
            &[
                probe("GET", "/", None),
                probe("GET", "/items/7", None),
                probe("GET", "/items/5000", None),
                probe("GET", "/items/abc", None),
                probe("POST", "/items", Some(r#"{"name": "pen", "price_cents": 250}"#)),
                probe("POST", "/items", Some(r#"{"name": "pen"}"#)),
                probe("GET", "/nowhere", None),
            ],
        ),
        ("stream", stream_app(), &[probe("GET", "/bytes?n=100000", None), probe("POST", "/echo", Some("[1, 2, 3]"))]),
        ("py", python_app(), &script_probes),
        ("js", js_app(), &script_probes),
    ];
    let loaded: Vec<(&str, &Path)> = apps.iter().map(|(name, wasm, _)| (*name, wasm.as_path())).collect();
    let host = start_http_apps(test_config(), &loaded).await;
    // Through `{app}.localhost` fnhost passes paths and headers as they are, as
    // `wasmtime serve` does.
    let addr = addr_of(&host);
    let names: Vec<&str> = apps.iter().map(|(name, _, _)| *name).collect();
    let client = client_for_host_names(&names, addr);

    for (name, wasm, probes) in &apps {
        let wasm_path = wasm.clone();
        let reference = tokio::task::spawn_blocking({
            let wasmtime = wasmtime.clone();
            move || WasmtimeServe::start(&wasmtime, &wasm_path, Duration::from_secs(180))
        })
        .await
        .expect("wasmtime starts");
        for probe in probes.iter() {
            let ours = answer(&client, &format!("http://{name}.localhost:{}", addr.port()), probe).await;
            let theirs = answer(&host.client, &reference.base, probe).await;
            assert_eq!(ours, theirs, "app `{name}` answers `{} {}` differently", probe.method, probe.path);
        }
    }
    host.stop().await;
}

#[tokio::test]
async fn cli_serves_http_app_file() {
    let _turn = MEMORY_TURN.read().await;
    let wasm = axum_app();
    let cache = tempfile::tempdir().unwrap();
    let args = [
        "serve",
        "--addr",
        "127.0.0.1:0",
        "--no-watch",
        "--name",
        "shop",
        "--cache-dir",
        cache.path().to_str().unwrap(),
        wasm.to_str().unwrap(),
    ];
    let process = HostProcess::spawn(&args, Duration::from_secs(60)).unwrap();

    let line = format!("app `shop`: {}/shop/", process.base);
    let deadline = Instant::now() + Duration::from_secs(5);
    while !process.stdout.lock().unwrap().contains(&line) {
        assert!(Instant::now() < deadline, "no line `{line}` in {:?}", process.stdout.lock().unwrap());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let (status, _, body) = get(&fnhost_tests::client(), &format!("{}/shop/items/2", process.base)).await;
    assert_eq!((status, parse(&body)["id"].clone()), (200, json!(2)));
    assert_eq!(process.interrupt(), Some(0));
}
