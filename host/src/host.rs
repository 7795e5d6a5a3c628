//! [`Host`]: the engine, the loaded apps, and serving them over HTTP.

use std::collections::BTreeMap;
use std::future::Future;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, PoisonError, RwLock};

use anyhow::Context as _;
use wasmtime::Engine;
use wasmtime::component::{Component, Linker};

use crate::config::HostConfig;
use crate::function::FunctionApp;
use crate::runtime::factory::InstanceSettings;
use crate::proxy::{HttpApp, is_http_app};
use crate::runtime::cache::{CompileOutcome, load_component};
use crate::runtime::engine::{EpochTicker, create_engine};
use crate::runtime::pool::PoolLimits;
use crate::runtime::state::GuestState;

/// A loaded app.
pub enum App {
    /// A component exporting the `fnhost:function` world.
    Function(FunctionApp),
    /// A component exporting `wasi:http/incoming-handler`.
    Http(HttpApp),
}

impl App {
    /// Returns the app's name.
    pub fn name(&self) -> &str {
        match self {
            App::Function(app) => &app.name,
            App::Http(app) => &app.name,
        }
    }
}

/// Outcome of loading an app.
#[derive(Clone, Debug)]
pub struct LoadReport {
    /// App name.
    pub name: String,
    /// Whether the component came from the compile cache.
    pub compile: CompileOutcome,
    /// Time spent compiling or loading the precompiled component.
    pub compile_time: std::time::Duration,
    /// Time from the component being ready to the app serving: linking, the call to
    /// `describe` for function apps, and the swap in the registry.
    pub swap_time: std::time::Duration,
}

/// Runs apps: one wasmtime engine, a registry of apps by name, and the HTTP server.
///
/// ```no_run
/// # async fn example() -> anyhow::Result<()> {
/// let host = fnhost::Host::new(fnhost::HostConfig::default())?;
/// host.load_file("hello", "hello.wasm".as_ref()).await?;
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
/// let server = host.serve(listener)?;
/// println!("listening on http://{}", server.local_addr());
/// server.shutdown().await?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Host {
    pub(crate) shared: Arc<Shared>,
}

pub(crate) struct Shared {
    pub(crate) engine: Engine,
    linker: Linker<GuestState>,
    pub(crate) config: HostConfig,
    apps: RwLock<BTreeMap<String, Arc<App>>>,
    pooling: bool,
    _ticker: EpochTicker,
}

impl Host {
    /// Creates the engine and links WASI; no app is loaded yet.
    pub fn new(config: HostConfig) -> anyhow::Result<Self> {
        let (engine, pooling) = create_engine(&config)?;
        let mut linker = Linker::new(&engine);
        wasmtime_wasi::p2::add_to_linker_async(&mut linker)
            .map_err(anyhow::Error::from)
            .context("failed to link WASI")?;
        wasmtime_wasi_http::p2::add_only_http_to_linker_async(&mut linker)
            .map_err(anyhow::Error::from)
            .context("failed to link WASI HTTP")?;
        let ticker = EpochTicker::start(&engine)?;
        Ok(Self {
            shared: Arc::new(Shared {
                engine,
                linker,
                config,
                apps: RwLock::new(BTreeMap::new()),
                pooling,
                _ticker: ticker,
            }),
        })
    }

    /// Returns whether instances come from the pooling allocator.
    pub fn uses_pooling(&self) -> bool {
        self.shared.pooling
    }

    /// Loads the component at `path` as app `name`, replacing an app of that name.
    pub async fn load_file(&self, name: &str, path: &Path) -> anyhow::Result<LoadReport> {
        let bytes = tokio::fs::read(path)
            .await
            .with_context(|| format!("failed to read component `{}`", path.display()))?;
        self.load_bytes(name, bytes).await.with_context(|| format!("failed to load `{}`", path.display()))
    }

    /// Loads a component from memory as app `name`, replacing an app of that name.
    pub async fn load_bytes(&self, name: &str, bytes: Vec<u8>) -> anyhow::Result<LoadReport> {
        validate_app_name(name)?;
        check_component_bytes(&bytes)?;
        let started = std::time::Instant::now();
        let engine = self.shared.engine.clone();
        let cache_dir = self.shared.config.cache_dir.clone();
        let (component, compile) =
            tokio::task::spawn_blocking(move || load_component(&engine, &bytes, cache_dir.as_deref()))
                .await
                .context("compile task failed")??;
        let compile_time = started.elapsed();

        let ready = std::time::Instant::now();
        let app = self.instantiate_app(name, &component).await?;
        self.shared.apps.write().unwrap_or_else(PoisonError::into_inner).insert(name.to_owned(), Arc::new(app));
        let swap_time = ready.elapsed();
        tracing::info!(app = name, ?compile, compile_ms = compile_time.as_millis() as u64, "app loaded");
        Ok(LoadReport { name: name.to_owned(), compile, compile_time, swap_time })
    }

    async fn instantiate_app(&self, name: &str, component: &Component) -> anyhow::Result<App> {
        let config = &self.shared.config;
        let settings = InstanceSettings {
            memory_limit: config.memory_limit,
            env: Vec::new(),
            timeout: config.timeout,
            limits: PoolLimits {
                max_instances: config.max_instances,
                max_queued: config.max_queued,
                keep_warm: config.keep_warm,
                fresh_instance_per_request: config.fresh_instance_per_request,
            },
            allowed_hosts: config.allowed_outbound.iter().map(|host| host.to_ascii_lowercase()).collect(),
        };
        let (engine, linker) = (&self.shared.engine, &self.shared.linker);
        if is_http_app(engine, component) {
            let mut settings = settings;
            settings.limits.fresh_instance_per_request |= !config.reuse_http_instances;
            return Ok(App::Http(HttpApp::load(engine, linker, component, Arc::from(name), settings)?));
        }
        let app = FunctionApp::load(engine, linker, component, Arc::from(name), settings).await?;
        Ok(App::Function(app))
    }

    /// Removes app `name`; returns whether it existed. Calls in flight finish.
    pub fn remove(&self, name: &str) -> bool {
        self.shared.apps.write().unwrap_or_else(PoisonError::into_inner).remove(name).is_some()
    }

    /// Returns app `name`.
    pub fn app(&self, name: &str) -> Option<Arc<App>> {
        self.shared.apps.read().unwrap_or_else(PoisonError::into_inner).get(name).cloned()
    }

    /// Returns all apps, ordered by name.
    pub fn apps(&self) -> Vec<Arc<App>> {
        self.shared.apps.read().unwrap_or_else(PoisonError::into_inner).values().cloned().collect()
    }

    /// Returns the HTTP router that serves every app.
    pub fn router(&self) -> axum::Router {
        crate::server::router(self.clone())
    }

    /// Serves the apps on `listener` until [`RunningServer::shutdown`] is called.
    pub fn serve(&self, listener: tokio::net::TcpListener) -> anyhow::Result<RunningServer> {
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = self.serve_until(listener, async {
            let _ = stopped.await;
        })?;
        Ok(RunningServer { local_addr: task.0, stop, task: task.1 })
    }

    /// Serves the apps on `listener` until `signal` completes, then lets requests in
    /// flight finish.
    pub fn serve_until(
        &self,
        listener: tokio::net::TcpListener,
        signal: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<(SocketAddr, tokio::task::JoinHandle<anyhow::Result<()>>)> {
        let local_addr = listener.local_addr().context("failed to read the listening address")?;
        let router = self.router();
        let header_timeout = self.shared.config.client_timeout;
        let task = tokio::spawn(async move {
            crate::server::listen::serve(listener, router, header_timeout, signal).await;
            Ok(())
        });
        Ok((local_addr, task))
    }
}

/// A server started by [`Host::serve`].
pub struct RunningServer {
    local_addr: SocketAddr,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
}

impl RunningServer {
    /// Returns the address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Stops accepting connections and waits for requests in flight to finish.
    pub async fn shutdown(self) -> anyhow::Result<()> {
        let _ = self.stop.send(());
        self.task.await.context("server task panicked")?
    }
}

/// Checks that `name` can be a path segment and a host name label: lower-case
/// letters, digits, `-` and `_`, starting with a letter or digit, without `--`
/// (which separates app and function in `{app}--{function}.localhost`).
pub fn validate_app_name(name: &str) -> anyhow::Result<()> {
    let valid_start = name.bytes().next().is_some_and(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit());
    let valid_bytes = name.bytes().all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-' || byte == b'_');
    if !valid_start || !valid_bytes || name.contains("--") || name.len() > 63 {
        anyhow::bail!(
            "invalid app name `{name}`: use 1 to 63 lower-case letters, digits, `-` and `_`, \
             starting with a letter or digit, without `--`"
        );
    }
    Ok(())
}

/// Rejects bytes that are not a WebAssembly component, with the fix.
fn check_component_bytes(bytes: &[u8]) -> anyhow::Result<()> {
    const MAGIC: &[u8] = b"\0asm";
    // The version field is 1 for core modules and 0x0001000d for components.
    const CORE_MODULE: &[u8] = &[1, 0, 0, 0];
    if !bytes.starts_with(MAGIC) {
        anyhow::bail!("not a WebAssembly binary (it lacks the `\\0asm` header)");
    }
    if bytes.get(4..8) == Some(CORE_MODULE) {
        anyhow::bail!(
            "this is a core WebAssembly module, not a component: build it with \
             `cargo build --target wasm32-wasip2` or `cargo component build`"
        );
    }
    Ok(())
}
