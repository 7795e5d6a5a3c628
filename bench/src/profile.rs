//! Short callgrind profiles of in-process workloads.
//!
//! `perf` needs hardware counters for an instruction profile; on a machine where
//! `perf stat -e instructions true` reports them unsupported (most VMs), the runner
//! uses callgrind on a short in-process run instead. Either way the profile covers
//! the host; code that Cranelift generated shows up as unnamed addresses.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use anyhow::Context as _;

use crate::inprocess::Workload;

/// Functions listed per profile.
pub const TOP: usize = 15;

/// The hottest functions of one profile.
#[derive(Clone, Debug)]
pub struct Profile {
    /// What ran.
    pub workload: Workload,
    /// Iterations of the workload.
    pub iterations: usize,
    /// The command, for the report.
    pub command: String,
    /// Instructions per iteration: the run with `iterations` less the run with
    /// one, divided by the difference.
    pub instructions_per_iteration: f64,
    /// `(share of the iterations' instructions in percent, function)`, hottest
    /// first, by the function's own instructions.
    pub top: Vec<(f64, String)>,
    /// `(kind of work, share in percent)` over all functions, largest first.
    pub kinds: Vec<(&'static str, f64)>,
}

/// Sorts a function into a kind of work, by its name.
pub fn kind_of(function: &str) -> &'static str {
    const ALLOCATOR: &[&str] = &["malloc", "free", "cfree", "realloc", "calloc", "_int_malloc", "_int_free", "_int_realloc", "malloc_consolidate"];
    if ALLOCATOR.contains(&function) || function.starts_with("unlink_chunk") || function.starts_with("__rust_") {
        "allocator"
    } else if function.contains("memcpy") || function.contains("memset") || function.contains("memmove") {
        "memcpy and memset"
    } else if function.starts_with("core::fmt") || function.contains("fmt::Write") || function.contains("Utf8Chunks") || function.starts_with("nu_ansi_term") || function.starts_with("tracing") || function.contains("tracing_subscriber") {
        "formatting and logging"
    } else if function.starts_with("0x") {
        "guest code (Cranelift)"
    } else if function.starts_with("sha2::") {
        "SHA-256"
    } else if function.contains("wasmtime") || function.starts_with("cranelift") {
        "wasmtime"
    } else if ["hyper", "axum", "tokio", "mio", "http::", "tower", "<hyper", "<axum", "<tokio", "<tower"].iter().any(|prefix| function.starts_with(prefix)) {
        "hyper, axum and tokio"
    } else if function.contains("fnhost") {
        "fnhost"
    } else {
        "other"
    }
}

/// Whether `perf` can count instructions here.
pub fn perf_counts_instructions() -> bool {
    Command::new("perf")
        .args(["stat", "-x,", "-e", "instructions", "true"])
        .output()
        .is_ok_and(|output| output.status.success() && !String::from_utf8_lossy(&output.stderr).contains("not supported"))
}

/// Whether valgrind is installed.
pub fn valgrind_available() -> bool {
    Command::new("valgrind").arg("--version").output().is_ok_and(|output| output.status.success())
}

/// Profiles `runner profile WORKLOAD N CACHE_DIR` under callgrind twice, with
/// `iterations` and with one, and keeps the difference: the cost of the
/// iterations without the set-up (engine, compile cache, linking). Files go to
/// `out_dir`.
pub fn callgrind(runner: &Path, workload: Workload, iterations: usize, cache: &Path, out_dir: &Path) -> anyhow::Result<Profile> {
    // Under valgrind the CPU reports other features, so the engine's compatibility
    // hash differs and the compile cache misses: one run under valgrind fills it,
    // so that neither profile shows Cranelift.
    let mut fill = Command::new("valgrind");
    fill.args(["--tool=none", "--smc-check=all"]).arg(runner).args(["profile", workload.name(), "1"]).arg(cache);
    crate::process::output(&mut fill).context("filling the compile cache under valgrind failed")?;
    let (base_total, base) = callgrind_run(runner, workload, 1, cache, out_dir)?;
    let (total, full) = callgrind_run(runner, workload, iterations, cache, out_dir)?;

    let spent = total.saturating_sub(base_total) as f64;
    let mut kinds: BTreeMap<&'static str, f64> = BTreeMap::new();
    for (function, count) in &full {
        let before = base.get(function).copied().unwrap_or(0);
        *kinds.entry(kind_of(function)).or_insert(0.0) += count.saturating_sub(before) as f64 * 100.0 / spent.max(1.0);
    }
    let mut kinds: Vec<(&'static str, f64)> = kinds.into_iter().collect();
    kinds.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut top: Vec<(f64, String)> = full
        .into_iter()
        .map(|(function, count)| {
            let before = base.get(&function).copied().unwrap_or(0);
            (count.saturating_sub(before) as f64 * 100.0 / spent.max(1.0), function)
        })
        .collect();
    top.sort_by(|a, b| b.0.total_cmp(&a.0));
    top.truncate(TOP);
    Ok(Profile {
        workload,
        iterations,
        command: format!("valgrind --tool=callgrind --smc-check=all target/release/fnhost-bench profile {} N CACHE_DIR", workload.name()),
        instructions_per_iteration: spent / iterations.saturating_sub(1).max(1) as f64,
        top,
        kinds,
    })
}

/// One callgrind run: its total and the instructions of each function.
fn callgrind_run(runner: &Path, workload: Workload, iterations: usize, cache: &Path, out_dir: &Path) -> anyhow::Result<(u64, BTreeMap<String, u64>)> {
    let out = out_dir.join(format!("callgrind.{}.{iterations}.out", workload.name()));
    let mut command = Command::new("valgrind");
    command
        .arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", out.display()))
        // Cranelift writes code at run time; without this valgrind may run stale code.
        .arg("--smc-check=all")
        .arg(runner)
        .args(["profile", workload.name(), &iterations.to_string()])
        .arg(cache);
    crate::process::output(&mut command).with_context(|| format!("profiling `{}` failed", workload.name()))?;
    // `--threshold=100` lists every function, not only those making up 99%;
    // `--auto=no` leaves out the annotated sources and their call lines.
    let annotated = crate::process::output(Command::new("callgrind_annotate").args(["--threshold=100", "--auto=no"]).arg(&out))?;
    Ok(parse_annotate(&annotated))
}

/// Reads `callgrind_annotate`'s output: the program total, and each function's
/// own instructions, summed over the source files it was inlined from.
fn parse_annotate(text: &str) -> (u64, BTreeMap<String, u64>) {
    let mut total = 0;
    let mut functions = BTreeMap::new();
    for line in text.lines() {
        let line = line.trim();
        let Some((count, rest)) = line.split_once(' ') else { continue };
        let Ok(count) = count.replace(',', "").parse::<u64>() else { continue };
        let rest = rest.trim_start();
        // Newer versions put `(12.34%)` after the count.
        let rest = match rest.strip_prefix('(').and_then(|inner| inner.split_once(')')) {
            Some((_, after)) => after.trim_start(),
            None => rest,
        };
        if rest.starts_with("PROGRAM TOTALS") {
            total = count;
            continue;
        }
        if total == 0 {
            continue;
        }
        // `file:function [object]`: keep the function, drop the object path.
        let name = rest.split(" [").next().unwrap_or(rest);
        let function = name.split_once(':').map_or(name, |(_, function)| function);
        *functions.entry(shorten(function)).or_insert(0) += count;
    }
    (total, functions)
}

/// Keeps long Rust paths readable: drops the hash suffix and callgrind's
/// recursion mark (`'2`), and cuts at 110 characters.
fn shorten(function: &str) -> String {
    let mut trimmed = match function.rfind("::h") {
        Some(at) if function.len() - at == 19 && function[at + 3..].chars().all(|c| c.is_ascii_hexdigit()) => &function[..at],
        _ => function,
    };
    if let Some((name, depth)) = trimmed.rsplit_once('\'')
        && !depth.is_empty()
        && depth.chars().all(|c| c.is_ascii_digit())
    {
        trimmed = name;
    }
    if trimmed.chars().count() > 110 {
        format!("{}…", trimmed.chars().take(110).collect::<String>())
    } else {
        trimmed.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotate_output_is_read() {
        let text = "\
--------------------------------------------------------------------------------
Ir
--------------------------------------------------------------------------------
1,000,000 (100.0%)  PROGRAM TOTALS

--------------------------------------------------------------------------------
Ir                 file:function
--------------------------------------------------------------------------------
250,000 (25.00%)  ./string/../sysdeps/x86_64/multiarch/memset-vec-unaligned-erms.S:__memset_avx2_unaligned_erms [/usr/lib/x86_64-linux-gnu/libc.so.6]
100,000 (10.00%)  ???:fnhost::server::dispatch::route::h0123456789abcdef [/work/target/release/fnhost-bench]
 50,000 ( 5.00%)  /rustc/library/core/src/fmt/mod.rs:core::fmt::write'2 [/work/target/release/fnhost-bench]
 20,000 ( 2.00%)  /rustc/library/core/src/fmt/mod.rs:core::fmt::write [/work/target/release/fnhost-bench]
";
        let (total, functions) = parse_annotate(text);
        assert_eq!(total, 1_000_000);
        assert_eq!(functions["__memset_avx2_unaligned_erms"], 250_000);
        assert_eq!(functions["fnhost::server::dispatch::route"], 100_000);
        assert_eq!(functions["core::fmt::write"], 70_000);
    }

    #[test]
    fn functions_fall_into_kinds() {
        assert_eq!(kind_of("_int_free"), "allocator");
        assert_eq!(kind_of("core::fmt::write"), "formatting and logging");
        assert_eq!(kind_of("0x0000000005574900"), "guest code (Cranelift)");
        assert_eq!(kind_of("wasmtime::runtime::vm::instance::Instance::new"), "wasmtime");
        assert_eq!(kind_of("fnhost::server::dispatch::route"), "fnhost");
    }

    #[test]
    fn names_keep_their_digits() {
        assert_eq!(shorten("sha2::sha256::compress256"), "sha2::sha256::compress256");
        assert_eq!(shorten("0x0000000005574900"), "0x0000000005574900");
    }
}
