//! The optional health and metrics listener: `/healthz` (JSON; 200 when serving, 503
//! while the gateway is down) and `/metrics` (Prometheus text format).

use std::sync::atomic::Ordering;
use std::time::UNIX_EPOCH;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

use crate::discord::BotContext;

pub async fn serve(listener: tokio::net::TcpListener, core: BotContext) {
    let shutdown = core.shutdown.clone();
    let app = Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .with_state(core);
    if let Err(e) = axum::serve(listener, app)
        .with_graceful_shutdown(async move { shutdown.stopped().await })
        .await
    {
        tracing::error!("health listener: {e}");
    }
}

async fn healthz(State(core): State<BotContext>) -> impl IntoResponse {
    let connected = core.health.gateway_connected.load(Ordering::Relaxed);
    let knowledge = core.store.snapshot();
    let last_reload = core.store.last_reload().map(|r| {
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

async fn metrics(State(core): State<BotContext>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        core.metrics.render(),
    )
}

/// `faqbot health`: GETs `/healthz` and succeeds on 200. Needs no curl in the image.
pub fn probe(
    settings: &crate::config::Settings,
    url: Option<&str>,
) -> Result<(), crate::cli::Failure> {
    use crate::cli::Failure;
    let url = match (url, &settings.http.listen) {
        (Some(url), _) => url.to_string(),
        // A listener on all interfaces is reached on loopback from inside the container.
        (None, Some(listen)) => {
            format!("http://{}/healthz", listen.replace("0.0.0.0", "127.0.0.1"))
        }
        (None, None) => {
            return Err(Failure::setup(
                "http.listen is not set: no health endpoint to probe",
            ))
        }
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::setup(format!("tokio runtime: {e}")))?;
    runtime.block_on(async {
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(3))
            .build()
            .map_err(|e| Failure::setup(e.to_string()))?;
        let response = client
            .get(&url)
            .send()
            .await
            .map_err(|e| Failure::problem(format!("{url}: {e}")))?;
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        println!("{body}");
        if status.is_success() {
            Ok(())
        } else {
            Err(Failure::problem(format!("{url}: {status}")))
        }
    })
}
