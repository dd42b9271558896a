//! The Discord front end over serenity: connects, registers the slash commands and
//! answers `/ask`, `/faq`, buttons, mentions, DMs and (optionally) help channels.
//! It only translates: events in, the core's `Reply` rendered out.

mod commands;
pub mod custom_id;
mod handler;
pub mod render;
mod rest;

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serenity::all::{ClientBuilder, GatewayError, GatewayIntents, HttpBuilder, ShardManager};

pub use commands::all as commands;

use crate::config::{DiscordSettings, LearningSettings, LimitSettings};
use crate::ops::flood::FloodControl;
use crate::ops::Shared;

/// Discord itself, when no base URL is configured.
const DISCORD: &str = "https://discord.com";

/// How long shutdown waits for serenity to close the gateway cleanly. With Discord
/// unreachable no shard is connected and serenity's `shutdown_all` can wait forever;
/// the process must still stop (`docker stop` and Kubernetes send SIGKILL after 10 s
/// and 30 s).
const GATEWAY_CLOSE_TIMEOUT: Duration = Duration::from_secs(2);

#[derive(Debug, thiserror::Error)]
pub enum DiscordError {
    #[error("Discord refused the MESSAGE_CONTENT intent (close 4014): enable it for the bot in the Developer Portal → Bot → Privileged Gateway Intents, or remove discord.help_channels")]
    DisallowedIntents,
    #[error("Discord refused the bot token (close 4004): check DISCORD_TOKEN (or discord.token_file); the token is the one under Developer Portal → Bot → Reset Token")]
    BadToken,
    #[error("Discord refused the gateway intents as invalid (close 4013)")]
    InvalidIntents,
    #[error("Discord client: {0}")]
    Client(serenity::Error),
    #[error("cannot start the runtime that answers events: {0}")]
    Runtime(std::io::Error),
}

impl From<serenity::Error> for DiscordError {
    fn from(e: serenity::Error) -> Self {
        match e {
            serenity::Error::Gateway(GatewayError::DisallowedGatewayIntents) => {
                DiscordError::DisallowedIntents
            }
            serenity::Error::Gateway(GatewayError::InvalidAuthentication) => DiscordError::BadToken,
            serenity::Error::Gateway(GatewayError::InvalidGatewayIntents) => {
                DiscordError::InvalidIntents
            }
            other => DiscordError::Client(other),
        }
    }
}

/// Connects and serves until `shared.shutdown` fires; then stops taking events, waits
/// up to the grace period for replies in flight and closes the gateway.
///
/// Shutdown never waits on Discord: connecting (which may hang on an unreachable
/// Discord, or retry forever on a gateway that is down) is raced against the shutdown,
/// and dropped when the shutdown wins.
pub async fn run(
    discord: &DiscordSettings,
    limits: &LimitSettings,
    learning: &LearningSettings,
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
    if !discord.help_forums.is_empty() {
        // New posts arrive as THREAD_CREATE, under GUILDS (always requested). Their
        // first message is read over REST, where Discord fills in its text by whether
        // the app has the Message Content intent enabled in the developer portal, not
        // by the intents asked for here: forums need no privileged intent of their own,
        // and a forum-only bot must not be refused at the gateway (close 4014) for one.
        tracing::info!(
            forums = discord.help_forums.len(),
            answered_tag = discord.answered_tag.as_deref().unwrap_or(""),
            "help forums configured: new posts are answered from their title, and from their first message too when the Message Content intent is enabled for the bot in the Discord developer portal"
        );
    }
    // Events are answered on a runtime of their own, apart from the one the gateway
    // is read on. serenity reads the gateway on a task and spawns another for every
    // event, holding all of it (~2.4 KiB for an interaction) until the handler has
    // moved what it needs onto a task of ours. On one runtime those tasks queue behind
    // the work of answering, and in a burst the gateway is read faster than that work
    // gets done: all 2,000 of a 2,000 burst were held at once (heaptrack: 4.7 of the
    // 11.2 MB peak). Apart, they run as they come (`discord_load` bench, 2,000 burst:
    // peak RSS 25.1–30.3 → 22.4–24.7 MiB).
    let answering = Answering::start().map_err(DiscordError::Runtime)?;
    let handler = handler::Handler {
        rest: rest::Rest::new(&base, token, Arc::clone(&shared.metrics)),
        flood: FloodControl::new(
            limits.questions_per_window,
            limits.channel_replies_per_window,
            Duration::from_secs(limits.cooldown_seconds),
        ),
        callback_deadline: Duration::from_millis(limits.reply_deadline_ms),
        discord: discord.clone(),
        learning: learning.clone(),
        shared: shared.clone(),
        bot_user: OnceLock::new(),
        registered: Default::default(),
        shards_seen: Default::default(),
        deciding: Default::default(),
        forum_claims: Default::default(),
        handling: tokio::sync::Semaphore::new(handler::MAX_HANDLING),
        answering: answering.handle(),
    };
    let manager: OnceLock<Arc<ShardManager>> = OnceLock::new();
    let serve = async {
        let mut client = ClientBuilder::new_with_http(http.build(), intents)
            .event_handler(handler::Events(Arc::new(handler)))
            .await?;
        let _ = manager.set(Arc::clone(&client.shard_manager));
        match discord.shards {
            Some(range) => {
                let (first, last, total) = (range.first(), range.last(), range.total());
                tracing::info!(first, last, total, "starting shards");
                // serenity's range end is inclusive.
                client.start_shard_range(first..last, total).await
            }
            None => client.start().await,
        }
    };
    let grace = Duration::from_secs(limits.shutdown_grace_seconds);
    let stop = async {
        shared.shutdown.stopped().await;
        // New events are refused from here (handlers check the shutdown); wait for
        // the ones in flight, then close the gateway if it is open.
        finish_in_flight(&shared, grace).await;
        if let Some(shards) = manager.get() {
            if tokio::time::timeout(GATEWAY_CLOSE_TIMEOUT, shards.shutdown_all())
                .await
                .is_err()
            {
                tracing::warn!(
                    "the gateway did not close in time (Discord unreachable?); stopping anyway"
                );
            }
        }
    };
    let result = tokio::select! {
        result = serve => result.map_err(DiscordError::from),
        () = stop => Ok(()),
    };
    shared.health.set_gateway_connected(false);
    if let Err(e) = &result {
        tracing::error!("{e}");
        // No more events come; the replies under way still get their grace period.
        finish_in_flight(&shared, grace).await;
    }
    // Dropping `answering` ends what is left there: it is past its grace period.
    result
}

/// Stops taking events and waits up to `grace` for the ones being answered.
async fn finish_in_flight(shared: &Shared, grace: Duration) {
    let in_flight = &shared.in_flight;
    in_flight.close();
    if tokio::time::timeout(grace, in_flight.wait()).await.is_err() {
        tracing::warn!(
            left = in_flight.len(),
            "shutdown grace period over with replies still in flight"
        );
    }
}

/// The runtime events are answered on (see `run`). Dropped, it stops at once,
/// whatever still runs there: a plain `Runtime` would wait for its blocking work (a
/// reload), and panics when dropped inside another runtime, as `run`'s future is when
/// a caller drops it before it ends.
struct Answering {
    runtime: Option<tokio::runtime::Runtime>,
    handle: tokio::runtime::Handle,
}

impl Answering {
    fn start() -> std::io::Result<Answering> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .thread_name("faqbot-answer")
            .enable_all()
            .build()?;
        Ok(Answering {
            handle: runtime.handle().clone(),
            runtime: Some(runtime),
        })
    }

    fn handle(&self) -> tokio::runtime::Handle {
        self.handle.clone()
    }
}

impl Drop for Answering {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}
