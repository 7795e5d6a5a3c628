//! Live reload for `fnhost serve`: watch an app's files, rebuild on change, and
//! swap the new version in while the old one finishes its requests.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use notify::{EventKind, RecursiveMode, Watcher as _};
use tokio::sync::mpsc;

use crate::Host;
use crate::host::App;
use crate::source::Source;

/// Quiet time after the last file event before a rebuild starts, so that an
/// editor's burst of writes (temporary file, rename, metadata) builds once.
pub const DEBOUNCE: Duration = Duration::from_millis(300);

/// Outcome of one reload.
#[derive(Clone, Debug)]
pub enum ReloadEvent {
    /// The new version serves.
    Reloaded {
        /// App name.
        app: String,
        /// Files whose change started the reload.
        changed: Vec<PathBuf>,
        /// Time spent in cargo (zero for a `.wasm`).
        build: Duration,
        /// Time spent compiling or loading the precompiled component.
        compile: Duration,
        /// Time from component ready to the new version serving.
        swap: Duration,
        /// The new routes (`METHOD /path`), when they differ from the old ones.
        routes: Option<Vec<String>>,
    },
    /// The change did not build or load; the previous version keeps serving.
    Failed {
        /// App name.
        app: String,
        /// Cause of the failure, as a one-line chain.
        error: String,
    },
}

impl fmt::Display for ReloadEvent {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReloadEvent::Reloaded { app, changed, build, compile, swap, routes } => {
                let files: Vec<String> = changed.iter().map(|path| display_name(path)).collect();
                write!(
                    formatter,
                    "reloaded `{app}` after changes to {}: build {}, compile {}, swap {}",
                    files.join(", "),
                    format_time(*build),
                    format_time(*compile),
                    format_time(*swap)
                )?;
                if let Some(routes) = routes {
                    write!(formatter, "; routes now {}", routes.join(", "))?;
                }
                Ok(())
            }
            ReloadEvent::Failed { app, error } => {
                write!(formatter, "reload of `{app}` failed, the previous version keeps serving: {error}")
            }
        }
    }
}

/// Watches one app's files until dropped.
pub struct AppWatcher {
    _watcher: notify::RecommendedWatcher,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for AppWatcher {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl AppWatcher {
    /// Watches the files of app `name` built from `source` and reloads it on change,
    /// reporting each reload to `report`.
    ///
    /// For a crate folder it watches the crate and every local path dependency
    /// (sources, `Cargo.toml`, `wit/`), skipping `target/` and hidden folders. For a
    /// `.wasm` it watches the file, including its replacement by a rename.
    pub async fn start(
        host: Host,
        name: String,
        source: Source,
        report: Arc<dyn Fn(ReloadEvent) + Send + Sync>,
    ) -> anyhow::Result<Self> {
        let (sender, receiver) = mpsc::unbounded_channel();
        let roots = watch_roots(&source).await?;
        let filter_roots = roots.clone();
        let wasm_file = match &source {
            Source::Wasm(path) => Some(absolute(path)),
            Source::Crate(_) => None,
        };
        let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            let Ok(event) = event else { return };
            if matches!(event.kind, EventKind::Access(_)) {
                return;
            }
            for path in event.paths {
                if is_relevant(&path, &filter_roots, wasm_file.as_deref()) {
                    let _ = sender.send(path);
                }
            }
        })
        .context("failed to start watching files")?;
        for (root, recursive) in &roots {
            let mode = if *recursive { RecursiveMode::Recursive } else { RecursiveMode::NonRecursive };
            watcher.watch(root, mode).with_context(|| format!("failed to watch `{}`", root.display()))?;
        }
        let task = tokio::spawn(reload_loop(host, name, source, receiver, report));
        Ok(Self { _watcher: watcher, task })
    }
}

async fn reload_loop(
    host: Host,
    name: String,
    source: Source,
    mut receiver: mpsc::UnboundedReceiver<PathBuf>,
    report: Arc<dyn Fn(ReloadEvent) + Send + Sync>,
) {
    while let Some(first) = receiver.recv().await {
        let mut changed = BTreeSet::from([first]);
        while let Ok(Some(path)) = tokio::time::timeout(DEBOUNCE, receiver.recv()).await {
            changed.insert(path);
        }
        if let Source::Wasm(path) = &source {
            wait_until_written(path).await;
        }
        // Editors save through temporary files that are gone by now; name only the
        // files that still exist, unless the change removed every one of them.
        if changed.iter().any(|path| path.exists()) {
            changed.retain(|path| path.exists());
        }
        let event = match reload(&host, &name, &source).await {
            Ok((build, compile, swap, routes)) => {
                ReloadEvent::Reloaded { app: name.clone(), changed: changed.into_iter().collect(), build, compile, swap, routes }
            }
            Err(error) => ReloadEvent::Failed { app: name.clone(), error: format!("{error:#}") },
        };
        match &event {
            ReloadEvent::Reloaded { .. } => tracing::info!(app = %name, "{event}"),
            ReloadEvent::Failed { .. } => tracing::warn!(app = %name, "{event}"),
        }
        report(event);
    }
}

type ReloadTimes = (Duration, Duration, Duration, Option<Vec<String>>);

async fn reload(host: &Host, name: &str, source: &Source) -> anyhow::Result<ReloadTimes> {
    let before = host.app(name).map(|app| routes(&app));
    let started = Instant::now();
    let built = source.build().await?;
    let build = started.elapsed();

    let report = host.load_file(name, &built.wasm).await?;
    let after = host.app(name).map(|app| routes(&app));
    let changed_routes = if before == after { None } else { after };
    Ok((build, report.compile_time, report.swap_time, changed_routes))
}

fn routes(app: &App) -> Vec<String> {
    match app {
        App::Function(app) => app
            .endpoints
            .iter()
            .flat_map(|endpoint| endpoint.methods.iter().map(move |method| format!("{method} {}", endpoint.path)))
            .collect(),
        App::Http(_) => vec!["* /".to_owned()],
    }
}

/// Waits (up to 2 s) until the file's size stops changing, so a component still
/// being copied is not loaded half-written.
async fn wait_until_written(path: &Path) {
    let mut last = None;
    for _ in 0..20 {
        let size = tokio::fs::metadata(path).await.ok().map(|metadata| metadata.len());
        if size.is_some() && size == last {
            return;
        }
        last = size;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Returns the folders to watch, each with whether to watch it recursively.
async fn watch_roots(source: &Source) -> anyhow::Result<Vec<(PathBuf, bool)>> {
    match source {
        Source::Wasm(path) => {
            let file = absolute(path);
            let folder = file.parent().map(Path::to_owned).unwrap_or_else(|| PathBuf::from("."));
            Ok(vec![(folder, false)])
        }
        Source::Crate(dir) => {
            let mut roots = vec![(absolute(dir), true)];
            for local in local_dependencies(dir).await {
                if !roots.iter().any(|(root, _)| local.starts_with(root)) {
                    roots.push((local, true));
                }
            }
            Ok(roots)
        }
    }
}

/// Returns the folders of the crate's local path dependencies, from `cargo metadata`.
async fn local_dependencies(dir: &Path) -> Vec<PathBuf> {
    let output = tokio::process::Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(["metadata", "--format-version", "1", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .stderr(std::process::Stdio::null())
        .output()
        .await;
    let Ok(output) = output else { return Vec::new() };
    let Ok(metadata) = serde_json::from_slice::<serde_json::Value>(&output.stdout) else { return Vec::new() };
    metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|package| package["source"].is_null())
        .filter_map(|package| Path::new(package["manifest_path"].as_str()?).parent().map(Path::to_owned))
        .collect()
}

/// Skips build output and hidden folders (`.git`, editor state) below a watched
/// root, and every file but the component when a `.wasm` is watched.
fn is_relevant(path: &Path, roots: &[(PathBuf, bool)], wasm_file: Option<&Path>) -> bool {
    if let Some(wasm_file) = wasm_file {
        return path == wasm_file;
    }
    let Some(relative) = roots.iter().find_map(|(root, _)| path.strip_prefix(root).ok()) else {
        return false;
    };
    !relative.components().any(|component| {
        let part = component.as_os_str().to_string_lossy();
        part == "target" || part.starts_with('.') || part.ends_with('~')
    })
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_owned())
}

fn display_name(path: &Path) -> String {
    path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string())
}

fn format_time(duration: Duration) -> String {
    if duration >= Duration::from_secs(1) {
        format!("{:.1}s", duration.as_secs_f64())
    } else {
        format!("{}ms", duration.as_millis())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_output_is_ignored() {
        let roots = vec![(PathBuf::from("/src/app"), true)];
        assert!(is_relevant(Path::new("/src/app/src/lib.rs"), &roots, None));
        assert!(!is_relevant(Path::new("/src/app/target/release/x"), &roots, None));
        assert!(!is_relevant(Path::new("/src/app/.git/index"), &roots, None));
        assert!(!is_relevant(Path::new("/elsewhere/lib.rs"), &roots, None));
    }

    #[test]
    fn only_the_component_counts() {
        let roots = vec![(PathBuf::from("/out"), false)];
        let wasm = Path::new("/out/app.wasm");
        assert!(is_relevant(wasm, &roots, Some(wasm)));
        assert!(!is_relevant(Path::new("/out/other.wasm"), &roots, Some(wasm)));
    }

    #[test]
    fn reload_line_lists_steps() {
        let event = ReloadEvent::Reloaded {
            app: "hello".to_owned(),
            changed: vec![PathBuf::from("/src/hello/src/lib.rs")],
            build: Duration::from_millis(1500),
            compile: Duration::from_millis(120),
            swap: Duration::from_micros(300),
            routes: None,
        };
        assert_eq!(event.to_string(), "reloaded `hello` after changes to lib.rs: build 1.5s, compile 120ms, swap 0ms");
    }
}
