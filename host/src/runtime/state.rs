//! Per-instance store data: WASI context, resource table, limits, and the labels
//! that tag the guest's stdout and stderr in the host's log.

use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;
use wasmtime::{ResourceLimiter, StoreLimits, StoreLimitsBuilder};
use wasmtime_wasi::cli::{IsTerminal, StdoutStream};
use wasmtime_wasi::p2::{OutputStream, Pollable, StreamResult};
use wasmtime_wasi::{ResourceTable, WasiCtx, WasiCtxView, WasiView};
use wasmtime_wasi_http::{
    Error as HttpError, RequestOptions, WasiBody, WasiHttpCtx, WasiHttpCtxView, WasiHttpHooks, WasiHttpView,
};

/// Labels of the call an instance is running, read when the guest writes a line.
#[derive(Clone, Debug, Default)]
pub struct CallLabels {
    /// App name.
    pub app: Arc<str>,
    /// Endpoint (function) name.
    pub function: Arc<str>,
    /// Id of the request being served.
    pub request_id: Arc<str>,
}

/// Store data of one guest instance.
pub struct GuestState {
    wasi: WasiCtx,
    http: WasiHttpCtx,
    outbound: OutboundPolicy,
    table: ResourceTable,
    limits: StoreLimits,
    labels: Arc<Mutex<CallLabels>>,
    logs: [GuestLog; 2],
}

impl Drop for GuestState {
    fn drop(&mut self) {
        self.flush_logs();
    }
}

impl GuestState {
    /// Creates the state of a new instance of `app`, whose memory may grow to
    /// `memory_limit` bytes. Environment variables are passed as given.
    pub fn new(app: &Arc<str>, memory_limit: usize, env: &[(String, String)], allowed_hosts: &Arc<[String]>) -> Self {
        let labels = Arc::new(Mutex::new(CallLabels {
            app: Arc::clone(app),
            ..CallLabels::default()
        }));
        let (stdout, stderr) = (GuestLog::new(&labels, "stdout"), GuestLog::new(&labels, "stderr"));
        let mut builder = WasiCtx::builder();
        builder
            .stdout(stdout.clone())
            .stderr(stderr.clone())
            .envs(env);
        Self {
            wasi: builder.build(),
            http: WasiHttpCtx::new(),
            outbound: OutboundPolicy { allowed_hosts: Arc::clone(allowed_hosts), labels: Arc::clone(&labels) },
            table: ResourceTable::new(),
            limits: StoreLimitsBuilder::new().memory_size(memory_limit).instances(64).build(),
            labels,
            logs: [stdout, stderr],
        }
    }

    /// Logs the unfinished last line of stdout and stderr, at the end of a call.
    pub fn flush_logs(&self) {
        for log in &self.logs {
            log.flush();
        }
    }

    /// Sets the labels of the call about to run.
    pub fn set_labels(&self, function: &Arc<str>, request_id: &Arc<str>) {
        let mut labels = self.labels.lock().unwrap_or_else(PoisonError::into_inner);
        labels.function = Arc::clone(function);
        labels.request_id = Arc::clone(request_id);
    }

    /// Returns the store's resource limiter.
    pub fn limiter(&mut self) -> &mut dyn ResourceLimiter {
        &mut self.limits
    }
}

impl WasiView for GuestState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView { ctx: &mut self.wasi, table: &mut self.table }
    }
}

impl WasiHttpView for GuestState {
    fn http(&mut self) -> WasiHttpCtxView<'_> {
        WasiHttpCtxView { ctx: &mut self.http, table: &mut self.table, hooks: &mut self.outbound }
    }
}

/// Outbound HTTP of a guest: denied unless the host and port are allowed.
struct OutboundPolicy {
    /// Entries `HOST` (any port) or `HOST:PORT`, lower-case.
    allowed_hosts: Arc<[String]>,
    labels: Arc<Mutex<CallLabels>>,
}

impl OutboundPolicy {
    fn allows(&self, uri: &http::Uri) -> bool {
        let Some(host) = uri.host() else { return false };
        let host = host.to_ascii_lowercase();
        let port = uri.port_u16().unwrap_or(if uri.scheme_str() == Some("https") { 443 } else { 80 });
        self.allowed_hosts.iter().any(|entry| match entry.rsplit_once(':') {
            Some((allowed, allowed_port)) if !allowed.contains(']') || allowed.ends_with(']') => {
                allowed == host && allowed_port.parse::<u16>().is_ok_and(|allowed_port| allowed_port == port)
            }
            _ => *entry == host,
        })
    }
}

impl WasiHttpHooks for OutboundPolicy {
    fn send_request(
        &mut self,
        request: http::Request<WasiBody>,
        options: Option<RequestOptions>,
        fut: Box<dyn Future<Output = Result<(), HttpError>> + Send>,
    ) -> Box<dyn Future<Output = Result<(http::Response<WasiBody>, Box<dyn Future<Output = Result<(), HttpError>> + Send>), HttpError>> + Send>
    {
        if !self.allows(request.uri()) {
            let labels = self.labels.lock().unwrap_or_else(PoisonError::into_inner).clone();
            tracing::warn!(
                app = %labels.app,
                function = %labels.function,
                request_id = %labels.request_id,
                uri = %request.uri(),
                "outbound request denied: allow its host with `--allow-outbound HOST[:PORT]`"
            );
            // Reading the body to its end lets the guest finish writing it, so the guest
            // sees the denial rather than a body stream closed under it.
            return Box::new(async move {
                let _ = http_body_util::BodyExt::collect(request.into_body()).await;
                Err(HttpError::HttpRequestDenied)
            });
        }
        drop(fut);
        Box::new(async move {
            let (response, io) = wasmtime_wasi_http::default_send_request(request, options).await?;
            let io: Box<dyn Future<Output = Result<(), HttpError>> + Send> = Box::new(io);
            Ok((response.map(http_body_util::BodyExt::boxed_unsync), io))
        })
    }
}

/// Longest line kept from a guest; the rest of a longer line is cut, so a guest
/// cannot make the host buffer without bound.
const MAX_LINE: usize = 16 * 1024;

/// A guest's stdout or stderr, written line by line to the host's log. The partial
/// line is kept here, not in a stream: a guest may open a new stream for every write.
#[derive(Clone)]
struct GuestLog {
    labels: Arc<Mutex<CallLabels>>,
    stream: &'static str,
    pending: Arc<Mutex<Vec<u8>>>,
}

impl GuestLog {
    fn new(labels: &Arc<Mutex<CallLabels>>, stream: &'static str) -> Self {
        Self { labels: Arc::clone(labels), stream, pending: Arc::default() }
    }

    fn append(&self, bytes: &[u8]) {
        let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
        for chunk in bytes.split_inclusive(|byte| *byte == b'\n') {
            let room = MAX_LINE.saturating_sub(pending.len());
            pending.extend_from_slice(&chunk[..chunk.len().min(room)]);
            if chunk.ends_with(b"\n") {
                self.emit(&pending);
                pending.clear();
            }
        }
    }

    /// Logs what is left of an unfinished line.
    fn flush(&self) {
        let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
        if !pending.is_empty() {
            self.emit(&pending);
            pending.clear();
        }
    }

    fn emit(&self, line: &[u8]) {
        let line = String::from_utf8_lossy(line);
        let line = line.trim_end_matches(['\n', '\r']);
        let labels = self.labels.lock().unwrap_or_else(PoisonError::into_inner).clone();
        tracing::info!(
            target: "fnhost::guest",
            app = %labels.app,
            function = %labels.function,
            request_id = %labels.request_id,
            stream = self.stream,
            "{line}"
        );
    }
}

impl IsTerminal for GuestLog {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl StdoutStream for GuestLog {
    fn p2_stream(&self) -> Box<dyn OutputStream> {
        Box::new(self.clone())
    }

    fn async_stream(&self) -> Box<dyn tokio::io::AsyncWrite + Send + Sync> {
        Box::new(tokio::io::sink())
    }
}

impl OutputStream for GuestLog {
    fn write(&mut self, bytes: Bytes) -> StreamResult<()> {
        self.append(&bytes);
        Ok(())
    }

    fn flush(&mut self) -> StreamResult<()> {
        Ok(())
    }

    fn check_write(&mut self) -> StreamResult<usize> {
        Ok(64 * 1024)
    }
}

#[wasmtime_wasi::async_trait]
impl Pollable for GuestLog {
    async fn ready(&mut self) {}
}
