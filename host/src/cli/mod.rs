//! The `fnhost` command line. Commands parse their flags, call the library and
//! print; the work is in the library.

mod serve;

use clap::{Parser, Subcommand};

/// Serve WebAssembly component functions as HTTP endpoints.
#[derive(Debug, Parser)]
#[command(name = "fnhost", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build and serve apps for development.
    Serve(serve::ServeArgs),
}

impl Cli {
    /// Runs the parsed command.
    pub async fn run(self) -> anyhow::Result<()> {
        match self.command {
            Command::Serve(args) => serve::run(args).await,
        }
    }
}
