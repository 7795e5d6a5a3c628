//! Creating instances of a linked component: one store per instance, with the
//! app's limits, environment and outbound policy.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use wasmtime::{Engine, Store};

use super::pool::{Instance, Instantiate, PoolLimits};
use super::state::GuestState;

/// Settings an app's instances are created with.
#[derive(Clone, Debug)]
pub struct InstanceSettings {
    /// Linear memory limit of one instance in bytes.
    pub memory_limit: usize,
    /// Environment variables handed to the guest.
    pub env: Vec<(String, String)>,
    /// Wall-clock limit of one call.
    pub timeout: Duration,
    /// Pool sizing.
    pub limits: PoolLimits,
    /// Hosts the guest may send HTTP requests to.
    pub allowed_hosts: Arc<[String]>,
}

impl InstanceSettings {
    /// Creates a store for a new instance of `app`, yielding at every epoch tick.
    pub fn new_store(&self, engine: &Engine, app: &Arc<str>) -> Store<GuestState> {
        let state = GuestState::new(app, self.memory_limit, &self.env, &self.allowed_hosts);
        let mut store = Store::new(engine, state);
        store.limiter(GuestState::limiter);
        super::engine::yield_at_every_tick(&mut store);
        store
    }
}

/// A component linked and ready to instantiate, as the `*Pre` types that
/// `bindgen!` generates are.
pub trait Prepared: Send + Sync + 'static {
    /// Typed exports of an instance.
    type Bindings: Send + 'static;

    /// Instantiates the component in `store`.
    fn instantiate<'a>(
        &'a self,
        store: &'a mut Store<GuestState>,
    ) -> impl Future<Output = wasmtime::Result<Self::Bindings>> + Send + 'a;
}

/// Creates instances of one component version of app `app`.
pub struct ComponentFactory<P> {
    engine: Engine,
    pre: P,
    app: Arc<str>,
    settings: InstanceSettings,
}

impl<P> ComponentFactory<P> {
    /// Creates a factory for `pre`.
    pub fn new(engine: &Engine, pre: P, app: &Arc<str>, settings: InstanceSettings) -> Self {
        Self { engine: engine.clone(), pre, app: Arc::clone(app), settings }
    }
}

impl<P: Prepared> Instantiate for ComponentFactory<P> {
    type Bindings = P::Bindings;

    async fn instantiate(&self) -> anyhow::Result<Instance<P::Bindings>> {
        let mut store = self.settings.new_store(&self.engine, &self.app);
        let bindings = self.pre.instantiate(&mut store).await?;
        Ok(Instance::new(store, bindings))
    }
}
