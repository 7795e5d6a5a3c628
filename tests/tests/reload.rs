//! Live reload end to end, on copies of the `hello` example in temporary folders:
//! an edit changes the endpoint, a broken save keeps the old version, and requests
//! sent across reloads all succeed.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fnhost::reload::{AppWatcher, ReloadEvent};
use fnhost::source::Source;
use fnhost::{Host, RunningServer};
use fnhost_tests::{client, repo_root, test_config};

/// Builds of the copies share one target folder, so only the first compiles the SDK.
fn shared_target() -> PathBuf {
    repo_root().join("target/reload-tests")
}

/// Copies the `hello` example into a new crate `name` in a temporary folder.
fn copy_hello(name: &str) -> (tempfile::TempDir, PathBuf) {
    let folder = tempfile::tempdir().unwrap();
    let crate_dir = folder.path().join(name);
    std::fs::create_dir_all(crate_dir.join("src")).unwrap();
    std::fs::create_dir_all(crate_dir.join(".cargo")).unwrap();
    std::fs::copy(repo_root().join("examples/hello/src/lib.rs"), crate_dir.join("src/lib.rs")).unwrap();
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n\
         [lib]\ncrate-type = [\"cdylib\"]\n\n\
         [dependencies]\nfnhost-sdk = {{ path = {:?} }}\n\n[workspace]\n",
        repo_root().join("guest-sdk")
    );
    std::fs::write(crate_dir.join("Cargo.toml"), manifest).unwrap();
    // The examples' lock file pins the same dependency versions the examples build with.
    std::fs::copy(repo_root().join("examples/Cargo.lock"), crate_dir.join("Cargo.lock")).unwrap();
    std::fs::write(crate_dir.join(".cargo/config.toml"), format!("[build]\ntarget-dir = {:?}\n", shared_target())).unwrap();
    (folder, crate_dir)
}

struct Served {
    base: String,
    events: Arc<Mutex<Vec<String>>>,
    server: RunningServer,
    _watcher: AppWatcher,
}

async fn serve_watched(name: &str, source: Source) -> Served {
    let host = Host::new(test_config()).unwrap();
    let built = source.build().await.unwrap();
    host.load_file(name, &built.wasm).await.unwrap();
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&events);
    let report: Arc<dyn Fn(ReloadEvent) + Send + Sync> = Arc::new(move |event| sink.lock().unwrap().push(event.to_string()));
    let watcher = AppWatcher::start(host.clone(), name.to_owned(), source, report).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server = host.serve(listener).unwrap();
    Served { base: format!("http://{}", server.local_addr()), events, server, _watcher: watcher }
}

fn edit(file: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(file).unwrap();
    assert!(text.contains(from), "`{from}` is in {}", file.display());
    std::fs::write(file, text.replace(from, to)).unwrap();
}

/// Polls `url` until its body equals `expected`, for at most three minutes.
async fn wait_for_body(url: &str, expected: &str) -> bool {
    let client = client();
    let deadline = Instant::now() + Duration::from_secs(180);
    while Instant::now() < deadline {
        if let Ok(response) = client.get(url).send().await {
            if response.text().await.is_ok_and(|body| body == expected) {
                return true;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

async fn wait_for_event(events: &Mutex<Vec<String>>, part: &str) -> Option<String> {
    let deadline = Instant::now() + Duration::from_secs(180);
    while Instant::now() < deadline {
        if let Some(event) = events.lock().unwrap().iter().find(|event| event.contains(part)) {
            return Some(event.clone());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edit_changes_endpoint() {
    let (_folder, crate_dir) = copy_hello("reload-edit");
    let served = serve_watched("reload-edit", Source::Crate(crate_dir.clone())).await;
    let url = format!("{}/reload-edit/square?x=3", served.base);
    assert!(wait_for_body(&url, r#"{"square":9}"#).await);

    edit(&crate_dir.join("src/lib.rs"), "Square { square: x * x }", "Square { square: x * x + 1 }");

    assert!(wait_for_body(&url, r#"{"square":10}"#).await, "the edit was served");
    let event = wait_for_event(&served.events, "reloaded `reload-edit`").await.unwrap();
    assert!(event.contains("after changes to lib.rs: build "), "{event}");
    served.server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn syntax_error_keeps_old_version() {
    let (_folder, crate_dir) = copy_hello("reload-broken");
    let served = serve_watched("reload-broken", Source::Crate(crate_dir.clone())).await;
    let url = format!("{}/reload-broken/square?x=4", served.base);
    let source = crate_dir.join("src/lib.rs");

    edit(&source, "fnhost_sdk::export!();", "fnhost_sdk::export!();\nfn broken( {");
    let failed = wait_for_event(&served.events, "reload of `reload-broken` failed").await;

    assert!(failed.is_some(), "the failed build was reported");
    assert!(wait_for_body(&url, r#"{"square":16}"#).await, "the old version still serves");
    edit(&source, "\nfn broken( {", "");
    edit(&source, "Square { square: x * x }", "Square { square: -x * x }");
    assert!(wait_for_body(&url, r#"{"square":-16}"#).await, "the next good save recovered");
    served.server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_request_fails_across_reloads() {
    let (_folder, crate_dir) = copy_hello("reload-load");
    let served = serve_watched("reload-load", Source::Crate(crate_dir.clone())).await;
    let url = format!("{}/reload-load/square?x=2", served.base);
    let source = crate_dir.join("src/lib.rs");
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (sent, failed) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));

    let clients: Vec<_> = (0..4)
        .map(|_| {
            let (url, done, sent, failed) = (url.clone(), Arc::clone(&done), Arc::clone(&sent), Arc::clone(&failed));
            tokio::spawn(async move {
                let client = client();
                while !done.load(Ordering::Relaxed) {
                    let ok = client.get(&url).send().await.is_ok_and(|response| response.status() == 200);
                    sent.fetch_add(1, Ordering::Relaxed);
                    if !ok {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    for (from, to, answer) in [
        ("x * x }", "x * x + 1 }", r#"{"square":5}"#),
        ("x * x + 1 }", "x * x + 2 }", r#"{"square":6}"#),
        ("x * x + 2 }", "x * x + 3 }", r#"{"square":7}"#),
    ] {
        edit(&source, from, to);
        assert!(wait_for_body(&url, answer).await, "reload to {answer}");
    }
    done.store(true, Ordering::Relaxed);
    for client in clients {
        client.await.unwrap();
    }

    assert!(sent.load(Ordering::Relaxed) > 100, "the clients sent requests throughout");
    assert_eq!(failed.load(Ordering::Relaxed), 0, "no request failed during three reloads");
    served.server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replaced_wasm_is_reloaded() {
    let folder = tempfile::tempdir().unwrap();
    let wasm = folder.path().join("swap.wasm");
    let examples = fnhost_tests::examples();
    std::fs::copy(examples.join("hello.wasm"), &wasm).unwrap();
    let served = serve_watched("swap", Source::Wasm(wasm.clone())).await;

    // Written next to it and renamed over it, as build tools replace files.
    let staged = folder.path().join("swap.wasm.tmp");
    std::fs::copy(examples.join("types.wasm"), &staged).unwrap();
    std::fs::rename(&staged, &wasm).unwrap();

    let url = format!("{}/swap/text", served.base);
    assert!(wait_for_body(&url, "plain text").await, "the replaced component serves");
    served.server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apps_reload_independently() {
    let (_first_folder, first_dir) = copy_hello("reload-first");
    let (_second_folder, second_dir) = copy_hello("reload-second");
    let host = Host::new(test_config()).unwrap();
    let events = Arc::new(Mutex::new(Vec::new()));
    let mut watchers = Vec::new();
    for (name, dir) in [("reload-first", &first_dir), ("reload-second", &second_dir)] {
        let source = Source::Crate(dir.clone());
        host.load_file(name, &source.build().await.unwrap().wasm).await.unwrap();
        let sink = Arc::clone(&events);
        let report: Arc<dyn Fn(ReloadEvent) + Send + Sync> = Arc::new(move |event| sink.lock().unwrap().push(event.to_string()));
        watchers.push(AppWatcher::start(host.clone(), name.to_owned(), source, report).await.unwrap());
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server = host.serve(listener).unwrap();
    let base = format!("http://{}", server.local_addr());

    edit(&first_dir.join("src/lib.rs"), "Square { square: x * x }", "Square { square: x * x * x }");

    assert!(wait_for_body(&format!("{base}/reload-first/square?x=3"), r#"{"square":27}"#).await);
    assert!(wait_for_body(&format!("{base}/reload-second/square?x=3"), r#"{"square":9}"#).await);
    assert!(wait_for_event(&events, "reloaded `reload-first`").await.is_some());
    let reloaded: Vec<String> = events.lock().unwrap().clone();
    assert!(!reloaded.iter().any(|event| event.contains("`reload-second`")), "only the edited app reloaded: {reloaded:?}");
    server.shutdown().await.unwrap();
}
