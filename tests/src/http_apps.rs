//! Whole HTTP apps for the tests: components exporting `wasi:http/incoming-handler`,
//! written in Rust (the examples `axum-app` and `stream`), Python
//! (componentize-py) and JavaScript (componentize-js). The Python and JavaScript
//! builds need PyPI and npm, and they run again only when their sources change.
//! A failed build panics with the tool's output, so a missing registry fails the
//! tests instead of skipping them.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use fnhost::{Host, HostConfig};

use crate::{TestHost, client, example_wasm, python_venv, repo_root};

/// Returns the path of the Rust axum app (`examples/axum-app`), built by [`crate::examples`].
pub fn axum_app() -> PathBuf {
    example_wasm("axum-app")
}

/// Returns the path of the Rust streaming app (`examples/stream`), built by [`crate::examples`].
pub fn stream_app() -> PathBuf {
    example_wasm("stream")
}

/// Returns the folder of the built Python and JavaScript apps, `target/http-apps`.
pub fn http_apps_dir() -> PathBuf {
    repo_root().join("target/http-apps")
}

/// Returns the folder of the Python and JavaScript apps' sources, `tests/http-apps`.
fn sources_dir() -> PathBuf {
    repo_root().join("tests/http-apps")
}

/// Returns the `wit/` folder of the wasmtime-wasi-http crate that the host uses,
/// found through `cargo metadata`. It contains the `wasi:http/proxy` world at the
/// version the host links.
pub fn wasi_http_wit() -> &'static Path {
    static WIT: OnceLock<PathBuf> = OnceLock::new();
    WIT.get_or_init(|| {
        let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        command.args(["metadata", "--format-version", "1", "--manifest-path"]).arg(repo_root().join("Cargo.toml"));
        let output = run(&mut command);
        let metadata: serde_json::Value = serde_json::from_slice(&output).expect("cargo metadata prints JSON");
        let packages = metadata["packages"].as_array().expect("cargo metadata lists packages");
        let manifest = packages
            .iter()
            .find(|package| package["name"] == "wasmtime-wasi-http")
            .and_then(|package| package["manifest_path"].as_str())
            .expect("the workspace depends on `wasmtime-wasi-http`");
        let wit = Path::new(manifest).parent().expect("a manifest sits in its crate").join("wit");
        assert!(wit.join("deps").is_dir(), "no WIT folder at `{}`", wit.display());
        wit
    })
}

/// Builds `tests/http-apps/python/app.py` with componentize-py (pinned in its
/// `requirements.txt`, installed into the virtual environment
/// `target/http-apps-venv`) into `target/http-apps/python-app.wasm`, once per
/// change of its inputs, and returns the component's path.
pub fn python_app() -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let source = sources_dir().join("python");
            let requirements = source.join("requirements.txt");
            let out = http_apps_dir().join("python-app.wasm");
            let wit = wasi_http_wit();
            let inputs = [source.join("app.py"), requirements.clone()];
            build_once(&out, &inputs, wit, || {
                let python = python_venv("http-apps-venv", &requirements);
                let componentize = python.with_file_name("componentize-py");
                let partial = out.with_extension("wasm.tmp");
                run(Command::new(componentize)
                    .arg("-d")
                    .arg(wit)
                    .args(["-w", "wasi:http/proxy", "componentize", "-p"])
                    .arg(&source)
                    .arg("app")
                    .arg("-o")
                    .arg(&partial));
                std::fs::rename(&partial, &out).expect("built component can be moved into place");
            });
            out
        })
        .clone()
}

/// Builds `tests/http-apps/js/app.js` with componentize-js (pinned in its
/// `package-lock.json`, installed with `npm ci` into the folder's own
/// `node_modules`) into `target/http-apps/js-app.wasm`, once per change of its
/// inputs, and returns the component's path.
pub fn js_app() -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let source = sources_dir().join("js");
            let lock = source.join("package-lock.json");
            let out = http_apps_dir().join("js-app.wasm");
            let wit = wasi_http_wit();
            let inputs = [source.join("app.js"), source.join("build.mjs"), source.join("package.json"), lock.clone()];
            build_once(&out, &inputs, wit, || {
                // `npm ci` starts from an empty `node_modules` each time, so it runs only
                // when the lock file differs from the one last installed.
                let marker = source.join("node_modules/.fnhost-package-lock.json");
                let expected = std::fs::read_to_string(&lock).expect("package-lock.json is readable");
                if std::fs::read_to_string(&marker).ok().as_ref() != Some(&expected) {
                    run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&source));
                    std::fs::write(&marker, &expected).expect("marker file is writable");
                }
                run(Command::new("node")
                    .arg("build.mjs")
                    .arg("--wit")
                    .arg(wit)
                    .arg("--out")
                    .arg(&out)
                    .current_dir(&source));
            });
            out
        })
        .clone()
}

/// Runs `build` unless `out` exists and was built from the same `inputs` and WIT
/// folder. A file next to `out` records a hash of each input.
fn build_once(out: &Path, inputs: &[PathBuf], wit: &Path, build: impl FnOnce()) {
    let mut fingerprint = format!("wit {}\n", wit.display());
    for input in inputs {
        let bytes = std::fs::read(input).unwrap_or_else(|error| panic!("cannot read `{}`: {error}", input.display()));
        fingerprint.push_str(&format!("{:016x} {}\n", fnv1a(&bytes), input.display()));
    }
    let stamp = out.with_extension("wasm.inputs");
    if out.is_file() && std::fs::read_to_string(&stamp).is_ok_and(|built| built == fingerprint) {
        return;
    }
    std::fs::create_dir_all(http_apps_dir()).expect("target/http-apps can be created");
    let started = Instant::now();
    build();
    eprintln!("built `{}` in {:.1} s", out.display(), started.elapsed().as_secs_f64());
    std::fs::write(&stamp, fingerprint).expect("stamp file is writable");
}

/// FNV-1a, 64 bits: enough to notice a changed source file.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

/// Runs `command` and returns its stdout; panics with its stdout and stderr when it
/// cannot start or fails.
fn run(command: &mut Command) -> Vec<u8> {
    let output = command.output().unwrap_or_else(|error| panic!("cannot run {command:?}: {error}"));
    assert!(
        output.status.success(),
        "{command:?} failed ({}):\n{}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// Starts a host on 127.0.0.1:0 serving each `(name, component)` of `apps`.
pub async fn start_http_apps(config: HostConfig, apps: &[(&str, &Path)]) -> TestHost {
    let host = Host::new(config).expect("host starts");
    for (name, wasm) in apps {
        host.load_file(name, wasm).await.unwrap_or_else(|error| panic!("app `{name}` failed to load: {error:#}"));
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
    let server = host.serve(listener).expect("server starts");
    let base = format!("http://{}", server.local_addr());
    TestHost { host, base, client: client(), server: Some(server) }
}

/// Returns a client that sends requests for `{app}.localhost:PORT` to `addr`, so that tests
/// can check routing by host name without a resolver.
pub fn client_for_host_names(apps: &[&str], addr: SocketAddr) -> reqwest::Client {
    apps.iter()
        .fold(reqwest::Client::builder().no_proxy(), |builder, app| builder.resolve(&format!("{app}.localhost"), addr))
        .build()
        .expect("client builds")
}

/// The `wasmtime` command-line tool when it is installed (on `PATH` or in
/// `~/.cargo/bin`), else `None`.
pub fn wasmtime_cli() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).map(|dir| dir.join("wasmtime")).collect::<Vec<_>>())
        .unwrap_or_default();
    let in_cargo = std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo/bin/wasmtime"));
    on_path.into_iter().chain(in_cargo).find(|candidate| candidate.is_file())
}

/// A `wasmtime serve` process on 127.0.0.1, for comparing answers with fnhost's.
pub struct WasmtimeServe {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
}

impl WasmtimeServe {
    /// Runs `wasmtime serve` for `component` on a free port of 127.0.0.1 and waits
    /// (up to `wait`, since wasmtime compiles the component first) until it accepts
    /// connections.
    pub fn start(wasmtime: &Path, component: &Path, wait: Duration) -> WasmtimeServe {
        let port = {
            let probe = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
            probe.local_addr().expect("bound address").port()
        };
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        // `-Scli` links the WASI command interfaces that Rust and Python guests
        // import besides the proxy world.
        let child = Command::new(wasmtime)
            .args(["serve", "-Scli", "--addr"])
            .arg(addr.to_string())
            .arg(component)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start `{}`: {error}", wasmtime.display()));
        let mut serve = WasmtimeServe { child, base: format!("http://{addr}") };
        let deadline = Instant::now() + wait;
        while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
            if let Ok(Some(status)) = serve.child.try_wait() {
                panic!("`wasmtime serve` for `{}` exited: {status}", component.display());
            }
            assert!(Instant::now() < deadline, "`wasmtime serve` for `{}` did not listen in time", component.display());
            std::thread::sleep(Duration::from_millis(100));
        }
        serve
    }
}

impl Drop for WasmtimeServe {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Peak resident memory of this process so far (`VmHWM`), in bytes.
pub fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status is readable");
    let line = status.lines().find(|line| line.starts_with("VmHWM:")).expect("`VmHWM` is in /proc/self/status");
    let kib: u64 = line
        .trim_start_matches("VmHWM:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("unreadable `{line}`"));
    kib * 1024
}
