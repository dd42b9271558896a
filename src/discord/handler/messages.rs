//! Channel messages: mentions (including "@faqbot" written as a reply to someone's
//! message, which answers that message), DMs, and help channels where nobody
//! addressed the bot.

use serenity::all::Message;

use super::{Gate, Handler};
use crate::discord::custom_id::Owners;
use crate::discord::render::{self, Frame, Rendered};
use crate::matcher::Outcome;
use crate::ops::flood::Audience;
use crate::ops::metrics::FrontEnd;

/// A bare mention or an empty DM.
const HINT: &str =
    "Ask me a question about the FAQs, e.g. mention me with your question, or use `/ask` or `/faq`.";

/// The referenced message of a bare "@faqbot" reply came without its text: Discord
/// gives a bot other people's message text only with the Message Content intent.
const CANNOT_READ: &str = "I can't see any text in that message: Discord shows other people's messages to bots only with the Message Content intent (or it has none). Use **Apps → Find FAQ answer** on the message instead: that always works.";

impl Handler {
    pub(super) async fn on_message(&self, msg: &Message) {
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
        let typed = strip_mentions(&msg.content);
        // "@faqbot" alone, written as a reply: the question is the message replied to,
        // and so is the answer.
        let target = match &msg.referenced_message {
            Some(original) if mentioned && typed.is_empty() => Some(original.as_ref()),
            _ => None,
        };
        let (question, answer_to) = match target {
            Some(original) => (strip_mentions(&original.content), original),
            None => (typed, msg),
        };
        // Whom the answer is for, and who made the bot post it: both may remove it.
        let owners = Owners {
            for_user: answer_to.author.id.get(),
            by_user: msg.author.id.get(),
        };
        // A channel message cannot be private: over the channel's share, a notice once,
        // then silence.
        let audience = Audience::Channel {
            id: msg.channel_id.get(),
            private_fallback: false,
        };
        let addressed = is_dm || mentioned;
        let mut logged = None;
        let rendered = if !addressed {
            // A help channel, where nobody addressed the bot: it speaks only when it is
            // sure, so only what it answers is charged, and it never sends notices
            // there (nobody asked it anything).
            if question.is_empty() {
                return;
            }
            let asked = self.ask(
                &question,
                FrontEnd::HelpChannel,
                msg.author.id,
                msg.guild_id,
            );
            if asked.reply.outcome != Outcome::Answered {
                return;
            }
            match self.gate(msg.author.id, audience) {
                Gate::Speak { .. } => {
                    logged = asked.question;
                    render::reply(&asked.reply, frame(asked.question, owners, is_dm))
                }
                Gate::Notice(_) | Gate::Silent => return,
            }
        } else {
            match self.gate(msg.author.id, audience) {
                Gate::Speak { .. } if question.is_empty() && target.is_some() => {
                    Rendered::text(CANNOT_READ)
                }
                Gate::Speak { .. } if question.is_empty() => Rendered::text(HINT),
                Gate::Speak { .. } => {
                    let front_end = if is_dm {
                        FrontEnd::Dm
                    } else {
                        FrontEnd::Mention
                    };
                    let asked = self.ask(&question, front_end, answer_to.author.id, msg.guild_id);
                    logged = asked.question;
                    render::reply(&asked.reply, frame(asked.question, owners, is_dm))
                }
                Gate::Notice(notice) => *notice,
                Gate::Silent => return,
            }
        };
        let reply_to = Some((answer_to.channel_id, answer_to.id));
        match self
            .rest
            .create_message(msg.channel_id, &rendered.into_message(reply_to))
            .await
        {
            Ok(Some(posted)) => {
                if let Some(q) = logged {
                    self.shared.questions.set_reply_message(q, posted.get());
                }
            }
            Ok(None) => {}
            Err(e) => tracing::error!("replying to a message failed: {e}"),
        }
    }
}

/// A DM is seen by the asker alone: nothing to remove for anyone else.
fn frame(question: Option<crate::learning::QuestionId>, owners: Owners, is_dm: bool) -> Frame {
    Frame {
        question,
        public: (!is_dm).then_some(owners),
    }
}

/// The question without mention markup: the bot's own mention is how it was asked,
/// and other mentions (`<@user>`, `<@&role>`, `<#channel>`, `@everyone`, `@here`) are
/// names of things in this server, never words of a question.
pub fn strip_mentions(content: &str) -> String {
    let mut out = String::with_capacity(content.len());
    let mut rest = content;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let mention = ["<@!", "<@&", "<@", "<#"].iter().find_map(|p| {
            let digits = tail.strip_prefix(p)?;
            let end = digits.find('>')?;
            (end > 0 && digits[..end].bytes().all(|b| b.is_ascii_digit()))
                .then_some(p.len() + end + 1)
        });
        match mention {
            Some(len) => {
                out.push(' ');
                rest = &tail[len..];
            }
            None => {
                out.push('<');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out.replace("@everyone", " ")
        .replace("@here", " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_are_stripped_from_the_question() {
        assert_eq!(
            strip_mentions("<@42> how much do devs earn?"),
            "how much do devs earn?"
        );
        assert_eq!(strip_mentions("hey <@!42>"), "hey");
        assert_eq!(
            strip_mentions("<@43> hi @everyone <@&7> in <#9>, @here"),
            "hi in ,"
        );
        // Not mentions: kept as typed.
        assert_eq!(strip_mentions("a <b> <@x> < 3"), "a <b> <@x> < 3");
    }
}
