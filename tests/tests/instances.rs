//! Instance lifecycle end to end: reuse, scale-out, keep-warm expiry, and guests
//! that trap, spin or run out of memory failing only their own request.

use std::time::Duration;

use fnhost_tests::{TestHost, test_config};
use serde_json::Value;

#[tokio::test]
async fn warm_instance_keeps_its_state() {
    let host = TestHost::start(test_config(), &["faults"]).await;

    let (_, first) = host.get_json("/faults/counter").await;
    let (_, second) = host.get_json("/faults/counter").await;

    assert_eq!(first["count"], 1);
    assert_eq!(second["count"], 2, "the second call reused the warm instance");
    assert_eq!(first["instance"], second["instance"]);
    host.stop().await;
}

#[tokio::test]
async fn parallel_requests_scale_out() {
    let host = TestHost::start(test_config(), &["faults"]).await;

    let calls = (0..4).map(|_| host.get_json("/faults/sleep?ms=500"));
    let answers = futures::future::join_all(calls).await;

    let mut instances: Vec<String> = answers
        .iter()
        .map(|(status, body)| {
            assert_eq!(*status, 200, "{body}");
            body["instance"].to_string()
        })
        .collect();
    instances.sort();
    instances.dedup();
    assert_eq!(instances.len(), 4, "four concurrent calls ran on four instances");
    host.stop().await;
}

#[tokio::test]
async fn max_instances_queues_extra_requests() {
    let config = fnhost::HostConfig { max_instances: 1, ..test_config() };
    let host = TestHost::start(config, &["faults"]).await;

    let calls = (0..3).map(|_| host.get_json("/faults/sleep?ms=200"));
    let answers = futures::future::join_all(calls).await;

    let instances: Vec<&Value> = answers.iter().map(|(_, body)| &body["instance"]).collect();
    assert!(answers.iter().all(|(status, _)| *status == 200));
    assert!(instances.windows(2).all(|pair| pair[0] == pair[1]), "one instance served all calls in turn");
    host.stop().await;
}

#[tokio::test]
async fn full_queue_gets_503() {
    let config = fnhost::HostConfig { max_instances: 1, max_queued: 0, ..test_config() };
    let host = TestHost::start(config, &["faults"]).await;

    let slow = host.get_json("/faults/sleep?ms=1000");
    let rejected = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        host.client.get(host.url("/faults/counter")).send().await.unwrap()
    };
    let ((slow_status, _), rejected) = tokio::join!(slow, rejected);

    assert_eq!(slow_status, 200);
    assert_eq!(rejected.status(), 503);
    assert_eq!(rejected.headers()["retry-after"], "1");
    host.stop().await;
}

#[tokio::test]
async fn idle_instance_expires_after_keep_warm() {
    let config = fnhost::HostConfig { keep_warm: Duration::from_millis(300), ..test_config() };
    let host = TestHost::start(config, &["faults"]).await;

    let (_, first) = host.get_json("/faults/counter").await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let (_, later) = host.get_json("/faults/counter").await;

    assert_eq!(later["count"], 1, "a new instance started after the keep-warm time");
    assert_ne!(first["instance"], later["instance"]);
    host.stop().await;
}

#[tokio::test]
async fn fresh_instance_mode_never_reuses() {
    let config = fnhost::HostConfig { fresh_instance_per_request: true, ..test_config() };
    let host = TestHost::start(config, &["faults"]).await;

    let (_, first) = host.get_json("/faults/counter").await;
    let (_, second) = host.get_json("/faults/counter").await;

    assert_eq!(first["count"], 1);
    assert_eq!(second["count"], 1);
    host.stop().await;
}

#[tokio::test]
async fn panic_is_500_and_host_recovers() {
    let host = TestHost::start(test_config(), &["faults"]).await;

    let response = host.client.get(host.url("/faults/panic")).send().await.unwrap();
    let request_id = response.headers()["x-request-id"].to_str().unwrap().to_owned();
    let status = response.status();
    let body: Value = response.json().await.unwrap();

    assert_eq!(status, 500);
    assert_eq!(
        body["detail"],
        format!("function `panic` failed: the guest trapped (request id `{request_id}`)")
    );
    let (status, after) = host.get_json("/faults/counter").await;
    assert_eq!(status, 200);
    assert_eq!(after["count"], 1);
    host.stop().await;
}

#[tokio::test]
async fn trapped_instance_is_not_reused() {
    let config = fnhost::HostConfig { max_instances: 1, ..test_config() };
    let host = TestHost::start(config, &["faults"]).await;
    let (_, before) = host.get_json("/faults/counter").await;

    let (status, _) = host.get_json("/faults/panic").await;
    let (_, after) = host.get_json("/faults/counter").await;

    assert_eq!(status, 500);
    assert_eq!(before["count"], 1);
    assert_eq!(after["count"], 1, "the instance that panicked was dropped");
    host.stop().await;
}

#[tokio::test]
async fn endless_loop_times_out_while_others_succeed() {
    let config = fnhost::HostConfig { timeout: Duration::from_secs(2), ..test_config() };
    let host = TestHost::start(config, &["faults"]).await;

    let spin = host.get_json("/faults/spin");
    let others = async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let started = std::time::Instant::now();
        let (status, _) = host.get_json("/faults/counter").await;
        (status, started.elapsed())
    };
    let ((spin_status, spin_body), (other_status, other_time)) = tokio::join!(spin, others);

    assert_eq!(spin_status, 504);
    assert_eq!(spin_body["detail"], "function `spin` timed out after 2s");
    assert_eq!(other_status, 200);
    assert!(other_time < Duration::from_secs(1), "another request waited {other_time:?}");
    host.stop().await;
}

#[tokio::test]
async fn out_of_memory_fails_only_its_request() {
    let config = fnhost::HostConfig { memory_limit: 64 * 1024 * 1024, ..test_config() };
    let host = TestHost::start(config, &["faults"]).await;

    let (status, _) = host.get_json("/faults/oom").await;
    let (after, _) = host.get_json("/faults/counter").await;

    assert_eq!(status, 500);
    assert_eq!(after, 200);
    host.stop().await;
}
