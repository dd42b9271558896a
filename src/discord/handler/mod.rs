//! Discord events in, rendered replies out. Every event is handled on its own task
//! (tracked, so shutdown can wait for replies in flight), at most [`MAX_HANDLING`] at
//! once, the others waiting in order of arrival; the answers come from the
//! core's `Store`, and the words and layout from `render`. Every path that makes the
//! bot speak asks flood control first ([`Handler::gate`]), once it knows it would
//! speak: one policy for commands, buttons, mentions, DMs, help channels and hints.
//!
//! - [`arrival`]: an interaction as it waits for its place: only what the handlers read.
//! - [`commands`]: slash commands (`/ask`, `/faq`, `/help`, `/reload`, `/faqadmin`),
//!   the "Find FAQ answer" message command and autocomplete.
//! - [`components`]: presses on the bot's buttons and menus (see `custom_id`).
//! - [`messages`]: mentions, DMs and help channels.
//! - [`forum`]: new posts in forum help channels.

mod arrival;
mod commands;
mod components;
mod forum;
mod messages;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use serenity::all::{
    ApplicationId, ChannelId, Context, CreateInteractionResponse, EventHandler, GuildChannel,
    GuildId, Interaction, InteractionId, Message, Permissions, Ready, ResumedEvent,
    ShardStageUpdateEvent, UserId,
};
use serenity::async_trait;
use serenity::gateway::ConnectionStage;

use self::arrival::{Access, Arrival, Kind};
use super::render::Rendered;
use super::rest::Rest;
use crate::config::{DiscordSettings, LearningSettings};
use crate::learning::{ChannelKind, Question, QuestionId};
use crate::matcher::Outcome;
use crate::ops::flood::{Audience, FloodControl, Over, Verdict};
use crate::ops::metrics::FrontEnd;
use crate::ops::{self, Shared};
use crate::reply::Reply;

/// Events handled at once: matched, rendered, or waiting for a place on the wire. A
/// burst of thousands of interactions arrives faster than replies can go out; past this
/// many, an event waits unanswered rather than as a matched and rendered reply queued
/// for the wire, so what answering holds stays bounded however large the burst (a
/// waiting interaction holds only an [`Arrival`], a message only itself: [`Events`]).
/// Twice the replies on the wire, so that a reply is always ready when a place there
/// frees.
pub(super) const MAX_HANDLING: usize = 2 * super::rest::MAX_IN_FLIGHT;
/// How long a message (or forum post) waits for a place to be handled: as long as a
/// channel message's reply is tried (`rest`).
const MESSAGE_WAIT: Duration = Duration::from_secs(30);
/// A deferred response may be edited for the interaction token's 15 minutes; a reload
/// or an approval takes seconds, so a minute is plenty.
const EDIT_DEADLINE: Duration = Duration::from_secs(60);

pub struct Handler {
    pub(super) shared: Shared,
    pub(super) discord: DiscordSettings,
    pub(super) learning: LearningSettings,
    pub(super) rest: Rest,
    pub(super) flood: FloodControl,
    /// Discord drops an interaction not answered within 3 seconds: a first reply
    /// later than this (`limits.reply_deadline_ms`, 2.8 s) is not sent.
    pub(super) callback_deadline: Duration,
    pub(super) bot_user: OnceLock<UserId>,
    pub(super) registered: AtomicBool,
    /// Shards that have had a session: a READY for one of them again is a reconnect.
    pub(super) shards_seen: std::sync::Mutex<std::collections::HashSet<u32>>,
    /// Forum posts taken on, so that a repeated THREAD_CREATE is not answered twice.
    pub(super) forum_claims: forum::Claims,
    /// Held while an admin's suggestion decision writes and reloads.
    pub(super) deciding: tokio::sync::Mutex<()>,
    /// Places for events being handled ([`MAX_HANDLING`]).
    pub(super) handling: tokio::sync::Semaphore,
    /// The runtime events are answered on, apart from the gateway's (`discord::run`).
    pub(super) answering: tokio::runtime::Handle,
}

/// Where an interaction reply goes, and when the interaction arrived.
struct To<'a> {
    id: InteractionId,
    app: ApplicationId,
    token: &'a str,
    user: UserId,
    channel: ChannelId,
    received: Instant,
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

/// A question answered: the reply, and its id in the question log if it was logged
/// (what feedback and "did you mean" presses refer to).
struct Asked {
    reply: Reply,
    question: Option<QuestionId>,
}

/// What serenity calls with every gateway event. serenity runs each call on a task of
/// its own that holds the whole event until the call returns, so events that may have
/// to wait for a place among the [`MAX_HANDLING`] being answered (interactions,
/// messages, new threads) do not wait there: each moves onto a task of ours holding
/// only what answering it needs (an interaction as an [`Arrival`], a message or
/// thread as it came), and serenity's task ends at once (`discord_load` bench: peak
/// RSS of a 2,000 burst 56.7 → 48.6–52.4 MiB, of a 10,000 burst 154.1 → 128.7–136.6
/// MiB; then with arrivals instead of serenity's `Interaction`, see `arrival`).
pub struct Events(pub(super) Arc<Handler>);

impl Events {
    /// Runs `work` on a task of ours on the answering runtime, tracked so that shutdown
    /// waits for it; nothing once the bot is stopping.
    fn hand_over<F>(&self, work: impl FnOnce(Arc<Handler>) -> F)
    where
        F: std::future::Future<Output = ()> + Send + 'static,
    {
        if !self.0.shared.shutdown.is_stopping() {
            let work = work(Arc::clone(&self.0));
            self.0.shared.in_flight.spawn_on(work, &self.0.answering);
        }
    }
}

#[async_trait]
impl EventHandler for Events {
    async fn ready(&self, ctx: Context, ready: Ready) {
        self.0.on_ready(ctx, ready).await;
    }

    async fn resume(&self, _ctx: Context, _event: ResumedEvent) {
        self.0.shared.health.set_gateway_connected(true);
        self.0.shared.metrics.gateway_reconnects.inc();
        tracing::info!("gateway session resumed");
    }

    async fn shard_stage_update(&self, _ctx: Context, event: ShardStageUpdateEvent) {
        self.0
            .shared
            .health
            .set_gateway_connected(matches!(event.new, ConnectionStage::Connected));
        tracing::debug!(shard = event.shard_id.0, stage = ?event.new, "gateway stage");
    }

    async fn interaction_create(&self, _ctx: Context, interaction: Interaction) {
        // What is answered is taken out now; the rest of the event is dropped with
        // serenity's task instead of waiting with it.
        if let Some(arrival) = Arrival::take(interaction, Instant::now()) {
            self.hand_over(|handler| async move { handler.interaction(arrival).await });
        }
    }

    async fn message(&self, _ctx: Context, msg: Message) {
        if !msg.author.bot {
            self.hand_over(|handler| async move { handler.message(msg).await });
        }
    }

    async fn thread_create(&self, _ctx: Context, thread: GuildChannel) {
        self.hand_over(|handler| async move { handler.thread_create(thread).await });
    }
}

impl Handler {
    async fn on_ready(&self, ctx: Context, ready: Ready) {
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

    /// Answers an interaction once it has a place among those being handled.
    async fn interaction(&self, arrival: Arrival) {
        // What answering allocates is freed when it is done: give it back once quiet.
        ops::memory::release_soon();
        let Some(_place) = self.place(arrival.received + self.callback_deadline).await else {
            tracing::error!(
                "answering an interaction failed: still waiting behind {MAX_HANDLING} events being handled at the reply's deadline; given up"
            );
            return;
        };
        // Boxed: only an event with a place holds the state of being answered.
        Box::pin(self.on_interaction(&arrival)).await;
    }

    async fn message(&self, msg: Message) {
        ops::memory::release_soon();
        let Some(_place) = self.place(Instant::now() + MESSAGE_WAIT).await else {
            tracing::error!(
                "replying to a message failed: still waiting behind {MAX_HANDLING} events being handled after {MESSAGE_WAIT:?}; given up"
            );
            return;
        };
        Box::pin(self.on_message(&msg)).await;
    }

    async fn thread_create(&self, thread: GuildChannel) {
        let Some(_place) = self.place(Instant::now() + MESSAGE_WAIT).await else {
            tracing::error!(
                "answering a forum post failed: still waiting behind {MAX_HANDLING} events being handled after {MESSAGE_WAIT:?}; given up"
            );
            return;
        };
        Box::pin(self.on_thread_create(&thread)).await;
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

    async fn on_interaction(&self, arrival: &Arrival) {
        match &arrival.kind {
            Kind::Command(cmd) => self.on_command(arrival, cmd).await,
            Kind::Autocomplete(typed) => self.on_autocomplete(arrival, typed).await,
            Kind::Press(press) => self.on_component(arrival, press).await,
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
    fn interaction_audience(&self, channel: ChannelId, private: bool) -> Audience {
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
    /// be sent, so refused requests cost no matching; told whether the reply is
    /// private after all). Notices are private; silence sends nothing at all.
    async fn gated_respond(&self, to: &To<'_>, private: bool, make: impl FnOnce(bool) -> Rendered) {
        let body = match self.gate(to.user, self.interaction_audience(to.channel, private)) {
            Gate::Speak { private: fallback } => {
                let private = private || fallback;
                message(make(private), private)
            }
            Gate::Notice(notice) => message(*notice, true),
            Gate::Silent => return,
        };
        self.respond(to, body).await;
    }

    /// Matches a question, counts it, and logs it (off the reply path).
    fn ask(
        &self,
        question: &str,
        front_end: FrontEnd,
        user: UserId,
        guild: Option<GuildId>,
    ) -> Asked {
        // Mention markup names people, roles and channels of this server: never words
        // of the question (and never logged).
        let question = &messages::strip_mentions(question);
        let started = Instant::now();
        let reply = self.shared.store.ask(question);
        let latency = started.elapsed();
        self.shared
            .metrics
            .question(front_end, reply.outcome, latency.as_secs_f64());
        let logged = self.log_question(question, front_end, user, guild, latency, &reply);
        tracing::info!(front_end = front_end.as_str(), outcome = reply.outcome.as_str(), best = ?reply.best.as_ref().map(|b| b.id), "question");
        Asked {
            reply,
            question: logged,
        }
    }

    async fn respond(&self, to: &To<'_>, body: CreateInteractionResponse) {
        if let Err(e) = self
            .rest
            .interaction_callback(to.id, to.token, &body, to.received + self.callback_deadline)
            .await
        {
            tracing::error!("answering an interaction failed: {e}");
        }
    }

    /// A private reply that is not an answer (a refusal, a confirmation): charged
    /// like any reply, so that pressing a refused button in a loop is a flood too.
    async fn private_note(&self, to: &To<'_>, text: &str) {
        self.gated_respond(to, true, |_| Rendered::text(text)).await;
    }

    /// Admins: listed users, or members with a listed role; with neither list set,
    /// anyone whom Discord reports as having Manage Server here. Never in DMs.
    fn is_admin(&self, user: UserId, member: Option<&Access>) -> bool {
        let d = &self.discord;
        if d.admin_users.contains(&user.get()) {
            return true;
        }
        let Some(member) = member else {
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
            && member.can(Permissions::MANAGE_GUILD)
    }

    /// Whether `user` is an admin; if not, logs the refusal and tells them privately.
    async fn admin_or_refuse(&self, to: &To<'_>, member: Option<&Access>, what: &str) -> bool {
        if self.is_admin(to.user, member) {
            return true;
        }
        tracing::warn!(user = to.user.get(), what, "refused a non-admin");
        self.private_note(to, &format!("Only the bot's admins can {what}."))
            .await;
        false
    }

    /// The question log, when logging is on.
    fn database(&self) -> Option<&crate::learning::Database> {
        self.shared.questions.database()
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
    ) -> Option<QuestionId> {
        // Help-channel messages and forum posts the bot stays silent on were not asked
        // of it.
        if matches!(front_end, FrontEnd::HelpChannel | FrontEnd::Forum)
            && reply.outcome != Outcome::Answered
        {
            return None;
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
        self.shared.questions.record(question, reply)
    }
}

fn message(rendered: Rendered, ephemeral: bool) -> CreateInteractionResponse {
    CreateInteractionResponse::Message(rendered.into_interaction(ephemeral))
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
