//! Discord events in, rendered replies out. Every event is handled on its own task
//! (tracked, so shutdown can wait for replies in flight); the answers come from the
//! core's `Store`, and the words and layout from `render`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use serenity::all::{
    CommandInteraction, ComponentInteraction, Context, CreateInteractionResponse,
    CreateInteractionResponseFollowup, EventHandler, GuildId, Interaction, Message, Permissions,
    Ready, ResumedEvent, ShardStageUpdateEvent, UserId,
};
use serenity::async_trait;
use serenity::gateway::ConnectionStage;

use super::render::{self, Rendered};
use super::rest::Rest;
use crate::config::DiscordSettings;
use crate::learning::{ChannelKind, Question};
use crate::limits::{AUTOCOMPLETE_CHOICES, MESSAGE_CONTENT_CHARS};
use crate::matcher::Outcome;
use crate::ops::cooldown::Cooldown;
use crate::ops::metrics::{FrontEnd, ReloadTrigger};
use crate::ops::{self, Shared};
use crate::reply::Reply;

/// Discord drops an interaction not answered within 3 seconds; keep a little margin.
const CALLBACK_DEADLINE: Duration = Duration::from_millis(2_800);
/// Follow-ups may come for 15 minutes; ours come at once, so a minute is plenty.
const FOLLOWUP_DEADLINE: Duration = Duration::from_secs(60);

pub struct Handler {
    pub(super) shared: Shared,
    pub(super) discord: DiscordSettings,
    pub(super) rest: Rest,
    pub(super) cooldown: Cooldown,
    pub(super) bot_user: OnceLock<UserId>,
    pub(super) registered: AtomicBool,
    /// Shards that have had a session: a READY for one of them again is a reconnect.
    pub(super) shards_seen: std::sync::Mutex<std::collections::HashSet<u32>>,
}

#[async_trait]
impl EventHandler for Handler {
    async fn ready(&self, ctx: Context, ready: Ready) {
        let _ = self.bot_user.set(ready.user.id);
        self.shared.health.set_gateway_connected(true);
        let shard = ready.shard.map_or(0, |s| s.id.0);
        let first_session = self
            .shards_seen
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(shard);
        if !first_session {
            self.shared.metrics.gateway_reconnects.inc();
        }
        tracing::info!(
            user = %ready.user.name,
            shard = ?ready.shard.map(|s| (s.id.0, s.total)),
            guilds = ready.guilds.len(),
            "connected to the Discord gateway"
        );
        // Once per process: re-registering on every new session is needless traffic.
        if !self.registered.swap(true, Ordering::SeqCst) {
            let guild = self.discord.guild_id.map(GuildId::new);
            match super::commands::register(&ctx.http, guild).await {
                Ok(()) => tracing::info!(
                    scope = if guild.is_some() { "guild" } else { "global" },
                    "registered slash commands"
                ),
                Err(e) => {
                    self.registered.store(false, Ordering::SeqCst);
                    tracing::error!("registering slash commands failed: {e}");
                }
            }
        }
    }

    async fn resume(&self, _ctx: Context, _event: ResumedEvent) {
        self.shared.health.set_gateway_connected(true);
        self.shared.metrics.gateway_reconnects.inc();
        tracing::info!("gateway session resumed");
    }

    async fn shard_stage_update(&self, _ctx: Context, event: ShardStageUpdateEvent) {
        self.shared
            .health
            .set_gateway_connected(matches!(event.new, ConnectionStage::Connected));
        tracing::debug!(shard = event.shard_id.0, stage = ?event.new, "gateway stage");
    }

    async fn interaction_create(&self, _ctx: Context, interaction: Interaction) {
        let received = Instant::now();
        if self.shared.shutdown.is_stopping() {
            return;
        }
        let _in_flight = self.shared.in_flight.token();
        match interaction {
            Interaction::Command(cmd) => self.on_command(&cmd, received).await,
            Interaction::Autocomplete(cmd) => self.on_autocomplete(&cmd, received).await,
            Interaction::Component(press) => self.on_button(&press, received).await,
            _ => {}
        }
    }

    async fn message(&self, _ctx: Context, msg: Message) {
        if msg.author.bot || self.shared.shutdown.is_stopping() {
            return;
        }
        let Some(me) = self.bot_user.get().copied() else {
            return;
        };
        let is_dm = msg.guild_id.is_none();
        let mentioned = msg.mentions.iter().any(|u| u.id == me)
            || msg.content.contains(&format!("<@{me}>"))
            || msg.content.contains(&format!("<@!{me}>"));
        let help_channel = !is_dm && self.discord.help_channels.contains(&msg.channel_id.get());
        if !(is_dm || mentioned || help_channel) {
            return;
        }
        let _in_flight = self.shared.in_flight.token();
        let addressed = is_dm || mentioned;
        let question = strip_mentions(&msg.content, me);
        let rendered = if question.trim().is_empty() {
            if !addressed {
                return;
            }
            Rendered::text("Ask me a question about the FAQs, e.g. mention me with your question, or use `/ask` or `/faq`.")
        } else if let Err(wait) = self.check_cooldown(msg.author.id) {
            if !addressed {
                return;
            }
            Rendered::text(cooldown_text(wait))
        } else {
            let front_end = match (is_dm, mentioned) {
                (true, _) => FrontEnd::Dm,
                (false, true) => FrontEnd::Mention,
                (false, false) => FrontEnd::HelpChannel,
            };
            let reply = self.ask(&question, front_end, msg.author.id, msg.guild_id);
            // In help channels the bot speaks only when it is sure.
            if !addressed && reply.outcome != Outcome::Answered {
                return;
            }
            render::reply(&reply)
        };
        if let Err(e) = self
            .rest
            .create_message(msg.channel_id, &rendered.into_message(Some(&msg)))
            .await
        {
            tracing::error!("replying to a message failed: {e}");
        }
    }
}

impl Handler {
    fn check_cooldown(&self, user: UserId) -> Result<(), Duration> {
        let result = self.cooldown.check(user.get(), Instant::now());
        if result.is_err() {
            self.shared.metrics.cooldowns.inc();
        }
        result
    }

    fn ask(
        &self,
        question: &str,
        front_end: FrontEnd,
        user: UserId,
        guild: Option<GuildId>,
    ) -> Reply {
        let started = Instant::now();
        let reply = self.shared.store.ask(question);
        let latency = started.elapsed();
        self.shared
            .metrics
            .question(front_end, reply.outcome, latency.as_secs_f64());
        self.log_question(question, front_end, user, guild, latency, &reply);
        tracing::info!(front_end = front_end.as_str(), outcome = reply.outcome.as_str(), best = ?reply.best.as_ref().map(|b| b.id), "question");
        reply
    }

    async fn respond(
        &self,
        id: serenity::all::InteractionId,
        token: &str,
        body: CreateInteractionResponse,
        received: Instant,
    ) {
        if let Err(e) = self
            .rest
            .interaction_callback(id, token, &body, received + CALLBACK_DEADLINE)
            .await
        {
            tracing::error!("answering an interaction failed: {e}");
        }
    }

    async fn on_command(&self, cmd: &CommandInteraction, received: Instant) {
        let ephemeral = self.discord.ephemeral;
        let rendered = match cmd.data.name.as_str() {
            "ask" => {
                let question = string_option(cmd, "question").unwrap_or_default();
                if let Err(wait) = self.check_cooldown(cmd.user.id) {
                    return self
                        .respond(
                            cmd.id,
                            &cmd.token,
                            message(Rendered::text(cooldown_text(wait)), true),
                            received,
                        )
                        .await;
                }
                render::reply(&self.ask(&question, FrontEnd::Slash, cmd.user.id, cmd.guild_id))
            }
            "faq" => match string_option(cmd, "topic").filter(|t| !t.trim().is_empty()) {
                Some(topic) => self.topic(&topic, cmd),
                None => return self.list_all(cmd, received).await,
            },
            "reload" => return self.reload(cmd, received).await,
            other => {
                tracing::warn!(command = other, "unknown command");
                Rendered::text("This command is not known to this version of the bot.")
            }
        };
        self.respond(cmd.id, &cmd.token, message(rendered, ephemeral), received)
            .await;
    }

    /// `/faq topic:` holds an FAQ id when picked from autocomplete, else typed text.
    fn topic(&self, topic: &str, cmd: &CommandInteraction) -> Rendered {
        let snapshot = self.shared.store.snapshot();
        match topic
            .trim()
            .parse()
            .ok()
            .and_then(|id| snapshot.reply_for(id))
        {
            Some(reply) => render::reply(&reply),
            None => render::reply(&self.ask(topic, FrontEnd::Faq, cmd.user.id, cmd.guild_id)),
        }
    }

    async fn list_all(&self, cmd: &CommandInteraction, received: Instant) {
        let pages = render::faq_list(self.shared.store.snapshot().faqs());
        let mut pages = pages.into_iter();
        let first = pages.next().unwrap_or_default();
        self.respond(
            cmd.id,
            &cmd.token,
            message(Rendered::text(first), true),
            received,
        )
        .await;
        for page in pages {
            let body = CreateInteractionResponseFollowup::new()
                .content(page)
                .ephemeral(true)
                .allowed_mentions(serenity::all::CreateAllowedMentions::new());
            if let Err(e) = self
                .rest
                .followup(
                    cmd.application_id,
                    &cmd.token,
                    &body,
                    received + FOLLOWUP_DEADLINE,
                )
                .await
            {
                tracing::error!("sending the question list failed: {e}");
                break;
            }
        }
    }

    async fn reload(&self, cmd: &CommandInteraction, received: Instant) {
        if !self.is_admin(cmd) {
            tracing::warn!(user = cmd.user.id.get(), "refused /reload from a non-admin");
            let text = "Only the bot's admins can reload the FAQs.";
            return self
                .respond(
                    cmd.id,
                    &cmd.token,
                    message(Rendered::text(text), true),
                    received,
                )
                .await;
        }
        let store = Arc::clone(&self.shared.store);
        let metrics = Arc::clone(&self.shared.metrics);
        let text = match tokio::task::spawn_blocking(move || {
            ops::reload(&store, &metrics, ReloadTrigger::Command)
        })
        .await
        {
            Ok(Ok(summary)) => format!("Reloaded: {summary}."),
            Ok(Err(e)) => {
                format!("Reload failed; the previous FAQs keep answering.\n```\n{e}\n```")
            }
            Err(e) => format!("Reload failed: {e}"),
        };
        let text = render::truncate(&text, MESSAGE_CONTENT_CHARS - 4);
        let text = if text.contains("```") && !text.ends_with("```") {
            format!("{text}\n```")
        } else {
            text
        };
        self.respond(
            cmd.id,
            &cmd.token,
            message(Rendered::text(text), true),
            received,
        )
        .await;
    }

    /// Admins: listed users, or members with a listed role; with neither list set,
    /// anyone whom Discord reports as having Manage Server here.
    fn is_admin(&self, cmd: &CommandInteraction) -> bool {
        let d = &self.discord;
        if d.admin_users.contains(&cmd.user.id.get()) {
            return true;
        }
        let Some(member) = &cmd.member else {
            return false;
        };
        if member
            .roles
            .iter()
            .any(|r| d.admin_roles.contains(&r.get()))
        {
            return true;
        }
        d.admin_users.is_empty()
            && d.admin_roles.is_empty()
            && member
                .permissions
                .is_some_and(|p| p.contains(Permissions::MANAGE_GUILD))
    }

    async fn on_autocomplete(&self, cmd: &CommandInteraction, received: Instant) {
        let typed = cmd
            .data
            .autocomplete()
            .map(|o| o.value.to_string())
            .unwrap_or_default();
        let candidates = self
            .shared
            .store
            .snapshot()
            .suggest(&typed, AUTOCOMPLETE_CHOICES);
        let body = CreateInteractionResponse::Autocomplete(render::choices(&candidates));
        self.respond(cmd.id, &cmd.token, body, received).await;
    }

    async fn on_button(&self, press: &ComponentInteraction, received: Instant) {
        let Some(id) = render::button_faq(&press.data.custom_id) else {
            return;
        };
        let rendered = match self.shared.store.snapshot().reply_for(id) {
            Some(reply) => {
                self.shared
                    .metrics
                    .question(FrontEnd::Button, Outcome::Answered, 0.0);
                render::reply(&reply)
            }
            None => {
                Rendered::text("That question is no longer in the FAQs. Try `/faq` to browse them.")
            }
        };
        let body = message(rendered, self.discord.ephemeral);
        self.respond(press.id, &press.token, body, received).await;
    }
}

// The question log (issue 11, "Learn from the server"): one call where a question is
// answered; the fields are Discord-neutral and the user id is only ever stored hashed.
impl Handler {
    fn log_question(
        &self,
        question: &str,
        front_end: FrontEnd,
        user: UserId,
        guild: Option<GuildId>,
        latency: Duration,
        reply: &Reply,
    ) {
        // Help-channel messages the bot stays silent on were not asked of it.
        if front_end == FrontEnd::HelpChannel && reply.outcome != Outcome::Answered {
            return;
        }
        let question = Question {
            text: question.to_string(),
            front_end: front_end.as_str(),
            channel_kind: if guild.is_some() {
                ChannelKind::Guild
            } else {
                ChannelKind::Dm
            },
            guild: guild.map(GuildId::get),
            user: Some(user.get()),
            latency,
            reply_message: None,
        };
        self.shared.questions.record(question, reply);
    }
}

fn message(rendered: Rendered, ephemeral: bool) -> CreateInteractionResponse {
    CreateInteractionResponse::Message(rendered.into_interaction(ephemeral))
}

fn string_option(cmd: &CommandInteraction, name: &str) -> Option<String> {
    cmd.data
        .options
        .iter()
        .find(|o| o.name == name)
        .and_then(|o| o.value.as_str())
        .map(str::to_string)
}

fn cooldown_text(wait: Duration) -> String {
    format!(
        "You're asking faster than I can keep up; try again in {} s.",
        wait.as_secs().max(1)
    )
}

/// The question without the bot's own mention.
pub fn strip_mentions(content: &str, me: UserId) -> String {
    content
        .replace(&format!("<@{me}>"), " ")
        .replace(&format!("<@!{me}>"), " ")
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mention_is_stripped_from_the_question() {
        let me = UserId::new(42);
        assert_eq!(
            strip_mentions("<@42> how much do devs earn?", me),
            "how much do devs earn?"
        );
        assert_eq!(strip_mentions("hey <@!42>", me), "hey");
        assert_eq!(strip_mentions("<@43> hi", me), "<@43> hi");
    }
}
