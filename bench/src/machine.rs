//! What the machine is: CPU, cores, memory, kernel, and the tools' versions.

use std::process::Command;

/// Facts about the machine a run happened on.
#[derive(Clone, Debug)]
pub struct Machine {
    /// `model name` from `/proc/cpuinfo`.
    pub cpu: String,
    /// Cores this process may use.
    pub cores: usize,
    /// `MemTotal` from `/proc/meminfo`, in GiB.
    pub memory_gib: f64,
    /// Kernel release.
    pub kernel: String,
    /// `date -u` at the start of the run.
    pub date: String,
    /// `rustc --version`.
    pub rustc: String,
    /// First line of `wrk -v`.
    pub wrk: String,
    /// `wasmtime --version`, when installed.
    pub wasmtime: Option<String>,
    /// The repository's commit, with `+ changes` when the work tree differs.
    pub commit: String,
}

impl Machine {
    /// Reads the facts; a fact that cannot be read is `unknown`.
    pub fn read(wasmtime: Option<String>) -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find_map(|line| line.strip_prefix("model name").and_then(|rest| rest.split_once(':')).map(|(_, name)| name.trim().to_owned()))
            .unwrap_or_else(|| "unknown".to_owned());
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let memory_kib: f64 = meminfo
            .lines()
            .find_map(|line| line.strip_prefix("MemTotal:"))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0.0);
        let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").map(|text| text.trim().to_owned()).unwrap_or_else(|_| "unknown".to_owned());
        let dirty = run(Command::new("git").args(["status", "--porcelain"]).current_dir(crate::repo_root())).is_some_and(|text| !text.is_empty());
        let commit = run(Command::new("git").args(["rev-parse", "--short", "HEAD"]).current_dir(crate::repo_root()))
            .map(|hash| if dirty { format!("{hash} + changes") } else { hash })
            .unwrap_or_else(|| "unknown".to_owned());
        Machine {
            cpu,
            cores: std::thread::available_parallelism().map(usize::from).unwrap_or(0),
            memory_gib: memory_kib / (1024.0 * 1024.0),
            kernel,
            date: run(Command::new("date").args(["-u", "+%Y-%m-%d %H:%M UTC"])).unwrap_or_else(|| "unknown".to_owned()),
            rustc: run(Command::new("rustc").arg("--version")).unwrap_or_else(|| "unknown".to_owned()),
            wrk: wrk_version(),
            wasmtime,
            commit,
        }
    }
}

/// The first line of a command's stdout, trimmed.
fn run(command: &mut Command) -> Option<String> {
    let output = command.output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    Some(text.lines().next().unwrap_or("").trim().to_owned())
}

/// `wrk -v` prints its version first, then its usage, and exits with 1.
fn wrk_version() -> String {
    run(Command::new("wrk").arg("-v"))
        .filter(|line| !line.is_empty())
        .map(|line| line.split(" Copyright").next().unwrap_or(&line).to_owned())
        .unwrap_or_else(|| "unknown".to_owned())
}
