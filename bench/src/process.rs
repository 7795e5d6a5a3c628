//! Servers started as child processes, their memory, and free ports.

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context as _;

use crate::client;

/// Returns a loopback address with a port that was free a moment ago.
pub fn free_addr() -> anyhow::Result<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0").context("failed to find a free port")?;
    Ok(listener.local_addr()?)
}

/// What to run: a program, its arguments and extra environment variables.
#[derive(Clone, Debug)]
pub struct Launch {
    /// The program.
    pub program: PathBuf,
    /// Its arguments.
    pub args: Vec<String>,
    /// Variables set on top of the runner's environment.
    pub env: Vec<(String, String)>,
}

impl Launch {
    /// Starts building a launch of `program`.
    pub fn new(program: impl AsRef<Path>) -> Launch {
        Launch { program: program.as_ref().to_owned(), args: Vec::new(), env: Vec::new() }
    }

    /// Adds arguments.
    pub fn args<I, S>(mut self, args: I) -> Launch
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// Sets an environment variable.
    pub fn env(mut self, name: &str, value: &str) -> Launch {
        self.env.push((name.to_owned(), value.to_owned()));
        self
    }

    /// The command as a shell line, for the report. Paths below the repository are
    /// shown relative to it.
    pub fn display(&self) -> String {
        let root = format!("{}/", crate::repo_root().display());
        let mut parts: Vec<String> = self.env.iter().map(|(name, value)| format!("{name}={value}")).collect();
        parts.push(self.program.display().to_string());
        parts.extend(self.args.iter().cloned());
        parts.join(" ").replace(&root, "")
    }
}

/// A server running as a child process; killed when dropped.
pub struct Server {
    child: Child,
    /// Address it listens on.
    pub addr: SocketAddr,
    /// The command that started it.
    pub launch: Launch,
}

impl Server {
    /// Starts `launch`, which must listen on `addr`, with stdin, stdout and stderr
    /// discarded: at the default log level fnhost logs a line per request, and
    /// writing those to a file or pipe would cost the runner as much as the host.
    pub fn start(launch: Launch, addr: SocketAddr) -> anyhow::Result<Server> {
        let child = Command::new(&launch.program)
            .args(&launch.args)
            .envs(launch.env.iter().map(|(name, value)| (name, value)))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("failed to start `{}`", launch.display()))?;
        Ok(Server { child, addr, launch })
    }

    /// Starts `launch` and waits until `GET path` answers 200; returns the server
    /// and the time from spawning to that first 200.
    pub fn start_ready(launch: Launch, addr: SocketAddr, path: &str, wait: Duration) -> anyhow::Result<(Server, Duration)> {
        let started = Instant::now();
        let mut server = Server::start(launch, addr)?;
        server.wait_ready(path, started, wait)?;
        Ok((server, started.elapsed()))
    }

    /// Polls `GET path` every millisecond until it answers 200, the process exits,
    /// or `wait` has passed since `started`.
    pub fn wait_ready(&mut self, path: &str, started: Instant, wait: Duration) -> anyhow::Result<()> {
        loop {
            match client::get(self.addr, path, Duration::from_secs(5)) {
                Ok(reply) if reply.status == 200 => return Ok(()),
                Ok(reply) => anyhow::bail!("`{}` returned {} to `GET {path}`: {}", self.launch.display(), reply.status, reply.body),
                Err(_) => {}
            }
            if let Some(status) = self.child.try_wait()? {
                anyhow::bail!("`{}` exited with {status} before responding; run it by hand to see its log", self.launch.display());
            }
            if started.elapsed() > wait {
                anyhow::bail!("`{}` did not respond to `GET {path}` within {wait:?}", self.launch.display());
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    /// Process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Resident memory of a process, from `/proc/PID/status`, in KiB.
#[derive(Clone, Copy, Debug, Default)]
pub struct Memory {
    /// `VmRSS`: resident now.
    pub rss_kib: u64,
    /// `VmHWM`: the peak resident size so far.
    pub hwm_kib: u64,
}

/// Reads the memory of process `pid`.
pub fn memory(pid: u32) -> anyhow::Result<Memory> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).with_context(|| format!("no process `{pid}`"))?;
    let field = |name: &str| -> u64 {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    };
    Ok(Memory { rss_kib: field("VmRSS:"), hwm_kib: field("VmHWM:") })
}

/// Runs `command` and returns its stdout; fails with its stderr.
pub fn output(command: &mut Command) -> anyhow::Result<String> {
    let output = command.output().with_context(|| format!("failed to run {command:?}"))?;
    if !output.status.success() {
        anyhow::bail!("{command:?} failed with {}: {}", output.status, String::from_utf8_lossy(&output.stderr).trim());
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}
