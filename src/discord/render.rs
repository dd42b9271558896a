//! Turning the core's [`Reply`] into Discord messages, inside Discord's limits:
//! 2000-character content, embed sizes, 80-character button labels, 100-character
//! custom ids and choice names, 25 choices. Nothing here decides what to answer.

use serenity::all::{
    ButtonStyle, ChannelId, CreateActionRow, CreateAllowedMentions, CreateAutocompleteResponse,
    CreateButton, CreateEmbed, CreateEmbedFooter, CreateInteractionResponseMessage, CreateMessage,
    CreateSelectMenu, CreateSelectMenuKind, CreateSelectMenuOption, EditInteractionResponse,
    MessageId, MessageReference, UserId,
};

use super::custom_id::{Action, Owners, MAX_NEXT};
use crate::knowledge::{Faq, FaqId};
use crate::learning::stats::Stats;
use crate::learning::suggest::{Kind, Suggestion};
use crate::learning::QuestionId;
use crate::limits::{
    ACTION_ROWS, AUTOCOMPLETE_CHOICES, BUTTONS_PER_ROW, BUTTON_LABEL_CHARS, CHOICE_NAME_CHARS,
    EMBED_DESCRIPTION_CHARS, EMBED_FIELD_VALUE_CHARS, EMBED_FOOTER_CHARS, EMBED_TITLE_CHARS,
    EMBED_TOTAL_CHARS, MESSAGE_CONTENT_CHARS, SELECT_OPTIONS, SELECT_OPTION_LABEL_CHARS,
};
use crate::matcher::Outcome;
use crate::reply::{Candidate, Link, Reply};

/// The answer's embed: title, description, the Further Reading field and its name, and
/// a footer of at most this many characters ("FAQ #<id> · match confidence NN%").
const ANSWER_FOOTER_CHARS: usize = 64;
const FURTHER_READING: &str = "Further Reading";
/// Room kept under the content limit for a list page's "Page N of M" line.
const PAGE_FOOTER_CHARS: usize = 40;

// Each part is cut to its own limit; together they must fit the embed's total.
const _: () = assert!(
    EMBED_TITLE_CHARS
        + EMBED_DESCRIPTION_CHARS
        + FURTHER_READING.len()
        + EMBED_FIELD_VALUE_CHARS
        + ANSWER_FOOTER_CHARS
        <= EMBED_TOTAL_CHARS
);
const _: () = assert!(ANSWER_FOOTER_CHARS <= EMBED_FOOTER_CHARS);
// Choices, plus the remove button, share one row.
const _: () = assert!(crate::matcher::MAX_SUGGESTIONS < BUTTONS_PER_ROW);
const _: () = assert!(MAX_NEXT < BUTTONS_PER_ROW);
const _: () = assert!(crate::store::MAX_RELATED <= SELECT_OPTIONS);

/// A message in Discord-neutral parts, turned into an interaction response or a channel
/// message at the end.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub content: Option<String>,
    pub embed: Option<CreateEmbed>,
    pub rows: Vec<CreateActionRow>,
    /// The one member this message may ping (an FAQ sent to them); nobody else, ever.
    pub ping: Option<UserId>,
}

/// Where a reply goes, which decides the components it carries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Frame {
    /// The logged question this replies to: its answer takes feedback, and choices
    /// offered for it record what it meant when picked.
    pub question: Option<QuestionId>,
    /// Shown in a channel, who may remove it (with members who can manage messages);
    /// `None`: shown only to the person who asked, who can dismiss it themselves.
    pub public: Option<Owners>,
}

impl Rendered {
    pub fn text(content: impl Into<String>) -> Self {
        Rendered {
            content: Some(truncate(&content.into(), MESSAGE_CONTENT_CHARS)),
            ..Rendered::default()
        }
    }

    fn components(&self) -> Vec<CreateActionRow> {
        self.rows.iter().take(ACTION_ROWS).cloned().collect()
    }

    /// Nobody can be pinged by text that echoes a user (@everyone, roles, users),
    /// only the one member a message is addressed to, if any.
    fn allowed_mentions(&self) -> CreateAllowedMentions {
        let none = CreateAllowedMentions::new();
        match self.ping {
            Some(user) => none.users([user]),
            None => none,
        }
    }

    pub fn into_interaction(self, ephemeral: bool) -> CreateInteractionResponseMessage {
        let mut m = CreateInteractionResponseMessage::new()
            .allowed_mentions(self.allowed_mentions())
            .ephemeral(ephemeral)
            .components(self.components());
        if let Some(content) = self.content {
            m = m.content(content);
        }
        if let Some(embed) = self.embed {
            m = m.embed(embed);
        }
        m
    }

    /// A channel message, as a reply to `reply_to` when given (without pinging its
    /// author: the reply itself shows whom it answers). If that message is gone by
    /// then, the answer is still posted, as a plain message.
    pub fn into_message(self, reply_to: Option<(ChannelId, MessageId)>) -> CreateMessage {
        let mut m = CreateMessage::new()
            .allowed_mentions(self.allowed_mentions().replied_user(false))
            .components(self.components());
        if let Some(original) = reply_to {
            let mut reference = MessageReference::from(original);
            reference.fail_if_not_exists = Some(false);
            m = m.reference_message(reference);
        }
        if let Some(content) = self.content {
            m = m.content(content);
        }
        if let Some(embed) = self.embed {
            m = m.embed(embed);
        }
        m
    }
}

/// What the user sees for a reply, with the components its frame allows.
pub fn reply(reply: &Reply, frame: Frame) -> Rendered {
    let remove = frame.public.map(remove_button);
    match reply.outcome {
        Outcome::Answered => answer(reply, frame),
        Outcome::Unsure => Rendered {
            content: Some("I'm not sure which question you mean. Did you mean…".into()),
            rows: row(choices_for(&reply.alternatives, frame.question)
                .chain(remove)
                .collect()),
            ..Rendered::default()
        },
        Outcome::NoMatch => {
            let mut text = String::from(
                "Sorry, I don't have an answer to that. Browse every question with `/faq`.",
            );
            if !reply.alternatives.is_empty() {
                text.push_str(" The nearest topics:");
            }
            Rendered {
                content: Some(text),
                rows: row(choices_for(&reply.alternatives, frame.question)
                    .chain(remove)
                    .collect()),
                ..Rendered::default()
            }
        }
    }
}

fn answer(reply: &Reply, frame: Frame) -> Rendered {
    let (Some(best), Some(answer)) = (&reply.best, &reply.answer) else {
        return Rendered::text("Sorry, I don't have an answer to that.");
    };
    let mut embed = CreateEmbed::new()
        .title(truncate(&best.question, EMBED_TITLE_CHARS))
        .description(truncate(answer, EMBED_DESCRIPTION_CHARS));
    if let Some(links) = further_reading(&reply.further_reading) {
        embed = embed.field(FURTHER_READING, links, false);
    }
    let footer = if best.score >= 1.0 {
        format!("FAQ #{}", best.id)
    } else {
        format!(
            "FAQ #{} · match confidence {:.0}%",
            best.id,
            best.score * 100.0
        )
    };
    let mut buttons = Vec::new();
    if let Some(question) = frame.question {
        // "Not helpful" offers what else the question came close to, then the FAQs
        // closest to this answer.
        let next: Vec<FaqId> = reply
            .alternatives
            .iter()
            .chain(&reply.related)
            .map(|c| c.id)
            .filter(|&id| id != best.id)
            .fold(Vec::new(), |mut v, id| {
                if !v.contains(&id) && v.len() < MAX_NEXT {
                    v.push(id);
                }
                v
            });
        buttons.push(
            CreateButton::new(
                Action::Vote {
                    helpful: true,
                    faq: best.id,
                    question,
                    next: Vec::new(),
                }
                .encode(),
            )
            .label("Helpful")
            .style(ButtonStyle::Success),
        );
        buttons.push(
            CreateButton::new(
                Action::Vote {
                    helpful: false,
                    faq: best.id,
                    question,
                    next,
                }
                .encode(),
            )
            .label("Not helpful")
            .style(ButtonStyle::Secondary),
        );
    }
    buttons.extend(frame.public.map(remove_button));
    let mut rows = row(buttons);
    if !reply.related.is_empty() {
        let options = reply
            .related
            .iter()
            .take(SELECT_OPTIONS)
            .map(|c| {
                CreateSelectMenuOption::new(
                    truncate(&c.question, SELECT_OPTION_LABEL_CHARS),
                    c.id.to_string(),
                )
            })
            .collect();
        rows.push(CreateActionRow::SelectMenu(
            CreateSelectMenu::new(
                Action::Related.encode(),
                CreateSelectMenuKind::String { options },
            )
            .placeholder("Related questions"),
        ));
    }
    Rendered {
        embed: Some(embed.footer(CreateEmbedFooter::new(truncate(
            &footer,
            ANSWER_FOOTER_CHARS,
        )))),
        rows,
        ..Rendered::default()
    }
}

/// One row of buttons, or none when there are none.
fn row(buttons: Vec<CreateButton>) -> Vec<CreateActionRow> {
    if buttons.is_empty() {
        Vec::new()
    } else {
        vec![CreateActionRow::Buttons(
            buttons.into_iter().take(BUTTONS_PER_ROW).collect(),
        )]
    }
}

fn remove_button(owners: Owners) -> CreateButton {
    CreateButton::new(Action::Remove(owners).encode())
        .label("Remove")
        .style(ButtonStyle::Danger)
}

/// Buttons that show these FAQs, recording the choice for `question` if logged.
fn choices_for(
    candidates: &[Candidate],
    question: Option<QuestionId>,
) -> impl Iterator<Item = CreateButton> + '_ {
    candidates.iter().map(move |c| {
        choice_button(
            Action::Show {
                faq: c.id,
                question,
            },
            &c.question,
        )
    })
}

pub fn choice_button(action: Action, label: &str) -> CreateButton {
    CreateButton::new(action.encode())
        .label(truncate(label, BUTTON_LABEL_CHARS))
        .style(ButtonStyle::Secondary)
}

/// After "Not helpful": the next FAQs to try, as choices that record the pick.
pub fn next_choices(candidates: &[Candidate], question: QuestionId) -> Rendered {
    if candidates.is_empty() {
        return Rendered::text(
            "Thanks, noted. I have nothing closer; browse every question with `/faq`, or ask in other words.",
        );
    }
    Rendered {
        content: Some("Thanks, noted. Is it one of these?".into()),
        rows: row(choices_for(candidates, Some(question)).collect()),
        ..Rendered::default()
    }
}

/// Choices for a helper after "Find FAQ answer" was unsure: the pick is posted as a
/// reply to the message.
pub fn reply_choices(
    candidates: &[Candidate],
    message: MessageId,
    author: UserId,
    question: Option<QuestionId>,
) -> Rendered {
    let buttons = candidates
        .iter()
        .map(|c| {
            choice_button(
                Action::PostReply {
                    faq: c.id,
                    message: message.get(),
                    author: author.get(),
                    question,
                },
                &c.question,
            )
        })
        .collect();
    Rendered {
        content: Some(
            "I'm not sure which FAQ answers that message. Pick one to post it as a reply (only you see this):"
                .into(),
        ),
        rows: row(buttons),
        ..Rendered::default()
    }
}

/// Markdown links, one per line, as many as fit a field.
fn further_reading(links: &[Link]) -> Option<String> {
    let mut value = String::new();
    for link in links {
        let line = format!(
            "• [{}]({})",
            escape_link_text(&link.title),
            link.url.replace(')', "%29")
        );
        let needed = line.chars().count() + usize::from(!value.is_empty());
        if value.chars().count() + needed > EMBED_FIELD_VALUE_CHARS {
            break;
        }
        if !value.is_empty() {
            value.push('\n');
        }
        value.push_str(&line);
    }
    (!value.is_empty()).then_some(value)
}

fn escape_link_text(title: &str) -> String {
    title.replace('[', "(").replace(']', ")")
}

/// Autocomplete choices: the question as the name, the id as the value.
pub fn choices(candidates: &[Candidate]) -> CreateAutocompleteResponse {
    candidates
        .iter()
        .take(AUTOCOMPLETE_CHOICES)
        .fold(CreateAutocompleteResponse::new(), |r, c| {
            r.add_string_choice(truncate(&c.question, CHOICE_NAME_CHARS), c.id.to_string())
        })
}

/// `/faqadmin suggestions`: the first `shown` pending suggestions, each with its
/// Approve / Reject buttons on its own row.
/// `note`: what the admin's last decision did, shown above the list.
pub fn suggestions(
    pending: &[Suggestion],
    shown: usize,
    note: Option<&str>,
) -> EditInteractionResponse {
    let note = note
        .map(|n| format!("{}\n\n", truncate(n, 500)))
        .unwrap_or_default();
    if pending.is_empty() {
        return EditInteractionResponse::new()
            .content(format!("{note}No suggestions are waiting. They come from questions people resolved with a button press, and from questions nobody could answer."))
            .components(Vec::new())
            .allowed_mentions(CreateAllowedMentions::new());
    }
    let mut text = format!(
        "{note}**{} suggestion{} waiting**{}\n",
        pending.len(),
        if pending.len() == 1 { "" } else { "s" },
        if pending.len() > shown {
            format!(" (the first {shown}; decide these to see more)")
        } else {
            String::new()
        }
    );
    let mut rows = Vec::new();
    for (n, s) in pending.iter().take(shown).enumerate() {
        let n = n + 1;
        let who = format!(
            "{} {}",
            s.people,
            if s.people == 1 { "person" } else { "people" }
        );
        let line = match (s.kind, s.faq) {
            (Kind::Alias, Some(faq)) => {
                format!(
                    "**{n}.** Alias for FAQ #{faq}: \"{}\" ({who} picked it)",
                    s.text
                )
            }
            (Kind::UnhelpfulFaq, Some(faq)) => format!(
                "**{n}.** FAQ #{faq} \"{}\" is often not helpful ({:.0}% of {} votes): rewrite it",
                s.text,
                s.not_helpful_share.unwrap_or(0.0) * 100.0,
                s.count
            ),
            _ => format!(
                "**{n}.** Missing FAQ: \"{}\" ({who} asked, nothing answered)",
                s.text
            ),
        };
        text.push_str(&truncate(&line, 300));
        text.push('\n');
        let approve = if s.kind == Kind::Alias {
            "Add alias"
        } else {
            "Noted"
        };
        rows.push(CreateActionRow::Buttons(vec![
            CreateButton::new(
                Action::Decide {
                    approve: true,
                    suggestion: s.id.clone(),
                }
                .encode(),
            )
            .label(format!("{n}. {approve}"))
            .style(ButtonStyle::Success),
            CreateButton::new(
                Action::Decide {
                    approve: false,
                    suggestion: s.id.clone(),
                }
                .encode(),
            )
            .label(format!("{n}. Reject"))
            .style(ButtonStyle::Secondary),
        ]));
    }
    EditInteractionResponse::new()
        .content(truncate(&text, MESSAGE_CONTENT_CHARS))
        .components(rows)
        .allowed_mentions(CreateAllowedMentions::new())
}

/// `/faqadmin stats`: the last `days` days in a few lines.
pub fn stats_summary(stats: &Stats, days: i64) -> String {
    let t = &stats.total;
    let total = t.total();
    let share = |n: u64| {
        if total == 0 {
            0.0
        } else {
            n as f64 * 100.0 / total as f64
        }
    };
    let mut text = format!(
        "**Last {days} days**: {total} questions; answered {:.0}%, unsure {:.0}%, no answer {:.0}%\n",
        share(t.answered),
        share(t.unsure),
        share(t.declined)
    );
    if !stats.top_faqs.is_empty() {
        text.push_str("**Most asked**\n");
        for f in &stats.top_faqs {
            text.push_str(&format!(
                "• #{} {} — {}\n",
                f.faq,
                truncate(&f.question, 80),
                f.count
            ));
        }
    }
    if !stats.top_unanswered.is_empty() {
        text.push_str("**Unanswered**\n");
        for u in &stats.top_unanswered {
            text.push_str(&format!(
                "• \"{}\" — {} asked, {} people\n",
                truncate(&u.text, 80),
                u.asked,
                u.people
            ));
        }
    }
    if !stats.helpfulness.is_empty() {
        text.push_str("**Least helpful**\n");
        for h in &stats.helpfulness {
            text.push_str(&format!(
                "• #{} {} — {:.0}% not helpful of {} votes\n",
                h.faq,
                truncate(&h.question, 80),
                h.not_helpful_share * 100.0,
                h.votes.total()
            ));
        }
    }
    text.push_str("More: `faqbot stats`, or the admin page.");
    truncate(&text, MESSAGE_CONTENT_CHARS)
}

/// Every question, numbered, in pages that each fit one message with its
/// "Page N of M" line.
pub fn faq_pages(faqs: &[Faq]) -> Vec<String> {
    const HEADER: &str = "**All questions** (pick one with `/faq topic:`)\n";
    let room = MESSAGE_CONTENT_CHARS - PAGE_FOOTER_CHARS;
    let mut pages = vec![String::from(HEADER)];
    for faq in faqs {
        let line = truncate(
            &format!("**{}.** {}\n", faq.id, faq.question),
            room - HEADER.len(),
        );
        let page = pages.last_mut().expect("at least one page");
        if page.chars().count() + line.chars().count() > room {
            pages.push(format!("{HEADER}{line}"));
        } else {
            page.push_str(&line);
        }
    }
    pages
}

/// Page `page` (0-based; past the end means the last) of the question list, with
/// Previous / Next buttons that show the neighbouring pages in the same message.
pub fn faq_page(faqs: &[Faq], page: u32) -> Rendered {
    let pages = faq_pages(faqs);
    let last = pages.len() - 1;
    let shown = usize::try_from(page).map_or(last, |p| p.min(last));
    let content = format!("{}\n*Page {} of {}*", pages[shown], shown + 1, last + 1);
    let rows = if last == 0 {
        Vec::new()
    } else {
        let to = |p: usize| u32::try_from(p).unwrap_or(u32::MAX);
        row(vec![
            CreateButton::new(
                Action::Page {
                    page: to(shown.saturating_sub(1)),
                    forward: false,
                }
                .encode(),
            )
            .label("Previous")
            .style(ButtonStyle::Secondary)
            .disabled(shown == 0),
            CreateButton::new(
                Action::Page {
                    page: to((shown + 1).min(last)),
                    forward: true,
                }
                .encode(),
            )
            .label("Next")
            .style(ButtonStyle::Secondary)
            .disabled(shown == last),
        ])
    };
    Rendered {
        content: Some(content),
        rows,
        ..Rendered::default()
    }
}

/// Cuts to at most `max` characters, marking the cut with an ellipsis.
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(id: FaqId, question: &str, score: f64) -> Candidate {
        Candidate {
            id,
            question: question.into(),
            score,
        }
    }

    fn json(m: CreateInteractionResponseMessage) -> serde_json::Value {
        serde_json::to_value(m).expect("serialises")
    }

    #[test]
    fn an_answer_is_an_embed_with_links_and_no_mentions() {
        let r = Reply {
            outcome: Outcome::Answered,
            best: Some(candidate(6, "Salary?", 0.81)),
            alternatives: vec![],
            answer: Some("About $60,000 @everyone".into()),
            further_reading: vec![Link {
                title: "Pay [2024]".into(),
                url: "https://example.org/a_(b)".into(),
            }],
            related: vec![candidate(7, "Related?", 1.0)],
        };
        let v = json(reply(&r, Frame::default()).into_interaction(false));
        assert_eq!(v["embeds"][0]["title"], "Salary?");
        assert_eq!(
            v["embeds"][0]["fields"][0]["value"],
            "• [Pay (2024)](https://example.org/a_(b%29)"
        );
        assert_eq!(
            v["embeds"][0]["footer"]["text"],
            "FAQ #6 · match confidence 81%"
        );
        assert_eq!(v["allowed_mentions"]["parse"], serde_json::json!([]));
    }

    #[test]
    fn long_texts_are_cut_to_discords_limits() {
        let long = "é".repeat(10_000);
        let r = Reply {
            outcome: Outcome::Unsure,
            best: None,
            alternatives: vec![candidate(1, &long, 0.4), candidate(2, &long, 0.3)],
            answer: None,
            further_reading: vec![],
            related: vec![],
        };
        let v = json(reply(&r, Frame::default()).into_interaction(true));
        let buttons = v["components"][0]["components"]
            .as_array()
            .expect("buttons");
        assert_eq!(buttons.len(), 2);
        assert_eq!(
            buttons[0]["label"].as_str().expect("label").chars().count(),
            BUTTON_LABEL_CHARS
        );
        assert_eq!(buttons[0]["custom_id"], "faq:1");
        assert_eq!(v["flags"], 64);
        let answered = Reply {
            outcome: Outcome::Answered,
            best: Some(candidate(1, &long, 0.9)),
            answer: Some(long.clone()),
            alternatives: vec![],
            further_reading: (0..50)
                .map(|i| Link {
                    title: format!("{i} {long}"),
                    url: "https://e.org".into(),
                })
                .collect(),
            related: vec![candidate(2, &long, 1.0)],
        };
        let v = json(reply(&answered, Frame::default()).into_interaction(false));
        let e = &v["embeds"][0];
        assert_eq!(
            e["title"].as_str().expect("title").chars().count(),
            EMBED_TITLE_CHARS
        );
        assert_eq!(
            e["description"].as_str().expect("d").chars().count(),
            EMBED_DESCRIPTION_CHARS
        );
        // Nothing fits: the field is left out rather than sent too long.
        assert!(e["fields"].as_array().is_none_or(|f| f.is_empty()));
    }

    #[test]
    fn a_public_answer_takes_feedback_removal_and_related_questions() {
        let r = Reply {
            outcome: Outcome::Answered,
            best: Some(candidate(6, "Salary?", 0.81)),
            alternatives: vec![candidate(2, "Pay rises?", 0.5)],
            answer: Some("About $60,000".into()),
            further_reading: vec![],
            related: vec![candidate(2, "Pay rises?", 1.0), candidate(9, "Hours?", 1.0)],
        };
        let frame = Frame {
            question: Some(QuestionId(55)),
            public: Some(Owners {
                for_user: 1,
                by_user: 2,
            }),
        };
        let v = json(reply(&r, frame).into_interaction(false));
        let ids: Vec<&str> = v["components"][0]["components"]
            .as_array()
            .expect("buttons")
            .iter()
            .map(|b| b["custom_id"].as_str().expect("id"))
            .collect();
        assert_eq!(ids, ["vote:y:6:55", "vote:n:6:55:2,9", "del:1:2"]);
        let menu = &v["components"][1]["components"][0];
        assert_eq!(menu["custom_id"], "rel");
        assert_eq!(menu["options"][1]["value"], "9");
        // Private and unlogged: nothing to vote on, nothing to remove.
        let v = json(reply(&r, Frame::default()).into_interaction(true));
        assert_eq!(v["components"][0]["components"][0]["custom_id"], "rel");
    }

    #[test]
    fn an_faq_sent_to_someone_may_ping_only_them() {
        let mut r = Rendered::text("<@1> @everyone <@&5>");
        r.ping = Some(UserId::new(1));
        let v = serde_json::to_value(r.into_message(None)).expect("json");
        assert_eq!(v["allowed_mentions"]["parse"], serde_json::json!([]));
        assert_eq!(v["allowed_mentions"]["users"], serde_json::json!(["1"]));
        assert!(v["allowed_mentions"]["roles"]
            .as_array()
            .is_none_or(|r| r.is_empty()));
    }

    #[test]
    fn the_question_list_is_paged_within_the_content_limit() {
        let faqs: Vec<Faq> = (1..=200)
            .map(|id| Faq {
                id,
                slug: format!("q{id}"),
                question: "A fairly long question about something or other?".repeat(2),
                answer: "A.".into(),
                aliases: vec![],
                keywords: vec![],
                further_reading: None,
            })
            .collect();
        let pages = faq_pages(&faqs);
        assert!(pages.len() > 1);
        let listed: usize = pages.iter().map(|p| p.matches(".** ").count()).sum();
        assert_eq!(listed, 200);
        let last = u32::try_from(pages.len() - 1).expect("few pages");
        for page in 0..=last + 3 {
            let v = json(faq_page(&faqs, page).into_interaction(true));
            let content = v["content"].as_str().expect("content");
            assert!(content.chars().count() <= MESSAGE_CONTENT_CHARS);
            let shown = page.min(last);
            assert!(content.ends_with(&format!("*Page {} of {}*", shown + 1, last + 1)));
            let buttons = &v["components"][0]["components"];
            assert_eq!(buttons[0]["disabled"], shown == 0);
            assert_eq!(buttons[1]["disabled"], shown == last);
        }
        // One page: no buttons.
        let v = json(faq_page(&faqs[..3], 0).into_interaction(true));
        assert!(v["components"].as_array().is_none_or(|c| c.is_empty()));
    }
}
