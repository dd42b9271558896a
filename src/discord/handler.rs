//! Discord events in, rendered replies out. Every event is handled on its own task
//! (tracked, so shutdown can wait for replies in flight), at most [`MAX_HANDLING`] at
//! once, the others waiting in order of arrival; the answers come from the
//! core's `Store`, and the words and layout from `render`. Every path that makes the
//! bot speak asks flood control first ([`Handler::gate`]), once it knows it would
//! speak: one policy for commands, buttons, mentions, DMs, help channels and hints.

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
use crate::ops::flood::{Audience, FloodControl, Over, Verdict};
use crate::ops::metrics::{FrontEnd, ReloadTrigger};
use crate::ops::{self, Shared};
use crate::reply::Reply;

/// Events handled at once: matched, rendered, or waiting for a place on the wire. A
/// burst of thousands of interactions arrives faster than replies can go out; past this
/// many, an event waits as it arrived rather than as a matched and rendered reply
/// queued for the wire, so what answering holds stays bounded however large the burst.
/// (serenity's own task per event, ~7 KiB, is not ours to bound: on a 2,000 burst it
/// is most of the peak.) Twice the replies on the wire, so that a reply is always ready
/// when a place there frees.
pub(super) const MAX_HANDLING: usize = 2 * super::rest::MAX_IN_FLIGHT;
/// How long a message waits for a place to be handled: as long as a channel message's
/// reply is tried (`rest`).
const MESSAGE_WAIT: Duration = Duration::from_secs(30);
/// Follow-ups may come for 15 minutes; ours come at once, so a minute is plenty.
const FOLLOWUP_DEADLINE: Duration = Duration::from_secs(60);
/// A deferred response may be edited for the interaction token's 15 minutes; a reload
/// takes seconds, so a minute is plenty.
const EDIT_DEADLINE: Duration = Duration::from_secs(60);

pub struct Handler {
    pub(super) shared: Shared,
    pub(super) discord: DiscordSettings,
    pub(super) rest: Rest,
    pub(super) flood: FloodControl,
    /// Discord drops an interaction not answered within 3 seconds: a first reply
    /// later than this (`limits.reply_deadline_ms`, 2.8 s) is not sent.
    pub(super) callback_deadline: Duration,
    pub(super) bot_user: OnceLock<UserId>,
    pub(super) registered: AtomicBool,
    /// Shards that have had a session: a READY for one of them again is a reconnect.
    pub(super) shards_seen: std::sync::Mutex<std::collections::HashSet<u32>>,
    /// Places for events being handled ([`MAX_HANDLING`]).
    pub(super) handling: tokio::sync::Semaphore,
}

/// Where an interaction reply goes, and when the interaction arrived.
struct To<'a> {
    id: serenity::all::InteractionId,
    token: &'a str,
    user: UserId,
    channel: serenity::all::ChannelId,
    received: Instant,
}

impl<'a> To<'a> {
    fn command(cmd: &'a CommandInteraction, received: Instant) -> Self {
        To {
            id: cmd.id,
            token: &cmd.token,
            user: cmd.user.id,
            channel: cmd.channel_id,
            received,
        }
    }
}

/// What flood control lets a reply do.
enum Gate {
    /// Send it; `private` when it must go privately instead of in the channel.
    Speak { private: bool },
    /// Send this notice instead (boxed: a rendered message is large, the others tiny).
    Notice(Box<Rendered>),
    /// Send nothing.
    Silent,
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
        // What answering allocates is freed when it is done: give it back once quiet.
        ops::memory::release_soon();
        let Some(_place) = self.place(received + self.callback_deadline).await else {
            tracing::error!(
                "answering an interaction failed: still waiting behind {MAX_HANDLING} events being handled at the reply's deadline; given up"
            );
            return;
        };
        // Boxed: only an event with a place holds the state of being answered.
        Box::pin(self.on_interaction(interaction, received)).await;
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
        ops::memory::release_soon();
        let Some(_place) = self.place(Instant::now() + MESSAGE_WAIT).await else {
            tracing::error!(
                "replying to a message failed: still waiting behind {MAX_HANDLING} events being handled after {MESSAGE_WAIT:?}; given up"
            );
            return;
        };
        Box::pin(self.on_message(msg, me, is_dm || mentioned)).await;
    }
}

impl Handler {
    /// A place among the events being handled, waited for until `deadline` (in order
    /// of arrival); `None` when the deadline came first.
    async fn place(&self, deadline: Instant) -> Option<tokio::sync::SemaphorePermit<'_>> {
        tokio::time::timeout_at(deadline.into(), self.handling.acquire())
            .await
            .ok()?
            .ok()
    }

    async fn on_interaction(&self, interaction: Interaction, received: Instant) {
        match interaction {
            Interaction::Command(cmd) => self.on_command(&cmd, received).await,
            Interaction::Autocomplete(cmd) => self.on_autocomplete(&cmd, received).await,
            Interaction::Component(press) => self.on_button(&press, received).await,
            _ => {}
        }
    }

    /// A mention, a DM, or a message in a help channel (`addressed`: one of the first two).
    async fn on_message(&self, msg: Message, me: UserId, addressed: bool) {
        let is_dm = msg.guild_id.is_none();
        let question = strip_mentions(&msg.content, me);
        // A channel message cannot be private: over the channel's share, a notice once,
        // then silence.
        let audience = Audience::Channel {
            id: msg.channel_id.get(),
            private_fallback: false,
        };
        let rendered = if !addressed {
            // A help channel, where nobody addressed the bot: it speaks only when it is
            // sure, so only what it answers is charged, and it never sends notices
            // there (nobody asked it anything).
            if question.trim().is_empty() {
                return;
            }
            let reply = self.ask(
                &question,
                FrontEnd::HelpChannel,
                msg.author.id,
                msg.guild_id,
            );
            if reply.outcome != Outcome::Answered {
                return;
            }
            match self.gate(msg.author.id, audience) {
                Gate::Speak { .. } => render::reply(&reply),
                Gate::Notice(_) | Gate::Silent => return,
            }
        } else {
            match self.gate(msg.author.id, audience) {
                Gate::Speak { .. } if question.trim().is_empty() => Rendered::text("Ask me a question about the FAQs, e.g. mention me with your question, or use `/ask` or `/faq`."),
                Gate::Speak { .. } => {
                    let front_end = if is_dm { FrontEnd::Dm } else { FrontEnd::Mention };
                    render::reply(&self.ask(&question, front_end, msg.author.id, msg.guild_id))
                }
                Gate::Notice(notice) => *notice,
                Gate::Silent => return,
            }
        };
        if let Err(e) = self
            .rest
            .create_message(msg.channel_id, &rendered.into_message(Some(&msg)))
            .await
        {
            tracing::error!("replying to a message failed: {e}");
        }
    }

    /// Flood control for one reply to `user`, charged when it is to be sent.
    fn gate(&self, user: UserId, audience: Audience) -> Gate {
        match self.flood.admit(user.get(), audience, Instant::now()) {
            Verdict::Speak => Gate::Speak { private: false },
            Verdict::SpeakPrivately => Gate::Speak { private: true },
            Verdict::Notice { wait, over } => {
                self.shared.metrics.cooldowns.inc();
                tracing::info!(
                    user = user.get(),
                    over = ?over,
                    "flood control: over the limit; one notice, then silence"
                );
                Gate::Notice(Box::new(Rendered::text(notice_text(wait, over))))
            }
            Verdict::Silent => {
                self.shared.metrics.flood_silenced.inc();
                tracing::debug!(user = user.get(), "flood control: silent");
                Gate::Silent
            }
        }
    }

    /// Where an interaction reply would go: the channel, unless it is private anyway.
    fn interaction_audience(&self, channel: serenity::all::ChannelId, private: bool) -> Audience {
        if private {
            Audience::Private
        } else {
            Audience::Channel {
                id: channel.get(),
                private_fallback: true,
            }
        }
    }

    /// Gates and sends an interaction reply made by `make` (called only when it is to
    /// be sent, so refused requests cost no matching). Notices are private; silence
    /// sends nothing at all.
    async fn gated_respond(&self, to: &To<'_>, private: bool, make: impl FnOnce() -> Rendered) {
        let body = match self.gate(to.user, self.interaction_audience(to.channel, private)) {
            Gate::Speak { private: fallback } => message(make(), private || fallback),
            Gate::Notice(notice) => message(*notice, true),
            Gate::Silent => return,
        };
        self.respond(to.id, to.token, body, to.received).await;
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
            .interaction_callback(id, token, &body, received + self.callback_deadline)
            .await
        {
            tracing::error!("answering an interaction failed: {e}");
        }
    }

    async fn on_command(&self, cmd: &CommandInteraction, received: Instant) {
        let ephemeral = self.discord.ephemeral;
        let to = To::command(cmd, received);
        match cmd.data.name.as_str() {
            "ask" => {
                let question = string_option(cmd, "question").unwrap_or_default();
                self.gated_respond(&to, ephemeral, || {
                    render::reply(&self.ask(&question, FrontEnd::Slash, cmd.user.id, cmd.guild_id))
                })
                .await;
            }
            "faq" => match string_option(cmd, "topic").filter(|t| !t.trim().is_empty()) {
                Some(topic) => {
                    self.gated_respond(&to, ephemeral, || self.topic(&topic, cmd))
                        .await
                }
                None => self.list_all(cmd, received).await,
            },
            "reload" => self.reload(cmd, received).await,
            other => {
                tracing::warn!(command = other, "unknown command");
                let text = "This command is not known to this version of the bot.";
                self.gated_respond(&to, true, || Rendered::text(text)).await;
            }
        }
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
        // The list is private, and charged as one reply however many pages it takes.
        match self.gate(cmd.user.id, Audience::Private) {
            Gate::Speak { .. } => {}
            Gate::Notice(notice) => {
                return self
                    .respond(cmd.id, &cmd.token, message(*notice, true), received)
                    .await
            }
            Gate::Silent => return,
        }
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

    /// A reload can take longer than Discord's 3 seconds (100,000 FAQs, or waiting for
    /// a SIGHUP reload already running), so it is deferred: acknowledged privately at
    /// once ("thinking…"), run off the async workers, and the result edited in.
    async fn reload(&self, cmd: &CommandInteraction, received: Instant) {
        if !self.is_admin(cmd) {
            tracing::warn!(user = cmd.user.id.get(), "refused /reload from a non-admin");
            let text = "Only the bot's admins can reload the FAQs.";
            return self
                .gated_respond(&To::command(cmd, received), true, || Rendered::text(text))
                .await;
        }
        let defer = CreateInteractionResponse::Defer(
            serenity::all::CreateInteractionResponseMessage::new().ephemeral(true),
        );
        if let Err(e) = self
            .rest
            .interaction_callback(
                cmd.id,
                &cmd.token,
                &defer,
                received + self.callback_deadline,
            )
            .await
        {
            // The reload still runs (the admin asked for it); only the answer is lost.
            tracing::error!("acknowledging /reload failed: {e}");
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
        let edit = serenity::all::EditInteractionResponse::new()
            .content(text)
            .allowed_mentions(serenity::all::CreateAllowedMentions::new());
        if let Err(e) = self
            .rest
            .edit_original(
                cmd.application_id,
                &cmd.token,
                &edit,
                received + EDIT_DEADLINE,
            )
            .await
        {
            tracing::error!("sending the /reload result failed: {e}");
        }
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

    /// A press shows that FAQ, like `/ask` (and charged like it). A button that is not
    /// ours, forged, or for an FAQ removed since, gets a private "out of date" reply:
    /// without one the user sees "This interaction failed".
    async fn on_button(&self, press: &ComponentInteraction, received: Instant) {
        let reply = render::button_faq(&press.data.custom_id)
            .and_then(|id| self.shared.store.snapshot().reply_for(id));
        let private = self.discord.ephemeral || reply.is_none();
        if reply.is_none() {
            tracing::info!(
                custom_id = %render::truncate(&press.data.custom_id, 100),
                "a press on an unknown or stale button"
            );
        }
        let to = To {
            id: press.id,
            token: &press.token,
            user: press.user.id,
            channel: press.channel_id,
            received,
        };
        self.gated_respond(&to, private, || match reply {
            Some(reply) => {
                self.shared
                    .metrics
                    .question(FrontEnd::Button, Outcome::Answered, 0.0);
                render::reply(&reply)
            }
            None => Rendered::text(STALE_BUTTON),
        })
        .await;
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

/// What a press on a button the bot does not know (any more) gets.
pub const STALE_BUTTON: &str =
    "This button is out of date. Ask again with `/ask`, or browse the questions with `/faq`.";

/// The one notice per window; what follows it is silence.
fn notice_text(wait: Duration, over: Over) -> String {
    let secs = wait.as_secs().max(1);
    match over {
        Over::User => format!(
            "You're asking faster than I can keep up; try again in {secs} s. (Until then I won't reply.)"
        ),
        Over::Channel => format!(
            "I've said a lot in this channel; I'll answer here again in {secs} s. `/ask` still answers you privately."
        ),
    }
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
