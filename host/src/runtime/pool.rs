//! Warm instance pools: reuse of idle instances within the keep-warm time, scale-out
//! up to a maximum, and a bounded queue beyond it.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::{Duration, Instant};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use wasmtime::Store;

use super::state::GuestState;

/// A live instance: its store and the bindings of its exports.
pub struct Instance<B> {
    /// The instance's store.
    pub store: Store<GuestState>,
    /// The instance's typed exports.
    pub bindings: B,
    idle_since: Instant,
}

impl<B> Instance<B> {
    /// Wraps a freshly created instance.
    pub fn new(store: Store<GuestState>, bindings: B) -> Self {
        Self { store, bindings, idle_since: Instant::now() }
    }
}

/// Creates instances of one component version.
pub trait Instantiate: Send + Sync + 'static {
    /// Typed exports of an instance.
    type Bindings: Send + 'static;

    /// Creates a new instance.
    fn instantiate(&self) -> impl Future<Output = anyhow::Result<Instance<Self::Bindings>>> + Send;
}

/// Sizing and lifetime settings of a pool.
#[derive(Clone, Copy, Debug)]
pub struct PoolLimits {
    /// Instances that may run at once.
    pub max_instances: usize,
    /// Requests that may wait for an instance.
    pub max_queued: usize,
    /// Time an idle instance is kept.
    pub keep_warm: Duration,
    /// Whether each request gets a fresh instance.
    pub fresh_instance_per_request: bool,
}

/// Failure to get an instance.
#[derive(Debug, thiserror::Error)]
pub enum AcquireError {
    /// All instances are busy and the queue is full.
    #[error("all {max_instances} instances are busy and {max_queued} requests are waiting")]
    Overloaded {
        /// The pool's instance limit.
        max_instances: usize,
        /// The pool's queue limit.
        max_queued: usize,
    },
    /// Creating an instance failed.
    #[error("failed to create an instance")]
    Instantiate(#[source] anyhow::Error),
}

/// The instances of one component version.
pub struct InstancePool<F: Instantiate> {
    factory: F,
    idle: Mutex<Vec<Instance<F::Bindings>>>,
    slots: Arc<Semaphore>,
    queued: AtomicUsize,
    limits: PoolLimits,
}

impl<F: Instantiate> InstancePool<F> {
    /// Creates an empty pool and starts the task that drops expired idle instances.
    pub fn new(factory: F, limits: PoolLimits) -> Arc<Self> {
        let pool = Arc::new(Self {
            factory,
            idle: Mutex::new(Vec::new()),
            slots: Arc::new(Semaphore::new(limits.max_instances)),
            queued: AtomicUsize::new(0),
            limits,
        });
        if !limits.fresh_instance_per_request {
            tokio::spawn(reap_idle(Arc::downgrade(&pool)));
        }
        pool
    }

    /// Takes an idle instance or creates one, waiting while the pool is at its maximum.
    pub async fn acquire(self: &Arc<Self>) -> Result<Lease<F>, AcquireError> {
        let permit = match Arc::clone(&self.slots).try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => self.wait_for_slot().await?,
        };

        if !self.limits.fresh_instance_per_request
            && let Some(instance) = self.take_idle()
        {
            return Ok(Lease { instance: Some(instance), pool: Arc::clone(self), _permit: permit, cold: false });
        }
        let instance = self.factory.instantiate().await.map_err(AcquireError::Instantiate)?;
        Ok(Lease { instance: Some(instance), pool: Arc::clone(self), _permit: permit, cold: true })
    }

    async fn wait_for_slot(&self) -> Result<OwnedSemaphorePermit, AcquireError> {
        let overloaded =
            AcquireError::Overloaded { max_instances: self.limits.max_instances, max_queued: self.limits.max_queued };
        if self.queued.fetch_add(1, Ordering::AcqRel) >= self.limits.max_queued {
            self.queued.fetch_sub(1, Ordering::AcqRel);
            return Err(overloaded);
        }
        let permit = Arc::clone(&self.slots).acquire_owned().await;
        self.queued.fetch_sub(1, Ordering::AcqRel);
        // The semaphore is never closed.
        permit.map_err(|_| overloaded)
    }

    /// Returns the most recently used idle instance that has not expired.
    fn take_idle(&self) -> Option<Instance<F::Bindings>> {
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        let instance = idle.pop()?;
        if instance.idle_since.elapsed() < self.limits.keep_warm {
            return Some(instance);
        }
        // Everything below the most recent instance is older still.
        let expired = std::mem::take(&mut *idle);
        drop(idle);
        drop(expired);
        None
    }

    /// Returns the number of idle instances.
    pub fn idle_count(&self) -> usize {
        self.idle.lock().unwrap_or_else(PoisonError::into_inner).len()
    }

    fn put_back(&self, mut instance: Instance<F::Bindings>) {
        instance.idle_since = Instant::now();
        self.idle.lock().unwrap_or_else(PoisonError::into_inner).push(instance);
    }

    /// Drops idle instances older than the keep-warm time; returns how many.
    fn drop_expired(&self) -> usize {
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        let keep = idle.partition_point(|instance| instance.idle_since.elapsed() >= self.limits.keep_warm);
        let expired: Vec<_> = idle.drain(..keep).collect();
        drop(idle);
        expired.len()
    }
}

async fn reap_idle<F: Instantiate>(pool: Weak<InstancePool<F>>) {
    let period = Duration::from_secs(1);
    loop {
        tokio::time::sleep(period).await;
        let Some(pool) = pool.upgrade() else { return };
        let dropped = pool.drop_expired();
        if dropped > 0 {
            tracing::debug!(dropped, "dropped idle instances past their keep-warm time");
        }
    }
}

/// An instance lent to one call. Dropping the lease drops the instance. Only
/// [`Lease::release`] returns it to the pool, so an instance whose call trapped,
/// timed out or was cancelled is never reused.
pub struct Lease<F: Instantiate> {
    instance: Option<Instance<F::Bindings>>,
    pool: Arc<InstancePool<F>>,
    _permit: OwnedSemaphorePermit,
    /// Whether the instance was created for this call.
    pub cold: bool,
}

impl<F: Instantiate> Lease<F> {
    /// Returns the leased instance.
    pub fn instance(&mut self) -> &mut Instance<F::Bindings> {
        self.instance.as_mut().expect("a lease holds its instance until released")
    }

    /// Returns a healthy instance to the pool, unless the pool hands out fresh ones.
    pub fn release(mut self) {
        if self.pool.limits.fresh_instance_per_request {
            return;
        }
        if let Some(instance) = self.instance.take() {
            self.pool.put_back(instance);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overloaded_message_names_limits() {
        let error = AcquireError::Overloaded { max_instances: 2, max_queued: 5 };
        assert_eq!(error.to_string(), "all 2 instances are busy and 5 requests are waiting");
    }
}
