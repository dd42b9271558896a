//! The Discord front end over serenity: connects, registers the slash commands and
//! answers `/ask`, `/faq`, buttons, mentions, DMs and (optionally) help channels.
//! It only translates: events in, the core's `Reply` rendered out.

mod commands;
mod handler;
pub mod render;
mod rest;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serenity::all::{ClientBuilder, GatewayIntents, HttpBuilder};

pub use commands::all as commands;

use crate::config::{DiscordSettings, LimitSettings};
use crate::ops::cooldown::Cooldown;
use crate::ops::health::Health;
use crate::ops::metrics::Metrics;
use crate::ops::shutdown::Shutdown;
use crate::store::Store;

/// Discord itself, when no base URL is configured.
const DISCORD: &str = "https://discord.com";

/// What the Discord front end shares with the rest of the process.
#[derive(Clone)]
pub struct BotContext {
    pub store: Arc<Store>,
    pub metrics: Arc<Metrics>,
    pub health: Arc<Health>,
    pub shutdown: Shutdown,
    /// Events being handled right now; shutdown waits for them to finish.
    pub in_flight: Arc<AtomicUsize>,
}

/// Counts one event in flight for as long as it lives.
pub struct InFlight(Arc<AtomicUsize>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl BotContext {
    fn in_flight(&self) -> InFlight {
        self.in_flight.fetch_add(1, Ordering::SeqCst);
        InFlight(Arc::clone(&self.in_flight))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DiscordError {
    #[error("Discord client: {0}")]
    Client(#[from] serenity::Error),
}

/// Connects and serves until `core.shutdown` fires; then stops taking events, waits up
/// to the grace period for replies in flight and closes the gateway.
pub async fn run(
    discord: &DiscordSettings,
    limits: &LimitSettings,
    token: SecretString,
    core: BotContext,
) -> Result<(), DiscordError> {
    let mut http = HttpBuilder::new(token.expose_secret());
    let base = match &discord.api_base_url {
        // serenity routes through a proxy only with its own rate limiter off; replies
        // then handle 429s themselves (see `rest`).
        Some(base) => {
            http = http
                .proxy(base.trim_end_matches('/'))
                .ratelimiter_disabled(true);
            base.clone()
        }
        None => DISCORD.to_string(),
    };
    let mut intents =
        GatewayIntents::GUILDS | GatewayIntents::GUILD_MESSAGES | GatewayIntents::DIRECT_MESSAGES;
    if !discord.help_channels.is_empty() {
        tracing::info!(
            channels = discord.help_channels.len(),
            "help channels configured: requesting the privileged MESSAGE_CONTENT intent (enable it in the Discord developer portal)"
        );
        intents |= GatewayIntents::MESSAGE_CONTENT;
    }
    let handler = handler::Handler {
        rest: rest::Rest::new(&base, token, Arc::clone(&core.metrics)),
        cooldown: Cooldown::new(
            limits.questions_per_window,
            Duration::from_secs(limits.cooldown_seconds),
        ),
        discord: discord.clone(),
        core: core.clone(),
        bot_user: OnceLock::new(),
        registered: Default::default(),
        shards_seen: Default::default(),
    };
    let mut client = ClientBuilder::new_with_http(http.build(), intents)
        .event_handler(handler)
        .await?;
    let shards = Arc::clone(&client.shard_manager);
    let shutdown = core.shutdown.clone();
    let grace = Duration::from_secs(limits.shutdown_grace_seconds);
    let in_flight = Arc::clone(&core.in_flight);
    let stopper = tokio::spawn(async move {
        shutdown.stopped().await;
        // New events are refused from here (handlers check the shutdown); wait for
        // the ones in flight, then close the gateway.
        let until = tokio::time::Instant::now() + grace;
        while in_flight.load(Ordering::SeqCst) > 0 && tokio::time::Instant::now() < until {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let left = in_flight.load(Ordering::SeqCst);
        if left > 0 {
            tracing::warn!(
                left,
                "shutdown grace period over with replies still in flight"
            );
        }
        shards.shutdown_all().await;
    });
    let result = match (discord.shard_count, discord.shard_first, discord.shard_last) {
        (Some(total), first, last) => {
            let first = first.unwrap_or(0);
            let last = last.unwrap_or(total - 1);
            tracing::info!(first, last, total, "starting shards");
            // serenity's range end is inclusive.
            client.start_shard_range(first..last, total).await
        }
        _ => client.start().await,
    };
    core.health
        .gateway_connected
        .store(false, Ordering::Relaxed);
    stopper.abort();
    result.map_err(DiscordError::from)
}
