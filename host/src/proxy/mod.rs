//! HTTP apps: components exporting `wasi:http/incoming-handler@0.2`, served with
//! wasmtime-wasi-http. Each gets the whole request, streaming, and streams its
//! response back.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use axum::body::Body;
use axum::response::Response;
use http::{HeaderValue, Request};
use http_body_util::BodyExt as _;
use tokio::sync::oneshot;
use wasmtime::{Engine, Store};
use wasmtime::component::{Component, Linker};
use wasmtime_wasi_http::WasiHttpView as _;
use wasmtime_wasi_http::p2::bindings::http::types::{ErrorCode, Scheme};
use wasmtime_wasi_http::p2::bindings::{Proxy, ProxyPre};

use crate::error::HttpError;
use crate::runtime::factory::{ComponentFactory, InstanceSettings, Prepared};
use crate::runtime::pool::InstancePool;
use crate::runtime::state::GuestState;

/// Prefix of the export that marks an HTTP app; any 0.2 patch version is accepted.
pub const INCOMING_HANDLER: &str = "wasi:http/incoming-handler@0.2";

/// Returns whether `component` exports `wasi:http/incoming-handler@0.2.x`.
pub fn is_http_app(engine: &Engine, component: &Component) -> bool {
    component.component_type().exports(engine).any(|(name, _)| name.starts_with(INCOMING_HANDLER))
}

impl Prepared for ProxyPre<GuestState> {
    type Bindings = Proxy;

    fn instantiate<'a>(
        &'a self,
        store: &'a mut Store<GuestState>,
    ) -> impl Future<Output = wasmtime::Result<Proxy>> + Send + 'a {
        self.instantiate_async(store)
    }
}

type ProxyFactory = ComponentFactory<ProxyPre<GuestState>>;

/// An HTTP app ready to serve.
pub struct HttpApp {
    /// App name.
    pub name: Arc<str>,
    pool: Arc<InstancePool<ProxyFactory>>,
    timeout: Duration,
    /// Name under which calls are logged, allocated once.
    handler: Arc<str>,
}

/// Name under which an HTTP app's calls are logged.
const HANDLER: &str = "handler";

impl HttpApp {
    /// Links `component` and sets up its pool; instances start on the first request.
    pub fn load(
        engine: &Engine,
        linker: &Linker<GuestState>,
        component: &Component,
        name: Arc<str>,
        settings: InstanceSettings,
    ) -> anyhow::Result<Self> {
        let instance_pre = linker
            .instantiate_pre(component)
            .map_err(anyhow::Error::from)
            .context("failed to link the component (it imports something the host does not provide)")?;
        let pre = ProxyPre::new(instance_pre).map_err(anyhow::Error::from).context("component is no `wasi:http` proxy")?;
        let timeout = settings.timeout;
        let limits = settings.limits;
        let factory = ProxyFactory::new(engine, pre, &name, settings);
        Ok(Self { name, pool: InstancePool::new(factory, limits), timeout, handler: Arc::from(HANDLER) })
    }

    /// Hands `request` (its path already below the app) to an instance and returns
    /// the guest's response as soon as the guest sets it. The body streams on after.
    pub async fn handle(&self, mut request: Request<Body>, request_id: &Arc<str>) -> Result<(Response, bool), HttpError> {
        let mut lease = self.pool.acquire().await.map_err(|error| HttpError::from_acquire(&self.name, error))?;
        let cold = lease.cold;
        let instance = lease.instance();
        instance.store.data().set_labels(&self.handler, request_id);

        if !request.headers().contains_key(http::header::HOST) {
            request.headers_mut().insert(http::header::HOST, HeaderValue::from_static("localhost"));
        }
        let request = request.map(|body| body.map_err(|error| wasmtime_wasi_http::Error::InternalError(Some(error.to_string()))));
        let (sender, receiver) = oneshot::channel();
        let prepared = {
            let mut http = instance.store.data_mut().http();
            http.new_incoming_request(Scheme::Http, request)
                .and_then(|incoming| Ok((incoming, http.new_response_outparam(sender)?)))
        };
        let (incoming, outparam) = prepared.map_err(|error| {
            tracing::error!(app = %self.name, cause = %format!("{error:#}"), "failed to pass the request to the guest");
            HttpError::BadRequest("the request cannot be passed to the app".to_owned())
        })?;

        // The call runs in its own task: the guest may go on writing the body after it
        // set the response, and the instance goes back to the pool only when the call
        // returned normally.
        let name = Arc::clone(&self.name);
        let task_request_id = Arc::clone(request_id);
        let timeout = self.timeout;
        let task = tokio::spawn(async move {
            let instance = lease.instance();
            let call = instance.bindings.wasi_http_incoming_handler().call_handle(&mut instance.store, incoming, outparam);
            let result = tokio::time::timeout(timeout, call).await;
            instance.store.data().flush_logs();
            match result {
                Ok(Ok(())) => {
                    lease.release();
                    Ok(())
                }
                Ok(Err(trap)) => {
                    tracing::error!(
                        app = %name,
                        request_id = %task_request_id,
                        cause = %format!("{trap:?}"),
                        "guest trapped; its instance is dropped"
                    );
                    Err(CallFailure::Trapped)
                }
                Err(_elapsed) => {
                    tracing::warn!(
                        app = %name,
                        request_id = %task_request_id,
                        timeout_secs = timeout.as_secs_f64(),
                        "call timed out; its instance is dropped"
                    );
                    Err(CallFailure::TimedOut)
                }
            }
        });

        match receiver.await {
            Ok(Ok(response)) => Ok((response.map(Body::new), cold)),
            Ok(Err(code)) => {
                tracing::error!(app = %self.name, request_id = %request_id, code = ?code, "guest returned an error code instead of a response");
                Err(HttpError::GuestFailed(format!("app `{}` failed: {}", self.name, describe_code(&code))))
            }
            Err(_) => Err(match task.await {
                Ok(Err(CallFailure::TimedOut)) => {
                    HttpError::Timeout(format!("app `{}` timed out after {}", self.name, crate::function::app::format_duration(self.timeout)))
                }
                Ok(Err(CallFailure::Trapped)) => HttpError::GuestFailed(format!(
                    "app `{}` failed: the guest trapped (request id `{request_id}`)",
                    self.name
                )),
                Ok(Ok(())) | Err(_) => HttpError::GuestFailed(format!("app `{}` returned no response", self.name)),
            }),
        }
    }

}

/// Outcome of a call that set no response.
enum CallFailure {
    Trapped,
    TimedOut,
}

fn describe_code(code: &ErrorCode) -> String {
    format!("{code:?}").to_lowercase()
}
