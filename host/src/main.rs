//! The `fnhost` binary: parses the command line, sets up logging, runs the command
//! and maps its result to an exit code (0 on success, 1 on error, 2 for bad usage).

use std::io::IsTerminal as _;

use clap::Parser as _;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = fnhost::cli::Cli::parse();
    let filter = EnvFilter::try_from_env("FNHOST_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    // Log lines are written by a background thread, so a slow terminal or pipe never
    // blocks a request. It blocks instead of dropping lines once 128,000 are pending.
    let (writer, _flush_on_exit) =
        tracing_appender::non_blocking::NonBlockingBuilder::default().lossy(false).finish(std::io::stderr());
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none())
        .init();

    match cli.run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
