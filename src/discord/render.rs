//! Turning the core's [`Reply`] into Discord messages, inside Discord's limits:
//! 2000-character content, embed sizes, 80-character button labels, 100-character
//! custom ids and choice names, 25 choices. Nothing here decides what to answer.

use serenity::all::{
    ButtonStyle, CreateActionRow, CreateAllowedMentions, CreateAutocompleteResponse, CreateButton,
    CreateEmbed, CreateEmbedFooter, CreateInteractionResponseMessage, CreateMessage, Message,
};

use crate::knowledge::{Faq, FaqId};
use crate::limits::{
    AUTOCOMPLETE_CHOICES, BUTTONS_PER_ROW, BUTTON_LABEL_CHARS, CHOICE_NAME_CHARS, CUSTOM_ID_CHARS,
    EMBED_DESCRIPTION_CHARS, EMBED_FIELD_VALUE_CHARS, EMBED_FOOTER_CHARS, EMBED_TITLE_CHARS,
    EMBED_TOTAL_CHARS, MESSAGE_CONTENT_CHARS,
};
use crate::matcher::Outcome;
use crate::reply::{Candidate, Link, Reply};

/// Buttons carry the FAQ id in their custom id: `faq:<id>`.
const BUTTON_PREFIX: &str = "faq:";

/// The answer's embed: title, description, the Further Reading field and its name, and
/// a footer of at most this many characters ("FAQ #<id> · match confidence NN%").
const ANSWER_FOOTER_CHARS: usize = 64;
const FURTHER_READING: &str = "Further Reading";

// Each part is cut to its own limit; together they must fit the embed's total, and a
// button's id (the prefix and a u32) its custom id.
const _: () = assert!(
    EMBED_TITLE_CHARS
        + EMBED_DESCRIPTION_CHARS
        + FURTHER_READING.len()
        + EMBED_FIELD_VALUE_CHARS
        + ANSWER_FOOTER_CHARS
        <= EMBED_TOTAL_CHARS
);
const _: () = assert!(ANSWER_FOOTER_CHARS <= EMBED_FOOTER_CHARS);
const _: () = assert!(BUTTON_PREFIX.len() + 10 <= CUSTOM_ID_CHARS);

/// A message in Discord-neutral parts, turned into an interaction response or a channel
/// message at the end.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub content: Option<String>,
    pub embed: Option<CreateEmbed>,
    pub buttons: Vec<CreateButton>,
}

impl Rendered {
    pub fn text(content: impl Into<String>) -> Self {
        Rendered {
            content: Some(truncate(&content.into(), MESSAGE_CONTENT_CHARS)),
            ..Rendered::default()
        }
    }

    fn components(&self) -> Vec<CreateActionRow> {
        if self.buttons.is_empty() {
            Vec::new()
        } else {
            // One row holds five buttons; replies offer at most three.
            vec![CreateActionRow::Buttons(
                self.buttons.iter().take(BUTTONS_PER_ROW).cloned().collect(),
            )]
        }
    }

    /// Every message the bot sends goes out with no allowed mentions: text that
    /// echoes a user can never ping @everyone, a role or a user.
    pub fn into_interaction(self, ephemeral: bool) -> CreateInteractionResponseMessage {
        let mut m = CreateInteractionResponseMessage::new()
            .allowed_mentions(CreateAllowedMentions::new())
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

    pub fn into_message(self, reply_to: Option<&Message>) -> CreateMessage {
        let mut m = CreateMessage::new()
            .allowed_mentions(CreateAllowedMentions::new().replied_user(false))
            .components(self.components());
        if let Some(original) = reply_to {
            m = m.reference_message(original);
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

/// What the user sees for a reply.
pub fn reply(reply: &Reply) -> Rendered {
    match reply.outcome {
        Outcome::Answered => answer(reply),
        Outcome::Unsure => Rendered {
            content: Some("I'm not sure which question you mean. Did you mean…".into()),
            buttons: reply.alternatives.iter().map(button).collect(),
            embed: None,
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
                buttons: reply.alternatives.iter().map(button).collect(),
                embed: None,
            }
        }
    }
}

fn answer(reply: &Reply) -> Rendered {
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
    Rendered {
        content: None,
        embed: Some(embed.footer(CreateEmbedFooter::new(truncate(
            &footer,
            ANSWER_FOOTER_CHARS,
        )))),
        buttons: Vec::new(),
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

fn button(c: &Candidate) -> CreateButton {
    CreateButton::new(format!("{BUTTON_PREFIX}{}", c.id))
        .label(truncate(&c.question, BUTTON_LABEL_CHARS))
        .style(ButtonStyle::Secondary)
}

/// The FAQ id of a button's custom id, if it is one of ours.
pub fn button_faq(custom_id: &str) -> Option<FaqId> {
    custom_id.strip_prefix(BUTTON_PREFIX)?.parse().ok()
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

/// Every question, numbered, split into messages that each fit the content limit.
pub fn faq_list(faqs: &[Faq]) -> Vec<String> {
    let mut pages = vec![String::from(
        "**All questions** (pick one with `/faq topic:`)\n",
    )];
    for faq in faqs {
        let line = truncate(
            &format!("**{}.** {}\n", faq.id, faq.question),
            MESSAGE_CONTENT_CHARS,
        );
        let page = pages.last_mut().expect("at least one page");
        if page.chars().count() + line.chars().count() > MESSAGE_CONTENT_CHARS {
            pages.push(line);
        } else {
            page.push_str(&line);
        }
    }
    pages
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
        };
        let v = json(reply(&r).into_interaction(false));
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
        };
        let v = json(reply(&r).into_interaction(true));
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
        };
        let v = json(reply(&answered).into_interaction(false));
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
    fn button_ids_round_trip_and_foreign_ids_are_ignored() {
        assert_eq!(button_faq("faq:17"), Some(17));
        assert_eq!(button_faq("faq:x"), None);
        assert_eq!(button_faq("other:17"), None);
    }

    #[test]
    fn the_question_list_is_split_into_pages_that_fit() {
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
        let pages = faq_list(&faqs);
        assert!(pages.len() > 1);
        assert!(pages
            .iter()
            .all(|p| p.chars().count() <= MESSAGE_CONTENT_CHARS));
        let listed: usize = pages
            .iter()
            .map(|p| p.matches("**.").count() + p.matches(".** ").count())
            .sum();
        assert_eq!(listed, 200);
    }
}
