//! Compares fnhost with FastAPI itself. The `compat` example and
//! `tests/compat/app.py` declare the same endpoints, and every request of
//! `tests/compat/corpus.json` goes to both. The statuses must be equal. For a 422
//! the sets of (`type`, `loc`) pairs must be equal, and for a 2xx the JSON bodies.
//! Each difference that fnhost makes on purpose is listed in
//! `DELIBERATE_DIFFERENCES` with its reason.
//!
//! FastAPI runs under uvicorn from a virtual environment at `target/compat-venv`.
//! The first run creates it from the pinned `tests/compat/requirements.txt`, so
//! that run needs access to PyPI.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fnhost_tests::{TestHost, repo_root, test_config};
use serde_json::Value;

/// Corpus requests where fnhost differs from FastAPI on purpose, by request name,
/// each with the reason. The test fails when a listed request no longer differs,
/// so that the list stays true.
const DELIBERATE_DIFFERENCES: &[(&str, &str)] = &[
    (
        "int-past-i64",
        "fnhost checks integers against the Rust type's range (i64 here) and returns 422 \
         `less_than_equal`, where Python's unbounded `int` accepts the value",
    ),
    (
        "order-qty-past-i64",
        "fnhost checks a model field against its Rust type's range (i64), where Python's \
         unbounded `int` accepts the value",
    ),
    (
        "float-nan",
        "fnhost rejects NaN with `finite_number` because JSON cannot carry it to the guest, \
         where pydantic accepts it",
    ),
    (
        "float-inf",
        "fnhost rejects the infinities with `finite_number` because JSON cannot carry them \
         to the guest, where pydantic accepts them",
    ),
    (
        "measure-nan-literal",
        "`NaN` is not JSON, so fnhost's parser rejects it with `json_invalid`, where Python's \
         json module reads it",
    ),
    (
        "measure-huge-float",
        "1e400 overflows f64, so fnhost's parser rejects it with `json_invalid`, where Python \
         reads it as infinity",
    ),
    (
        "order-duplicate-key",
        "fnhost rejects a JSON object with a repeated key (`json_invalid`), where Python's \
         json module silently keeps the last value",
    ),
    (
        "order-no-content-type",
        "fnhost reads a body without a Content-Type as JSON, as FastAPI does with \
         `strict_content_type=False`. FastAPI's default passes the raw bytes on and returns 422",
    ),
    (
        "order-text-plain",
        "fnhost returns 415 to a JSON endpoint given another content type, where FastAPI \
         validates the raw bytes and returns 422",
    ),
    (
        "order-form-encoded",
        "fnhost returns 415 to a JSON endpoint given an urlencoded form, where FastAPI \
         validates the raw bytes and returns 422",
    ),
    (
        "form-fields-as-json",
        "fnhost returns 415 to a form endpoint given a JSON body, where FastAPI reads an empty \
         form and returns 422 `missing` for each field",
    ),
    (
        "string-invalid-utf8",
        "fnhost returns 400 for a query string whose percent-decoded bytes are not UTF-8, \
         where Starlette replaces them with U+FFFD and the function sees different text",
    ),
];

/// Time limit for uvicorn to respond to its first request.
const STARTUP_LIMIT: Duration = Duration::from_secs(60);

#[tokio::test]
async fn agrees_with_fastapi() {
    let compat = repo_root().join("tests/compat");
    let corpus: Vec<Value> = serde_json::from_str(
        &std::fs::read_to_string(compat.join("corpus.json")).expect("tests/compat/corpus.json is readable"),
    )
    .expect("corpus.json is a JSON array");
    check_deliberate_names(&corpus);

    let python = venv_python(&compat.join("requirements.txt"));
    let fastapi = Uvicorn::start(&python, &compat).await;
    let host = TestHost::start(test_config(), &["compat"]).await;
    let client = reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        // uvicorn closes the connection after a 500, so a pooled connection could
        // fail the next request.
        .pool_max_idle_per_host(0)
        .build()
        .expect("client builds");

    let mut failures = Vec::new();
    for case in &corpus {
        let name = case["name"].as_str().expect("every request has a name");
        let ours = send(&client, &host.base, case).await;
        let theirs = send(&client, &fastapi.base, case).await;
        let difference = compare(&ours, &theirs);
        match (difference, deliberate_reason(name)) {
            (Some(difference), None) => failures.push(report(case, &ours, &theirs, &difference)),
            (None, Some(_)) => failures.push(format!(
                "`{name}` is listed in DELIBERATE_DIFFERENCES, but fnhost and FastAPI now agree \
                 ({} {}): remove the entry",
                ours.status, ours.body
            )),
            (Some(difference), Some(reason)) => println!("deliberate: `{name}`: {difference} ({reason})"),
            (None, None) => {}
        }
    }

    host.stop().await;
    drop(fastapi);
    assert!(
        failures.is_empty(),
        "{} of {} requests differ from FastAPI:\n\n{}",
        failures.len(),
        corpus.len(),
        failures.join("\n\n")
    );
}

/// Checks that corpus names are unique and that each listed difference names one
/// corpus request, once.
fn check_deliberate_names(corpus: &[Value]) {
    let names: BTreeSet<&str> = corpus.iter().filter_map(|case| case["name"].as_str()).collect();
    assert_eq!(names.len(), corpus.len(), "corpus request names are unique");
    let mut listed = BTreeSet::new();
    for (name, _) in DELIBERATE_DIFFERENCES {
        assert!(names.contains(name), "DELIBERATE_DIFFERENCES names `{name}`, which is not in the corpus");
        assert!(listed.insert(name), "DELIBERATE_DIFFERENCES names `{name}` twice");
    }
}

fn deliberate_reason(name: &str) -> Option<&'static str> {
    DELIBERATE_DIFFERENCES.iter().find(|(listed, _)| *listed == name).map(|(_, reason)| *reason)
}

/// Status and body of one server's response.
struct ServerResponse {
    status: u16,
    body: String,
}

/// Sends one corpus request: `method` and `path` (with its query), optional
/// `headers`, and a body given as `json` or as raw text in `body`. A `json` body
/// is sent as `application/json` unless `content_type` is set.
async fn send(client: &reqwest::Client, base: &str, case: &Value) -> ServerResponse {
    let method = case["method"].as_str().expect("every request has a method");
    let path = case["path"].as_str().expect("every request has a path");
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("valid method");
    let mut request = client.request(method, format!("{base}{path}"));
    // Headers are `[name, value]` pairs, so that a name may repeat.
    for pair in case.get("headers").and_then(Value::as_array).into_iter().flatten() {
        let (Some(name), Some(value)) = (pair[0].as_str(), pair[1].as_str()) else {
            panic!("a header is a pair of strings, not {pair}");
        };
        request = request.header(name, value);
    }
    let content_type = case.get("content_type").and_then(Value::as_str);
    if let Some(json) = case.get("json") {
        request = request
            .header("content-type", content_type.unwrap_or("application/json"))
            .body(serde_json::to_vec(json).expect("JSON serialises"));
    } else if let Some(body) = case.get("body") {
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        request = request.body(body.as_str().expect("`body` is text").to_owned());
    }
    let response = request.send().await.unwrap_or_else(|error| panic!("{base}{path}: {error}"));
    let status = response.status().as_u16();
    let body = response.text().await.unwrap_or_else(|error| panic!("{base}{path}: unreadable body: {error}"));
    ServerResponse { status, body }
}

/// Describes how the two responses differ, or returns `None` when they agree.
fn compare(ours: &ServerResponse, theirs: &ServerResponse) -> Option<String> {
    if ours.status != theirs.status {
        return Some(format!("status {} != {}", ours.status, theirs.status));
    }
    let ours_json = serde_json::from_str::<Value>(&ours.body).ok();
    let theirs_json = serde_json::from_str::<Value>(&theirs.body).ok();
    if ours.status == 422 {
        let ours_errors = error_pairs(ours_json.as_ref());
        let theirs_errors = error_pairs(theirs_json.as_ref());
        if ours_errors == theirs_errors {
            return None;
        }
        let only_ours: Vec<&String> = ours_errors.difference(&theirs_errors).collect();
        let only_theirs: Vec<&String> = theirs_errors.difference(&ours_errors).collect();
        return Some(format!("422 errors differ: only fnhost {only_ours:?}, only FastAPI {only_theirs:?}"));
    }
    // Echoed values show coercion differences that the status alone hides.
    if (200..300).contains(&ours.status) && ours_json != theirs_json {
        return Some("response bodies differ".to_owned());
    }
    None
}

/// Collects the (`type`, `loc`) pairs of a 422 body, each written as `type at loc`.
fn error_pairs(body: Option<&Value>) -> BTreeSet<String> {
    let Some(errors) = body.and_then(|body| body["detail"].as_array()) else {
        return BTreeSet::from(["<no `detail` list>".to_owned()]);
    };
    errors.iter().map(|error| format!("{} at {}", error["type"].as_str().unwrap_or("?"), error["loc"])).collect()
}

fn report(case: &Value, ours: &ServerResponse, theirs: &ServerResponse, difference: &str) -> String {
    let mut text = format!(
        "`{}`: {difference}\n  request: {} {}",
        case["name"].as_str().unwrap_or_default(),
        case["method"].as_str().unwrap_or_default(),
        case["path"].as_str().unwrap_or_default()
    );
    for key in ["headers", "content_type", "json", "body"] {
        if let Some(value) = case.get(key) {
            let _ = write!(text, "\n  {key}: {value}");
        }
    }
    let _ = write!(text, "\n  fnhost:  {} {}\n  FastAPI: {} {}", ours.status, ours.body, theirs.status, theirs.body);
    text
}

/// Returns the Python of `target/compat-venv`. Creates the environment when it is
/// missing or cannot import the packages, and installs the packages when the
/// environment was set up from other requirements.
fn venv_python(requirements: &Path) -> PathBuf {
    let venv = repo_root().join("target/compat-venv");
    let python = venv.join("bin/python");
    let stamp = venv.join("requirements.installed");
    let expected = std::fs::read_to_string(requirements).expect("tests/compat/requirements.txt is readable");
    let imports = |python: &Path| {
        Command::new(python)
            .args(["-c", "import fastapi, uvicorn, multipart"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
    };
    let installed = std::fs::read_to_string(&stamp).ok();
    if installed.as_deref() == Some(expected.as_str()) && imports(&python) {
        return python;
    }

    if !imports(&python) && venv.exists() {
        // A broken environment (say, after a Python upgrade) is rebuilt from scratch.
        std::fs::remove_dir_all(&venv).expect("remove the broken target/compat-venv");
    }
    if !python.exists() {
        run_setup(Command::new("python3").arg("-m").arg("venv").arg(&venv), "python3 -m venv target/compat-venv");
    }
    run_setup(
        Command::new(&python)
            .args(["-m", "pip", "install", "--disable-pip-version-check", "--quiet", "-r"])
            .arg(requirements),
        "pip install -r tests/compat/requirements.txt",
    );
    assert!(
        imports(&python),
        "target/compat-venv still cannot import fastapi, uvicorn and multipart after pip install"
    );
    std::fs::write(&stamp, expected).expect("write the venv's requirements stamp");
    python
}

/// Runs one setup command, failing the test with its output when it fails.
fn run_setup(command: &mut Command, description: &str) {
    let output = command.output().unwrap_or_else(|error| {
        panic!("`{description}` failed to start: {error}. The FastAPI comparison needs python3.")
    });
    assert!(
        output.status.success(),
        "`{description}` failed ({}). The FastAPI comparison needs python3 with venv, and access to PyPI \
         on the first run.\n\
         stdout:\n{}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// uvicorn process serving `app.py` on 127.0.0.1. Dropping it kills the process,
/// also when the test panics.
struct Uvicorn {
    child: Child,
    base: String,
    _log_dir: tempfile::TempDir,
}

impl Uvicorn {
    async fn start(python: &Path, app_dir: &Path) -> Uvicorn {
        // The port was free a moment ago. If another process takes it first, uvicorn
        // exits and the start fails with its log.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("bind 127.0.0.1:0")
            .port();
        let log_dir = tempfile::tempdir().expect("temporary folder");
        let log_path = log_dir.path().join("uvicorn.log");
        let log = File::create(&log_path).expect("create the uvicorn log");
        let child = Command::new(python)
            .args(["-m", "uvicorn", "app:app", "--host", "127.0.0.1", "--log-level", "warning", "--port"])
            .arg(port.to_string())
            .arg("--app-dir")
            .arg(app_dir)
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log handle"))
            .stderr(log)
            .spawn()
            .expect("start uvicorn");
        let mut uvicorn = Uvicorn { child, base: format!("http://127.0.0.1:{port}"), _log_dir: log_dir };

        let client = fnhost_tests::client();
        let deadline = Instant::now() + STARTUP_LIMIT;
        loop {
            if client.get(format!("{}/openapi.json", uvicorn.base)).send().await.is_ok() {
                return uvicorn;
            }
            let exited = uvicorn.child.try_wait().expect("poll uvicorn");
            if exited.is_some() || Instant::now() > deadline {
                let log = std::fs::read_to_string(&log_path).unwrap_or_default();
                panic!("uvicorn did not start on {} ({exited:?}); its output:\n{log}", uvicorn.base);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for Uvicorn {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
