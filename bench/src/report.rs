//! The results of a run and their Markdown.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

use crate::inprocess::{ColdWarm, SwapResult};
use crate::machine::Machine;
use crate::profile::Profile;
use crate::stats::{Spread, percentile};
use crate::wrk::{self, WrkResult};

/// How a run was sized.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    /// Smoke mode: short runs, no targets, peers skipped when missing.
    pub smoke: bool,
    /// Seconds of each measured wrk run.
    pub seconds: u32,
    /// Measured runs per scenario.
    pub runs: usize,
    /// Seconds of the unrecorded wrk run before each measured one.
    pub warmup_seconds: u32,
    /// Start-ups per start-up scenario.
    pub startup_runs: usize,
    /// Requests per kind in the cold-against-warm measurement.
    pub cold_warm_iterations: usize,
    /// Concurrent sleeping calls.
    pub concurrent_calls: usize,
    /// How long each of them sleeps in the guest, in milliseconds.
    pub sleep_ms: u64,
    /// Swaps timed one by one.
    pub idle_swaps: usize,
    /// Swaps under load.
    pub load_swaps: usize,
}

/// One load scenario and its measured runs.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// Short name used in targets.
    pub key: &'static str,
    /// What it is.
    pub title: String,
    /// The server's command, with the port replaced by `PORT`.
    pub command: String,
    /// Path the load goes to.
    pub path: String,
    /// Measured runs, in order.
    pub runs: Vec<WrkResult>,
    /// Why it did not run.
    pub skipped: Option<String>,
}

impl Scenario {
    /// Median, min and max requests per second.
    pub fn rps(&self) -> Option<Spread> {
        Spread::of(&self.runs.iter().map(|run| run.requests_per_sec).collect::<Vec<_>>())
    }

    fn p50(&self) -> Option<Spread> {
        Spread::of(&self.runs.iter().map(|run| run.p50_us).collect::<Vec<_>>())
    }

    fn p99(&self) -> Option<Spread> {
        Spread::of(&self.runs.iter().map(|run| run.p99_us).collect::<Vec<_>>())
    }

    fn failures(&self) -> u64 {
        self.runs.iter().map(|run| run.failures).sum()
    }
}

/// One start-up scenario.
#[derive(Clone, Debug)]
pub struct Startup {
    /// Short name used in targets.
    pub key: &'static str,
    /// What it is.
    pub title: String,
    /// The command, with the port replaced by `PORT`.
    pub command: String,
    /// Spawn to first 200, in milliseconds, per run.
    pub times_ms: Vec<f64>,
    /// Why it did not run.
    pub skipped: Option<String>,
}

/// The concurrent sleeping calls and the memory they took.
#[derive(Clone, Debug)]
pub struct Concurrency {
    /// The server's command.
    pub command: String,
    /// Calls sent at once.
    pub calls: usize,
    /// Milliseconds each sleeps in the guest.
    pub sleep_ms: u64,
    /// Count of each status (`200`, `503`, or an error text).
    pub statuses: BTreeMap<String, usize>,
    /// From sending the first to the last answer.
    pub elapsed: Duration,
    /// `VmRSS` after the app loaded, before any call, KiB.
    pub rss_before_kib: u64,
    /// `VmHWM` after the calls, KiB.
    pub hwm_kib: u64,
    /// `VmRSS` after the calls, with their instances idle and warm, KiB.
    pub rss_idle_kib: u64,
}

/// Verdict on one target.
#[derive(Clone, Debug)]
pub enum Verdict {
    /// Met, with the margin.
    Pass(String),
    /// Missed, by how much.
    Miss(String),
    /// Not measured, and why.
    Skipped(String),
}

/// One target of the suite.
#[derive(Clone, Debug)]
pub struct Target {
    /// What is compared.
    pub title: String,
    /// The goal.
    pub goal: String,
    /// The measured value.
    pub measured: String,
    /// Met or not.
    pub verdict: Verdict,
}

/// Everything a run found.
#[derive(Clone, Debug)]
pub struct Report {
    /// The machine.
    pub machine: Machine,
    /// How the run was sized.
    pub settings: Settings,
    /// Load scenarios.
    pub scenarios: Vec<Scenario>,
    /// Start-up scenarios.
    pub startups: Vec<Startup>,
    /// Cold against warm instances, in process.
    pub cold_warm: Option<ColdWarm>,
    /// Concurrent sleeping calls.
    pub concurrency: Option<Concurrency>,
    /// Hot swaps.
    pub swap: Option<SwapResult>,
    /// Targets and verdicts.
    pub targets: Vec<Target>,
    /// Profiles of missed targets.
    pub profiles: Vec<Profile>,
    /// Why no profile was taken, when none was.
    pub profile_note: Option<String>,
    /// Remarks on how this run differed from the plan.
    pub notes: Vec<String>,
    /// Other commands the run used (set-up, compilation).
    pub commands: Vec<String>,
    /// Wall-clock time of the whole run.
    pub duration: Duration,
}

impl Report {
    /// Returns the scenario `key`.
    pub fn scenario(&self, key: &str) -> Option<&Scenario> {
        self.scenarios.iter().find(|scenario| scenario.key == key)
    }

    /// Returns the start-up scenario `key`.
    pub fn startup(&self, key: &str) -> Option<&Startup> {
        self.startups.iter().find(|startup| startup.key == key)
    }

    /// Renders the report as Markdown.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        self.write_markdown(&mut out).expect("writing to a String cannot fail");
        out
    }

    fn write_markdown(&self, out: &mut String) -> std::fmt::Result {
        let machine = &self.machine;
        let settings = &self.settings;
        writeln!(out, "# fnhost benchmarks\n")?;
        if settings.smoke {
            writeln!(out, "**Smoke run**: runs too short to mean anything; it checks that the suite works.\n")?;
        }
        writeln!(
            out,
            "Written by `make bench` (the runner `bench/src/main.rs`); rerun it rather than edit this file. \
             fnhost is measured against a raw axum server (the ceiling) and `wasmtime serve` (the peer) in \
             the same run, and every figure that matters is a ratio within this run: timings drift on a \
             shared machine, ratios much less.\n"
        )?;
        writeln!(out, "## Machine\n")?;
        writeln!(out, "| | |\n|---|---|")?;
        writeln!(out, "| date | {} |", machine.date)?;
        writeln!(out, "| CPU | {} |", machine.cpu)?;
        writeln!(out, "| cores | {} |", machine.cores)?;
        writeln!(out, "| memory | {:.1} GiB |", machine.memory_gib)?;
        writeln!(out, "| kernel | {} |", machine.kernel)?;
        writeln!(out, "| fnhost commit | {} |", machine.commit)?;
        writeln!(out, "| compiler | {} (release profile of the workspace) |", machine.rustc)?;
        writeln!(out, "| load generator | {} (Debian package `wrk`) |", machine.wrk)?;
        writeln!(out, "| peer | {} |", machine.wasmtime.as_deref().unwrap_or("`wasmtime` not installed"))?;
        writeln!(out, "| run time | {:.0} s for the runner |", self.duration.as_secs_f64())?;
        writeln!(out)?;

        writeln!(out, "## Method\n")?;
        writeln!(
            out,
            "- Every server answers `Hello, world!` as `text/plain; charset=utf-8`: the raw axum server \
             (`bench/src/bin/raw_axum.rs`), the function app `examples/bench-hello` and the wasi:http app \
             `examples/http-hello` (wstd), the last under both fnhost and `wasmtime serve`."
        )?;
        writeln!(
            out,
            "- Load: `{}` against each server in turn, all servers started up front. Each round measures \
             every scenario once ({} rounds), so drift spreads over all scenarios alike{}. Figures are \
             medians of the runs with min–max; ratios are taken between medians of this run. wrk and the \
             server share the {} cores.",
            wrk::command("URL", settings.seconds).join(" "),
            settings.runs,
            if settings.warmup_seconds > 0 {
                format!("; each measured run follows an unrecorded {} s run", settings.warmup_seconds)
            } else {
                String::new()
            },
            machine.cores
        )?;
        writeln!(
            out,
            "- fnhost runs with its default log level (`info`, a line per request) and its stderr sent to \
             `/dev/null`, as do the other servers; one scenario shows the host with `FNHOST_LOG=warn`."
        )?;
        writeln!(
            out,
            "- `make bench` takes the runner's time above plus `make build examples` (nothing when up to \
             date) and, the first time only, `cargo install wasmtime-cli --version '~48' --locked` (about 16 \
             minutes on 2 cores). `make bench-smoke` takes about 15 s."
        )?;
        writeln!(out, "- All traffic goes to 127.0.0.1.")?;
        for note in &self.notes {
            writeln!(out, "- {note}")?;
        }
        writeln!(out)?;

        writeln!(out, "## Throughput and latency at {} connections\n", wrk::CONNECTIONS)?;
        writeln!(out, "| scenario | requests/s | p50 latency | p99 latency | × raw axum | failed requests |")?;
        writeln!(out, "|---|---|---|---|---|---|")?;
        let ceiling = self.scenario("axum").and_then(Scenario::rps).map(|spread| spread.median);
        for scenario in &self.scenarios {
            if let Some(reason) = &scenario.skipped {
                writeln!(out, "| {} | skipped: {reason} | | | | |", scenario.title)?;
                continue;
            }
            let (Some(rps), Some(p50), Some(p99)) = (scenario.rps(), scenario.p50(), scenario.p99()) else { continue };
            let ratio = ceiling.map_or("–".to_owned(), |ceiling| format!("{:.2}×", rps.median / ceiling));
            writeln!(
                out,
                "| {} | {} | {} | {} | {ratio} | {} |",
                scenario.title,
                spread_text(rps, |value| format!("{value:.0}")),
                spread_text(p50, micros_text),
                spread_text(p99, micros_text),
                scenario.failures()
            )?;
        }
        writeln!(out)?;

        writeln!(out, "## Targets\n")?;
        if settings.smoke {
            writeln!(out, "Not judged in a smoke run.\n")?;
        } else {
            writeln!(out, "| target | goal | measured | verdict |\n|---|---|---|---|")?;
            for target in &self.targets {
                let verdict = match &target.verdict {
                    Verdict::Pass(margin) => format!("**PASS** ({margin})"),
                    Verdict::Miss(by) => format!("**MISS** ({by})"),
                    Verdict::Skipped(why) => format!("skipped: {why}"),
                };
                writeln!(out, "| {} | {} | {} | {verdict} |", target.title, target.goal, target.measured)?;
            }
            writeln!(out)?;
        }

        writeln!(out, "## Start-up: process spawn to first 200\n")?;
        writeln!(
            out,
            "The runner spawns the server and sends `GET` every millisecond until one answers 200, which \
             also creates the first instance. {} start-ups each.\n",
            settings.startup_runs
        )?;
        writeln!(out, "| server | spawn to first 200 | command |\n|---|---|---|")?;
        for startup in &self.startups {
            match (&startup.skipped, Spread::of(&startup.times_ms)) {
                (Some(reason), _) => writeln!(out, "| {} | skipped: {reason} | |", startup.title)?,
                (None, Some(spread)) => writeln!(
                    out,
                    "| {} | {} | `{}` |",
                    startup.title,
                    spread_text(spread, |value| format!("{value:.1} ms")),
                    startup.command
                )?,
                (None, None) => {}
            }
        }
        writeln!(out)?;

        if let Some(cold_warm) = &self.cold_warm {
            writeln!(out, "## Cost of a cold instance, in process\n")?;
            writeln!(
                out,
                "Two `Host`s in one process, one with `fresh_instance_per_request`, both serving \
                 `examples/bench-hello`; `host.router()` is driven with `tower::ServiceExt::oneshot`, \
                 {} requests each, alternating, timed until the body is read. No sockets are involved.\n",
                cold_warm.warm_us.len()
            )?;
            let (warm50, warm99) = (percentile(&cold_warm.warm_us, 50.0), percentile(&cold_warm.warm_us, 99.0));
            let (cold50, cold99) = (percentile(&cold_warm.cold_us, 50.0), percentile(&cold_warm.cold_us, 99.0));
            writeln!(out, "| instance | p50 | p99 |\n|---|---|---|")?;
            writeln!(out, "| warm (pooled) | {} | {} |", micros_text(warm50), micros_text(warm99))?;
            writeln!(out, "| cold (new instance, dropped after the call) | {} | {} |", micros_text(cold50), micros_text(cold99))?;
            writeln!(out, "| **added by a cold instance** | **{}** | **{}** |\n", micros_text(cold50 - warm50), micros_text(cold99 - warm99))?;
        }

        if let Some(concurrency) = &self.concurrency {
            writeln!(out, "## {} concurrent calls and memory\n", concurrency.calls)?;
            writeln!(
                out,
                "`{}` serves `examples/faults`; the runner opens {} connections at once, each sending \
                 `GET /faults/sleep?ms={}` (the guest sleeps that long), and counts the statuses. The host's \
                 memory comes from `/proc/PID/status`.\n",
                concurrency.command, concurrency.calls, concurrency.sleep_ms
            )?;
            let statuses: Vec<String> = concurrency.statuses.iter().map(|(status, count)| format!("{count} × {status}")).collect();
            let ok = concurrency.statuses.get("200").copied().unwrap_or(0);
            writeln!(out, "| | |\n|---|---|")?;
            writeln!(out, "| answers | {} ({}) |", statuses.join(", "), if ok == concurrency.calls { "all succeeded" } else { "**some failed**" })?;
            writeln!(out, "| all answered after | {:.2} s |", concurrency.elapsed.as_secs_f64())?;
            writeln!(out, "| host RSS with the app loaded, no instance | {} |", mib_text(concurrency.rss_before_kib))?;
            writeln!(out, "| host peak RSS (VmHWM) | {} |", mib_text(concurrency.hwm_kib))?;
            writeln!(out, "| host RSS with {} idle warm instances | {} |", concurrency.calls, mib_text(concurrency.rss_idle_kib))?;
            let per_instance = concurrency.rss_idle_kib.saturating_sub(concurrency.rss_before_kib) as f64 / concurrency.calls as f64;
            writeln!(out, "| per idle warm instance | {per_instance:.0} KiB |\n")?;
        }

        if let Some(swap) = &self.swap {
            writeln!(out, "## Hot swap\n")?;
            writeln!(
                out,
                "An in-process `Host` serves `examples/faults` as app `swap` on 127.0.0.1 and is switched \
                 between two versions of it with `host.load_bytes` (the second carries an extra custom \
                 section, so it is a different component; both were compiled once beforehand, so each swap \
                 starts from a component that is ready). Swap = `LoadReport::swap_time` (link, set up the \
                 pool, replace the app); first request = the next `GET /swap/counter` on a new connection, \
                 which must come from the new version (its count is 1).\n"
            )?;
            writeln!(out, "| | median (min–max) |\n|---|---|")?;
            if let (Some(swap_time), Some(first)) = (Spread::of(&swap.swap_us), Spread::of(&swap.first_request_us)) {
                let total: Vec<f64> = swap.swap_us.iter().zip(&swap.first_request_us).map(|(a, b)| a + b).collect();
                let total = Spread::of(&total).expect("as many totals as swaps");
                writeln!(out, "| swap ({} swaps) | {} |", swap.swap_us.len(), spread_text(swap_time, micros_text))?;
                writeln!(out, "| first request served by the new version | {} |", spread_text(first, micros_text))?;
                writeln!(out, "| **new component ready to first request served** | **{}** |", spread_text(total, micros_text))?;
            }
            writeln!(
                out,
                "\nUnder load (`{}`), {} swaps: {} requests, **{} failed** (non-2xx answers and socket errors; \
                 must be 0).\n",
                swap.load_command, swap.swaps_under_load, swap.load.requests, swap.load.failures
            )?;
        }

        if !settings.smoke {
            writeln!(out, "## Profiles of missed targets\n")?;
            if let Some(note) = &self.profile_note {
                writeln!(out, "{note}\n")?;
            }
            for profile in &self.profiles {
                writeln!(
                    out,
                    "### `{}` workload: {:.0} k instructions per request\n",
                    profile.workload.name(),
                    profile.instructions_per_iteration / 1e3
                )?;
                writeln!(
                    out,
                    "`{}`, run with N = {} and N = 1; functions by their own instructions, as a share of the \
                     difference (the requests without the set-up):\n",
                    profile.command, profile.iterations
                )?;
                let kinds: Vec<String> = profile.kinds.iter().map(|(kind, share)| format!("{kind} {share:.0}%")).collect();
                writeln!(out, "By kind of work: {}.\n", kinds.join(", "))?;
                writeln!(out, "```")?;
                for (share, function) in &profile.top {
                    writeln!(out, "{share:5.1}%  {function}")?;
                }
                writeln!(out, "```\n")?;
            }
        }

        writeln!(out, "## Commands\n")?;
        writeln!(out, "Servers (each on its own free port on 127.0.0.1):\n")?;
        for scenario in self.scenarios.iter().filter(|scenario| scenario.skipped.is_none()) {
            writeln!(out, "- {}: `{}`, load on `{}`", scenario.title, scenario.command, scenario.path)?;
        }
        if let Some(concurrency) = &self.concurrency {
            writeln!(out, "- concurrency and memory: `{}`", concurrency.command)?;
        }
        writeln!(out, "\nOther steps:\n")?;
        for command in &self.commands {
            writeln!(out, "- `{command}`")?;
        }
        writeln!(out)?;
        Ok(())
    }
}

/// `median (min–max)`.
pub fn spread_text(spread: Spread, format: impl Fn(f64) -> String) -> String {
    format!("{} ({}–{})", format(spread.median), format(spread.min), format(spread.max))
}

/// Microseconds as `412 µs` or `1.52 ms`.
pub fn micros_text(micros: f64) -> String {
    if micros.abs() >= 1000.0 { format!("{:.2} ms", micros / 1000.0) } else { format!("{micros:.0} µs") }
}

fn mib_text(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}
