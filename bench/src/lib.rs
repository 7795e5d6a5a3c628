//! The fnhost benchmark suite: a runner that measures fnhost against a raw axum
//! server (the ceiling) and `wasmtime serve` (the peer) in one run and writes
//! `BENCHMARKS.md`.
//!
//! - [`stats`]: medians, spreads and percentiles.
//! - [`client`]: a minimal HTTP/1.1 client for readiness probes and single requests.
//! - [`process`]: servers started as child processes, their memory, free ports.
//! - [`wrk`]: running the `wrk` load generator and reading its report.
//! - [`inprocess`]: measurements through the library: cold against warm instances,
//!   hot swaps.
//! - [`profile`]: short callgrind profiles of in-process runs.
//! - [`machine`]: what the machine is.
//! - [`report`]: the results and their Markdown.

pub mod client;
pub mod inprocess;
pub mod machine;
pub mod process;
pub mod profile;
pub mod report;
pub mod stats;
pub mod wrk;

use std::path::{Path, PathBuf};

/// Root of the repository.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the bench crate sits in the repository").to_owned()
}

/// Folder of the example components that `make examples` builds.
pub fn examples_dir() -> PathBuf {
    repo_root().join("examples/target/wasm32-wasip2/release")
}
