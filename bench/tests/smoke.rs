//! Runs the benchmark suite in smoke mode, about a second per scenario, and checks
//! the report it writes. No speed is asserted: this test only keeps the suite
//! working. It needs the `fnhost` binary and wrk, as `make test` provides.

use std::path::Path;
use std::process::Command;

/// Builds the example guests (a no-op when they are up to date).
fn build_examples() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let status = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(["build", "--release", "--target", "wasm32-wasip2"])
        .current_dir(&examples)
        .status()
        .expect("cargo runs");
    assert!(status.success(), "building the examples failed");
}

#[test]
fn smoke_run_writes_report() {
    build_examples();
    let dir = tempfile::tempdir().expect("temporary folder");
    let out = dir.path().join("BENCHMARKS.md");
    let output = Command::new(env!("CARGO_BIN_EXE_fnhost-bench"))
        .arg("--smoke")
        .arg("--out")
        .arg(&out)
        .arg("--work-dir")
        .arg(dir.path().join("work"))
        .env("FNHOST_BENCH_SECONDS", "1")
        .env("FNHOST_BENCH_RUNS", "1")
        .output()
        .expect("the runner starts");
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "the smoke run failed:\n{log}");

    let report = std::fs::read_to_string(&out).expect("the runner writes its report");
    for part in [
        "**Smoke run**",
        "| raw axum hello world (ceiling) | ",
        "| fnhost function endpoint, warm instances | ",
        "| fnhost function endpoint, fresh instance per request | ",
        "| fnhost wasi:http app, fresh instance per request (the default) | ",
        "| fnhost wasi:http app, `--reuse-http-instances` | ",
        "| fnhost, wasi:http app, warm compile cache | ",
        "| **added by a cold instance** |",
        "100 × 200 (all succeeded)",
        "**0 failed**",
    ] {
        assert!(report.contains(part), "the report lacks `{part}`:\n{report}");
    }
}
