//! Outbound HTTP from guests: denied unless the host is allowed, with a clear error
//! inside the guest and a log line on the host. A second server on 127.0.0.1 is the
//! outbound target.

use std::io::{Read as _, Write as _};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use fnhost::HostConfig;
use fnhost_tests::{HostProcess, TestHost, example_wasm, test_config};

/// A server on 127.0.0.1 that answers every request with `hello upstream` and counts
/// the connections it accepted.
fn upstream() -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&accepted);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            counter.fetch_add(1, Ordering::SeqCst);
            let mut buffer = [0u8; 4096];
            let _ = stream.read(&mut buffer);
            let body = "hello upstream";
            let reply = format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len());
            let _ = stream.write_all(reply.as_bytes());
        }
    });
    (port, accepted)
}

async fn fetch(allowed: &[String], port: u16) -> (u16, String) {
    let config = HostConfig { allowed_outbound: allowed.to_vec(), ..test_config() };
    let host = TestHost::start(config, &["fetch"]).await;
    let response = host.client.get(host.url(&format!("/fetch/?url=http://127.0.0.1:{port}/data"))).send().await.unwrap();
    let answer = (response.status().as_u16(), response.text().await.unwrap());
    host.stop().await;
    answer
}

#[tokio::test]
async fn outbound_is_denied_by_default() {
    let (port, accepted) = upstream();

    let (status, body) = fetch(&[], port).await;

    assert_eq!(status, 502);
    assert!(body.contains("HttpRequestDenied"), "{body}");
    assert_eq!(accepted.load(Ordering::SeqCst), 0, "the upstream saw no connection");
}

#[tokio::test]
async fn allowed_host_and_port_pass() {
    let (port, _) = upstream();

    let (status, body) = fetch(&[format!("127.0.0.1:{port}")], port).await;

    assert_eq!(status, 200, "{body}");
    assert_eq!(body, "upstream 200: hello upstream");
}

#[tokio::test]
async fn allowed_host_covers_every_port() {
    let (port, _) = upstream();

    let (status, body) = fetch(&["127.0.0.1".to_owned()], port).await;

    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn other_port_stays_denied() {
    let (port, accepted) = upstream();

    let (status, body) = fetch(&[format!("127.0.0.1:{}", port.wrapping_add(1))], port).await;

    assert_eq!(status, 502, "{body}");
    assert_eq!(accepted.load(Ordering::SeqCst), 0);
}

#[test]
fn denied_request_is_logged() {
    let (port, _) = upstream();
    let cache = tempfile::tempdir().unwrap();
    let wasm = example_wasm("fetch");
    let process = HostProcess::spawn(
        &["serve", "--addr", "127.0.0.1:0", "--no-watch", "--cache-dir", cache.path().to_str().unwrap(), wasm.to_str().unwrap()],
        Duration::from_secs(600),
    )
    .unwrap();

    let response = reqwest::blocking::get(format!("{}/fetch/?url=http://127.0.0.1:{port}/x", process.base)).unwrap();
    let request_id = response.headers()["x-request-id"].to_str().unwrap().to_owned();

    assert_eq!(response.status(), 502);
    let line = process.wait_for_log(&["outbound request denied", "app=fetch", &request_id], Duration::from_secs(5));
    assert!(line.is_some(), "the host logged the denied request with its request id");
}
