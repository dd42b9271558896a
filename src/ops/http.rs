//! The optional health and metrics listener: `/healthz` (JSON; 200 when serving, 503
//! while the gateway is down), `/metrics` (Prometheus text format) and, with a token
//! configured, the read-only admin page `/admin` (see `admin`).
//!
//! Health and metrics answer from atomics and snapshots only: they never wait for a
//! reload, so that a probe answers in microseconds while a large knowledge base is
//! being indexed.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::{Duration, UNIX_EPOCH};

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

use super::Shared;

/// Serves until the shutdown fires.
pub async fn serve(listener: tokio::net::TcpListener, shared: Shared) {
    let shutdown = shared.shutdown.clone();
    let app = Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .route("/admin", get(super::admin::page))
        .with_state(shared);
    if let Err(e) = axum::serve(listener, app)
        .with_graceful_shutdown(async move { shutdown.stopped().await })
        .await
    {
        tracing::error!("health listener: {e}");
    }
}

async fn healthz(State(shared): State<Shared>) -> impl IntoResponse {
    let connected = shared.health.gateway_connected();
    let knowledge = shared.store.snapshot();
    let last_reload = shared.store.last_reload().map(|r| {
        let at = r.at.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        match r.result {
            Ok(summary) => {
                serde_json::json!({"at": at, "ok": true, "summary": summary.to_string()})
            }
            Err(e) => serde_json::json!({"at": at, "ok": false, "error": e.to_string()}),
        }
    });
    let body = serde_json::json!({
        "status": if connected { "ok" } else { "degraded" },
        "gateway_connected": connected,
        "knowledge_loaded": !knowledge.faqs().is_empty(),
        "faqs": knowledge.faqs().len(),
        "knowledge_generation": knowledge.generation,
        "reload_in_progress": shared.store.reload_in_progress(),
        "last_reload": last_reload,
    });
    let status = if connected {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
}

async fn metrics(State(shared): State<Shared>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        shared.metrics.render(),
    )
}

/// Why `faqbot health` could not say the bot is healthy.
#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    /// Nothing to probe: no URL given and no listener configured.
    #[error("http.listen is not set: no health endpoint to probe")]
    NotConfigured,
    /// The probe itself could not be set up.
    #[error("cannot start the health probe: {0}")]
    Setup(String),
    /// The bot did not answer.
    #[error("{url}: {source}")]
    Unreachable { url: String, source: reqwest::Error },
}

/// What `/healthz` answered.
#[derive(Debug)]
pub struct HealthResponse {
    pub url: String,
    pub status: u16,
    pub body: String,
}

impl HealthResponse {
    pub fn is_healthy(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// The `/healthz` address for a listener: one on all interfaces is reached on
/// loopback (from inside the container, say).
pub fn healthz_url(listen: SocketAddr) -> String {
    let ip = match listen.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}/healthz", SocketAddr::new(ip, listen.port()))
}

/// `faqbot health`: GETs `/healthz` (`url`, else the one of `listen`). Needs no curl
/// in the image. Blocking: runs its own small runtime.
pub fn probe(listen: Option<SocketAddr>, url: Option<&str>) -> Result<HealthResponse, ProbeError> {
    let url = match (url, listen) {
        (Some(url), _) => url.to_string(),
        (None, Some(listen)) => healthz_url(listen),
        (None, None) => return Err(ProbeError::NotConfigured),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| ProbeError::Setup(format!("tokio runtime: {e}")))?;
    runtime.block_on(async {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(3))
            .build()
            .map_err(|e| ProbeError::Setup(e.to_string()))?;
        let response = match client.get(&url).send().await {
            Ok(response) => response,
            Err(source) => return Err(ProbeError::Unreachable { url, source }),
        };
        let status = response.status().as_u16();
        let body = response.text().await.unwrap_or_default();
        Ok(HealthResponse { url, status, body })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listener_on_all_interfaces_is_probed_on_loopback() {
        let url = |s: &str| healthz_url(s.parse().expect("address"));
        assert_eq!(url("0.0.0.0:9090"), "http://127.0.0.1:9090/healthz");
        assert_eq!(url("[::]:9090"), "http://[::1]:9090/healthz");
        assert_eq!(url("10.1.2.3:80"), "http://10.1.2.3:80/healthz");
    }
}
