//! The HTTP front: routing by path and by host name, body limits, request logs.

mod dispatch;
mod index;
pub(crate) mod listen;

use axum::Router;

use crate::Host;

/// Builds the router that serves every app of `host`.
pub fn router(host: Host) -> Router {
    Router::new().fallback(dispatch::dispatch).with_state(host)
}
