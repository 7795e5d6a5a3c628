//! Misbehaving endpoints, fixtures for testing how the host copes.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use fnhost_sdk::{Response, webhook};
use serde_json::{Value, json};

/// Calls served by this instance.
static CALLS: AtomicU64 = AtomicU64::new(0);

/// Random number drawn once per instance, telling instances apart.
fn instance_id() -> u64 {
    static ID: OnceLock<u64> = OnceLock::new();
    // RandomState draws its keys from WASI's random source.
    *ID.get_or_init(|| RandomState::new().hash_one("fnhost"))
}

/// Panics with the message `boom`.
#[webhook]
fn panic() -> Value {
    panic!("boom")
}

/// Never returns.
#[webhook]
fn spin() -> Value {
    let mut spins = 0u64;
    loop {
        spins = std::hint::black_box(spins.wrapping_add(1));
    }
}

/// Counts the calls this instance served, this one included.
#[webhook]
fn counter() -> Value {
    let count = CALLS.fetch_add(1, Ordering::Relaxed) + 1;
    json!({ "count": count, "instance": instance_id() })
}

/// Sleeps `ms` milliseconds, then names the instance.
#[webhook]
fn sleep(ms: u64) -> Value {
    std::thread::sleep(Duration::from_millis(ms));
    json!({ "instance": instance_id() })
}

/// Writes a line to stdout and one to stderr, then a line in three writes and an
/// unfinished line.
#[webhook]
fn log() -> &'static str {
    println!("hello from stdout");
    eprintln!("hello from stderr");
    for part in ["one line ", "in three ", "writes\n"] {
        let mut stdout = std::io::stdout();
        std::io::Write::write_all(&mut stdout, part.as_bytes()).unwrap();
        std::io::Write::flush(&mut stdout).unwrap();
    }
    // std buffers stdout by line, so the unfinished line reaches the host on flush.
    print!("no newline at the end");
    std::io::Write::flush(&mut std::io::stdout()).unwrap();
    "logged"
}

/// Returns `body` with the given status and one header, even ones that only the
/// host may set, such as `content-length`.
#[webhook]
fn raw(status: u16, header: String, value: String) -> Response {
    Response::text("x").status(status).header(&header, value)
}

/// Allocates 16 MiB blocks until memory runs out.
#[webhook]
fn oom() -> Value {
    let mut blocks = Vec::new();
    loop {
        // Writing every block keeps the allocation from being optimised away.
        blocks.push(std::hint::black_box(vec![1u8; 16 << 20]));
    }
}

fnhost_sdk::export!();
