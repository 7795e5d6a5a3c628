//! Harness for the end-to-end tests: builds the example guests once, starts real
//! hosts on 127.0.0.1:0 (in process through the library, or as the `fnhost`
//! binary) and hands out HTTP clients.

use std::io::{BufRead as _, BufReader, Read as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use fnhost::{Host, HostConfig, RunningServer};

pub mod http_apps;
pub use http_apps::{axum_app, js_app, python_app, stream_app, wasmtime_cli};

/// Root of the repository.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests crate sits in the repository").to_owned()
}

/// Builds every example guest once per test process and returns the folder of the
/// `.wasm` components.
pub fn examples() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let examples = repo_root().join("examples");
        let status = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .args(["build", "--release", "--target", "wasm32-wasip2"])
            .current_dir(&examples)
            .status()
            .expect("failed to run cargo for the examples");
        assert!(status.success(), "building the examples failed");
        examples.join("target/wasm32-wasip2/release")
    })
}

/// Path of the example component `name`.
pub fn example_wasm(name: &str) -> PathBuf {
    examples().join(format!("{name}.wasm"))
}

/// Compile cache shared by the tests, so each component compiles once per machine.
pub fn test_cache_dir() -> PathBuf {
    repo_root().join("target/fnhost-test-cache")
}

/// Host settings for tests: a small pool so that many hosts fit in one process.
pub fn test_config() -> HostConfig {
    HostConfig { pool_size: 64, max_instances: 16, cache_dir: Some(test_cache_dir()), ..HostConfig::default() }
}

/// A host running in this process on 127.0.0.1:0.
pub struct TestHost {
    /// The host, for loading apps and inspecting them.
    pub host: Host,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// A client without proxies.
    pub client: reqwest::Client,
    server: Option<RunningServer>,
}

impl TestHost {
    /// Starts a host with `config` serving the example apps in `apps`.
    pub async fn start(config: HostConfig, apps: &[&str]) -> TestHost {
        let host = Host::new(config).expect("host starts");
        for app in apps {
            host.load_file(app, &example_wasm(app)).await.expect("example loads");
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
        let server = host.serve(listener).expect("server starts");
        let base = format!("http://{}", server.local_addr());
        TestHost { host, base, client: client(), server: Some(server) }
    }

    /// Full URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends `GET path` and returns status and JSON body.
    pub async fn get_json(&self, path: &str) -> (u16, serde_json::Value) {
        let response = self.client.get(self.url(path)).send().await.expect("request succeeds");
        let status = response.status().as_u16();
        (status, response.json().await.expect("JSON body"))
    }

    /// Sends `POST path` with a JSON body and returns status and JSON body.
    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> (u16, serde_json::Value) {
        let response = self.client.post(self.url(path)).json(body).send().await.expect("request succeeds");
        let status = response.status().as_u16();
        (status, response.json().await.expect("JSON body"))
    }

    /// Stops the server and waits for it.
    pub async fn stop(mut self) {
        if let Some(server) = self.server.take() {
            server.shutdown().await.expect("server stops cleanly");
        }
    }
}

/// Creates an HTTP client that never uses a proxy.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().expect("client builds")
}

/// Returns the path of the `fnhost` binary that `make build` builds, or `$FNHOST_BIN`.
pub fn fnhost_binary() -> PathBuf {
    let path = std::env::var_os("FNHOST_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target/release/fnhost"));
    assert!(path.is_file(), "`{}` is missing: run `make build` first", path.display());
    path
}

/// A `fnhost` process started by a test.
pub struct HostProcess {
    child: Child,
    /// `http://ADDR` from the first line of stdout.
    pub base: String,
    /// Lines printed on stdout after the first.
    pub stdout: Arc<Mutex<Vec<String>>>,
    /// Lines printed on stderr (the log).
    pub stderr: Arc<Mutex<Vec<String>>>,
}

impl HostProcess {
    /// Runs `fnhost ARGS` and waits (up to `wait`) for `listening on http://ADDR`.
    pub fn spawn(args: &[&str], wait: Duration) -> Result<HostProcess, String> {
        let mut child = Command::new(fnhost_binary())
            .args(args)
            .env("FNHOST_LOG", "info")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|error| format!("failed to start fnhost: {error}"))?;
        let stderr = collect_lines(child.stderr.take().expect("piped stderr"));
        let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));

        let (sender, receiver) = std::sync::mpsc::channel();
        let stdout_lines = Arc::new(Mutex::new(Vec::new()));
        let lines = Arc::clone(&stdout_lines);
        std::thread::spawn(move || {
            let mut first = String::new();
            let _ = stdout.read_line(&mut first);
            let _ = sender.send(first);
            for line in stdout.lines().map_while(Result::ok) {
                lines.lock().unwrap().push(line);
            }
        });
        let first = receiver.recv_timeout(wait).unwrap_or_default();
        let Some(base) = first.trim().strip_prefix("listening on ") else {
            let _ = child.kill();
            let _ = child.wait();
            std::thread::sleep(Duration::from_millis(100));
            return Err(format!("fnhost did not start; stderr:\n{}", stderr.lock().unwrap().join("\n")));
        };
        Ok(HostProcess { child, base: base.to_owned(), stdout: stdout_lines, stderr })
    }

    /// Waits up to `wait` for a log line containing every one of `parts`.
    pub fn wait_for_log(&self, parts: &[&str], wait: Duration) -> Option<String> {
        let deadline = Instant::now() + wait;
        while Instant::now() < deadline {
            if let Some(line) =
                self.stderr.lock().unwrap().iter().find(|line| parts.iter().all(|part| line.contains(part)))
            {
                return Some(line.clone());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    /// Sends SIGINT, as Ctrl-C does, and returns the exit code.
    pub fn interrupt(mut self) -> Option<i32> {
        let _ = Command::new("kill").args(["-INT", &self.child.id().to_string()]).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        None
    }
}

impl Drop for HostProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn collect_lines(stream: impl std::io::Read + Send + 'static) -> Arc<Mutex<Vec<String>>> {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&lines);
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stream);
        let mut buffer = Vec::new();
        loop {
            buffer.clear();
            match reader.by_ref().take(1 << 20).read_until(b'\n', &mut buffer) {
                Ok(0) | Err(_) => break,
                Ok(_) => sink.lock().unwrap().push(String::from_utf8_lossy(&buffer).trim_end().to_owned()),
            }
        }
    });
    lines
}

/// Creates the virtual environment `target/NAME` with the packages pinned in
/// `requirements` (once per machine: a copy of the requirements inside the
/// environment marks it complete) and returns the path of its `python`.
///
/// Panics with pip's output when the environment cannot be made, because the tests
/// that need it cannot run without it.
pub fn python_venv(name: &str, requirements: &Path) -> PathBuf {
    static LOCK: Mutex<()> = Mutex::new(());
    let _guard = LOCK.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let venv = repo_root().join("target").join(name);
    let python = venv.join("bin/python");
    let marker = venv.join("fnhost-requirements.txt");
    let wanted = std::fs::read_to_string(requirements).expect("requirements file is readable");
    if python.is_file() && std::fs::read_to_string(&marker).is_ok_and(|installed| installed == wanted) {
        return python;
    }

    let run = |command: &mut Command| {
        let output = command.output().expect("python3 runs");
        assert!(
            output.status.success(),
            "{command:?} failed:\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    };
    run(Command::new("python3").args(["-m", "venv", "--clear"]).arg(&venv));
    run(Command::new(&python).args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r"]).arg(requirements));
    std::fs::write(&marker, wanted).expect("marker file is writable");
    python
}
