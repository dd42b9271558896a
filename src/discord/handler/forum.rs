//! Forum help channels (`discord.help_forums`): a new post in one of those forums is
//! answered in its thread when the bot is sure, from the post's title (which Discord
//! sends without any privileged intent) and its first message's text (which Discord
//! fills in only for an app with the Message Content intent enabled); otherwise the
//! bot stays silent, as in help channels.
//!
//! Never twice, and never an old post. Serenity 0.12.5 drops the `newly_created`
//! flag of THREAD_CREATE, and Discord sends THREAD_CREATE for old threads too (when
//! the bot is added to one, or gains access to it), and again after a resume or a
//! reconnect. So:
//! - a post is new when its id (a snowflake holding its creation time) is younger
//!   than [`NEW_POST_WINDOW`];
//! - a post being handled, or handled, is remembered ([`Claims`]), so a duplicate
//!   event racing the first is dropped;
//! - before answering, the thread is read: a message of the bot's there (an answer
//!   from before a restart) means it was answered.
//!
//! The answer replies to the post's first message (whose id is the thread's id) with
//! the usual buttons. When `discord.answered_tag` names one of the forum's tags, it is
//! added to the post; a missing tag or permission is logged, never a failure.

use std::collections::BTreeSet;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::Method;
use serde_json::{json, Value};
use serenity::all::{ChannelId, ChannelType, ForumTagId, GuildChannel, MessageId, UserId};

use super::messages::strip_mentions;
use super::{Gate, Handler};
use crate::discord::custom_id::Owners;
use crate::discord::render::{self, Frame};
use crate::matcher::Outcome;
use crate::ops::flood::Audience;
use crate::ops::metrics::FrontEnd;

/// How old a post may be and still be answered. A THREAD_CREATE for a post the bot
/// merely learns about (added to an old thread, given access to a forum) carries an
/// old id; a new post's event arrives within seconds, or after a short gateway
/// outage and resume. Two minutes covers the latter and some clock skew, and is
/// still "new" to the person waiting for help.
pub(super) const NEW_POST_WINDOW: Duration = Duration::from_secs(120);

/// Discord's epoch (2015-01-01T00:00:00Z) in milliseconds since the Unix epoch: a
/// snowflake's top 42 bits count milliseconds from it.
const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;

/// Messages read from a new post's thread to see whether the bot is already there. A
/// post younger than [`NEW_POST_WINDOW`] rarely has more; an answer of the bot's
/// further back is missed, and the post answered again.
const THREAD_MESSAGES_READ: usize = 50;

/// Posts remembered at most (see [`Claims`]).
const CLAIMS_MAX: usize = 10_000;

/// When a snowflake was made, in milliseconds since the Unix epoch.
pub(super) fn snowflake_ms(id: u64) -> u64 {
    (id >> 22) + DISCORD_EPOCH_MS
}

/// How old the thing with this id is at `now_ms` (zero for one "from the future":
/// the local clock behind Discord's).
fn age(id: u64, now_ms: u64) -> Duration {
    Duration::from_millis(now_ms.saturating_sub(snowflake_ms(id)))
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// Posts this process has taken on (answered, being answered, or found not worth
/// answering), so that a second THREAD_CREATE for one (a resume replaying it, or
/// Discord sending it twice) is not handled again, however close behind the first.
/// Ids are time-ordered, so the ones past [`NEW_POST_WINDOW`] (refused by age anyway)
/// are dropped first; [`CLAIMS_MAX`] bounds the rest.
#[derive(Default)]
pub(in crate::discord) struct Claims(Mutex<BTreeSet<u64>>);

impl Claims {
    /// True when `post` was not claimed before (and now is).
    fn claim(&self, post: u64, now_ms: u64) -> bool {
        let mut set = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let window = u64::try_from(NEW_POST_WINDOW.as_millis()).unwrap_or(u64::MAX);
        let cutoff_ms = now_ms.saturating_sub(window);
        // The smallest id made at `cutoff_ms`; every smaller id is older.
        let cutoff = cutoff_ms.saturating_sub(DISCORD_EPOCH_MS) << 22;
        *set = set.split_off(&cutoff);
        while set.len() >= CLAIMS_MAX {
            set.pop_first();
        }
        set.insert(post)
    }

    /// Lets a later event for `post` try again (the answer could not be sent).
    fn release(&self, post: u64) {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&post);
    }
}

/// What the thread's first messages say about a post.
struct Thread {
    /// The bot has posted in it already.
    answered: bool,
    /// The post's first message: its author, whether it is a bot, its text (empty
    /// without the Message Content intent) and whether it mentions the bot.
    starter: Option<Starter>,
}

struct Starter {
    author: Option<u64>,
    bot: bool,
    content: String,
    mentions_me: bool,
}

impl Handler {
    pub(super) async fn on_thread_create(&self, thread: &GuildChannel) {
        let Some(forum) = thread.parent_id else {
            return;
        };
        if thread.kind != ChannelType::PublicThread
            || !self.discord.help_forums.contains(&forum.get())
        {
            return;
        }
        let Some(me) = self.bot_user.get().copied() else {
            return;
        };
        let post = thread.id.get();
        let now = now_ms();
        let age = age(post, now);
        if age > NEW_POST_WINDOW {
            tracing::debug!(post, ?age, "forum: an old post (not new), left alone");
            return;
        }
        if thread.owner_id == Some(me) {
            return;
        }
        if !self.forum_claims.claim(post, now) {
            tracing::debug!(post, "forum: this post was already taken on");
            return;
        }
        let seen = match self.read_thread(thread.id, me).await {
            Ok(seen) => seen,
            Err(e) => {
                // Unable to tell whether it was answered before: silence is the safe
                // side of "never twice".
                tracing::warn!(post, "forum: reading the post's thread failed, so it is not answered (the bot needs View Channel and Read Message History in the forum): {e}");
                self.forum_claims.release(post);
                return;
            }
        };
        if seen.answered {
            tracing::info!(post, "forum: the bot already answered this post");
            return;
        }
        let starter = seen.starter.as_ref();
        if starter.is_some_and(|s| s.bot) {
            return;
        }
        if starter.is_some_and(|s| s.mentions_me) {
            // The mention itself is answered as a message (see `messages`).
            return;
        }
        let Some(owner) = thread
            .owner_id
            .map(UserId::get)
            .or_else(|| starter.and_then(|s| s.author))
        else {
            return;
        };
        let owner = UserId::new(owner);
        let title = strip_mentions(&thread.name);
        let body = strip_mentions(starter.map_or("", |s| s.content.as_str()));
        let both = format!("{title} {body}").trim().to_string();
        if both.is_empty() {
            return;
        }
        // Unsure of every reading: the whole post is what is counted (as unsure or no
        // match) before the silence.
        let question = self.forum_question(&title, &body).unwrap_or(both);
        let asked = self.ask(&question, FrontEnd::Forum, owner, Some(thread.guild_id));
        if asked.reply.outcome != Outcome::Answered {
            tracing::debug!(post, "forum: not sure; silent");
            return;
        }
        // Charged like a help channel: only answers, per user and per forum; never a
        // notice (nobody asked the bot).
        let audience = Audience::Channel {
            id: forum.get(),
            private_fallback: false,
        };
        match self.gate(owner, audience) {
            Gate::Speak { .. } => {}
            Gate::Notice(_) | Gate::Silent => return,
        }
        let owners = Owners {
            for_user: owner.get(),
            by_user: owner.get(),
        };
        let rendered = render::reply(
            &asked.reply,
            Frame {
                question: asked.question,
                public: Some(owners),
            },
        );
        // The post's first message has the thread's id.
        let reply_to = Some((thread.id, MessageId::new(post)));
        match self
            .rest
            .create_message(thread.id, &rendered.into_message(reply_to))
            .await
        {
            Ok(posted) => {
                tracing::info!(post, "forum: answered a new post");
                if let (Some(q), Some(posted)) = (asked.question, posted) {
                    self.shared.questions.set_reply_message(q, posted.get());
                }
            }
            Err(e) => {
                tracing::error!(post, "forum: answering a post failed: {e}");
                self.forum_claims.release(post);
                return;
            }
        }
        if let Some(tag) = &self.discord.answered_tag {
            self.add_tag(thread, forum, tag).await;
        }
    }

    /// What a post asks, when the bot is sure of an answer: its title, its first
    /// message, or both together, whichever is the most confident match. A post often
    /// has a vague title ("Help please") over a clear question, or a clear title over a
    /// long story, and the matcher reads extra words as doubt. Chosen before `ask`, so
    /// that a post is counted and logged once. `None` when no reading is sure.
    fn forum_question(&self, title: &str, body: &str) -> Option<String> {
        let both = format!("{title} {body}");
        [title, body, both.trim()]
            .into_iter()
            .filter(|text| !text.is_empty())
            .filter_map(|text| {
                let reply = self.shared.store.ask(text);
                let score = reply.best.as_ref().map(|b| b.score)?;
                (reply.outcome == Outcome::Answered).then_some((score, text))
            })
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, text)| text.to_string())
    }

    /// The thread's latest messages: whether the bot is among their authors, and the
    /// post's first message if it is among them.
    async fn read_thread(
        &self,
        thread: ChannelId,
        me: UserId,
    ) -> Result<Thread, crate::discord::rest::RestError> {
        let messages = self
            .rest
            .call(
                Method::GET,
                "read forum post",
                format!("/channels/{thread}/messages?limit={THREAD_MESSAGES_READ}"),
                &(),
            )
            .await?;
        let messages = messages.as_array().map(Vec::as_slice).unwrap_or_default();
        let me = me.get().to_string();
        let answered = messages
            .iter()
            .any(|m| m["author"]["id"].as_str() == Some(me.as_str()));
        let starter = messages
            .iter()
            .find(|m| m["id"].as_str() == Some(thread.get().to_string().as_str()))
            .map(|m| Starter {
                author: m["author"]["id"].as_str().and_then(|id| id.parse().ok()),
                bot: m["author"]["bot"].as_bool().unwrap_or(false),
                content: m["content"].as_str().unwrap_or("").to_string(),
                mentions_me: m["mentions"].as_array().is_some_and(|users| {
                    users.iter().any(|u| u["id"].as_str() == Some(me.as_str()))
                }),
            });
        Ok(Thread { answered, starter })
    }

    /// Adds the forum's tag named `name` (any case) to the post. Logged, never failing:
    /// the answer is what matters, the tag is a courtesy to moderators.
    async fn add_tag(&self, thread: &GuildChannel, forum: ChannelId, name: &str) {
        let post = thread.id.get();
        let channel = match self
            .rest
            .call(
                Method::GET,
                "read forum tags",
                format!("/channels/{forum}"),
                &(),
            )
            .await
        {
            Ok(channel) => channel,
            Err(e) => {
                tracing::warn!(
                    post,
                    "forum: reading the forum's tags failed; no tag added: {e}"
                );
                return;
            }
        };
        let Some(tag) = find_tag(&channel, name) else {
            tracing::warn!(
                post,
                forum = forum.get(),
                tag = name,
                "forum: the forum has no tag of that name (discord.answered_tag); no tag added"
            );
            return;
        };
        let Some(tags) = with_tag(&thread.applied_tags, tag) else {
            if thread.applied_tags.contains(&tag) {
                return;
            }
            tracing::warn!(
                post,
                "forum: the post has Discord's maximum of {} tags; no tag added",
                crate::limits::THREAD_TAGS
            );
            return;
        };
        if let Err(e) = self
            .rest
            .call(
                Method::PATCH,
                "tag forum post",
                format!("/channels/{}", thread.id),
                &json!({ "applied_tags": tags }),
            )
            .await
        {
            tracing::warn!(post, "forum: adding the answered tag failed (the bot needs Manage Threads in the forum, or the tag is moderated): {e}");
        }
    }
}

/// The id of the tag named `name` (any case) among a forum channel's `available_tags`.
fn find_tag(forum: &Value, name: &str) -> Option<ForumTagId> {
    let wanted = name.to_lowercase();
    forum["available_tags"]
        .as_array()?
        .iter()
        .find(|t| {
            t["name"]
                .as_str()
                .is_some_and(|n| n.to_lowercase() == wanted)
        })
        .and_then(|t| t["id"].as_str()?.parse().ok())
        .map(ForumTagId::new)
}

/// The post's tags with `tag` added, as Discord takes them; `None` when it is there
/// already or the post has as many tags as Discord allows.
fn with_tag(applied: &[ForumTagId], tag: ForumTagId) -> Option<Vec<String>> {
    if applied.contains(&tag) || applied.len() >= crate::limits::THREAD_TAGS {
        return None;
    }
    Some(
        applied
            .iter()
            .chain(std::iter::once(&tag))
            .map(|t| t.get().to_string())
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A snowflake made at `ms` since the Unix epoch.
    fn at(ms: u64) -> u64 {
        (ms - DISCORD_EPOCH_MS) << 22
    }

    #[test]
    fn a_snowflake_tells_its_age() {
        // Discord's documented example: 175928847299117063 is 2016-04-30T11:18:25.796Z.
        assert_eq!(snowflake_ms(175_928_847_299_117_063), 1_462_015_105_796);
        let now = 1_700_000_000_000;
        assert_eq!(age(at(now - 5_000), now), Duration::from_secs(5));
        assert_eq!(age(at(now + 5_000), now), Duration::ZERO, "clock behind");
    }

    #[test]
    fn a_post_is_claimed_once_and_old_claims_are_dropped() {
        let claims = Claims::default();
        let now = 1_700_000_000_000;
        let post = at(now - 1_000);
        assert!(claims.claim(post, now));
        assert!(!claims.claim(post, now), "the duplicate is refused");
        claims.release(post);
        assert!(claims.claim(post, now), "released: may be tried again");
        // Past the window the claim is forgotten (the age check refuses it anyway).
        let later = now + 3 * 60_000;
        assert!(claims.claim(at(later), later));
        assert_eq!(claims.0.lock().unwrap().len(), 1);
    }

    #[test]
    fn the_answered_tag_is_found_by_name_and_added_within_the_limit() {
        let forum = json!({"available_tags": [
            {"id": "11", "name": "Bug"},
            {"id": "12", "name": "answered"},
        ]});
        let tag = find_tag(&forum, "Answered").expect("found in any case");
        assert_eq!(tag, ForumTagId::new(12));
        assert_eq!(find_tag(&forum, "Solved"), None);
        assert_eq!(find_tag(&json!({}), "Answered"), None);
        let one = [ForumTagId::new(11)];
        assert_eq!(with_tag(&one, tag), Some(vec!["11".into(), "12".into()]));
        assert_eq!(with_tag(&[tag], tag), None, "already there");
        let full: Vec<_> = (1..=5).map(ForumTagId::new).collect();
        assert_eq!(with_tag(&full, tag), None, "Discord allows 5");
    }
}
