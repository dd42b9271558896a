//! Sending replies to Discord's REST API, waiting out rate limits.
//!
//! Why not serenity's own calls: with a base URL set (a shared rate-limit proxy, or the
//! tests' fake Discord), serenity must run with its rate limiter off, and then a 429
//! comes back as an error that has dropped `retry_after`. Replies are what users wait
//! for, so they go through here: serenity's builders make the JSON, this sends it and,
//! on 429, waits `retry_after` and tries again while the interaction token is valid.

use std::sync::Arc;
use std::time::{Duration, Instant};

use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use serenity::all::{ApplicationId, ChannelId, InteractionId};

use crate::ops::metrics::Metrics;

/// Attempts per reply before giving up, whatever the deadline.
const MAX_ATTEMPTS: u32 = 5;

#[derive(Debug, thiserror::Error)]
pub enum RestError {
    #[error("{what}: Discord answered {status}: {body}")]
    Status {
        what: &'static str,
        status: u16,
        body: String,
    },
    #[error("{what}: rate limited for {retry_after:?}, past the reply's deadline")]
    RateLimited {
        what: &'static str,
        retry_after: Duration,
    },
    #[error("{what}: {source}")]
    Transport {
        what: &'static str,
        source: reqwest::Error,
    },
}

pub struct Rest {
    client: reqwest::Client,
    /// e.g. `https://discord.com/api/v10`
    api: String,
    token: SecretString,
    metrics: Arc<Metrics>,
}

impl Rest {
    pub fn new(base_url: &str, token: SecretString, metrics: Arc<Metrics>) -> Self {
        Rest {
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .unwrap_or_default(),
            api: format!("{}/api/v10", base_url.trim_end_matches('/')),
            token,
            metrics,
        }
    }

    /// The first answer to an interaction (Discord wants it within 3 seconds).
    pub async fn interaction_callback(
        &self,
        id: InteractionId,
        token: &str,
        body: &impl Serialize,
        deadline: Instant,
    ) -> Result<(), RestError> {
        let path = format!("/interactions/{id}/{token}/callback");
        self.post("interaction callback", &path, body, false, deadline)
            .await
    }

    /// A further message for an interaction already answered.
    pub async fn followup(
        &self,
        app: ApplicationId,
        token: &str,
        body: &impl Serialize,
        deadline: Instant,
    ) -> Result<(), RestError> {
        let path = format!("/webhooks/{app}/{token}");
        self.post("interaction follow-up", &path, body, false, deadline)
            .await
    }

    pub async fn create_message(
        &self,
        channel: ChannelId,
        body: &impl Serialize,
    ) -> Result<(), RestError> {
        let path = format!("/channels/{channel}/messages");
        let deadline = Instant::now() + Duration::from_secs(30);
        self.post("channel message", &path, body, true, deadline)
            .await
    }

    async fn post(
        &self,
        what: &'static str,
        path: &str,
        body: &impl Serialize,
        auth: bool,
        deadline: Instant,
    ) -> Result<(), RestError> {
        let url = format!("{}{path}", self.api);
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut request = self.client.post(&url).json(body);
            if auth {
                request = request.header(
                    reqwest::header::AUTHORIZATION,
                    format!("Bot {}", self.token.expose_secret()),
                );
            }
            let response = request
                .send()
                .await
                .map_err(|source| RestError::Transport { what, source })?;
            let status = response.status();
            if status.is_success() {
                return Ok(());
            }
            let header_wait = response
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<f64>().ok());
            let text = response.text().await.unwrap_or_default();
            if status.as_u16() != 429 {
                return Err(RestError::Status {
                    what,
                    status: status.as_u16(),
                    body: crate::discord::render::truncate(&text, 300),
                });
            }
            self.metrics.rate_limited.inc();
            let retry_after = serde_json::from_str::<serde_json::Value>(&text)
                .ok()
                .and_then(|v| v.get("retry_after").and_then(serde_json::Value::as_f64))
                .or(header_wait)
                .filter(|s| s.is_finite() && *s >= 0.0)
                .map_or(Duration::from_secs(1), Duration::from_secs_f64);
            if attempt >= MAX_ATTEMPTS || Instant::now() + retry_after >= deadline {
                return Err(RestError::RateLimited { what, retry_after });
            }
            tracing::warn!(
                what,
                ?retry_after,
                attempt,
                "rate limited by Discord; retrying"
            );
            tokio::time::sleep(retry_after).await;
        }
    }
}
