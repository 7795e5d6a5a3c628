//! The `fnhost` binary end to end: `serve` on crate folders and `.wasm` files, the
//! endpoint list it prints, its logs, the compile cache and a clean stop.

use std::time::Duration;

use fnhost_tests::{HostProcess, example_wasm, examples, repo_root};

const START: Duration = Duration::from_secs(600);

fn serve(extra: &[&str], cache: &std::path::Path) -> HostProcess {
    let cache = cache.to_str().unwrap();
    let mut args = vec!["serve", "--addr", "127.0.0.1:0", "--cache-dir", cache];
    args.extend_from_slice(extra);
    HostProcess::spawn(&args, START).unwrap()
}

#[test]
fn serve_crate_folder_prints_endpoints() {
    examples();
    let cache = tempfile::tempdir().unwrap();
    let folder = repo_root().join("examples/hello");

    let process = serve(&[folder.to_str().unwrap()], cache.path());
    std::thread::sleep(Duration::from_millis(200));

    let printed = process.stdout.lock().unwrap().join("\n");
    assert!(printed.contains("app `hello`:"), "{printed}");
    assert!(printed.contains(&format!("GET    {}/hello/square", process.base)), "{printed}");
    assert!(printed.contains(&format!("POST   {}/hello/greet", process.base)), "{printed}");
    let body = reqwest::blocking::get(format!("{}/hello/square?x=42", process.base)).unwrap().text().unwrap();
    assert_eq!(body, r#"{"square":1764}"#);
    assert_eq!(process.interrupt(), Some(0), "Ctrl-C stops the host cleanly");
}

#[test]
fn name_flag_renames_app() {
    let cache = tempfile::tempdir().unwrap();
    let wasm = example_wasm("hello");

    let process = serve(&["--name", "maths", wasm.to_str().unwrap()], cache.path());

    let response = reqwest::blocking::get(format!("{}/maths/square?x=3", process.base)).unwrap();
    assert_eq!(response.text().unwrap(), r#"{"square":9}"#);
}

#[test]
fn second_serve_uses_compile_cache() {
    let cache = tempfile::tempdir().unwrap();
    let wasm = example_wasm("hello");

    let first = serve(&[wasm.to_str().unwrap()], cache.path());
    let compiled = first.wait_for_log(&["app loaded", "Compiled"], Duration::from_secs(5));
    drop(first);
    let second = serve(&[wasm.to_str().unwrap()], cache.path());
    let cached = second.wait_for_log(&["app loaded", "Cached"], Duration::from_secs(5));

    assert!(compiled.is_some(), "the first run compiled the component");
    assert!(cached.is_some(), "the second run loaded it from the cache");
}

#[test]
fn guest_output_and_requests_are_logged() {
    let cache = tempfile::tempdir().unwrap();
    let wasm = example_wasm("faults");
    let process = serve(&[wasm.to_str().unwrap()], cache.path());

    let response = reqwest::blocking::get(format!("{}/faults/log", process.base)).unwrap();
    let request_id = response.headers()["x-request-id"].to_str().unwrap().to_owned();

    let stdout = process.wait_for_log(&["hello from stdout", "app=faults", "function=log", &request_id], START);
    let stderr = process.wait_for_log(&["hello from stderr", "stream=\"stderr\""], Duration::from_secs(5));
    let access = process.wait_for_log(&["served", "status=200", "cold=true", "method=GET", "path=/faults/log"], Duration::from_secs(5));
    assert!(stdout.is_some(), "stdout line tagged with app, function and request id");
    assert!(stderr.is_some(), "stderr line logged");
    assert!(access.is_some(), "request logged with status and cold start");
}

#[test]
fn trap_is_logged_with_request_id() {
    let cache = tempfile::tempdir().unwrap();
    let wasm = example_wasm("faults");
    let process = serve(&[wasm.to_str().unwrap()], cache.path());

    let response = reqwest::blocking::get(format!("{}/faults/panic", process.base)).unwrap();
    let request_id = response.headers()["x-request-id"].to_str().unwrap().to_owned();

    assert_eq!(response.status(), 500);
    let line = process.wait_for_log(&["guest trapped", "app=faults", "function=panic", &request_id], Duration::from_secs(5));
    assert!(line.is_some(), "trap logged with app, function and request id");
}

#[test]
fn missing_path_is_an_error() {
    let result = HostProcess::spawn(&["serve", "--addr", "127.0.0.1:0", "/nonexistent/app.wasm"], START);

    let error = result.err().expect("serve fails");
    assert!(error.contains("error: `/nonexistent/app.wasm` does not exist"), "{error}");
}

#[test]
fn core_module_is_rejected_with_fix() {
    let folder = tempfile::tempdir().unwrap();
    let module = folder.path().join("core.wasm");
    std::fs::write(&module, b"\0asm\x01\0\0\0").unwrap();

    let result = HostProcess::spawn(&["serve", "--addr", "127.0.0.1:0", module.to_str().unwrap()], START);

    let error = result.err().expect("serve fails");
    assert!(error.contains("core WebAssembly module, not a component"), "{error}");
}

#[test]
fn cargo_component_crate_serves() {
    let installed = std::process::Command::new("cargo")
        .args(["component", "--version"])
        .output()
        .is_ok_and(|output| output.status.success());
    if !installed {
        eprintln!("skipped: `cargo component` is not installed (`cargo install cargo-component --locked`)");
        return;
    }
    let folder = tempfile::tempdir().unwrap();
    let crate_dir = folder.path().join("component-hello");
    std::fs::create_dir_all(crate_dir.join("src")).unwrap();
    std::fs::copy(repo_root().join("examples/hello/src/lib.rs"), crate_dir.join("src/lib.rs")).unwrap();
    let manifest = format!(
        "[package]\nname = \"component-hello\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n\
         [lib]\ncrate-type = [\"cdylib\"]\n\n\
         [dependencies]\nfnhost-sdk = {{ path = {:?} }}\n\n\
         [package.metadata.component]\npackage = \"example:component-hello\"\n\n[workspace]\n",
        repo_root().join("guest-sdk")
    );
    std::fs::write(crate_dir.join("Cargo.toml"), manifest).unwrap();
    let cache = tempfile::tempdir().unwrap();

    let process = serve(&[crate_dir.to_str().unwrap()], cache.path());

    let body = reqwest::blocking::get(format!("{}/component-hello/square?x=5", process.base)).unwrap().text().unwrap();
    assert_eq!(body, r#"{"square":25}"#);
    let built = crate_dir.join("target/wasm32-wasip1/release/component_hello.wasm");
    assert!(built.is_file(), "cargo component built `{}`", built.display());
}

#[test]
fn guest_lines_are_whole() {
    let cache = tempfile::tempdir().unwrap();
    let wasm = example_wasm("faults");
    let process = serve(&[wasm.to_str().unwrap()], cache.path());

    reqwest::blocking::get(format!("{}/faults/log", process.base)).unwrap();

    let joined = process.wait_for_log(&["one line in three writes", "function=log"], Duration::from_secs(5));
    let unfinished = process.wait_for_log(&["no newline at the end", "function=log"], Duration::from_secs(5));
    assert!(joined.is_some(), "a line written in pieces is one log record");
    assert!(unfinished.is_some(), "an unfinished line is logged at the end of the call");
}

#[test]
fn same_app_name_twice_is_rejected() {
    let wasm = example_wasm("hello");
    let wasm = wasm.to_str().unwrap();

    let result = HostProcess::spawn(&["serve", "--addr", "127.0.0.1:0", "--no-cache", wasm, wasm], START);

    let error = result.err().expect("serve fails");
    assert!(error.contains("two paths make an app named `hello`"), "{error}");
}
