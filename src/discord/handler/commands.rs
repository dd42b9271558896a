//! Slash commands, the "Find FAQ answer" message command, and autocomplete.

use std::fmt::Write as _;
use std::sync::Arc;

use serenity::all::{
    CreateAllowedMentions, CreateInteractionResponse, CreateInteractionResponseMessage,
    EditInteractionResponse, UserId,
};

use super::arrival::{Arrival, Command, TargetMessage};
use super::{message, Gate, Handler, To, EDIT_DEADLINE};
use crate::discord::commands::FIND_ANSWER;
use crate::discord::custom_id::Owners;
use crate::discord::render::{self, Frame, Rendered};
use crate::learning::{stats, suggest};
use crate::limits::{ACTION_ROWS, AUTOCOMPLETE_CHOICES, MESSAGE_CONTENT_CHARS};
use crate::matcher::Outcome;
use crate::ops::flood::Audience;
use crate::ops::metrics::{FrontEnd, ReloadTrigger};
use crate::ops::{self, ReloadFailed};

/// Suggestions shown at once by `/faqadmin suggestions`: one row of buttons each.
pub(super) const SUGGESTIONS_SHOWN: usize = ACTION_ROWS;
/// `/faqadmin stats` covers this many days.
const STATS_DAYS: i64 = 7;

impl Handler {
    pub(super) async fn on_command(&self, arrival: &Arrival, cmd: &Command) {
        let to = arrival.to();
        match &*cmd.name {
            "ask" => {
                let question = cmd.text("question").unwrap_or_default();
                self.gated_respond(&to, self.discord.ephemeral, |private| {
                    let asked = self.ask(question, FrontEnd::Slash, arrival.user, arrival.guild);
                    render::reply(
                        &asked.reply,
                        Frame {
                            question: asked.question,
                            public: (!private).then(|| Owners::asker(arrival.user.get())),
                        },
                    )
                })
                .await;
            }
            "faq" => {
                let topic = cmd.text("topic").filter(|t| !t.trim().is_empty());
                match (topic, cmd.user("to")) {
                    (Some(topic), Some(member)) => {
                        self.send_to(arrival, cmd, &to, topic, member).await
                    }
                    (Some(topic), None) => {
                        self.gated_respond(&to, self.discord.ephemeral, |private| {
                            self.topic(topic, arrival, private)
                        })
                        .await;
                    }
                    (None, Some(_)) => {
                        self.private_note(&to, "Pick a `topic:` to send to them.")
                            .await;
                    }
                    // The list is private, one message paged in place.
                    (None, None) => {
                        self.gated_respond(&to, true, |_| {
                            render::faq_page(self.shared.store.snapshot().faqs(), 0)
                        })
                        .await;
                    }
                }
            }
            FIND_ANSWER => self.find_answer(arrival, cmd, &to).await,
            "help" => {
                let text = self.help_text();
                self.gated_respond(&to, true, |_| Rendered::text(text))
                    .await;
            }
            "reload" => self.reload(arrival, &to).await,
            "faqadmin" => self.faqadmin(arrival, cmd, &to).await,
            other => {
                tracing::warn!(command = other, "unknown command");
                self.private_note(&to, "This command is not known to this version of the bot.")
                    .await;
            }
        }
    }

    /// `/faq topic:` holds an FAQ id when picked from autocomplete, else typed text.
    fn topic(&self, topic: &str, arrival: &Arrival, private: bool) -> Rendered {
        let snapshot = self.shared.store.snapshot();
        let public = (!private).then(|| Owners::asker(arrival.user.get()));
        match topic
            .trim()
            .parse()
            .ok()
            .and_then(|id| snapshot.reply_for(id))
        {
            Some(reply) => render::reply(
                &reply,
                Frame {
                    question: None,
                    public,
                },
            ),
            None => {
                let asked = self.ask(topic, FrontEnd::Faq, arrival.user, arrival.guild);
                render::reply(
                    &asked.reply,
                    Frame {
                        question: asked.question,
                        public,
                    },
                )
            }
        }
    }

    /// `/faq topic:<…> to:<member>`: the answer, in the channel, addressed to that
    /// member, who is the only one it may ping. Only a confident answer is sent to
    /// someone; otherwise the sender sees privately what the bot would have said.
    async fn send_to(
        &self,
        arrival: &Arrival,
        cmd: &Command,
        to: &To<'_>,
        topic: &str,
        member: UserId,
    ) {
        // A member of this server (Discord resolves them with their membership); in a
        // DM, whoever Discord resolved.
        let recipient = cmd
            .users
            .iter()
            .find(|u| u.id == member)
            .filter(|u| arrival.guild.is_none() || u.member);
        let Some(recipient) = recipient.filter(|u| !u.bot) else {
            return self
                .private_note(
                    to,
                    "FAQs can be sent to a member of this server, not to a bot or a role.",
                )
                .await;
        };
        let snapshot = self.shared.store.snapshot();
        let (reply, question) = match topic
            .trim()
            .parse()
            .ok()
            .and_then(|id| snapshot.reply_for(id))
        {
            Some(reply) => (reply, None),
            None => {
                let asked = self.ask(topic, FrontEnd::Faq, arrival.user, arrival.guild);
                (asked.reply, asked.question)
            }
        };
        if reply.outcome != Outcome::Answered {
            return self
                .gated_respond(to, true, |_| {
                    let mut r = render::reply(
                        &reply,
                        Frame {
                            question,
                            public: None,
                        },
                    );
                    r.content = Some(format!(
                        "Not sent: I'm not sure which FAQ that is. {}",
                        r.content.unwrap_or_default()
                    ));
                    r
                })
                .await;
        }
        self.gated_respond(to, false, |private| {
            let owners = Owners {
                for_user: recipient.id.get(),
                by_user: arrival.user.get(),
            };
            let mut r = render::reply(
                &reply,
                Frame {
                    question,
                    public: (!private).then_some(owners),
                },
            );
            if private {
                r.content = Some(
                    "This channel has had a lot from me lately, so this is shown only to you; send it again in a minute."
                        .into(),
                );
            } else {
                r.content = Some(format!(
                    "<@{}>, <@{}> thought this answers your question:",
                    recipient.id, arrival.user
                ));
                r.ping = Some(recipient.id);
            }
            r
        })
        .await;
    }

    /// "Find FAQ answer" on a message: the answer is posted as a reply to it, for the
    /// channel to see; when unsure, the choices go privately to whoever asked, and
    /// their pick is posted.
    async fn find_answer(&self, arrival: &Arrival, cmd: &Command, to: &To<'_>) {
        let Some(target) = cmd.target.as_deref() else {
            return self.private_note(to, "Use this on a message.").await;
        };
        let text = super::messages::strip_mentions(&target.content);
        if text.is_empty() {
            return self
                .private_note(
                    to,
                    "That message has no text I can look up (only attachments or embeds). Ask with `/ask` in words instead.",
                )
                .await;
        }
        match self.gate(
            to.user,
            Audience::Channel {
                id: to.channel.get(),
                private_fallback: true,
            },
        ) {
            Gate::Speak { private } => {
                let asked = self.ask(&text, FrontEnd::ContextMenu, target.author, arrival.guild);
                if asked.reply.outcome != Outcome::Answered || private {
                    // Unsure, or the channel is over its share: the helper decides,
                    // privately.
                    let rendered = if asked.reply.outcome == Outcome::Answered {
                        render::reply(&asked.reply, Frame::default())
                    } else if asked.reply.alternatives.is_empty() {
                        Rendered::text("No FAQ answers that message. Browse them with `/faq`.")
                    } else {
                        render::reply_choices(
                            &asked.reply.alternatives,
                            target.id,
                            target.author,
                            asked.question,
                        )
                    };
                    return self.respond(to, message(rendered, true)).await;
                }
                let owners = Owners {
                    for_user: target.author.get(),
                    by_user: to.user.get(),
                };
                let rendered = render::reply(
                    &asked.reply,
                    Frame {
                        question: asked.question,
                        public: Some(owners),
                    },
                );
                // Posting is a channel message, which may wait out a rate limit:
                // acknowledge privately first so Discord's 3 seconds always hold.
                self.defer(to).await;
                let note = self.post_reply(target, rendered, asked.question).await;
                self.edit_deferred(to, note).await;
            }
            Gate::Notice(notice) => self.respond(to, message(*notice, true)).await,
            Gate::Silent => {}
        }
    }

    /// Posts `rendered` as a reply to `target`; says how it went, for the person who
    /// asked for it.
    pub(super) async fn post_reply(
        &self,
        target: &TargetMessage,
        rendered: Rendered,
        question: Option<crate::learning::QuestionId>,
    ) -> &'static str {
        let body = rendered.into_message(Some((target.channel_id, target.id)));
        match self.rest.create_message(target.channel_id, &body).await {
            Ok(posted) => {
                if let (Some(q), Some(posted)) = (question, posted) {
                    self.shared.questions.set_reply_message(q, posted.get());
                }
                "Posted the answer as a reply to that message."
            }
            Err(e) => {
                tracing::error!("posting an answer as a reply failed: {e}");
                "I couldn't post in this channel (do I have Send Messages here?)."
            }
        }
    }

    /// How to use the bot here: one private message.
    fn help_text(&self) -> String {
        let mut text = String::from(
            "**How to get answers**\n\
             • `/ask question:` — I answer from this server's FAQs (or offer the closest questions).\n\
             • `/faq` — browse every question; `/faq topic:` shows one; add `to:@member` to post it for them.\n\
             • Apps → **Find FAQ answer** on any message — I reply to that message with the answer.\n\
             • Mention me with a question, or mention me in a reply to someone's message to answer it.\n\
             • DM me a question.\n\
             Answers have **Helpful / Not helpful** buttons (they teach the bot) and **Remove** for the person asked and the asker.",
        );
        let channels = |ids: &[u64]| {
            ids.iter()
                .map(|id| format!("<#{id}>"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !self.discord.help_channels.is_empty() {
            let _ = write!(
                text,
                "\nI answer questions I'm sure about in {}.",
                channels(&self.discord.help_channels)
            );
        }
        if !self.discord.help_forums.is_empty() {
            let _ = write!(
                text,
                "\nI answer new posts I'm sure about in {}.",
                channels(&self.discord.help_forums)
            );
        }
        text
    }

    /// A reload can take longer than Discord's 3 seconds (100,000 FAQs, or waiting for
    /// a SIGHUP reload already running), so it is deferred: acknowledged privately at
    /// once ("thinking…"), run off the async workers, and the result edited in.
    async fn reload(&self, arrival: &Arrival, to: &To<'_>) {
        if !self
            .admin_or_refuse(to, arrival.member.as_ref(), "reload the FAQs")
            .await
        {
            return;
        }
        self.defer(to).await;
        let text = match ops::reload_in_background(
            Arc::clone(&self.shared.store),
            Arc::clone(&self.shared.metrics),
            ReloadTrigger::Command,
        )
        .await
        {
            Ok(summary) => format!("Reloaded: {summary}."),
            Err(ReloadFailed::Load(e)) => {
                format!("Reload failed; the previous FAQs keep answering.\n```\n{e}\n```")
            }
            Err(e) => format!("Reload failed: {e}"),
        };
        self.edit_deferred(to, &text).await;
    }

    /// Acknowledges privately at once ("thinking…"); the answer is edited in later.
    pub(super) async fn defer(&self, to: &To<'_>) {
        let defer = CreateInteractionResponse::Defer(
            CreateInteractionResponseMessage::new().ephemeral(true),
        );
        if let Err(e) = self
            .rest
            .interaction_callback(
                to.id,
                to.token,
                &defer,
                to.received + self.callback_deadline,
            )
            .await
        {
            // The work still runs (the admin asked for it); only the answer is lost.
            tracing::error!("acknowledging an interaction failed: {e}");
        }
    }

    /// Replaces a deferred "thinking…" with `text` (cut to fit, code blocks closed).
    pub(super) async fn edit_deferred(&self, to: &To<'_>, text: &str) {
        let text = render::truncate(text, MESSAGE_CONTENT_CHARS - 4);
        let text = if text.matches("```").count() % 2 == 1 {
            format!("{text}\n```")
        } else {
            text
        };
        let edit = EditInteractionResponse::new()
            .content(text)
            .components(Vec::new())
            .allowed_mentions(CreateAllowedMentions::new());
        if let Err(e) = self
            .rest
            .edit_original(to.app, to.token, &edit, to.received + EDIT_DEADLINE)
            .await
        {
            tracing::error!("sending a deferred result failed: {e}");
        }
    }

    async fn faqadmin(&self, arrival: &Arrival, cmd: &Command, to: &To<'_>) {
        if !self
            .admin_or_refuse(to, arrival.member.as_ref(), "see this")
            .await
        {
            return;
        }
        let Some(db) = self.database() else {
            return self
                .private_note(
                    to,
                    "The question log is off (`privacy.log_questions = false`): there is nothing to show.",
                )
                .await;
        };
        let sub = cmd.subcommand();
        // Reading the log can take longer than Discord's 3 seconds on a busy database.
        self.defer(to).await;
        let snapshot = self.shared.store.snapshot();
        match sub {
            Some("suggestions") => match suggest::pending(db, &snapshot, &self.learning).await {
                Ok(pending) => {
                    let edit = render::suggestions(&pending, SUGGESTIONS_SHOWN, None);
                    if let Err(e) = self
                        .rest
                        .edit_original(to.app, to.token, &edit, to.received + EDIT_DEADLINE)
                        .await
                    {
                        tracing::error!("sending the suggestions failed: {e}");
                    }
                }
                Err(e) => {
                    self.edit_deferred(to, &format!("Reading the question log failed: {e}"))
                        .await
                }
            },
            _ => {
                let since = crate::learning::stats::today_ms() - (STATS_DAYS - 1) * 86_400_000;
                let text = match stats::stats(db, &snapshot, since, 5).await {
                    Ok(s) => render::stats_summary(&s, STATS_DAYS),
                    Err(e) => format!("Reading the question log failed: {e}"),
                };
                self.edit_deferred(to, &text).await;
            }
        }
    }

    pub(super) async fn on_autocomplete(&self, arrival: &Arrival, typed: &str) {
        let candidates = self
            .shared
            .store
            .snapshot()
            .suggest(typed, AUTOCOMPLETE_CHOICES);
        let body = CreateInteractionResponse::Autocomplete(render::choices(&candidates));
        self.respond(&arrival.to(), body).await;
    }
}
