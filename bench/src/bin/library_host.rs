//! A host serving one component through the library, for the scenario that
//! `fnhost serve` cannot express: every request on a fresh instance while
//! `fnhost serve --fresh-instances` does not set `fresh_instance_per_request`.
//! Logging is set up as in the `fnhost` binary, so both pay the same per request.
//!
//! Usage: `fnhost-bench-host ADDR CACHE_DIR WASM [--fresh-instances]`; the app is
//! named after the file, as `fnhost serve` names it.

use std::io::Write as _;
use std::path::PathBuf;

use anyhow::Context as _;
use fnhost::{Host, HostConfig};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (addr, cache, wasm) = match args.as_slice() {
        [addr, cache, wasm, ..] => (addr, PathBuf::from(cache), PathBuf::from(wasm)),
        _ => anyhow::bail!("usage: fnhost-bench-host ADDR CACHE_DIR WASM [--fresh-instances]"),
    };
    let fresh = args.iter().skip(3).any(|arg| arg == "--fresh-instances");
    let filter = EnvFilter::try_from_env("FNHOST_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(false).init();

    let config = HostConfig { cache_dir: Some(cache), fresh_instance_per_request: fresh, ..HostConfig::default() };
    let host = Host::new(config)?;
    let name = wasm.file_stem().and_then(|stem| stem.to_str()).with_context(|| format!("no app name in `{}`", wasm.display()))?;
    host.load_file(name, &wasm).await?;
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("failed to listen on `{addr}`"))?;
    let server = host.serve(listener)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "listening on http://{}", server.local_addr())?;
    out.flush()?;
    drop(out);
    tokio::signal::ctrl_c().await?;
    server.shutdown().await
}
