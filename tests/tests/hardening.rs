//! What the host enforces whatever guests and clients do: framing headers, status
//! codes, HEAD lengths, and time limits for slow or idle clients.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use fnhost_tests::{TestHost, test_config};
use serde_json::Value;

#[tokio::test]
async fn guest_framing_headers_are_dropped() {
    let host = TestHost::start(test_config(), &["faults"]).await;

    for (header, value) in [("content-length", "0"), ("content-length", "999"), ("transfer-encoding", "chunked"), ("connection", "close")] {
        let path = format!("/faults/raw?status=200&header={header}&value={value}");
        let response = host.client.get(host.url(&path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{header}");
        assert_eq!(response.headers()["content-length"], "1", "{header}");
        assert_eq!(response.text().await.unwrap(), "x", "{header}");
    }
    let (status, _) = host.get_json("/faults/counter").await;
    assert_eq!(status, 200, "the kept-alive connection still works");
    host.stop().await;
}

#[tokio::test]
async fn interim_status_from_guest_is_500() {
    let host = TestHost::start(test_config(), &["faults"]).await;

    let (status, body) = host.get_json("/faults/raw?status=100&header=x-a&value=b").await;

    assert_eq!(status, 500);
    assert_eq!(body["detail"], "function `raw` returned an invalid response: invalid status `100`: use 200 to 599");
    host.stop().await;
}

#[tokio::test]
async fn no_content_answer_has_no_body() {
    let host = TestHost::start(test_config(), &["faults"]).await;

    let response = host.client.get(host.url("/faults/raw?status=204&header=x-a&value=b")).send().await.unwrap();

    assert_eq!(response.status(), 204);
    assert_eq!(response.headers()["x-a"], "b");
    assert_eq!(response.text().await.unwrap(), "");
    host.stop().await;
}

#[tokio::test]
async fn head_reports_get_length() {
    let host = TestHost::start(test_config(), &["types"]).await;

    let response = host.client.head(host.url("/types/items/2")).send().await.unwrap();

    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-length"], r#"{"id":2,"name":"item 2"}"#.len().to_string().as_str());
    host.stop().await;
}

fn quick_timeout_config() -> fnhost::HostConfig {
    fnhost::HostConfig { client_timeout: Duration::from_millis(500), ..test_config() }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_body_gets_408() {
    let host = TestHost::start(quick_timeout_config(), &["hello"]).await;
    let address = host.base.trim_start_matches("http://").to_owned();

    let answer = tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(address).unwrap();
        let head = "POST /hello/square_body HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 10\r\n\r\n{\"x\"";
        stream.write_all(head.as_bytes()).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        answer
    })
    .await
    .unwrap();

    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    let body: Value = serde_json::from_str(answer.split("\r\n\r\n").nth(1).unwrap()).unwrap();
    assert_eq!(body["detail"], "request body was not received within 0.5 seconds");
    host.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_connection_is_closed() {
    let host = TestHost::start(quick_timeout_config(), &["hello"]).await;
    let address = host.base.trim_start_matches("http://").to_owned();

    let held_open = tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(address).unwrap();
        stream.write_all(b"GET /hello/squ").unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let started = Instant::now();
        let mut buffer = Vec::new();
        let _ = stream.read_to_end(&mut buffer);
        started.elapsed()
    })
    .await
    .unwrap();

    assert!(held_open < Duration::from_secs(5), "a client that stalls mid-headers is cut off, after {held_open:?}");
    let (status, _) = host.get_json("/hello/square?x=2").await;
    assert_eq!(status, 200);
    host.stop().await;
}
