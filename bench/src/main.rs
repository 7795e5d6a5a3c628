//! `fnhost-bench`: runs the benchmark suite and writes `BENCHMARKS.md`.
//!
//! ```text
//! fnhost-bench [--smoke] [--out FILE] [--work-dir DIR]
//! fnhost-bench profile WORKLOAD ITERATIONS CACHE_DIR
//! ```
//!
//! The first form measures everything (see `BENCHMARKS.md`); `--smoke` makes every
//! run short, judges no target and skips `wasmtime serve` when it is missing. The
//! second runs one in-process workload (`warm`, `cold`, `http`, `startup`); the
//! runner starts it under callgrind to profile a missed target.
//!
//! Environment: `FNHOST_BENCH_SECONDS` (seconds per measured run; 5, or 1 in smoke
//! mode), `FNHOST_BENCH_RUNS` (runs per scenario; 3, or 1 in smoke mode),
//! `FNHOST_BIN` (the host binary; `target/release/fnhost`), `WASMTIME` (the peer;
//! `wasmtime` on `PATH` or in `~/.cargo/bin`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use fnhost_bench::inprocess::{self, FUNCTION_APP, FUNCTION_PATH, HTTP_APP, HTTP_PATH, Workload};
use fnhost_bench::machine::Machine;
use fnhost_bench::process::{self, Launch, Server};
use fnhost_bench::report::{Concurrency, Report, Scenario, Settings, Startup, Target, Verdict, micros_text};
use fnhost_bench::stats::{Spread, percentile};
use fnhost_bench::{client, examples_dir, profile, repo_root, wrk};

/// How long a server may take from spawn to its first 200; a cold compile of a
/// component takes seconds on two cores.
const READY_WAIT: Duration = Duration::from_secs(120);

/// Major version of `wasmtime serve` the suite compares against: the one the host
/// is built on.
const WASMTIME_MAJOR: &str = "48";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = if args.first().map(String::as_str) == Some("profile") { profile_command(&args[1..]) } else { bench_command(&args) };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// `fnhost-bench profile WORKLOAD ITERATIONS CACHE_DIR`.
fn profile_command(args: &[String]) -> anyhow::Result<()> {
    let [workload, iterations, cache] = args else {
        anyhow::bail!("usage: fnhost-bench profile WORKLOAD ITERATIONS CACHE_DIR");
    };
    let workload = Workload::parse(workload)?;
    let iterations: usize = iterations.parse().with_context(|| format!("`{iterations}` is not a count"))?;
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(inprocess::run_workload(workload, iterations, &examples_dir(), Path::new(cache)))
}

/// Paths of everything a run needs.
struct Tools {
    fnhost: PathBuf,
    axum: PathBuf,
    wasmtime: Option<(PathBuf, String)>,
    runner: PathBuf,
    function_wasm: PathBuf,
    http_wasm: PathBuf,
    faults_wasm: PathBuf,
    work: PathBuf,
    cache: PathBuf,
}

fn bench_command(args: &[String]) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut smoke = false;
    let mut out = repo_root().join("BENCHMARKS.md");
    let mut work = repo_root().join("target/fnhost-bench");
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--smoke" => smoke = true,
            "--out" => out = PathBuf::from(rest.next().context("`--out` needs a file")?),
            "--work-dir" => work = PathBuf::from(rest.next().context("`--work-dir` needs a folder")?),
            _ => anyhow::bail!("unknown argument `{arg}`; usage: fnhost-bench [--smoke] [--out FILE] [--work-dir DIR]"),
        }
    }
    let settings = settings(smoke)?;
    let tools = tools(smoke, work)?;
    let machine = Machine::read(tools.wasmtime.as_ref().map(|(_, version)| version.clone()));
    let runtime = tokio::runtime::Runtime::new()?;

    let mut commands = vec![
        "bash bench/setup.sh   # wrk and wasmtime-cli 48 when missing".to_owned(),
        "make build examples".to_owned(),
        format!("target/release/fnhost-bench{}", if smoke { " --smoke" } else { " --out BENCHMARKS.md" }),
    ];
    let cwasm = match &tools.wasmtime {
        Some((wasmtime, _)) => {
            let cwasm = tools.work.join("http-hello.cwasm");
            process::output(Command::new(wasmtime).arg("compile").arg(&tools.http_wasm).arg("-o").arg(&cwasm))?;
            commands.push(format!("wasmtime compile {} -o http-hello.cwasm", relative(&tools.http_wasm)));
            Some(cwasm)
        }
        None => None,
    };

    let notes = Vec::new();
    let scenarios = load_scenarios(&tools, &settings)?;
    let startups = startups(&tools, &settings, cwasm.as_deref())?;

    note("cold against warm instances, in process");
    let cold_warm = runtime.block_on(inprocess::cold_vs_warm(&tools.function_wasm, &tools.cache, settings.cold_warm_iterations))?;

    let concurrency = concurrency(&tools, &settings, &runtime)?;

    note("hot swap");
    let swap_seconds = settings.seconds.max(2);
    let swap = runtime.block_on(inprocess::hot_swap(&tools.faults_wasm, &tools.cache, settings.idle_swaps, swap_seconds, settings.load_swaps))?;

    let mut report = Report {
        machine,
        settings,
        scenarios,
        startups,
        cold_warm: Some(cold_warm),
        concurrency: Some(concurrency),
        swap: Some(swap),
        targets: Vec::new(),
        profiles: Vec::new(),
        profile_note: None,
        notes,
        commands,
        duration: Duration::ZERO,
    };
    if !smoke {
        let missed = judge(&mut report);
        profile_missed(&mut report, &tools, &missed);
    }
    report.duration = started.elapsed();
    std::fs::write(&out, report.markdown()).with_context(|| format!("cannot write `{}`", out.display()))?;
    note(&format!("wrote {} in {:.0} s", out.display(), report.duration.as_secs_f64()));
    Ok(())
}

fn settings(smoke: bool) -> anyhow::Result<Settings> {
    let number = |name: &str, default: u64| -> anyhow::Result<u64> {
        match std::env::var(name) {
            Ok(text) => text.parse().ok().filter(|value| *value >= 1).with_context(|| format!("`{name}` must be a whole number of at least 1, not `{text}`")),
            Err(_) => Ok(default),
        }
    };
    let seconds = number("FNHOST_BENCH_SECONDS", if smoke { 1 } else { 5 })? as u32;
    let runs = number("FNHOST_BENCH_RUNS", if smoke { 1 } else { 3 })? as usize;
    Ok(if smoke {
        Settings {
            smoke,
            seconds,
            runs,
            warmup_seconds: 0,
            startup_runs: 1,
            cold_warm_iterations: 200,
            concurrent_calls: 100,
            sleep_ms: 200,
            idle_swaps: 2,
            load_swaps: 2,
        }
    } else {
        Settings {
            smoke,
            seconds,
            runs,
            warmup_seconds: 1,
            startup_runs: 5,
            cold_warm_iterations: 5000,
            concurrent_calls: 1000,
            sleep_ms: 1000,
            idle_swaps: 10,
            load_swaps: 5,
        }
    })
}

fn tools(smoke: bool, work: PathBuf) -> anyhow::Result<Tools> {
    let fnhost = std::env::var_os("FNHOST_BIN").map(PathBuf::from).unwrap_or_else(|| repo_root().join("target/release/fnhost"));
    let runner = std::env::current_exe().context("cannot find the runner's own path")?;
    let axum = runner.with_file_name("fnhost-bench-axum");
    for (path, how) in [(&fnhost, "make build"), (&axum, "make build")] {
        if !path.is_file() {
            anyhow::bail!("`{}` is missing: run `{how}`", path.display());
        }
    }
    let examples = examples_dir();
    let wasm = |name: &str| -> anyhow::Result<PathBuf> {
        let path = examples.join(format!("{name}.wasm"));
        if !path.is_file() {
            anyhow::bail!("`{}` is missing: run `make examples`", path.display());
        }
        Ok(path)
    };
    if !wrk::available() {
        anyhow::bail!("`wrk` is missing: run `bash bench/setup.sh` (it installs Debian's `wrk`)");
    }
    let wasmtime = find_wasmtime();
    if wasmtime.is_none() && !smoke {
        anyhow::bail!("`wasmtime` {WASMTIME_MAJOR} is missing: run `bash bench/setup.sh`, or set `WASMTIME`");
    }
    if work.exists() {
        std::fs::remove_dir_all(&work).with_context(|| format!("cannot clear `{}`", work.display()))?;
    }
    let cache = work.join("cache");
    std::fs::create_dir_all(&cache).with_context(|| format!("cannot create `{}`", cache.display()))?;
    Ok(Tools {
        fnhost,
        axum,
        wasmtime,
        runner,
        function_wasm: wasm(FUNCTION_APP)?,
        http_wasm: wasm(HTTP_APP)?,
        faults_wasm: wasm("faults")?,
        work,
        cache,
    })
}

/// `$WASMTIME`, `wasmtime` on `PATH`, or `~/.cargo/bin/wasmtime`, when its version
/// is the one the host is built on.
fn find_wasmtime() -> Option<(PathBuf, String)> {
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Some(path) = std::env::var_os("WASMTIME") {
        candidates.push(PathBuf::from(path));
    }
    candidates.push(PathBuf::from("wasmtime"));
    if let Some(home) = std::env::var_os("HOME") {
        candidates.push(Path::new(&home).join(".cargo/bin/wasmtime"));
    }
    candidates.into_iter().find_map(|path| {
        let version = process::output(Command::new(&path).arg("--version")).ok()?;
        let version = version.trim().to_owned();
        version.starts_with(&format!("wasmtime {WASMTIME_MAJOR}.")).then_some((path, version))
    })
}

fn note(text: &str) {
    eprintln!("bench: {text}");
}

fn relative(path: &Path) -> String {
    path.strip_prefix(repo_root()).unwrap_or(path).display().to_string()
}

/// `fnhost serve` on `wasm` with the bench's compile cache.
fn fnhost_serve(tools: &Tools, addr: &str, extra: &[&str], wasm: &Path) -> Launch {
    Launch::new(&tools.fnhost)
        .args(["serve", "--no-watch", "--addr", addr, "--cache-dir"])
        .args([tools.cache.display().to_string()])
        .args(extra.iter().copied())
        .args([wasm.display().to_string()])
}

/// `wasmtime serve` with `flags` on `file`. `-S cli` lets the component import
/// `wasi:cli` (its environment, stdout, stderr), which Rust's standard library does.
fn wasmtime_serve(wasmtime: &Path, addr: &str, flags: &[&str], file: &Path) -> Launch {
    Launch::new(wasmtime).args(["serve", "-S", "cli", "--addr", addr]).args(flags.iter().copied()).args([file.display().to_string()])
}

/// `wasmtime serve` with the pooling allocator: instances come from preallocated
/// slots instead of fresh `mmap`s; still a new instance per request, the default
/// for a WASIp2 component.
const WASMTIME_POOLING_FLAGS: &[&str] = &["-O", "pooling-allocator=y"];

/// The fastest flags found for this component on wasmtime 48: the pooling allocator
/// and serial instance reuse. `--max-instance-reuse-count` defaults to 1 for WASIp2
/// components; a large count keeps one instance serving request after request, as
/// fnhost's warm pool does (a p2 instance still takes one request at a time).
const WASMTIME_REUSE_FLAGS: &[&str] = &["-O", "pooling-allocator=y", "--max-instance-reuse-count", "1000000"];

fn load_scenarios(tools: &Tools, settings: &Settings) -> anyhow::Result<Vec<Scenario>> {
    struct Planned {
        key: &'static str,
        title: &'static str,
        path: &'static str,
        launch: Option<(Launch, String)>,
    }
    let mut planned = Vec::new();
    let mut plan = |key, title, path, make: &dyn Fn(&str) -> Option<Launch>| -> anyhow::Result<()> {
        let addr = process::free_addr()?.to_string();
        planned.push(Planned { key, title, path, launch: make(&addr).map(|launch| (launch, addr)) });
        Ok(())
    };
    plan("axum", "raw axum hello world (ceiling)", "/hello", &|addr| Some(Launch::new(&tools.axum).args([addr])))?;
    plan("function", "fnhost function endpoint, warm instances", FUNCTION_PATH, &|addr| Some(fnhost_serve(tools, addr, &[], &tools.function_wasm)))?;
    plan("function-quiet", "fnhost function endpoint, warm, `FNHOST_LOG=warn`", FUNCTION_PATH, &|addr| {
        Some(fnhost_serve(tools, addr, &[], &tools.function_wasm).env("FNHOST_LOG", "warn"))
    })?;
    plan("fresh", "fnhost function endpoint, fresh instance per request", FUNCTION_PATH, &|addr| {
        Some(fnhost_serve(tools, addr, &["--fresh-instances"], &tools.function_wasm))
    })?;
    plan("http", "fnhost wasi:http app, fresh instance per request (the default)", HTTP_PATH, &|addr| {
        Some(fnhost_serve(tools, addr, &[], &tools.http_wasm))
    })?;
    plan("http-reuse", "fnhost wasi:http app, `--reuse-http-instances`", HTTP_PATH, &|addr| {
        Some(fnhost_serve(tools, addr, &["--reuse-http-instances"], &tools.http_wasm))
    })?;
    plan("wasmtime", "`wasmtime serve`, defaults", "/", &|addr| {
        tools.wasmtime.as_ref().map(|(wasmtime, _)| wasmtime_serve(wasmtime, addr, &[], &tools.http_wasm))
    })?;
    plan("wasmtime-pooling", "`wasmtime serve`, pooling allocator", "/", &|addr| {
        tools.wasmtime.as_ref().map(|(wasmtime, _)| wasmtime_serve(wasmtime, addr, WASMTIME_POOLING_FLAGS, &tools.http_wasm))
    })?;
    plan("wasmtime-reuse", "`wasmtime serve`, pooling allocator and instance reuse", "/", &|addr| {
        tools.wasmtime.as_ref().map(|(wasmtime, _)| wasmtime_serve(wasmtime, addr, WASMTIME_REUSE_FLAGS, &tools.http_wasm))
    })?;

    // Start every server up front; idle ones cost next to nothing.
    let mut servers: Vec<Option<Server>> = Vec::new();
    let mut scenarios = Vec::new();
    for item in &planned {
        let (server, command, skipped) = match &item.launch {
            Some((launch, addr)) => {
                note(&format!("starting {}", item.title));
                let addr = addr.parse()?;
                let (server, _) = Server::start_ready(launch.clone(), addr, item.path, READY_WAIT)?;
                let command = launch.display().replace(&addr.port().to_string(), "PORT");
                (Some(server), command, None)
            }
            None => (None, String::new(), Some("`wasmtime` not installed".to_owned())),
        };
        servers.push(server);
        scenarios.push(Scenario { key: item.key, title: item.title.to_owned(), command, path: item.path.to_owned(), runs: Vec::new(), skipped });
    }

    for round in 1..=settings.runs {
        for (scenario, server) in scenarios.iter_mut().zip(&servers) {
            let Some(server) = server else { continue };
            let url = format!("http://{}{}", server.addr, scenario.path);
            if settings.warmup_seconds > 0 {
                wrk::run(&url, settings.warmup_seconds)?;
            }
            let result = wrk::run(&url, settings.seconds)?;
            note(&format!(
                "round {round}/{}: {}: {:.0} req/s, p50 {}, p99 {}",
                settings.runs,
                scenario.title,
                result.requests_per_sec,
                micros_text(result.p50_us),
                micros_text(result.p99_us)
            ));
            scenario.runs.push(result);
        }
    }
    Ok(scenarios)
}

fn startups(tools: &Tools, settings: &Settings, cwasm: Option<&Path>) -> anyhow::Result<Vec<Startup>> {
    type Make<'a> = Box<dyn Fn(&str, usize) -> Launch + 'a>;
    let cold_dir = |run: usize| tools.work.join(format!("startup-cold-{run}"));
    let warm_dir = tools.work.join("startup-warm");
    let fnhost_with = |cache: &Path, addr: &str, wasm: &Path| {
        Launch::new(&tools.fnhost)
            .args(["serve", "--no-watch", "--addr", addr, "--cache-dir"])
            .args([cache.display().to_string(), wasm.display().to_string()])
    };
    let mut planned: Vec<(&'static str, &'static str, &'static str, Option<Make>)> = vec![
        ("fnhost-cold", "fnhost, wasi:http app, empty compile cache", HTTP_PATH, Some(Box::new(|addr: &str, run| fnhost_with(&cold_dir(run), addr, &tools.http_wasm)))),
        ("fnhost-warm", "fnhost, wasi:http app, warm compile cache", HTTP_PATH, Some(Box::new(|addr: &str, _| fnhost_with(&warm_dir, addr, &tools.http_wasm)))),
        ("fnhost-function-warm", "fnhost, function app, warm compile cache", FUNCTION_PATH, Some(Box::new(|addr: &str, _| fnhost_with(&warm_dir, addr, &tools.function_wasm)))),
    ];
    match (&tools.wasmtime, cwasm) {
        (Some((wasmtime, _)), Some(cwasm)) => {
            planned.push(("wasmtime-wasm", "`wasmtime serve`, `.wasm`, cache off", "/", Some(Box::new(move |addr: &str, _| wasmtime_serve(wasmtime, addr, &["-C", "cache=n"], &tools.http_wasm)))));
            planned.push(("wasmtime-cwasm", "`wasmtime serve`, precompiled `.cwasm`", "/", Some(Box::new(move |addr: &str, _| wasmtime_serve(wasmtime, addr, &["--allow-precompiled"], cwasm)))));
        }
        _ => {
            planned.push(("wasmtime-wasm", "`wasmtime serve`, `.wasm`, cache off", "/", None));
            planned.push(("wasmtime-cwasm", "`wasmtime serve`, precompiled `.cwasm`", "/", None));
        }
    }

    // Fill the warm cache once, unmeasured.
    for wasm in [&tools.http_wasm, &tools.function_wasm] {
        let addr = process::free_addr()?;
        let path = if wasm == &tools.http_wasm { HTTP_PATH } else { FUNCTION_PATH };
        Server::start_ready(fnhost_with(&warm_dir, &addr.to_string(), wasm), addr, path, READY_WAIT)?;
    }

    let mut results: Vec<Startup> = planned
        .iter()
        .map(|(key, title, _, make)| Startup {
            key,
            title: (*title).to_owned(),
            command: String::new(),
            times_ms: Vec::new(),
            skipped: make.is_none().then(|| "`wasmtime` not installed".to_owned()),
        })
        .collect();
    for run in 0..settings.startup_runs {
        for ((_, title, path, make), result) in planned.iter().zip(&mut results) {
            let Some(make) = make else { continue };
            let addr = process::free_addr()?;
            let launch = make(&addr.to_string(), run);
            result.command = launch.display().replace(&addr.port().to_string(), "PORT").replace(&format!("startup-cold-{run}"), "EMPTY-DIR");
            let (server, time) = Server::start_ready(launch, addr, path, READY_WAIT)?;
            drop(server);
            note(&format!("start-up {}/{}: {title}: {:.1} ms", run + 1, settings.startup_runs, time.as_secs_f64() * 1e3));
            result.times_ms.push(time.as_secs_f64() * 1e3);
        }
    }
    Ok(results)
}

fn concurrency(tools: &Tools, settings: &Settings, runtime: &tokio::runtime::Runtime) -> anyhow::Result<Concurrency> {
    note(&format!("{} concurrent sleeping calls", settings.concurrent_calls));
    let addr = process::free_addr()?;
    let calls = settings.concurrent_calls.to_string();
    let launch = fnhost_serve(tools, &addr.to_string(), &["--max-instances", &calls], &tools.faults_wasm);
    let command = launch.display().replace(&addr.port().to_string(), "PORT");
    // The health route answers without creating an instance.
    let (server, _) = Server::start_ready(launch, addr, "/_fnhost/health", READY_WAIT)?;
    std::thread::sleep(Duration::from_millis(300));
    let before = process::memory(server.pid())?;

    let path = format!("/faults/sleep?ms={}", settings.sleep_ms);
    let started = Instant::now();
    let replies = runtime.block_on(async {
        let tasks: Vec<_> = (0..settings.concurrent_calls)
            .map(|_| {
                let path = path.clone();
                tokio::spawn(async move { client::get_async(addr, &path).await })
            })
            .collect();
        let mut replies = Vec::with_capacity(tasks.len());
        for task in tasks {
            replies.push(task.await);
        }
        replies
    });
    let elapsed = started.elapsed();
    let after = process::memory(server.pid())?;
    let mut statuses = BTreeMap::new();
    for reply in replies {
        let key = match reply {
            Ok(Ok(reply)) => reply.status.to_string(),
            Ok(Err(error)) => format!("error: {error}"),
            Err(error) => format!("task failed: {error}"),
        };
        *statuses.entry(key).or_insert(0) += 1;
    }
    Ok(Concurrency {
        command,
        calls: settings.concurrent_calls,
        sleep_ms: settings.sleep_ms,
        statuses,
        elapsed,
        rss_before_kib: before.rss_kib,
        hwm_kib: after.hwm_kib,
        rss_idle_kib: after.rss_kib,
    })
}

/// A ratio target: `value / base ≥ goal`.
fn ratio_target(title: &str, value: Option<Spread>, base: Option<Spread>, goal: f64, base_name: &str) -> (Target, bool) {
    let goal_text = format!("≥ {goal}× {base_name}");
    let (Some(value), Some(base)) = (value, base) else {
        return (Target { title: title.to_owned(), goal: goal_text, measured: "–".to_owned(), verdict: Verdict::Skipped("not measured".to_owned()) }, false);
    };
    let ratio = value.median / base.median;
    let measured = format!("{ratio:.2}× ({:.0} / {:.0} req/s)", value.median, base.median);
    let verdict = if ratio >= goal {
        Verdict::Pass(format!("{:.0}% above the goal", (ratio / goal - 1.0) * 100.0))
    } else {
        Verdict::Miss(format!("{:.0}% short: needs {:.0} req/s more", (1.0 - ratio / goal) * 100.0, goal * base.median - value.median))
    };
    let missed = matches!(verdict, Verdict::Miss(_));
    (Target { title: title.to_owned(), goal: goal_text, measured, verdict }, missed)
}

/// Judges the targets; returns the workloads to profile for the missed ones.
fn judge(report: &mut Report) -> Vec<Workload> {
    let rps = |key: &str| report.scenario(key).and_then(Scenario::rps);
    let mut targets = Vec::new();
    let mut missed = Vec::new();

    let (target, miss) = ratio_target("function endpoint, warm", rps("function"), rps("axum"), 0.5, "raw axum");
    targets.push(target);
    if miss {
        missed.push(Workload::Warm);
    }

    let best_peer = [rps("wasmtime"), rps("wasmtime-pooling"), rps("wasmtime-reuse")].into_iter().flatten().max_by(|a, b| a.median.total_cmp(&b.median));
    let best_fnhost = [rps("http"), rps("http-reuse")].into_iter().flatten().max_by(|a, b| a.median.total_cmp(&b.median));
    let (target, miss) = ratio_target("wasi:http app", best_fnhost, best_peer, 1.5, "the best `wasmtime serve`");
    targets.push(target);
    if miss {
        missed.push(Workload::Http);
    }

    let (target, miss) = ratio_target("function endpoint, fresh instances", rps("fresh"), rps("axum"), 0.25, "raw axum");
    targets.push(target);
    if miss {
        missed.push(Workload::Cold);
    }

    let startup = |key: &str| report.startup(key).and_then(|startup| Spread::of(&startup.times_ms));
    let goal = "≤ `wasmtime serve` on a `.cwasm`".to_owned();
    targets.push(match (startup("fnhost-warm"), startup("wasmtime-cwasm")) {
        (Some(ours), Some(peer)) => {
            let measured = format!("{:.1} ms against {:.1} ms", ours.median, peer.median);
            let verdict = if ours.median <= peer.median {
                Verdict::Pass(format!("{:.1} ms faster", peer.median - ours.median))
            } else {
                missed.push(Workload::Startup);
                Verdict::Miss(format!("{:.1} ms ({:.0}%) slower", ours.median - peer.median, (ours.median / peer.median - 1.0) * 100.0))
            };
            Target { title: "start-up, warm compile cache".to_owned(), goal, measured, verdict }
        }
        _ => Target { title: "start-up, warm compile cache".to_owned(), goal, measured: "–".to_owned(), verdict: Verdict::Skipped("not measured".to_owned()) },
    });

    if let Some(cold_warm) = &report.cold_warm {
        let added = percentile(&cold_warm.cold_us, 50.0) - percentile(&cold_warm.warm_us, 50.0);
        let verdict = if added <= 20.0 {
            Verdict::Pass(format!("{} to spare", micros_text(20.0 - added)))
        } else {
            if !missed.contains(&Workload::Cold) {
                missed.push(Workload::Cold);
            }
            Verdict::Miss(format!("{} over", micros_text(added - 20.0)))
        };
        targets.push(Target { title: "cold instance, added p50 (in process)".to_owned(), goal: "≤ 20 µs".to_owned(), measured: micros_text(added), verdict });
    }

    if let Some(swap) = &report.swap {
        let failures = swap.load.failures;
        let verdict = if failures == 0 { Verdict::Pass("none failed".to_owned()) } else { Verdict::Miss(format!("{failures} failed")) };
        targets.push(Target {
            title: format!("hot swap under load, {} swaps", swap.swaps_under_load),
            goal: "0 failed requests".to_owned(),
            measured: format!("{failures} of {}", swap.load.requests),
            verdict,
        });
    }
    if let Some(concurrency) = &report.concurrency {
        let ok = concurrency.statuses.get("200").copied().unwrap_or(0);
        let verdict = if ok == concurrency.calls { Verdict::Pass("all succeeded".to_owned()) } else { Verdict::Miss(format!("{} failed", concurrency.calls - ok)) };
        targets.push(Target {
            title: format!("{} concurrent 1 s calls", concurrency.calls),
            goal: "all 200".to_owned(),
            measured: format!("{ok} × 200"),
            verdict,
        });
    }
    report.targets = targets;
    missed
}

/// Profiles the workloads behind missed targets with callgrind, briefly.
fn profile_missed(report: &mut Report, tools: &Tools, missed: &[Workload]) {
    if missed.is_empty() {
        report.profile_note = Some("Every target was met; no profile was taken.".to_owned());
        return;
    }
    let perf = profile::perf_counts_instructions();
    if !profile::valgrind_available() {
        report.profile_note = Some("valgrind is not installed (`apt-get install valgrind`), so no profile was taken.".to_owned());
        return;
    }
    report.profile_note = Some(format!(
        "{} Each profile runs the missed target's work in process (the real server on 127.0.0.1, one \
         kept-alive connection, the `fnhost` binary's log set-up writing to nowhere) under callgrind; \
         code that Cranelift generated appears as `0x…` addresses.",
        if perf {
            "`perf` counts instructions here, but the runner uses callgrind for profiles that compare across machines."
        } else {
            "`perf stat -e instructions true` reports the counter as not supported on this machine (no hardware \
             counters in the VM), so the runner profiles with callgrind instead."
        }
    ));
    for workload in missed {
        let iterations = match workload {
            Workload::Warm | Workload::Http => 2000,
            Workload::Cold => 1000,
            Workload::Startup => 2,
        };
        note(&format!("profiling the `{}` workload under callgrind", workload.name()));
        match profile::callgrind(&tools.runner, *workload, iterations, &tools.cache, &tools.work) {
            Ok(profile) => report.profiles.push(profile),
            Err(error) => note(&format!("profile of `{}` failed: {error:#}", workload.name())),
        }
    }
}
