//! `fnhost serve PATH...`: build each app, load it, serve them all.

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;

use crate::config::{self, HostConfig};
use crate::host::App;
use crate::reload::{AppWatcher, ReloadEvent};
use crate::source::Source;
use crate::Host;

#[derive(Debug, clap::Args)]
pub(super) struct ServeArgs {
    /// Guest crate folders or `.wasm` components to serve.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,

    /// App name; defaults to the crate's package name or the file's stem. Only with one PATH.
    #[arg(long)]
    name: Option<String>,

    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,

    /// Wall-clock limit of one call, in seconds; a call past it gets 504.
    #[arg(long, value_name = "SECONDS", default_value_t = config::DEFAULT_TIMEOUT.as_secs_f64(), value_parser = positive_seconds, allow_negative_numbers = true)]
    timeout: f64,

    /// Time an idle instance is kept warm for reuse, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = config::DEFAULT_KEEP_WARM.as_secs_f64(), value_parser = positive_seconds, allow_negative_numbers = true)]
    keep_warm: f64,

    /// Instances one app may run at once.
    #[arg(long, value_name = "COUNT", default_value_t = config::DEFAULT_MAX_INSTANCES, value_parser = at_least_one)]
    max_instances: usize,

    /// Requests that may wait for an instance when an app runs its maximum; more get 503.
    #[arg(long, value_name = "COUNT", default_value_t = config::DEFAULT_MAX_QUEUED)]
    max_queued: usize,

    /// Largest accepted request body, in bytes; a larger one gets 413.
    #[arg(long, value_name = "BYTES", default_value_t = config::DEFAULT_MAX_BODY_SIZE)]
    max_body_size: usize,

    /// Time a client has to send a request's headers or a function's body, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = config::DEFAULT_CLIENT_TIMEOUT.as_secs_f64(), value_parser = positive_seconds, allow_negative_numbers = true)]
    client_timeout: f64,

    /// Linear memory limit of one instance, in MiB (16 to 4096: a wasm32 memory
    /// cannot grow past 4 GiB, and a Rust guest needs more than 1 MiB to start).
    #[arg(long, value_name = "MIB", default_value_t = config::DEFAULT_MEMORY_LIMIT / (1024 * 1024), value_parser = memory_mib)]
    memory_limit: usize,

    /// Give each request a fresh instance instead of reusing warm ones.
    #[arg(long)]
    fresh_instances: bool,

    /// Reuse warm instances of HTTP apps as well. Use it only for apps that can serve
    /// several requests per instance: Rust apps on wstd can, componentize-js 0.23 apps cannot.
    #[arg(long, conflicts_with = "fresh_instances")]
    reuse_http_instances: bool,

    /// Folder of precompiled components [default: $XDG_CACHE_HOME/fnhost or ~/.cache/fnhost].
    #[arg(long, value_name = "DIR", conflicts_with = "no_cache")]
    cache_dir: Option<PathBuf>,

    /// Compile every component afresh and store nothing.
    #[arg(long)]
    no_cache: bool,

    /// Serve without watching the apps' files for changes.
    #[arg(long)]
    no_watch: bool,

    /// Let guests send HTTP requests to HOST (any port) or HOST:PORT; repeat for
    /// several. Every other outbound request is denied.
    #[arg(long, value_name = "HOST[:PORT]")]
    allow_outbound: Vec<String>,
}

fn at_least_one(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(count) if count >= 1 => Ok(count),
        _ => Err(format!("`{text}` must be a whole number of at least 1")),
    }
}

fn memory_mib(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(mib) if (16..=4096).contains(&mib) => Ok(mib),
        _ => Err(format!("`{text}` must be a whole number of MiB from 16 to 4096")),
    }
}

fn positive_seconds(text: &str) -> Result<f64, String> {
    let seconds: f64 = text.parse().map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if !(seconds.is_finite() && seconds > 0.0 && seconds <= 86_400.0) {
        return Err(format!("`{text}` must be above 0 and at most 86400 seconds"));
    }
    Ok(seconds)
}

impl ServeArgs {
    fn host_config(&self) -> HostConfig {
        HostConfig {
            timeout: Duration::from_secs_f64(self.timeout),
            keep_warm: Duration::from_secs_f64(self.keep_warm),
            max_instances: self.max_instances,
            max_queued: self.max_queued,
            max_body_size: self.max_body_size,
            client_timeout: Duration::from_secs_f64(self.client_timeout),
            fresh_instance_per_request: self.fresh_instances,
            reuse_http_instances: self.reuse_http_instances,
            memory_limit: self.memory_limit * 1024 * 1024,
            cache_dir: if self.no_cache { None } else { self.cache_dir.clone().or_else(config::default_cache_dir) },
            allowed_outbound: self.allow_outbound.clone(),
            ..HostConfig::default()
        }
    }
}

pub(super) async fn run(args: ServeArgs) -> anyhow::Result<()> {
    if args.name.is_some() && args.paths.len() > 1 {
        anyhow::bail!("`--name` names one app, but {} paths were given", args.paths.len());
    }
    let sources = args.paths.iter().map(|path| Source::from_path(path)).collect::<anyhow::Result<Vec<_>>>()?;

    let host = Host::new(args.host_config())?;
    let mut names = Vec::with_capacity(sources.len());
    for source in &sources {
        let built = source.build().await?;
        let name = args.name.clone().unwrap_or(built.default_name);
        if names.contains(&name) {
            anyhow::bail!("two paths make an app named `{name}`: serve each once, or rename one with `--name`");
        }
        host.load_file(&name, &built.wasm).await?;
        names.push(name);
    }

    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("failed to listen on `{}`", args.addr))?;
    let (addr, server) = host.serve_until(listener, shutdown_signal())?;
    print_endpoints(&host, addr)?;

    let mut watchers = Vec::new();
    if !args.no_watch {
        let report: Arc<dyn Fn(ReloadEvent) + Send + Sync> = Arc::new(|event| println!("{event}"));
        for (name, source) in names.into_iter().zip(sources) {
            watchers.push(AppWatcher::start(host.clone(), name, source, Arc::clone(&report)).await?);
        }
    }
    server.await.context("server task panicked")??;
    drop(watchers);
    tracing::info!("stopped");
    Ok(())
}

/// Prints the stable first line, `listening on http://ADDR`, then each endpoint's URL.
fn print_endpoints(host: &Host, addr: SocketAddr) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "listening on http://{addr}")?;
    for app in host.apps() {
        match &*app {
            App::Http(app) => writeln!(out, "app `{}`: http://{addr}/{}/", app.name, app.name)?,
            App::Function(app) => {
                writeln!(out, "app `{}`:", app.name)?;
                for endpoint in &app.endpoints {
                    let methods: Vec<&str> = endpoint.methods.iter().map(http::Method::as_str).collect();
                    writeln!(out, "  {:<6} http://{addr}/{}{}", methods.join(","), app.name, endpoint.path)?;
                }
            }
        }
    }
    out.flush()?;
    Ok(())
}

/// Completes on Ctrl-C or, on Unix, SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutting down");
}
