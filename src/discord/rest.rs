//! Sending replies to Discord's REST API: one shared, bounded HTTP client, rate limits
//! waited out, errors that say what happened without the credentials in them.
//!
//! Why not serenity's own calls: with a base URL set (a shared rate-limit proxy, or the
//! tests' fake Discord), serenity must run with its rate limiter off, and then a 429
//! comes back as an error that has dropped `retry_after`. Replies are what users wait
//! for, so they go through here: serenity's builders make the JSON, this sends it and,
//! on 429, waits `retry_after` and tries again while the reply is still useful.
//!
//! Bounded, because a burst of interactions must not become a burst of sockets: one
//! client with a pool of kept-alive connections, as many as replies in flight (HTTP/2
//! where Discord offers it through ALPN, so one connection carries many replies), idle
//! ones closed, and at most [`MAX_IN_FLIGHT`] replies on the wire at once; the others
//! queue, each until its own deadline. Under a 1,024 open-file limit 10,000 replies at
//! once were lost by the thousand when every reply opened its own socket.
//!
//! URLs of interaction replies hold the interaction token (a credential for 15
//! minutes), so errors and logs name a [`Route`] with the token replaced by `<token>`,
//! and reqwest's errors are kept without their URL.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::Method;
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use serenity::all::{ApplicationId, ChannelId, InteractionId, MessageId};
use tokio::sync::Semaphore;

use crate::ops::metrics::Metrics;

/// Channel messages have no interaction deadline; past this they are stale.
const CHANNEL_MESSAGE_DEADLINE: Duration = Duration::from_secs(30);
/// Attempts per reply before giving up, whatever the deadline.
const MAX_ATTEMPTS: u32 = 5;
/// Replies on the wire at once. Each is one request (and over HTTP/1.1 one socket);
/// 64 keeps a burst to a few dozen sockets and a few MiB of buffers, and still sends
/// thousands of replies a second.
pub const MAX_IN_FLIGHT: usize = 64;
/// Connections kept open for the next reply; the ones idle for longer are closed. As
/// many as replies in flight: with 16, a burst closed a connection after most replies
/// and opened another (432 connects for 2,000 replies over HTTP/1.1); with 64 it reuses
/// them (`discord_load` bench over HTTP/1.1, same session and build otherwise: 2,000
/// burst peak 43.4–44.3 → 36.7 MiB, 2,748–3,809 → 4,119 interactions/s). Over HTTP/2,
/// as with Discord, one connection carries the replies and this changes nothing.
const POOL_IDLE: usize = MAX_IN_FLIGHT;
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(20);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// No single request waits longer than this, whatever its deadline.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// A 429 without a usable `retry_after` (missing, negative, not a number).
const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(1);
/// Discord's waits are seconds; anything longer is capped here (and is past every
/// reply's deadline, so the reply gives up instead of sleeping on it).
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// A REST path, and how it may be shown: without the interaction token.
#[derive(Clone)]
pub struct Route {
    path: String,
    shown: String,
}

impl Route {
    fn interaction_callback(id: InteractionId, token: &str) -> Self {
        Route {
            path: format!("/interactions/{id}/{token}/callback"),
            shown: format!("/interactions/{id}/<token>/callback"),
        }
    }

    fn original(app: ApplicationId, token: &str) -> Self {
        Route {
            path: format!("/webhooks/{app}/{token}/messages/@original"),
            shown: format!("/webhooks/{app}/<token>/messages/@original"),
        }
    }

    fn channel_messages(channel: ChannelId) -> Self {
        let path = format!("/channels/{channel}/messages");
        Route {
            shown: path.clone(),
            path,
        }
    }
}

/// Only ever the redacted form, in `{}` and `{:?}` alike.
impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}

impl fmt::Debug for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RestError {
    #[error("{what} {route}: Discord answered {status}: {body}")]
    Status {
        what: &'static str,
        route: Route,
        status: u16,
        body: String,
    },
    #[error(
        "{what} {route}: rate limited for {retry_after:?}, past the reply's deadline; given up"
    )]
    RateLimited {
        what: &'static str,
        route: Route,
        retry_after: Duration,
    },
    #[error("{what} {route}: still queued behind {MAX_IN_FLIGHT} replies in flight at the reply's deadline; given up")]
    Queued { what: &'static str, route: Route },
    #[error("{what} {route}: {cause}")]
    Transport {
        what: &'static str,
        route: Route,
        /// reqwest's error and its causes, without the URL.
        cause: String,
    },
}

pub struct Rest {
    client: reqwest::Client,
    /// e.g. `https://discord.com/api/v10`
    api: String,
    token: SecretString,
    metrics: Arc<Metrics>,
    in_flight: Semaphore,
}

impl Rest {
    pub fn new(base_url: &str, token: SecretString, metrics: Arc<Metrics>) -> Self {
        let client = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .pool_max_idle_per_host(POOL_IDLE)
            .pool_idle_timeout(POOL_IDLE_TIMEOUT)
            .build()
            .unwrap_or_else(|e| {
                // Only a broken TLS backend fails here; the default client then still
                // sends, unbounded in idle connections, rather than not at all.
                tracing::error!("building the reply client: {}", describe(&e));
                reqwest::Client::new()
            });
        Rest {
            client,
            api: format!("{}/api/v10", base_url.trim_end_matches('/')),
            token,
            metrics,
            in_flight: Semaphore::new(MAX_IN_FLIGHT),
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
        let route = Route::interaction_callback(id, token);
        self.send(
            Method::POST,
            "interaction callback",
            &route,
            body,
            false,
            deadline,
        )
        .await
        .map(drop)
    }

    /// Replaces the first answer (e.g. a deferred "thinking…" one) with `body`.
    pub async fn edit_original(
        &self,
        app: ApplicationId,
        token: &str,
        body: &impl Serialize,
        deadline: Instant,
    ) -> Result<(), RestError> {
        let route = Route::original(app, token);
        self.send(
            Method::PATCH,
            "interaction edit",
            &route,
            body,
            false,
            deadline,
        )
        .await
        .map(drop)
    }

    /// Removes the message a component was on (after a deferred update of it).
    pub async fn delete_original(
        &self,
        app: ApplicationId,
        token: &str,
        deadline: Instant,
    ) -> Result<(), RestError> {
        let route = Route::original(app, token);
        self.send(
            Method::DELETE,
            "interaction delete",
            &route,
            &(),
            false,
            deadline,
        )
        .await
        .map(drop)
    }

    /// Posts a message; returns its id (for the question log), if Discord said.
    pub async fn create_message(
        &self,
        channel: ChannelId,
        body: &impl Serialize,
    ) -> Result<Option<MessageId>, RestError> {
        let route = Route::channel_messages(channel);
        let deadline = Instant::now() + CHANNEL_MESSAGE_DEADLINE;
        let sent = self
            .send(
                Method::POST,
                "channel message",
                &route,
                body,
                true,
                deadline,
            )
            .await?;
        Ok(sent
            .get("id")
            .and_then(|id| id.as_str()?.parse().ok())
            .map(MessageId::new))
    }

    /// Any other bot-authenticated call (threads, tags): the JSON Discord answered.
    pub async fn call(
        &self,
        method: Method,
        what: &'static str,
        path: String,
        body: &impl Serialize,
    ) -> Result<serde_json::Value, RestError> {
        let route = Route {
            shown: path.clone(),
            path,
        };
        let deadline = Instant::now() + CHANNEL_MESSAGE_DEADLINE;
        self.send(method, what, &route, body, true, deadline).await
    }

    async fn send(
        &self,
        method: Method,
        what: &'static str,
        route: &Route,
        body: &impl Serialize,
        auth: bool,
        deadline: Instant,
    ) -> Result<serde_json::Value, RestError> {
        let url = format!("{}{}", self.api, route.path);
        let mut attempt = 0;
        loop {
            attempt += 1;
            let queued = || RestError::Queued {
                what,
                route: route.clone(),
            };
            // Queue for a place on the wire, but not past the point of being useful.
            let _permit = tokio::time::timeout_at(deadline.into(), self.in_flight.acquire())
                .await
                .map_err(|_| queued())?
                .map_err(|_| queued())?;
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return Err(queued());
            }
            let mut request = self
                .client
                .request(method.clone(), &url)
                .timeout(remaining.min(REQUEST_TIMEOUT));
            if method != Method::GET && method != Method::DELETE {
                request = request.json(body);
            }
            if auth {
                request = request.header(
                    reqwest::header::AUTHORIZATION,
                    format!("Bot {}", self.token.expose_secret()),
                );
            }
            let transport = |e: reqwest::Error| RestError::Transport {
                what,
                route: route.clone(),
                cause: describe(&e),
            };
            let response = request.send().await.map_err(transport)?;
            let status = response.status();
            if status.is_success() {
                // 204 and empty bodies are success too; only a body that says
                // something is read.
                let text = response.text().await.unwrap_or_default();
                return Ok(serde_json::from_str(&text).unwrap_or(serde_json::Value::Null));
            }
            let header = response
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let text = response.text().await.unwrap_or_default();
            if status != reqwest::StatusCode::TOO_MANY_REQUESTS {
                return Err(RestError::Status {
                    what,
                    route: route.clone(),
                    status: status.as_u16(),
                    body: crate::discord::render::truncate(&text, 300),
                });
            }
            self.metrics.rate_limited.inc();
            let retry_after = retry_after(&text, header.as_deref());
            if attempt >= MAX_ATTEMPTS || Instant::now() + retry_after >= deadline {
                return Err(RestError::RateLimited {
                    what,
                    route: route.clone(),
                    retry_after,
                });
            }
            tracing::warn!(what, %route, ?retry_after, attempt, "rate limited by Discord; retrying");
            drop(_permit);
            tokio::time::sleep(retry_after).await;
        }
    }
}

/// How long a 429 asks to wait: `retry_after` from the JSON body (seconds, fractional),
/// else the `Retry-After` header. Whatever arrives (missing, negative, not a number,
/// 1e20) becomes a sane wait between zero and [`MAX_RETRY_AFTER`]; never a panic.
fn retry_after(body: &str, header: Option<&str>) -> Duration {
    let seconds = serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("retry_after")?.as_f64())
        .or_else(|| header?.trim().parse::<f64>().ok());
    match seconds {
        Some(s) if s.is_finite() && s >= 0.0 => {
            Duration::try_from_secs_f64(s).map_or(MAX_RETRY_AFTER, |d| d.min(MAX_RETRY_AFTER))
        }
        _ => DEFAULT_RETRY_AFTER,
    }
}

/// `EMFILE`: the process is out of file descriptors.
fn is_out_of_files(e: &std::io::Error) -> bool {
    #[cfg(unix)]
    return e.raw_os_error() == Some(libc::EMFILE);
    #[cfg(not(unix))]
    return false;
}

/// A reqwest error as one line: what failed and why, down the source chain (where
/// "too many open files" hides), without the URL.
fn describe(error: &reqwest::Error) -> String {
    let what = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else if error.is_body() || error.is_decode() {
        "broken response"
    } else {
        "request failed"
    };
    let mut parts = vec![what.to_string()];
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let text = match cause.downcast_ref::<std::io::Error>() {
            Some(io) if is_out_of_files(io) => {
                "too many open files (the process's open-file limit, `ulimit -n` or systemd's LimitNOFILE, is too low)".to_string()
            }
            _ => cause.to_string(),
        };
        // Wrappers often repeat their cause's text.
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = cause.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_retry_after_becomes_a_bounded_wait() {
        let secs = |b: &str| retry_after(b, None);
        assert_eq!(secs(r#"{"retry_after": 0.4}"#), Duration::from_millis(400));
        assert_eq!(secs(r#"{"retry_after": 1e20}"#), MAX_RETRY_AFTER);
        assert_eq!(secs(r#"{"retry_after": 1e308}"#), MAX_RETRY_AFTER);
        assert_eq!(secs(r#"{"retry_after": -3}"#), DEFAULT_RETRY_AFTER);
        assert_eq!(secs(r#"{"retry_after": "NaN"}"#), DEFAULT_RETRY_AFTER);
        assert_eq!(secs(r#"{"retry_after": null}"#), DEFAULT_RETRY_AFTER);
        assert_eq!(secs(r#"{"message": "slow down"}"#), DEFAULT_RETRY_AFTER);
        assert_eq!(secs("not json"), DEFAULT_RETRY_AFTER);
        assert_eq!(retry_after("", Some("2")), Duration::from_secs(2));
        assert_eq!(retry_after("", Some("inf")), DEFAULT_RETRY_AFTER);
        assert_eq!(retry_after("", Some("NaN")), DEFAULT_RETRY_AFTER);
    }

    #[test]
    fn routes_show_no_interaction_token() {
        let r = Route::interaction_callback(InteractionId::new(123), "secret-tok");
        assert_eq!(r.to_string(), "/interactions/123/<token>/callback");
        assert!(r.path.contains("secret-tok"));
        let e = RestError::Status {
            what: "interaction callback",
            route: r,
            status: 500,
            body: String::new(),
        };
        assert!(!e.to_string().contains("secret-tok"));
        assert!(!format!("{e:?}").contains("secret-tok"));
        let r = Route::original(ApplicationId::new(9), "secret-tok");
        assert_eq!(r.to_string(), "/webhooks/9/<token>/messages/@original");
    }
}
