//! Presses on the bot's buttons and menus. What each does is in its custom id
//! (`custom_id::Action`); nothing is remembered between a message and a press, so
//! every press is checked again here: who may remove, who may decide, whether the
//! FAQ still exists.

use std::sync::Arc;

use serenity::all::{CreateInteractionResponse, Permissions};

use super::arrival::{Arrival, Press};
use super::{Handler, To, EDIT_DEADLINE, STALE_BUTTON};
use crate::discord::custom_id::{Action, Owners};
use crate::discord::render::{self, Frame, Rendered};
use crate::knowledge::FaqId;
use crate::learning::suggest::{self, Approved};
use crate::learning::QuestionId;
use crate::matcher::Outcome;
use crate::ops::metrics::FrontEnd;
use crate::reply::Candidate;

impl Handler {
    pub(super) async fn on_component(&self, arrival: &Arrival, press: &Press) {
        let to = arrival.to();
        // Only what this bot wrote, and only as it is on the message pressed: a
        // modified client can send any custom id against any message (e.g. a Remove
        // naming itself as owner, against someone else's answer).
        let action = Action::parse(&press.custom_id).filter(|_| press.on_message);
        let Some(action) = action else {
            return self.stale(press, &to).await;
        };
        match action {
            Action::Show { faq, question } => {
                // Picked from a private list: the answer stays private too.
                let private = self.discord.ephemeral || press.private;
                self.show(arrival, press, &to, faq, question, private).await;
            }
            Action::Related => {
                let picked = press.values.first().and_then(|v| v.parse::<FaqId>().ok());
                match picked {
                    // Whoever picks reads it; the channel is not flooded with it.
                    Some(faq) => self.show(arrival, press, &to, faq, None, true).await,
                    None => self.stale(press, &to).await,
                }
            }
            Action::PostReply {
                faq,
                message,
                author,
                question,
            } => {
                self.post_pick(arrival, press, faq, message, author, question)
                    .await
            }
            Action::Vote {
                helpful,
                faq,
                question,
                next,
            } => self.vote(arrival, &to, helpful, faq, question, &next).await,
            Action::Remove(owners) => self.remove(arrival, &to, owners).await,
            // The question list is private; a page press on anything else is forged.
            Action::Page { .. } if !press.private => self.stale(press, &to).await,
            Action::Page { page, .. } => {
                // Turning pages edits the list in place: not speech, not charged.
                let page = render::faq_page(self.shared.store.snapshot().faqs(), page);
                let body = CreateInteractionResponse::UpdateMessage(page.into_interaction(true));
                self.respond(&to, body).await;
            }
            Action::Decide {
                approve,
                suggestion,
            } => self.decide(arrival, &to, approve, &suggestion).await,
        }
    }

    /// A button that is not ours, forged, or for an FAQ removed since: a private "out
    /// of date" (without a reply the user sees "This interaction failed").
    async fn stale(&self, press: &Press, to: &To<'_>) {
        tracing::info!(
            custom_id = %render::truncate(&press.custom_id, 100),
            "a press on an unknown or stale button"
        );
        self.private_note(to, STALE_BUTTON).await;
    }

    /// Shows an FAQ to the presser (charged like `/ask`), recording the pick as what
    /// `question` meant.
    async fn show(
        &self,
        arrival: &Arrival,
        press: &Press,
        to: &To<'_>,
        faq: FaqId,
        question: Option<QuestionId>,
        private: bool,
    ) {
        let Some(reply) = self.shared.store.snapshot().reply_for(faq) else {
            return self.stale(press, to).await;
        };
        if let Some(question) = question {
            self.record_resolution(question, faq, arrival.user.get());
        }
        self.gated_respond(to, private, |private| {
            self.shared
                .metrics
                .question(FrontEnd::Button, Outcome::Answered, 0.0);
            render::reply(
                &reply,
                Frame {
                    question,
                    public: (!private).then(|| Owners::asker(arrival.user.get())),
                },
            )
        })
        .await;
    }

    /// The helper's pick after "Find FAQ answer" was unsure: posted as a reply to the
    /// message, and the private choices replaced by what happened.
    async fn post_pick(
        &self,
        arrival: &Arrival,
        press: &Press,
        faq: FaqId,
        message: u64,
        author: u64,
        question: Option<QuestionId>,
    ) {
        let to = &arrival.to();
        let Some(reply) = self.shared.store.snapshot().reply_for(faq) else {
            return self.stale(press, to).await;
        };
        if let Some(question) = question {
            self.record_resolution(question, faq, arrival.user.get());
        }
        let owners = Owners {
            for_user: author,
            by_user: arrival.user.get(),
        };
        let rendered = render::reply(
            &reply,
            Frame {
                question: None,
                public: Some(owners),
            },
        );
        let reply_to = (arrival.channel, serenity::all::MessageId::new(message));
        match self.gate(
            arrival.user,
            crate::ops::flood::Audience::Channel {
                id: arrival.channel.get(),
                private_fallback: false,
            },
        ) {
            super::Gate::Speak { .. } => {
                // Acknowledge on the private choices first (posting may wait out a
                // rate limit, past Discord's 3 seconds), then replace them with what
                // happened.
                self.respond(to, CreateInteractionResponse::Acknowledge)
                    .await;
                let body = rendered.into_message(Some(reply_to));
                let note = match self.rest.create_message(arrival.channel, &body).await {
                    Ok(_) => "Posted the answer as a reply to that message.",
                    Err(e) => {
                        tracing::error!("posting a picked answer failed: {e}");
                        "I couldn't post in this channel (do I have Send Messages here?)."
                    }
                };
                self.edit_deferred(to, note).await;
            }
            super::Gate::Notice(notice) => {
                let body = CreateInteractionResponse::UpdateMessage(notice.into_interaction(true));
                self.respond(to, body).await;
            }
            super::Gate::Silent => {}
        }
    }

    /// "Helpful" / "Not helpful": one vote per person per answer (a second press
    /// changes it). "Not helpful" offers the next FAQs, privately.
    async fn vote(
        &self,
        arrival: &Arrival,
        to: &To<'_>,
        helpful: bool,
        faq: FaqId,
        question: QuestionId,
        next: &[FaqId],
    ) {
        // Off the reply path, in order: a database that is down costs the vote, not
        // the reply.
        self.shared
            .questions
            .record_vote(question, faq, helpful, arrival.user.get());
        let snapshot = self.shared.store.snapshot();
        self.gated_respond(to, true, |_| {
            if helpful {
                return Rendered::text(
                    "Thanks, glad it helped! (One vote per person: pressing again changes yours.)",
                );
            }
            let candidates: Vec<Candidate> = next
                .iter()
                .filter_map(|&id| snapshot.knowledge_base().faq(id))
                .map(|f| Candidate {
                    id: f.id,
                    question: f.question.clone(),
                    score: 1.0,
                })
                .collect();
            render::next_choices(&candidates, question)
        })
        .await;
    }

    /// Removes a public answer, for the people it concerns and for moderators.
    async fn remove(&self, arrival: &Arrival, to: &To<'_>, owners: Owners) {
        let user = arrival.user.get();
        let moderator = arrival
            .member
            .as_ref()
            .is_some_and(|m| m.can(Permissions::MANAGE_MESSAGES));
        if !(owners.contains(user) || moderator) {
            tracing::info!(user, "refused to remove an answer for someone else");
            let whom = if owners.for_user == owners.by_user {
                format!("<@{}>", owners.for_user)
            } else {
                format!("<@{}>, <@{}>", owners.for_user, owners.by_user)
            };
            let text =
                format!("Only {whom} or members who can manage messages can remove this answer.");
            return self.private_note(to, &text).await;
        }
        // Acknowledge the press on the message itself, then delete that message.
        self.respond(to, CreateInteractionResponse::Acknowledge)
            .await;
        if let Err(e) = self
            .rest
            .delete_original(to.app, to.token, to.received + EDIT_DEADLINE)
            .await
        {
            tracing::error!("removing an answer failed: {e}");
        }
    }

    /// Approve / Reject on `/faqadmin suggestions`, with the same admin check as the
    /// command (anyone could press a button they were shown, or forge one).
    async fn decide(&self, arrival: &Arrival, to: &To<'_>, approve: bool, suggestion: &str) {
        if !self
            .admin_or_refuse(to, arrival.member.as_ref(), "decide suggestions")
            .await
        {
            return;
        }
        let Some(db) = self.database() else {
            return self.private_note(to, "The question log is off.").await;
        };
        // Approving writes a file and reloads: acknowledge the press on the list now,
        // then edit the list in place: the outcome on top, what is still pending below.
        self.respond(to, CreateInteractionResponse::Acknowledge)
            .await;
        // One decision at a time (two admins approving into one file at once would
        // lose an alias), and off the async workers: approving writes a file and
        // reloads the whole knowledge base.
        let _one_at_a_time = self.deciding.lock().await;
        let (db, store) = (db.clone(), Arc::clone(&self.shared.store));
        let db_after = db.clone();
        let (learning, id) = (self.learning.clone(), suggestion.to_string());
        let runtime = tokio::runtime::Handle::current();
        let decided = tokio::task::spawn_blocking(move || {
            runtime.block_on(async {
                if approve {
                    suggest::approve(&db, &store, &learning, &id)
                        .await
                        .map(|a| match a {
                            Approved::Alias { faq, text, file } => format!(
                                "Added the alias \"{text}\" to FAQ #{faq} ({}); it answers from now on.",
                                file.display()
                            ),
                            Approved::Noted(_) => {
                                "Noted; it won't be suggested again.".to_string()
                            }
                        })
                        .map_err(|e| format!("Not approved: {e}"))
                } else {
                    suggest::reject(&db, &store, &learning, &id)
                        .await
                        .map(|s| format!("Rejected \"{}\"; it won't be suggested again.", s.text))
                        .map_err(|e| format!("Not rejected: {e}"))
                }
            })
        })
        .await;
        let outcome = match decided {
            Ok(Ok(text) | Err(text)) => text,
            Err(e) => format!("The decision stopped unexpectedly: {e}"),
        };
        let store = &self.shared.store;
        tracing::info!(user = arrival.user.get(), approve, %outcome, "suggestion decided in Discord");
        let pending = suggest::pending(&db_after, &store.snapshot(), &self.learning)
            .await
            .unwrap_or_default();
        self.shared
            .metrics
            .learning
            .suggestions_pending
            .set(i64::try_from(pending.len()).unwrap_or(i64::MAX));
        let edit =
            render::suggestions(&pending, super::commands::SUGGESTIONS_SHOWN, Some(&outcome));
        if let Err(e) = self
            .rest
            .edit_original(to.app, to.token, &edit, to.received + EDIT_DEADLINE)
            .await
        {
            tracing::error!("updating the suggestions failed: {e}");
        }
    }

    fn record_resolution(&self, question: QuestionId, faq: FaqId, user: u64) {
        self.shared.questions.record_resolution(question, faq, user);
    }
}
