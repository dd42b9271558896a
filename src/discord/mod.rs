//! The Discord front end over serenity: connects, registers the slash commands and
//! answers `/ask`, `/faq`, buttons, mentions, DMs and (optionally) help channels.
//! It only translates: events in, the core's `Reply` rendered out.

mod commands;
mod handler;
pub mod render;
mod rest;

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serenity::all::{ClientBuilder, GatewayIntents, HttpBuilder};

pub use commands::all as commands;

use crate::config::{DiscordSettings, LimitSettings};
use crate::ops::cooldown::Cooldown;
use crate::ops::Shared;

/// Discord itself, when no base URL is configured.
const DISCORD: &str = "https://discord.com";

#[derive(Debug, thiserror::Error)]
pub enum DiscordError {
    #[error("Discord client: {0}")]
    Client(#[from] serenity::Error),
}

/// Connects and serves until `shared.shutdown` fires; then stops taking events, waits
/// up to the grace period for replies in flight and closes the gateway.
pub async fn run(
    discord: &DiscordSettings,
    limits: &LimitSettings,
    token: SecretString,
    shared: Shared,
) -> Result<(), DiscordError> {
    let mut http = HttpBuilder::new(token.expose_secret());
    let base = match &discord.api_base_url {
        // serenity routes through a proxy only with its own rate limiter off; replies
        // handle 429s themselves either way (see `rest`).
        Some(base) => {
            let base = base.as_str().trim_end_matches('/').to_string();
            http = http.proxy(base.as_str()).ratelimiter_disabled(true);
            base
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
        rest: rest::Rest::new(&base, token, Arc::clone(&shared.metrics)),
        cooldown: Cooldown::new(
            limits.questions_per_window,
            Duration::from_secs(limits.cooldown_seconds),
        ),
        discord: discord.clone(),
        shared: shared.clone(),
        bot_user: OnceLock::new(),
        registered: Default::default(),
        shards_seen: Default::default(),
    };
    let mut client = ClientBuilder::new_with_http(http.build(), intents)
        .event_handler(handler)
        .await?;
    let shards = Arc::clone(&client.shard_manager);
    let shutdown = shared.shutdown.clone();
    let grace = Duration::from_secs(limits.shutdown_grace_seconds);
    let in_flight = shared.in_flight.clone();
    let stopper = tokio::spawn(async move {
        shutdown.stopped().await;
        // New events are refused from here (handlers check the shutdown); wait for
        // the ones in flight, then close the gateway.
        in_flight.close();
        if tokio::time::timeout(grace, in_flight.wait()).await.is_err() {
            tracing::warn!(
                left = in_flight.len(),
                "shutdown grace period over with replies still in flight"
            );
        }
        shards.shutdown_all().await;
    });
    let result = match discord.shards {
        Some(range) => {
            let (first, last, total) = (range.first(), range.last(), range.total());
            tracing::info!(first, last, total, "starting shards");
            // serenity's range end is inclusive.
            client.start_shard_range(first..last, total).await
        }
        None => client.start().await,
    };
    shared.health.set_gateway_connected(false);
    stopper.abort();
    result.map_err(DiscordError::from)
}
