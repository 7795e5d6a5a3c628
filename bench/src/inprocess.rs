//! Measurements through the library, in this process: the cost of a cold instance
//! over a warm one, hot swaps, and the workloads that `profile` runs under
//! callgrind.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use axum::body::Body;
use fnhost::{Host, HostConfig};
use http_body_util::BodyExt as _;
use tower::ServiceExt as _;

use crate::{client, wrk};

/// App name of the benchmarks' function app, as `fnhost serve` names it.
pub const FUNCTION_APP: &str = "bench_hello";
/// Path of its endpoint.
pub const FUNCTION_PATH: &str = "/bench_hello/hello";
/// App name of the benchmarks' HTTP app.
pub const HTTP_APP: &str = "http-hello";
/// A path it serves through fnhost.
pub const HTTP_PATH: &str = "/http-hello/";

/// Host settings for in-process hosts: a pool of 64 instances, as the tests use,
/// so that several hosts fit in one address space.
pub fn host_config(cache: &Path, fresh_instance_per_request: bool) -> HostConfig {
    HostConfig {
        pool_size: 64,
        max_instances: 16,
        cache_dir: Some(cache.to_owned()),
        fresh_instance_per_request,
        ..HostConfig::default()
    }
}

/// Sends `GET path` through `router` and returns the time until the whole body
/// was read; fails unless the status is 200.
pub async fn timed_get(router: &axum::Router, path: &str) -> anyhow::Result<Duration> {
    let router = router.clone();
    let request = http::Request::get(path).body(Body::empty())?;
    let started = Instant::now();
    let response = router.oneshot(request).await.context("router failed")?;
    let status = response.status();
    let body = response.into_body().collect().await.context("body failed")?.to_bytes();
    let elapsed = started.elapsed();
    // Every app the in-process runs serve answers this body.
    if status != http::StatusCode::OK || body != "Hello, world!" {
        anyhow::bail!("`GET {path}` returned {status}: {}", String::from_utf8_lossy(&body));
    }
    Ok(elapsed)
}

/// Latencies of warm and cold requests, in microseconds.
#[derive(Clone, Debug, Default)]
pub struct ColdWarm {
    /// Requests served by a pooled, warm instance.
    pub warm_us: Vec<f64>,
    /// Requests served by an instance created for them (`fresh_instance_per_request`).
    pub cold_us: Vec<f64>,
}

/// Serves `iterations` requests from a warm host and as many from a host with
/// `fresh_instance_per_request`, alternating so that drift hits both alike.
pub async fn cold_vs_warm(wasm: &Path, cache: &Path, iterations: usize) -> anyhow::Result<ColdWarm> {
    let warm = Host::new(host_config(cache, false))?;
    let cold = Host::new(host_config(cache, true))?;
    warm.load_file(FUNCTION_APP, wasm).await?;
    cold.load_file(FUNCTION_APP, wasm).await?;
    let (warm_router, cold_router) = (warm.router(), cold.router());
    // Fill caches and the pool's warm slots before measuring.
    for _ in 0..iterations.clamp(20, 200) {
        timed_get(&warm_router, FUNCTION_PATH).await?;
        timed_get(&cold_router, FUNCTION_PATH).await?;
    }
    let mut result = ColdWarm::default();
    for _ in 0..iterations {
        result.warm_us.push(timed_get(&warm_router, FUNCTION_PATH).await?.as_secs_f64() * 1e6);
        result.cold_us.push(timed_get(&cold_router, FUNCTION_PATH).await?.as_secs_f64() * 1e6);
    }
    Ok(result)
}

/// What the hot-swap measurement found.
#[derive(Clone, Debug)]
pub struct SwapResult {
    /// `LoadReport::swap_time` of each idle swap, in microseconds.
    pub swap_us: Vec<f64>,
    /// The first request after each idle swap (new connection included), in
    /// microseconds.
    pub first_request_us: Vec<f64>,
    /// Swaps done while wrk was running.
    pub swaps_under_load: usize,
    /// wrk's report of the run with swaps.
    pub load: wrk::WrkResult,
    /// The wrk command, with the port replaced by `PORT`.
    pub load_command: String,
}

/// Path below the swapped app that counts the calls of its instance.
const COUNTER_PATH: &str = "/swap/counter";

/// Swaps app `swap` between two versions of the `faults` component (the second
/// with an extra custom section, so it hashes and compiles as a different
/// component): first `idle_swaps` times with one request after each, timed, then
/// `load_swaps` times while wrk sends requests for `load_seconds`.
pub async fn hot_swap(faults: &Path, cache: &Path, idle_swaps: usize, load_seconds: u32, load_swaps: usize) -> anyhow::Result<SwapResult> {
    let first = tokio::fs::read(faults).await.with_context(|| format!("cannot read `{}`", faults.display()))?;
    let second = with_custom_section(first.clone(), "second version");
    let versions = [first, second];

    let host = Host::new(host_config(cache, false))?;
    // Load both once so that every measured swap finds its component compiled.
    host.load_bytes("swap", versions[1].clone()).await?;
    host.load_bytes("swap", versions[0].clone()).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let server = host.serve(listener)?;
    let addr = server.local_addr();

    let mut swap_us = Vec::new();
    let mut first_request_us = Vec::new();
    for round in 0..idle_swaps {
        // Warm the serving version so that its instance has counted calls.
        for _ in 0..3 {
            client::get_async(addr, COUNTER_PATH).await?;
        }
        let report = host.load_bytes("swap", versions[(round + 1) % 2].clone()).await?;
        let started = Instant::now();
        let reply = client::get_async(addr, COUNTER_PATH).await?;
        first_request_us.push(started.elapsed().as_secs_f64() * 1e6);
        swap_us.push(report.swap_time.as_secs_f64() * 1e6);
        // A fresh pool's first call counts 1; the old version's warm instance is past 3.
        if reply.status != 200 || !reply.body.contains("\"count\":1,") {
            anyhow::bail!("the first request after swap {round} was not served by the new version: {} {}", reply.status, reply.body);
        }
    }

    let url = format!("http://{addr}{COUNTER_PATH}");
    let load_command = wrk::command(&url, load_seconds).join(" ").replace(&addr.port().to_string(), "PORT");
    let load = tokio::task::spawn_blocking(move || wrk::run(&url, load_seconds));
    let interval = Duration::from_secs(u64::from(load_seconds)) / (load_swaps as u32 + 1);
    let mut swaps_under_load = 0;
    for round in 0..load_swaps {
        tokio::time::sleep(interval).await;
        host.load_bytes("swap", versions[(idle_swaps + round + 1) % 2].clone()).await?;
        swaps_under_load += 1;
    }
    let load = load.await.context("wrk task panicked")??;
    server.shutdown().await?;
    Ok(SwapResult { swap_us, first_request_us, swaps_under_load, load, load_command })
}

/// Appends a custom section named `fnhost-bench` holding `text`; a component may
/// carry custom sections anywhere, and they change nothing but its hash.
pub fn with_custom_section(mut bytes: Vec<u8>, text: &str) -> Vec<u8> {
    const NAME: &[u8] = b"fnhost-bench";
    let mut payload = Vec::new();
    leb128(&mut payload, NAME.len());
    payload.extend_from_slice(NAME);
    payload.extend_from_slice(text.as_bytes());
    bytes.push(0);
    leb128(&mut bytes, payload.len());
    bytes.extend_from_slice(&payload);
    bytes
}

fn leb128(out: &mut Vec<u8>, mut value: usize) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// A workload for `fnhost-bench profile`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Workload {
    /// Requests to the function app on warm instances.
    Warm,
    /// Requests to the function app, each on a fresh instance.
    Cold,
    /// Requests to the HTTP app on warm instances.
    Http,
    /// Create a host, load the HTTP app from a warm cache and serve one request.
    Startup,
}

impl Workload {
    /// Parses `warm`, `cold`, `http` or `startup`.
    pub fn parse(text: &str) -> anyhow::Result<Workload> {
        Ok(match text {
            "warm" => Workload::Warm,
            "cold" => Workload::Cold,
            "http" => Workload::Http,
            "startup" => Workload::Startup,
            _ => anyhow::bail!("unknown workload `{text}`: use warm, cold, http or startup"),
        })
    }

    /// The name `parse` reads.
    pub fn name(self) -> &'static str {
        match self {
            Workload::Warm => "warm",
            Workload::Cold => "cold",
            Workload::Http => "http",
            Workload::Startup => "startup",
        }
    }
}

/// Runs `workload` `iterations` times in this process. The request workloads go
/// through the real server on 127.0.0.1 over one kept-alive connection, with the
/// `fnhost` binary's log set-up writing to nowhere, so that a profile covers what a
/// wrk run costs the host: HTTP, routing, logging and the guest.
pub async fn run_workload(workload: Workload, iterations: usize, examples: &Path, cache: &Path) -> anyhow::Result<()> {
    let function_wasm = examples.join(format!("{FUNCTION_APP}.wasm"));
    let http_wasm = examples.join(format!("{HTTP_APP}.wasm"));
    tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::new("info")).with_writer(std::io::sink).with_ansi(false).init();
    let (wasm, app, path, fresh) = match workload {
        Workload::Warm => (&function_wasm, FUNCTION_APP, FUNCTION_PATH, false),
        Workload::Cold => (&function_wasm, FUNCTION_APP, FUNCTION_PATH, true),
        Workload::Http => (&http_wasm, HTTP_APP, HTTP_PATH, false),
        Workload::Startup => {
            for _ in 0..iterations {
                let host = Host::new(host_config(cache, false))?;
                host.load_file(HTTP_APP, &http_wasm).await?;
                timed_get(&host.router(), HTTP_PATH).await?;
            }
            return Ok(());
        }
    };
    let host = Host::new(host_config(cache, fresh))?;
    host.load_file(app, wasm).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let server = host.serve(listener)?;
    let addr = server.local_addr();
    tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
        let mut connection = client::KeepAlive::connect(addr)?;
        for _ in 0..iterations {
            let status = connection.get(path)?;
            anyhow::ensure!(status == 200, "`GET {path}` returned {status}");
        }
        Ok(())
    })
    .await??;
    server.shutdown().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_section_is_framed() {
        let bytes = with_custom_section(b"\0asm\x0d\0\x01\0".to_vec(), "v2");
        // id 0, size 15 = 1 (name length) + 12 (name) + 2 (text)
        assert_eq!(&bytes[8..11], &[0, 15, 12]);
        assert_eq!(&bytes[11..23], b"fnhost-bench");
        assert_eq!(&bytes[23..], b"v2");
    }

    #[test]
    fn large_values_take_several_bytes() {
        let mut out = Vec::new();
        leb128(&mut out, 300);
        assert_eq!(out, [0xac, 0x02]);
    }
}
