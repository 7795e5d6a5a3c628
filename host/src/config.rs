//! Host settings and their defaults, in one place.

use std::path::PathBuf;
use std::time::Duration;

/// Default wall-clock limit of one call. Modal's default function timeout is 300 s.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);
/// Default time an idle instance stays warm before it is dropped.
pub const DEFAULT_KEEP_WARM: Duration = Duration::from_secs(60);
/// Default number of instances one app may run at once.
pub const DEFAULT_MAX_INSTANCES: usize = 100;
/// Default number of requests that may wait for an instance once an app runs its
/// maximum; the next one gets 503.
pub const DEFAULT_MAX_QUEUED: usize = 1_000;
/// Default request body limit: 10 MiB.
pub const DEFAULT_MAX_BODY_SIZE: usize = 10 * 1024 * 1024;
/// Default linear memory limit of one instance: 256 MiB.
pub const DEFAULT_MEMORY_LIMIT: usize = 256 * 1024 * 1024;
/// Default time a client has to send a request's headers, or a function's body.
pub const DEFAULT_CLIENT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default number of instances the pooling allocator has room for, across all apps.
pub const DEFAULT_POOL_SIZE: u32 = 1_000;

/// Settings of a [`Host`](crate::Host).
#[derive(Clone, Debug)]
pub struct HostConfig {
    /// Wall-clock limit of one call; a call past it gets 504.
    pub timeout: Duration,
    /// Time an idle instance is kept for reuse.
    pub keep_warm: Duration,
    /// Instances one app may run at once.
    pub max_instances: usize,
    /// Requests that may wait for an instance once an app runs `max_instances`.
    pub max_queued: usize,
    /// Request body limit in bytes; a larger body gets 413.
    pub max_body_size: usize,
    /// Time a client has to send a request's headers, to start the next request on
    /// a kept-alive connection, and to send a function's whole body. A slow body gets 408.
    pub client_timeout: Duration,
    /// Linear memory limit of one instance in bytes.
    pub memory_limit: usize,
    /// Instances the pooling allocator has room for, across all apps.
    pub pool_size: u32,
    /// Give each request a fresh instance instead of reusing warm ones.
    pub fresh_instance_per_request: bool,
    /// Reuse warm instances of HTTP apps too. Off by default, because `wasi:http`
    /// 0.2 guests may assume one request per instance (componentize-js 0.23 does).
    pub reuse_http_instances: bool,
    /// Folder of precompiled components; `None` turns the cache off.
    pub cache_dir: Option<PathBuf>,
    /// Hosts that guests may send HTTP requests to, as `HOST` (any port) or
    /// `HOST:PORT`; every other outbound request is denied.
    pub allowed_outbound: Vec<String>,
}

impl Default for HostConfig {
    fn default() -> Self {
        Self {
            timeout: DEFAULT_TIMEOUT,
            keep_warm: DEFAULT_KEEP_WARM,
            max_instances: DEFAULT_MAX_INSTANCES,
            max_queued: DEFAULT_MAX_QUEUED,
            max_body_size: DEFAULT_MAX_BODY_SIZE,
            client_timeout: DEFAULT_CLIENT_TIMEOUT,
            memory_limit: DEFAULT_MEMORY_LIMIT,
            pool_size: DEFAULT_POOL_SIZE,
            fresh_instance_per_request: false,
            reuse_http_instances: false,
            cache_dir: default_cache_dir(),
            allowed_outbound: Vec::new(),
        }
    }
}

/// Returns `$XDG_CACHE_HOME/fnhost`, or `$HOME/.cache/fnhost`, or `None` when neither
/// variable is set.
pub fn default_cache_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|value| !value.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))?;
    Some(base.join("fnhost"))
}
