//! The one wasmtime [`Engine`] of a host and the epoch ticker that drives it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context as _;
use wasmtime::{Config, Enabled, Engine, InstanceAllocationStrategy, PoolingAllocationConfig, Store, UpdateDeadline};

use crate::config::HostConfig;

/// Time between two epoch ticks. A running guest yields to the async executor at
/// every tick, so this bounds how long one guest can hold a worker thread.
pub const EPOCH_TICK: Duration = Duration::from_millis(10);

/// Core wasm instances one component may create. A Rust component built for
/// `wasm32-wasip2` has a handful (the main module and adapter shims); 20 leaves room.
const CORE_INSTANCES_PER_COMPONENT: u32 = 20;

/// Creates the engine: Cranelift, the component model, epoch interruption, and the
/// pooling allocator with copy-on-write memory images. Falls back to on-demand
/// allocation when the pool's address-space reservation fails, as it does under a
/// small `ulimit -v` or on 39-bit address spaces.
pub fn create_engine(config: &HostConfig) -> anyhow::Result<(Engine, bool)> {
    let mut wasm_config = base_config();
    wasm_config.allocation_strategy(InstanceAllocationStrategy::Pooling(pooling_config(config)));
    match Engine::new(&wasm_config) {
        Ok(engine) => Ok((engine, true)),
        Err(error) => {
            tracing::warn!(
                cause = %format!("{error:#}"),
                "pooling allocator unavailable, falling back to on-demand allocation"
            );
            let engine = Engine::new(&base_config())
                .map_err(anyhow::Error::from)
                .context("failed to create the wasm engine")?;
            Ok((engine, false))
        }
    }
}

fn base_config() -> Config {
    let mut wasm_config = Config::new();
    wasm_config
        .wasm_component_model(true)
        .epoch_interruption(true)
        .parallel_compilation(true)
        .memory_init_cow(true)
        .max_wasm_stack(1024 * 1024);
    wasm_config
}

fn pooling_config(config: &HostConfig) -> PoolingAllocationConfig {
    let instances = config.pool_size;
    let mut pooling = PoolingAllocationConfig::new();
    pooling
        .total_component_instances(instances)
        .total_core_instances(instances.saturating_mul(CORE_INSTANCES_PER_COMPONENT))
        .max_core_instances_per_component(CORE_INSTANCES_PER_COMPONENT)
        .total_memories(instances)
        .total_tables(instances.saturating_mul(2))
        .total_stacks(instances)
        .max_memories_per_component(2)
        .max_tables_per_component(4)
        .max_memory_size(config.memory_limit)
        // Keeping memory resident lets a reused slot be reset in place instead of
        // paying a page fault per touched page. With Linux's PAGEMAP_SCAN (6.7 and
        // later) only the pages the last instance dirtied are reset. A Rust guest
        // touches about 1 MiB, so 4 MiB covers it with room.
        .linear_memory_keep_resident(4 * 1024 * 1024)
        .table_keep_resident(64 * 1024)
        .async_stack_keep_resident(64 * 1024)
        .pagemap_scan(Enabled::Auto);
    pooling
}

/// Makes a running guest yield to the async executor at every epoch tick, so a
/// spinning guest cannot hold a worker thread. The call's time limit is enforced
/// around the call.
///
/// The yield is `tokio::task::yield_now`, which tokio defers until it has polled
/// for I/O and timers. A plain wake-up would let a spinning guest run up to 61
/// ticks (tokio's event interval) before the runtime looks at sockets again.
pub fn yield_at_every_tick<T>(store: &mut Store<T>) {
    store.set_epoch_deadline(1);
    store.epoch_deadline_callback(|_| Ok(UpdateDeadline::YieldCustom(1, Box::pin(tokio::task::yield_now()))));
}

/// Increments the engine's epoch every [`EPOCH_TICK`] on its own thread until dropped.
pub struct EpochTicker {
    stop: Arc<AtomicBool>,
}

impl EpochTicker {
    /// Starts the ticker thread for `engine`.
    pub fn start(engine: &Engine) -> anyhow::Result<Self> {
        let stop = Arc::new(AtomicBool::new(false));
        let weak = engine.weak();
        let thread_stop = Arc::clone(&stop);
        std::thread::Builder::new()
            .name("fnhost-epoch".into())
            .spawn(move || {
                while !thread_stop.load(Ordering::Relaxed) {
                    std::thread::sleep(EPOCH_TICK);
                    match weak.upgrade() {
                        Some(engine) => engine.increment_epoch(),
                        None => break,
                    }
                }
            })
            .context("failed to start the epoch thread")?;
        Ok(Self { stop })
    }
}

impl Drop for EpochTicker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}
