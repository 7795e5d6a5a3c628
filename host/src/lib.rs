//! fnhost serves WebAssembly components as HTTP endpoints.
//!
//! - [`host`]: [`Host`], the engine, the app registry and the HTTP server.
//! - [`runtime`]: wasmtime engine, compile cache, per-instance state, instance pools.
//! - [`function`]: function apps: endpoint descriptions, argument mapping and
//!   validation, calls.
//! - [`proxy`]: HTTP apps, any `wasi:http` proxy component.
//! - [`reload`]: watching an app's files and swapping in each new version.
//! - [`server`]: routing by path and host name, body limits, request logs.
//! - [`source`]: turning a `.wasm` file or a guest crate folder into a component.
//! - [`cli`]: the `fnhost` command line.

pub mod cli;
pub mod config;
pub mod error;
pub mod function;
pub mod host;
pub mod proxy;
pub mod reload;
pub mod request_id;
pub mod runtime;
pub mod server;
pub mod source;

pub use config::HostConfig;
pub use host::{Host, LoadReport, RunningServer};
