//! The wasmtime side: engine, compile cache, per-instance state and instance pools.

pub mod cache;
pub mod engine;
pub mod factory;
pub mod pool;
pub mod state;
